package ui

import (
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	ggcr "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/imagefs"
	lt "github.com/card-catalog/card-catalog/app/imagefs/layertest"
	"github.com/card-catalog/card-catalog/app/settings"
)

// openWebFiles opens the demo's team-a/web and its merged filesystem.
func openWebFiles(h *harness) *filesPage {
	h.t.Helper()
	demoLoaded(h)
	detail := h.openFirstTag("team-a/web")
	detail.browseFiles()
	files := h.ui.top().(*filesPage)
	h.until("every layer read", func() bool { return files.loaded })
	return files
}

func names(p *filesPage, uid widget.TreeNodeID) []string {
	var out []string
	for _, c := range p.childUIDs(uid) {
		out = append(out, p.tree.Node(nodeID(c)).Name)
	}
	return out
}

func TestImageFilesFillTheTree(t *testing.T) {
	h := newHarness(t, settings.Default())
	files := openWebFiles(h)
	if got := names(files, ""); !slices.Equal(got, []string{"bin", "etc", "lib", "root", "sbin", "srv", "tmp", "usr", "var"}) {
		t.Errorf("root: %v", got)
	}
	if s := files.status.Text; !strings.Contains(s, "entries") || !strings.Contains(s, "4 of 4 layers") || !strings.HasSuffix(s, "done") {
		t.Errorf("status %q", s)
	}
	// A row says what the entry is, its size, mode, owner and layer.
	id, _ := files.tree.Lookup("/srv/web/README.md")
	row := files.newEntryRow(false)
	files.updateRow(uidOf(id), false, row)
	name, facts := rowTexts(row)
	if name != "README.md" || facts != "   599 B -rw-r--r-- 10001:10001     3" {
		t.Errorf("row %q / %q", name, facts)
	}
	files.reveal(id)
	if !strings.Contains(files.details.Text, "written by layer 3") || files.read.Disabled() || files.save.Disabled() {
		t.Errorf("details %q", files.details.Text)
	}
	h.until("the size view", func() bool { _, ok := files.sizeArea.Objects[0].(*widget.Label); return !ok })
}

func TestLayerFilterShowsWhatOneLayerChanged(t *testing.T) {
	h := newHarness(t, settings.Default())
	files := openWebFiles(h)
	files.filterSelect.SetSelectedIndex(3) // layer 2: the clean-up
	if got := names(files, ""); !slices.Equal(got, []string{"var"}) {
		t.Fatalf("layer 2 changed only /var: %v", got)
	}
	id, _ := files.tree.Lookup("/var/cache/apt/archives")
	var removed []string
	for _, c := range files.childUIDs(uidOf(id)) {
		row := files.newEntryRow(false)
		files.updateRow(c, false, row)
		name, _ := rowTexts(row)
		removed = append(removed, name)
	}
	if len(removed) != 7 || !strings.HasSuffix(removed[0], " · removed") {
		t.Errorf("removed by layer 2: %v", removed)
	}
	if !files.view.IsBranchOpen(uidOf(id)) {
		t.Error("a layer's few changes are not opened")
	}
	files.filterSelect.SetSelectedIndex(0)
	if len(names(files, "")) != 9 {
		t.Errorf("all layers again: %v", names(files, ""))
	}
}

func TestSizeViewSaysWhatMakesTheImageBig(t *testing.T) {
	h := newHarness(t, settings.Default())
	files := openWebFiles(h)
	s := files.tree.Size(5)
	// Layer 1's apt lists and .deb files, deleted by layer 2: 480,000
	// bytes pulled and never seen.
	if s.Layers[1].Wasted != 6*40_000+4*60_008 || s.Efficiency >= 1 || s.Files[0].Path != "/srv/web/bin/web-server" {
		t.Errorf("%+v", s.Layers)
	}
	h.until("the size view", func() bool { _, ok := files.sizeArea.Objects[0].(*widget.Label); return !ok })
	view := files.sizeArea.Objects[0]
	if !strings.Contains(allText(view), "Efficiency: ") {
		t.Errorf("size view says %q", allText(view))
	}
}

// readText opens the file at path of files and waits for its text.
func readText(h *harness, files *filesPage, path string) *textPage {
	h.t.Helper()
	id, _ := files.tree.Lookup(path)
	files.reveal(id)
	files.Open()
	text := h.ui.top().(*textPage)
	h.until("the text", func() bool { return len(text.lines) > 0 })
	return text
}

func TestReadingAndSavingAFile(t *testing.T) {
	h := newHarness(t, settings.Default())
	files := openWebFiles(h)
	text := readText(h, files, "/srv/web/README.md")
	if text.lines[0] != "# web" || !strings.Contains(text.facts.Text, "599 B · UTF-8") {
		t.Errorf("%q: %v", text.facts.Text, text.lines[:3])
	}
	// A binary file says so.
	h.ui.back()
	bin := readText(h, files, "/srv/web/bin/web-server")
	if !strings.Contains(bin.facts.Text, "binary") {
		t.Errorf("the binary's facts: %q", bin.facts.Text)
	}
	h.ui.back()

	// Saving writes where the person chose, whatever the entry is called.
	dir := t.TempDir()
	out, err := os.Create(filepath.Join(dir, imagefs.SafeName("/../../srv/web/README.md")))
	if err != nil {
		t.Fatal(err)
	}
	files.writeFile("/srv/web/README.md", out, out.Name(), files.details.SetText)
	h.until("saved", func() bool { return strings.HasPrefix(files.details.Text, "Saved ") })
	b, _ := os.ReadFile(out.Name())
	if !strings.HasPrefix(string(b), "# web\n") || len(b) != 599 {
		t.Errorf("saved %d bytes: %q", len(b), b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "README.md" {
		t.Errorf("the folder holds %v", entries)
	}
}

func TestSearchFindsPaths(t *testing.T) {
	h := newHarness(t, settings.Default())
	files := openWebFiles(h)
	files.Search("webreadme")
	if files.result.Len() == 0 || files.result.At(0) != "/srv/web/README.md" {
		t.Fatalf("%d results", files.result.Len())
	}
	files.results.OnSelected(0)
	id, _ := files.tree.Lookup("/srv/web/README.md")
	if files.selected != id || h.ui.search.Text != "" {
		t.Errorf("the result was not shown in the tree")
	}
	files.Search("zzzzqqq")
	if files.noMatch.Hidden {
		t.Error("no 'no match' line")
	}
}

func TestOneLayerShowsItsWhiteouts(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	detail := h.openFirstTag("team-a/web")
	h.ui.push(newFilesPage(h.ui, detail.entry, detail.ref, detail.inspection.Manifest, detail.steps, 2))
	layer := h.ui.top().(*filesPage)
	h.until("the layer", func() bool { return layer.loaded })
	id, _ := layer.tree.Lookup("/var/cache/apt/archives/python3.11_0_amd64.deb")
	row := layer.newEntryRow(false)
	layer.updateRow(uidOf(id), false, row)
	if name, _ := rowTexts(row); name != "python3.11_0_amd64.deb (deleted by this layer)" {
		t.Errorf("%q", name)
	}
	if layer.Title() != "layer 2" || layer.filterSelect != nil {
		t.Error("a layer's page is not the merged one")
	}
	// A file of the layer reads from the layer.
	id, _ = layer.tree.Lookup("/var/lib/apt/lists/lock")
	layer.reveal(id)
	if layer.read.Disabled() {
		t.Error("a layer's file cannot be read")
	}
	id, _ = layer.tree.Lookup("/var/lib/apt/lists")
	layer.reveal(id)
	if !layer.read.Disabled() {
		t.Error("a directory can be read")
	}
}

func rowTexts(row fyne.CanvasObject) (name, facts string) {
	r := row.(*entryRow)
	return r.name.Text, r.facts.Text
}

// allText is every label's and rich text's words under o.
func allText(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			b.WriteString(w.Text + "\n")
		case *widget.RichText:
			b.WriteString(richText(w) + "\n")
		case *widget.Form:
			for _, it := range w.Items {
				b.WriteString(it.Text + ": ")
				walk(it.Widget)
			}
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case *container.Split:
			walk(w.Leading)
			walk(w.Trailing)
		case *container.Scroll:
			walk(w.Content)
		case *container.AppTabs:
			for _, it := range w.Items {
				walk(it.Content)
			}
		case *widget.Button:
			b.WriteString(w.Text + "\n")
		case *tipButton:
			b.WriteString(w.Text + "\n")
		}
	}
	walk(o)
	return b.String()
}

// TestACutOffLayerIsSaidSo: a layer whose tar stops without its
// end-of-archive blocks is listed, and the files view says it was cut off,
// as tar does.
func TestACutOffLayerIsSaidSo(t *testing.T) {
	srv := httptest.NewServer(ggcr.New(ggcr.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	whole := lt.Tar(t, lt.File("etc/motd", "hello\n"), lt.File("etc/hostname", "web\n"))
	lt.Push(t, host, "cut/layer:v1", lt.Layer{Blob: lt.Tar(t, lt.File("a", "a")), MediaType: types.OCIUncompressedLayer},
		lt.Layer{Blob: lt.Gzip(t, whole[:len(whole)-1024-508]), MediaType: types.OCILayer})
	h := newHarness(t, withEntry(settings.Entry{ID: "cut", Name: "Cut", Address: host, PlainHTTP: true}))
	h.until("the catalog", func() bool { return h.ui.catalog.summary.Text == "1 repository" })
	detail := h.openFirstTag("cut/layer")
	detail.browseFiles()
	files := h.ui.top().(*filesPage)
	h.until("every layer read", func() bool { return files.loaded })
	if !files.warning.Visible() || !strings.Contains(files.warning.Text, "Layer 1 ends without the end-of-archive blocks") {
		t.Errorf("warning %q (shown %v)", files.warning.Text, files.warning.Visible())
	}
	if _, ok := files.tree.Lookup("/etc/hostname"); !ok || !strings.HasSuffix(files.status.Text, "done") {
		t.Errorf("what the cut layer held: status %q", files.status.Text)
	}
}

// TestTheTextViewSelectsCopiesAndShowsBinaryInHex: a file's text is a grid
// of compact rows (not a list row a line) that a drag selects and Ctrl+C
// copies; a binary file shows its bytes in hex; Save… from the text says
// where it saved.
func TestTheTextViewSelectsCopiesAndShowsBinaryInHex(t *testing.T) {
	h := newHarness(t, settings.Default())
	files := openWebFiles(h)
	text := readText(h, files, "/srv/web/README.md")
	g := text.view
	if len(g.grid.Rows) != len(text.lines) || g.grid.RowText(0) != "# web" {
		t.Fatalf("%d rows for %d lines, first %q", len(g.grid.Rows), len(text.lines), g.grid.RowText(0))
	}
	rowHeight := g.grid.PositionForCursorLocation(1, 0).Y - g.grid.PositionForCursorLocation(0, 0).Y
	if listRow := widget.NewLabel("x").MinSize().Height; rowHeight <= 0 || rowHeight > 0.7*listRow {
		t.Errorf("a line takes %v, a list row %v", rowHeight, listRow)
	}
	// A drag from the start of line 3 to the middle of line 3 selects "The demo".
	at := func(row, col int) fyne.Position { return g.grid.PositionForCursorLocation(row, col).AddXY(1, 1) }
	g.catcher.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: at(2, 0)}, Button: desktop.MouseButtonPrimary})
	g.catcher.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: at(2, 8)}})
	if got := g.selection(); got != "The demo" {
		t.Errorf("selected %q", got)
	}
	g.catcher.TypedShortcut(&fyne.ShortcutCopy{Clipboard: fyne.CurrentApp().Clipboard()})
	if got := fyne.CurrentApp().Clipboard().Content(); got != "The demo" {
		t.Errorf("copied %q", got)
	}
	g.catcher.TypedShortcut(&fyne.ShortcutSelectAll{})
	if got := g.selection(); !strings.HasPrefix(got, "# web\n\nThe demo") || strings.Count(got, "\n") != len(text.lines)-1 {
		t.Errorf("all selected: %q", got)
	}
	// Save… from the text says so on the text's page.
	out, err := os.Create(filepath.Join(t.TempDir(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	files.writeFile("/srv/web/README.md", out, out.Name(), text.say)
	h.until("saved", func() bool { return strings.HasPrefix(text.saved.Text, "Saved /srv/web/README.md to "+out.Name()) })

	h.ui.back()
	bin := readText(h, files, "/srv/web/bin/web-server")
	if !strings.HasPrefix(bin.lines[0], "00000000  7f 45 4c 46 02 01 01 00  ") || !strings.HasSuffix(bin.lines[0], "|.ELF............|") ||
		!strings.Contains(bin.facts.Text, "binary: the first 64 KiB in hex") || len(bin.lines) != hexCap/16 {
		t.Errorf("%q: %d lines, first %q", bin.facts.Text, len(bin.lines), bin.lines[0])
	}
}

// TestTheTreeNamesItsColumnsAndSortsBySize: the tree's header names its
// columns (no unexplained "0:0" or "L3"), each row's facts stand under
// them whatever the owner, and the tree sorts by size.
func TestTheTreeNamesItsColumnsAndSortsBySize(t *testing.T) {
	h := newHarness(t, settings.Default())
	files := openWebFiles(h)
	if !strings.Contains(factsHeader, "Size") || !strings.Contains(factsHeader, "UID:GID") || !strings.Contains(factsHeader, "Layer") {
		t.Errorf("header %q", factsHeader)
	}
	long := entryFacts("1.0 kB", imagefs.Node{Entry: imagefs.Entry{UID: 1234567, GID: 7654321, Mode: 0o644}})
	short := entryFacts("1.0 kB", imagefs.Node{Entry: imagefs.Entry{UID: 0, GID: 0, Mode: 0o644}})
	if len([]rune(long)) != len([]rune(factsHeader)) || len([]rune(short)) != len([]rune(factsHeader)) || !strings.Contains(long, "1234567:76…") {
		t.Errorf("columns out of line:\n%q\n%q\n%q", factsHeader, long, short)
	}
	h.until("the folders' sizes", func() bool { _, ok := files.sizeArea.Objects[0].(*widget.Label); return !ok })
	test.Tap(files.sortButton)
	if got := names(files, ""); got[0] != "usr" || files.sortButton.Text != "Sort by name" {
		t.Errorf("by size: %v", got)
	}
	test.Tap(files.sortButton)
	if got := names(files, ""); got[0] != "bin" {
		t.Errorf("by name again: %v", got)
	}
}
