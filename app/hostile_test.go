package app_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/apptest"
	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// Hostile registries, driven through the layer the window uses.

// hostileApp is an App whose clients give up on a stall within 300 ms and
// stop a list at 500 names, with one sidebar entry for s.
func hostileApp(t *testing.T, s *rt.Server, creds registry.CredentialSource) (*app.App, settings.Entry) {
	t.Helper()
	a := apptest.New(t, settings.Settings{}, app.Options{Credentials: creds, ClientOptions: []registry.Option{
		registry.WithStallTimeout(300 * time.Millisecond), registry.WithRetry(1, 0), registry.WithListLimit(500, 1<<20)}})
	return a, settings.Entry{ID: "hostile", Name: "Hostile", Address: s.Registry.Host, PlainHTTP: true}
}

// listCatalog runs App.Catalog to its end.
func listCatalog(t *testing.T, a *app.App, e settings.Entry) ([]string, error) {
	var mu sync.Mutex
	var names []string
	done := make(chan error, 1)
	a.Catalog(context.Background(), e, func(p []string) { mu.Lock(); names = append(names, p...); mu.Unlock() }, func(err error) { done <- err })
	err := rt.Await(t, done)
	mu.Lock()
	defer mu.Unlock()
	return names, err
}

func TestCatalogLeavesOutNamesOutsideTheGrammar(t *testing.T) {
	a, e := hostileApp(t, rt.Serve(t, rt.Config{Hostile: rt.Hostile{ControlNames: true}}), nil)
	names, err := listCatalog(t, a, e)
	if !errors.Is(err, registry.ErrIncomplete) || !strings.Contains(err.Error(), "left out 5") {
		t.Fatalf("err %v", err)
	}
	if !slices.Contains(names, "library/python") || slices.ContainsFunc(names, func(n string) bool { return !registry.ValidRepositoryName(n) }) {
		t.Errorf("names %q", names)
	}
}

func TestEndlessCatalogKeepsWhatItListed(t *testing.T) {
	a, e := hostileApp(t, rt.Serve(t, rt.Config{Hostile: rt.Hostile{EndlessPages: true}}), nil)
	names, err := listCatalog(t, a, e)
	if !errors.Is(err, registry.ErrIncomplete) || len(names) != 500 {
		t.Fatalf("%d names, err %v", len(names), err)
	}
}

func TestStalledTagsSayWhatStopped(t *testing.T) {
	a, e := hostileApp(t, rt.Serve(t, rt.Config{Hostile: rt.Hostile{Stall: "tags"}}), nil)
	done := make(chan error, 1)
	a.Tags(context.Background(), e, "library/python", pool.PriorityUser, func(_ []string, err error) { done <- err })
	err := rt.Await(t, done)
	if !errors.Is(err, registry.ErrStalled) || !strings.Contains(err.Error(), "tags of library/python") {
		t.Fatalf("err %v", err)
	}
}

func TestAnImageCalledAnIndexIsMalformed(t *testing.T) {
	a, e := hostileApp(t, rt.Serve(t, rt.Config{Hostile: rt.Hostile{ImageAsEmptyIndex: true}}), nil)
	done := make(chan error, 1)
	ref := registry.Reference{Repository: "team-a/ledger", Tag: "latest"}
	a.TagSummary(context.Background(), e, ref, pool.PriorityUser, func(_ image.Summary, err error) { done <- err })
	if err := rt.Await(t, done); !errors.Is(err, registry.ErrMalformed) {
		t.Fatalf("err %v", err)
	}
}

func TestLoginServiceThatHangsIsNamed(t *testing.T) {
	a, e := hostileApp(t, rt.Serve(t, rt.Config{Default: rt.Bearer, TokenHang: true}), nil)
	done := make(chan error, 1)
	a.Tags(context.Background(), e, "library/python", pool.PriorityUser, func(_ []string, err error) { done <- err })
	err := rt.Await(t, done)
	if !errors.Is(err, registry.ErrLoginService) || errors.Is(err, registry.ErrUnreachable) {
		t.Fatalf("err %v", err)
	}
}

func TestBrokenHelperLeavesTheRegistryReady(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.json")
	os.WriteFile(cfg, []byte(`{"credsStore":"not-installed-anywhere"}`), 0o600)
	s := rt.Serve(t, rt.Config{Default: rt.Bearer})
	a, e := hostileApp(t, s, credential.AuthFile{Path: cfg, Source: "Docker config"})
	type checked struct {
		login app.Login
		err   error
	}
	done0 := make(chan checked, 1)
	a.Check(context.Background(), e, func(l app.Login, err error) { done0 <- checked{l, err} })
	c := rt.Await(t, done0)
	if c.err != nil || c.login.Source != "docker-credential-not-installed-anywhere is not installed" {
		t.Errorf("login %+v, %v", c.login, c.err)
	}
	done := make(chan error, 1)
	a.Tags(context.Background(), e, "library/python", pool.PriorityUser, func(_ []string, err error) { done <- err })
	if err := rt.Await(t, done); err != nil {
		t.Errorf("tags through an anonymous token: %v", err)
	}
}

// TestACardOfEndlessTagsHoldsNoList: a card needs a repository's tag count
// and newest tag, not its tags. Endless pages of 1,000 tags of 128 bytes,
// the walk held before page 5 and page 50 while the heap is measured: the
// later holds little more.
func TestACardOfEndlessTagsHoldsNoList(t *testing.T) {
	const small, large = 5, 50
	pauses := rt.NewPauses(small, large)
	s := rt.Serve(t, rt.Config{Hostile: rt.Hostile{EndlessPages: true, PageNames: 1000, NameBytes: 128, StallAtPage: large + 1, BeforePage: pauses.Before}})
	t.Cleanup(pauses.ReleaseAll)
	a := apptest.New(t, settings.Settings{}, app.Options{ClientOptions: []registry.Option{registry.WithStallTimeout(time.Minute)}})
	e := settings.Entry{ID: "tags", Name: "Endless tags", Address: s.Registry.Host, PlainHTTP: true}
	a.CardSummary(context.Background(), e, "library/python", pool.PriorityUser, func(image.Summary, error) {})
	held := func(pages int) uint64 {
		if page := pauses.Wait(t); page != pages {
			t.Fatalf("page %d asked for, not %d", page, pages)
		}
		defer pauses.Release()
		return rt.LiveHeap()
	}
	at5, at50 := held(small), held(large)
	growth, tags := float64(at50)-float64(at5), float64((large-small)*1000*128)
	t.Logf("live heap %.1f MiB at page %d, %.1f MiB at page %d: %.2f bytes a byte of tags", float64(at5)/(1<<20), small, float64(at50)/(1<<20), large, growth/tags)
	if growth > tags/2 {
		t.Errorf("%d more tags of 128 bytes grew the heap by %.1f MiB, %.2f× their size", (large-small)*1000, growth/(1<<20), growth/tags)
	}
}
