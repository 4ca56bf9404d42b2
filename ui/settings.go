package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/printable"
)

// showSettings opens the settings dialog.
func (u *UI) showSettings() {
	demo := u.dialogCheck("Show the built-in demo registry", nil)
	demo.SetChecked(u.core.Settings().ShowDemo)
	ctx, cancel := context.WithCancel(context.Background())
	u.cacheView = u.newCacheView(ctx)
	var d dialog.Dialog
	save := func() {
		d.Hide()
		if demo.Checked == u.core.Settings().ShowDemo {
			return
		}
		if err := u.core.SetShowDemo(demo.Checked); err != nil {
			u.inform("Settings", err.Error())
			return
		}
		delete(u.status, app.DemoID)
		u.sidebar.UnselectAll()
		u.reloadEntries()
	}
	d = u.showDialog("Settings", container.NewVBox(demo, widget.NewSeparator(), u.cacheView.box), save,
		u.dialogButton("Cancel", theme.CancelIcon(), widget.MediumImportance, func() { d.Hide() }),
		u.dialogButton("Save", theme.ConfirmIcon(), widget.HighImportance, save))
	d.SetOnClosed(cancel)
}

// cacheView says how much this computer keeps and where, with a button
// that clears it; the count runs in the background.
type cacheView struct {
	usage *widget.Label
	clear *escButton
	box   fyne.CanvasObject
}

func (u *UI) newCacheView(ctx context.Context) *cacheView {
	usage := widget.NewLabel("Counting what this computer keeps…")
	usage.Wrapping = fyne.TextWrapWord
	var clear *escButton
	show := func(c app.CacheUsage, err error) {
		switch {
		case err != nil:
			usage.SetText("The copy on this computer cannot be read: " + printable.Line(err.Error()))
		case c.Dir == "":
			usage.SetText("Nothing is kept on this computer: there is no cache directory.")
			clear.Disable()
		default:
			text := fmt.Sprintf("This computer keeps %s of what registries sent (at most %s, the least used goes first), in %s.",
				humanSize(c.Size), humanSize(c.Limit), printable.Line(c.Dir))
			if c.WriteErr != nil {
				text += "\nIt could not keep more: " + printable.Line(c.WriteErr.Error())
			}
			usage.SetText(text)
		}
	}
	count := func() {
		u.core.CacheUsage(ctx, func(c app.CacheUsage, err error) { u.do(func() { show(c, err) }) })
	}
	clear = u.dialogButton("Clear", theme.DeleteIcon(), widget.MediumImportance, func() {
		clear.Disable()
		u.core.ClearCache(ctx, func(err error) {
			u.do(func() {
				clear.Enable()
				if err != nil {
					usage.SetText("Clearing failed: " + printable.Line(err.Error()))
					return
				}
				count()
			})
		})
	})
	count()
	note := widget.NewLabel("Each registry's own switch, \"Keep a copy on this computer\", is in its Edit dialog.")
	note.Importance = widget.LowImportance
	note.Wrapping = fyne.TextWrapWord
	return &cacheView{usage: usage, clear: clear, box: container.NewVBox(container.NewBorder(nil, nil, nil, clear, usage), note)}
}
