package registry_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

func start(t *testing.T, cfg rt.Config) *rt.Server {
	t.Helper()
	s, err := rt.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// login returns credentials for user on s.
func login(s *rt.Server, user, pass string) registry.Option {
	return registry.WithCredentials(credential.Static{s.Registry.Host: {Username: user, Password: pass}})
}

// fastRetry keeps backoff short so fault tests run quickly.
var fastRetry = registry.WithRetry(4, 5*time.Millisecond)

func repo(s *rt.Server, name string) registry.Reference {
	return registry.Reference{Registry: s.Registry, Repository: name}
}

func tags(t *testing.T, c *registry.Client, ref registry.Reference) ([]string, error) {
	t.Helper()
	var out []string
	err := c.Tags(context.Background(), ref, func(p []string) error { out = append(out, p...); return nil })
	return out, err
}

func catalog(c *registry.Client) ([]string, error) {
	var out []string
	err := c.Catalog(context.Background(), func(p []string) error { out = append(out, p...); return nil })
	return out, err
}

// Seed 003: /v2/ anonymous, one repository Basic, another Bearer, another
// nothing, on the same host.
func perRepositoryServer(t *testing.T) *rt.Server {
	return start(t, rt.Config{
		Ping: rt.Anonymous, Default: rt.Anonymous,
		Repos: map[string]rt.Auth{"library/python": rt.Basic, "library/node": rt.Bearer},
		Users: map[string]string{"alice": "pw"},
	})
}

func TestPerRepositoryChallengesBehindAnonymousPing(t *testing.T) {
	s := perRepositoryServer(t)
	c := registry.New(s.Registry, login(s, "alice", "pw"))
	for _, r := range []string{"library/python", "library/node", "library/alpine"} {
		got, err := tags(t, c, repo(s, r))
		if err != nil || len(got) < 3 {
			t.Errorf("%s: %v, %v", r, got, err)
		}
	}
	if s.Pings() != 0 {
		t.Errorf("%d pings; the engine needs none", s.Pings())
	}
	if n := s.Tokens.TotalExchanges(); n != 1 {
		t.Errorf("%d token exchanges, want 1 (library/node)", n)
	}
	// Anonymous: the Basic repository says it needs a login, the Bearer one
	// works with an anonymous token.
	anon := registry.New(s.Registry)
	if _, err := tags(t, anon, repo(s, "library/python")); !errors.Is(err, registry.ErrAuthRequired) {
		t.Errorf("anonymous Basic repository: %v", err)
	}
	if _, err := tags(t, anon, repo(s, "library/node")); err != nil {
		t.Errorf("anonymous Bearer repository: %v", err)
	}
}

// The same registry through go-containerregistry: alone it fails (the ping
// said 200, so it never answers a challenge); with the engine's transport
// installed by remote.WithTransport it succeeds.
func TestTransportFixesGoContainerRegistry(t *testing.T) {
	s := perRepositoryServer(t)
	ref, _ := name.NewRepository(s.Registry.Host+"/library/node", name.Insecure)
	if _, err := remote.List(ref, remote.WithAuth(authn.FromConfig(authn.AuthConfig{Username: "alice", Password: "pw"}))); err == nil {
		t.Log("go-containerregistry alone listed a Bearer repository behind an anonymous /v2/; it used not to")
	}
	c := registry.New(s.Registry, login(s, "alice", "pw"))
	for _, r := range []string{"library/node", "library/python"} {
		ref, _ := name.NewRepository(s.Registry.Host+"/"+r, name.Insecure)
		got, err := remote.List(ref, remote.WithTransport(c.Transport()))
		if err != nil || len(got) < 3 {
			t.Errorf("ggcr with the engine's transport, %s: %v, %v", r, got, err)
		}
	}
}

func TestBearerPingButBasicRepository(t *testing.T) {
	s := start(t, rt.Config{Ping: rt.Bearer, Default: rt.Bearer,
		Repos: map[string]rt.Auth{"team-a/ledger": rt.Basic}, Users: map[string]string{"alice": "pw"}})
	c := registry.New(s.Registry, login(s, "alice", "pw"))
	if err := c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{"team-a/ledger", "team-a/web"} {
		if got, err := tags(t, c, repo(s, r)); err != nil || len(got) == 0 {
			t.Errorf("%s: %v, %v", r, got, err)
		}
	}
}

func hubLike(t *testing.T) *rt.Server {
	tagList := make([]string, 25)
	for i := range tagList {
		tagList[i] = fmt.Sprintf("3.%d", i)
	}
	cfg := rt.HubConfig(map[string]string{"alice": "pw"})
	cfg.Tags, cfg.MaxPage = map[string][]string{"library/python": tagList}, 10
	cfg.Private = map[string]bool{"team-a/web": true}
	return start(t, cfg)
}

func TestHubLike(t *testing.T) {
	s := hubLike(t)
	var logBuf bytes.Buffer
	c := registry.New(s.Registry, registry.WithLogger(slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	if _, err := catalog(c); !errors.Is(err, registry.ErrNoCatalog) {
		t.Errorf("catalog: %v, want ErrNoCatalog", err)
	}
	if !strings.Contains(logBuf.String(), "token service refused a scope") {
		t.Errorf("the fallback from the refused catalog scope is not in the debug log:\n%s", logBuf.String())
	}
	got, err := tags(t, c, repo(s, "library/python"))
	if err != nil || len(got) != 25 {
		t.Fatalf("paged tags: %d, %v", len(got), err)
	}
	ref := repo(s, "library/node")
	ref.Tag = "22"
	m, err := c.Manifest(context.Background(), ref)
	if err != nil || m.Index == nil || len(m.Index.Manifests) < 3 {
		t.Fatalf("manifest list: %v", err)
	}
	// One token per repository scope, whatever the number of pages.
	if n := s.Tokens.Exchanges()["repository:library/python:pull"]; n != 1 {
		t.Errorf("%d exchanges for library/python", n)
	}
	// A private repository: the token comes without access. Anonymous, a
	// login may help; logged in as someone else, permission is denied.
	if _, err := tags(t, c, repo(s, "team-a/web")); !errors.Is(err, registry.ErrAuthRequired) {
		t.Errorf("private repository, anonymous: %v, want ErrAuthRequired", err)
	}
	other := registry.New(s.Registry, login(s, "alice", "pw"))
	if _, err := tags(t, other, repo(s, "team-a/web")); !errors.Is(err, registry.ErrDenied) {
		t.Errorf("private repository, another user: %v, want ErrDenied", err)
	}
}

func ghcrLike(t *testing.T, life time.Duration) *rt.Server {
	tagList := make([]string, 10)
	for i := range tagList {
		tagList[i] = fmt.Sprintf("v%d", i)
	}
	cfg := rt.GHCRConfig(map[string]string{"alice": "ghp_token"}, life)
	cfg.Tags, cfg.MaxPage = map[string][]string{"library/python": tagList}, 2
	return start(t, cfg)
}

func TestGHCRLike(t *testing.T) {
	s := ghcrLike(t, 5*time.Minute)
	anon := registry.New(s.Registry)
	if _, err := catalog(anon); !errors.Is(err, registry.ErrAuthRequired) {
		t.Errorf("anonymous catalog: %v, want ErrAuthRequired", err)
	}
	if got, err := tags(t, anon, repo(s, "library/python")); err != nil || len(got) != 10 {
		t.Errorf("anonymous tags of a public repository: %v, %v", got, err)
	}
	c := registry.New(s.Registry, login(s, "alice", "ghp_token"))
	if err := c.Ping(context.Background()); err != nil {
		t.Errorf("ping with login (empty body): %v", err)
	}
	names, err := catalog(c)
	if err != nil || len(names) < 35 {
		t.Errorf("catalog with login: %d names, %v", len(names), err)
	}
}

func TestTokenExpiringMidWalk(t *testing.T) {
	s := ghcrLike(t, 300*time.Millisecond)
	c := registry.New(s.Registry, login(s, "alice", "ghp_token"))
	var got []string
	err := c.Tags(context.Background(), repo(s, "library/python"), func(p []string) error {
		got = append(got, p...)
		if len(got) == 2 {
			time.Sleep(400 * time.Millisecond) // the server forgets the token
		}
		return nil
	})
	if err != nil || len(got) != 10 {
		t.Fatalf("%v, %v", got, err)
	}
	if n := s.Tokens.Exchanges()["repository:library/python:pull"]; n != 2 {
		t.Errorf("%d exchanges, want 2 (the first token, one renewal)", n)
	}
}

func TestQuayLikeRobotAndRefusedCatalogScope(t *testing.T) {
	s := start(t, rt.QuayConfig(map[string]string{"acme+builder": "ROBOTTOKEN"}))
	c := registry.New(s.Registry, login(s, "acme+builder", "ROBOTTOKEN"))
	names, err := catalog(c)
	if err != nil || len(names) < 35 {
		t.Fatalf("catalog: %d, %v", len(names), err)
	}
	if ex := s.Tokens.Exchanges(); ex["registry:catalog:*"] != 1 || ex[""] != 1 {
		t.Errorf("exchanges %v: want the catalog scope tried once, then one scope-less token", ex)
	}
}

func TestLoginRejected(t *testing.T) {
	s := start(t, rt.Config{Default: rt.Basic, Repos: map[string]rt.Auth{"library/node": rt.Bearer},
		Users: map[string]string{"alice": "pw"}})
	c := registry.New(s.Registry, login(s, "alice", "wrong"))
	before := s.Requests()
	if _, err := tags(t, c, repo(s, "library/python")); !errors.Is(err, registry.ErrLoginRejected) {
		t.Errorf("Basic with a wrong password: %v", err)
	}
	if n := s.Requests() - before; n != 2 {
		t.Errorf("%d requests; want 2 (the challenge, one try with the login)", n)
	}
	if _, err := tags(t, c, repo(s, "library/node")); !errors.Is(err, registry.ErrLoginRejected) {
		t.Errorf("Bearer with a wrong password: %v", err)
	}
}

func TestIdentityTokenUsesOAuth(t *testing.T) {
	s := start(t, rt.Config{Default: rt.Bearer, Users: map[string]string{"alice": "pw"},
		RefreshTokens: map[string]string{"refresh-123": "alice"}, Private: map[string]bool{"alice/private": true}})
	c := registry.New(s.Registry, registry.WithCredentials(credential.Static{s.Registry.Host: {Username: "<token>", IdentityToken: "refresh-123"}}))
	if got, err := tags(t, c, repo(s, "library/alpine")); err != nil || len(got) == 0 {
		t.Fatalf("%v, %v", got, err)
	}
}

func TestConcurrentWorkersShareOneExchange(t *testing.T) {
	s := start(t, rt.Config{Default: rt.Bearer})
	c := registry.New(s.Registry)
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := tags(t, c, repo(s, "library/redis")); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := s.Tokens.Exchanges()["repository:library/redis:pull"]; n != 1 {
		t.Errorf("%d exchanges, want 1", n)
	}
}

func TestPaging(t *testing.T) {
	names := rt.Names(250, "ns")
	all := append(names, names[:50]...) // duplicates too
	firstPage := slices.Compact(slices.Sorted(slices.Values(all))[:100])
	cases := []struct {
		name string
		cfg  rt.Config
		want int
		err  error
	}{
		{"relative links", rt.Config{MaxPage: 100}, 250, nil},
		{"absolute links", rt.Config{MaxPage: 100, AbsoluteLinks: true}, 250, nil},
		{"page size refused", rt.Config{MaxPage: 100, RefuseLargeN: true}, 250, nil},
		{"looping link", rt.Config{MaxPage: 100, LoopingLink: true}, len(firstPage), nil},
		{"stuck link", rt.Config{MaxPage: 100, StuckLink: true}, len(firstPage), nil},
		{"link to another host", rt.Config{MaxPage: 100, ForeignLink: true}, len(firstPage), registry.ErrMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Repositories = all
			s := start(t, tc.cfg)
			c := registry.New(s.Registry)
			got, err := catalog(c)
			if !errors.Is(err, tc.err) || len(got) != tc.want {
				t.Fatalf("%d names, %v; want %d, %v", len(got), err, tc.want, tc.err)
			}
			seen := map[string]bool{}
			for _, n := range got {
				if seen[n] {
					t.Fatalf("%s twice", n)
				}
				seen[n] = true
			}
			if s.Requests() > 10 {
				t.Errorf("%d requests", s.Requests())
			}
		})
	}
}

func TestPagingStopsOnCancel(t *testing.T) {
	s := start(t, rt.Config{Repositories: rt.Names(1000, "ns"), MaxPage: 10})
	c := registry.New(s.Registry)
	ctx, cancel := context.WithCancel(context.Background())
	pages := 0
	err := c.Catalog(ctx, func([]string) error {
		pages++
		if pages == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || pages != 3 {
		t.Errorf("%d pages, %v", pages, err)
	}
}

func TestRetries(t *testing.T) {
	t.Run("503 then success, honouring Retry-After", func(t *testing.T) {
		s := start(t, rt.Config{FailFirst: 1, FailStatus: 503, RetryAfter: "1"})
		c := registry.New(s.Registry, fastRetry)
		began := time.Now()
		if _, err := tags(t, c, repo(s, "library/alpine")); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(began); waited < 900*time.Millisecond {
			t.Errorf("retried after %s; Retry-After asked 1 s", waited)
		}
		if c.Stats().Retries != 1 {
			t.Errorf("%d retries", c.Stats().Retries)
		}
	})
	t.Run("429 with a long Retry-After is reported, not waited out", func(t *testing.T) {
		s := start(t, rt.Config{FailFirst: 5, FailStatus: 429, RetryAfter: "120"})
		c := registry.New(s.Registry, fastRetry)
		_, err := tags(t, c, repo(s, "library/alpine"))
		var se *registry.StatusError
		if !errors.Is(err, registry.ErrRateLimited) || !errors.As(err, &se) || se.RetryAfter != 2*time.Minute {
			t.Fatalf("%v", err)
		}
		if !strings.Contains(err.Error(), "try again in 2m0s") {
			t.Errorf("message %q", err)
		}
	})
	t.Run("5xx gives up after the attempts", func(t *testing.T) {
		s := start(t, rt.Config{FailFirst: 100, FailStatus: 502})
		c := registry.New(s.Registry, fastRetry)
		if _, err := tags(t, c, repo(s, "library/alpine")); !errors.Is(err, registry.ErrServer) {
			t.Fatal(err)
		}
		if s.Requests() != 4 {
			t.Errorf("%d requests, want 4", s.Requests())
		}
	})
	t.Run("dropped connection", func(t *testing.T) {
		s := start(t, rt.Config{DropFirst: 2})
		c := registry.New(s.Registry, fastRetry)
		if _, err := tags(t, c, repo(s, "library/alpine")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("cancel stops the wait", func(t *testing.T) {
		const retryAfter = 20 * time.Second
		s := start(t, rt.Config{FailFirst: 100, FailStatus: 503, RetryAfter: "20"})
		c := registry.New(s.Registry)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		began := time.Now()
		err := c.Tags(ctx, repo(s, "library/alpine"), func([]string) error { return nil })
		// A wait that ignored the context would end no sooner than the
		// registry's 20 s.
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(began) >= retryAfter/2 {
			t.Fatalf("%v after %s", err, time.Since(began))
		}
	})
}

func TestIntegrity(t *testing.T) {
	ref := func(s *rt.Server) registry.Reference { r := repo(s, "team-a/web"); r.Tag = "latest"; return r }
	cases := []struct {
		cfg rt.Config
		err error
	}{
		{rt.Config{LyingDigest: true}, registry.ErrDigestMismatch},
		{rt.Config{Oversize: true}, registry.ErrTooLarge},
		{rt.Config{Truncate: true}, registry.ErrMalformed},
	}
	for _, tc := range cases {
		s := start(t, tc.cfg)
		_, err := registry.New(s.Registry).Manifest(context.Background(), ref(s))
		if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), "team-a/web:latest") {
			t.Errorf("%+v: %v", tc.cfg, err)
		}
	}
	s := start(t, rt.Config{Truncate: true})
	if _, err := tags(t, registry.New(s.Registry), repo(s, "team-a/web")); !errors.Is(err, registry.ErrMalformed) || !strings.Contains(err.Error(), "tags of team-a/web") {
		t.Errorf("truncated tags: %v", err)
	}
	// Fetched by a digest the content does not match.
	s = start(t, rt.Config{})
	r := ref(s)
	r.Tag, r.Digest = "", "sha256:"+strings.Repeat("1", 64)
	if _, err := registry.New(s.Registry).Manifest(context.Background(), r); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("unknown digest: %v", err)
	}
}

// Credentials go only to the registry's host, and no secret reaches the log.
func TestSecretsStayPut(t *testing.T) {
	s := start(t, rt.Config{Default: rt.Basic, Repos: map[string]rt.Auth{"library/node": rt.Bearer},
		Users: map[string]string{"alice": "s3cret-pw"}})
	var logBuf bytes.Buffer
	c := registry.New(s.Registry, login(s, "alice", "s3cret-pw"),
		registry.WithLogger(slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	for _, r := range []string{"library/python", "library/node"} {
		if _, err := tags(t, c, repo(s, r)); err != nil {
			t.Fatal(err)
		}
	}
	for _, secret := range []string{"s3cret-pw", base64.StdEncoding.EncodeToString([]byte("alice:s3cret-pw"))} {
		if strings.Contains(logBuf.String(), secret) {
			t.Errorf("the log holds a secret:\n%s", logBuf.String())
		}
	}
	if !strings.Contains(logBuf.String(), "auth=Basic") || !strings.Contains(logBuf.String(), "auth=Bearer") {
		t.Errorf("the log does not name the auth schemes:\n%s", logBuf.String())
	}
	// A request to another host through the same transport carries nothing.
	var got []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("Authorization"))
	}))
	defer other.Close()
	req, _ := http.NewRequest(http.MethodGet, other.URL+"/v2/library/python/blobs/sha256:abc", nil)
	resp, err := (&http.Client{Transport: c.Transport()}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(got) != 1 || got[0] != "" {
		t.Errorf("another host received %q", got)
	}
}

func TestErrorsNameWhatFailed(t *testing.T) {
	c := registry.New(registry.Registry{Host: "127.0.0.1:1", PlainHTTP: true})
	_, err := catalog(c)
	if !errors.Is(err, registry.ErrUnreachable) || !strings.Contains(err.Error(), "catalog of 127.0.0.1:1") {
		t.Errorf("%v", err)
	}
	s := start(t, rt.Config{})
	if _, err := tags(t, registry.New(s.Registry), repo(s, "no/such")); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("%v", err)
	}
}

// TestHTTPSToAPlainHTTPRegistrySaysSo: the registry answered, in plain
// HTTP: it is not "not reachable", and its error says what it is.
func TestHTTPSToAPlainHTTPRegistrySaysSo(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	c := registry.New(registry.Registry{Host: strings.TrimPrefix(srv.URL, "http://")}, registry.WithRetry(1, 0))
	err := c.Ping(context.Background())
	if !errors.Is(err, registry.ErrPlainHTTP) || errors.Is(err, registry.ErrUnreachable) || strings.Contains(err.Error(), "not reachable") {
		t.Errorf("%v", err)
	}
}
