package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/printable"
)

// modal is a dialog the window shows. While any is open it owns the
// keyboard: Esc cancels it, Enter takes its default action, and no key
// reaches the pages, the search box or the window's shortcuts.
type modal struct {
	d dialog.Dialog
	// onEnter is the default action; nil: Enter does nothing.
	onEnter func()
}

// openDialog shows d as a modal; onEnter is its default action.
func (u *UI) openDialog(d dialog.Dialog, onEnter func()) {
	if len(u.modals) == 0 {
		// A disabled search box cannot take the focus, nor the keys typed
		// into a dialog (Tab from a dialog's last button went there).
		u.searchWasEnabled = !u.search.Disabled()
		u.search.Disable()
	}
	u.tips.hide(u.tips.shown) // a tip does not float over a dialog
	u.modals = append(u.modals, modal{d: d, onEnter: onEnter})
	d.SetOnClosed(func() { u.closedDialog(d) })
	d.Show()
}

func (u *UI) closedDialog(d dialog.Dialog) {
	u.modals = slices.DeleteFunc(u.modals, func(m modal) bool { return m.d == d })
	if len(u.modals) == 0 && u.searchWasEnabled {
		u.search.Enable()
		if p := u.top(); p != nil && p.Searchable() {
			u.win.Canvas().Focus(u.search)
		}
	}
}

// modalKey handles a key while a dialog is open; false when none is.
func (u *UI) modalKey(name fyne.KeyName) bool {
	if len(u.modals) == 0 {
		return false
	}
	top := u.modals[len(u.modals)-1]
	switch name {
	case fyne.KeyEscape:
		top.d.Hide()
	case fyne.KeyReturn, fyne.KeyEnter:
		if top.onEnter != nil {
			top.onEnter()
		}
	}
	return true
}

// inDialog reports whether a dialog owns the keyboard.
func (u *UI) inDialog() bool { return len(u.modals) > 0 }

// inform shows a message with an OK button, as a modal.
func (u *UI) inform(title, message string) {
	text := widget.NewLabel(printable.Text(message))
	text.Wrapping = fyne.TextWrapWord
	var d dialog.Dialog
	ok := u.dialogButton("OK", nil, widget.HighImportance, func() { d.Hide() })
	d = u.showDialog(title, text, func() { d.Hide() }, ok)
	d.Resize(fyne.NewSize(420, 0))
}

// A focused widget gets every key, so a dialog's own buttons, checks and
// entries hand Esc to the dialog themselves: Esc then closes it wherever the
// focus is.

// escapes closes the top dialog when k is Esc, and says whether it did.
func (u *UI) escapes(k *fyne.KeyEvent) bool { return k.Name == fyne.KeyEscape && u.modalKey(k.Name) }

// escButton is a button in a dialog.
type escButton struct {
	widget.Button
	u *UI
}

// dialogButton makes a button for a dialog; importance is its look
// (HighImportance for the default action).
func (u *UI) dialogButton(label string, icon fyne.Resource, importance widget.Importance, tapped func()) *escButton {
	b := &escButton{u: u}
	b.Text, b.Icon, b.Importance, b.OnTapped = label, icon, importance, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *escButton) TypedKey(k *fyne.KeyEvent) {
	if !b.u.escapes(k) {
		b.Button.TypedKey(k)
	}
}

// escCheck is a check box in a dialog.
type escCheck struct {
	widget.Check
	u *UI
}

func (u *UI) dialogCheck(label string, changed func(bool)) *escCheck {
	c := &escCheck{u: u}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

func (c *escCheck) TypedKey(k *fyne.KeyEvent) {
	if !c.u.escapes(k) {
		c.Check.TypedKey(k)
	}
}

// escSelect is a drop-down list in a dialog.
type escSelect struct {
	widget.Select
	u *UI
}

func (u *UI) dialogSelect(options []string, changed func(string)) *escSelect {
	s := &escSelect{u: u}
	s.Options, s.OnChanged = options, changed
	s.ExtendBaseWidget(s)
	return s
}

func (s *escSelect) TypedKey(k *fyne.KeyEvent) {
	if !s.u.escapes(k) {
		s.Select.TypedKey(k)
	}
}

// dialogEntry is an entry in a dialog.
type dialogEntry struct {
	widget.Entry
	u *UI
}

func (u *UI) dialogEntry(password bool) *dialogEntry {
	e := &dialogEntry{u: u}
	e.Password = password
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey hands Esc to the dialog, and Enter too when the entry has no
// submit of its own: it takes the dialog's default action.
func (e *dialogEntry) TypedKey(k *fyne.KeyEvent) {
	switch {
	case e.u.escapes(k):
	case (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && e.OnSubmitted == nil && !e.MultiLine:
		e.u.modalKey(k.Name)
	default:
		e.Entry.TypedKey(k)
	}
}

// fill sets an entry's text with the cursor after it, where typing goes
// on (SetText leaves the cursor where it was: at the front).
func fill(e *widget.Entry, text string) {
	e.SetText(text)
	e.CursorRow, e.CursorColumn = 0, len([]rune(text))
	e.Refresh()
}

// showDialog shows content with buttons under it, right-aligned, as a
// modal; onEnter is its default action.
func (u *UI) showDialog(title string, content fyne.CanvasObject, onEnter func(), buttons ...fyne.CanvasObject) dialog.Dialog {
	row := container.NewHBox(layout.NewSpacer())
	row.Objects = append(row.Objects, buttons...)
	d := dialog.NewCustomWithoutButtons(title, container.NewVBox(content, row), u.win)
	u.openDialog(d, onEnter)
	return d
}
