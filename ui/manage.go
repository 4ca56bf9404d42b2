package ui

import (
	"context"
	"os"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/manage"
	"github.com/card-catalog/card-catalog/app/manage/archive"
	"github.com/card-catalog/card-catalog/app/manage/transfer"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
)

// manageDialogSize is the size of Manage's dialogs: room for a preview.
var manageDialogSize = fyne.NewSize(620, 0)

// manageBar is the row of the repository page's writes, for the tags
// ticked (or the cursor's tag when none is).
type manageBar struct {
	box                                                *fyne.Container
	chosen                                             *widget.Label
	deleteTags, deleteWhole, retag, copyTo, exportTags *widget.Button
	importArchive                                      *widget.Button
	// undo is the banner after a delete: what was done, and Undo.
	undo       *fyne.Container
	undoWords  *widget.Label
	undoButton *widget.Button
	undone     []string
	// all ticks every tag shown, or none.
	all *widget.Check
}

func (p *repositoryPage) newManageBar() *manageBar {
	b := &manageBar{chosen: widget.NewLabel("")}
	b.all = widget.NewCheck("", func(on bool) {
		p.selected = map[string]bool{}
		if on {
			for _, t := range p.visibleTags() {
				p.selected[t] = true
			}
		}
		p.updateChosen()
		p.list.Refresh()
	})
	b.chosen.Importance = widget.LowImportance
	b.deleteTags = widget.NewButtonWithIcon(wordDelete, theme.DeleteIcon(), func() { p.confirmDelete(false) })
	b.deleteWhole = widget.NewButton(wordDeleteWhole, func() { p.confirmDelete(true) })
	b.retag = widget.NewButton(wordRetag, p.retagDialog)
	b.copyTo = widget.NewButtonWithIcon(wordCopyTo, theme.ContentCopyIcon(), func() { p.copyDialog(p.entry) })
	b.exportTags = widget.NewButtonWithIcon(wordExport, theme.DocumentSaveIcon(), p.exportDialog)
	b.importArchive = widget.NewButtonWithIcon(wordImport, theme.FolderOpenIcon(), p.importDialog)
	for _, x := range []*widget.Button{b.deleteTags, b.deleteWhole, b.retag, b.copyTo, b.exportTags, b.importArchive} {
		x.Importance = widget.LowImportance
	}
	// a narrow window scrolls the actions rather than widening
	b.box = container.NewStack(container.NewHScroll(container.NewHBox(b.chosen, layout.NewSpacer(),
		b.deleteTags, b.deleteWhole, b.retag, b.copyTo, b.exportTags, b.importArchive)))
	b.undoWords = widget.NewLabel("")
	b.undoWords.Wrapping = fyne.TextWrapWord
	b.undoButton = widget.NewButtonWithIcon(wordUndo, theme.ContentUndoIcon(), p.undoDelete)
	closeUndo := widget.NewButtonWithIcon("", theme.CancelIcon(), func() { b.undo.Hide() })
	closeUndo.Importance = widget.LowImportance
	b.undo = container.NewBorder(widget.NewSeparator(), nil, nil, container.NewHBox(b.undoButton, closeUndo), b.undoWords)
	b.undo.Hide()
	p.selected = map[string]bool{}
	p.manage = b
	p.updateChosen()
	return b
}

// chosen are the tags the writes act on: those ticked, in the list's
// order, else the cursor's.
func (p *repositoryPage) chosen() []string {
	var out []string
	for _, t := range p.tags {
		if p.selected[t] {
			out = append(out, t)
		}
	}
	if len(out) == 0 && p.result != nil && p.cursor.at < p.result.Len() && p.result.Len() > 0 {
		out = []string{p.result.At(p.cursor.at)}
	}
	return out
}

// tick ticks or unticks a tag's row.
func (p *repositoryPage) tick(tag string, on bool) {
	if on {
		p.selected[tag] = true
	} else {
		delete(p.selected, tag)
	}
	p.updateChosen()
}

func (p *repositoryPage) updateChosen() {
	b := p.manage
	n := len(p.selected)
	switch n {
	case 0:
		b.chosen.SetText(wordNoneTicked)
	default:
		b.chosen.SetText(plural(n, "tag") + " ticked")
	}
	// a whole manifest, a retag and an export are of one tag
	for _, x := range []*widget.Button{b.deleteWhole, b.retag, b.copyTo, b.exportTags} {
		if n > 1 {
			x.Disable()
		} else {
			x.Enable()
		}
	}
}

// failed says a write's failure in the app's words, then the detail.
func (p *repositoryPage) failed(err error) string {
	return p.u.explain(p.entry, err) + "\n" + printable.Text(err.Error())
}

// deleteDialog is the preview of a delete and its confirmation.
type deleteDialog struct {
	d       dialog.Dialog
	preview *widget.Label
	confirm *escButton
	cancel  *escButton
	plan    *manage.Plan
}

// confirmDelete previews deleting the chosen tags (whole: the manifest of
// the one chosen and all its tags) and deletes on an explicit click of the
// red button; Enter does not delete.
func (p *repositoryPage) confirmDelete(whole bool) {
	tags := p.chosen()
	if len(tags) == 0 {
		return
	}
	if whole && len(tags) != 1 {
		p.u.inform(wordDeleteWhole, wordOneTagOnly)
		return
	}
	ctx, stop := context.WithCancel(p.ctx)
	dd := &deleteDialog{preview: wrapping(widget.NewLabel(wordReadingPlan))}
	dd.cancel = p.u.dialogButton("Cancel", theme.CancelIcon(), widget.MediumImportance, func() { dd.d.Hide() })
	label := "Delete " + plural(len(tags), "tag")
	title := "Delete " + strings.Join(tags, ", ") + " of " + p.repo
	if whole {
		label, title = "Delete the manifest and all its tags", "Delete the manifest of "+tags[0]+" and all its tags"
	}
	dd.confirm = p.u.dialogButton(label, theme.DeleteIcon(), widget.DangerImportance, func() { p.runDelete(ctx, dd) })
	dd.confirm.Disable()
	scroll := container.NewVScroll(dd.preview)
	scroll.SetMinSize(fyne.NewSize(manageDialogSize.Width-40, 220))
	dd.d = p.u.showDialog(printable.Line(title), scroll, nil, dd.cancel, dd.confirm)
	dd.d.Resize(manageDialogSize)
	dd.d.SetOnClosed(func() { p.u.closedDialog(dd.d); stop() })
	p.deleting = dd
	p.u.core.PlanDelete(ctx, p.entry, p.repo, tags, whole, previewed(p, ctx, dd.preview, func(plan *manage.Plan) {
		dd.plan = plan
		dd.preview.SetText(strings.Join(plan.Words(), "\n"))
		if plan.Refused == "" {
			dd.confirm.Enable()
		}
	}))
}

// previewed is the answer of a plan: shown hears it on the UI goroutine
// while ctx is wanted; a failure is said in preview.
func previewed[T any](p *repositoryPage, ctx context.Context, preview *widget.Label, shown func(T)) func(T, error) {
	return func(v T, err error) {
		p.u.do(func() {
			if !wanted(ctx) {
				return
			}
			if err != nil {
				preview.SetText(p.failed(err))
				return
			}
			shown(v)
		})
	}
}

// runDelete runs the previewed plan, then lists the tags again and offers
// Undo.
func (p *repositoryPage) runDelete(ctx context.Context, dd *deleteDialog) {
	dd.confirm.Disable()
	dd.preview.SetText(wordDeleting)
	p.u.core.Delete(ctx, p.entry, dd.plan, func(res *manage.Result, err error) {
		p.u.do(func() {
			if !wanted(ctx) {
				return
			}
			dd.d.Hide()
			p.selected = map[string]bool{}
			p.updateChosen()
			p.showDone(res, err, dd.plan.Whole)
			p.load()
		})
	})
}

// showDone shows what a delete did, with Undo for what was kept.
func (p *repositoryPage) showDone(res *manage.Result, err error, whole bool) {
	b := p.manage
	b.undone = nil
	var lines []string
	if res != nil {
		lines = res.Words()
		for _, d := range res.Done {
			if d.Deleted && d.Kept && !whole {
				b.undone = append(b.undone, d.Tag)
			}
		}
	}
	if err != nil && res == nil {
		lines = append(lines, p.failed(err))
	}
	b.undoWords.SetText(strings.Join(lines, "\n"))
	if len(b.undone) > 0 {
		b.undoButton.Show()
	} else {
		b.undoButton.Hide()
	}
	b.undo.Show()
}

// undoDelete puts the tags just deleted back from this computer's copy.
func (p *repositoryPage) undoDelete() {
	b := p.manage
	tags := b.undone
	b.undoButton.Disable()
	b.undoWords.SetText(wordUndoing)
	ctx := p.ctx
	p.u.core.Undo(ctx, p.entry, p.repo, tags, func(err error) {
		p.u.do(func() {
			if !wanted(ctx) {
				return
			}
			b.undoButton.Enable()
			if err != nil {
				b.undoWords.SetText(p.failed(err))
				return
			}
			b.undone = nil
			b.undoButton.Hide()
			b.undoWords.SetText("Put back: " + strings.Join(tags, ", ") + ".")
			p.load()
		})
	})
}

// retagDialog asks for a new tag of the chosen tag's manifest, previews
// it, and tags on a click.
func (p *repositoryPage) retagDialog() {
	tags := p.chosen()
	if len(tags) != 1 {
		return
	}
	from := p.ref(tags[0])
	newTag := p.u.dialogEntry(false)
	newTag.SetPlaceHolder("new tag")
	preview := wrapping(widget.NewLabel(wordRetagHint))
	var d dialog.Dialog
	var plan *manage.Retag
	var planned latest
	var tag *escButton
	tag = p.u.dialogButton("Tag", theme.ConfirmIcon(), widget.HighImportance, func() {
		if plan == nil {
			return
		}
		tag.Disable()
		ctx := p.ctx
		done := previewed(p, ctx, preview, func(struct{}) { d.Hide(); p.load() })
		p.u.core.Retag(ctx, p.entry, plan, func(err error) { done(struct{}{}, err) })
	})
	tag.Disable()
	previewNow := func() {
		plan = nil
		tag.Disable()
		if newTag.Text == "" {
			return
		}
		ctx := planned.start(p.ctx)
		preview.SetText(wordReadingPlan)
		p.u.core.PlanRetag(ctx, p.entry, from, newTag.Text, previewed(p, ctx, preview, func(r *manage.Retag) {
			plan = r
			preview.SetText(r.Words())
			if r.Now != r.Digest {
				tag.Enable()
			}
		}))
	}
	newTag.OnChanged = func(string) { plan = nil; tag.Disable() }
	form := widget.NewForm(widget.NewFormItem("Tag "+tags[0]+" as", newTag))
	d = p.u.showDialog(printable.Line("Tag "+tags[0]+" of "+p.repo+" as…"), container.NewVBox(form, preview), previewNow,
		p.u.dialogButton("Cancel", theme.CancelIcon(), widget.MediumImportance, func() { d.Hide() }),
		p.u.dialogButton("Preview", theme.SearchIcon(), widget.MediumImportance, previewNow), tag)
	d.Resize(manageDialogSize)
	p.u.win.Canvas().Focus(newTag)
	p.retagging = &retagView{entry: newTag, preview: preview, tag: tag}
}

// copyDialog asks where to copy the chosen tag (a registry of the
// sidebar, a repository and a tag; to: the registry chosen first),
// previews the copy, and copies on a click with progress and Stop.
func (p *repositoryPage) copyDialog(to settings.Entry) {
	tags := p.chosen()
	if len(tags) != 1 {
		return
	}
	from := p.ref(tags[0])
	var names []string
	for _, e := range p.u.entries {
		names = append(names, e.Name)
	}
	at := max(slices.IndexFunc(p.u.entries, func(e settings.Entry) bool { return e.ID == to.ID }), 0)
	c := &copyDialog{}
	c.target = p.u.dialogSelect(names, nil)
	c.repo, c.tag = p.u.dialogEntry(false), p.u.dialogEntry(false)
	c.repo.SetText(p.repo)
	c.tag.SetText(tags[0])
	c.referrers = p.u.dialogCheck("With its referrers (signatures, SBOMs)", nil)
	c.preview = wrapping(widget.NewLabel(wordCopyHint))
	var planned latest
	c.start = p.u.dialogButton("Copy", theme.ContentCopyIcon(), widget.HighImportance, func() {
		if c.plan == nil {
			return
		}
		c.d.Hide()
		et, plan := c.entry, c.plan
		p.transfer = p.u.transferDialog("Copying "+printable.Line(from.String()), func(ctx context.Context, progress func(transfer.Progress), done func(transfer.Progress, error)) {
			p.u.core.Copy(ctx, et, plan, progress, done)
		}, func() {
			if et.ID == p.entry.ID && c.repo.Text == p.repo {
				p.load()
			}
		})
	})
	c.start.Disable()
	previewNow := func() {
		c.plan = nil
		c.start.Disable()
		i := c.target.SelectedIndex()
		if i < 0 || c.repo.Text == "" || c.tag.Text == "" {
			return
		}
		c.entry = p.u.entries[i]
		reg, err := c.entry.Registry()
		if err != nil {
			c.preview.SetText(p.failed(err))
			return
		}
		dst := registry.Reference{Registry: reg, Repository: c.repo.Text, Tag: c.tag.Text}
		ctx := planned.start(p.ctx)
		c.preview.SetText(wordReadingPlan)
		p.u.core.PlanCopy(ctx, p.entry, from, c.entry, dst, c.referrers.Checked, previewed(p, ctx, c.preview, func(plan *transfer.Plan) {
			c.plan = plan
			c.preview.SetText(strings.Join(plan.Words(), "\n"))
			c.start.Enable()
		}))
	}
	changed := func() { c.plan = nil; c.start.Disable(); c.preview.SetText(wordCopyHint) }
	c.target.OnChanged = func(string) { changed() }
	c.repo.OnChanged = func(string) { changed() }
	c.tag.OnChanged = func(string) { changed() }
	c.referrers.OnChanged = func(bool) { changed() }
	c.target.SetSelectedIndex(at)
	form := widget.NewForm(widget.NewFormItem("Registry", c.target), widget.NewFormItem("Repository", c.repo),
		widget.NewFormItem("Tag", c.tag), widget.NewFormItem("", c.referrers))
	c.d = p.u.showDialog(printable.Line("Copy "+tags[0]+" of "+p.repo+" to…"), container.NewVBox(form, c.preview), previewNow,
		p.u.dialogButton("Cancel", theme.CancelIcon(), widget.MediumImportance, func() { c.d.Hide() }),
		p.u.dialogButton("Preview", theme.SearchIcon(), widget.MediumImportance, previewNow), c.start)
	c.d.Resize(manageDialogSize)
	p.copying = c
}

// copyDialog is the copy's form and preview.
type copyDialog struct {
	d         dialog.Dialog
	target    *escSelect
	repo, tag *dialogEntry
	referrers *escCheck
	preview   *widget.Label
	start     *escButton
	entry     settings.Entry
	plan      *transfer.Plan
}

// retagView is the retag dialog's parts, for tests.
type retagView struct {
	entry   *dialogEntry
	preview *widget.Label
	tag     *escButton
}

// transferView is a copy, export or import under way: its progress,
// Stop, and at the end what was done.
type transferView struct {
	d     dialog.Dialog
	words *widget.Label
	bar   *widget.ProgressBar
	stop  *escButton
}

// transferDialog runs start with progress and Stop; finished is called
// once it has ended, whichever way.
func (u *UI) transferDialog(title string, start func(context.Context, func(transfer.Progress), func(transfer.Progress, error)), finished func()) *transferView {
	ctx, cancel := context.WithCancel(context.Background())
	v := &transferView{words: wrapping(widget.NewLabel(wordStarting)), bar: widget.NewProgressBar()}
	feed := &progressFeed[transfer.Progress]{}
	ended := false
	v.stop = u.dialogButton(wordStop, theme.MediaStopIcon(), widget.MediumImportance, func() {
		if ended {
			v.d.Hide()
			return
		}
		cancel()
	})
	v.d = u.showDialog(title, container.NewVBox(v.bar, v.words), nil, v.stop)
	v.d.Resize(manageDialogSize)
	v.d.SetOnClosed(func() { u.closedDialog(v.d); cancel() })
	show := func(pr transfer.Progress) {
		v.words.SetText(pr.Words())
		if pr.Blobs > 0 { // what the target has: bytes read may still wait in a stalled upload
			v.bar.SetValue(float64(pr.BlobsDone) / float64(pr.Blobs))
		}
	}
	start(ctx, func(pr transfer.Progress) {
		if feed.offer(pr) {
			u.do(func() {
				if !ended {
					show(feed.latest())
				}
			})
		}
	}, func(pr transfer.Progress, err error) {
		u.do(func() {
			ended = true
			show(pr)
			switch {
			case ctx.Err() != nil:
				v.words.SetText(wordStopped + "\n" + feed.latest().Words())
			case err != nil:
				v.words.SetText(sentenceOf("The registry", err) + "\n" + printable.Text(err.Error()))
			default:
				v.bar.SetValue(1)
				v.words.SetText(wordDone + "\n" + pr.Words())
			}
			v.stop.SetText("Close")
			v.stop.SetIcon(theme.ConfirmIcon())
			if finished != nil {
				finished()
			}
		})
	})
	return v
}

// exportFormats are the archives Export writes, as offered.
var exportFormats = []struct {
	name string
	f    archive.Format
}{
	{"docker load archive (.tar)", archive.DockerTar},
	{"OCI image layout (.tar)", archive.LayoutTar},
	{"OCI image layout (a folder)", archive.LayoutDir},
}

// fileField is a path typed or chosen with the file dialog.
func (p *repositoryPage) fileField(save bool) fyne.CanvasObject {
	path := p.u.dialogEntry(false)
	path.SetPlaceHolder("/path/to/archive.tar")
	choose := p.u.dialogButton("Choose…", theme.FolderOpenIcon(), widget.MediumImportance, func() {
		if save {
			fd := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
				if err == nil && w != nil {
					w.Close()
					os.Remove(w.URI().Path()) // the archive writes it anew
					fill(&path.Entry, w.URI().Path())
				}
			}, p.u.win)
			fd.SetFileName(strings.ReplaceAll(p.repo, "/", "_") + ".tar")
			fd.Show()
			return
		}
		dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
			if err == nil && r != nil {
				r.Close()
				fill(&path.Entry, r.URI().Path())
			}
		}, p.u.win)
	})
	p.pathEntry = path
	return container.NewBorder(nil, nil, nil, choose, path)
}

// exportDialog writes the chosen tag to an archive.
func (p *repositoryPage) exportDialog() {
	tags := p.chosen()
	if len(tags) != 1 {
		return
	}
	ref := p.ref(tags[0])
	var names []string
	for _, f := range exportFormats {
		names = append(names, f.name)
	}
	format := p.u.dialogSelect(names, nil)
	format.SetSelectedIndex(0)
	field := p.fileField(true)
	path := p.pathEntry
	var d dialog.Dialog
	export := func() {
		if path.Text == "" {
			return
		}
		d.Hide()
		f, file := exportFormats[max(format.SelectedIndex(), 0)].f, path.Text
		name := tags[0]
		if f == archive.DockerTar {
			name = p.repo + ":" + tags[0]
		}
		p.transfer = p.u.transferDialog("Exporting "+printable.Line(ref.String()), func(ctx context.Context, progress func(transfer.Progress), done func(transfer.Progress, error)) {
			p.u.core.Export(ctx, p.entry, ref, file, f, name, progress, done)
		}, nil)
	}
	form := widget.NewForm(widget.NewFormItem("Format", format), widget.NewFormItem("File", field))
	d = p.u.showDialog(printable.Line("Export "+tags[0]+" of "+p.repo), form, export,
		p.u.dialogButton("Cancel", theme.CancelIcon(), widget.MediumImportance, func() { d.Hide() }),
		p.u.dialogButton("Export", theme.DocumentSaveIcon(), widget.HighImportance, export))
	d.Resize(manageDialogSize)
}

// importDialog copies an archive into a repository:tag of this registry.
func (p *repositoryPage) importDialog() {
	field := p.fileField(false)
	path := p.pathEntry
	repo, tag, image := p.u.dialogEntry(false), p.u.dialogEntry(false), p.u.dialogEntry(false)
	repo.SetText(p.repo)
	tag.SetPlaceHolder("tag")
	image.SetPlaceHolder(wordArchiveImageHint)
	p.importTag, p.importImage = tag, image
	var d dialog.Dialog
	importNow := func() {
		if path.Text == "" || repo.Text == "" || tag.Text == "" {
			return
		}
		d.Hide()
		reg, _ := p.entry.Registry()
		ref := registry.Reference{Registry: reg, Repository: repo.Text, Tag: tag.Text}
		file, name := path.Text, image.Text
		p.transfer = p.u.transferDialog("Importing "+printable.Line(file), func(ctx context.Context, progress func(transfer.Progress), done func(transfer.Progress, error)) {
			p.u.core.Import(ctx, p.entry, file, name, ref, progress, done)
		}, func() {
			if ref.Repository == p.repo {
				p.load()
			}
		})
	}
	form := widget.NewForm(widget.NewFormItem("Archive", field), widget.NewFormItem("Repository", repo), widget.NewFormItem("Tag", tag), widget.NewFormItem("Image", image))
	d = p.u.showDialog(printable.Line("Import into "+p.entry.Name), form, importNow,
		p.u.dialogButton("Cancel", theme.CancelIcon(), widget.MediumImportance, func() { d.Hide() }),
		p.u.dialogButton("Import", theme.FolderOpenIcon(), widget.HighImportance, importNow))
	d.Resize(manageDialogSize)
}

// dropTag is a tag row let go at pos (absolute): over a registry of the
// sidebar, the Copy dialog opens with it as the target.
func (p *repositoryPage) dropTag(tag string, pos fyne.Position) {
	p.u.markDropTarget(pos, false)
	r, ok := p.u.sidebarRowAt(pos)
	if !ok {
		return
	}
	p.selected = map[string]bool{}
	p.updateChosen()
	p.list.Refresh()
	p.cursor.at = max(slices.Index(p.visibleTags(), tag), 0)
	p.copyDialog(p.u.entries[r.id])
}

// visibleTags are the tags the list shows, in order.
func (p *repositoryPage) visibleTags() []string {
	out := make([]string, p.result.Len())
	for i := range out {
		out[i] = p.result.At(i)
	}
	return out
}

// sidebarRowAt is the sidebar row of a registry under pos.
func (u *UI) sidebarRowAt(pos fyne.Position) (*sidebarRow, bool) {
	d := fyne.CurrentApp().Driver()
	for _, r := range u.sidebarRows {
		if !r.Visible() || r.id < 0 || r.id >= len(u.entries) {
			continue
		}
		at := d.AbsolutePositionForObject(r)
		size := r.Size()
		if pos.X >= at.X && pos.X < at.X+size.Width && pos.Y >= at.Y && pos.Y < at.Y+size.Height && insideList(u, pos) {
			return r, true
		}
	}
	return nil, false
}

// markDropTarget outlines the registry a tag dragged to pos would be
// copied to, and no other; with dragging false, none.
func (u *UI) markDropTarget(pos fyne.Position, dragging bool) {
	under, _ := u.sidebarRowAt(pos)
	for _, r := range u.sidebarRows {
		r.showDropTarget(dragging && r == under)
	}
}

// insideList: pos is within the sidebar list itself (a row scrolled out
// of it keeps a position).
func insideList(u *UI, pos fyne.Position) bool {
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(u.sidebar)
	s := u.sidebar.Size()
	return pos.X >= at.X && pos.X < at.X+s.Width && pos.Y >= at.Y && pos.Y < at.Y+s.Height
}
