package gitlab_test

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
	"github.com/card-catalog/card-catalog/registry/gitlab"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

func TestGitLabListsAProjectsRepositories(t *testing.T) {
	repos := []string{"group/app", "group/app/api", "group/app/web", "group/app/worker", "group/app/docs"}
	cfg := rt.GitLabConfig(map[string]string{"alice": "glpat-secret"},
		&rt.GitLab{Projects: map[string][]string{"group/app": repos, "42": repos}, Tokens: map[string]bool{"glpat-secret": true}})
	cfg.MaxPage = 2
	srv := rt.Serve(t, cfg)
	opts := []registry.Option{registry.WithRetry(1, 0), registry.WithStallTimeout(2 * time.Second)}
	g := gitlab.New(srv.Registry, credential.Static{srv.Registry.Host: {Username: "alice", Password: "glpat-secret"}}, nil, opts...)
	for _, project := range []string{"group/app", "42"} {
		var got []string
		pages := 0
		err := g.Repositories(context.Background(), project, func(p []string) error { got = append(got, p...); pages++; return nil })
		if err != nil || pages != 3 || !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(repos))) {
			t.Fatalf("project %s: %d pages %v %v", project, pages, got, err)
		}
	}
	bad := gitlab.New(srv.Registry, credential.Static{srv.Registry.Host: {Username: "alice", Password: "revoked"}}, nil, opts...)
	if err := bad.Repositories(context.Background(), "42", func([]string) error { return nil }); !errors.Is(err, registry.ErrLoginRejected) {
		t.Fatalf("revoked token: %v", err)
	}
	if err := g.Repositories(context.Background(), "nope", func([]string) error { return nil }); !errors.Is(err, registry.ErrNotFound) {
		t.Fatalf("unknown project: %v", err)
	}
}

// A GitLab API that lies: names outside the grammar or no strings, the same
// next page for ever, a total that never comes.
func TestAHostileGitLabAPIEnds(t *testing.T) {
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		w.Header().Set("X-Next-Page", "2")
		w.Write([]byte(`[{"path":"../etc"},{"path":"group/app"},{"path":"group/\u001b]0;pwned\u0007"},{"path":7},{"path":"Group/App"}]`))
	}))
	defer srv.Close()
	api := registry.Registry{Host: strings.TrimPrefix(srv.URL, "http://"), PlainHTTP: true}
	g := gitlab.New(api, credential.Static{api.Host: {Username: "alice", Password: "glpat"}}, nil,
		registry.WithRetry(1, 0), registry.WithStallTimeout(2*time.Second))
	var got []string
	err := g.Repositories(context.Background(), "group/app", func(p []string) error { got = append(got, p...); return nil })
	if !slices.Equal(got, []string{"group/app"}) || err == nil || requests > 3 {
		t.Fatalf("names %q after %d requests: %v", got, requests, err)
	}
}
