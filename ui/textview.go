package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/imagefs"
	"github.com/card-catalog/card-catalog/app/printable"
)

// textCap is how much of a file the window shows as text.
const textCap = 1 << 20

// textPage shows one file of an image as text (its first MiB), with its
// encoding guessed; any file can be saved from it.
type textPage struct {
	files   *filesPage
	node    imagefs.Node
	ctx     context.Context
	cancel  context.CancelFunc
	lines   []string
	list    *widget.List
	facts   *widget.Label
	message *messageView
	body    *fyne.Container
}

func newTextPage(files *filesPage, n imagefs.Node) *textPage {
	p := &textPage{files: files, node: n}
	p.ctx, p.cancel = context.WithCancel(files.ctx)
	p.facts = widget.NewLabel("Reading " + printable.Line(n.Path) + "…")
	p.facts.Wrapping = fyne.TextWrapWord
	p.list = widget.NewList(func() int { return len(p.lines) },
		func() fyne.CanvasObject {
			l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(p.lines[id]) })
	save := widget.NewButtonWithIcon("Save…", theme.DocumentSaveIcon(), func() { files.saveFile(n.ID) })
	p.message = newMessageView(p.load)
	top := container.NewBorder(nil, nil, nil, save, p.facts)
	p.body = container.NewStack(container.NewBorder(top, nil, nil, nil, p.list), p.message.box)
	p.load()
	return p
}

func (p *textPage) Title() string              { return imagefs.SafeName(p.node.Path) }
func (p *textPage) Content() fyne.CanvasObject { return p.body }
func (p *textPage) Searchable() bool           { return false }
func (p *textPage) Search(string)              {}
func (p *textPage) Move(int, bool)             {}
func (p *textPage) Open()                      {}
func (p *textPage) Close()                     { p.cancel() }

func (p *textPage) load() {
	p.message.hide()
	p.facts.SetText("Reading " + printable.Line(p.node.Path) + "…")
	buf := &app.CappedBuffer{Cap: textCap}
	f := p.files
	ctx := p.ctx
	f.u.core.FileContent(ctx, f.entry, f.ref, f.layers, f.tree, p.node.Path, buf, func(n imagefs.Node, err error) {
		var t app.Text
		if err == nil {
			t = app.DecodeText(buf.Bytes(), buf.Cut())
		}
		f.u.do(func() {
			if !wanted(ctx) {
				return
			}
			if err != nil {
				p.facts.SetText("Could not read " + printable.Line(p.node.Path) + ".")
				f.showReadError(p.message, err)
				return
			}
			f.u.noteSuccess(f.entry) // the bytes came from the registry
			p.show(buf, t)
		})
	})
}

func (p *textPage) show(buf *app.CappedBuffer, t app.Text) {
	facts := fmt.Sprintf("%s · %s", printable.Line(p.node.Path), humanSize(buf.Total))
	switch {
	case t.Binary:
		p.facts.SetText(facts + " · binary: not shown as text; Save… writes it to a file.")
		return
	case buf.Cut():
		facts += fmt.Sprintf(" · %s · the first %s shown", t.Encoding, humanSize(int64(len(buf.Bytes()))))
	default:
		facts += " · " + t.Encoding
	}
	p.facts.SetText(facts)
	p.lines = textLines(t.Text)
	for i, l := range p.lines {
		p.lines[i] = shownLine(l)
	}
	p.list.Refresh()
}
