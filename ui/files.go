package ui

import (
	"cmp"
	"context"
	"fmt"
	"image/color"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/imagefs"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/search"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
)

// filesPage shows the files inside an image as they stream in: the merged
// filesystem of all its layers (with a layer filter and what makes it
// big), or one layer as stored (whiteouts included).
type filesPage struct {
	u      *UI
	entry  settings.Entry
	ref    registry.Reference
	layers []v1.Descriptor
	// history is each layer's Dockerfile line, when the config says.
	history []string
	// layer is the one layer shown, or -1 for the merged filesystem.
	layer int
	tree  *imagefs.Tree
	pageBase

	view     *widget.Tree
	progress *widget.ProgressBar
	status   *widget.Label
	// warning says which layers were cut off.
	warning *widget.Label
	stop    *widget.Button
	message *messageView
	loaded  bool

	// filter is the layer whose changes are shown (-1: all); visible
	// marks those nodes and their parents.
	filter       int
	filterSelect *pageSelect
	visible      []bool
	visibleCount int

	// lastTap is the row tapped last, and when: a second tap on it soon
	// after opens it.
	lastTap struct {
		uid widget.TreeNodeID
		at  time.Time
	}

	// bySize sorts each folder's entries largest first; else by name.
	bySize     bool
	sortButton *widget.Button

	selected imagefs.ID
	details  *widget.Label
	read     *widget.Button
	save     *widget.Button
	follow   *widget.Button

	query        string
	resultCursor cursor // over the search's matches; on the best from the start
	paths        []string
	pathIDs      []imagefs.ID
	searcher     *search.Searcher
	result       *search.Result
	results      *widget.List
	noMatch      *widget.Label
	treeArea     *fyne.Container

	sizeArea *fyne.Container
	tabs     *container.AppTabs
	content  fyne.CanvasObject
}

// newFilesPage opens the files of an image (layer -1) or of one layer.
func newFilesPage(u *UI, e settings.Entry, ref registry.Reference, m *registry.Manifest, history []string, layer int) *filesPage {
	p := &filesPage{u: u, entry: e, ref: ref, layers: m.Layers(), history: history, layer: layer, filter: -1, selected: -1}
	p.pageBase = newPageBase(context.Background())
	p.tree = imagefs.NewTree(layer >= 0)
	p.progress = widget.NewProgressBar()
	p.progress.TextFormatter = func() string { return "" }
	p.status = widget.NewLabel("Starting…")
	p.status.Truncation = fyne.TextTruncateEllipsis
	p.warning = widget.NewLabel("")
	p.warning.Importance = widget.WarningImportance
	p.warning.Wrapping = fyne.TextWrapWord
	p.warning.Hide()
	p.stop = widget.NewButtonWithIcon("Stop", theme.MediaStopIcon(), p.Stop)
	p.message = newMessageView(p.load)

	p.view = widget.NewTree(p.childUIDs, p.isBranch, p.newEntryRow, p.updateRow)
	p.view.OnSelected = func(uid widget.TreeNodeID) { p.choose(nodeID(uid)) }
	p.details = widget.NewLabel("Select an entry to see it here.")
	p.details.Wrapping = fyne.TextWrapWord
	p.read = widget.NewButtonWithIcon("Read", theme.DocumentIcon(), func() { p.openFile(p.selected) })
	p.save = widget.NewButtonWithIcon("Save…", theme.DocumentSaveIcon(), func() { p.saveFile(p.selected, p.details.SetText) })
	p.follow = widget.NewButtonWithIcon("Go to target", theme.NavigateNextIcon(), func() { p.goToTarget(p.selected) })
	p.read.Disable()
	p.save.Disable()
	p.follow.Disable()

	p.results = widget.NewList(func() int {
		if p.result == nil {
			return 0
		}
		return min(p.result.Len(), maxResults)
	}, func() fyne.CanvasObject {
		bg := canvas.NewRectangle(color.Transparent)
		bg.CornerRadius = theme.InputRadiusSize()
		return container.NewStack(bg, widget.NewRichText())
	}, p.updateResult)
	p.results.OnSelected = func(id widget.ListItemID) {
		p.results.UnselectAll()
		p.reveal(p.pathIDs[p.result.Index(id)])
	}
	p.noMatch = newNoMatch()
	p.treeArea = container.NewStack(p.view)

	top := container.NewVBox(container.NewBorder(nil, nil, nil, p.stop, container.NewVBox(p.progress, p.status)), p.warning)
	actions := container.NewHBox(p.read, p.save, p.follow)
	bottom := container.NewVBox(widget.NewSeparator(), p.details, actions)
	filesTab := container.NewBorder(p.treeHeader(), bottom, nil, nil, container.NewStack(p.treeArea, p.noMatch))
	if layer < 0 {
		p.filterSelect = p.u.pageSelect(p.filterOptions(), func(string) { p.setFilter(p.filterSelect.SelectedIndex() - 1) })
		p.filterSelect.SetSelectedIndex(0)
		filesTab = container.NewBorder(container.NewBorder(nil, nil, widget.NewLabel("Show"), nil, p.filterSelect), nil, nil, nil, filesTab)
		waiting := widget.NewLabel("What makes the image big is counted once all its layers are read.")
		waiting.Wrapping = fyne.TextWrapWord
		p.sizeArea = container.NewStack(waiting)
		p.tabs = container.NewAppTabs(container.NewTabItem("Files", filesTab), container.NewTabItem("What makes it big", p.sizeArea))
		p.content = container.NewStack(container.NewBorder(top, nil, nil, nil, p.tabs), p.message.box)
	} else {
		head := widget.NewLabel(p.layerTitle(layer))
		head.Truncation = fyne.TextTruncateEllipsis
		p.content = container.NewStack(container.NewBorder(container.NewVBox(head, top), nil, nil, nil, filesTab), p.message.box)
	}
	p.load()
	return p
}

// maxResults bounds the search results listed: more is a scroll no one
// makes.
const maxResults = 5000

func (p *filesPage) Title() string {
	if p.layer >= 0 {
		return fmt.Sprintf("layer %d", p.layer)
	}
	return "files"
}
func (p *filesPage) Content() fyne.CanvasObject { return p.content }
func (p *filesPage) Searchable() bool           { return true }

// Move moves through the search's matches, or the tree's rows: Up and
// Down to the row above or below, Right opens a directory (or goes into
// it), Left closes it (or goes up to its parent).
func (p *filesPage) Move(delta int, rows bool) {
	switch {
	case p.query != "":
		if !rows || p.result == nil || p.result.Len() == 0 {
			return
		}
		n := min(p.result.Len(), maxResults)
		p.results.RefreshItem(p.resultCursor.move(delta, n))
		p.results.RefreshItem(p.resultCursor.at)
		p.results.ScrollTo(p.resultCursor.at)
	case rows:
		shown := p.shownRows()
		at := slices.Index(shown, p.selected)
		switch {
		case at < 0 && delta > 0:
			at = -1 // Down starts at the top
		case at < 0:
			at = len(shown) // and Up at the bottom
		}
		if next := at + delta; next >= 0 && next < len(shown) {
			p.selectRow(shown[next])
		}
	case p.selected >= 0:
		uid := uidOf(p.selected)
		switch open := p.isBranch(uid) && p.view.IsBranchOpen(uid); {
		case delta > 0 && p.isBranch(uid) && !open:
			p.view.OpenBranch(uid)
		case delta > 0 && open:
			if kids := p.childUIDs(uid); len(kids) > 0 {
				p.selectRow(nodeID(kids[0]))
			}
		case delta < 0 && open:
			p.view.CloseBranch(uid)
		case delta < 0:
			if up := p.tree.Parent(p.selected); up > 0 {
				p.selectRow(up)
			}
		}
	}
}

// shownRows are the tree's rows as drawn: the open directories' children,
// depth first.
func (p *filesPage) shownRows() []imagefs.ID {
	var rows []imagefs.ID
	var walk func(uid widget.TreeNodeID)
	walk = func(uid widget.TreeNodeID) {
		for _, c := range p.childUIDs(uid) {
			rows = append(rows, nodeID(c))
			if p.isBranch(c) && p.view.IsBranchOpen(c) {
				walk(c)
			}
		}
	}
	walk("")
	return rows
}

// selectRow selects id in the tree, shows it and its facts.
func (p *filesPage) selectRow(id imagefs.ID) {
	p.view.Select(uidOf(id))
	p.view.ScrollTo(uidOf(id))
	p.choose(id)
}

// Open shows the search's match under the cursor in the tree; without a
// search, it opens the selected directory, or reads the selected file.
func (p *filesPage) Open() {
	switch {
	case p.query != "":
		if p.result != nil && p.resultCursor.at < min(p.result.Len(), maxResults) {
			p.reveal(p.pathIDs[p.result.Index(p.resultCursor.at)])
		}
	case p.selected >= 0 && p.isBranch(uidOf(p.selected)):
		if uid := uidOf(p.selected); p.view.IsBranchOpen(uid) {
			p.view.CloseBranch(uid)
		} else {
			p.view.OpenBranch(uid)
		}
	default:
		p.openFile(p.selected)
	}
}

// Stop ends the download where it is; what has arrived stays.
func (p *filesPage) Stop() { p.cancel() }

func (p *filesPage) layerTitle(i int) string {
	d := p.layers[i]
	s := fmt.Sprintf("Layer %d · %s · %s", i, humanSize(d.Size), printable.Line(strings.TrimPrefix(string(d.MediaType), "application/vnd.")))
	if i < len(p.history) && p.history[i] != "" {
		s += " · " + printable.Line(p.history[i])
	}
	return s
}

func (p *filesPage) filterOptions() []string {
	opts := []string{"All layers: the filesystem the container sees"}
	for i := range p.layers {
		opts = append(opts, "Only what "+strings.ToLower(p.layerTitle(i)[:1])+p.layerTitle(i)[1:]+" added, changed or removed")
	}
	return opts
}

func (p *filesPage) load() {
	p.message.hide()
	ctx := p.ctx
	first, layers := 0, p.layers
	if p.layer >= 0 {
		first, layers = p.layer, p.layers[p.layer:p.layer+1]
	}
	feed := &progressFeed[image.Progress]{}
	p.u.core.ReadFiles(ctx, p.entry, p.ref, layers, first, p.tree, func(pr image.Progress) {
		if feed.offer(pr) {
			p.u.do(func() {
				if wanted(ctx) {
					p.showProgress(feed.latest(), nil)
				}
			})
		}
	}, func(err error) {
		p.u.do(func() { p.finish(feed.latest(), err) })
	})
}

// showProgress says how far the read is: bytes of the size, entries, speed.
func (p *filesPage) showProgress(pr image.Progress, err error) {
	if pr.Size > 0 {
		p.progress.SetValue(min(float64(pr.Read)/float64(pr.Size), 1))
	}
	p.status.SetText(strings.Join(append(progressParts(pr), errorPart(err)...), " · "))
	p.showUnterminated(pr.Unterminated)
	p.refreshView()
}

// progressParts say how far a read of layers is: the bytes downloaded,
// what came from this computer's copy instead, the entries, the layers
// done and the speed.
func progressParts(pr image.Progress) []string {
	var parts []string
	switch {
	case pr.Kept > 0 && pr.Kept == pr.Done && pr.Done == pr.Layers:
		parts = append(parts, "from this computer's copy, nothing downloaded")
	case pr.Kept > 0:
		parts = append(parts, fmt.Sprintf("%s of %s downloaded", humanSize(pr.Downloaded()), humanSize(pr.Size-pr.KeptBytes)),
			fmt.Sprintf("%s from this computer's copy", pluralOf(pr.Kept, "layer", "layers")))
	default:
		parts = append(parts, fmt.Sprintf("%s of %s", humanSize(pr.Read), humanSize(pr.Size)))
	}
	parts = append(parts, pluralOf(pr.Entries, "entry", "entries"))
	if pr.Layers > 1 {
		parts = append(parts, fmt.Sprintf("%d of %d layers", pr.Done, pr.Layers))
	}
	if s := pr.BytesPerSecond(); s > 0 && pr.Downloaded() > 0 {
		parts = append(parts, humanSize(int64(s))+"/s")
	}
	return parts
}

// errorPart is err's few words, for a status line; none for nil.
func errorPart(err error) []string {
	if err == nil {
		return nil
	}
	return []string{statusOf(err).Detail}
}

// showUnterminated says which layers' tars were cut off, as tar would.
func (p *filesPage) showUnterminated(layers []int) {
	var notes []string
	for _, i := range layers {
		notes = append(notes, capitalized(image.UnterminatedNote(i))+".")
	}
	p.warning.SetText(strings.Join(notes, "\n"))
	p.warning.Hidden = len(notes) == 0
}

func (p *filesPage) finish(pr image.Progress, err error) {
	p.loaded = err == nil
	p.stop.Disable()
	p.showProgress(pr, err)
	switch {
	case err == nil:
		p.progress.SetValue(1)
		p.status.SetText(p.status.Text + " · done")
		p.showSize()
	case !wanted(p.ctx):
		p.status.SetText(p.status.Text + " · stopped; what arrived is shown")
	default:
		p.u.noteFailure(p.entry, err)
		p.status.SetText("Stopped: " + printable.Line(err.Error()))
		if pr.Entries == 0 {
			p.message.show(p.u.explain(p.entry, err), err.Error(), true)
		}
	}
	if p.query != "" {
		p.Search(p.query)
	}
}

func (p *filesPage) refreshView() {
	if p.filter >= 0 {
		p.markVisible()
	}
	p.view.Refresh()
}

func nodeID(uid widget.TreeNodeID) imagefs.ID {
	if uid == "" {
		return 0
	}
	n, err := strconv.Atoi(uid)
	if err != nil {
		return -1
	}
	return imagefs.ID(n)
}

func uidOf(id imagefs.ID) widget.TreeNodeID {
	if id == 0 {
		return ""
	}
	return strconv.Itoa(int(id))
}

// treeHeader names the tree's columns, with a button that sorts it by
// size (largest first) or back by name.
func (p *filesPage) treeHeader() fyne.CanvasObject {
	p.sortButton = widget.NewButton("", func() { p.sortBySize(!p.bySize) })
	p.sortBySize(false)
	columns := widget.NewLabelWithStyle(factsHeader, fyne.TextAlignTrailing, fyne.TextStyle{Monospace: true, Bold: true})
	return container.NewBorder(nil, nil, p.sortButton, columns)
}

// sortBySize sorts the tree by size (largest first) or by name.
func (p *filesPage) sortBySize(bySize bool) {
	p.bySize = bySize
	if bySize {
		p.sortButton.SetText("Sort by name")
	} else {
		p.sortButton.SetText("Sort by size")
	}
	p.view.Refresh()
}

// keep picks the children shown: live ones, or under a layer filter those
// on the way to what the layer changed (removed ones included).
func (p *filesPage) keep() func(imagefs.ID) bool {
	if p.layer >= 0 || p.filter < 0 {
		return nil
	}
	visible := p.visible
	return func(id imagefs.ID) bool { return int(id) < len(visible) && visible[id] }
}

func (p *filesPage) childUIDs(uid widget.TreeNodeID) []widget.TreeNodeID {
	ids := p.tree.Children(nodeID(uid), p.keep())
	if p.bySize {
		sizes := make(map[imagefs.ID]int64, len(ids))
		for _, id := range ids {
			sizes[id] = p.tree.Node(id).Size
		}
		slices.SortStableFunc(ids, func(a, b imagefs.ID) int { return cmp.Compare(sizes[b], sizes[a]) })
	}
	out := make([]widget.TreeNodeID, len(ids))
	for i, id := range ids {
		out[i] = uidOf(id)
	}
	return out
}

func (p *filesPage) isBranch(uid widget.TreeNodeID) bool {
	id := nodeID(uid)
	return id == 0 || (id > 0 && p.tree.Node(id).Type == imagefs.Dir)
}

// setFilter shows only what layer changed (-1: everything).
func (p *filesPage) setFilter(layer int) {
	if layer == p.filter {
		return
	}
	p.filter = layer
	p.refreshView()
	if layer >= 0 && p.visibleCount < openAllUnder {
		p.view.OpenAllBranches()
	}
}

// openAllUnder: a layer's changes fewer than this open fully.
const openAllUnder = 3000

// markVisible marks the nodes the layer filter shows: those the layer
// wrote or removed last, and the directories on the way to them.
func (p *filesPage) markVisible() {
	p.visible, p.visibleCount = p.tree.ChangedBy(p.filter)
}

// entryRow is a tree row: name (and link target), then size, mode,
// owner and the layer that wrote it, in the columns the header names. A
// tap selects it; a double tap opens a folder, or reads a file.
type entryRow struct {
	widget.BaseWidget
	p           *filesPage
	uid         widget.TreeNodeID
	name, facts *widget.Label
}

func (p *filesPage) newEntryRow(bool) fyne.CanvasObject {
	r := &entryRow{p: p, name: widget.NewLabel(""), facts: widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Monospace: true})}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.ExtendBaseWidget(r)
	return r
}

func (r *entryRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, r.facts, r.name))
}

// Tapped selects the row; a second tap on it soon after is a double
// click. (As a fyne.DoubleTappable the row would have every single tap
// wait for the double tap's time before it selects.)
func (r *entryRow) Tapped(*fyne.PointEvent) {
	if r.p == nil {
		return
	}
	p := r.p
	double := p.lastTap.uid == r.uid && time.Since(p.lastTap.at) < doubleTap
	p.lastTap.uid, p.lastTap.at = r.uid, time.Now()
	p.view.Select(r.uid)
	if double {
		p.lastTap.uid = ""
		p.selectRow(nodeID(r.uid))
		p.Open()
	}
}

// doubleTap is how soon a second tap makes a double click.
const doubleTap = 400 * time.Millisecond

// factsColumns lays out a row's facts under the header: size, mode, owner
// (uid:gid) and layer, each as wide as its column.
const factsColumns = "%8s %-10s %11s %5s"

// ownerColumn is the owner's column's width: "10001:10001".
const ownerColumn = 11

// factsHeader names the facts' columns.
var factsHeader = fmt.Sprintf(factsColumns, "Size", "Mode", "UID:GID", "Layer")

// entryFacts are a node's facts in their columns; an owner too long for
// its column is cut, so the columns stay in line.
func entryFacts(size string, n imagefs.Node) string {
	owner := fmt.Sprintf("%d:%d", n.UID, n.GID)
	if len(owner) > ownerColumn {
		owner = owner[:ownerColumn-1] + "…"
	}
	return fmt.Sprintf(factsColumns, size, n.ModeString(), owner, strconv.Itoa(n.Layer))
}

func (p *filesPage) updateRow(uid widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
	r := o.(*entryRow)
	r.uid = uid
	name, facts := r.name, r.facts
	id := nodeID(uid)
	if id < 0 || int(id) >= p.tree.Len() {
		return
	}
	n := p.tree.Node(id)
	text := printable.Line(n.Name)
	switch n.Type {
	case imagefs.Symlink:
		text += " → " + printable.Line(n.Target)
	case imagefs.Hardlink:
		text += " ⇒ " + printable.Line(n.Target)
	case imagefs.Whiteout, imagefs.Opaque:
		text += " (" + n.Type.Effect() + ")"
	}
	if p.filter >= 0 && n.Layer == p.filter {
		switch {
		case n.Removed:
			text += " · removed"
		case n.Changed:
			text += " · changed"
		case !n.Implicit:
			text += " · added"
		}
	}
	name.SetText(text)
	size := humanSize(n.Size)
	if n.Type == imagefs.Dir && !p.loaded {
		size = ""
	}
	facts.SetText(entryFacts(size, n))
}

// choose shows the selected entry's facts and what can be done with it.
func (p *filesPage) choose(id imagefs.ID) {
	if id < 0 || int(id) >= p.tree.Len() {
		return
	}
	p.selected = id
	n := p.tree.Node(id)
	lines := []string{printable.Line(n.Path)}
	facts := fmt.Sprintf("%s · %s · %s · owner %d:%d · modified %s", n.Type, humanSize(n.Size), n.ModeString(), n.UID, n.GID, n.ModTime.Format("2006-01-02 15:04"))
	if n.Target != "" {
		facts += " · target " + printable.Line(n.Target)
	}
	lines = append(lines, facts)
	if n.Layer < len(p.layers) {
		verb := "written by"
		if n.Removed {
			verb = "removed by"
		}
		lines = append(lines, verb+" "+strings.ToLower(p.layerTitle(n.Layer)[:1])+p.layerTitle(n.Layer)[1:])
	}
	p.details.SetText(strings.Join(lines, "\n"))
	file := !n.Removed && (n.Type == imagefs.File || n.Type == imagefs.Hardlink || n.Type == imagefs.Symlink)
	if file {
		p.read.Enable()
		p.save.Enable()
	} else {
		p.read.Disable()
		p.save.Disable()
	}
	if n.Type == imagefs.Symlink && !n.Removed {
		p.follow.Enable()
	} else {
		p.follow.Disable()
	}
}

// reveal opens the branches down to id, selects and shows it.
func (p *filesPage) reveal(id imagefs.ID) {
	if p.query != "" {
		p.u.search.SetText("") // back to the tree
	}
	for at := p.tree.Parent(id); at >= 0; at = p.tree.Parent(at) {
		p.view.OpenBranch(uidOf(at))
		if at == 0 {
			break
		}
	}
	p.view.Select(uidOf(id))
	p.view.ScrollTo(uidOf(id))
	p.choose(id)
}

// goToTarget selects where a symlink leads, inside the image.
func (p *filesPage) goToTarget(id imagefs.ID) {
	n := p.tree.Node(id)
	target, err := p.tree.Resolve(n.Path)
	if err != nil {
		p.details.SetText(p.details.Text + "\n" + printable.Line(err.Error()))
		return
	}
	p.reveal(target)
}

// openFile shows a file's text on a page of its own.
func (p *filesPage) openFile(id imagefs.ID) {
	if id < 0 {
		return
	}
	n := p.tree.Node(id)
	if n.Type == imagefs.Dir || n.Type == imagefs.Whiteout || n.Type == imagefs.Opaque {
		return
	}
	p.u.push(newTextPage(p, n))
}

// saveFile writes a file's bytes where the person chooses; say tells how
// it goes, on the page the person saved from.
func (p *filesPage) saveFile(id imagefs.ID, say func(string)) {
	if id < 0 {
		return
	}
	n := p.tree.Node(id)
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		p.writeFile(n.Path, w, w.URI().Path(), say)
	}, p.u.win)
	d.SetFileName(imagefs.SafeName(n.Path))
	d.Show()
}

// writeFile streams the file at path into w (the file at where) and says
// how it went. The bytes are held until they are checked (image.Spool), so
// that a file saved is never one the registry lied about.
func (p *filesPage) writeFile(path string, w io.WriteCloser, where string, say func(string)) {
	saving := "Saving " + printable.Line(path) + " to " + printable.Line(where)
	say(saving + "…")
	spool := image.NewSpool(w)
	counted := &countingWriter{w: spool}
	// While it runs, the bytes written so far, a few times a second.
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(redrawEvery)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				n := counted.n.Load()
				p.u.do(func() {
					select {
					case <-done:
					default:
						say(fmt.Sprintf("%s: %s read…", saving, humanSize(n)))
					}
				})
			}
		}
	}()
	p.u.core.FileContent(p.ctx, p.entry, p.ref, p.layers, p.tree, path, counted, func(_ imagefs.Node, err error) {
		if err == nil {
			err = spool.Commit()
		}
		spool.Close()
		closeErr := w.Close()
		p.u.do(func() {
			close(done)
			switch {
			case err != nil:
				p.u.noteFailure(p.entry, err)
				say("Could not save " + printable.Line(path) + ". " + p.readErrorWords(err))
				return
			case closeErr != nil:
				say("Could not write " + printable.Line(where) + ": " + printable.Line(closeErr.Error()))
				return
			}
			p.u.noteSuccess(p.entry)
			say(fmt.Sprintf("Saved %s to %s (%s).", printable.Line(path), printable.Line(where), humanSize(counted.n.Load())))
		})
	})
}

// readErrorWords says why a file's bytes could not be read, in the app's
// words: only the lists of files are kept on this computer, and a file's
// bytes come from the registry.
func (p *filesPage) readErrorWords(err error) string {
	words := p.u.explain(p.entry, err)
	if image.Unanswered(err) {
		words += " This computer keeps the lists of files, not their bytes."
	}
	return words
}

// showReadError puts up why a file could not be read, with a Retry and
// what would mend it.
func (p *filesPage) showReadError(m *messageView, err error) {
	p.u.noteFailure(p.entry, err)
	m.show(p.readErrorWords(err), err.Error(), true)
	p.u.offerFix(m, p.entry, err)
}

// countingWriter counts what it writes, for another goroutine to read.
type countingWriter struct {
	w image.Rewinder
	n atomic.Int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n.Add(int64(n))
	return n, err
}

func (c *countingWriter) Rewind() error {
	c.n.Store(0)
	return c.w.Rewind()
}

// Search finds paths among the entries, as the cards' search does.
func (p *filesPage) Search(query string) {
	p.query = query
	if query == "" {
		p.treeArea.Objects = []fyne.CanvasObject{p.view}
		p.treeArea.Refresh()
		p.noMatch.Hide()
		return
	}
	if p.searcher == nil || len(p.paths) == 0 || !p.loaded {
		p.indexPaths()
	}
	p.result = p.searcher.Search(query)
	p.resultCursor = cursor{shown: true}
	p.treeArea.Objects = []fyne.CanvasObject{p.results}
	p.treeArea.Refresh()
	p.results.Refresh()
	p.results.ScrollToTop()
	showNoMatch(p.noMatch, query, p.result.Len(), "paths")
}

// indexPaths lists the live paths for the search.
func (p *filesPage) indexPaths() {
	p.paths, p.pathIDs = p.paths[:0], p.pathIDs[:0]
	p.tree.Walk(0, func(n imagefs.Node) bool {
		if n.ID != 0 {
			p.paths = append(p.paths, n.Path)
			p.pathIDs = append(p.pathIDs, n.ID)
		}
		return true
	})
	p.searcher = search.New(p.paths)
}

func (p *filesPage) updateResult(id widget.ListItemID, o fyne.CanvasObject) {
	objs := o.(*fyne.Container).Objects
	markCursor(objs[0].(*canvas.Rectangle), p.resultCursor.on(id))
	rt := objs[1].(*widget.RichText)
	path := p.result.At(id)
	style := inline(theme.ColorNameForeground, theme.SizeNameText, false)
	shown := printable.Line(path)
	if shown != path {
		rt.Segments = highlighted(shown, 0, nil, style)
	} else {
		rt.Segments = highlighted(path, 0, search.Highlights(p.query, path), style)
	}
	rt.Refresh()
}

// showSize counts directories' totals once every layer is in, and fills
// the size view of a merged tree.
func (p *filesPage) showSize() {
	tree := p.tree
	go func() {
		s := tree.Size(50)
		p.u.do(func() {
			if p.sizeArea != nil {
				p.sizeArea.Objects = []fyne.CanvasObject{sizeView(p, s)}
				p.sizeArea.Refresh()
			}
			p.view.Refresh() // directories now have their totals
		})
	}()
}

// sizeView says what makes an image big: the efficiency, each layer's
// bytes and waste, and the largest files, directories and wasted files.
func sizeView(p *filesPage, s imagefs.Size) fyne.CanvasObject {
	summary := widget.NewLabel(fmt.Sprintf("Files in all layers: %s. Reaching the filesystem: %s. Wasted: %s. Efficiency: %.1f%%.",
		humanSize(s.Total), humanSize(s.Final), humanSize(s.Total-s.Final), 100*s.Efficiency))
	summary.Wrapping = fyne.TextWrapWord
	summary.TextStyle.Bold = true
	layers := p.u.columnList(len(s.Layers), func(id int, cells [3]*widget.Label) {
		l := s.Layers[id]
		cells[0].SetText(fmt.Sprintf("layer %d: %s in %s", id, humanSize(l.Bytes), pluralOf(l.Entries, "entry", "entries")))
		cells[1].SetText("wasted " + humanSize(l.Wasted))
		hist := ""
		if id < len(p.history) {
			hist = printable.Line(p.history[id])
		}
		cells[2].SetText(hist)
	}, nil)
	type row struct {
		path string
		size int64
		note string
		id   imagefs.ID
	}
	var rows []row
	for _, f := range s.Files {
		rows = append(rows, row{f.Path, f.Size, fmt.Sprintf("file · layer %d", f.Layer), f.ID})
	}
	for _, d := range s.Dirs {
		rows = append(rows, row{d.Path, d.Size, "directory", d.ID})
	}
	for _, w := range s.Wasted {
		rows = append(rows, row{w.Path, w.Size, fmt.Sprintf("wasted · written by layer %d, later overwritten or deleted", w.Layer), -1})
	}
	kinds := []string{"Largest files", "Directories", "Wasted"}
	counts := []int{len(s.Files), len(s.Dirs), len(s.Wasted)}
	which := widget.NewRadioGroup(kinds, nil)
	which.Horizontal = true
	var shown []row
	list := p.u.columnList(0, nil, nil)
	list.Length = func() int { return len(shown) }
	list.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		cells, r := o.(*columnRow).cells, shown[id]
		cells[0].SetText(humanSize(r.size))
		cells[1].SetText(printable.Line(r.path))
		cells[2].SetText(r.note)
	}
	list.OnSelected = func(id widget.ListItemID) {
		list.UnselectAll()
		if shown[id].id >= 0 {
			p.tabs.SelectIndex(0)
			p.reveal(shown[id].id)
		}
	}
	which.OnChanged = func(k string) {
		start := 0
		for i, name := range kinds {
			if name == k {
				shown = rows[start : start+counts[i]]
			}
			start += counts[i]
		}
		list.Refresh()
	}
	which.SetSelected(kinds[0])
	top := container.NewVBox(summary, widget.NewSeparator())
	split := container.NewVSplit(container.NewBorder(bold("Layers"), nil, nil, nil, layers), container.NewBorder(which, nil, nil, nil, list))
	split.Offset = 0.3
	return container.NewBorder(top, nil, nil, nil, split)
}
