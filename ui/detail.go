package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/app/trust/sbom"
	"github.com/card-catalog/card-catalog/registry"
)

// detailPage shows what a reference holds: an index's platforms, or an
// image's layers, config, history, annotations and referrers, and the raw
// JSON.
type detailPage struct {
	u     *UI
	entry settings.Entry
	ref   registry.Reference
	pageBase
	// platform names an index's image in the breadcrumb ("linux/arm64/v8").
	platform string

	inspection   *image.Inspection
	platformRows *widget.List
	platforms    *lazy
	// keyed are the tabs' lists the arrows move through, by tab.
	keyed map[*container.TabItem]*keyedList
	// referrerKinds reads the manifests of referrers that do not say
	// what they are.
	referrerKinds *lazy
	tabs          *container.AppTabs
	copies        *fyne.Container
	// The copies the shortcuts make (Ctrl+D, Ctrl+Shift+D).
	copyDigestButton, copyPullButton *widget.Button
	message                          *messageView
	body                             *fyne.Container
	content                          fyne.CanvasObject
	// steps are the Dockerfile lines that made each layer.
	steps        []string
	browseButton *widget.Button
	// compareDialog is the Compare with… dialog last opened.
	compareDialog *compareWithDialog
	// trust is the Trust tab.
	trust *trustView
	// index is the index a platform's image was opened from (its digest
	// set): where its signatures are when the image has none of its own.
	index *registry.Reference
}

func newDetailPage(u *UI, e settings.Entry, ref registry.Reference) *detailPage {
	p := &detailPage{u: u, entry: e, ref: ref, keyed: map[*container.TabItem]*keyedList{}}
	p.pageBase = newPageBase(context.Background())
	p.message = newMessageView(p.load)
	p.body = container.NewStack(container.NewCenter(widget.NewProgressBarInfinite()))
	p.content = container.NewStack(p.body, p.message.box)
	p.load()
	return p
}

func (p *detailPage) Title() string {
	if p.platform != "" {
		return p.platform
	}
	if p.ref.Digest != "" {
		return image.ShortDigest(p.ref.Digest)
	}
	return p.ref.Tag
}
func (p *detailPage) Content() fyne.CanvasObject { return p.content }
func (p *detailPage) Close() {
	p.cancel()
	for _, l := range []*lazy{p.platforms, p.referrerKinds} {
		if l != nil {
			l.stop()
		}
	}
}

func (p *detailPage) load() {
	p.message.hide()
	ctx := p.ctx
	p.u.core.Inspect(ctx, p.entry, p.ref, func(in *image.Inspection, err error) {
		p.u.do(func() {
			if !wanted(ctx) {
				return
			}
			if err != nil {
				p.body.Objects = nil
				p.body.Refresh()
				p.u.noteFailure(p.entry, err)
				p.message.show(p.u.explain(p.entry, err), err.Error(), true)
				p.u.offerFix(p.message, p.entry, err)
				return
			}
			p.u.noteAnswer(p.entry, in.FromKept)
			p.show(in)
		})
	})
}

func (p *detailPage) show(in *image.Inspection) {
	p.inspection = in
	m := in.Manifest
	repoDigest := p.ref.Registry.String() + "/" + p.ref.Repository + "@" + m.Digest
	artifact := image.IsArtifact(m)
	facts := widget.NewLabel(printable.Line(manifestFacts(m)))
	facts.Truncation = fyne.TextTruncateEllipsis
	digest := widget.NewLabelWithStyle(m.Digest, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	digest.Truncation = fyne.TextTruncateEllipsis
	// The copy buttons wrap to a second row in a narrow window. An
	// artifact is not pulled as an image.
	p.copyDigestButton = p.copyButton("Copy digest", m.Digest)
	p.copies = container.NewGridWrap(fyne.NewSize(190, theme.Size(theme.SizeNameInlineIcon)+2*theme.InnerPadding()),
		p.copyDigestButton, p.copyButton("Copy repo@digest", repoDigest))
	if !artifact {
		p.copyPullButton = p.copyButton("Copy docker pull", "docker pull "+repoDigest)
		p.copies.Add(p.copyPullButton)
		p.copies.Add(p.copyButton("Copy podman pull", "podman pull "+repoDigest))
	}
	compareButton := widget.NewButton("Compare with…", p.compareWith)
	p.trust = newTrustView(p.u)
	top := container.NewVBox(fullName(p.Title()), container.NewBorder(nil, nil, nil, compareButton, facts), digest, p.trust.packageCount, p.copies, widget.NewSeparator())
	if in.FromKept != nil {
		top.Objects = slices.Insert(top.Objects, 2, fyne.CanvasObject(keptLabel(*in.FromKept)))
	}

	p.tabs = container.NewAppTabs()
	switch {
	case m.IsIndex():
		platforms, list := p.platformList(m.Children())
		p.keyedTab(fmt.Sprintf("Platforms (%d)", len(m.Children())), platforms, list)
		p.tabs.Append(container.NewTabItem("Annotations", container.NewVScroll(annotations(m))))
		referrers, list := p.referrerList(in)
		p.keyedTab(fmt.Sprintf("Referrers (%d)", len(in.Referrers)), referrers, list)
		p.tabs.Append(p.trust.tab)
		p.tabs.Append(container.NewTabItem("Manifest JSON", container.NewScroll(jsonText(m.Raw))))
	default:
		if in.Config != nil {
			p.tabs.Append(container.NewTabItem("Config", container.NewVScroll(configForm(in.Config))))
			p.tabs.Append(container.NewTabItem("History", container.NewScroll(historyText(in.Config, m))))
		}
		p.steps = image.LayerSteps(in.Config, len(m.Layers()))
		if artifact {
			content, list := p.contentList(m)
			p.keyedTab(fmt.Sprintf("Content (%d)", len(m.Layers())), content, list)
		} else {
			layers, list := p.layerList(m, p.steps)
			p.keyedTab("Layers", layers, list)
		}
		p.tabs.Append(container.NewTabItem("Annotations", container.NewVScroll(annotations(m))))
		referrers, list := p.referrerList(in)
		p.keyedTab(fmt.Sprintf("Referrers (%d)", len(in.Referrers)), referrers, list)
		if !artifact { // a signature or an SBOM is what the Trust tab of its image shows
			p.tabs.Append(p.trust.tab)
		}
		p.tabs.Append(container.NewTabItem("Manifest JSON", container.NewScroll(jsonText(m.Raw))))
		if len(in.ConfigRaw) > 0 {
			p.tabs.Append(container.NewTabItem("Config JSON", container.NewScroll(jsonText(in.ConfigRaw))))
		}
	}
	p.body.Objects = []fyne.CanvasObject{container.NewBorder(top, nil, nil, nil, p.tabs)}
	p.body.Refresh()
	if !artifact {
		p.loadTrust(m.Digest)
	}
}

// loadTrust verifies what is attached to the image shown, then reads its
// SBOM, in the background. A platform's image with nothing attached of
// its own is judged by its index's: signing an index signs the digests
// it lists.
func (p *detailPage) loadTrust(digest string) {
	ctx, v, ref := p.ctx, p.trust, p.childRef(digest)
	var check func(ref registry.Reference, ofIndex bool)
	check = func(ref registry.Reference, ofIndex bool) {
		p.u.core.Trust(ctx, p.entry, ref, func(r *trust.Result, err error) {
			p.u.do(func() {
				if !wanted(ctx) {
					return
				}
				switch {
				case err != nil:
					v.failed(err)
				case !ofIndex && p.index != nil && len(r.Tree.Attachments) == 0 && len(r.Tree.Problems) == 0:
					check(*p.index, true)
				default:
					if ofIndex {
						v.fromIndex(ref.Digest)
					}
					v.show(r, ref)
				}
			})
		})
	}
	check(ref, false)
	var read func(ref registry.Reference, ofIndex bool)
	read = func(ref registry.Reference, ofIndex bool) {
		p.u.core.SBOM(ctx, p.entry, ref, digest, func(doc *sbom.Document, where *trust.SBOMRef, err error) {
			p.u.do(func() {
				if !wanted(ctx) {
					return
				}
				if !ofIndex && p.index != nil && errors.Is(err, trust.ErrNoSBOM) {
					read(*p.index, true)
					return
				}
				v.showSBOM(doc, where, err)
			})
		})
	}
	read(ref, false)
}

// keyedTab adds a tab of a list the arrows move through (k nil: a tab
// of no list).
func (p *detailPage) keyedTab(title string, k *keyedList, content fyne.CanvasObject) {
	tab := container.NewTabItem(title, content)
	p.tabs.Append(tab)
	if k != nil {
		p.keyed[tab] = k
	}
}

// manifestFacts say what m is and how big: an image's compressed size
// (its layers', as the tags and a comparison count it), then its
// manifest's size and media type.
func manifestFacts(m *registry.Manifest) string {
	own := fmt.Sprintf("manifest %s, %s", humanSize(m.Size), m.MediaType)
	if m.IsIndex() {
		return image.ManifestKind(m) + " · " + own
	}
	return fmt.Sprintf("%s · %s compressed · %s", image.ManifestKind(m), humanSize(registry.TotalSize(m.Layers())), own)
}

// copyButton copies text, and says "Copied" for a moment.
func (p *detailPage) copyButton(label, text string) *widget.Button {
	return p.u.copyButton(label, func() string { return text })
}

// copyButton copies what text gives, and says "Copied" for a moment.
func (u *UI) copyButton(label string, text func() string) *widget.Button {
	var b *widget.Button
	b = widget.NewButtonWithIcon(label, theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(text())
		b.SetText("Copied")
		b.SetIcon(theme.ConfirmIcon())
		time.AfterFunc(copiedFor, func() {
			u.do(func() {
				b.SetText(label)
				b.SetIcon(theme.ContentCopyIcon())
			})
		})
	})
	return b
}

// copiedFor is how long a copy button says "Copied".
const copiedFor = 1500 * time.Millisecond

// platformList lists an index's platforms with each image's compressed
// size (read when its row shows); each opens.
func (p *detailPage) platformList(ds []v1.Descriptor) (*keyedList, fyne.CanvasObject) {
	p.platforms = newLazy(p.u, func(ctx context.Context, digest string, done func(image.Summary, error)) {
		p.u.core.TagSummary(ctx, p.entry, p.childRef(digest), pool.PriorityVisible, done)
	}, func(id int) { p.platformRows.RefreshItem(id) })
	var k *keyedList
	k = p.u.keyedList(len(ds), true, func(id int, cells [3]*widget.Label) {
		d := ds[id]
		name := "(no platform)"
		if d.Platform != nil {
			name = printable.Line(registry.PlatformString(d.Platform))
		}
		cells[0].SetText(name)
		cells[0].TextStyle.Bold = k.cursor.on(id)
		size := "…"
		if st := p.platforms.bind(id, d.Digest.String()); st.loaded && st.err == nil {
			size = humanSize(st.summary.Size) + " compressed"
		} else if st.loaded {
			size = "could not load: " + statusOf(st.err).Detail
		}
		cells[1].SetText(size)
		cells[2].SetText(image.ShortDigest(d.Digest.String()))
	}, p.openPlatform)
	p.platformRows = k.list
	return k, container.NewBorder(widget.NewLabel("Open a platform to see its layers, config and history."), nil, nil, nil, k.list)
}

// Move moves the cursor of the shown tab's list.
func (p *detailPage) Move(delta int, _ bool) {
	if k := p.shownList(); k != nil {
		k.move(delta)
	}
}

// Open opens what the cursor of the shown tab's list is on.
func (p *detailPage) Open() {
	if k := p.shownList(); k != nil {
		k.openCursor()
	}
}

func (p *detailPage) shownList() *keyedList {
	if p.tabs == nil {
		return nil
	}
	return p.keyed[p.tabs.Selected()]
}

// copyDigest copies the image's digest, as its button does.
func (p *detailPage) copyDigest() {
	if p.copyDigestButton != nil {
		p.copyDigestButton.OnTapped()
	}
}

// copyPull copies the docker pull command, as its button does.
func (p *detailPage) copyPull() {
	if p.copyPullButton != nil {
		p.copyPullButton.OnTapped()
	}
}

// browseFiles opens the image's merged filesystem.
func (p *detailPage) browseFiles() {
	if m := p.inspection; m == nil || m.Manifest.IsIndex() || image.IsArtifact(m.Manifest) || len(m.Manifest.Layers()) == 0 {
		return
	}
	p.u.push(newFilesPage(p.u, p.entry, p.ref, p.inspection.Manifest, p.steps, -1))
}

// openPlatform opens the index's image i.
func (p *detailPage) openPlatform(i int) {
	d := p.inspection.Manifest.Children()[i]
	child := newDetailPage(p.u, p.entry, p.childRef(d.Digest.String()))
	index := p.childRef(p.inspection.Manifest.Digest)
	child.index = &index // set before its inspection comes back, on this goroutine
	if d.Platform != nil {
		child.platform = registry.PlatformString(d.Platform)
	}
	p.u.push(child)
}

func (p *detailPage) childRef(digest string) registry.Reference {
	ref := p.ref
	ref.Tag, ref.Digest = "", digest
	return ref
}

func (p *detailPage) referrerList(in *image.Inspection) (*keyedList, fyne.CanvasObject) {
	if in.ReferrersErr != nil {
		l := widget.NewLabel("Referrers could not be listed: " + printable.Line(in.ReferrersErr.Error()))
		l.Wrapping = fyne.TextWrapWord
		return nil, l
	}
	if len(in.Referrers) == 0 {
		l := widget.NewLabel("Nothing refers to this image: no signatures, SBOMs or attestations.")
		l.Wrapping = fyne.TextWrapWord
		return nil, l
	}
	var list *widget.List
	kinds := newLazy(p.u, func(ctx context.Context, digest string, done func(image.Summary, error)) {
		p.u.core.TagSummary(ctx, p.entry, p.childRef(digest), pool.PriorityVisible, done)
	}, func(id int) { list.RefreshItem(id) })
	p.referrerKinds = kinds
	k := p.u.keyedList(len(in.Referrers), false, func(id int, cells [3]*widget.Label) {
		d := in.Referrers[id]
		cells[0].SetText(printable.Line(p.referrerKind(kinds, id, d)))
		cells[1].SetText(humanSize(d.Size))
		cells[2].SetText(image.ShortDigest(d.Digest.String()))
	}, func(id int) { p.u.push(newDetailPage(p.u, p.entry, p.childRef(in.Referrers[id].Digest.String()))) })
	list = k.list
	return k, list
}

// referrerKind names what a referrer is. Its descriptor says its artifact
// type, unless it is empty or the empty config's (as registries that
// take it from the config answer): then its manifest, read when the row
// shows, says.
func (p *detailPage) referrerKind(kinds *lazy, id int, d v1.Descriptor) string {
	t := d.ArtifactType
	if t == "" || t == registry.EmptyMediaType {
		t = ""
		switch st := kinds.bind(id, d.Digest.String()); {
		case st.loaded && st.err == nil && st.summary.Artifact != "":
			t = st.summary.Artifact
		case st.loaded:
			return string(d.MediaType)
		default:
			return "…"
		}
	}
	return image.ArtifactName(t)
}
