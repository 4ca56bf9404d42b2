package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/printable"
)

// page is one view of the main area: the catalog, a repository's tags, a
// tag's contents. The UI keeps them in a stack: opening pushes, back pops.
type page interface {
	// Title is the page's part of the breadcrumb.
	Title() string
	Content() fyne.CanvasObject
	// Searchable pages filter by the search box.
	Searchable() bool
	Search(query string)
	// Move moves the keyboard cursor (rows for lists; cards for the grid,
	// where rows is a grid row).
	Move(delta int, rows bool)
	// Open opens what the cursor is on.
	Open()
	// Close stops the page's background work when it leaves the stack.
	Close()
}

// pageBase is what every page has: the work it starts runs under ctx,
// which Close cancels; and a page that is not searched or moved through
// does nothing when asked to.
type pageBase struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// newPageBase starts a page's work under parent.
func newPageBase(parent context.Context) pageBase {
	ctx, cancel := context.WithCancel(parent)
	return pageBase{ctx, cancel}
}

func (b *pageBase) Searchable() bool { return false }
func (b *pageBase) Search(string)    {}
func (b *pageBase) Move(int, bool)   {}
func (b *pageBase) Open()            {}
func (b *pageBase) Close()           { b.cancel() }

// push shows p on top of the stack.
func (u *UI) push(p page) {
	u.pages = append(u.pages, p)
	u.showTop()
}

// back returns to the previous page; false at the first.
func (u *UI) back() bool {
	if len(u.pages) < 2 {
		return false
	}
	top := u.pages[len(u.pages)-1]
	top.Close()
	u.pages = u.pages[:len(u.pages)-1]
	u.showTop()
	return true
}

// backTo closes the pages above the first n (their work stops), and shows
// the n-th where it was left.
func (u *UI) backTo(n int) {
	if n < 1 || len(u.pages) <= n {
		return
	}
	for _, p := range u.pages[n:] {
		p.Close()
	}
	u.pages = u.pages[:n]
	u.showTop()
}

// resetPages closes every page and starts again from p.
func (u *UI) resetPages(p page) {
	for _, old := range u.pages {
		old.Close()
	}
	u.pages, u.queries = nil, nil
	u.push(p)
}

func (u *UI) top() page {
	if len(u.pages) == 0 {
		return nil
	}
	return u.pages[len(u.pages)-1]
}

// showTop puts the top page in the main area and updates the header.
func (u *UI) showTop() {
	p := u.top()
	u.body.Objects = []fyne.CanvasObject{p.Content()}
	u.body.Refresh()
	u.crumbs = u.crumbs[:0]
	for _, q := range u.pages {
		u.crumbs = append(u.crumbs, crumb(q.Title()))
	}
	u.fitTitle(u.title.Size().Width)
	if len(u.pages) > 1 {
		u.backButton.Enable()
	} else {
		u.backButton.Disable()
	}
	for len(u.queries) < len(u.pages) {
		u.queries = append(u.queries, "")
	}
	u.queries = u.queries[:len(u.pages)]
	u.searching = true // setting the text is not typing
	if p.Searchable() {
		fill(&u.search.Entry, u.queries[len(u.pages)-1])
		u.search.Enable()
	} else {
		u.search.SetText("")
		u.search.Disable()
		u.win.Canvas().Unfocus() // keys go to the window, which drives the page
	}
	u.searching = false
	if p.Searchable() {
		u.win.Canvas().Focus(u.search)
	}
}

// fitTitle shows as much of the breadcrumb as width holds.
func (u *UI) fitTitle(width float32) {
	if width <= 0 {
		width = float32(1 << 20) // not laid out yet: the whole path
	}
	if text := fitCrumbs(u.crumbs, width, u.title.TextStyle); text != u.title.Text {
		u.title.SetText(text)
	}
}

// maxCrumb is the most runes a breadcrumb part shows; a longer name is cut
// in its middle there, and its page shows it whole (fullName).
const maxCrumb = 40

// crumb is a page's title as the breadcrumb shows it.
func crumb(title string) string { return printable.Shorten(printable.Line(title), maxCrumb) }

// fullName shows a name whole, wrapped and selectable, where the breadcrumb
// had to cut it; it stays hidden for names the breadcrumb shows whole.
func fullName(name string) *widget.Label {
	l := widget.NewLabelWithStyle(printable.Line(name), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	l.Wrapping = fyne.TextWrapBreak
	l.Selectable = true
	l.Hidden = crumb(name) == printable.Line(name)
	return l
}

// cursor is a page's keyboard cursor over n items. It is drawn only once a
// key has moved it (or a search has put it on the best match).
type cursor struct {
	at    int
	shown bool
}

// move moves by delta within n items and returns where it was; the first
// move only shows it.
func (c *cursor) move(delta, n int) (old int) {
	old = c.at
	if c.shown {
		c.at = min(max(c.at+delta, 0), n-1)
	}
	c.shown = true
	return old
}

// on reports whether the cursor is drawn on item id.
func (c *cursor) on(id int) bool { return c.shown && c.at == id }

// onFunc is on, for a list to ask as it draws.
func (c *cursor) onFunc() func(int) bool { return c.on }
