package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/imagefs"
	"github.com/card-catalog/card-catalog/app/printable"
)

// textCap is how much of a file the window shows as text.
const textCap = 1 << 20

// hexCap is how much of a binary file the window shows in hex.
const hexCap = 64 << 10

// textPage shows one file of an image as text (its first MiB), with its
// encoding guessed, or a binary file's first bytes in hex; the text can be
// selected and copied, and any file saved.
type textPage struct {
	files *filesPage
	node  imagefs.Node
	pageBase
	lines []string
	view  *textGrid
	facts *widget.Label
	// saved says how a Save… from this page went.
	saved   *widget.Label
	message *messageView
	body    *fyne.Container
}

func newTextPage(files *filesPage, n imagefs.Node) *textPage {
	p := &textPage{files: files, node: n}
	p.pageBase = newPageBase(files.ctx)
	p.facts = widget.NewLabel("")
	p.facts.Wrapping = fyne.TextWrapWord
	p.saved = widget.NewLabel("")
	p.saved.Wrapping = fyne.TextWrapWord
	p.saved.Hide()
	p.view = newTextGrid(files.u)
	save := widget.NewButtonWithIcon("Save…", theme.DocumentSaveIcon(), func() { files.saveFile(n.ID, p.say) })
	copyText := files.u.copyButton("Copy", p.view.copyText)
	p.message = newMessageView(p.load)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(copyText, save), p.facts), p.saved)
	p.body = container.NewStack(container.NewBorder(top, nil, nil, nil, p.view), p.message.box)
	p.load()
	return p
}

func (p *textPage) Title() string              { return imagefs.SafeName(p.node.Path) }
func (p *textPage) Content() fyne.CanvasObject { return p.body }

// say shows how a save goes.
func (p *textPage) say(text string) {
	p.saved.SetText(text)
	p.saved.Show()
}

func (p *textPage) load() {
	p.message.hide()
	p.facts.SetText("Reading " + printable.Line(p.node.Path) + "…")
	buf := &image.CappedBuffer{Cap: textCap}
	f := p.files
	ctx := p.ctx
	f.u.core.FileContent(ctx, f.entry, f.ref, f.layers, f.tree, p.node.Path, buf, func(n imagefs.Node, err error) {
		var t image.Text
		if err == nil {
			t = image.DecodeText(buf.Bytes(), buf.Cut())
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

func (p *textPage) show(buf *image.CappedBuffer, t image.Text) {
	p.facts.SetText(printable.Line(p.node.Path) + " · " + contentFacts(buf, t))
	p.lines = contentLines(buf, t)
	p.view.setLines(p.lines)
}

// contentFacts says how a file's (or a blob's) bytes are shown: their size,
// the encoding guessed, and how much of them.
func contentFacts(buf *image.CappedBuffer, t image.Text) string {
	facts := humanSize(buf.Total)
	switch {
	case t.Binary && buf.Total > hexCap:
		facts += fmt.Sprintf(" · binary: the first %s in hex; Save… writes it all to a file", binarySize(hexCap))
	case t.Binary:
		facts += " · binary, in hex"
	case buf.Cut():
		facts += fmt.Sprintf(" · %s · the first %s shown", t.Encoding, humanSize(int64(len(buf.Bytes()))))
	default:
		facts += " · " + t.Encoding
	}
	return facts
}

// contentLines are a file's lines as the text view shows them, or its
// first bytes in hex when it is binary.
func contentLines(buf *image.CappedBuffer, t image.Text) []string {
	if t.Binary {
		b := buf.Bytes()
		return image.HexDump(b[:min(len(b), hexCap)])
	}
	lines := textLines(t.Text)
	for i, l := range lines {
		lines[i] = shownLine(l)
	}
	return lines
}
