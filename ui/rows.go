package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// columnList is a virtualised list of n rows of three columns; the row
// isCursor names (nil: none) has the keyboard cursor's background. A cell
// too narrow for its text is cut with an ellipsis, and the row shows what
// was cut whole when the pointer rests on it.
func (u *UI) columnList(n int, fill func(id int, cells [3]*widget.Label), isCursor func(id int) bool) *widget.List {
	return widget.NewList(func() int { return n },
		func() fyne.CanvasObject { return u.newColumnRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			r := o.(*columnRow)
			markCursor(r.bg, isCursor != nil && isCursor(id))
			fill(id, r.cells)
		})
}

// columnRow is a row of three cells of columnList.
type columnRow struct {
	widget.BaseWidget
	bg    *canvas.Rectangle
	cells [3]*widget.Label
	hoverTip
}

func (u *UI) newColumnRow() *columnRow {
	r := &columnRow{bg: canvas.NewRectangle(color.Transparent), hoverTip: u.hoverTip()}
	r.bg.CornerRadius = theme.InputRadiusSize()
	for i := range r.cells {
		r.cells[i] = widget.NewLabel("")
		r.cells[i].Truncation = fyne.TextTruncateEllipsis
	}
	r.ExtendBaseWidget(r)
	return r
}

func (r *columnRow) CreateRenderer() fyne.WidgetRenderer {
	cells := container.New(layout.NewGridLayoutWithColumns(3), r.cells[0], r.cells[1], r.cells[2])
	return widget.NewSimpleRenderer(container.NewStack(r.bg, cells))
}

func (r *columnRow) MouseIn(*desktop.MouseEvent) {
	r.in(r, func() string { return cutTexts(r.cells[:]...) })
}
func (r *columnRow) MouseMoved(*desktop.MouseEvent) {}
func (r *columnRow) MouseOut()                      { r.out(r) }

// cutTexts are the whole texts of the labels that had to cut theirs,
// one a line; "" when every one shows whole.
func cutTexts(labels ...*widget.Label) string {
	var cut []string
	for _, l := range labels {
		if l.Visible() && labelCut(l) {
			cut = append(cut, l.Text)
		}
	}
	return strings.Join(cut, "\n")
}

// labelCut reports whether a label is too narrow for its text.
func labelCut(l *widget.Label) bool {
	size := theme.Size(theme.SizeNameText)
	if l.SizeName != "" {
		size = theme.Size(l.SizeName)
	}
	return fyne.MeasureText(l.Text, size, l.TextStyle).Width > l.Size().Width-2*theme.InnerPadding()
}

// markCursor gives the keyboard cursor's row the selection background.
func markCursor(bg *canvas.Rectangle, on bool) {
	want := color.Color(color.Transparent)
	if on {
		want = theme.Color(theme.ColorNameSelection)
	}
	if bg.FillColor != want {
		bg.FillColor = want
		bg.Refresh()
	}
}

// keyedList is a columnList the arrows move through and Enter opens: a
// tab's rows are reached without tabbing through its buttons.
type keyedList struct {
	list   *widget.List
	cursor cursor
	n      int
	open   func(id int)
}

// keyedList makes a columnList of n rows whose row id open opens, by the
// pointer or by Enter on the keyboard's cursor. shown draws the cursor
// from the start (an index's platforms, which is what it is for).
func (u *UI) keyedList(n int, shown bool, fill func(id int, cells [3]*widget.Label), open func(id int)) *keyedList {
	k := &keyedList{cursor: cursor{shown: shown}, n: n, open: open}
	k.list = u.columnList(n, fill, k.cursor.onFunc())
	k.list.OnSelected = func(id widget.ListItemID) {
		k.list.UnselectAll()
		k.cursor.at = id
		open(id)
	}
	return k
}

func (k *keyedList) move(delta int) {
	if k.n == 0 {
		return
	}
	k.list.RefreshItem(k.cursor.move(delta, k.n))
	k.list.RefreshItem(k.cursor.at)
	k.list.ScrollTo(k.cursor.at)
}

// openCursor opens the row under the cursor.
func (k *keyedList) openCursor() {
	if k.cursor.at < k.n {
		k.open(k.cursor.at)
	}
}
