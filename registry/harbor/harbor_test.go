package harbor_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
	"github.com/card-catalog/card-catalog/registry/harbor"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

const robot = "robot$team-a+ci"

func serve(t *testing.T, h *rt.Harbor, maxPage int) *rt.Server {
	cfg := rt.HarborConfig(map[string]string{robot: "robot-secret", "alice": "alice-pw"}, h)
	cfg.MaxPage = maxPage
	return rt.Serve(t, cfg)
}

func fast() []registry.Option {
	return []registry.Option{registry.WithRetry(1, 0), registry.WithStallTimeout(2 * time.Second)}
}

func all(t *testing.T, list func(func([]string) error) error) ([]string, int) {
	t.Helper()
	var names []string
	pages := 0
	err := list(func(p []string) error { names = append(names, p...); pages++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	return names, pages
}

func TestHarborListsWhatTheLoginMaySee(t *testing.T) {
	for _, noLink := range []bool{false, true} {
		srv := serve(t, &rt.Harbor{Public: map[string]bool{"library": true}, Members: map[string][]string{"team-a": {robot}, "team-b": {"alice"}}, NoLink: noLink}, 3)
		ctx := context.Background()
		h := harbor.New(srv.Registry, credential.Static{srv.Registry.Host: {Username: robot, Password: "robot-secret"}}, nil, fast()...)
		if v, ok, err := h.Detect(ctx); err != nil || !ok || v != rt.HarborVersion {
			t.Fatalf("Detect: %q %v %v", v, ok, err)
		}
		projects, _ := all(t, func(fn func([]string) error) error { return h.Projects(ctx, fn) })
		if !slices.Equal(projects, []string{"library", "team-a"}) {
			t.Fatalf("projects of the robot (no Link: %v): %v", noLink, projects)
		}
		repos, pages := all(t, func(fn func([]string) error) error { return h.AllRepositories(ctx, fn) })
		if len(repos) != 15 || pages < 5 || !slices.Contains(repos, "team-a/batch/nightly-report") || slices.Contains(repos, "team-b/search") {
			t.Fatalf("repositories of the robot (no Link: %v), %d pages: %v", noLink, pages, repos)
		}

		anon := harbor.New(srv.Registry, credential.Anonymous, nil, fast()...)
		projects, _ = all(t, func(fn func([]string) error) error { return anon.Projects(ctx, fn) })
		if !slices.Equal(projects, []string{"library"}) {
			t.Fatalf("anonymous sees %v", projects)
		}
	}
}

func TestHarborRefusesAWrongSecret(t *testing.T) {
	srv := serve(t, &rt.Harbor{}, 0)
	h := harbor.New(srv.Registry, credential.Static{srv.Registry.Host: {Username: robot, Password: "wrong"}}, nil, fast()...)
	err := h.Projects(context.Background(), func([]string) error { return nil })
	if !errors.Is(err, registry.ErrLoginRejected) {
		t.Fatalf("wrong robot secret: %v", err)
	}
}

func TestNotAHarbor(t *testing.T) {
	srv := rt.Serve(t, rt.Config{})
	_, ok, err := harbor.New(srv.Registry, credential.Anonymous, nil, fast()...).Detect(context.Background())
	if ok || err != nil {
		t.Fatalf("a plain registry detected as Harbor: %v %v", ok, err)
	}
}

// The test Harbor answers the catalog as Harbor's v2 middleware does: to
// anyone but a system administrator, 401 with a Basic challenge, which to a
// client is a login rejected.
func TestTheCatalogIsForAdministratorsOnly(t *testing.T) {
	srv := serve(t, &rt.Harbor{Admins: []string{"alice"}}, 0)
	catalog := func(user, password string) (int, error) {
		c := registry.New(srv.Registry, append(fast(), registry.WithCredentials(credential.Static{srv.Registry.Host: {Username: user, Password: password}}))...)
		n := 0
		err := c.Catalog(context.Background(), func(page []string) error { n += len(page); return nil })
		return n, err
	}
	if _, err := catalog(robot, "robot-secret"); !errors.Is(err, registry.ErrLoginRejected) || !strings.Contains(err.Error(), "unauthorized to list catalog") {
		t.Fatalf("a robot read the catalog: %v", err)
	}
	if n, err := catalog("alice", "alice-pw"); err != nil || n != 40 {
		t.Fatalf("the administrator: %d names, %v", n, err)
	}
}

// A Harbor API that lies: names outside the grammar, a total that never
// comes, the same page for ever, a Link to another host.
func TestAHostileHarborAPIEnds(t *testing.T) {
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		w.Header().Set("X-Total-Count", "9999999999")
		if r.URL.Query().Get("page") == "3" {
			w.Header().Set("Link", `<http://elsewhere.invalid/api/v2.0/projects?page=4>; rel="next"`)
		}
		w.Write([]byte(`[{"name":"../etc"},{"name":"ok"},{"name":"\u001b]0;pwned\u0007"},{"name":"a/b"},{"name":7}]`))
	}))
	defer srv.Close()
	reg := registry.Registry{Host: strings.TrimPrefix(srv.URL, "http://"), PlainHTTP: true}
	var got []string
	err := harbor.New(reg, credential.Anonymous, nil, fast()...).Projects(context.Background(), func(p []string) error {
		got = append(got, p...)
		return nil
	})
	if !slices.Equal(got, []string{"ok"}) || err == nil || requests > 3 {
		t.Fatalf("names %q after %d requests: %v", got, requests, err)
	}
}
