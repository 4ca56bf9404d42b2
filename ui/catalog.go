package ui

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/app/search"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/hub"
)

// bigCatalog is the size from which the memory a catalog's loading left
// behind is returned at once.
const bigCatalog = 10000

// catalogPage is a registry's repositories as a virtualised grid of cards,
// pinned ones first, filled page by page as the catalog arrives.
type catalogPage struct {
	u     *UI
	entry settings.Entry
	pageBase

	names []string // pinned first, then the catalog
	// seen gives each name's place in names while pages arrive (then the
	// names are sorted, and found by a binary search).
	seen     map[string]int32
	pinned   map[string]bool
	searcher *search.Searcher
	result   *search.Result
	query    string
	cursor   cursor
	pages    int
	loading  bool
	// incomplete says why the list is not whole, when the registry's was
	// cut or held names outside the grammar.
	incomplete string
	// keptAt is when the listing drawn from this computer's copy was
	// taken, while it shows; live marks, by their place in names, the names
	// the refresh delivered since, so that those the registry no longer
	// lists go (it is nil when nothing kept shows); refreshErr is why the
	// refresh failed and the copy stays.
	keptAt     time.Time
	live       []bool
	refreshErr error
	// noMatch says that a search found nothing.
	noMatch  *widget.Label
	lastPage time.Time
	// hubSearch is the Docker Hub search under way.
	hubSearch latest

	grid     *widget.GridWrap
	lazy     *lazy
	badges   *badges
	summary  *widget.Label
	progress *widget.ProgressBarInfinite
	stop     *widget.Button
	message  *messageView
	content  fyne.CanvasObject
}

func newCatalogPage(u *UI, e settings.Entry) *catalogPage {
	p := &catalogPage{u: u, entry: e, seen: map[string]int32{}, pinned: map[string]bool{}}
	p.grid = widget.NewGridWrap(
		func() int { return p.result.Len() },
		func() fyne.CanvasObject { c := newRepoCard(); c.hoverTip = u.hoverTip(); return c },
		func(id widget.GridWrapItemID, o fyne.CanvasObject) { p.bindCard(id, o.(*repoCard)) })
	p.grid.OnSelected = func(id widget.GridWrapItemID) {
		p.grid.UnselectAll()
		p.cursor.at = id
		p.Open()
	}
	p.lazy = newLazy(u, func(ctx context.Context, name string, done func(image.Summary, error)) {
		u.core.CardSummary(ctx, e, name, pool.PriorityVisible, done)
	}, func(id int) {
		p.grid.RefreshItem(id)
		p.updateSummary()
	})
	p.badges = newBadges(u, e, p.lazy)
	p.summary = widget.NewLabel("")
	p.summary.Importance = widget.LowImportance
	p.summary.Truncation = fyne.TextTruncateEllipsis // a long line must not widen the window
	p.progress = widget.NewProgressBarInfinite()
	p.stop = widget.NewButton("Stop", func() { p.cancel() })
	p.message = newMessageView(func() { u.check(e); u.show(e) })
	status := container.NewBorder(nil, nil, nil, container.NewHBox(p.stop), container.NewVBox(p.summary))
	p.noMatch = newNoMatch()
	p.content = container.NewBorder(container.NewVBox(status, p.progress), nil, nil, nil, container.NewStack(p.grid, p.noMatch, p.message.box))

	for _, r := range u.core.Pinned(e.ID) {
		if !p.pinned[r] {
			p.pinned[r] = true
			p.names = append(p.names, r)
		}
	}
	p.searcher = search.New(p.names)
	p.result = p.searcher.Search("")
	p.load()
	return p
}

func (p *catalogPage) Title() string              { return p.entry.Name }
func (p *catalogPage) Content() fyne.CanvasObject { return p.content }
func (p *catalogPage) Searchable() bool           { return true }

func (p *catalogPage) Close() {
	p.cancel()
	p.lazy.stop()
	p.badges.stop()
}

// load walks the catalog in the background.
func (p *catalogPage) load() {
	p.pageBase = newPageBase(context.Background())
	ctx := p.ctx
	p.loading = true
	p.progress.Show()
	p.progress.Start()
	p.stop.Show()
	p.message.hide()
	p.grid.Show()
	p.updateSummary()
	// The kept listing is read first, then the registry asked: its answers
	// come after the copy is drawn, however quickly a registry that cannot
	// be reached says so.
	p.u.core.KeptCatalog(ctx, p.entry, func(names []string, asOf time.Time, ok bool) {
		if ok {
			p.u.do(func() {
				if wanted(ctx) && p.loading {
					p.showKept(names, asOf)
				}
			})
		}
		p.u.core.Catalog(ctx, p.entry, func(page []string) {
			p.u.do(func() {
				if wanted(ctx) {
					p.addPage(page)
				}
			})
		}, func(err error) {
			p.u.do(func() { p.done(ctx, err) })
		})
	})
}

// showKept draws the listing kept on this computer while the registry is
// asked.
func (p *catalogPage) showKept(names []string, asOf time.Time) {
	p.keptAt, p.live = asOf, []bool{}
	p.addNames(names, false)
}

// addPage appends a page of the registry's listing.
func (p *catalogPage) addPage(page []string) {
	p.pages++
	p.addNames(page, true)
}

// addNames appends names (live: the registry's, now); catalogs arrive in
// name order, so sorting waits for the end.
func (p *catalogPage) addNames(page []string, live bool) {
	for _, n := range page {
		at := p.add(n)
		if live && p.live != nil && at >= 0 {
			for len(p.live) <= at {
				p.live = append(p.live, false)
			}
			p.live[at] = true
		}
	}
	p.searcher = search.New(p.names)
	if p.query == "" || time.Since(p.lastPage) > 250*time.Millisecond {
		p.result = p.searcher.Search(p.query)
		p.lastPage = time.Now()
		p.grid.Refresh()
	}
	p.updateSummary()
	if !p.u.firstShown && len(p.names) > 0 {
		p.u.firstShown = true
		p.u.log.Info("first cards shown", "registry", p.entry.Name, "ms_since_start", time.Since(p.u.started).Milliseconds())
	}
}

func (p *catalogPage) done(ctx context.Context, err error) {
	p.loading = false
	p.progress.Stop()
	p.progress.Hide()
	p.stop.Hide()
	if p.live != nil && !keepsTheCopy(err) {
		// The refresh is whole, or the registry refused it (a login that
		// expired): what it did not list now is gone.
		listed := p.names[:len(p.pinned)]
		for i, n := range p.names[len(p.pinned):] {
			if at := len(p.pinned) + i; at < len(p.live) && p.live[at] {
				listed = append(listed, n)
			}
		}
		clear(p.names[len(listed):])
		p.names, p.keptAt = listed, time.Time{}
	}
	p.live = nil // the places it marks change as the names are sorted
	rest := p.names[len(p.pinned):]
	if !slices.IsSorted(rest) {
		slices.Sort(rest)
	}
	p.seen = nil // the names are sorted now: add() keeps them so
	p.searcher = search.New(p.names)
	p.result = p.searcher.Search(p.query)
	p.grid.Refresh()
	p.updateSummary()
	if len(p.names) >= bigCatalog {
		// Streaming a large catalog leaves its pages' garbage behind; hand
		// it back to the OS now rather than whenever the runtime gets to it.
		go debug.FreeOSMemory()
	}
	switch {
	case err == nil:
		p.u.log.Info("catalog loaded", "registry", p.entry.Name, "repositories", len(p.names), "pages", p.pages)
		p.u.setStatus(p.entry.ID, mergeStatus(p.u.statusOf(p.entry), Status{State: Ready, Detail: "ready"}))
		if len(p.names) == 0 {
			p.message.show(p.entry.Name+" has no repositories yet.", "", false)
		}
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		p.summary.SetText(fmt.Sprintf("Stopped at %d repositories (page %d).", len(p.names), p.pages))
	case !p.keptAt.IsZero() && image.Unanswered(err):
		// The copy stays, said to be one; the sidebar says why.
		p.refreshErr = err
		p.u.log.Info("catalog shown from this computer's copy", "registry", p.entry.Name, "error", err.Error())
		p.u.noteKept(p.entry, image.FromKept{AsOf: p.keptAt, Err: err})
		p.updateSummary()
	case errors.Is(err, registry.ErrIncomplete):
		// What arrived is real and stays; the summary says what is missing.
		p.u.log.Warn("catalog incomplete", "registry", p.entry.Name, "error", err.Error())
		p.incomplete = incompleteReason(err)
		p.updateSummary()
		if len(p.names) == 0 {
			p.showError(err)
		}
	case errors.Is(err, registry.ErrNoCatalog) && len(p.names) > 0:
		// Pinned repositories still show.
		p.summary.SetText(fmt.Sprintf("%d pinned · %s does not list its repositories: open one by name (Ctrl+O).", len(p.names), p.entry.Name))
	default:
		p.u.log.Info("catalog failed", "registry", p.entry.Name, "error", err.Error())
		p.showError(err)
	}
	p.u.refreshRow(p.entry.ID) // rate limits arrive with the answers
}

// keepsTheCopy reports whether the kept catalog drawn before the registry
// was asked stays after err: the registry could not be reached, the walk
// was stopped, or it was cut short and what it did not reach may still be
// there.
func keepsTheCopy(err error) bool {
	return err != nil && (image.Unanswered(err) || errors.Is(err, context.Canceled) || errors.Is(err, registry.ErrIncomplete))
}

// showError puts up the message for err in place of the cards: a message
// drawn over them could not be read.
func (p *catalogPage) showError(err error) {
	p.grid.Hide()
	if errors.Is(err, registry.ErrNoCatalog) {
		// Decided without asking the network (Docker Hub), or a refusal: it
		// says nothing of whether the registry is there.
		if checkErr := p.u.checkErr[p.entry.ID]; p.u.statusOf(p.entry).State == Unreachable && checkErr != nil {
			p.message.show(p.u.explain(p.entry, checkErr), checkErr.Error(), true)
			p.u.offerFix(p.message, p.entry, checkErr)
			return
		}
		p.message.show(p.u.explain(p.entry, err), err.Error(), true)
		return
	}
	status := entryStatus(p.entry, err)
	p.u.setStatus(p.entry.ID, mergeStatus(p.u.statusOf(p.entry), status))
	p.summary.SetText(status.Detail)
	p.message.show(p.u.explain(p.entry, err), err.Error(), true)
	p.u.offerFix(p.message, p.entry, err)
}

// incompleteReason says in a few words why a list is incomplete:
// "incomplete: 5 invalid tags left out".
func incompleteReason(err error) string {
	var ie *registry.IncompleteError
	if errors.As(err, &ie) {
		return "incomplete: " + ie.Short
	}
	return "incomplete"
}

// mergeStatus keeps what the check knew of the login.
func mergeStatus(old, s Status) Status {
	s.User, s.LoginSource = old.User, old.LoginSource
	return s
}

// add lists name once and returns its place in names (-1 for a pinned
// one). The pinned names come first; while pages arrive the rest are
// deduplicated with a map, and once loading has sorted them (and dropped
// the map) a late name, such as a Hub search result, goes in its sorted
// place.
func (p *catalogPage) add(name string) int {
	switch {
	case p.pinned[name]:
		return -1
	case p.seen != nil:
		at, ok := p.seen[name]
		if !ok {
			at = int32(len(p.names))
			p.seen[name] = at
			p.names = append(p.names, name)
		}
		return int(at)
	default:
		at, found := slices.BinarySearch(p.names[len(p.pinned):], name)
		if !found {
			p.names = slices.Insert(p.names, len(p.pinned)+at, name)
		}
		return len(p.pinned) + at
	}
}

func (p *catalogPage) updateSummary() {
	if !p.grid.Visible() {
		return // an error stands in the cards' place, and its words in the summary's
	}
	n := len(p.names)
	p.noMatch.Hide()
	switch {
	case p.loading && p.pages == 0 && !p.keptAt.IsZero():
		p.summary.SetText(fmt.Sprintf("%s as of %s · asking the registry…", pluralOf(n, "repository", "repositories"), ago(p.keptAt)))
	case p.loading && p.pages == 0:
		p.summary.SetText("Loading the catalog…")
	case p.loading:
		p.summary.SetText(fmt.Sprintf("%d repositories so far (page %d)…", n, p.pages))
	case p.query != "":
		p.summary.SetText(fmt.Sprintf("%d of %d repositories match", p.result.Len(), n))
		showNoMatch(p.noMatch, p.query, p.result.Len(), "repository")
		return
	default:
		text := pluralOf(n, "repository", "repositories")
		if p.refreshErr != nil {
			text += " " + keptLine(image.FromKept{AsOf: p.keptAt, Err: p.refreshErr})
		}
		if loaded := p.lazy.loaded(); loaded > 0 && loaded < n {
			text += fmt.Sprintf(" · details for %d of %d", loaded, n)
		}
		if p.incomplete != "" {
			text += " · " + p.incomplete
		}
		p.summary.SetText(text)
	}
}

func (p *catalogPage) bindCard(id int, c *repoCard) {
	if id >= p.result.Len() {
		return
	}
	name := p.result.At(id)
	var offsets []int
	if p.query != "" {
		offsets = search.Highlights(p.query, name)
	}
	state := p.lazy.bind(id, name)
	c.set(name, offsets, state, p.cursor.on(id), p.pinned[name], func() { p.lazy.retry(name) })
	c.badge.set(p.badges.of(name, state, name))
}

// Search filters the cards. On Docker Hub it also searches Hub and adds
// what it finds.
func (p *catalogPage) Search(query string) {
	p.query = query
	p.result = p.searcher.Search(query)
	p.cursor = cursor{shown: query != ""}
	p.grid.Refresh()
	p.grid.ScrollToTop()
	p.updateSummary()
	if p.entry.HubAPI != "" && len(query) >= 2 {
		ctx := p.hubSearch.start(p.ctx) // the next keystroke's search replaces this one
		p.u.core.HubSearch(ctx, p.entry, query, func(found []hub.Repository, err error) {
			p.u.do(func() {
				if err != nil || !wanted(ctx) {
					return
				}
				var names []string
				for _, r := range found {
					names = append(names, r.Path())
				}
				p.addPage(names)
				p.result = p.searcher.Search(p.query)
				p.grid.Refresh()
			})
		})
	}
}

// Move moves the keyboard cursor by cards or by rows of cards.
func (p *catalogPage) Move(delta int, rows bool) {
	if p.result.Len() == 0 {
		return
	}
	if rows {
		cols := int(p.grid.Size().Width / (cardSize.Width + 4))
		delta *= max(cols, 1)
	}
	p.grid.RefreshItem(p.cursor.move(delta, p.result.Len()))
	p.grid.RefreshItem(p.cursor.at)
	p.grid.ScrollTo(p.cursor.at)
}

// Open opens the repository under the cursor.
func (p *catalogPage) Open() {
	if p.cursor.at < p.result.Len() {
		p.u.push(newRepositoryPage(p.u, p.entry, p.result.At(p.cursor.at)))
	}
}

// cursorName is the repository under the cursor, or "".
func (p *catalogPage) cursorName() string {
	if p.cursor.at < p.result.Len() {
		return p.result.At(p.cursor.at)
	}
	return ""
}
