package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/printable"
)

// sidebarRow shows a registry's name and state.
type sidebarRow struct {
	widget.BaseWidget
	icon  *widget.Icon
	name  *widget.Label
	state *canvas.Text
}

func newSidebarRow() *sidebarRow {
	r := &sidebarRow{
		icon:  widget.NewIcon(theme.StorageIcon()),
		name:  widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		state: canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder)),
	}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.state.TextSize = theme.CaptionTextSize()
	r.ExtendBaseWidget(r)
	return r
}

func (r *sidebarRow) set(e app.Entry, s app.Status, rateLimit string, offline bool) {
	if offline && !e.IsLocal() && s.State == app.Unreachable {
		s.State, s.Detail = app.Offline, "offline" // said once, calmly, above the list
	}
	r.name.SetText(e.Name)
	r.state.Text = e.Address + " · " + s.Detail
	if e.IsDemo() {
		r.state.Text = "built in · " + s.Detail
	}
	switch {
	case s.User != "":
		r.state.Text += " · " + printable.Line(s.User+" ("+s.LoginSource+")")
	case s.LoginSource != "":
		r.state.Text += " · anonymous: " + printable.Line(s.LoginSource)
	case !e.IsDemo() && s.State != app.Checking && s.State != app.Unreachable && s.State != app.Offline:
		r.state.Text += " · anonymous"
	}
	if rateLimit != "" {
		r.state.Text += " · " + rateLimit
	}
	r.icon.SetResource(stateIcon(s.State))
	r.state.Color = stateColor(s.State)
	r.state.Refresh()
}

func stateIcon(s app.State) fyne.Resource {
	switch s {
	case app.Ready:
		return theme.StorageIcon()
	case app.NeedsLogin, app.Rejected:
		return theme.AccountIcon()
	case app.Unreachable:
		return theme.NewWarningThemedResource(theme.ErrorIcon())
	case app.Offline:
		return theme.NewDisabledResource(theme.StorageIcon())
	case app.Broken:
		return theme.NewErrorThemedResource(theme.ErrorIcon())
	}
	return theme.ViewRefreshIcon()
}

func stateColor(s app.State) color.Color {
	switch s {
	case app.Unreachable:
		return theme.Color(theme.ColorNameWarning)
	case app.Broken, app.Rejected:
		return theme.Color(theme.ColorNameError)
	}
	return theme.Color(theme.ColorNamePlaceHolder)
}

func (r *sidebarRow) CreateRenderer() fyne.WidgetRenderer {
	text := container.NewVBox(r.name, r.state)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, r.icon, nil, text))
}
