package ui

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/registry"
)

// UI is the main window's content. Its widgets are fields so tests can
// drive them.
type UI struct {
	win     fyne.Window
	core    *app.App
	log     *slog.Logger
	started time.Time
	do      func(func())
	quit    func()

	entries []app.Entry
	status  map[string]app.Status
	// checkErr keeps why a registry's check failed, to show with its state.
	checkErr map[string]error
	// checks numbers each registry's checks: only the newest one's answer
	// is shown.
	checks  map[string]int
	current app.Entry

	pages     []page
	queries   []string // the search text of each page
	searching bool     // the search text is being set, not typed
	body      *fyne.Container

	Sidebar     *widget.List
	Title       *widget.Label
	crumbs      []string // the breadcrumb's parts, one a page
	Search      *searchEntry
	BackButton  *tipButton
	LoginButton *tipButton
	tips        *tipLayer
	login       *loginDialog
	registryDlg *registryDialog
	catalog     *catalogPage
	firstShown  bool

	// offline: no registry off this computer answers; OfflineNote says so.
	offline     bool
	OfflineNote *widget.Label

	// modals are the dialogs open, newest last (modal.go).
	modals           []modal
	searchWasEnabled bool
}

// Options for Create.
type Options struct {
	// Logger gets timing and error lines. Default: none.
	Logger *slog.Logger
	// Started is when the process started, for the first-card timing.
	Started time.Time
	// Do runs a function on the UI goroutine. Default: fyne.Do. Tests pass
	// their own to run results on the test goroutine.
	Do func(func())
	// Quit keeps the window's geometry and closes it. Default: close.
	Quit func()
}

// DefaultWindowSize is the first window size.
var DefaultWindowSize = fyne.NewSize(1180, 760)

// Create builds the window's content and starts showing the last registry.
func Create(win fyne.Window, core *app.App, opts Options) *UI {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Started.IsZero() {
		opts.Started = time.Now()
	}
	if opts.Do == nil {
		opts.Do = fyne.Do
	}
	if opts.Quit == nil {
		opts.Quit = win.Close
	}
	u := &UI{win: win, core: core, log: opts.Logger, started: opts.Started, do: opts.Do, quit: opts.Quit,
		status: map[string]app.Status{}, checkErr: map[string]error{}, checks: map[string]int{}}

	fyne.CurrentApp().Settings().SetTheme(newAppTheme())
	u.tips = newTipLayer()
	u.Sidebar = widget.NewList(
		func() int { return len(u.entries) },
		func() fyne.CanvasObject { return newSidebarRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			e := u.entries[id]
			o.(*sidebarRow).set(e, u.statusOf(e), u.core.RateLimit(e.ID), u.offline)
		})
	u.Sidebar.OnSelected = func(id widget.ListItemID) {
		if u.entries[id].ID != u.current.ID || len(u.pages) == 0 {
			u.show(u.entries[id])
		}
	}

	u.Title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	u.Title.Truncation = fyne.TextTruncateEllipsis
	u.Search = newSearchEntry(u)
	u.BackButton = u.iconButton(theme.NavigateBackIcon(), "Back (Alt+←)", func() { u.back() })
	u.LoginButton = u.iconButton(theme.AccountIcon(), "Sign in to this registry (Ctrl+L)", u.showLogin)
	open := u.iconButton(theme.FolderOpenIcon(), "Open a repository by name (Ctrl+O)", u.showOpenByName)
	settings := u.iconButton(theme.SettingsIcon(), "Settings (Ctrl+,)", u.showSettings)
	help := u.iconButton(theme.HelpIcon(), "Keyboard shortcuts (F1)", u.showHelp)
	header := container.NewBorder(nil, nil, u.BackButton, container.NewHBox(open, u.LoginButton, settings, help),
		container.New(&titleAndSearch{fitTitle: u.fitTitle}, u.Title, u.Search))

	u.body = container.NewStack()
	main := container.NewBorder(header, nil, nil, nil, u.body)
	split := container.NewHSplit(u.sidebarPane(), main)
	split.Offset = 0.23
	win.SetContent(container.NewStack(split, u.tips.box))
	u.addShortcuts()
	fyne.CurrentApp().Settings().AddListener(func(fyne.Settings) { u.do(func() { split.Refresh() }) })

	u.reloadEntries()
	return u
}

// reloadEntries re-reads the sidebar, checks every registry in the
// background, and shows the last selected one.
func (u *UI) reloadEntries() {
	u.entries = u.core.Entries()
	u.Sidebar.Refresh()
	for _, e := range u.entries {
		if _, ok := u.status[e.ID]; !ok {
			u.check(e)
		}
	}
	last := u.core.Settings().LastSelected
	i := slices.IndexFunc(u.entries, func(e app.Entry) bool { return e.ID == last })
	if i < 0 && len(u.entries) > 0 {
		i = 0
	}
	if i >= 0 {
		u.Sidebar.Select(i)
	}
}

// check asks whether a registry is there and shows the answer in its row.
func (u *UI) check(e app.Entry) {
	u.setStatus(e.ID, app.Status{State: app.Checking, Detail: "checking…"})
	u.checks[e.ID]++
	n := u.checks[e.ID]
	u.core.Check(context.Background(), e, func(s app.Status, err error) {
		if err != nil {
			u.log.Info("registry check", "registry", e.Name, "status", s.Detail, "error", err.Error())
		}
		u.do(func() {
			if u.checks[e.ID] != n {
				return // a newer check is under way
			}
			u.checkErr[e.ID] = err
			u.setStatus(e.ID, s)
			u.updateOffline()
		})
	})
}

// noteFailure lets the sidebar follow what a page found: an error that
// speaks of the whole registry (it stopped answering, its login service
// failed, it speaks plain HTTP) becomes its state until the next answer.
func (u *UI) noteFailure(e app.Entry, err error) {
	switch {
	case errors.Is(err, context.Canceled):
		return
	case errors.Is(err, registry.ErrUnreachable), errors.Is(err, registry.ErrStalled),
		errors.Is(err, registry.ErrLoginService), errors.Is(err, registry.ErrPlainHTTP):
		u.checkErr[e.ID] = err
		u.setStatus(e.ID, mergeStatus(u.statusOf(e), app.StatusOf(err)))
		u.updateOffline()
	}
}

// noteSuccess: the registry answered a page; a state of "not reachable"
// no longer holds.
func (u *UI) noteSuccess(e app.Entry) {
	switch u.statusOf(e).State {
	case app.Unreachable, app.Offline:
		delete(u.checkErr, e.ID)
		u.setStatus(e.ID, mergeStatus(u.statusOf(e), app.StatusOf(nil)))
		u.updateOffline()
	}
}

// updateOffline says "offline" once, above the sidebar, when no registry
// off this computer can be reached; each of their rows then says it
// faintly instead of warning.
func (u *UI) updateOffline() {
	offline := app.IsOffline(u.entries, u.checkErr)
	if offline == u.offline {
		return
	}
	u.offline = offline
	u.OfflineNote.Hidden = !offline
	u.OfflineNote.Refresh()
	u.Sidebar.Refresh()
}

func (u *UI) statusOf(e app.Entry) app.Status {
	if s, ok := u.status[e.ID]; ok {
		return s
	}
	return app.Status{State: app.Checking, Detail: "checking…"}
}

// setStatus records a registry's state and redraws its row only.
func (u *UI) setStatus(id string, s app.Status) {
	u.status[id] = s
	u.refreshRow(id)
}

func (u *UI) refreshRow(id string) {
	for i, e := range u.entries {
		if e.ID == id {
			u.Sidebar.RefreshItem(i)
		}
	}
}

// show lists entry e's repositories.
func (u *UI) show(e app.Entry) {
	u.current = e
	u.core.Select(e.ID)
	if e.IsDemo() {
		u.LoginButton.Disable()
	} else {
		u.LoginButton.Enable()
	}
	u.catalog = newCatalogPage(u, e)
	u.resetPages(u.catalog)
}

// explain says what went wrong with entry e in words a non-expert
// understands; with the network down, it says that, calmly.
func (u *UI) explain(e app.Entry, err error) string {
	if u.offline && !e.IsLocal() && errors.Is(err, registry.ErrUnreachable) {
		return "This computer is offline: " + e.Name + " shows again when the network is back. The demo registry and registries on this computer still work."
	}
	return app.Explain(e.Name, err)
}

// messageView shows an error where it happened, with the detail apart and
// a retry.
type messageView struct {
	box    *fyne.Container
	Lead   *widget.Label
	Detail *widget.Label
	Retry  *widget.Button
	// Action is what would mend it (Sign in, Use plain HTTP), when known.
	Action *widget.Button
}

func newMessageView(retry func()) *messageView {
	m := &messageView{
		Lead:   widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		Detail: widget.NewLabel(""),
		Retry:  widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), retry),
		Action: widget.NewButton("", nil),
	}
	m.Action.Importance = widget.HighImportance
	m.Action.Hide()
	m.Lead.Wrapping = fyne.TextWrapWord
	m.Detail.Wrapping = fyne.TextWrapWord
	m.Detail.Alignment = fyne.TextAlignCenter
	m.Detail.Importance = widget.LowImportance
	// A VBox gives the wrapping labels the full width to wrap in.
	m.box = container.NewPadded(container.NewVBox(layout.NewSpacer(), m.Lead, m.Detail, container.NewCenter(container.NewHBox(m.Action, m.Retry)), layout.NewSpacer()))
	m.box.Hide()
	return m
}

// show puts up a message; lead and detail may hold a registry's words, and
// are shown escaped.
func (m *messageView) show(lead, detail string, retry bool) {
	m.Lead.SetText(printable.Line(lead))
	m.Detail.SetText(printable.Line(detail))
	m.Retry.Hidden = !retry
	m.Action.Hide()
	m.box.Show()
	m.box.Refresh()
}

// offer shows, beside Retry, the action that would mend the problem.
func (m *messageView) offer(label string, action func()) {
	m.Action.SetText(label)
	m.Action.OnTapped = action
	m.Action.Show()
}

// offerFix offers what would mend err on entry e: a sign-in for a login
// problem, plain HTTP for a registry that speaks it.
func (u *UI) offerFix(m *messageView, e app.Entry, err error) {
	switch {
	case e.IsDemo():
	case errors.Is(err, registry.ErrPlainHTTP):
		m.offer("Use plain HTTP", func() { u.switchToPlainHTTP(e) })
	case errors.Is(err, registry.ErrAuthRequired), errors.Is(err, registry.ErrLoginRejected):
		m.offer("Sign in", u.showLogin)
	}
}

// switchToPlainHTTP turns on Plain HTTP for e and shows it again.
func (u *UI) switchToPlainHTTP(e app.Entry) {
	fixed := e
	fixed.PlainHTTP = true
	if err := u.core.UpdateEntry(e.ID, fixed); err != nil {
		u.inform("Plain HTTP", err.Error())
		return
	}
	delete(u.status, e.ID)
	delete(u.checkErr, e.ID)
	u.core.Select(e.ID)
	u.Sidebar.UnselectAll()
	u.current = app.Entry{}
	u.reloadEntries()
}

func (m *messageView) hide() { m.box.Hide() }

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
		u.Sidebar.UnselectAll()
		u.reloadEntries()
	}
	d = u.showDialog("Settings", demo, save,
		u.dialogButton("Cancel", theme.CancelIcon(), widget.MediumImportance, func() { d.Hide() }),
		u.dialogButton("Save", theme.ConfirmIcon(), widget.HighImportance, save))
}

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
	u.win.Canvas().SetOnTypedRune(func(r rune) {
		if u.Search.Disabled() { // also while a dialog is open
			return
		}
		u.win.Canvas().Focus(u.Search)
		u.Search.TypedRune(r)
	})
	// Keys that reach the window itself (pages without a search box).
	u.win.Canvas().SetOnTypedKey(func(e *fyne.KeyEvent) {
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
	})
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
		{nil, "Type", "search the repositories, or a repository's tags", nil},
		{nil, "↑ ↓ ← →", "move between cards and rows", nil},
		{nil, "Enter", "open the card or row", nil},
		{nil, "Esc", "clear the search; again: go back", nil},
		{nil, "Backspace", "go back (when the search is empty)", nil},
		{&desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierAlt}, "Alt+←", "go back", func() { u.back() }},
		{ctrl(fyne.KeyF), "Ctrl+F", "search", func() { u.win.Canvas().Focus(u.Search) }},
		{ctrl(fyne.KeyO), "Ctrl+O", "open a repository by name", u.showOpenByName},
		{ctrl(fyne.KeyR), "Ctrl+R", "reload", func() { u.check(u.current); u.show(u.current) }},
		{ctrl(fyne.KeyN), "Ctrl+N", "add a registry", u.showAddRegistry},
		{ctrl(fyne.KeyE), "Ctrl+E", "edit the registry", u.showEditRegistry},
		{ctrl(fyne.KeyL), "Ctrl+L", "sign in to the registry", u.showLogin},
		{ctrl(fyne.KeyP), "Ctrl+P", "pin or unpin the repository", u.togglePin},
		{ctrl(fyne.KeyComma), "Ctrl+,", "settings", u.showSettings},
		{ctrl(fyne.KeyPeriod), "Ctrl+.", "stop loading the catalog", func() {
			if u.catalog != nil && u.catalog.loading {
				u.catalog.cancel()
			}
		}},
		{ctrl(fyne.KeyT), "Ctrl+T", "change the order of the tags", func() {
			if p, ok := u.top().(*repositoryPage); ok {
				opts := p.Order.Options
				i := slices.Index(opts, p.Order.Selected)
				p.Order.SetSelected(opts[(i+1)%len(opts)])
			}
		}},
		{ctrl(fyne.KeyD), "Ctrl+D", "copy the digest (tag view)", func() { u.copyFromDetail(0) }},
		{&desktop.CustomShortcut{KeyName: fyne.KeyD, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}, "Ctrl+Shift+D", "copy the docker pull command (tag view)", func() { u.copyFromDetail(2) }},
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

// copyFromDetail presses the tag view's n-th copy button.
func (u *UI) copyFromDetail(n int) {
	if p, ok := u.top().(*detailPage); ok && p.copies != nil && n < len(p.copies.Objects) {
		p.copies.Objects[n].(*widget.Button).OnTapped()
	}
}

// selectTab shows the tag view's n-th tab.
func (u *UI) selectTab(n int) {
	if p, ok := u.top().(*detailPage); ok && p.Tabs != nil && n < len(p.Tabs.Items) {
		p.Tabs.SelectIndex(n)
	}
}

// selectEntry moves the sidebar selection.
func (u *UI) selectEntry(delta int) {
	i := slices.IndexFunc(u.entries, func(e app.Entry) bool { return e.ID == u.current.ID })
	if j := i + delta; j >= 0 && j < len(u.entries) {
		u.Sidebar.Select(j)
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
	help = u.showDialog("Keyboard shortcuts", scroll, func() { help.Hide() }, closeHelp)
}
