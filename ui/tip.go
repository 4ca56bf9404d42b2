package ui

import (
	"strings"
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
// A tip wider than the window wraps.
type tipLayer struct {
	box   *fyne.Container
	bg    *canvas.Rectangle
	lines []*canvas.Text
	// shown is what the tip is for; a tip for another object is not hidden
	// by this one's leaving.
	shown fyne.CanvasObject
}

func newTipLayer() *tipLayer {
	t := &tipLayer{bg: canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))}
	t.bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	t.bg.StrokeWidth = 1
	t.bg.CornerRadius = theme.InputRadiusSize()
	t.box = container.NewWithoutLayout(t.bg)
	t.bg.Hide()
	return t
}

// text is the tip shown, its lines joined by newlines; "" when none is.
func (t *tipLayer) text() string {
	if t.shown == nil {
		return ""
	}
	var lines []string
	for _, l := range t.lines {
		if l.Visible() {
			lines = append(lines, l.Text)
		}
	}
	return strings.Join(lines, "\n")
}

// show puts text under (or, near the bottom, over) anchor, inside the
// window, wrapped to its width.
func (t *tipLayer) show(anchor fyne.CanvasObject, text string) {
	c := fyne.CurrentApp().Driver().CanvasForObject(t.box)
	if c == nil {
		return
	}
	t.shown = anchor
	pad := theme.Padding()
	room := c.Size()
	size := theme.CaptionTextSize()
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		lines = append(lines, wrapToWidth(printable.Line(l), room.Width-4*pad, size)...)
	}
	for len(t.lines) < len(lines) {
		l := canvas.NewText("", theme.Color(theme.ColorNameForeground))
		l.TextSize = size
		t.lines = append(t.lines, l)
		t.box.Add(l)
	}
	var width, height float32
	for i, l := range t.lines {
		if i >= len(lines) {
			l.Hide()
			continue
		}
		l.Text, l.Color = lines[i], theme.Color(theme.ColorNameForeground)
		width = max(width, l.MinSize().Width)
		height += l.MinSize().Height
	}
	t.bg.FillColor = theme.Color(theme.ColorNameOverlayBackground)
	box := fyne.NewSize(width+2*pad, height+pad)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(anchor)
	at := pos.Add(fyne.NewPos(0, anchor.Size().Height+2))
	if at.Y+box.Height > room.Height {
		at.Y = max(0, pos.Y-box.Height-2)
	}
	at.X = max(0, min(at.X, room.Width-box.Width))
	t.bg.Move(at)
	t.bg.Resize(box)
	y := at.Y + pad/2
	for _, l := range t.lines[:len(lines)] {
		l.Move(fyne.NewPos(at.X+pad, y))
		l.Resize(l.MinSize())
		l.Show()
		y += l.MinSize().Height
	}
	t.bg.Show()
	t.box.Refresh()
}

// wrapToWidth breaks s into lines no wider than width in text of size,
// between words where it can, inside a word too long for a line.
func wrapToWidth(s string, width, size float32) []string {
	fits := func(line string) bool { return fyne.MeasureText(line, size, fyne.TextStyle{}).Width <= width }
	var lines []string
	line := ""
	for _, word := range strings.SplitAfter(s, " ") {
		switch {
		case fits(line + word):
			line += word
		case line != "" && fits(word):
			lines = append(lines, strings.TrimRight(line, " "))
			line = word
		default:
			for _, r := range word {
				if !fits(line+string(r)) && line != "" {
					lines = append(lines, line)
					line = ""
				}
				line += string(r)
			}
		}
	}
	return append(lines, strings.TrimRight(line, " "))
}

// hide takes away the tip shown for anchor.
func (t *tipLayer) hide(anchor fyne.CanvasObject) {
	if t.shown != anchor {
		return
	}
	t.shown = nil
	t.bg.Hide()
	for _, l := range t.lines {
		l.Hide()
	}
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
