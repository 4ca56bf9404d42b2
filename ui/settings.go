package ui

import (
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app"
)

// showSettings opens the settings dialog.
func (u *UI) showSettings() {
	demo := u.dialogCheck("Show the built-in demo registry", nil)
	demo.SetChecked(u.core.Settings().ShowDemo)
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
	d = u.showDialog("Settings", demo, save,
		u.dialogButton("Cancel", theme.CancelIcon(), widget.MediumImportance, func() { d.Hide() }),
		u.dialogButton("Save", theme.ConfirmIcon(), widget.HighImportance, save))
}
