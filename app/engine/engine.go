// Package engine makes what the window and the headless commands read
// registries through, in one place: one client per registry (its
// connections, tokens and rate limit), a source that reads through this
// computer's cache when a copy of the registry is kept, and a lister that
// lists repositories as the registry's kind does.
package engine

import (
	"cmp"
	"context"
	"log/slog"
	"sync"

	"github.com/card-catalog/card-catalog/app/cache"
	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/app/listing"
	"github.com/card-catalog/card-catalog/app/manage"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
	"github.com/card-catalog/card-catalog/registry/ghcr"
	"github.com/card-catalog/card-catalog/registry/harbor"
	"github.com/card-catalog/card-catalog/registry/hub"
)

// Options configure an Engine.
type Options struct {
	// Credentials give the logins. Default: none (anonymous).
	Credentials registry.CredentialSource
	// Logger gets the log. Default: none.
	Logger *slog.Logger
	// ClientOptions are added to every client (tests shorten deadlines
	// and bounds with them). Default: none.
	ClientOptions []registry.Option
	// Cache keeps what was read on this computer. Default: none.
	Cache *cache.Store
}

// Engine makes the clients, sources and listers of registries.
type Engine struct {
	creds   registry.CredentialSource
	log     *slog.Logger
	options []registry.Option
	cache   *cache.Store

	mu      sync.Mutex
	clients map[string]*registry.Client // by registry address
}

// New makes an engine.
func New(opts Options) *Engine {
	if opts.Credentials == nil {
		opts.Credentials = credential.Anonymous
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Engine{creds: opts.Credentials, log: opts.Logger, options: opts.ClientOptions, cache: opts.Cache, clients: map[string]*registry.Client{}}
}

// Client is the one client of reg.
func (g *Engine) Client(reg registry.Registry) *registry.Client {
	g.mu.Lock()
	defer g.mu.Unlock()
	key := reg.String()
	if c, ok := g.clients[key]; ok {
		return c
	}
	c := registry.New(reg, append([]registry.Option{registry.WithCredentials(g.creds), registry.WithLogger(g.log)}, g.options...)...)
	g.clients[key] = c
	return c
}

// Keeping is how a source keeps what it reads on this computer.
type Keeping struct {
	// Keep is asked before each write whether the copy is still kept
	// (a switch turned off, a copy forgotten since); nil: it is.
	Keep func() bool
	// Offline answers from the copy alone.
	Offline bool
	// Noted hears of each answer given from the copy for want of the
	// registry. Default: none.
	Noted func(image.FromKept)
}

// KeptSource reads reg through this computer's copy; nil when the
// engine keeps no cache or copy is nil.
func (g *Engine) KeptSource(reg registry.Registry, copy *Keeping) *image.KeptSource {
	if g.cache == nil || copy == nil {
		return nil
	}
	scope := g.cache.Scope(reg.String())
	if copy.Keep != nil {
		scope = scope.While(copy.Keep)
	}
	return &image.KeptSource{Live: g.Client(reg), Cache: scope, Offline: copy.Offline, Noted: copy.Noted, Log: g.log}
}

// Source is where reg's content is read from: through this computer's
// copy when there is one to keep (CachedSource), else the registry.
func (g *Engine) Source(reg registry.Registry, copy *Keeping) image.Source {
	if s := g.KeptSource(reg, copy); s != nil {
		return s
	}
	return g.Client(reg)
}

// Lister lists reg's repositories as its kind does, with the engine's
// logins, log and client options.
func (g *Engine) Lister(reg registry.Registry) listing.Lister {
	return listing.Lister{Client: g.Client(reg), Creds: g.creds, Options: g.options, Log: g.log}
}

// Manage is reg as package manage deletes in it: its client, its kind,
// and for Docker Hub, Harbor, GitLab and GHCR their own API signed in
// with the registry's login (entry says where Docker Hub's API and a
// GitLab project are). An API that cannot be signed in to is left out:
// the plan then says in a sentence why the registry refuses.
func (g *Engine) Manage(ctx context.Context, reg registry.Registry, entry settings.Entry, kind kinds.Kind) manage.Registry {
	m := manage.Registry{Client: g.Client(reg), Kind: kind}
	switch kind {
	case kinds.Harbor:
		m.API = manage.HarborAPI(harbor.New(reg, g.creds, g.log, g.options...))
	case kinds.GitHub:
		m.API = manage.GHCRAPI(ghcr.New(registry.Registry{Host: ghcr.APIHost}, g.creds, reg.Host, g.log, g.options...))
	case kinds.GitLab:
		if c, err := g.Lister(reg).GitLab(entry); err == nil {
			m.API = manage.GitLabAPI(c, entry.Project)
		}
	case kinds.DockerHub:
		api := cmp.Or(entry.HubAPI, hub.APIHost)
		apiReg, err := registry.ParseRegistry(api)
		if err == nil {
			var c *hub.Client
			if c, err = hub.SignIn(ctx, apiReg, g.creds, g.log, g.options...); err == nil {
				m.API = manage.HubAPI(c)
			}
		}
		if err != nil {
			g.log.Warn("Docker Hub's API could not be signed in to: " + err.Error())
		}
	}
	return m
}

// Credentials are the logins the engine gives its clients.
func (g *Engine) Credentials() registry.CredentialSource { return g.creds }

// Cache is the engine's cache; nil when it keeps none.
func (g *Engine) Cache() *cache.Store { return g.cache }

// Drop lets go of reg's client (its entry was edited or removed).
func (g *Engine) Drop(reg registry.Registry) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if c := g.clients[reg.String()]; c != nil {
		c.CloseIdleConnections()
		delete(g.clients, reg.String())
	}
}

// Close forgets every token (they live in memory only, and not past the
// program) and closes idle connections.
func (g *Engine) Close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, c := range g.clients {
		c.ForgetTokens()
		c.CloseIdleConnections()
	}
}

// HeadlessCredentials are the logins of the headless commands: the
// keychain, Podman's and Docker's files, then the helpers of each host's
// kind, as the window's settings s know it.
func HeadlessCredentials(s settings.Settings) credential.Source {
	return credential.Chain{credential.Default(), kinds.Helpers(s.KindOfHost)}
}
