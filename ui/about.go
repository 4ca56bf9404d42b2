package ui

import (
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// showAbout says which Card Catalog this is and where it keeps things,
// with a button to the log folder for a bug report: it opens the folder
// in the file manager when there is one, and says where it is (and copies
// its path) either way.
func (u *UI) showAbout() {
	width := u.dialogWidth(560)
	text := widget.NewLabel(strings.Join(u.aboutLines(), "\n"))
	text.Wrapping = fyne.TextWrapWord
	where := widget.NewForm(
		widget.NewFormItem("Settings", pathLabel(u.settingsPath(), width-formLabelRoom)),
		widget.NewFormItem("Log", pathLabel(u.logPlace(), width-formLabelRoom)))
	opened := widget.NewLabel("")
	opened.Wrapping = fyne.TextWrapWord
	opened.Hide()
	var d dialog.Dialog
	openLogs := u.dialogButton("Open log folder", theme.FolderOpenIcon(), widget.MediumImportance, func() {
		fyne.CurrentApp().Clipboard().SetContent(u.logDir)
		opened.SetText(u.openedLogs(fyne.CurrentApp().OpenURL(&url.URL{Scheme: "file", Path: u.logDir})))
		opened.Show()
	})
	if u.logDir == "" {
		openLogs.Disable()
	}
	closeAbout := u.dialogButton("Close", nil, widget.HighImportance, func() { d.Hide() })
	d = u.showDialog("About Card Catalog", container.NewVBox(text, where, opened), func() { d.Hide() }, openLogs, closeAbout)
	d.Resize(fyne.NewSize(width, 0))
}

// openedLogs says what Open log folder did, given what opening it said.
func (u *UI) openedLogs(err error) string {
	if err != nil {
		return "No file manager could be started to open it. The log folder is " + u.logDir + " (its path is copied)."
	}
	return "Asked the file manager to open it. If none opens, the log folder is " + u.logDir + " (its path is copied)."
}

// aboutLines are what About says besides where things are.
func (u *UI) aboutLines() []string {
	version := u.version
	if version == "" {
		version = "card-catalog (version unknown)"
	}
	return []string{
		version,
		"Licence: Apache-2.0. https://github.com/card-catalog/card-catalog",
		"Logins: the OS keychain (Secret Service, macOS Keychain or Windows Credential Manager); Docker's and Podman's credential files are read, never written.",
		"The settings hold the registries, pins and the window; the log, no secrets, is for a bug report.",
	}
}

// aboutText is everything About says.
func (u *UI) aboutText() string {
	return strings.Join(append(u.aboutLines(), "Settings: "+u.settingsPath(), "Log: "+u.logPlace()), "\n")
}

func (u *UI) settingsPath() string {
	if root := fyne.CurrentApp().Storage().RootURI(); root != nil {
		return root.Path() + "/preferences.json"
	}
	return "Fyne's preferences of " + fyne.CurrentApp().UniqueID()
}

func (u *UI) logPlace() string {
	if u.logDir == "" {
		return "not kept (the folder could not be made)"
	}
	return u.logDir
}

// dialogWidth is want, or less in a window too narrow for it.
func (u *UI) dialogWidth(want float32) float32 {
	return min(want, u.win.Canvas().Size().Width-2*dialogMargin)
}

const (
	// dialogMargin is the room a dialog leaves at the window's sides.
	dialogMargin = 20
	// formLabelRoom is what a form's labels, a dialog's padding and the
	// value's own take of the dialog's width.
	formLabelRoom = 150
)

// pathLabel shows a path in lines no wider than width, broken after a /
// (never inside a name), so that it reads whole in a narrow dialog.
func pathLabel(path string, width float32) *widget.Label {
	l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	l.SetText(breakPath(path, width-2*theme.InnerPadding(), l.TextStyle))
	return l
}

// breakPath puts line breaks into path after a / where it is wider than
// width; a name wider than width alone keeps its line.
func breakPath(path string, width float32, style fyne.TextStyle) string {
	fits := func(s string) bool { return fyne.MeasureText(s, theme.TextSize(), style).Width <= width }
	var lines []string
	line := ""
	for _, part := range strings.SplitAfter(path, "/") {
		if line != "" && !fits(line+part) {
			lines = append(lines, line)
			line = ""
		}
		line += part
	}
	return strings.Join(append(lines, line), "\n")
}
