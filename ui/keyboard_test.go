package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/settings"
)

// The keyboard alone, past the grid.

// TestTheFileFinderTakesDownAndEnter: Down moves through the matches and
// Enter shows the one under the cursor in the tree, its facts below.
func TestTheFileFinderTakesDownAndEnter(t *testing.T) {
	h := newHarness(t, settings.Default())
	files := openWebFiles(h)
	first, _ := files.tree.Lookup("/etc/os-release")
	files.reveal(first) // an old selection, which must not stay
	test.Type(h.ui.search, "asset-01")
	if files.result.Len() < 2 {
		t.Fatalf("%d matches", files.result.Len())
	}
	second := files.result.At(1)
	h.key(fyne.KeyDown)
	h.key(fyne.KeyReturn)
	want, _ := files.tree.Lookup(second)
	if files.selected != want || !strings.HasPrefix(files.details.Text, second) || h.ui.search.Text != "" {
		t.Errorf("Down, Enter: selected %v (want %v, %s), details %q, search %q", files.selected, want, second, files.details.Text, h.ui.search.Text)
	}
}

// TestTheFileTreeMovesWithTheArrows: Up and Down go from row to row, Right
// opens a folder and goes into it, Left closes it and goes back up, Enter
// opens a folder or reads a file.
func TestTheFileTreeMovesWithTheArrows(t *testing.T) {
	h := newHarness(t, settings.Default())
	files := openWebFiles(h)
	name := func() string { return files.tree.Node(files.selected).Path }
	h.key(fyne.KeyDown)
	h.key(fyne.KeyDown)
	if name() != "/etc" {
		t.Fatalf("two Downs: %s", name())
	}
	h.key(fyne.KeyRight) // opens /etc
	h.key(fyne.KeyRight) // into it
	if name() != "/etc/group" || !files.view.IsBranchOpen(uidOf(files.tree.Parent(files.selected))) {
		t.Errorf("Right, Right: %s", name())
	}
	h.key(fyne.KeyLeft) // up to /etc
	h.key(fyne.KeyLeft) // closes it
	if name() != "/etc" || files.view.IsBranchOpen(uidOf(files.selected)) {
		t.Errorf("Left, Left: %s (open %v)", name(), files.view.IsBranchOpen(uidOf(files.selected)))
	}
	h.key(fyne.KeyReturn)
	if !files.view.IsBranchOpen(uidOf(files.selected)) {
		t.Error("Enter did not open the folder")
	}
	h.key(fyne.KeyDown)
	h.key(fyne.KeyReturn)
	if _, ok := h.ui.top().(*textPage); !ok {
		t.Errorf("Enter on a file opened %T", h.ui.top())
	}
}

// TestADropDownKeepsTheKeyboardsWays: with the filter drop-down focused,
// typing searches, a space alone does not, and Esc goes back.
func TestADropDownKeepsTheKeyboardsWays(t *testing.T) {
	h := newHarness(t, settings.Default())
	files := openWebFiles(h)
	h.ui.win.Canvas().Focus(files.filterSelect)
	files.filterSelect.TypedRune('r')
	if h.ui.search.Text != "r" || h.ui.win.Canvas().Focused() != h.ui.search {
		t.Errorf("typed into a focused drop-down: search %q", h.ui.search.Text)
	}
	h.ui.search.SetText("")
	test.Type(h.ui.search, " ")
	if h.ui.search.Text != "" {
		t.Errorf("a space alone searched for %q", h.ui.search.Text)
	}
	h.ui.win.Canvas().Focus(files.filterSelect)
	files.filterSelect.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if _, ok := h.ui.top().(*detailPage); !ok {
		t.Errorf("Esc on the drop-down left %T on top", h.ui.top())
	}
}

// TestTheArrowsReachATabsRows: on a tag's Layers, Down and Enter open a
// layer without tabbing through the buttons; Ctrl+B browses the files.
func TestTheArrowsReachATabsRows(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	detail := h.openFirstTag("team-a/web")
	h.ui.selectTab(2) // Config, History, Layers
	h.windowKey(fyne.KeyDown)
	h.windowKey(fyne.KeyDown)
	h.windowKey(fyne.KeyReturn)
	layer, ok := h.ui.top().(*filesPage)
	if !ok || layer.layer != 1 {
		t.Fatalf("Down, Down, Enter on Layers opened %T", h.ui.top())
	}
	h.ui.back()
	for _, s := range shortcuts(h.ui) {
		if s.keys == "Ctrl+B" {
			s.action()
		}
	}
	if files, ok := h.ui.top().(*filesPage); !ok || files.layer != -1 || h.ui.pages[len(h.ui.pages)-2] != detail {
		t.Errorf("Ctrl+B opened %T", h.ui.top())
	}
}

// TestF1ListsEveryAction: compare, Compare with…, browse, read, save and
// go to target have their keys, and F1 says them.
func TestF1ListsEveryAction(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	h.ui.showHelp()
	d := h.ui.win.Canvas().Overlays().Top()
	text := allText(d.(*widget.PopUp).Content)
	for _, want := range []string{"Ctrl+Shift+C", "compare two tags", "Ctrl+B", "browse the image's files", "read the file", "Ctrl+S", "save the selected file", "Ctrl+G"} {
		if !strings.Contains(text, want) {
			t.Errorf("F1 does not say %q", want)
		}
	}
}
