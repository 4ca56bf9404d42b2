package ui

import (
	"context"
	"errors"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
)

// sidebarRow shows a registry's name and state; a state cut short shows
// whole when the pointer rests on the row. A tap on the registry shown goes
// back to its grid.
type sidebarRow struct {
	widget.BaseWidget
	// id is the row's place in the list; tapped is told it.
	id     int
	tapped func(id int)
	icon   *widget.Icon
	name   *widget.Label
	state  *widget.RichText
	// stateText is the state's whole line.
	stateText string
	// dropTarget outlines the row while a tag dragged over it would be
	// copied to its registry.
	dropTarget *canvas.Rectangle
	hoverTip
}

func newSidebarRow(tips hoverTip) *sidebarRow {
	r := &sidebarRow{
		icon:     widget.NewIcon(theme.StorageIcon()),
		name:     widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		state:    widget.NewRichText(),
		hoverTip: tips,
	}
	r.dropTarget = canvas.NewRectangle(theme.Color(theme.ColorNameHover))
	r.dropTarget.StrokeColor, r.dropTarget.StrokeWidth = theme.Color(theme.ColorNamePrimary), 2
	r.dropTarget.CornerRadius = theme.InputRadiusSize()
	r.dropTarget.Hide()
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.state.Truncation = fyne.TextTruncateEllipsis
	r.ExtendBaseWidget(r)
	return r
}

// set shows entry e in state s; selected says whether it is the row
// shown, whose background is the selection's.
func (r *sidebarRow) set(e settings.Entry, s Status, rateLimit string, offline, selected bool) {
	if offline && !e.IsLocal() && s.State == Unreachable {
		s.State, s.Detail = Offline, "offline" // said once, calmly, above the list
	}
	r.name.SetText(e.Name)
	text := e.Address + " · " + s.Detail
	if e.IsDemo() {
		text = "built in · " + s.Detail
	}
	switch {
	case s.User != "":
		text += " · " + printable.Line(kinds.LoginName(s.User)+" ("+s.LoginSource+")")
	case s.LoginSource != "":
		text += " · anonymous: " + printable.Line(s.LoginSource)
	case !e.IsDemo() && s.State != Checking && s.State != Unreachable && s.State != Offline:
		text += " · anonymous"
	}
	if rateLimit != "" {
		text += " · " + rateLimit
	}
	r.icon.SetResource(stateIcon(s.State))
	style := inline(stateColor(s.State, selected), theme.SizeNameCaptionText, false)
	style.Inline = false
	r.stateText = text
	r.state.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: text, Style: style}}
	r.state.Refresh()
}

func (r *sidebarRow) MouseIn(*desktop.MouseEvent) {
	r.in(r, func() string {
		if textCut(r.stateText, r.state, theme.SizeNameCaptionText, fyne.TextStyle{}) {
			return r.stateText
		}
		return ""
	})
}
func (r *sidebarRow) MouseMoved(*desktop.MouseEvent) {}
func (r *sidebarRow) MouseOut()                      { r.out(r) }

func (r *sidebarRow) Tapped(*fyne.PointEvent) {
	if r.tapped != nil {
		r.tapped(r.id)
	}
}

// sidebarTapped shows the registry tapped, or, when it is the one shown,
// its grid again (where it was left), from wherever the pages had gone.
func (u *UI) sidebarTapped(id int) {
	if id < len(u.entries) && u.entries[id].ID == u.current.ID && len(u.pages) > 0 {
		u.backTo(1)
		return
	}
	u.sidebar.Select(id)
}

func stateIcon(s State) fyne.Resource {
	switch s {
	case Ready:
		return theme.StorageIcon()
	case NeedsLogin, Rejected:
		return theme.AccountIcon()
	case Unreachable:
		return theme.NewWarningThemedResource(theme.ErrorIcon())
	case Offline:
		return theme.NewDisabledResource(theme.StorageIcon())
	case Broken:
		return theme.NewErrorThemedResource(theme.ErrorIcon())
	}
	return theme.ViewRefreshIcon()
}

// stateColor is the colour of a state's words: on the selected row, one
// made readable on the selection.
func stateColor(s State, selected bool) fyne.ThemeColorName {
	switch {
	case s == Unreachable && selected:
		return colorWarningOnSelection
	case s == Unreachable:
		return theme.ColorNameWarning
	case (s == Broken || s == Rejected) && selected:
		return colorErrorOnSelection
	case s == Broken || s == Rejected:
		return theme.ColorNameError
	case selected:
		return colorSecondaryOnSelection
	}
	return theme.ColorNamePlaceHolder
}

func (r *sidebarRow) CreateRenderer() fyne.WidgetRenderer {
	text := container.New(nameAndState{}, r.name, r.state)
	return widget.NewSimpleRenderer(container.NewStack(r.dropTarget, container.NewBorder(nil, nil, r.icon, nil, text)))
}

// showDropTarget outlines the row (on) or not.
func (r *sidebarRow) showDropTarget(on bool) {
	if on == r.dropTarget.Visible() {
		return
	}
	if on {
		r.dropTarget.FillColor, r.dropTarget.StrokeColor = theme.Color(theme.ColorNameHover), theme.Color(theme.ColorNamePrimary)
		r.dropTarget.Show()
	} else {
		r.dropTarget.Hide()
	}
}

// nameAndState lays a sidebar row's name over its state, the state's line
// overlapping the padding the two share, as the rows were before the state
// could be cut.
type nameAndState struct{}

func (nameAndState) MinSize(objs []fyne.CanvasObject) fyne.Size {
	name, state := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(max(name.Width, state.Width), name.Height+state.Height-2*theme.InnerPadding())
}

func (nameAndState) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	nameHeight := objs[0].MinSize().Height
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, nameHeight))
	objs[1].Move(fyne.NewPos(0, nameHeight-2*theme.InnerPadding()))
	objs[1].Resize(fyne.NewSize(size.Width, objs[1].MinSize().Height))
}

// reloadEntries re-reads the sidebar, checks every registry in the
// background, and shows the last selected one.
func (u *UI) reloadEntries() {
	u.entries = u.core.Entries()
	u.sidebar.Refresh()
	for _, e := range u.entries {
		if _, ok := u.status[e.ID]; !ok {
			u.check(e)
		}
	}
	last := u.core.Settings().LastSelected
	i := slices.IndexFunc(u.entries, func(e settings.Entry) bool { return e.ID == last })
	if i < 0 && len(u.entries) > 0 {
		i = 0
	}
	if i >= 0 {
		u.sidebar.Select(i)
	}
}

// check asks whether a registry is there and shows the answer in its row.
func (u *UI) check(e settings.Entry) {
	u.setStatus(e.ID, Status{State: Checking, Detail: "checking…"})
	if u.checks[e.ID] == nil {
		u.checks[e.ID] = &latest{}
	}
	ctx := u.checks[e.ID].start(context.Background()) // a newer check replaces this one
	u.core.Check(ctx, e, func(l app.Login, err error) {
		s := entryStatus(e, err)
		s.User, s.LoginSource = l.User, l.Source
		if err != nil {
			u.log.Info("registry check", "registry", e.Name, "status", s.Detail, "error", err.Error())
		}
		u.do(func() {
			if !wanted(ctx) {
				return
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
func (u *UI) noteFailure(e settings.Entry, err error) {
	switch {
	case errors.Is(err, context.Canceled):
		return
	case errors.Is(err, registry.ErrUnreachable), errors.Is(err, registry.ErrStalled),
		errors.Is(err, registry.ErrLoginService), errors.Is(err, registry.ErrPlainHTTP):
		u.checkErr[e.ID] = err
		u.setStatus(e.ID, mergeStatus(u.statusOf(e), statusOf(err)))
		u.updateOffline()
	}
}

// copyNote ends a registry's state while pages show what was kept.
const copyNote = " · showing this computer's copy"

// noteKept: a page was answered from this computer's copy because the
// registry could not be asked; its row says so.
func (u *UI) noteKept(e settings.Entry, s image.FromKept) {
	if s.Err != nil {
		u.noteFailure(e, s.Err)
	}
	st := u.statusOf(e)
	if !strings.HasSuffix(st.Detail, copyNote) {
		st.Detail += copyNote
		u.setStatus(e.ID, st)
	}
}

// keptLine says that what a page shows is this computer's copy, and why:
// "as of 3 hours ago · not reachable: this computer's copy".
func keptLine(s image.FromKept) string {
	text := "as of " + ago(s.AsOf)
	if s.Err != nil {
		text += " · " + statusOf(s.Err).Detail
	}
	return text + ": this computer's copy"
}

// keptLabel says on a page that it shows this computer's copy.
func keptLabel(s image.FromKept) *widget.Label {
	l := widget.NewLabel(capitalized(keptLine(s)))
	l.Importance = widget.WarningImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

// capitalized is s with its first letter a capital.
func capitalized(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// noteAnswer lets the sidebar follow a page's answer: the registry's own
// mends a state of "not reachable"; this computer's copy, given for want
// of the registry, does not (noteKept has said so already).
func (u *UI) noteAnswer(e settings.Entry, kept *image.FromKept) {
	if kept == nil {
		u.noteSuccess(e)
	}
}

// noteSuccess: the registry answered a page; a state of "not reachable"
// no longer holds.
func (u *UI) noteSuccess(e settings.Entry) {
	switch u.statusOf(e).State {
	case Unreachable, Offline:
		delete(u.checkErr, e.ID)
		u.setStatus(e.ID, mergeStatus(u.statusOf(e), statusOf(nil)))
		u.updateOffline()
	}
}

// updateOffline says "offline" once, above the sidebar, when no registry
// off this computer can be reached; each of their rows then says it
// faintly instead of warning.
func (u *UI) updateOffline() {
	offline := isOffline(u.entries, u.checkErr)
	if offline == u.offline {
		return
	}
	u.offline = offline
	u.offlineNote.Hidden = !offline
	u.offlineNote.Refresh()
	u.sidebar.Refresh()
}

func (u *UI) statusOf(e settings.Entry) Status {
	if s, ok := u.status[e.ID]; ok {
		return s
	}
	return Status{State: Checking, Detail: "checking…"}
}

// setStatus records a registry's state and redraws its row only.
func (u *UI) setStatus(id string, s Status) {
	u.status[id] = s
	u.refreshRow(id)
}

func (u *UI) refreshRow(id string) {
	for i, e := range u.entries {
		if e.ID == id {
			u.sidebar.RefreshItem(i)
		}
	}
}

// sidebarPane is the registry list with its toolbar.
func (u *UI) sidebarPane() fyne.CanvasObject {
	add := u.iconButton(theme.ContentAddIcon(), "Add a registry (Ctrl+N)", u.showAddRegistry)
	edit := u.iconButton(theme.DocumentCreateIcon(), "Edit the registry (Ctrl+E)", u.showEditRegistry)
	remove := u.iconButton(theme.DeleteIcon(), "Remove the registry from the sidebar (Ctrl+Delete)", u.confirmRemove)
	up := u.iconButton(theme.MoveUpIcon(), "Move up (Ctrl+Shift+↑)", func() { u.moveEntry(-1) })
	down := u.iconButton(theme.MoveDownIcon(), "Move down (Ctrl+Shift+↓)", func() { u.moveEntry(1) })
	u.offlineNote = widget.NewLabel("Offline. The demo registry, registries on this computer and what you have seen before still open.")
	u.offlineNote.Wrapping = fyne.TextWrapWord
	u.offlineNote.Importance = widget.LowImportance
	u.offlineNote.Hide()
	return container.NewBorder(u.offlineNote, container.NewHBox(add, edit, remove, up, down), nil, nil, u.sidebar)
}
