package ui

import (
	"io"
	"log"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	ggcr "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/card-catalog/card-catalog/app/compare"
	"github.com/card-catalog/card-catalog/app/image"
	lt "github.com/card-catalog/card-catalog/app/imagefs/layertest"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
)

func (h *harness) demoSide(repo, tag string) side {
	reg, _ := h.ui.current.Registry()
	return side{h.ui.current, registry.Reference{Registry: reg, Repository: repo, Tag: tag}}
}

func TestCompareTwoTagsDownToTheFile(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	test.Type(h.ui.search, "team-a/web")
	h.key(fyne.KeyReturn)
	repo := h.ui.top().(*repositoryPage)
	h.until("the tags", func() bool { return len(repo.tags) == 3 })
	repo.compareTags()
	h.windowKey(fyne.KeyReturn) // the dialog's default: Compare
	p := h.ui.top().(*comparePage)
	h.until("the files compared", func() bool { return p.diff != nil && len(p.changes) > 0 })
	if p.a.ref.Tag != "v3.2.0" || p.b.ref.Tag != "v3.3.0" {
		t.Errorf("compared %s with %s; want the one before it", p.a.ref.Tag, p.b.ref.Tag)
	}
	if !strings.Contains(p.summaryLabel.Text, "Layers: 3 shared, 1 removed, 1 added.") || !strings.Contains(p.summaryLabel.Text, "of the 3 shared layers, listed to settle") {
		t.Errorf("summary %q", p.summaryLabel.Text)
	}
	// The changes are counted by kind: the new release directory, the
	// "current" symlink that moved to it, and files.
	k := compare.KindsOf(p.diff.Files.Changes)
	if k.Dirs == 0 || k.Symlinks != 1 || !strings.Contains(p.summaryLabel.Text, image.ChangedWords(k)) ||
		!strings.Contains(p.summaryLabel.Text, pluralOf(k.Dirs, "directory", "directories")) || !strings.Contains(p.summaryLabel.Text, "1 symlink changed") {
		t.Errorf("kinds %+v, summary %q", k, p.summaryLabel.Text)
	}
	for i := range p.tabs.Items {
		p.tabs.SelectIndex(i)
		fitsSmallWindow(t, h, "the comparison's "+p.tabs.Items[i].Text)
	}
	p.filter.SetSelectedIndex(1) // Added
	if len(p.changes) != 1 || p.changes[0].Path != "/srv/web/releases/3.3.0" {
		t.Errorf("added: %+v", p.changes)
	}
	p.filter.SetSelectedIndex(3) // Changed
	var readme compare.FileChange
	for _, c := range p.changes {
		if c.Path == "/srv/web/README.md" {
			readme = c
		}
	}
	p.openChange(readme)
	lines := h.ui.top().(*lineDiffPage)
	h.until("the line diff", func() bool { return len(lines.lines) > 0 })
	var edits []string
	for _, l := range lines.lines {
		if l.Op != compare.Same {
			edits = append(edits, string(l.Op)+strings.TrimSpace(l.Text))
		}
	}
	if strings.Join(edits, "|") != "-docker run --rm -p 3000:3000 team-a/web:3.2.0|+docker run --rm -p 3000:3000 team-a/web:3.3.0" {
		t.Errorf("edits %q", edits)
	}
	if !strings.Contains(lines.facts.Text, "1 line added, 1 removed") {
		t.Errorf("facts %q", lines.facts.Text)
	}
	// A binary file is compared by size and digest only.
	h.ui.back()
	// (The demo's two builds of it are alike; the page is asked all the same.)
	old := p.diff.A.Tree.Node(mustLookup(t, p.diff.A, "/srv/web/bin/web-server")).Entry
	new := p.diff.B.Tree.Node(mustLookup(t, p.diff.B, "/srv/web/bin/web-server")).Entry
	p.openChange(compare.FileChange{Path: "/srv/web/bin/web-server", Op: compare.Changed, Old: &old, New: &new, What: []string{"content"}})
	bin := h.ui.top().(*lineDiffPage)
	h.until("the binary's verdict", func() bool { return strings.Contains(bin.facts.Text, "binary, compared by size and digest only") })
}

func mustLookup(t *testing.T, s image.DiffSide, p string) int32 {
	id, ok := s.Tree.Lookup(p)
	if !ok {
		t.Fatalf("%s not in the tree", p)
	}
	return id
}

func TestCompareTwoIndexesPlatformByPlatform(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	p := newComparePage(h.ui, h.demoSide("library/python", "3.11"), h.demoSide("library/python", "3.13"), "")
	h.ui.push(p)
	h.until("the platforms", func() bool { return strings.Contains(allText(p.body), "platforms in both") })
	text := allText(p.body)
	if !strings.Contains(text, "are indexes: 3 platforms in both") || !strings.Contains(text, "Only in library/python:3.13: linux/ppc64le, linux/s390x") {
		t.Fatalf("%s", text)
	}
}

// TestTheFilesTabIsWhatTheWholeMergesSay: the comparison's Files tab lists
// the paths a runtime's merge of each image (layertest.Merge, written apart
// from the app) says differ, the entries of an added directory counted.
func TestTheFilesTabIsWhatTheWholeMergesSay(t *testing.T) {
	srv := httptest.NewServer(ggcr.New(ggcr.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	sharedTars, aTars, bTars := lt.DiffImages(t)
	push := func(ref string, tars ...[]byte) {
		var layers []lt.Layer
		for _, b := range tars {
			layers = append(layers, lt.Layer{Blob: lt.Gzip(t, b), MediaType: types.OCILayer})
		}
		lt.Push(t, host, ref, layers...)
	}
	push("app:old", append(slices.Clone(sharedTars), aTars...)...)
	push("app:new", append(slices.Clone(sharedTars), bTars...)...)
	want := lt.DiffMerged(lt.Merge(t, append(slices.Clone(sharedTars), aTars...)...), lt.Merge(t, append(slices.Clone(sharedTars), bTars...)...))

	h := newHarness(t, withEntry(settings.Entry{ID: "forged", Name: "Forged", Address: host, PlainHTTP: true}))
	reg, _ := h.ui.current.Registry()
	ref := func(tag string) side {
		return side{h.ui.current, registry.Reference{Registry: reg, Repository: "app", Tag: tag}}
	}
	p := newComparePage(h.ui, ref("old"), ref("new"), "")
	h.ui.push(p)
	h.until("the files compared", func() bool { return p.diff != nil && len(p.changes) > 0 })
	var got []string
	for _, c := range p.changes {
		got = append(got, string(c.Op)+" "+c.Path)
	}
	if !slices.Equal(got, want) {
		t.Errorf("the Files tab lists\n%s\nthe merges say\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	row := p.list.CreateItem()
	for i, c := range p.changes {
		if c.Path == "/opt/old" {
			p.updateChange(i, row)
			if what := row.(*fyne.Container).Objects[1].(*widget.Label).Text; !strings.Contains(what, "4 entries inside") {
				t.Errorf("/opt/old: %q", what)
			}
		}
	}
}

// TestAnSBOMReadsAsAnSBOM: the demo's SPDX referrer is listed as an SPDX
// SBOM (its descriptor names only the empty config); its page names it,
// offers no docker pull and no files, says "1 blob", and its blob opens
// as JSON.
func TestAnSBOMReadsAsAnSBOM(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	test.Type(h.ui.search, "library/python")
	h.key(fyne.KeyReturn)
	repo := h.ui.top().(*repositoryPage)
	h.until("the tags", func() bool { return repo.list.Length() == 4 })
	h.ui.push(newDetailPage(h.ui, h.ui.current, repo.ref("3.12")))
	idx := h.ui.top().(*detailPage)
	h.until("the index", func() bool { return idx.inspection != nil })
	if len(idx.inspection.Referrers) != 1 {
		t.Fatalf("%d referrers", len(idx.inspection.Referrers))
	}
	row := h.ui.newColumnRow()
	list := idx.tabs.Items[2].Content.(*widget.List)
	h.until("the referrer's kind", func() bool { list.UpdateItem(0, row); return row.cells[0].Text != "…" })
	if got := row.cells[0].Text; got != "SPDX SBOM (application/spdx+json)" {
		t.Errorf("referrer listed as %q", got)
	}
	list.OnSelected(0)
	sbom := h.ui.top().(*detailPage)
	h.until("the SBOM", func() bool { return sbom.inspection != nil })
	var tabs []string
	for _, it := range sbom.tabs.Items {
		tabs = append(tabs, it.Text)
	}
	if got := strings.Join(tabs, ", "); got != "Content (1), Annotations, Referrers (0), Manifest JSON" {
		t.Errorf("tabs %s", got)
	}
	if text := allText(sbom.body); !strings.Contains(text, "SPDX SBOM: OCI artifact of type application/spdx+json") ||
		strings.Contains(text, "docker pull") || strings.Contains(text, "Browse the image's files") || strings.Contains(text, "1 layers") ||
		!strings.Contains(text, "1 blob · open one to read it") {
		t.Errorf("the SBOM's page says:\n%s", text)
	}
	sbom.browseFiles()
	if h.ui.top() != sbom {
		t.Error("an artifact's files were opened")
	}
	sbom.tabs.Items[0].Content.(*fyne.Container).Objects[0].(*widget.List).OnSelected(0)
	blob := h.ui.top().(*blobPage)
	h.until("the content", func() bool { return blob.json || blob.message.box.Visible() })
	if !blob.json || !strings.Contains(blob.facts.Text, "SPDX SBOM (application/spdx+json) · 102 B · JSON") ||
		!strings.Contains(allText(blob.view), `"spdxVersion": "SPDX-2.3"`) {
		t.Errorf("blob: %q\n%s", blob.facts.Text, allText(blob.view))
	}
}

// TestCompareWithSpeaksAndTakesEnter: Compare with… says a mistake in
// words (not a parser's, not the registry's address) without growing past
// its width, forgets it once the text is right, and Enter compares.
func TestCompareWithSpeaksAndTakesEnter(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	detail := h.openFirstTag("team-a/web")
	detail.compareWith()
	d := detail.compareDialog
	width := h.ui.win.Canvas().Overlays().Top().Size().Width
	d.ref.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // "team-a/web:" and no tag
	if !d.problem.Visible() || d.problem.Text != "Type a tag after “team-a/web:”." || h.ui.top() != detail {
		t.Fatalf("Enter with no tag: %q (shown %v)", d.problem.Text, d.problem.Visible())
	}
	d.ref.SetText("team-a/web:v3.2.0 x")
	if reg, _ := h.ui.current.Registry(); strings.Contains(d.problem.Text, reg.Host) || strings.Contains(d.problem.Text, "could not parse") ||
		!strings.Contains(d.problem.Text, "is not a tag") {
		t.Errorf("a bad tag: %q", d.problem.Text)
	}
	if got := h.ui.win.Canvas().Overlays().Top().Size().Width; got != width {
		t.Errorf("the dialog went from %v to %v wide", width, got)
	}
	d.ref.SetText("team-a/web:v3.2.0")
	if d.problem.Visible() {
		t.Errorf("the mistake stayed after the text was mended: %q", d.problem.Text)
	}
	d.ref.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	p, ok := h.ui.top().(*comparePage)
	if !ok || p.b.ref.Tag != "v3.2.0" || h.ui.inDialog() {
		t.Fatalf("Enter opened %T", h.ui.top())
	}
}

// TestComparePackagesOfTwoSBOMs: the demo's payments-api v1.5.0 and
// v1.5.1 carry SBOMs that differ by two upgrades, an addition and a
// removal, and the comparison's Packages tab says which.
func TestComparePackagesOfTwoSBOMs(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	p := newComparePage(h.ui, h.demoSide("team-a/payments-api", "v1.5.0"), h.demoSide("team-a/payments-api", "v1.5.1"), "linux/amd64")
	h.ui.push(p)
	h.until("the packages compared", func() bool {
		return p.packages != nil && !strings.Contains(allText(p.packages), "Reading the")
	})
	words := allText(p.packages)
	for _, want := range []string{
		"Packages: 7 → 7; 1 added, 1 removed, 2 upgraded or downgraded.",
		"- github.com/pkg/errors v0.9.1 (golang)", "+ golang.org/x/net v0.33.0 (golang)",
		"~ libssl3 3.0.11-1~deb12u2 → 3.0.15-1~deb12u1 (deb)", "~ payments-api 1.5.0 → 1.5.1 (golang)",
	} {
		if !strings.Contains(words, want) {
			t.Errorf("no %q in\n%s", want, words)
		}
	}
}
