package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/printable"
)

// tipDelay is how long the pointer rests before a tip shows.
const tipDelay = 500 * time.Millisecond

// tipLayer draws one tooltip above the window's content. It holds no
// interactive object, so the pointer and taps pass through it to what lies
// below (a pop-up would take the hover away from the button and flicker).
type tipLayer struct {
	box  *fyne.Container
	bg   *canvas.Rectangle
	text *canvas.Text
	// shown is what the tip is for; a tip for another object is not hidden
	// by this one's leaving.
	shown fyne.CanvasObject
}

func newTipLayer() *tipLayer {
	t := &tipLayer{bg: canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground)), text: canvas.NewText("", theme.Color(theme.ColorNameForeground))}
	t.bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	t.bg.StrokeWidth = 1
	t.bg.CornerRadius = theme.InputRadiusSize()
	t.text.TextSize = theme.CaptionTextSize()
	t.box = container.NewWithoutLayout(t.bg, t.text)
	t.bg.Hide()
	t.text.Hide()
	return t
}

// show puts text under (or, near the bottom, over) anchor, inside the window.
func (t *tipLayer) show(anchor fyne.CanvasObject, text string) {
	c := fyne.CurrentApp().Driver().CanvasForObject(t.box)
	if c == nil {
		return
	}
	t.shown = anchor
	t.text.Text = printable.Line(text)
	t.text.Color = theme.Color(theme.ColorNameForeground)
	t.bg.FillColor = theme.Color(theme.ColorNameOverlayBackground)
	pad := theme.Padding()
	size := t.text.MinSize().Add(fyne.NewSize(2*pad, pad))
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(anchor)
	at := pos.Add(fyne.NewPos(0, anchor.Size().Height+2))
	room := c.Size()
	if at.Y+size.Height > room.Height {
		at.Y = pos.Y - size.Height - 2
	}
	at.X = max(0, min(at.X, room.Width-size.Width))
	t.bg.Move(at)
	t.bg.Resize(size)
	t.text.Move(at.Add(fyne.NewPos(pad, pad/2)))
	t.text.Resize(t.text.MinSize())
	t.bg.Show()
	t.text.Show()
	t.box.Refresh()
}

// hide takes away the tip shown for anchor.
func (t *tipLayer) hide(anchor fyne.CanvasObject) {
	if t.shown != anchor {
		return
	}
	t.shown = nil
	t.bg.Hide()
	t.text.Hide()
	t.box.Refresh()
}

// hoverTip shows a tip while the pointer rests on an object; objects embed
// it and call its methods from their own Mouse methods.
type hoverTip struct {
	layer *tipLayer
	do    func(func())
	timer *time.Timer
}

func (h *hoverTip) in(anchor fyne.CanvasObject, text func() string) {
	if h.layer == nil {
		return
	}
	h.stop()
	h.timer = time.AfterFunc(tipDelay, func() {
		h.do(func() {
			if s := text(); s != "" {
				h.layer.show(anchor, s)
			}
		})
	})
}

func (h *hoverTip) out(anchor fyne.CanvasObject) {
	if h.layer == nil {
		return
	}
	h.stop()
	h.layer.hide(anchor)
}

func (h *hoverTip) stop() {
	if h.timer != nil {
		h.timer.Stop()
	}
}

// tipButton is an icon-only button that names its action when the pointer
// rests on it.
type tipButton struct {
	widget.Button
	tip string
	hoverTip
}

// hoverTip is a hoverTip that draws on the window's tip layer.
func (u *UI) hoverTip() hoverTip { return hoverTip{layer: u.tips, do: u.do} }

// iconButton makes an icon-only button with a tooltip.
func (u *UI) iconButton(icon fyne.Resource, tip string, tapped func()) *tipButton {
	b := &tipButton{tip: tip, hoverTip: u.hoverTip()}
	b.Icon, b.OnTapped = icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *tipButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	b.in(b, func() string { return b.tip })
}

func (b *tipButton) MouseOut() {
	b.Button.MouseOut()
	b.out(b)
}

func (b *tipButton) Tapped(e *fyne.PointEvent) {
	b.out(b)
	b.Button.Tapped(e)
}
