package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
)

// blobPage shows an artifact's blob (an SBOM, an attestation, a
// signature): JSON indented and coloured, other text as text, the rest in
// hex; its first MiB, all of it checked against its digest when that is
// all of it.
type blobPage struct {
	u     *UI
	entry settings.Entry
	ref   registry.Reference
	desc  v1.Descriptor
	index int
	pageBase
	facts   *widget.Label
	view    *fyne.Container
	message *messageView
	body    *fyne.Container
	// json is set once the blob shows as JSON.
	json bool
}

func newBlobPage(u *UI, e settings.Entry, ref registry.Reference, desc v1.Descriptor, index int) *blobPage {
	p := &blobPage{u: u, entry: e, ref: ref, desc: desc, index: index}
	p.pageBase = newPageBase(context.Background())
	p.facts = widget.NewLabel("")
	p.facts.Wrapping = fyne.TextWrapWord
	p.view = container.NewStack(container.NewCenter(widget.NewProgressBarInfinite()))
	p.message = newMessageView(p.load)
	p.body = container.NewStack(container.NewBorder(p.facts, nil, nil, nil, p.view), p.message.box)
	p.load()
	return p
}

func (p *blobPage) Title() string              { return fmt.Sprintf("blob %d", p.index) }
func (p *blobPage) Content() fyne.CanvasObject { return p.body }

func (p *blobPage) load() {
	p.message.hide()
	p.facts.SetText(printable.Line(image.ArtifactName(string(p.desc.MediaType))) + " · reading…")
	buf := &image.CappedBuffer{Cap: textCap}
	ctx := p.ctx
	p.u.core.BlobContent(ctx, p.entry, p.ref, p.desc, textCap, buf, func(whole bool, err error) {
		p.u.do(func() {
			if !wanted(ctx) {
				return
			}
			if err != nil {
				p.u.noteFailure(p.entry, err)
				p.facts.SetText("Could not read blob " + image.ShortDigest(p.desc.Digest.String()) + ".")
				p.message.show(p.u.explain(p.entry, err), err.Error(), true)
				p.u.offerFix(p.message, p.entry, err)
				return
			}
			p.u.noteSuccess(p.entry)
			p.show(buf, whole)
		})
	})
}

func (p *blobPage) show(buf *image.CappedBuffer, whole bool) {
	facts := printable.Line(image.ArtifactName(string(p.desc.MediaType))) + " · " + humanSize(p.desc.Size)
	b := buf.Bytes()
	if whole && json.Valid(b) {
		p.json = true
		p.facts.SetText(facts + " · JSON")
		p.view.Objects = []fyne.CanvasObject{container.NewScroll(jsonText(bytes.Clone(b)))}
		p.view.Refresh()
		return
	}
	t := image.DecodeText(b, !whole)
	switch {
	case t.Binary:
		facts += fmt.Sprintf(" · binary: the first %s in hex", binarySize(min(int64(len(b)), hexCap)))
	case !whole:
		facts += fmt.Sprintf(" · %s · the first %s shown", t.Encoding, binarySize(int64(len(b))))
	default:
		facts += " · " + t.Encoding
	}
	p.facts.SetText(facts)
	grid := newTextGrid(p.u)
	grid.setLines(contentLines(buf, t))
	p.view.Objects = []fyne.CanvasObject{grid}
	p.view.Refresh()
}
