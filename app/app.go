package app

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/card-catalog/card-catalog/app/cache"
	"github.com/card-catalog/card-catalog/app/engine"
	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/app/listing"
	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
	"github.com/card-catalog/card-catalog/registry/demo"
	"github.com/card-catalog/card-catalog/registry/hub"
)

// Options configure an App.
type Options struct {
	// Prefs keeps settings. Default: in memory.
	Prefs settings.Prefs
	// Credentials finds the logins other tools keep (Docker, Podman), read
	// after the session's and the keychain's. Default: none.
	Credentials registry.CredentialSource
	// Logger gets the program's log. Default: none.
	Logger *slog.Logger
	// PerRegistry bounds concurrent requests per registry. Default: 8.
	PerRegistry int
	// Keychain keeps logins. Default: the OS keychain.
	Keychain credential.Store
	// KeychainLimit bounds each keychain call. Default: 20 s.
	KeychainLimit time.Duration
	// Cache keeps what was read on disk. Default: none.
	Cache *cache.Store
	// ClientOptions are added to every registry client (tests shorten
	// deadlines and bounds with them). Default: none.
	ClientOptions []registry.Option
	// Trust keeps the trust material (roots, keys, certificates) and the
	// policy. Default: none kept, only the shipped public-good root.
	Trust *trust.Store
	// TrustRefresh is where RefreshTrustRoot asks (tests serve a TUF
	// repository of their own). Default: Sigstore's.
	TrustRefresh trust.RefreshOptions
}

// App is the program's state and its background work.
type App struct {
	prefs  settings.Prefs
	logins *credential.Logins
	log    *slog.Logger
	jobs   *pool.Pool

	mu       sync.Mutex
	settings settings.Settings
	demo     *demo.Server
	engine   *engine.Engine
	hubs     map[string]*hub.Client // Docker Hub entries' web API
	options  []registry.Option
	cache    *cache.Store
	onKept   func(settings.Entry, image.FromKept)
	// forgets counts, per entry, the times its kept copy was forgotten.
	forgets map[string]int
	// trust is the trust material and the results checked (trusting.go).
	trust trusting
}

// New loads the settings and starts the demo registry when it is shown.
func New(opts Options) (*App, error) {
	if opts.Prefs == nil {
		opts.Prefs = settings.MemoryPrefs{}
	}
	if opts.Credentials == nil {
		opts.Credentials = credential.Anonymous
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.PerRegistry <= 0 {
		opts.PerRegistry = 8
	}
	loaded, err := settings.Load(opts.Prefs)
	if err != nil {
		opts.Logger.Warn(err.Error())
	}
	a := &App{
		prefs: opts.Prefs, log: opts.Logger,
		jobs: pool.NewPool(opts.PerRegistry), settings: loaded, hubs: map[string]*hub.Client{},
		options: opts.ClientOptions, cache: opts.Cache, forgets: map[string]int{},
		trust: trusting{store: opts.Trust, refresh: opts.TrustRefresh, log: opts.Logger},
	}
	// The kinds' credential helpers come last: a login kept by the person
	// or named in a config wins.
	a.logins = credential.NewLogins(opts.Keychain, opts.KeychainLimit, credential.Chain{opts.Credentials, kinds.Helpers(a.kindOfHost)})
	a.engine = engine.New(engine.Options{Credentials: a.logins, Logger: a.log, ClientOptions: opts.ClientOptions, Cache: opts.Cache})
	if loaded.ShowDemo {
		if err := a.startDemo(); err != nil {
			return nil, err
		}
	}
	return a, nil
}

func (a *App) startDemo() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.demo != nil {
		return nil
	}
	s, err := demo.Start(a.settings.DemoPort)
	if err != nil {
		return fmt.Errorf("starting the demo registry: %w", err)
	}
	a.demo = s
	if a.settings.DemoPort != s.Port() {
		a.settings.DemoPort = s.Port()
		settings.Save(a.prefs, a.settings)
	}
	a.log.Info("demo registry started", "addr", s.Addr)
	return nil
}

// Close stops background work and the demo registry.
func (a *App) Close() {
	a.jobs.Close()
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.demo != nil {
		a.demo.Close()
		a.demo = nil
	}
	a.engine.Close()
}

// Entries lists the sidebar: the demo registry (when shown), then the rest.
func (a *App) Entries() []settings.Entry {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []settings.Entry
	if a.settings.ShowDemo && a.demo != nil {
		out = append(out, settings.Entry{ID: settings.DemoID, Name: "Demo registry", Address: a.demo.Addr, PlainHTTP: true})
	}
	return append(out, a.settings.Registries...)
}

// Settings returns a copy of the settings.
func (a *App) Settings() settings.Settings {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.settings
	s.Registries = append([]settings.Entry(nil), s.Registries...)
	return s
}

// SetShowDemo turns the demo registry on or off, and saves the choice.
func (a *App) SetShowDemo(show bool) error {
	if show {
		if err := a.startDemo(); err != nil {
			return err
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.settings.ShowDemo = show
	if !show && a.demo != nil {
		if reg, err := registry.ParseRegistry("http://" + a.demo.Addr); err == nil {
			a.engine.Drop(reg)
		}
		a.demo.Close()
		a.demo = nil
	}
	settings.Save(a.prefs, a.settings)
	return nil
}

// Select remembers the entry shown, for the next start.
func (a *App) Select(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.settings.LastSelected != id {
		a.settings.LastSelected = id
		settings.Save(a.prefs, a.settings)
	}
}

// client returns the one registry client of an entry (one connection pool
// and token cache per registry). Content is read through source.
func (a *App) client(e settings.Entry) (*registry.Client, error) {
	reg, err := e.Registry()
	if err != nil {
		return nil, err
	}
	return a.engine.Client(reg), nil
}

// drop lets go of the client of the entry with ID id, if it has one.
func (a *App) drop(id string) {
	for _, e := range a.settings.Registries {
		if reg, err := e.Registry(); err == nil && e.ID == id {
			a.engine.Drop(reg)
		}
	}
}

// Login is who is signed in to a registry, and where that login comes
// from ("the OS keychain", a credential helper); empty when none is.
type Login struct{ User, Source string }

// Check asks the registry whether it is there and who is signed in, in the
// background: done gets the login known for it and the registry's answer
// (nil: it answers and lets us in). Checks are never shared: one asked
// after a login must not be answered by one that started before it.
func (a *App) Check(ctx context.Context, e settings.Entry, done func(Login, error)) {
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{}, pool.PriorityBackground, func(ctx context.Context) (Login, error) {
		var l Login
		l.User, l.Source, _ = a.Login(ctx, e)
		c, err := a.source(e)
		if err != nil {
			return l, err
		}
		return l, c.Ping(ctx)
	}, done)
}

// Catalog lists an entry's repositories in the background: onPage gets each
// page as it arrives, done the end of the walk. Both run on a pool
// goroutine. Docker Hub has no catalog: its entry lists a namespace
// through Hub's web API instead.
func (a *App) Catalog(ctx context.Context, e settings.Entry, onPage func([]string), done func(error)) {
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{}, pool.PriorityUser, func(ctx context.Context) (struct{}, error) {
		deliver := func(page []string) error {
			if ctx.Err() == nil {
				onPage(page)
			}
			return ctx.Err()
		}
		e := listing.WithHubNamespace(ctx, e, a.logins)
		if kept, err := a.keptSource(e); err != nil || kept != nil {
			if err == nil {
				_, err = image.KeepList(ctx, kept.Cache, a.catalogKey(ctx, e), func(ctx context.Context, fn func([]string) error) error {
					return a.listRepositories(ctx, e, fn)
				}, deliver)
			}
			return struct{}{}, err
		}
		return struct{}{}, a.listRepositories(ctx, e, deliver)
	}, func(_ struct{}, err error) { done(err) })
}

// listRepositories lists e's repositories from its registry.
func (a *App) listRepositories(ctx context.Context, e settings.Entry, deliver func([]string) error) error {
	c, err := a.client(e)
	if err != nil {
		return err
	}
	l := a.engine.Lister(c.Registry())
	if e.HubAPI != "" {
		if l.Hub, err = a.hubClient(e); err != nil {
			return err
		}
	}
	return l.Repositories(ctx, e, deliver)
}

// Tags lists a repository's tags in the background at the given priority;
// identical requests in flight share one walk.
func (a *App) Tags(ctx context.Context, e settings.Entry, repository string, priority int, done func([]string, error)) {
	a.ListTags(ctx, e, repository, priority, func(l TagList, err error) { done(l.Tags, err) })
}

// TagList is a repository's tags, and whether they are this computer's
// copy.
type TagList struct {
	Tags []string
	// FromKept is set when the registry did not answer and the list is the
	// one kept.
	FromKept *image.FromKept
}

// ListTags is Tags that says whether the list is this computer's copy.
func (a *App) ListTags(ctx context.Context, e settings.Entry, repository string, priority int, done func(TagList, error)) {
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{Kind: "tags", Name: repository}, priority, func(ctx context.Context) (TagList, error) {
		mark := &keptMark{}
		c, err := a.sourceMarking(e, mark)
		if err != nil {
			return TagList{}, err
		}
		ref := registry.Reference{Registry: c.Registry(), Repository: repository}
		var l TagList
		err = c.Tags(ctx, ref, func(page []string) error { l.Tags = append(l.Tags, page...); return nil })
		l.FromKept = mark.kept()
		return l, err
	}, done)
}
