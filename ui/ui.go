package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app"
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

	entries []app.Entry
	status  map[string]app.Status
	// checkErr keeps why a registry's check failed, to show with its state.
	checkErr map[string]error
	current  app.Entry
	cancel   context.CancelFunc

	// names is the current registry's repositories, sorted; shown is what
	// the search leaves of them, best match first.
	names      []string
	shown      []string
	firstShown bool

	Search   *widget.Entry
	Sidebar  *widget.List
	Grid     *widget.GridWrap
	Title    *widget.Label
	Summary  *widget.Label
	Progress *widget.ProgressBarInfinite
	Message  *widget.Label
	Detail   *widget.Label
	Retry    *widget.Button
	message  *fyne.Container

	LoginButton *widget.Button
	login       *loginDialog
}

// DefaultWindowSize is the first window size.
var DefaultWindowSize = fyne.NewSize(1100, 720)

// Options for Create.
type Options struct {
	// Logger gets timing and error lines. Default: none.
	Logger *slog.Logger
	// Started is when the process started, for the first-card timing.
	Started time.Time
	// Do runs a function on the UI goroutine. Default: fyne.Do. Tests pass
	// their own to run results on the test goroutine.
	Do func(func())
}

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
	u := &UI{win: win, core: core, log: opts.Logger, started: opts.Started, do: opts.Do, status: map[string]app.Status{}, checkErr: map[string]error{}}

	u.Sidebar = widget.NewList(
		func() int { return len(u.entries) },
		func() fyne.CanvasObject { return newSidebarRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			e := u.entries[id]
			o.(*sidebarRow).set(e, u.statusOf(e))
		})
	u.Sidebar.OnSelected = func(id widget.ListItemID) { u.show(u.entries[id]) }

	u.Grid = widget.NewGridWrap(
		func() int { return len(u.shown) },
		func() fyne.CanvasObject { return newRepoCard() },
		func(id widget.GridWrapItemID, o fyne.CanvasObject) { o.(*repoCard).set(u.shown[id]) })
	u.Search = widget.NewEntry()
	u.Search.SetPlaceHolder("Search repositories")
	u.Search.OnChanged = func(string) { u.applySearch() }

	u.Title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	u.Summary = widget.NewLabel("")
	u.Progress = widget.NewProgressBarInfinite()
	u.Progress.Hide()
	u.Message = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	u.Message.Wrapping = fyne.TextWrapWord
	u.Detail = widget.NewLabel("")
	u.Detail.Wrapping = fyne.TextWrapWord
	u.Detail.Alignment = fyne.TextAlignCenter
	u.Detail.Importance = widget.LowImportance
	u.Retry = widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), u.retry)
	// A VBox gives the wrapping labels the full width to wrap in.
	u.message = container.NewPadded(container.NewVBox(layout.NewSpacer(), u.Message, u.Detail,
		container.NewCenter(u.Retry), layout.NewSpacer()))
	u.message.Hide()

	settings := widget.NewButtonWithIcon("", theme.SettingsIcon(), u.showSettings)
	u.LoginButton = widget.NewButtonWithIcon("", theme.AccountIcon(), u.showLogin)
	header := container.NewBorder(nil, nil, container.NewHBox(u.Title, u.Summary), container.NewHBox(u.LoginButton, settings), u.Search)
	main := container.NewBorder(container.NewVBox(header, u.Progress), nil, nil, nil,
		container.NewStack(u.Grid, u.message))
	split := container.NewHSplit(u.Sidebar, main)
	split.Offset = 0.24
	win.SetContent(split)

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
	u.core.Check(context.Background(), e, func(s app.Status, err error) {
		if err != nil {
			u.log.Info("registry check", "registry", e.Name, "status", s.Detail, "error", err.Error())
		}
		u.do(func() {
			u.checkErr[e.ID] = err
			u.setStatus(e.ID, s)
		})
	})
}

// retry checks the current registry again and reloads it.
func (u *UI) retry() {
	u.check(u.current)
	u.show(u.current)
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
	for i, e := range u.entries {
		if e.ID == id {
			u.Sidebar.RefreshItem(i)
		}
	}
}

// show lists entry e's repositories, cancelling whatever was loading.
func (u *UI) show(e app.Entry) {
	if u.cancel != nil {
		u.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	u.cancel = cancel
	u.current = e
	u.core.Select(e.ID)
	if e.IsDemo() {
		u.LoginButton.Disable()
	} else {
		u.LoginButton.Enable()
	}
	u.names = nil
	u.Search.SetText("")
	u.applySearch()
	u.Title.SetText(e.Name)
	u.Summary.SetText("loading…")
	u.message.Hide()
	u.Progress.Show()
	u.Progress.Start()

	u.core.Catalog(ctx, e, func(page []string) {
		u.do(func() {
			if ctx.Err() != nil {
				return
			}
			u.addNames(page)
		})
	}, func(err error) {
		u.do(func() {
			if ctx.Err() != nil {
				return
			}
			u.catalogDone(e, err)
		})
	})
}

// applySearch filters the grid by the search text.
func (u *UI) applySearch() {
	u.shown = rank(u.Search.Text, u.names)
	u.Grid.Refresh()
	u.Grid.ScrollToTop()
}

// addNames merges a page into the sorted names and redraws the grid.
func (u *UI) addNames(page []string) {
	u.names = append(u.names, page...)
	slices.Sort(u.names)
	u.applySearch()
	u.Summary.SetText(fmt.Sprintf("%d repositories…", len(u.names)))
	if !u.firstShown {
		u.firstShown = true
		u.log.Info("first cards shown", "registry", u.current.Name, "ms_since_start", time.Since(u.started).Milliseconds())
	}
}

func (u *UI) catalogDone(e app.Entry, err error) {
	u.Progress.Stop()
	u.Progress.Hide()
	if err == nil {
		u.Summary.SetText(fmt.Sprintf("%d repositories", len(u.names)))
		u.setStatus(e.ID, app.Status{State: app.Ready, Detail: "ready"})
		if len(u.names) == 0 {
			u.showMessage(e.Name+" has no repositories yet.", "")
		}
		return
	}
	u.log.Info("catalog failed", "registry", e.Name, "error", err.Error())
	if errors.Is(err, registry.ErrNoCatalog) {
		// Decided without asking the network (Docker Hub), or a refusal: it
		// says nothing of whether the registry is there.
		u.Summary.SetText("no catalog")
		if checkErr := u.checkErr[e.ID]; u.statusOf(e).State == app.Unreachable && checkErr != nil {
			u.showMessage(explain(e, checkErr), checkErr.Error())
			return
		}
		u.showMessage(e.Name+" does not list its repositories.", err.Error())
		return
	}
	status := app.StatusOf(err)
	u.setStatus(e.ID, status)
	u.Summary.SetText(status.Detail)
	u.showMessage(explain(e, err), err.Error())
}

func (u *UI) showMessage(lead, detail string) {
	u.Message.SetText(lead)
	u.Detail.SetText(detail)
	u.message.Show()
}

// explain says what went wrong in words a non-expert understands.
func explain(e app.Entry, err error) string {
	switch {
	case errors.Is(err, registry.ErrUnreachable):
		return e.Name + " is not reachable. Check the address and your network connection."
	case errors.Is(err, registry.ErrLoginRejected):
		return e.Name + " rejected the login."
	case errors.Is(err, registry.ErrAuthRequired):
		return e.Name + " lists its repositories only to signed-in users."
	case errors.Is(err, registry.ErrDenied):
		return "You do not have permission to list the repositories of " + e.Name + "."
	case errors.Is(err, registry.ErrRateLimited):
		return e.Name + " is limiting requests. Wait a little and retry."
	}
	return e.Name + " answered in a way Card Catalog could not use."
}

// showSettings opens the settings dialog.
func (u *UI) showSettings() {
	demo := widget.NewCheck("Show the built-in demo registry", nil)
	demo.SetChecked(u.core.Settings().ShowDemo)
	form := dialog.NewForm("Settings", "Save", "Cancel", []*widget.FormItem{
		widget.NewFormItem("", demo),
	}, func(ok bool) {
		if !ok || demo.Checked == u.core.Settings().ShowDemo {
			return
		}
		if err := u.core.SetShowDemo(demo.Checked); err != nil {
			dialog.ShowError(err, u.win)
			return
		}
		delete(u.status, app.DemoID)
		u.Sidebar.UnselectAll()
		u.reloadEntries()
	}, u.win)
	form.Show()
}
