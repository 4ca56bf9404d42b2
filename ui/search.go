package ui

import (
	"strings"

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

// TypedRune types, except a space that would start the search: a search
// for " " finds nothing worth finding.
func (e *searchEntry) TypedRune(r rune) {
	if r == ' ' && strings.TrimSpace(e.Text) == "" {
		return
	}
	e.Entry.TypedRune(r)
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

// pageSelect is a drop-down on a page. While it has the focus, typing
// still searches and Esc still goes back, as anywhere on the page.
type pageSelect struct {
	widget.Select
	u *UI
}

func (u *UI) pageSelect(options []string, changed func(string)) *pageSelect {
	s := &pageSelect{u: u}
	s.Options, s.OnChanged = options, changed
	s.ExtendBaseWidget(s)
	return s
}

func (s *pageSelect) TypedRune(r rune) { s.u.typeIntoSearch(r) }

func (s *pageSelect) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape || k.Name == fyne.KeyBackspace {
		s.u.windowKey(k)
		return
	}
	s.Select.TypedKey(k)
}
