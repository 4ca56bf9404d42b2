package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
)

// explain says what went wrong with entry e in words a non-expert
// understands; with the network down, it says that, calmly.
func (u *UI) explain(e settings.Entry, err error) string {
	if u.offline && !e.IsLocal() && errors.Is(err, registry.ErrUnreachable) {
		return "This computer is offline: " + e.Name + " shows again when the network is back. The demo registry and registries on this computer still work."
	}
	return explainEntry(e, err)
}

// messageView shows an error where it happened, with the detail apart and
// a retry.
type messageView struct {
	box    *fyne.Container
	lead   *widget.Label
	detail *widget.Label
	retry  *widget.Button
	// action is what would mend it (Sign in, Use plain HTTP), when known.
	action *widget.Button
}

func newMessageView(retry func()) *messageView {
	m := &messageView{
		lead:   widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		detail: widget.NewLabel(""),
		retry:  widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), retry),
		action: widget.NewButton("", nil),
	}
	m.action.Importance = widget.HighImportance
	m.action.Hide()
	m.lead.Wrapping = fyne.TextWrapWord
	m.detail.Wrapping = fyne.TextWrapWord
	m.detail.Alignment = fyne.TextAlignCenter
	m.detail.Importance = widget.LowImportance
	// A VBox gives the wrapping labels the full width to wrap in.
	m.box = container.NewPadded(container.NewVBox(layout.NewSpacer(), m.lead, m.detail, container.NewCenter(container.NewHBox(m.action, m.retry)), layout.NewSpacer()))
	m.box.Hide()
	return m
}

// show puts up a message; lead and detail may hold a registry's words, and
// are shown escaped.
func (m *messageView) show(lead, detail string, retry bool) {
	m.lead.SetText(printable.Line(lead))
	m.detail.SetText(printable.Line(detail))
	m.retry.Hidden = !retry
	m.action.Hide()
	m.box.Show()
	m.box.Refresh()
}

// offer shows, beside Retry, the action that would mend the problem.
func (m *messageView) offer(label string, action func()) {
	m.action.SetText(label)
	m.action.OnTapped = action
	m.action.Show()
}

// offerFix offers what would mend err on entry e: a sign-in for a login
// problem, plain HTTP for a registry that speaks it.
func (u *UI) offerFix(m *messageView, e settings.Entry, err error) {
	switch {
	case e.IsDemo():
	case errors.Is(err, registry.ErrPlainHTTP):
		m.offer("Use plain HTTP", func() { u.switchToPlainHTTP(e) })
	case errors.Is(err, registry.ErrAuthRequired), errors.Is(err, registry.ErrLoginRejected):
		m.offer("Sign in", u.showLogin)
	}
}

// switchToPlainHTTP turns on Plain HTTP for e and shows it again.
func (u *UI) switchToPlainHTTP(e settings.Entry) {
	fixed := e
	fixed.PlainHTTP = true
	if err := u.core.UpdateEntry(e.ID, fixed); err != nil {
		u.inform("Plain HTTP", err.Error())
		return
	}
	delete(u.status, e.ID)
	delete(u.checkErr, e.ID)
	u.core.Select(e.ID)
	u.sidebar.UnselectAll()
	u.current = settings.Entry{}
	u.reloadEntries()
}

func (m *messageView) hide() { m.box.Hide() }
