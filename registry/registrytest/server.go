package registrytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/card-catalog/card-catalog/registry"
)

// Auth is what a part of the registry demands.
type Auth int

const (
	Anonymous Auth = iota
	Basic
	Bearer
)

// Config says how a test registry behaves. The zero value is an anonymous
// registry serving the demo content.
type Config struct {
	// Ping, Catalog and Default are what /v2/, /v2/_catalog and the
	// repositories not in Repos demand.
	Ping, Catalog, Default Auth
	Repos                  map[string]Auth
	// Users maps user names to passwords, for Basic and the token service.
	Users map[string]string

	// Service is the token service's name. Default: the registry's host.
	Service string
	// TokenLife is how long tokens work (default 5 min); ExpiresIn is what
	// responses claim (0: omitted, as GHCR does).
	TokenLife time.Duration
	ExpiresIn int
	// RefuseScope: the token service answers 400 "unknown resource type".
	RefuseScope map[string]bool
	// LoginOnlyScopes: the token service refuses these to anonymous users.
	LoginOnlyScopes map[string]bool
	// Private repositories: tokens for others carry no access to them.
	Private map[string]bool
	// RefreshTokens are OAuth identity tokens, by user.
	RefreshTokens map[string]string
	// Signer makes JWT tokens; nil makes opaque ones.
	Signer *Signer
	// PlaceholderScope is the scope named in /v2/ and /v2/_catalog challenges
	// (GHCR's "repository:user/image:pull").
	PlaceholderScope string
	// CatalogForAnyLogin lists the catalog to any logged-in token (GHCR).
	CatalogForAnyLogin bool
	// NoCatalog answers insufficient_scope to every catalog token (Hub).
	NoCatalog bool
	// EmptyPingBody answers /v2/ with an empty body (GHCR).
	EmptyPingBody bool

	// Repositories replaces the catalog; Tags replaces tag lists.
	Repositories []string
	Tags         map[string][]string
	// MaxPage is the most names a page holds (0: all); larger n are cut, or
	// refused with 400 when RefuseLargeN (distribution).
	MaxPage      int
	RefuseLargeN bool
	// AbsoluteLinks writes Link targets with scheme and host.
	AbsoluteLinks bool
	// PageDelay slows each page of a generated list, like a distant registry.
	PageDelay time.Duration
	// RateLimit is sent as Docker Hub's RateLimit-Limit and
	// RateLimit-Remaining ("100;w=21600" and "76;w=21600").
	RateLimit [2]string

	// Faults.
	LoopingLink bool   // pages link to themselves
	StuckLink   bool   // next pages repeat the first page's names
	ForeignLink bool   // next page is on another host
	FailFirst   int    // the first N requests per path fail with FailStatus
	FailStatus  int    //
	RetryAfter  string // sent with FailStatus
	DropFirst   int    // the first N requests per path lose their connection
	LyingDigest bool   // manifests carry a wrong Docker-Content-Digest
	Oversize    bool   // manifests are 9 MiB
	Truncate    bool   // manifests and tag lists are cut in half

	// Hostile behaviours, one class of hostile input each (hostile.go).
	Hostile Hostile
	// Blank serves an empty registry (go-containerregistry's, with the
	// referrers API) instead of the demo's content.
	Blank bool
	// PullOnly users ("" for anonymous) may read but not push or delete:
	// their tokens carry pull only, their Basic writes are answered 403.
	PullOnly map[string]bool
	// Writes: how pushes and deletes are answered (write.go).
	Writes Writes
	// TokenHang: the token service accepts the request and never answers;
	// TokenNonsense: it answers 200 with something that is not a token.
	TokenHang, TokenNonsense bool

	// The hosted kinds (kinds.go). Issued are short-lived passwords, also
	// taken by the token service; a request with one that ran out is
	// answered 403 ExpiredMessage when that is set (ECR), else as a wrong
	// password. TokenOnRegistry serves the token service at /oauth2/token
	// on the registry's own host (Azure). Harbor and GitLab serve those
	// products' web APIs.
	Issued          *IssuedLogins
	ExpiredMessage  string
	TokenOnRegistry bool
	Harbor          *Harbor
	GitLab          *GitLab
	// Packages serves GitHub's packages API for the registry's content,
	// on the registry's own host (kinds.go).
	Packages *Packages
}

// Server is a running test registry with its token service on another host
// (localhost rather than 127.0.0.1, another port).
type Server struct {
	Config
	// Registry is how the engine reaches it.
	Registry registry.Registry
	Tokens   *TokenService

	pings, requests atomic.Int64
	blobBytesIn     atomic.Int64 // bytes of blob uploads received
	blobsStored     atomic.Int64 // blob uploads completed
	mu              sync.Mutex
	attempts        map[string]int
	byKind          map[string]int64 // "GET manifests": requests
	logins          map[string]int   // requests by the user whose login they carried
	content         http.Handler
	srv, tokenSrv   *httptest.Server
	closing         chan struct{} // closed by Close: stalled answers end
	closeOnce       sync.Once
}

// Start serves a test registry.
func Start(cfg Config) (*Server, error) {
	content, err := contentHandler(cfg.Blank)
	if err != nil {
		return nil, err
	}
	s := &Server{Config: cfg, content: content, attempts: map[string]int{}, byKind: map[string]int64{},
		logins: map[string]int{}, closing: make(chan struct{})}
	s.srv = httptest.NewServer(s)
	host := strings.TrimPrefix(s.srv.URL, "http://")
	s.Registry = registry.Registry{Host: host, PlainHTTP: true}
	if cfg.Service == "" {
		cfg.Service = host
		s.Config.Service = host
	}
	life := cfg.TokenLife
	if life == 0 {
		life = 5 * time.Minute
	}
	s.Tokens = &TokenService{Service: cfg.Service, Users: cfg.Users, RefreshTokens: cfg.RefreshTokens, Life: life,
		ExpiresIn: cfg.ExpiresIn, RefuseScope: cfg.RefuseScope, LoginOnlyScopes: cfg.LoginOnlyScopes,
		Private: cfg.Private, Signer: cfg.Signer, Hang: cfg.TokenHang, Nonsense: cfg.TokenNonsense, Issued: cfg.Issued,
		PullOnly: cfg.PullOnly, closing: s.closing}
	s.tokenSrv = httptest.NewServer(s.Tokens)
	return s, nil
}

// Serve starts a test registry for t and closes it when t ends.
func Serve(t testing.TB, cfg Config) *Server {
	t.Helper()
	s, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// Close stops both servers; closing again does nothing.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	s.srv.Close()
	s.tokenSrv.Close()
}

// Realm is the token service's URL.
func (s *Server) Realm() string {
	if s.TokenOnRegistry {
		return "http://" + s.Registry.Host + "/oauth2/token"
	}
	return "http://localhost:" + s.tokenSrv.URL[strings.LastIndex(s.tokenSrv.URL, ":")+1:] + "/token"
}

// Pings counts GET /v2/ requests; Requests counts all.
func (s *Server) Pings() int64    { return s.pings.Load() }
func (s *Server) Requests() int64 { return s.requests.Load() }

// RequestsOf counts the requests of a method and kind so far: "GET
// manifests", "HEAD manifests", "GET blobs", "GET tags", "GET catalog".
func (s *Server) RequestsOf(what string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byKind[what]
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	_, kind := splitPath(r.URL.Path)
	s.mu.Lock()
	s.byKind[r.Method+" "+kind]++
	s.mu.Unlock()
	if s.RateLimit[0] != "" {
		w.Header().Set("RateLimit-Limit", s.RateLimit[0])
		w.Header().Set("RateLimit-Remaining", s.RateLimit[1])
	}
	if r.URL.Path == "/v2/" {
		s.pings.Add(1)
	}
	s.countLogin(r)
	if kind == "blobs" && r.Body != nil {
		r.Body = &registry.Counting{ReadCloser: r.Body, N: &s.blobBytesIn}
	}
	if s.fault(w, r) || s.serveKind(w, r) {
		return
	}
	repo, kind := splitPath(r.URL.Path)
	if !s.authorized(w, r, repo, kind) {
		return
	}
	if s.hostile(w, r, repo, kind) || s.write(w, r, repo, kind) {
		return
	}
	s.serveContent(w, r, repo, kind)
}

// serveContent answers a request the faults left alone.
func (s *Server) serveContent(w http.ResponseWriter, r *http.Request, repo, kind string) {
	switch {
	case s.Hostile.ControlNames && (kind == "catalog" || kind == "tags"):
		s.page(w, r, map[string]string{"catalog": "repositories", "tags": "tags"}[kind], repo, withControlNames(s.demoList(r, kind), kind))
	case s.Hostile.ErrorText != "":
		s.withErrorText(w, r)
	case r.URL.Path == "/v2/":
		if s.EmptyPingBody {
			w.WriteHeader(http.StatusOK)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{})
	case kind == "catalog" && s.Repositories != nil:
		s.page(w, r, "repositories", "", s.Repositories)
	case kind == "tags" && s.Tags[repo] != nil:
		s.page(w, r, "tags", repo, s.Tags[repo])
	case kind == "manifests" || (kind == "tags" && s.Truncate):
		s.rewritten(w, r)
	default:
		s.content.ServeHTTP(w, r)
	}
}

// demoList is the catalog or tag list the registry would have served.
func (s *Server) demoList(r *http.Request, kind string) []string {
	repo, _ := splitPath(r.URL.Path)
	if kind == "catalog" && s.Repositories != nil {
		return s.Repositories
	}
	if kind == "tags" && s.Tags[repo] != nil {
		return s.Tags[repo]
	}
	req := httptest.NewRequest(http.MethodGet, r.URL.Path, nil)
	rec := httptest.NewRecorder()
	s.content.ServeHTTP(rec, req)
	var doc struct{ Repositories, Tags []string }
	json.Unmarshal(rec.Body.Bytes(), &doc)
	return append(doc.Repositories, doc.Tags...)
}

// withErrorText serves the content with Hostile.ErrorText as the message
// of every error.
func (s *Server) withErrorText(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	s.content.ServeHTTP(rec, r)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	if rec.Code >= 400 {
		w.Header().Del("Content-Length")
		writeJSON(w, rec.Code, errorsBody("NAME_UNKNOWN", s.Hostile.ErrorText))
		return
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// splitPath returns the repository and the kind of request: "ping",
// "catalog", "tags", "manifests", "blobs", "referrers".
func splitPath(p string) (repo, kind string) {
	rest := strings.TrimPrefix(p, "/v2/")
	if rest == "" {
		return "", "ping"
	}
	if rest == "_catalog" {
		return "", "catalog"
	}
	for _, k := range []string{"tags", "manifests", "blobs", "referrers"} {
		if i := strings.LastIndex(rest, "/"+k+"/"); i > 0 {
			return rest[:i], k
		}
	}
	return "", "unknown"
}

// fault injects the configured failures on the first attempts at a path.
func (s *Server) fault(w http.ResponseWriter, r *http.Request) bool {
	if s.FailFirst == 0 && s.DropFirst == 0 {
		return false
	}
	s.mu.Lock()
	s.attempts[r.URL.Path]++
	n := s.attempts[r.URL.Path]
	s.mu.Unlock()
	if n <= s.DropFirst {
		if hj, ok := w.(http.Hijacker); ok {
			conn, _, err := hj.Hijack()
			if err == nil {
				conn.Close()
				return true
			}
		}
	}
	if n <= s.FailFirst {
		if s.RetryAfter != "" {
			w.Header().Set("Retry-After", s.RetryAfter)
		}
		writeJSON(w, s.FailStatus, errorsBody("UNAVAILABLE", "try later"))
		return true
	}
	return false
}

func (s *Server) authFor(repo, kind string) Auth {
	switch kind {
	case "ping":
		return s.Ping
	case "catalog":
		return s.Catalog
	}
	if a, ok := s.Repos[repo]; ok {
		return a
	}
	return s.Default
}

// authorized checks the request against what its part demands and writes
// the challenge when it falls short.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request, repo, kind string) bool {
	switch s.authFor(repo, kind) {
	case Basic:
		u, p, ok := r.BasicAuth()
		if ok && s.Users[u] == p && p != "" {
			if isWrite(r.Method) && s.PullOnly[u] {
				writeJSON(w, http.StatusForbidden, errorsBody("DENIED", "requested access to the resource is denied"))
				return false
			}
			return true
		}
		if known, expired := s.Issued.check(u, p); known && !expired {
			return true
		} else if known && s.ExpiredMessage != "" {
			writeJSON(w, http.StatusForbidden, errorsBody("DENIED", s.ExpiredMessage))
			return false
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="test registry"`)
		writeJSON(w, http.StatusUnauthorized, errorsBody("UNAUTHORIZED", "authentication required"))
		return false
	case Bearer:
		need := ""
		switch kind {
		case "catalog":
			need = "registry:catalog:*"
		case "ping":
		default:
			need = "repository:" + repo + ":" + actionOf(r.Method)
		}
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		ok, _, _ := s.Tokens.check(token, need)
		if from := mountFrom(r, repo, kind); from != "" {
			// A mount also reads the repository it mounts from.
			fromNeed := "repository:" + from + ":pull"
			fromOK, _, _ := s.Tokens.check(token, fromNeed)
			ok = ok && fromOK
			need += " " + fromNeed
		}
		if kind == "catalog" && s.CatalogForAnyLogin {
			live, _, user := s.Tokens.check(token, "")
			ok = live && user != ""
		}
		if kind == "catalog" && s.NoCatalog {
			ok = false
		}
		if ok {
			return true
		}
		challenge := fmt.Sprintf(`Bearer realm=%q,service=%q`, s.Realm(), s.Service)
		scope := need
		if (kind == "ping" || kind == "catalog") && s.PlaceholderScope != "" {
			scope = s.PlaceholderScope
		}
		if scope != "" {
			challenge += fmt.Sprintf(`,scope=%q`, scope)
		}
		if live, expired, _ := s.Tokens.check(token, ""); expired {
			challenge += `,error="invalid_token"`
		} else if live {
			challenge += `,error="insufficient_scope"`
		}
		w.Header().Set("WWW-Authenticate", challenge)
		writeJSON(w, http.StatusUnauthorized, errorsBody("UNAUTHORIZED", "authentication required"))
		return false
	}
	return true
}

// page serves one page of a generated list with n/last and Link.
func (s *Server) page(w http.ResponseWriter, r *http.Request, field, repo string, all []string) {
	time.Sleep(s.PageDelay)
	names := slices.Clone(all)
	slices.Sort(names)
	q := r.URL.Query()
	n := len(names)
	if s.MaxPage > 0 {
		n = s.MaxPage
	}
	if v := q.Get("n"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 0 {
			writeJSON(w, http.StatusBadRequest, errorsBody("PAGINATION_NUMBER_INVALID", "invalid number of results requested"))
			return
		}
	}
	if s.MaxPage > 0 && n > s.MaxPage {
		if s.RefuseLargeN {
			writeJSON(w, http.StatusBadRequest, errorsBody("PAGINATION_NUMBER_INVALID", "invalid number of results requested"))
			return
		}
		n = s.MaxPage
	}
	start := 0
	if last := q.Get("last"); last != "" && !s.StuckLink {
		start, _ = slices.BinarySearch(names, last)
		if start < len(names) && names[start] == last {
			start++
		}
	}
	end := min(start+n, len(names))
	body := map[string]any{field: names[start:end]}
	if repo != "" {
		body["name"] = repo
	}
	if end < len(names) {
		next := url.Values{"n": {strconv.Itoa(n)}, "last": {names[end-1]}}
		target := r.URL.Path + "?" + next.Encode()
		switch {
		case s.LoopingLink:
			target = r.URL.RequestURI()
		case s.ForeignLink:
			target = "http://elsewhere.invalid" + target
		case s.AbsoluteLinks:
			target = "http://" + r.Host + target
		}
		w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next"`, target))
	}
	raw, _ := json.Marshal(body)
	if s.Truncate {
		raw = raw[:len(raw)/2]
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(raw)
}

// rewritten serves the demo's answer with the configured faults applied.
func (s *Server) rewritten(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	s.content.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	if rec.Code == http.StatusOK {
		if s.LyingDigest {
			w.Header().Set("Docker-Content-Digest", "sha256:"+strings.Repeat("0", 64))
		}
		if s.Oversize {
			body = append([]byte(`{"schemaVersion":2,"pad":"`), make([]byte, 9<<20)...)
		}
		if s.Truncate {
			// A proxy that cut the body and the header with it.
			body = body[:len(body)/2]
			w.Header().Del("Docker-Content-Digest")
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(rec.Code)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// Names makes n repository-like names spread over namespaces.
func Names(n int, prefix string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%03d/service-%06d", prefix, i%97, i)
	}
	return out
}
