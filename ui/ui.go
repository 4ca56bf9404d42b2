package ui

import (
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/settings"
)

// UI is the main window's content. Its widgets are fields so tests can
// drive them.
type UI struct {
	win fyne.Window
	// version and logDir are what About says.
	version, logDir string
	core            *app.App
	log             *slog.Logger
	started         time.Time
	do              func(func())
	quit            func()

	entries []settings.Entry
	status  map[string]Status
	// checkErr keeps why a registry's check failed, to show with its state.
	checkErr map[string]error
	// checks numbers each registry's checks: only the newest one's answer
	// is shown.
	checks  map[string]*latest
	current settings.Entry

	pages     []page
	queries   []string // the search text of each page
	searching bool     // the search text is being set, not typed
	body      *fyne.Container

	sidebar *widget.List
	// sidebarRows are the sidebar's rows as made, for a tag dropped on one.
	sidebarRows []*sidebarRow
	title       *widget.Label
	crumbs      []string // the breadcrumb's parts, one a page
	search      *searchEntry
	backButton  *tipButton
	loginButton *tipButton
	tips        *tipLayer
	login       *loginDialog
	registryDlg *registryDialog
	// cacheView is the settings' part on the cache; forgetButton the sign
	// out's offer to forget what is kept (while shown).
	cacheView    *cacheView
	forgetButton *escButton
	// settingsLook is the settings' choice of light, dark or the system's.
	settingsLook *escSelect
	// trustSettings is Settings › Trust.
	trustSettings *trustSettings
	catalog       *catalogPage
	firstShown    bool

	// offline: no registry off this computer answers; offlineNote says so.
	offline     bool
	offlineNote *widget.Label

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
	// Version is the version line About shows; LogDir, where the log is.
	Version, LogDir string
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
	u := &UI{win: win, core: core, log: opts.Logger, started: opts.Started, do: opts.Do, quit: opts.Quit, version: opts.Version, logDir: opts.LogDir,
		status: map[string]Status{}, checkErr: map[string]error{}, checks: map[string]*latest{}}

	fyne.CurrentApp().Settings().SetTheme(newAppTheme(core.Settings().Theme))
	core.SetKeptHandler(func(e settings.Entry, s image.FromKept) { u.do(func() { u.noteKept(e, s) }) })
	u.tips = newTipLayer()
	u.sidebar = widget.NewList(
		func() int { return len(u.entries) },
		func() fyne.CanvasObject {
			r := newSidebarRow(u.hoverTip())
			r.tapped = u.sidebarTapped
			u.sidebarRows = append(u.sidebarRows, r)
			return r
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			e := u.entries[id]
			r := o.(*sidebarRow)
			r.id = id
			r.set(e, u.statusOf(e), u.core.RateLimit(e.ID), u.offline, e.ID == u.current.ID)
		})
	u.sidebar.OnSelected = func(id widget.ListItemID) {
		if u.entries[id].ID != u.current.ID || len(u.pages) == 0 {
			u.show(u.entries[id])
			u.sidebar.Refresh() // the selected row's colours
		}
	}

	u.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	u.title.Truncation = fyne.TextTruncateEllipsis
	u.search = newSearchEntry(u)
	u.backButton = u.iconButton(theme.NavigateBackIcon(), "Back (Alt+←)", func() { u.back() })
	u.loginButton = u.iconButton(theme.AccountIcon(), "Sign in to this registry (Ctrl+L)", u.showLogin)
	open := u.iconButton(theme.FolderOpenIcon(), "Open a repository by name (Ctrl+O)", u.showOpenByName)
	gear := u.iconButton(theme.SettingsIcon(), "Settings (Ctrl+,)", u.showSettings)
	help := u.iconButton(theme.HelpIcon(), "Keyboard shortcuts (F1)", u.showHelp)
	header := container.NewBorder(nil, nil, u.backButton, container.NewHBox(open, u.loginButton, gear, help),
		container.New(&titleAndSearch{fitTitle: u.fitTitle}, u.title, u.search))

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

// show lists entry e's repositories.
func (u *UI) show(e settings.Entry) {
	u.current = e
	u.core.Select(e.ID)
	if e.IsDemo() {
		u.loginButton.Disable()
	} else {
		u.loginButton.Enable()
	}
	u.catalog = newCatalogPage(u, e)
	u.resetPages(u.catalog)
}
