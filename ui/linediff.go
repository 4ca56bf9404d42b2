package ui

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/compare"
	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/imagefs"
	"github.com/card-catalog/card-catalog/app/printable"
)

// maxDiffEdits caps a line diff: past it, the files are compared by size
// and digest only.
const maxDiffEdits = 5000

// lineDiffPage shows a changed text file's lines, old against new.
type lineDiffPage struct {
	cmp    *comparePage
	change compare.FileChange
	pageBase
	facts *widget.Label
	lines []compare.Line
	view  *textGrid
	body  fyne.CanvasObject
}

func newLineDiffPage(cmp *comparePage, c compare.FileChange) *lineDiffPage {
	p := &lineDiffPage{cmp: cmp, change: c}
	p.pageBase = newPageBase(cmp.ctx)
	p.facts = widget.NewLabel("Reading both versions of " + printable.Line(c.Path) + "…")
	p.facts.Wrapping = fyne.TextWrapWord
	p.view = newTextGrid(cmp.u)
	p.body = container.NewBorder(p.facts, nil, nil, nil, p.view)
	p.load()
	return p
}

func (p *lineDiffPage) Title() string              { return imagefs.SafeName(p.change.Path) }
func (p *lineDiffPage) Content() fyne.CanvasObject { return p.body }

// version is one side's text, or why there is none.
type version struct {
	buf  *image.CappedBuffer
	text image.Text
	err  error
	read bool
}

func (p *lineDiffPage) load() {
	c, d := p.change, p.cmp.diff
	var got [2]version
	pending := 0
	finish := func() {
		if pending == 0 {
			p.show(got)
		}
	}
	for i, s := range []image.DiffSide{d.A, d.B} {
		entry := [2]*imagefs.Entry{c.Old, c.New}[i]
		if entry == nil {
			continue // absent, or the shared layers' (not read)
		}
		pending++
		buf := &image.CappedBuffer{Cap: textCap}
		ctx := p.ctx
		p.cmp.u.core.SideContent(ctx, p.cmp.a.entry, s, c.Path, buf, func(_ imagefs.Node, err error) {
			t := image.DecodeText(buf.Bytes(), buf.Cut())
			p.cmp.u.do(func() {
				if !wanted(ctx) {
					return
				}
				got[i] = version{buf: buf, text: t, err: err, read: true}
				pending--
				finish()
			})
		})
	}
	finish()
}

func (p *lineDiffPage) show(v [2]version) {
	c := p.change
	var sides [2][]string
	var notes []string
	for i, s := range v {
		name := [2]string{"old", "new"}[i]
		switch {
		case !s.read:
			notes = append(notes, fmt.Sprintf("no %s version", name))
		case s.err != nil:
			p.facts.SetText("Could not read the " + name + " version: " + printable.Line(s.err.Error()))
			return
		case s.text.Binary:
			p.facts.SetText(printable.Line(c.Path) + ": binary, compared by size and digest only: " + strings.Join(c.What, ", "))
			return
		case s.buf.Cut():
			p.facts.SetText(fmt.Sprintf("%s: %s, more than the %s a line diff reads; compared by size and digest: %s",
				printable.Line(c.Path), humanSize(s.buf.Total), binarySize(textCap), strings.Join(c.What, ", ")))
			return
		default:
			sides[i] = textLines(s.text.Text)
		}
	}
	lines, err := compare.Lines(sides[0], sides[1], maxDiffEdits)
	if err != nil {
		p.facts.SetText(printable.Line(c.Path) + ": " + err.Error() + "; compared by size and digest: " + strings.Join(c.What, ", "))
		return
	}
	added, removed := 0, 0
	for _, l := range lines {
		switch l.Op {
		case compare.Added:
			added++
		case compare.Removed:
			removed++
		}
	}
	facts := fmt.Sprintf("%s · %s, %d removed", printable.Line(c.Path), pluralOf(added, "line added", "lines added"), removed)
	if len(notes) > 0 {
		facts += " · " + strings.Join(notes, "; ")
	}
	p.facts.SetText(facts)
	p.lines = lines
	shown := make([]string, len(lines))
	for i, l := range lines {
		shown[i] = string(l.Op) + " " + shownLine(l.Text)
	}
	p.view.setLines(shown)
	p.view.setRowColours(func(row int) (fg, bg color.Color) {
		switch lines[row].Op {
		case compare.Added:
			return nil, withAlpha(theme.Color(theme.ColorNameSuccess), 0x40)
		case compare.Removed:
			return nil, withAlpha(theme.Color(theme.ColorNameError), 0x40)
		}
		return nil, nil
	})
}

// withAlpha is c made see-through to alpha (of 255).
func withAlpha(c color.Color, alpha uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: alpha}
}
