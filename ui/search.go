package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// searchEntry is the header's search box. Typing filters the page; the
// arrows, Enter, Esc and Backspace drive the page while it has the focus.
type searchEntry struct {
	widget.Entry
	u *UI
}

func newSearchEntry(u *UI) *searchEntry {
	e := &searchEntry{u: u}
	e.ExtendBaseWidget(e)
	e.SetPlaceHolder("Search")
	e.OnChanged = func(text string) {
		if u.searching || u.top() == nil {
			return
		}
		u.queries[len(u.pages)-1] = text
		u.top().Search(text)
	}
	e.OnSubmitted = func(string) {
		if p := u.top(); p != nil {
			p.Open()
		}
	}
	return e
}

func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	p := e.u.top()
	switch {
	case k.Name == fyne.KeyF1:
		e.u.showHelp()
		return
	case p == nil:
	case k.Name == fyne.KeyDown:
		p.Move(1, true)
		return
	case k.Name == fyne.KeyUp:
		p.Move(-1, true)
		return
	case k.Name == fyne.KeyRight && e.Text == "":
		p.Move(1, false)
		return
	case k.Name == fyne.KeyLeft && e.Text == "":
		p.Move(-1, false)
		return
	case k.Name == fyne.KeyEscape:
		if e.Text != "" {
			e.SetText("")
		} else {
			e.u.back()
		}
		return
	case k.Name == fyne.KeyBackspace && e.Text == "":
		e.u.back()
		return
	}
	e.Entry.TypedKey(k)
}

// TypedShortcut hands the window's own shortcuts (Alt+←, Ctrl+O, ...) to the
// window; the entry keeps copy, paste and the rest.
func (e *searchEntry) TypedShortcut(s fyne.Shortcut) {
	if _, ok := s.(*desktop.CustomShortcut); ok {
		for _, sc := range shortcuts(e.u) {
			if sc.key != nil && sc.key.ShortcutName() == s.ShortcutName() {
				sc.action()
				return
			}
		}
	}
	e.Entry.TypedShortcut(s)
}
