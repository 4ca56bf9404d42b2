package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/settings"
)

// smallWindow is the smallest window the app is laid out for.
var smallWindow = fyne.NewSize(640, 420)

// fitsSmallWindow fails when the window's content needs more than 640×420
// on the page shown, or the header's parts overlap there.
func fitsSmallWindow(t *testing.T, h *harness, page string) {
	t.Helper()
	if min := h.win.Content().MinSize(); min.Width > smallWindow.Width || min.Height > smallWindow.Height {
		t.Errorf("%s needs %v, more than %v", page, min, smallWindow)
	}
	h.win.Resize(smallWindow)
	back, title, search := h.ui.backButton, h.ui.title, h.ui.search
	abs := func(o fyne.CanvasObject) fyne.Position {
		return fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	}
	if abs(back).X+back.Size().Width > abs(title).X || abs(title).X+title.Size().Width > abs(search).X {
		t.Errorf("%s: back %v+%v, title %v+%v, search %v overlap", page, abs(back), back.Size(), abs(title), title.Size(), abs(search))
	}
	if title.Size().Width < 80 {
		t.Errorf("%s: the breadcrumb has %v", page, title.Size())
	}
}

func TestNothingOverlapsAt640x420(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	fitsSmallWindow(t, h, "the catalog")
	test.Type(h.ui.search, "library/python")
	h.key(fyne.KeyReturn)
	repo := h.ui.top().(*repositoryPage)
	h.until("the tags", func() bool { return repo.list.Length() > 0 })
	fitsSmallWindow(t, h, "the tags")
	h.key(fyne.KeyDown)
	h.key(fyne.KeyReturn)
	index := h.ui.top().(*detailPage)
	h.until("the index", func() bool { return index.inspection != nil })
	fitsSmallWindow(t, h, "an index")
	index.Open()
	image := h.ui.top().(*detailPage)
	h.until("the image", func() bool { return image.inspection != nil })
	fitsSmallWindow(t, h, "an image")
	image.browseFiles()
	files := h.ui.top().(*filesPage)
	h.until("the files", func() bool { return files.loaded })
	fitsSmallWindow(t, h, "the files")
	files.tabs.SelectIndex(1)
	h.until("the size view", func() bool { _, ok := files.sizeArea.Objects[0].(*widget.Label); return !ok })
	fitsSmallWindow(t, h, "what makes it big")
}

func TestANarrowBreadcrumbKeepsThePageShown(t *testing.T) {
	parts := []string{"Demo registry", "library/python", "3.12"}
	if got := fitCrumbs(parts, 2000, fyne.TextStyle{Bold: true}); got != "Demo registry  ›  library/python  ›  3.12" {
		t.Errorf("wide: %q", got)
	}
	if got := fitCrumbs(parts, 180, fyne.TextStyle{Bold: true}); got != "…  ›  3.12" && got != "…  ›  library/python  ›  3.12" {
		t.Errorf("narrow: %q", got)
	}
}

// cellsFit fails when a row's cell draws its text wider than the cell
// (over the next one) in the list as laid out.
func cellsFit(t *testing.T, what string, list *widget.List, id int) {
	t.Helper()
	row := list.CreateItem()
	row.Resize(fyne.NewSize(list.Size().Width, row.MinSize().Height))
	list.UpdateItem(id, row)
	test.WidgetRenderer(row.(*columnRow)).Layout(row.Size())
	for i, c := range row.(*columnRow).cells {
		c.Refresh()
		if c.Truncation == fyne.TextTruncateOff && c.MinSize().Width > c.Size().Width+1 {
			t.Errorf("%s: cell %d (%q) needs %v and has %v", what, i, c.Text, c.MinSize().Width, c.Size().Width)
		}
	}
}

// TestRowsAndLinesFitAt640x420: at 640×420 a layer's digest, media type
// and command, and what makes it big's layer rows, are cut each in its
// cell, not drawn over each other; a changed file's long lines scroll
// sideways.
func TestRowsAndLinesFitAt640x420(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	h.win.Resize(smallWindow)
	detail := h.openFirstTag("team-a/web")
	h.ui.selectTab(2)
	layers := detail.shownList().list
	cellsFit(t, "a layer row", layers, 1)
	detail.browseFiles()
	files := h.ui.top().(*filesPage)
	h.until("the size view", func() bool { _, ok := files.sizeArea.Objects[0].(*widget.Label); return !ok })
	files.tabs.SelectIndex(1)
	var sizeLayers *widget.List
	var find func(o fyne.CanvasObject)
	find = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.List:
			if sizeLayers == nil {
				sizeLayers = w
			}
		case *fyne.Container:
			for _, c := range w.Objects {
				find(c)
			}
		case *container.Split:
			find(w.Leading)
		}
	}
	find(files.sizeArea)
	cellsFit(t, "what makes it big's layer row", sizeLayers, 1)
	if v := newTextGrid(h.ui); v.grid.Scroll != fyne.ScrollBoth {
		t.Error("the line diff's grid does not scroll sideways")
	}
}
