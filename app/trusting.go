package app

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/app/trust/sbom"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/demo"
)

// DemoKeyName is the name the demo registry's publisher key is trusted
// under, for the demo registry only: its private key comes from a public
// seed, so it must never vouch for an image anywhere else.
const DemoKeyName = "demo-publisher"

// trustFor bounds one image's verification: a few manifests and small
// blobs.
const trustFor = time.Minute

// trustLane is the pool lane of work on the trust material itself
// (imports, the policy), which reads and writes this computer's files.
const trustLane = "trust material"

// trusting is the App's trust state: where the material is kept, the
// material as loaded (nil until first asked, and after a change), and
// the results per image digest, so a grid that rebinds its cards does
// not verify them again.
type trusting struct {
	mu       sync.Mutex
	store    *trust.Store
	refresh  trust.RefreshOptions
	log      *slog.Logger
	material *trust.Material
	loadErr  error
	policy   trust.Policy
	results  map[string]*trust.Result
	// generation counts the changes: a check that began before one does
	// not keep its result.
	generation int
}

// maxTrustResults bounds the results kept; past it they are forgotten
// all at once (a person looks at far fewer images in one sitting).
const maxTrustResults = 5000

// loaded is the material and policy, read from the store the first time
// (what cannot be read is logged then, once).
func (t *trusting) loaded() (*trust.Material, trust.Policy, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.material == nil {
		if t.store == nil {
			t.material = &trust.Material{Roots: []trust.Root{trust.PublicGood()}}
		} else {
			t.material, t.loadErr = t.store.Load()
			var err error
			if t.policy, err = t.store.Policy(); err != nil {
				t.loadErr = errors.Join(t.loadErr, err)
			}
			if t.loadErr != nil {
				t.log.Warn("some trust material is left out: " + t.loadErr.Error())
			}
		}
	}
	return t.material, t.policy, t.loadErr
}

// changed forgets the material and every result: the next check reads
// the store again.
func (t *trusting) changed() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.material, t.loadErr, t.policy, t.results = nil, nil, trust.Policy{}, nil
	t.generation++
}

func (t *trusting) now() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.generation
}

func (t *trusting) result(key string) *trust.Result {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.results[key]
}

// keep keeps r when the material has not changed since generation.
func (t *trusting) keep(key string, r *trust.Result, generation int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if generation != t.generation {
		return
	}
	if t.results == nil || len(t.results) >= maxTrustResults {
		t.results = map[string]*trust.Result{}
	}
	t.results[key] = r
}

// demoKey is the demo publisher's key.
var demoKey = sync.OnceValue(func() trust.Key {
	k, err := trust.ParseKey(DemoKeyName, demo.PublisherKeyPEM)
	if err != nil {
		panic(err)
	}
	return k
})

// trustMaterial is what verifies e's images: this computer's material and
// policy, and for the demo registry its publisher's key and a rule that
// the whole demo registry be signed by it (unless a saved rule says
// otherwise), so a new user sees a verified, a not trusted and an
// unsigned image there.
func (a *App) trustMaterial(e settings.Entry, host string) (*trust.Material, trust.Policy) {
	m, p, _ := a.trust.loaded() // what is left out was logged
	if !e.IsDemo() {
		return m, p
	}
	demoM := *m
	demoM.Keys = append([]trust.Key{demoKey()}, m.Keys...)
	if _, ok := p.RuleFor(host, ""); !ok {
		p.Rules = append(append([]trust.Rule(nil), p.Rules...), trust.Rule{Scope: host, Key: DemoKeyName})
	}
	return &demoM, p
}

// Trust finds what is attached to ref and verifies it in the background,
// for the Trust tab. An image already checked, by digest, is not checked
// again until the trust material changes.
func (a *App) Trust(ctx context.Context, e settings.Entry, ref registry.Reference, done func(*trust.Result, error)) {
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{Kind: "trust", Name: ref.String()}, pool.PriorityUser, func(ctx context.Context) (*trust.Result, error) {
		return a.checkTrust(ctx, e, ref)
	}, done)
}

// TrustBadge is Trust for a card's or a tag row's badge: in the
// background, after what the grid shows, and only where a rule of the
// policy applies to ref's repository; done gets nil, having asked the
// registry nothing, where none does.
func (a *App) TrustBadge(ctx context.Context, e settings.Entry, ref registry.Reference, done func(*trust.Result, error)) {
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{Kind: "trust badge", Name: ref.String()}, pool.PriorityBackground, func(ctx context.Context) (*trust.Result, error) {
		reg, err := e.Registry()
		if err != nil {
			return nil, err
		}
		if _, p := a.trustMaterial(e, reg.Host); !hasRule(p, reg.Host, ref.Repository) {
			return nil, nil
		}
		return a.checkTrust(ctx, e, ref)
	}, done)
}

func hasRule(p trust.Policy, host, repo string) bool {
	_, ok := p.RuleFor(host, repo)
	return ok
}

// checkTrust is Trust's work, on a pool goroutine.
func (a *App) checkTrust(ctx context.Context, e settings.Entry, ref registry.Reference) (*trust.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, trustFor)
	defer cancel()
	src, err := a.source(e)
	if err != nil {
		return nil, err
	}
	ref.Registry = src.Registry()
	if ref.Digest == "" {
		m, err := src.Manifest(ctx, ref)
		if err != nil {
			return nil, err
		}
		ref.Tag, ref.Digest = "", m.Digest
	}
	key := e.ID + "\x00" + ref.Repository + "@" + ref.Digest
	if r := a.trust.result(key); r != nil {
		return r, nil
	}
	generation := a.trust.now()
	m, p := a.trustMaterial(e, ref.Registry.Host)
	r, err := trust.Check(ctx, src, ref, m, p)
	if err != nil {
		return nil, err
	}
	a.trust.keep(key, r, generation)
	return r, nil
}

// SBOM reads the package list of image (a digest: the platform image
// shown, or ref's own) from what is attached to ref, in the background.
func (a *App) SBOM(ctx context.Context, e settings.Entry, ref registry.Reference, image string, done func(*sbom.Document, *trust.SBOMRef, error)) {
	type found struct {
		doc   *sbom.Document
		where *trust.SBOMRef
	}
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{Kind: "sbom", Name: ref.String() + " " + image}, pool.PriorityUser, func(ctx context.Context) (found, error) {
		src, err := a.source(e)
		if err != nil {
			return found{}, err
		}
		ref.Registry = src.Registry()
		doc, where, err := trust.ImageSBOM(ctx, src, ref, image, sbom.DefaultLimits)
		return found{doc, where}, err
	}, func(f found, err error) { done(f.doc, f.where, err) })
}

// TrustMaterial is what Settings › Trust lists: the roots, keys and
// certificates on this computer, and the saved policy (the demo's own key
// and rule are not in it), read in the background.
func (a *App) TrustMaterial(ctx context.Context, done func(*trust.Material, trust.Policy, error)) {
	type both struct {
		m *trust.Material
		p trust.Policy
	}
	pool.Submit(a.jobs, ctx, trustLane, pool.Key{}, pool.PriorityUser, func(context.Context) (both, error) {
		m, p, err := a.trust.loaded()
		return both{m, p}, err
	}, func(b both, err error) { done(b.m, b.p, err) })
}

// TrustKind is what one imported file of trust material is.
type TrustKind string

// The kinds of trust material a person imports; the names are the
// store's.
const (
	TrustRoot        TrustKind = "roots"
	TrustKey         TrustKind = "keys"
	TrustCertificate TrustKind = "certs"
)

// errNoTrustStore: there is no config directory to keep material in.
var errNoTrustStore = errors.New("there is no configuration directory on this computer to keep trust material in")

// ImportTrust checks raw is a root, key or certificate and keeps it under
// name, in the background; every image is verified again after.
func (a *App) ImportTrust(ctx context.Context, kind TrustKind, name string, raw []byte, done func(error)) {
	a.changeTrust(ctx, func(s *trust.Store) error {
		switch kind {
		case TrustRoot:
			return s.ImportRoot(name, raw)
		case TrustKey:
			return s.ImportKey(name, raw)
		default:
			return s.ImportCertificate(name, raw)
		}
	}, done)
}

// RemoveTrust forgets an imported root, key or certificate.
func (a *App) RemoveTrust(ctx context.Context, kind TrustKind, name string, done func(error)) {
	a.changeTrust(ctx, func(s *trust.Store) error { return s.Remove(string(kind), name) }, done)
}

// refreshFor bounds a refresh of the public-good root: a few small files.
const refreshFor = time.Minute

// RefreshTrustRoot fetches Sigstore's public-good trusted root through TUF
// into the cache, in the background; every image is verified with it
// after. done gets the root as refreshed.
func (a *App) RefreshTrustRoot(ctx context.Context, done func(trust.Root, error)) {
	var got trust.Root
	a.changeTrust(ctx, func(s *trust.Store) error {
		ctx, cancel := context.WithTimeout(ctx, refreshFor)
		defer cancel()
		var err error
		got, err = s.Refresh(ctx, a.trust.refresh)
		return err
	}, func(err error) { done(got, err) })
}

// SavePolicy checks and keeps the policy.
func (a *App) SavePolicy(ctx context.Context, p trust.Policy, done func(error)) {
	a.changeTrust(ctx, func(s *trust.Store) error { return s.SavePolicy(p) }, done)
}

func (a *App) changeTrust(ctx context.Context, change func(*trust.Store) error, done func(error)) {
	pool.Submit(a.jobs, ctx, trustLane, pool.Key{}, pool.PriorityUser, func(context.Context) (struct{}, error) {
		if a.trust.store == nil {
			return struct{}{}, errNoTrustStore
		}
		err := change(a.trust.store)
		a.trust.changed()
		return struct{}{}, err
	}, func(_ struct{}, err error) { done(err) })
}
