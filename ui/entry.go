package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// dialogEntry is an entry in a dialog: Esc closes the dialog, as people
// expect (a focused entry keeps every key from the window).
type dialogEntry struct {
	widget.Entry
	onEscape func()
}

func newDialogEntry(password bool, onEscape func()) *dialogEntry {
	e := &dialogEntry{onEscape: onEscape}
	e.Password = password
	e.ExtendBaseWidget(e)
	return e
}

func (e *dialogEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}
