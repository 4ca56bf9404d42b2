package app

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/card-catalog/card-catalog/app/cache"
	"github.com/card-catalog/card-catalog/app/engine"
	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/listing"
	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/app/settings"
)

// keeps tells whether e's content is kept on this computer: not when the
// person switched it off (as the settings say now: a page opened before
// holds an older copy of e), and not for the demo registry, which is on
// this computer already.
func (a *App) keeps(e settings.Entry) bool {
	if a.cache == nil || e.NoCache || e.IsDemo() {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	i := slices.IndexFunc(a.settings.Registries, func(o settings.Entry) bool { return o.ID == e.ID })
	return i < 0 || !a.settings.Registries[i].NoCache
}

// keptSource reads e's registry through its copy on this computer; nil
// when no copy of it is kept.
func (a *App) keptSource(e settings.Entry) (*image.KeptSource, error) {
	reg, err := e.Registry()
	if err != nil {
		return nil, err
	}
	return a.engine.KeptSource(reg, a.keeping(e, nil)), nil
}

// forgetsOf counts the times e's copy was forgotten.
func (a *App) forgetsOf(e settings.Entry) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.forgets[e.ID]
}

// source is where e's content is read from: through the cache, when e's
// content is kept.
func (a *App) source(e settings.Entry) (image.Source, error) { return a.sourceMarking(e, nil) }

// sourceMarking is source that also marks mark when an answer comes from
// this computer's copy, for the one result that asked.
func (a *App) sourceMarking(e settings.Entry, mark *keptMark) (image.Source, error) {
	reg, err := e.Registry()
	if err != nil {
		return nil, err
	}
	return a.engine.Source(reg, a.keeping(e, func(s image.FromKept) { a.noteKept(e, s); mark.note(s) })), nil
}

// keeping is how e's content is kept on this computer (nil: it is not):
// written while e's content is kept and was not forgotten since the copy
// was asked for, for work under way when the person forgot the copy must
// not bring back what it had read.
func (a *App) keeping(e settings.Entry, noted func(image.FromKept)) *engine.Keeping {
	if !a.keeps(e) {
		return nil
	}
	forgets := a.forgetsOf(e)
	return &engine.Keeping{Keep: func() bool { return a.keeps(e) && a.forgetsOf(e) == forgets }, Noted: noted}
}

// keptMark keeps the first note that an answer came from this computer's
// copy; a nil one keeps nothing.
type keptMark struct {
	mu    sync.Mutex
	first *image.FromKept
}

func (m *keptMark) note(s image.FromKept) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.first == nil {
		m.first = &s
	}
}

// kept is the first note, or nil when every answer was the registry's.
func (m *keptMark) kept() *image.FromKept {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.first
}

// SetKeptHandler sets who hears that an answer for an entry came from
// this computer's copy because its registry could not be asked. It is
// called on a pool goroutine.
func (a *App) SetKeptHandler(fn func(e settings.Entry, s image.FromKept)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.onKept = fn
}

func (a *App) noteKept(e settings.Entry, s image.FromKept) {
	a.mu.Lock()
	fn := a.onKept
	a.mu.Unlock()
	if fn != nil {
		fn(e, s)
	}
}

func (a *App) catalogKey(ctx context.Context, e settings.Entry) string {
	return listing.EntryCatalogKey(ctx, e, a.logins)
}

// KeptCatalog reads the last listing of e's repositories kept on this
// computer, in the background: the window draws it at once at start while
// Catalog asks the registry. done gets ok false when none is kept.
func (a *App) KeptCatalog(ctx context.Context, e settings.Entry, done func(names []string, asOf time.Time, ok bool)) {
	type kept struct {
		names []string
		asOf  time.Time
	}
	if !a.keeps(e) {
		done(nil, time.Time{}, false)
		return
	}
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{Kind: "kept catalog"}, pool.PriorityUser, func(ctx context.Context) (kept, error) {
		src, err := a.keptSource(e)
		if err != nil || src == nil {
			return kept{}, cmp.Or(err, cache.ErrMissing)
		}
		names, asOf, err := image.KeptList(src.Cache, a.catalogKey(ctx, e))
		return kept{names, asOf}, err
	}, func(k kept, err error) { done(k.names, k.asOf, err == nil) })
}

// Cache is the disk cache, or nil when there is none.
func (a *App) Cache() *cache.Store { return a.cache }

// ForgetKept removes everything kept of e's registry, in the background.
func (a *App) ForgetKept(ctx context.Context, e settings.Entry, done func(error)) {
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{Kind: "forget kept"}, pool.PriorityUser, func(context.Context) (struct{}, error) {
		if a.cache == nil {
			return struct{}{}, nil
		}
		reg, err := e.Registry()
		if err != nil {
			return struct{}{}, err
		}
		a.mu.Lock()
		a.forgets[e.ID]++
		a.mu.Unlock()
		return struct{}{}, a.cache.Scope(reg.String()).Forget()
	}, func(_ struct{}, err error) { done(err) })
}

// CacheUsage is what the settings show of the cache: its size and cap,
// where it is, and why it could not be written, if so.
type CacheUsage struct {
	Size, Limit int64
	Dir         string
	WriteErr    error
}

// CacheUsage counts the cache in the background.
func (a *App) CacheUsage(ctx context.Context, done func(CacheUsage, error)) {
	if a.cache == nil {
		done(CacheUsage{}, nil)
		return
	}
	pool.Submit(a.jobs, ctx, "", pool.Key{Kind: "cache usage"}, pool.PriorityUser, func(context.Context) (CacheUsage, error) {
		return CacheUsage{Size: a.cache.Size(), Limit: a.cache.Limit(), Dir: a.cache.Dir(), WriteErr: a.cache.WriteError()}, nil
	}, done)
}

// ClearCache removes everything kept, in the background.
func (a *App) ClearCache(ctx context.Context, done func(error)) {
	pool.Submit(a.jobs, ctx, "", pool.Key{Kind: "clear cache"}, pool.PriorityUser, func(context.Context) (struct{}, error) {
		if a.cache == nil {
			return struct{}{}, nil
		}
		return struct{}{}, a.cache.Clear()
	}, func(_ struct{}, err error) { done(err) })
}
