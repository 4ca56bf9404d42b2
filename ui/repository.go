package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/app/search"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
)

// Orders of a repository's tags.
const (
	byVersion = "Newest version"
	byName    = "Name"
	byDate    = "Newest build"
)

// repositoryPage lists a repository's tags: each row fills in its digest,
// platforms, size and date when it is shown.
type repositoryPage struct {
	u     *UI
	entry settings.Entry
	repo  string
	pageBase

	tags []string
	// loads counts the listings asked for: only the last one's answer is
	// shown, whichever order they come back in.
	loads    int
	searcher *search.Searcher
	result   *search.Result
	query    string
	cursor   cursor

	list    *widget.List
	lazy    *lazy
	badges  *badges
	order   *pageSelect
	pin     *tipButton
	summary *widget.Label
	message *messageView
	// incomplete says why the tag list is not whole; kept is set when it
	// is this computer's copy.
	incomplete string
	kept       *image.FromKept
	// noMatch says that a search found nothing.
	noMatch *widget.Label
	content fyne.CanvasObject

	// selected are the tags ticked for Manage's writes; manage is their
	// bar, deleting and copying the dialogs open (for tests).
	selected  map[string]bool
	manage    *manageBar
	deleting  *deleteDialog
	copying   *copyDialog
	retagging *retagView
	transfer  *transferView
	pathEntry *dialogEntry
	// importTag and importImage are the Import dialog's tag and image.
	importTag, importImage *dialogEntry
}

func newRepositoryPage(u *UI, e settings.Entry, repo string) *repositoryPage {
	p := &repositoryPage{u: u, entry: e, repo: repo}
	p.pageBase = newPageBase(context.Background())
	p.searcher = search.New(nil)
	p.result = p.searcher.Search("")
	p.list = widget.NewList(
		func() int { return p.result.Len() },
		func() fyne.CanvasObject { r := newTagRow(); r.hoverTip = u.hoverTip(); return r },
		func(id widget.ListItemID, o fyne.CanvasObject) { p.bindRow(id, o.(*tagRow)) })
	p.list.OnSelected = func(id widget.ListItemID) {
		p.list.UnselectAll()
		p.cursor.at = id
		p.Open()
	}
	p.lazy = newLazy(u, func(ctx context.Context, tag string, done func(image.Summary, error)) {
		u.core.TagSummary(ctx, e, p.ref(tag), pool.PriorityVisible, done)
	}, p.list.RefreshItem)
	p.badges = newBadges(u, e, p.lazy)
	p.order = u.pageSelect([]string{byVersion, byName, byDate}, func(string) { p.sort() })
	p.order.Selected = byVersion
	wholeOptions(&p.order.Select)
	p.pin = u.iconButton(nil, "", p.togglePin) // with words: a "+" did not say pin
	p.updatePin()
	p.summary = widget.NewLabel("Loading the tags…")
	p.summary.Importance = widget.LowImportance
	p.summary.Truncation = fyne.TextTruncateEllipsis // a long line must not widen the window
	p.message = newMessageView(func() { p.load() })
	p.noMatch = newNoMatch()
	compareButton := u.iconButton(nil, "Compare two tags of this repository (Ctrl+Shift+C)", p.compareTags)
	compareButton.SetText("Compare…")
	header := container.NewBorder(nil, nil, nil, container.NewHBox(p.order, compareButton, p.pin), p.summary)
	p.manage = p.newManageBar()
	columns := container.NewBorder(nil, nil, p.manage.all, nil, container.New(layout.NewGridLayoutWithColumns(5),
		columnHead("Tag"), columnHead("Digest"), columnHead("Platforms"), columnHead("Size"), columnHead("Built")))
	p.content = container.NewBorder(container.NewVBox(fullName(repo), header, p.manage.box, columns, widget.NewSeparator()), p.manage.undo, nil, nil,
		container.NewStack(p.list, p.noMatch, p.message.box))
	p.load()
	return p
}

// wholeOptions makes a drop-down wide enough for its longest option: a
// Select is as wide as its placeholder, whatever it shows.
func wholeOptions(s *widget.Select) {
	longest := ""
	for _, o := range s.Options {
		if fyne.MeasureText(o, theme.TextSize(), fyne.TextStyle{}).Width > fyne.MeasureText(longest, theme.TextSize(), fyne.TextStyle{}).Width {
			longest = o
		}
	}
	s.PlaceHolder = longest + "  " // the label's own inset
}

func bold(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// columnHead names a column; it is cut, not the window, when narrow.
func columnHead(s string) *widget.Label {
	l := bold(s)
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

func (p *repositoryPage) Title() string              { return p.repo }
func (p *repositoryPage) Content() fyne.CanvasObject { return p.content }
func (p *repositoryPage) Searchable() bool           { return true }
func (p *repositoryPage) Close() {
	p.cancel()
	p.lazy.stop()
	p.badges.stop()
}

func (p *repositoryPage) ref(tag string) registry.Reference {
	reg, _ := p.entry.Registry()
	return registry.Reference{Registry: reg, Repository: p.repo, Tag: tag}
}

func (p *repositoryPage) load() {
	p.message.hide()
	ctx := p.ctx
	p.loads++
	load := p.loads
	p.u.core.ListTags(ctx, p.entry, p.repo, pool.PriorityUser, func(l app.TagList, err error) {
		p.u.do(func() {
			if !wanted(ctx) || load != p.loads {
				return
			}
			tags := l.Tags
			if errors.Is(err, registry.ErrIncomplete) && len(tags) > 0 {
				p.incomplete, err = incompleteReason(err), nil // the tags listed are shown
			}
			if err != nil {
				p.showError(err)
				return
			}
			p.u.noteAnswer(p.entry, l.FromKept)
			p.kept = l.FromKept
			p.tags = tags
			p.sort()
			if len(tags) == 0 {
				p.message.show(p.repo+" has no tags.", "", false)
			}
		})
	})
}

// showError says why the tags could not be listed, and what would mend it;
// the registry's state follows what happened here.
func (p *repositoryPage) showError(err error) {
	if errors.Is(err, registry.ErrNotFound) {
		p.summary.SetText("no such repository")
		p.message.show(p.entry.Name+" has no repository named "+p.repo+".", err.Error(), true)
		return
	}
	p.u.noteFailure(p.entry, err)
	p.summary.SetText(statusOf(err).Detail)
	p.message.show(p.u.explain(p.entry, err), err.Error(), true)
	p.u.offerFix(p.message, p.entry, err)
}

// sort orders the tags as chosen and filters them again.
func (p *repositoryPage) sort() {
	switch p.order.Selected {
	case byName:
		slices.Sort(p.tags)
	case byDate:
		image.SortTags(p.tags)
		slices.SortStableFunc(p.tags, func(a, b string) int {
			ta, tb := p.builtAt(a), p.builtAt(b)
			return tb.Compare(ta)
		})
	default:
		image.SortTags(p.tags)
	}
	p.searcher = search.New(p.tags)
	p.Search(p.query)
}

// builtAt is a tag's build time when its row has loaded; unknown is oldest.
func (p *repositoryPage) builtAt(tag string) time.Time {
	if s := p.lazy.states[tag]; s != nil && s.loaded {
		return s.summary.Updated
	}
	return time.Time{}
}

func (p *repositoryPage) Search(query string) {
	p.query = query
	p.result = p.searcher.Search(query)
	p.cursor = cursor{shown: query != ""}
	p.list.Refresh()
	p.list.ScrollToTop()
	p.noMatch.Hide()
	if query != "" {
		p.summary.SetText(fmt.Sprintf("%d of %d tags match", p.result.Len(), len(p.tags)))
		showNoMatch(p.noMatch, query, p.result.Len(), "tag")
	} else {
		text := plural(len(p.tags), "tag")
		if p.kept != nil {
			text += " " + keptLine(*p.kept)
		}
		if p.incomplete != "" {
			text += " · " + p.incomplete
		}
		p.summary.SetText(text)
	}
}

func (p *repositoryPage) bindRow(id int, r *tagRow) {
	if id >= p.result.Len() {
		return
	}
	tag := p.result.At(id)
	var offsets []int
	if p.query != "" {
		offsets = search.Highlights(p.query, tag)
	}
	s := p.lazy.bind(id, tag)
	r.set(tag, offsets, s, p.cursor.on(id), func() { p.lazy.retry(tag) })
	r.badge.set(p.badges.of(tag, s, p.repo))
	r.tick.OnChanged = nil
	r.tick.SetChecked(p.selected[tag])
	r.tick.OnChanged = func(on bool) { p.tick(tag, on) }
	r.dropped = func(pos fyne.Position) { p.dropTag(tag, pos) }
	r.dragOver = func(pos fyne.Position) { p.u.markDropTarget(pos, true) }
}

func (p *repositoryPage) Move(delta int, _ bool) {
	if p.result.Len() == 0 {
		return
	}
	p.list.RefreshItem(p.cursor.move(delta, p.result.Len()))
	p.list.RefreshItem(p.cursor.at)
	p.list.ScrollTo(p.cursor.at)
}

func (p *repositoryPage) Open() {
	if p.cursor.at < p.result.Len() {
		p.u.push(newDetailPage(p.u, p.entry, p.ref(p.result.At(p.cursor.at))))
	}
}

func (p *repositoryPage) togglePin() {
	pinned := !slices.Contains(p.u.core.Pinned(p.entry.ID), p.repo)
	p.u.core.SetPinned(p.entry.ID, p.repo, pinned)
	p.updatePin()
}

func (p *repositoryPage) updatePin() {
	if slices.Contains(p.u.core.Pinned(p.entry.ID), p.repo) {
		p.pin.tip = "Unpin from the top of the catalog (Ctrl+P)"
		p.pin.SetText("Unpin")
	} else {
		p.pin.tip = "Pin to the top of the catalog (Ctrl+P)"
		p.pin.SetText("Pin")
	}
}

// tagRow is one tag: name, digest, platforms, size, build date.
type tagRow struct {
	widget.BaseWidget
	tag                            *widget.RichText
	digest, platforms, size, built *widget.Label
	retry                          *widget.Button
	onRetry                        func()
	// tick chooses the tag for Manage's writes; dragOver hears where the
	// row is dragged, dropped where it was let go.
	tick     *widget.Check
	dropped  func(fyne.Position)
	dragOver func(fyne.Position)
	dragTo   fyne.Position
	dragging bool
	// bg marks the keyboard cursor's row.
	bg *canvas.Rectangle
	// badge is the policy's verdict of the tag, where a rule applies.
	badge *trustBadge
	// shownTag is the tag the row shows, fullDigest its digest; hoverTip
	// shows what the row had to cut whole.
	shownTag, fullDigest string
	hoverTip
}

func (r *tagRow) MouseIn(*desktop.MouseEvent) { r.in(r, r.wholeIfCut) }

// wholeIfCut is what the row had to cut, whole, one a line: the tag, its
// full digest, its platforms; "" when all of it shows.
func (r *tagRow) wholeIfCut() string {
	var lines []string
	if textCut(r.shownTag, r.tag, theme.SizeNameText, fyne.TextStyle{Bold: true}) {
		lines = append(lines, r.shownTag)
	}
	if labelCut(r.digest) && r.fullDigest != "" {
		lines = append(lines, r.fullDigest)
	}
	if cut := cutTexts(r.platforms, r.size, r.built); cut != "" {
		lines = append(lines, cut)
	}
	if r.badge.reason != "" {
		lines = append(lines, r.badge.reason)
	}
	return strings.Join(lines, "\n")
}
func (r *tagRow) MouseMoved(*desktop.MouseEvent) {}

// Dragged follows a drag of the row, to copy its tag where it is let go.
func (r *tagRow) Dragged(e *fyne.DragEvent) {
	r.dragging, r.dragTo = true, e.AbsolutePosition
	if r.dragOver != nil {
		r.dragOver(r.dragTo)
	}
}

func (r *tagRow) DragEnd() {
	if r.dragging && r.dropped != nil {
		r.dropped(r.dragTo)
	}
	r.dragging = false
}
func (r *tagRow) MouseOut() { r.out(r) }

func newTagRow() *tagRow {
	r := &tagRow{tag: widget.NewRichText(), digest: widget.NewLabel(""), platforms: widget.NewLabel(""),
		size: widget.NewLabel(""), built: widget.NewLabel(""), bg: canvas.NewRectangle(color.Transparent), tick: widget.NewCheck("", nil), badge: newTrustBadge()}
	r.bg.CornerRadius = theme.InputRadiusSize()
	r.tag.Truncation = fyne.TextTruncateEllipsis
	for _, l := range []*widget.Label{r.digest, r.platforms, r.size, r.built} {
		l.Truncation = fyne.TextTruncateEllipsis
	}
	r.digest.TextStyle.Monospace = true
	r.retry = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), func() {
		if r.onRetry != nil {
			r.onRetry()
		}
	})
	r.retry.Importance = widget.LowImportance
	r.ExtendBaseWidget(r)
	return r
}

func (r *tagRow) set(tag string, offsets []int, s *lazyState, cursor bool, retry func()) {
	color := theme.ColorNameForeground
	if cursor {
		color = theme.ColorNamePrimary
	}
	r.shownTag = tag
	r.tag.Segments = highlighted(tag, 0, offsets, inline(color, theme.SizeNameText, true))
	r.tag.Refresh()
	markCursor(r.bg, cursor)
	r.onRetry = retry
	r.retry.Hide()
	digest, platforms, size, built := "…", "", "", ""
	r.fullDigest = ""
	switch {
	case s == nil || !s.loaded:
	case s.err != nil:
		digest = "could not load: " + statusOf(s.err).Detail
		r.retry.Show()
	default:
		digest, platforms, built = image.ShortDigest(s.summary.Digest), platformBadges(s.summary.Platforms), strings.TrimSpace(ago(s.summary.Updated))
		r.fullDigest = s.summary.Digest
		if s.summary.Size > 0 {
			size = humanSize(s.summary.Size)
		}
	}
	setLabel(r.digest, digest, r.digest.Importance)
	setLabel(r.platforms, platforms, r.platforms.Importance)
	setLabel(r.size, size, r.size.Importance)
	setLabel(r.built, built, r.built.Importance)
}

func (r *tagRow) CreateRenderer() fyne.WidgetRenderer {
	row := container.New(layout.NewGridLayoutWithColumns(5), container.NewBorder(nil, nil, nil, r.badge.box, r.tag), r.digest, r.platforms, r.size,
		container.NewBorder(nil, nil, nil, r.retry, r.built))
	return widget.NewSimpleRenderer(container.NewStack(r.bg, container.NewBorder(nil, nil, r.tick, nil, row)))
}
