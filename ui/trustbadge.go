package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/registry"
)

// badgeLook is what a badge shows for a result: "signed" (green) where
// the policy passed it, "not trusted" (red) where a signature is there
// but not one the policy takes, "unsigned" (grey); nothing where no rule
// of the policy applies (nil) or it is not known yet.
func badgeLook(r *trust.Result) (text string, colour fyne.ThemeColorName, shown bool) {
	switch {
	case r == nil || r.Badge.State == trust.BadgeNone:
		return "", "", false
	case r.Badge.State == trust.BadgePass:
		return "signed", theme.ColorNameSuccess, true
	case r.Report.Outcome() == trust.OutcomeUnsigned:
		return "unsigned", theme.ColorNameDisabled, true
	default:
		return "not trusted", theme.ColorNameError, true
	}
}

// trustBadge is a small coloured pill with one word in it.
type trustBadge struct {
	box  *fyne.Container
	bg   *canvas.Rectangle
	text *canvas.Text
	// reason is the policy's words, for a tip.
	reason string
}

func newTrustBadge() *trustBadge {
	b := &trustBadge{bg: canvas.NewRectangle(theme.Color(theme.ColorNameDisabled)), text: canvas.NewText("", theme.Color(theme.ColorNameBackground))}
	b.bg.CornerRadius = 6
	b.text.TextSize = theme.Size(theme.SizeNameCaptionText)
	b.text.TextStyle.Bold = true
	pad := theme.Padding()
	b.box = container.NewCenter(container.NewStack(b.bg, container.New(&insetLayout{pad + 2, pad / 2}, b.text)))
	b.box.Hide()
	return b
}

// set shows r's badge, or hides it.
func (b *trustBadge) set(r *trust.Result) {
	text, colour, shown := badgeLook(r)
	if !shown {
		b.box.Hide()
		b.reason = ""
		return
	}
	b.reason = printable.Line(r.Badge.Reason) // a signer's identity is the registry's text
	fg := theme.ColorNameBackground
	if colour == theme.ColorNameDisabled {
		fg = theme.ColorNameForeground
		colour = theme.ColorNameInputBorder
	}
	if b.text.Text != text || b.bg.FillColor != theme.Color(colour) {
		b.text.Text, b.text.Color, b.bg.FillColor = text, theme.Color(fg), theme.Color(colour)
		b.text.Refresh()
		b.bg.Refresh()
	}
	b.box.Show()
}

// insetLayout puts its one object inside a margin of x and y.
type insetLayout struct{ x, y float32 }

func (l *insetLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return objs[0].MinSize().AddWidthHeight(2*l.x, 2*l.y)
}

func (l *insetLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Move(fyne.NewPos(l.x, l.y))
	objs[0].Resize(size.SubtractWidthHeight(2*l.x, 2*l.y))
}

// badges loads the badges of the items a page shows, once each, after
// what the items show themselves (the pool runs them in the background),
// and only where a rule of the policy applies: a registry without one
// asks nothing more of its registry.
type badges struct {
	u      *UI
	entry  settings.Entry
	reg    registry.Registry
	ctx    context.Context
	cancel context.CancelFunc
	// results are the badges asked for, by the key of the lazy item they
	// go with: nil until known.
	results map[string]*trust.Result
	// items are the page's lazy items, whose cells a result refreshes.
	items *lazy
}

func newBadges(u *UI, e settings.Entry, items *lazy) *badges {
	ctx, cancel := context.WithCancel(context.Background())
	reg, _ := e.Registry()
	return &badges{u: u, entry: e, reg: reg, ctx: ctx, cancel: cancel, results: map[string]*trust.Result{}, items: items}
}

// of is the badge of key, whose item's state is s and whose image is in
// repository (nil before the item's digest and then the badge are known),
// starting its load.
func (b *badges) of(key string, s *lazyState, repository string) *trust.Result {
	if !s.loaded || s.err != nil || s.summary.Digest == "" {
		return nil
	}
	if r, asked := b.results[key]; asked {
		return r
	}
	b.results[key] = nil
	ref := registry.Reference{Registry: b.reg, Repository: repository, Digest: s.summary.Digest}
	ctx := b.ctx
	b.u.core.TrustBadge(ctx, b.entry, ref, func(r *trust.Result, err error) {
		b.u.do(func() {
			if !wanted(ctx) {
				return
			}
			b.results[key] = r
			if err != nil {
				b.u.log.Debug("no trust badge", "ref", ref.String(), "err", err)
			}
			if r != nil {
				b.items.refreshKey(key)
			}
		})
	})
	return nil
}

// stop cancels the loads in flight.
func (b *badges) stop() { b.cancel() }

// reset forgets every badge: they are asked again as items show.
func (b *badges) reset() {
	b.cancel()
	b.ctx, b.cancel = context.WithCancel(context.Background())
	b.results = map[string]*trust.Result{}
}

// trustChanged asks the badges shown again, after the trust material or
// the policy changed.
func (u *UI) trustChanged() {
	for _, p := range u.pages {
		switch p := p.(type) {
		case *catalogPage:
			p.badges.reset()
			p.grid.Refresh()
		case *repositoryPage:
			p.badges.reset()
			p.list.Refresh()
		}
	}
}
