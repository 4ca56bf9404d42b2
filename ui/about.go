package ui

import (
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// showAbout says which Card Catalog this is and where it keeps things,
// with a button to the log folder for a bug report.
func (u *UI) showAbout() {
	text := widget.NewLabel(u.aboutText())
	text.Wrapping = fyne.TextWrapWord
	var d dialog.Dialog
	openLogs := u.dialogButton("Open log folder", theme.FolderOpenIcon(), widget.MediumImportance, func() {
		if u.logDir != "" {
			fyne.CurrentApp().OpenURL(&url.URL{Scheme: "file", Path: u.logDir})
		}
	})
	if u.logDir == "" {
		openLogs.Disable()
	}
	closeAbout := u.dialogButton("Close", nil, widget.HighImportance, func() { d.Hide() })
	d = u.showDialog("About Card Catalog", text, func() { d.Hide() }, openLogs, closeAbout)
	d.Resize(fyne.NewSize(560, 320))
}

// aboutText is what About says.
func (u *UI) aboutText() string {
	version := u.version
	if version == "" {
		version = "card-catalog (version unknown)"
	}
	settings := "Fyne's preferences of " + fyne.CurrentApp().UniqueID()
	if root := fyne.CurrentApp().Storage().RootURI(); root != nil {
		settings = root.Path() + "/preferences.json"
	}
	logs := u.logDir
	if logs == "" {
		logs = "not kept (the folder could not be made)"
	}
	lines := []string{
		version,
		"Licence: Apache-2.0. https://github.com/card-catalog/card-catalog",
		"Settings (registries, pins, window): " + settings,
		"Logins: the OS keychain (Secret Service, macOS Keychain or Windows Credential Manager); Docker's and Podman's credential files are read, never written.",
		"Log (no secrets; for a bug report): " + logs,
	}
	return strings.Join(lines, "\n")
}
