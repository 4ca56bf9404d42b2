package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// columnList is a virtualised list of n rows of three labels.
// columnList is a list of rows of three columns; the row isCursor names
// (nil: none) has the keyboard cursor's background.
func columnList(n int, fill func(id int, cells [3]*widget.Label), isCursor func(id int) bool) *widget.List {
	return widget.NewList(func() int { return n },
		func() fyne.CanvasObject {
			bg := canvas.NewRectangle(color.Transparent)
			bg.CornerRadius = theme.InputRadiusSize()
			return container.NewStack(bg, container.New(layout.NewGridLayoutWithColumns(3), widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container).Objects
			markCursor(row[0].(*canvas.Rectangle), isCursor != nil && isCursor(id))
			objs := row[1].(*fyne.Container).Objects
			fill(id, [3]*widget.Label{objs[0].(*widget.Label), objs[1].(*widget.Label), objs[2].(*widget.Label)})
		})
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
