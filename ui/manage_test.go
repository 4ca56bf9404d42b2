package ui

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/cache"
	"github.com/card-catalog/card-catalog/app/settings"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// pushTags pushes one random image to repo of s under each tag.
func pushTags(t *testing.T, s *rt.Server, repo string, layers int64, tags ...string) v1.Image {
	t.Helper()
	img, err := random.Image(4000, layers)
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range tags {
		ref, err := name.NewTag(s.Registry.Host+"/"+repo+":"+tag, name.Insecure)
		if err == nil {
			err = remote.Write(ref, img)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return img
}

// pushed is the image manageHarness pushed last.
var pushed v1.Image

// manageHarness is the window on a writable blank registry holding
// team/app at v1, v2 and v3 (one digest), with deleted tags kept for
// Undo; others are more registries of the sidebar.
func manageHarness(t *testing.T, others ...*rt.Server) (*harness, *rt.Server, *repositoryPage) {
	t.Helper()
	return manageHarnessOn(t, rt.Serve(t, rt.Config{Blank: true}), others...)
}

// manageHarnessOn is manageHarness on s, a blank registry.
func manageHarnessOn(t *testing.T, s *rt.Server, others ...*rt.Server) (*harness, *rt.Server, *repositoryPage) {
	t.Helper()
	return manageHarnessAt(t, s, s.Registry.Host, others...)
}

// manageHarnessAt is manageHarnessOn with the sidebar's entry at address,
// a proxy in front of s.
func manageHarnessAt(t *testing.T, s *rt.Server, address string, others ...*rt.Server) (*harness, *rt.Server, *repositoryPage) {
	t.Helper()
	pushed = pushTags(t, s, "team/app", 2, "v1", "v2", "v3")
	cfg := withEntry(settings.Entry{ID: "w", Name: "Writable", Address: address, PlainHTTP: true})
	cfg.ShowDemo = false
	for i, o := range others {
		cfg.Registries = append(cfg.Registries, settings.Entry{ID: "o" + string(rune('a'+i)), Name: "Other", Address: o.Registry.Host, PlainHTTP: true})
	}
	store, err := cache.Open(t.TempDir(), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessOptions(t, cfg, app.Options{Cache: store})
	h.until("the sidebar", func() bool { return len(h.ui.entries) == len(cfg.Registries) })
	p := newRepositoryPage(h.ui, cfg.Registries[0], "team/app")
	h.ui.push(p)
	h.until("the tags", func() bool { return len(p.tags) == 3 })
	return h, s, p
}

func sortedTags(s *rt.Server, repo string) []string {
	tags := s.TagsOf(repo)
	slices.Sort(tags)
	return tags
}

// openDelete ticks tag and opens the delete preview, waiting for it.
func openDelete(h *harness, p *repositoryPage, tag string) *deleteDialog {
	h.t.Helper()
	p.tick(tag, true)
	test.Tap(p.manage.deleteTags)
	dd := p.deleting
	h.until("the delete preview", func() bool { return dd.plan != nil })
	return dd
}

func TestDeleteOneOfThreeTagsThroughTheDialog(t *testing.T) {
	h, s, p := manageHarness(t)
	dd := openDelete(h, p, "v2")
	preview := dd.preview.Text
	for _, want := range []string{"Delete the tag v2 of team/app", "These tags stay on", "v1, v3", "How: "} {
		if !strings.Contains(preview, want) {
			t.Errorf("the preview lacks %q:\n%s", want, preview)
		}
	}
	if dd.confirm.Disabled() || dd.confirm.Importance != widget.DangerImportance {
		t.Fatalf("the confirm button is not a red one to click: disabled %v, importance %v", dd.confirm.Disabled(), dd.confirm.Importance)
	}
	h.ui.modalKey(fyne.KeyReturn) // Enter does not delete
	h.runFor(100e6)
	if got := sortedTags(s, "team/app"); len(got) != 3 {
		t.Fatalf("Enter deleted: %v", got)
	}
	test.Tap(dd.confirm)
	h.until("the list of two", func() bool { return len(p.tags) == 2 })
	if got := sortedTags(s, "team/app"); !slices.Equal(got, []string{"v1", "v3"}) {
		t.Fatalf("the registry holds %v", got)
	}
	if !p.manage.undo.Visible() || !p.manage.undoButton.Visible() || !strings.Contains(p.manage.undoWords.Text, "v2: deleted") {
		t.Fatalf("no Undo after the delete: %q", p.manage.undoWords.Text)
	}
}

// A registry that refuses deletes (405, as GHCR's registry and a
// distribution without delete enabled answer): the window says so in a
// sentence, every tag stays, and no Undo is offered.
func TestRefusedDeleteSaysWhyAndKeepsTheTags(t *testing.T) {
	h, s, p := manageHarnessOn(t, rt.Serve(t, rt.Config{Blank: true, Writes: rt.Writes{DeleteStatus: http.StatusMethodNotAllowed}}))
	dd := openDelete(h, p, "v2")
	if !dd.confirm.Disabled() {
		test.Tap(dd.confirm)
	}
	h.until("what the delete did", func() bool { return p.manage.undo.Visible() && p.manage.undoWords.Text != "" })
	if words := p.manage.undoWords.Text; !strings.Contains(words, "v2: not deleted") || !strings.Contains(words, "the registry does not allow this") {
		t.Errorf("the window does not say the delete was refused, and why:\n%s", words)
	}
	if p.manage.undoButton.Visible() {
		t.Error("Undo is offered for a delete that did not happen")
	}
	if got := sortedTags(s, "team/app"); !slices.Equal(got, []string{"v1", "v2", "v3"}) {
		t.Fatalf("the registry holds %v", got)
	}
}

func TestCancelledDeleteWritesNothing(t *testing.T) {
	h, s, p := manageHarness(t)
	before := s.WriteRequests()
	dd := openDelete(h, p, "v1")
	test.Tap(dd.cancel)
	h.runFor(200e6)
	if w := s.WriteRequests(); w != before {
		t.Fatalf("Cancel wrote %d requests", w-before)
	}
	if got := sortedTags(s, "team/app"); len(got) != 3 {
		t.Fatalf("the registry holds %v", got)
	}
}

func TestUndoPutsTheDeletedTagBack(t *testing.T) {
	h, s, p := manageHarness(t)
	dd := openDelete(h, p, "v3")
	test.Tap(dd.confirm)
	h.until("the list of two", func() bool { return len(p.tags) == 2 })
	test.Tap(p.manage.undoButton)
	h.until("the list of three", func() bool { return len(p.tags) == 3 })
	if got := sortedTags(s, "team/app"); !slices.Equal(got, []string{"v1", "v2", "v3"}) {
		t.Fatalf("the registry holds %v", got)
	}
	if !strings.Contains(p.manage.undoWords.Text, "Put back: v3") {
		t.Fatalf("the banner says %q", p.manage.undoWords.Text)
	}
}

// The blobs gone, Undo says so plainly.
func TestUndoSaysWhenTheBlobsAreGone(t *testing.T) {
	h, s, p := manageHarness(t)
	dd := openDelete(h, p, "v3")
	test.Tap(dd.confirm)
	h.until("the list of two", func() bool { return len(p.tags) == 2 })
	layers, _ := pushed.Layers()
	d, _ := layers[0].Digest()
	req, _ := http.NewRequest(http.MethodDelete, "http://"+s.Registry.Host+"/v2/team/app/blobs/"+d.String(), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("DELETE blob: %s", resp.Status)
	}
	test.Tap(p.manage.undoButton)
	h.until("Undo's answer", func() bool { return strings.Contains(p.manage.undoWords.Text, "cannot be put back") })
}

func TestCopyDialogShowsProgressAndStopStops(t *testing.T) {
	dst := rt.Serve(t, rt.Config{Blank: true, Writes: rt.Writes{StallUploads: true}})
	h, _, p := manageHarness(t, dst)
	p.tick("v1", true)
	test.Tap(p.manage.copyTo)
	c := p.copying
	c.target.SetSelectedIndex(1)
	c.tag.SetText("copied")
	h.ui.modalKey(fyne.KeyReturn) // Enter previews
	h.until("the copy's preview", func() bool { return c.plan != nil })
	if !strings.Contains(c.preview.Text, "sent") {
		t.Fatalf("the preview: %s", c.preview.Text)
	}
	test.Tap(c.start)
	v := p.transfer
	h.until("the progress", func() bool { return strings.Contains(v.words.Text, "blobs") })
	test.Tap(v.stop)
	h.until("the stop", func() bool { return strings.HasPrefix(v.words.Text, wordStopped) })
	if v.stop.Text != "Close" {
		t.Fatalf("the button says %q once stopped", v.stop.Text)
	}
	if tags := dst.TagsOf("team/app"); len(tags) != 0 {
		t.Fatalf("a stopped copy tagged %v", tags)
	}
}

// Dropping a tag's row on a registry of the sidebar opens Copy with it
// as the target.
func TestDroppingATagOnTheSidebarOpensCopy(t *testing.T) {
	other := rt.Serve(t, rt.Config{Blank: true})
	h, _, p := manageHarness(t, other)
	h.win.Content().Refresh()
	h.runFor(100e6)
	var row *sidebarRow
	for _, r := range h.ui.sidebarRows {
		if r.id == 1 && r.Visible() {
			row = r
		}
	}
	if row == nil {
		t.Fatal("no sidebar row for the other registry")
	}
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(row).Add(fyne.NewPos(5, 5))
	dragged := newTagRow()
	p.bindRow(slices.Index(p.visibleTags(), "v2"), dragged)
	dragged.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{AbsolutePosition: at}})
	for _, r := range h.ui.sidebarRows {
		if r.dropTarget.Visible() != (r == row) {
			t.Fatalf("while the tag is dragged over Other, row %d outlined: %t", r.id, r.dropTarget.Visible())
		}
	}
	dragged.DragEnd()
	if row.dropTarget.Visible() {
		t.Error("the outline stays after the drop")
	}
	if p.copying == nil || p.copying.target.Selected != "Other" || p.copying.tag.Text != "v2" {
		t.Fatalf("the drop did not open Copy to Other: %+v", p.copying)
	}
}

func TestTagAsPreviewsThenTags(t *testing.T) {
	h, s, p := manageHarness(t)
	p.tick("v1", true)
	test.Tap(p.manage.retag)
	r := p.retagging
	test.Type(r.entry, "stable")
	h.ui.modalKey(fyne.KeyReturn) // Enter previews
	h.until("the retag's preview", func() bool { return !r.tag.Disabled() })
	if !strings.Contains(r.preview.Text, "as stable in team/app: the manifest only") {
		t.Fatalf("the preview: %s", r.preview.Text)
	}
	if got := sortedTags(s, "team/app"); len(got) != 3 {
		t.Fatalf("the preview wrote: %v", got)
	}
	test.Tap(r.tag)
	h.until("the list of four", func() bool { return len(p.tags) == 4 })
}

// Export to a docker load archive, then import it under a new tag: the
// same digest comes back.
func TestExportThenImport(t *testing.T) {
	h, s, p := manageHarness(t)
	file := t.TempDir() + "/app.tar"
	p.tick("v1", true)
	test.Tap(p.manage.exportTags)
	test.Type(p.pathEntry, file)
	h.ui.modalKey(fyne.KeyReturn)
	h.until("the export", func() bool { return p.transfer != nil && strings.HasPrefix(p.transfer.words.Text, wordDone) })
	test.Tap(p.transfer.stop) // Close
	test.Tap(p.manage.importArchive)
	test.Type(p.pathEntry, file)
	test.Type(p.importTag, "imported")
	h.ui.modalKey(fyne.KeyReturn)
	h.until("the import", func() bool { return len(p.tags) == 4 })
	d, _ := pushed.Digest()
	if got := s.TagsOf("team/app"); !slices.Contains(got, "imported") {
		t.Fatalf("the registry holds %v", got)
	}
	resp, err := http.Head("http://" + s.Registry.Host + "/v2/team/app/manifests/imported")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Docker-Content-Digest"); got != d.String() {
		t.Fatalf("imported at %s, exported %s", got, d)
	}
}

// Import… from an archive of two images: without a name the dialog says
// which it holds and nothing is written; with the Image field the one
// named comes in.
func TestImportNamesTheImageOfSeveral(t *testing.T) {
	h, s, p := manageHarness(t)
	dir := t.TempDir() + "/two"
	digests := rt.Layout(t, dir, "v1", "v2")
	importFrom := func(image string) {
		test.Tap(p.manage.importArchive)
		test.Type(p.pathEntry, dir)
		test.Type(p.importTag, "imported")
		test.Type(p.importImage, image)
		h.ui.modalKey(fyne.KeyReturn)
	}
	writes := s.WriteRequests()
	importFrom("")
	h.until("the import's refusal", func() bool {
		return p.transfer != nil && strings.Contains(p.transfer.words.Text, "holds 2 images (v1, v2)")
	})
	if n := s.WriteRequests() - writes; n != 0 {
		t.Fatalf("%d writes for an archive whose image was not named", n)
	}
	test.Tap(p.transfer.stop) // Close
	importFrom("v2")
	h.until("the import", func() bool { return slices.Contains(p.tags, "imported") })
	resp, err := http.Head("http://" + s.Registry.Host + "/v2/team/app/manifests/imported")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Docker-Content-Digest"); got != digests["v2"] {
		t.Fatalf("imported %s, want v2's %s", got, digests["v2"])
	}
}

// TestATagListFromBeforeAnImportDoesNotHideIt: the tags asked for before
// an import, answered after it (a busy machine), neither stand in for the
// list asked once it is done nor overwrite it when they come.
func TestATagListFromBeforeAnImportDoesNotHideIt(t *testing.T) {
	s := rt.Serve(t, rt.Config{Blank: true})
	hold := &heldTagList{to: s.Registry.Host, held: make(chan struct{}), release: make(chan struct{}), served: make(chan struct{})}
	front := httptest.NewServer(hold)
	t.Cleanup(front.Close)
	t.Cleanup(hold.let) // before front.Close, which waits for the held answer
	h, _, p := manageHarnessAt(t, s, strings.TrimPrefix(front.URL, "http://"))
	dir := t.TempDir() + "/one"
	rt.Layout(t, dir, "v1")

	hold.armed.Store(true)
	p.load() // answered now, delivered after the import
	select {
	case <-hold.held:
	case <-time.After(rt.Patience):
		t.Fatal("the first listing never reached the registry")
	}
	test.Tap(p.manage.importArchive)
	test.Type(p.pathEntry, dir)
	test.Type(p.importTag, "imported")
	h.ui.modalKey(fyne.KeyReturn)
	h.until("the import and the tags listed after it", func() bool { return slices.Contains(p.tags, "imported") })
	if hold.abandoned.Load() {
		t.Fatal("the tags listed after the import waited for the listing from before it, until the app gave up on that one")
	}

	hold.let()
	<-hold.served
	h.runFor(time.Second) // the old answer is handed to the page
	if !slices.Contains(p.tags, "imported") {
		t.Fatalf("the tags from before the import came last and were shown: %v", p.tags)
	}
}

// heldTagList passes requests to a registry; once armed, the next tag list
// it is answered is held back until release, as a slow answer is.
type heldTagList struct {
	to                    string
	armed, abandoned      atomic.Bool
	held, release, served chan struct{}
	letGo                 sync.Once
}

// let lets the held answer go.
func (p *heldTagList) let() { p.letGo.Do(func() { close(p.release) }) }

func (p *heldTagList) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: p.to})
	if strings.HasSuffix(r.URL.Path, "/tags/list") && p.armed.CompareAndSwap(true, false) {
		proxy.ModifyResponse = func(*http.Response) error {
			close(p.held)
			select {
			case <-p.release:
			case <-r.Context().Done():
				p.abandoned.Store(true)
				<-p.release
			}
			return nil
		}
		defer close(p.served)
	}
	proxy.ServeHTTP(w, r)
}
