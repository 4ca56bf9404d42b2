package ui

import (
	"slices"

	"fyne.io/fyne/v2/dialog"
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
		u.searchWasEnabled = !u.Search.Disabled()
		u.Search.Disable()
	}
	u.modals = append(u.modals, modal{d: d, onEnter: onEnter})
	d.SetOnClosed(func() { u.closedDialog(d) })
	d.Show()
}

func (u *UI) closedDialog(d dialog.Dialog) {
	u.modals = slices.DeleteFunc(u.modals, func(m modal) bool { return m.d == d })
	if len(u.modals) == 0 && u.searchWasEnabled {
		u.Search.Enable()
		if p := u.top(); p != nil && p.Searchable() {
			u.win.Canvas().Focus(u.Search)
		}
	}
}

// modalKey handles a key while a dialog is open; false when none is.
func (u *UI) modalKey(name string) bool {
	if len(u.modals) == 0 {
		return false
	}
	top := u.modals[len(u.modals)-1]
	switch name {
	case "Escape":
		top.d.Hide()
	case "Return", "Enter":
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
	d := dialog.NewInformation(title, message, u.win)
	u.openDialog(d, d.Hide)
}
