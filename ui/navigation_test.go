package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
)

// deepIn opens the demo's team-a/web down to its files.
func deepIn(h *harness) *filesPage {
	files := openWebFiles(h)
	if len(h.ui.pages) != 4 {
		h.t.Fatalf("%d pages", len(h.ui.pages))
	}
	return files
}

// TestOpenByNameFollowsTheGrid: Ctrl+O from deep in an image opens the
// repository after the registry's grid, not on top of the trail; Back
// returns to the grid as it was.
func TestOpenByNameFollowsTheGrid(t *testing.T) {
	h := newHarness(t, settings.Default())
	deepIn(h)
	grid := h.ui.pages[0]
	h.ui.showOpenByName()
	name := h.ui.win.Canvas().Focused().(*dialogEntry)
	test.Type(name, "library/python")
	name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(h.ui.pages) != 2 || h.ui.pages[0] != grid || h.ui.title.Text != "Demo registry  ›  library/python" {
		t.Fatalf("%d pages, breadcrumb %q", len(h.ui.pages), h.ui.title.Text)
	}
	h.ui.back()
	if h.ui.top() != grid {
		t.Error("Back did not return to the grid")
	}
}

// TestTheShownRegistryTakesYouBackToItsGrid: a tap on the registry shown
// goes back to its grid, where it was left; a tap on another shows that.
func TestTheShownRegistryTakesYouBackToItsGrid(t *testing.T) {
	h := newHarness(t, settings.Default())
	deepIn(h)
	grid := h.ui.pages[0]
	row := newSidebarRow(hoverTip{})
	row.tapped = h.ui.sidebarTapped
	h.ui.sidebar.UpdateItem(0, row)
	test.Tap(row)
	if len(h.ui.pages) != 1 || h.ui.top() != grid {
		t.Fatalf("after a tap on the registry shown: %d pages, %T", len(h.ui.pages), h.ui.top())
	}
	other := newSidebarRow(hoverTip{})
	other.tapped = h.ui.sidebarTapped
	h.ui.sidebar.UpdateItem(1, other)
	test.Tap(other)
	if h.ui.current.ID != h.ui.entries[1].ID {
		t.Errorf("a tap on another registry shows %q", h.ui.current.ID)
	}
}

// TestADoubleClickOpensAFolderOrReadsAFile: in the tree a double click
// opens a folder and reads a file.
func TestADoubleClickOpensAFolderOrReadsAFile(t *testing.T) {
	h := newHarness(t, settings.Default())
	files := deepIn(h)
	etc, _ := files.tree.Lookup("/etc")
	row := files.newEntryRow(true).(*entryRow)
	files.updateRow(uidOf(etc), true, row)
	test.Tap(row)
	if files.view.IsBranchOpen(uidOf(etc)) || files.selected != etc {
		t.Fatal("a single click opened /etc, or did not select it")
	}
	test.Tap(row)
	if !files.view.IsBranchOpen(uidOf(etc)) {
		t.Fatal("a double click did not open /etc")
	}
	motd, _ := files.tree.Lookup("/etc/motd")
	files.updateRow(uidOf(motd), false, row)
	test.Tap(row)
	test.Tap(row)
	text, ok := h.ui.top().(*textPage)
	if !ok || !strings.HasSuffix(text.node.Path, "/etc/motd") {
		t.Errorf("a double click on /etc/motd opened %T", h.ui.top())
	}
}

// TestPinAndCompareSayWhatTheyDo: the repository's buttons are words, not
// a "+" and a collapse icon.
func TestPinAndCompareSayWhatTheyDo(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	test.Type(h.ui.search, "library/python")
	h.key(fyne.KeyReturn)
	repo := h.ui.top().(*repositoryPage)
	if repo.pin.Text != "Pin" || repo.pin.Icon != nil {
		t.Errorf("pin button %q %v", repo.pin.Text, repo.pin.Icon)
	}
	test.Tap(repo.pin)
	if repo.pin.Text != "Unpin" {
		t.Errorf("pinned: %q", repo.pin.Text)
	}
	if !strings.Contains(allText(repo.content), "Compare…") {
		t.Error("no Compare… button")
	}
}

// TestTheHeaderSaysTheImagesSize: a tag's header gives the image's
// compressed size, as its tag row does, besides its manifest's.
func TestTheHeaderSaysTheImagesSize(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	detail := h.openFirstTag("team-a/web")
	m := detail.inspection.Manifest
	want := humanSize(registry.TotalSize(m.Layers())) + " compressed · manifest " + humanSize(m.Size)
	if got := manifestFacts(m); !strings.Contains(got, want) {
		t.Errorf("header %q, want %q in it", got, want)
	}
}
