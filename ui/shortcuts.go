package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/settings"
)

// addShortcuts gives every action a key; showHelp lists them.
func (u *UI) addShortcuts() {
	for _, s := range shortcuts(u) {
		if s.key == nil {
			continue
		}
		action := s.action
		if s.key.ShortcutName() == ctrl(fyne.KeyQ).ShortcutName() {
			u.win.Canvas().AddShortcut(s.key, func(fyne.Shortcut) { action() }) // quitting works always
			continue
		}
		u.win.Canvas().AddShortcut(s.key, func(fyne.Shortcut) { u.unlessInDialog(action) })
	}
	for i, k := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8} {
		u.win.Canvas().AddShortcut(ctrl(k), func(fyne.Shortcut) { u.unlessInDialog(func() { u.selectTab(i) }) })
	}
	// Typing anywhere searches.
	u.win.Canvas().SetOnTypedRune(u.typeIntoSearch)
	// Keys that reach the window itself (pages without a search box).
	u.win.Canvas().SetOnTypedKey(u.windowKey)
}

// typeIntoSearch takes a letter typed where no field has the focus: it
// goes into the search box.
func (u *UI) typeIntoSearch(r rune) {
	if u.search.Disabled() { // also while a dialog is open
		return
	}
	u.win.Canvas().Focus(u.search)
	u.search.TypedRune(r)
}

// windowKey drives the page with the keys that reach the window, or a
// widget that hands them on.
func (u *UI) windowKey(e *fyne.KeyEvent) {
	if u.modalKey(e.Name) {
		return
	}
	p := u.top()
	switch {
	case e.Name == fyne.KeyEscape || e.Name == fyne.KeyBackspace:
		u.back()
	case e.Name == fyne.KeyF1:
		u.showHelp()
	case p == nil:
	case e.Name == fyne.KeyDown:
		p.Move(1, true)
	case e.Name == fyne.KeyUp:
		p.Move(-1, true)
	case e.Name == fyne.KeyReturn || e.Name == fyne.KeyEnter:
		p.Open()
	}
}

// windowShortcut runs a shortcut as the window would, for a focused
// widget that has none of its own by that name.
func (u *UI) windowShortcut(s fyne.Shortcut) {
	if c, ok := u.win.Canvas().(fyne.Shortcutable); ok {
		c.TypedShortcut(s)
	}
}

// unlessInDialog runs a window shortcut's action, except while a dialog
// owns the keyboard.
func (u *UI) unlessInDialog(action func()) {
	if !u.inDialog() {
		action()
	}
}

type shortcut struct {
	key        fyne.Shortcut
	keys, what string
	action     func()
}

func ctrl(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
}

func shortcuts(u *UI) []shortcut {
	return []shortcut{
		{nil, "Type", "search the cards, the tags or the files", nil},
		{nil, "↑ ↓ ← →", "move between cards and rows; ← → close and open a folder", nil},
		{nil, "Enter", "open the card, row or folder; read the file", nil},
		{nil, "Esc", "clear the search; again: go back", nil},
		{nil, "Backspace", "go back (when the search is empty)", nil},
		{&desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierAlt}, "Alt+←", "go back", func() { u.back() }},
		{ctrl(fyne.KeyF), "Ctrl+F", "search", func() { u.win.Canvas().Focus(u.search) }},
		{ctrl(fyne.KeyO), "Ctrl+O", "open a repository by name", u.showOpenByName},
		{ctrl(fyne.KeyR), "Ctrl+R", "reload", func() { u.check(u.current); u.show(u.current) }},
		{ctrl(fyne.KeyN), "Ctrl+N", "add a registry", u.showAddRegistry},
		{ctrl(fyne.KeyE), "Ctrl+E", "edit the registry", u.showEditRegistry},
		{ctrl(fyne.KeyL), "Ctrl+L", "sign in to the registry", u.showLogin},
		{ctrl(fyne.KeyP), "Ctrl+P", "pin or unpin the repository", u.togglePin},
		{ctrl(fyne.KeyComma), "Ctrl+,", "settings", u.showSettings},
		{ctrl(fyne.KeyI), "Ctrl+I", "about Card Catalog: version, where settings and the log live", u.showAbout},
		{ctrl(fyne.KeyPeriod), "Ctrl+.", "stop loading the catalog", func() {
			if u.catalog != nil && u.catalog.loading {
				u.catalog.cancel()
			}
		}},
		{ctrl(fyne.KeyT), "Ctrl+T", "change the order of the tags", func() {
			if p, ok := u.top().(*repositoryPage); ok {
				opts := p.order.Options
				i := slices.Index(opts, p.order.Selected)
				p.order.SetSelected(opts[(i+1)%len(opts)])
			}
		}},
		{&desktop.CustomShortcut{KeyName: fyne.KeyC, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}, "Ctrl+Shift+C",
			"compare two tags, or the tag with another", u.compare},
		{ctrl(fyne.KeyB), "Ctrl+B", "browse the image's files (tag view)", func() { u.onDetail((*detailPage).browseFiles) }},
		{ctrl(fyne.KeyS), "Ctrl+S", "save the selected file", u.saveShown},
		{ctrl(fyne.KeyG), "Ctrl+G", "go to a symlink's target", func() {
			if p, ok := u.top().(*filesPage); ok && !p.follow.Disabled() {
				p.goToTarget(p.selected)
			}
		}},
		{ctrl(fyne.KeyD), "Ctrl+D", "copy the digest (tag view)", func() { u.onDetail((*detailPage).copyDigest) }},
		{&desktop.CustomShortcut{KeyName: fyne.KeyD, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}, "Ctrl+Shift+D", "copy the docker pull command (tag view)", func() { u.onDetail((*detailPage).copyPull) }},
		{nil, "Ctrl+1 … Ctrl+8", "switch the tag view's tabs", nil},
		{ctrl(fyne.KeyDelete), "Ctrl+Delete", "remove the registry from the sidebar", u.confirmRemove},
		{&desktop.CustomShortcut{KeyName: fyne.KeyUp, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}, "Ctrl+Shift+↑", "move the registry up", func() { u.moveEntry(-1) }},
		{&desktop.CustomShortcut{KeyName: fyne.KeyDown, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}, "Ctrl+Shift+↓", "move the registry down", func() { u.moveEntry(1) }},
		{&desktop.CustomShortcut{KeyName: fyne.KeyUp, Modifier: fyne.KeyModifierAlt}, "Alt+↑", "previous registry", func() { u.selectEntry(-1) }},
		{&desktop.CustomShortcut{KeyName: fyne.KeyDown, Modifier: fyne.KeyModifierAlt}, "Alt+↓", "next registry", func() { u.selectEntry(1) }},
		{ctrl(fyne.KeySlash), "F1 or Ctrl+/", "this help", u.showHelp},
		{ctrl(fyne.KeyQ), "Ctrl+Q", "quit (the window's size and place are kept)", func() { u.quit() }},
	}
}

// compare compares two tags of the repository shown, or the tag shown
// with another.
func (u *UI) compare() {
	switch p := u.top().(type) {
	case *repositoryPage:
		p.compareTags()
	case *detailPage:
		if p.inspection != nil {
			p.compareWith()
		}
	}
}

// saveShown saves the file selected in the files, or the one whose text
// is shown.
func (u *UI) saveShown() {
	switch p := u.top().(type) {
	case *filesPage:
		if !p.save.Disabled() {
			p.saveFile(p.selected, p.details.SetText)
		}
	case *textPage:
		p.files.saveFile(p.node.ID, p.say)
	}
}

// onDetail runs a tag page's action when a tag page is shown.
func (u *UI) onDetail(action func(*detailPage)) {
	if p, ok := u.top().(*detailPage); ok {
		action(p)
	}
}

// selectTab shows the tag view's n-th tab.
func (u *UI) selectTab(n int) {
	if p, ok := u.top().(*detailPage); ok && p.tabs != nil && n < len(p.tabs.Items) {
		p.tabs.SelectIndex(n)
	}
}

// selectEntry moves the sidebar selection.
func (u *UI) selectEntry(delta int) {
	i := slices.IndexFunc(u.entries, func(e settings.Entry) bool { return e.ID == u.current.ID })
	if j := i + delta; j >= 0 && j < len(u.entries) {
		u.sidebar.Select(j)
	}
}

// showHelp lists the keyboard shortcuts.
// They are set in two columns, and scroll in a window too small for them.
func (u *UI) showHelp() {
	all := shortcuts(u)
	columns := container.NewGridWithColumns(2)
	for _, half := range [][]shortcut{all[:(len(all)+1)/2], all[(len(all)+1)/2:]} {
		rows := container.New(layout.NewFormLayout())
		for _, s := range half {
			rows.Add(widget.NewLabelWithStyle(s.keys, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
			rows.Add(widget.NewLabel(s.what))
		}
		columns.Add(container.NewVBox(rows))
	}
	scroll := container.NewScroll(columns)
	room := u.win.Canvas().Size().Subtract(fyne.NewSize(80, 160))
	want := columns.MinSize()
	scroll.SetMinSize(fyne.NewSize(min(want.Width, room.Width), min(want.Height, room.Height)))
	var help dialog.Dialog
	closeHelp := u.dialogButton("Close", nil, widget.HighImportance, func() { help.Hide() })
	about := u.dialogButton("About…", theme.InfoIcon(), widget.MediumImportance, func() { help.Hide(); u.showAbout() })
	help = u.showDialog("Keyboard shortcuts", scroll, func() { help.Hide() }, about, closeHelp)
}
