package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/compare"
	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/registry"
)

// side is one reference of a comparison and the registry it is on.
type side struct {
	entry settings.Entry
	ref   registry.Reference
}

func (s side) name() string {
	r := s.ref
	r.Registry = registry.Registry{}
	return strings.TrimPrefix(r.String(), "/")
}

// comparePage compares two references: two indexes platform by platform,
// two images by their layers, configs, histories and files.
type comparePage struct {
	u        *UI
	a, b     side
	platform string
	pageBase
	body    *fyne.Container
	message *messageView
	content fyne.CanvasObject

	diff     *image.ImageDiff
	progress *widget.ProgressBar
	status   *widget.Label
	filter   *pageSelect
	changes  []compare.FileChange
	list     *widget.List
	filesBox *fyne.Container
	tabs     *container.AppTabs
	// packages shows how the images' SBOMs differ, once read.
	packages *fyne.Container
	// summaryLabel gets the files' line once they are compared.
	summaryLabel *widget.Label
}

func newComparePage(u *UI, a, b side, platform string) *comparePage {
	p := &comparePage{u: u, a: a, b: b, platform: platform}
	p.pageBase = newPageBase(context.Background())
	p.message = newMessageView(p.load)
	p.body = container.NewStack(container.NewCenter(widget.NewProgressBarInfinite()))
	p.content = container.NewStack(p.body, p.message.box)
	p.load()
	return p
}

func (p *comparePage) Title() string {
	if p.platform != "" {
		return "compare " + p.platform
	}
	return "compare"
}
func (p *comparePage) Content() fyne.CanvasObject { return p.content }

func (p *comparePage) fail(err error) {
	p.body.Objects = nil
	p.body.Refresh()
	e := p.a.entry
	if wrongSide := p.b.entry; wrongSide.ID != e.ID && strings.Contains(err.Error(), p.b.ref.Repository) {
		e = wrongSide
	}
	p.message.show(p.u.explain(e, err), err.Error(), true)
}

// load reads both manifests: two indexes are compared platform by
// platform; otherwise the images (an index's for the other's platform).
func (p *comparePage) load() {
	p.message.hide()
	ctx := p.ctx
	if p.platform != "" {
		p.loadImages()
		return
	}
	p.u.core.Manifests(ctx, p.a.entry, p.a.ref, p.b.entry, p.b.ref, func(ms [2]*registry.Manifest, err error) {
		p.u.do(func() {
			if !wanted(ctx) {
				return
			}
			switch {
			case err != nil:
				p.fail(err)
			case ms[0].Digest == ms[1].Digest && ms[0].IsIndex():
				p.showSame(ms[0])
			case ms[0].IsIndex() && ms[1].IsIndex():
				p.showPlatforms(compare.ComparePlatforms(ms[0].Children(), ms[1].Children(), registry.PlatformString))
			default:
				p.loadImages()
			}
		})
	})
}

func (p *comparePage) showSame(m *registry.Manifest) {
	l := widget.NewLabel(fmt.Sprintf("The same %s: %s\n%s\n%s", strings.ToLower(m.Kind()), m.Digest, p.a.name(), p.b.name()))
	l.Wrapping = fyne.TextWrapWord
	p.body.Objects = []fyne.CanvasObject{container.NewVBox(l)}
	p.body.Refresh()
}

// showPlatforms lists the platforms both indexes have (each opens the
// comparison of its two images) and those only one has.
func (p *comparePage) showPlatforms(ps compare.Platforms) {
	head := widget.NewLabel(fmt.Sprintf("%s and %s are indexes: %d platforms in both. Open one to compare its images.",
		p.a.name(), p.b.name(), len(ps.Both)))
	head.Wrapping = fyne.TextWrapWord
	list := p.u.columnList(len(ps.Both), func(id int, cells [3]*widget.Label) {
		pair := ps.Both[id]
		cells[0].SetText(printable.Line(pair.Platform))
		same := "differ"
		if pair.A.Digest == pair.B.Digest {
			same = "the same image"
		}
		cells[1].SetText(same)
		cells[2].SetText(image.ShortDigest(pair.A.Digest.String()) + " → " + image.ShortDigest(pair.B.Digest.String()))
	}, nil)
	list.OnSelected = func(id widget.ListItemID) {
		list.UnselectAll()
		p.u.push(newComparePage(p.u, p.a, p.b, ps.Both[id].Platform))
	}
	var only []string
	if len(ps.OnlyA) > 0 {
		only = append(only, "Only in "+p.a.name()+": "+printable.Line(strings.Join(ps.OnlyA, ", ")))
	}
	if len(ps.OnlyB) > 0 {
		only = append(only, "Only in "+p.b.name()+": "+printable.Line(strings.Join(ps.OnlyB, ", ")))
	}
	foot := widget.NewLabel(strings.Join(only, "\n"))
	foot.Wrapping = fyne.TextWrapWord
	p.body.Objects = []fyne.CanvasObject{container.NewBorder(head, foot, nil, nil, list)}
	p.body.Refresh()
}

// loadImages compares the two images' heads, then their files.
func (p *comparePage) loadImages() {
	ctx := p.ctx
	p.u.core.Compare(ctx, p.a.entry, p.a.ref, p.b.entry, p.b.ref, p.platform, func(d *image.ImageDiff, err error) {
		p.u.do(func() {
			if !wanted(ctx) {
				return
			}
			if err != nil {
				p.fail(err)
				return
			}
			p.showDiff(d)
			p.loadFiles()
			p.loadPackages()
		})
	})
}

func (p *comparePage) showDiff(d *image.ImageDiff) {
	p.diff = d
	names := container.NewVBox(
		bold("− "+p.a.name()+"  "+image.ShortDigest(d.A.Manifest.Digest)),
		bold("+ "+p.b.name()+"  "+image.ShortDigest(d.B.Manifest.Digest)),
	)
	if d.Same {
		p.body.Objects = []fyne.CanvasObject{container.NewVBox(names, widget.NewLabel("The same image: one digest, nothing to compare."))}
		p.body.Refresh()
		return
	}
	p.progress = widget.NewProgressBar()
	p.progress.TextFormatter = func() string { return "" }
	p.status = widget.NewLabel("Reading the layers the images do not share…")
	p.status.Truncation = fyne.TextTruncateEllipsis
	p.filter = p.u.pageSelect([]string{"All changes", "Added", "Removed", "Changed"}, func(string) { p.showChanges() })
	p.filter.SetSelectedIndex(0)
	wholeOptions(&p.filter.Select)
	p.list = widget.NewList(func() int { return len(p.changes) },
		func() fyne.CanvasObject {
			path := widget.NewLabel("")
			path.Truncation = fyne.TextTruncateEllipsis
			what := widget.NewLabel("")
			what.Importance = widget.LowImportance
			return container.NewBorder(nil, nil, nil, what, path)
		}, p.updateChange)
	p.list.OnSelected = func(id widget.ListItemID) {
		p.list.UnselectAll()
		p.openChange(p.changes[id])
	}
	p.filesBox = container.NewBorder(container.NewVBox(p.progress, p.status, p.filter), nil, nil, nil, p.list)
	p.packages = container.NewStack(wrapping(widget.NewLabel("Reading the images' SBOMs…")))
	p.tabs = container.NewAppTabs(
		container.NewTabItem("Summary", container.NewVScroll(p.summary(d))),
		container.NewTabItem("Config", p.configView(d)),
		container.NewTabItem("History", container.NewScroll(markedLines(d.History, "Neither image has a history."))),
		container.NewTabItem("Files", p.filesBox),
		container.NewTabItem("Packages", p.packages),
	)
	p.body.Objects = []fyne.CanvasObject{container.NewBorder(container.NewVBox(names, widget.NewSeparator()), nil, nil, nil, p.tabs)}
	p.body.Refresh()
}

// summary: sizes, and the layers shared, removed and added.
func (p *comparePage) summary(d *image.ImageDiff) fyne.CanvasObject {
	l := d.Layers
	changed := 0
	for _, f := range d.Config {
		if f.Changed() {
			changed++
		}
	}
	lines := []string{
		fmt.Sprintf("Size: %s → %s compressed.", humanSize(l.SizeA), humanSize(l.SizeB)),
		fmt.Sprintf("Layers: %d shared, %d removed, %d added.", len(l.Shared), len(l.Removed), len(l.Added)),
		fmt.Sprintf("Config: %s.", pluralOf(changed, "setting differs", "settings differ")),
	}
	for _, r := range l.Removed {
		lines = append(lines, fmt.Sprintf("− layer %s · %s", image.ShortDigest(r.Digest.String()), humanSize(r.Size)))
	}
	for _, a := range l.Added {
		lines = append(lines, fmt.Sprintf("+ layer %s · %s", image.ShortDigest(a.Digest.String()), humanSize(a.Size)))
	}
	p.summaryLabel = widget.NewLabel(strings.Join(lines, "\n"))
	p.summaryLabel.Wrapping = fyne.TextWrapWord
	return p.summaryLabel
}

// configView shows the settings side by side, the differing ones marked.
func (p *comparePage) configView(d *image.ImageDiff) fyne.CanvasObject {
	fields := d.Config
	list := p.u.columnList(len(fields), func(id int, cells [3]*widget.Label) {
		f := fields[id]
		mark := "  "
		if f.Changed() {
			mark = "≠ "
		}
		cells[0].SetText(mark + printable.Line(f.Name))
		cells[1].SetText(printable.Line(orDash(f.Old)))
		cells[2].SetText(printable.Line(orDash(f.New)))
		for _, c := range cells {
			c.TextStyle.Bold = f.Changed()
			c.Refresh()
		}
	}, nil)
	head := container.New(layout.NewGridLayoutWithColumns(3), columnHead("Setting"), columnHead(p.a.name()), columnHead(p.b.name()))
	return container.NewBorder(head, nil, nil, nil, list)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// loadPackages reads both images' SBOMs and says which packages were
// added, removed, upgraded or downgraded.
func (p *comparePage) loadPackages() {
	ctx, d := p.ctx, p.diff
	if d.Same {
		return
	}
	p.u.core.CompareSBOMs(ctx, p.a.entry, d, p.a.ref, p.b.ref, func(pd *trust.SBOMDiff, err error) {
		p.u.do(func() {
			if wanted(ctx) {
				p.showPackages(pd, err)
			}
		})
	})
}

func (p *comparePage) showPackages(pd *trust.SBOMDiff, err error) {
	var head string
	var lines []compare.Line
	switch {
	case err != nil:
		head = "The SBOMs could not be read: " + err.Error()
	case pd.A == nil && pd.B == nil:
		head = "Neither image has an SBOM."
	case !pd.Comparable:
		head = "Only one image has an SBOM (" + pd.Missing() + ")."
	default:
		head = "Packages: " + pd.Summary() + "."
		for _, l := range pd.Changes.Lines() {
			lines = append(lines, compare.Line{Op: compare.Op(l.Op), Text: l.Text})
		}
	}
	box := container.NewVBox(wrapping(widget.NewLabel(printable.Line(head))))
	if len(lines) > 0 {
		box.Add(markedLines(lines, ""))
	}
	p.packages.Objects = []fyne.CanvasObject{container.NewScroll(box)}
	p.packages.Refresh()
}

// markedLines writes lines added, removed and changed marked and
// coloured (two histories as one, Dockerfile line by line; two SBOMs'
// packages); none is said when there are none.
func markedLines(lines []compare.Line, none string) fyne.CanvasObject {
	var segs []widget.RichTextSegment
	for _, l := range lines {
		style := widget.RichTextStyleCodeBlock
		style.Inline = false
		switch l.Op {
		case compare.Added:
			style.ColorName = theme.ColorNameSuccess
		case compare.Removed:
			style.ColorName = theme.ColorNameError
		case compare.Changed:
			style.ColorName = theme.ColorNameForeground
		default:
			style.ColorName = theme.ColorNamePlaceHolder
		}
		segs = append(segs, &widget.TextSegment{Text: string(l.Op) + " " + printable.Line(l.Text), Style: style})
	}
	if len(segs) == 0 {
		segs = append(segs, &widget.TextSegment{Text: none, Style: widget.RichTextStyleParagraph})
	}
	return widget.NewRichText(segs...)
}

// loadFiles reads the layers the images do not share and lists what
// changed.
func (p *comparePage) loadFiles() {
	ctx, d := p.ctx, p.diff
	if d.Same {
		return
	}
	feed := &progressFeed[image.Progress]{}
	p.u.core.CompareFiles(ctx, p.a.entry, d, func(pr image.Progress) {
		if feed.offer(pr) {
			p.u.do(func() {
				if wanted(ctx) {
					p.showProgress(feed.latest(), "")
				}
			})
		}
	}, func(err error) {
		p.u.do(func() {
			if !wanted(ctx) {
				return
			}
			pr := feed.latest()
			if err != nil {
				p.showProgress(pr, "stopped: "+printable.Line(err.Error()))
				return
			}
			p.progress.SetValue(1)
			f := d.Files
			line := fmt.Sprintf("%s · %s added, %s removed · %s",
				image.ChangedWords(compare.KindsOf(f.Changes)), humanSize(f.BytesAdded), humanSize(f.BytesRemoved), image.DiffCost(d))
			p.showProgress(pr, line)
			p.summaryLabel.SetText(p.summaryLabel.Text + "\nFiles: " + line + ".")
			p.showChanges()
		})
	})
}

func (p *comparePage) showProgress(pr image.Progress, end string) {
	if pr.Size > 0 {
		p.progress.SetValue(min(float64(pr.Read)/float64(pr.Size), 1))
	}
	if end != "" {
		p.status.SetText(end)
		return
	}
	p.status.SetText(fmt.Sprintf("%s of %s · %s · %d of %d layers", humanSize(pr.Read), humanSize(pr.Size), pluralOf(pr.Entries, "entry", "entries"), pr.Done, pr.Layers))
}

// showChanges lists the file changes the filter picks.
func (p *comparePage) showChanges() {
	if p.diff == nil || p.list == nil {
		return
	}
	want := map[int]compare.Op{1: compare.Added, 2: compare.Removed, 3: compare.Changed}[p.filter.SelectedIndex()]
	p.changes = p.changes[:0]
	for _, c := range p.diff.Files.Changes {
		if want == 0 || c.Op == want {
			p.changes = append(p.changes, c)
		}
	}
	p.list.Refresh()
}

func (p *comparePage) updateChange(id widget.ListItemID, o fyne.CanvasObject) {
	c := p.changes[id]
	objs := o.(*fyne.Container).Objects
	path, what := objs[0].(*widget.Label), objs[1].(*widget.Label)
	path.SetText(string(c.Op) + " " + printable.Line(c.Path))
	notes := slices.Clone(c.What)
	if c.Inside > 0 {
		notes = append(notes, pluralOf(c.Inside, "entry inside", "entries inside"))
	}
	if c.New != nil && c.Op == compare.Added {
		notes = append(notes, humanSize(c.New.Size))
	}
	if c.Old != nil && c.Op == compare.Removed {
		notes = append(notes, humanSize(c.Old.Size))
	}
	what.SetText(printable.Line(strings.Join(notes, " · ")))
}

// openChange shows a changed file's lines, old against new.
func (p *comparePage) openChange(c compare.FileChange) {
	p.u.push(newLineDiffPage(p, c))
}

// compareDialogSize fits a tag or a reference of some length, within
// the smallest window.
var compareDialogSize = fyne.NewSize(480, 230)

// compareTags asks for two tags of a repository (the one under the cursor,
// and the one before it) and compares them.
func (p *repositoryPage) compareTags() {
	if len(p.tags) < 2 {
		p.u.inform("Compare", "This repository has fewer than two tags to compare.")
		return
	}
	newer := min(p.cursor.at, len(p.tags)-1)
	if p.result != nil && p.cursor.at < p.result.Len() {
		newer = slices.Index(p.tags, p.result.At(p.cursor.at))
	}
	older := newer + 1
	if older >= len(p.tags) {
		older = newer - 1
	}
	oldSel := p.u.dialogSelect(p.tags, nil)
	oldSel.SetSelectedIndex(older)
	newSel := p.u.dialogSelect(p.tags, nil)
	newSel.SetSelectedIndex(max(newer, 0))
	form := widget.NewForm(widget.NewFormItem("Old", oldSel), widget.NewFormItem("New", newSel))
	var d interface{ Hide() }
	compareNow := func() {
		d.Hide()
		a := side{p.entry, p.ref(oldSel.Selected)}
		b := side{p.entry, p.ref(newSel.Selected)}
		p.u.push(newComparePage(p.u, a, b, ""))
	}
	dlg := p.u.showDialog("Compare two tags of "+printable.Line(p.repo), form, compareNow,
		p.u.dialogButton("Cancel", theme.CancelIcon(), widget.MediumImportance, func() { d.Hide() }),
		p.u.dialogButton("Compare", theme.ConfirmIcon(), widget.HighImportance, compareNow))
	dlg.Resize(compareDialogSize)
	d = dlg
}

// compareWith asks for a reference, on any registry of the sidebar, to
// compare this page's with. Enter compares; a mistake is said in words
// under the field, and goes as soon as the text is right.
func (p *detailPage) compareWith() {
	var names []string
	at := 0
	for i, e := range p.u.entries {
		names = append(names, e.Name)
		if e.ID == p.entry.ID {
			at = i
		}
	}
	registries := p.u.dialogSelect(names, nil)
	registries.SetSelectedIndex(at)
	ref := p.u.dialogEntry(false)
	fill(&ref.Entry, p.ref.Repository+":")
	ref.SetPlaceHolder("repository:tag or repository@sha256:…")
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Wrapping = fyne.TextWrapWord
	problem.Hide()
	form := widget.NewForm(widget.NewFormItem("Registry", registries), widget.NewFormItem("Reference", ref))
	other := func() (settings.Entry, registry.Reference, error) {
		e := p.u.entries[max(registries.SelectedIndex(), 0)]
		reg, err := e.Registry()
		if err != nil {
			return e, registry.Reference{}, err
		}
		r, err := app.ParseOtherReference(reg, ref.Text)
		return e, r, err
	}
	// check says what is wrong, once a compare was asked for.
	asked := false
	check := func() bool {
		_, _, err := other()
		if err == nil || !asked {
			problem.Hide()
			return err == nil
		}
		problem.SetText(printable.Line(err.Error()))
		problem.Show()
		return false
	}
	ref.OnChanged = func(string) { check() }
	registries.OnChanged = func(string) { check() }
	var d interface{ Hide() }
	compareNow := func() {
		asked = true
		if !check() {
			return
		}
		e, r, _ := other()
		d.Hide()
		p.u.push(newComparePage(p.u, side{p.entry, p.ref}, side{e, r}, p.platform))
	}
	ref.OnSubmitted = func(string) { compareNow() }
	dlg := p.u.showDialog("Compare "+printable.Line(p.Title())+" with…", container.NewVBox(form, problem), compareNow,
		p.u.dialogButton("Cancel", theme.CancelIcon(), widget.MediumImportance, func() { d.Hide() }),
		p.u.dialogButton("Compare", theme.ConfirmIcon(), widget.HighImportance, compareNow))
	dlg.Resize(fyne.NewSize(p.u.dialogWidth(compareDialogSize.Width), compareDialogSize.Height))
	d = dlg
	p.compareDialog = &compareWithDialog{ref: ref, problem: problem, registries: registries}
	p.u.win.Canvas().Focus(ref)
}

// compareWithDialog holds the Compare with… dialog's fields, for tests.
type compareWithDialog struct {
	ref        *dialogEntry
	problem    *widget.Label
	registries *escSelect
}
