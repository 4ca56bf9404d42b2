package registry

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/card-catalog/card-catalog/registry/credential"
)

// authTransport answers authentication challenges on every endpoint of one
// registry. It is the seam go-containerregistry leaves open: installed with
// remote.WithTransport (and ggcr's own auth left anonymous), it sees every raw
// response, so a /v2/ that answers 200 no longer hides that /v2/foo demands
// Basic and /v2/baz a Bearer token.
//
// For each request it attaches what last worked for the request's scope; on a
// 401 it reads the challenge, fetches credentials or a token, and retries
// once. A second 401 ends the request with ErrLoginRejected (or
// ErrAuthRequired when no login was given, ErrDenied for insufficient_scope).
type authTransport struct {
	next   http.RoundTripper
	reg    Registry
	creds  CredentialSource
	tokens *tokenCache
	log    *slog.Logger
	stats  *counters

	mu      sync.Mutex
	answers map[string]answer // by request scope: how the registry wanted it answered
	// cred is the host's login, looked up once: a credential helper is a
	// process to run, and the keychain a D-Bus call.
	credMu     sync.Mutex
	cred       credential.Credential
	credLoaded bool
	// stale is a helper's login the registry refused and the helper gave
	// again when asked, at staleAt: a burst of refusals (a page of cards)
	// runs the helper once, not once each.
	stale   credential.Credential
	staleAt time.Time
	// apiLogin, for a web API client: "basic" or "bearer", how the login
	// goes with every request (WithAPILogin).
	apiLogin string
}

// answer is how one scope was last authorized.
type answer struct {
	basic bool
	// For bearer: the challenge's realm and service, and its scope; and the
	// scope the request's path needs, to fall back on.
	realm, service, scope, pathScope string
}

// authorization is what was attached to one attempt.
type authorization struct {
	header string
	// token is set when header carries a cached bearer token.
	token *tokenKey
	// withLogin: the header was made from the user's credentials.
	withLogin bool
	// unknownScope: the token service called a scope unknown (HTTP 400,
	// Hub's "unknown resource type"): no login will get it.
	unknownScope bool
}

func newAuthTransport(next http.RoundTripper, reg Registry, creds CredentialSource, log *slog.Logger, stats *counters) *authTransport {
	return &authTransport{
		next: next, reg: reg, creds: creds, tokens: newTokenCache(), log: log, stats: stats,
		answers: map[string]answer{},
	}
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// Credentials go only to the registry's own host: a redirect to blob
	// storage elsewhere passes through untouched.
	if !strings.EqualFold(req.URL.Host, t.reg.Host) || req.URL.Scheme != t.reg.Scheme() {
		return t.next.RoundTrip(req)
	}
	used, loaded := t.loadedLogin()
	resp, err := t.roundTrip(req)
	if !loginRefused(resp, err) {
		return resp, err
	}
	if !loaded {
		used, _ = t.loadedLogin() // the login this request looked up
	}
	if again, ok := replay(req); ok && t.renewHelperLogin(req.Context(), used) {
		if resp != nil {
			drain(resp)
		}
		return t.roundTrip(again)
	}
	if err != nil && used.FromHelper() {
		err = &HelperLoginError{Helper: used.Source, Err: err}
	}
	return resp, err
}

// staleHelperPause is how long a helper that gave a refused login again is
// left alone: long enough for a burst of requests, short enough that Retry
// after renewing what the helper signs in with finds the new login.
const staleHelperPause = 10 * time.Second

// loadedLogin is the login looked up so far, if any was: a registry that
// never asks for one is never looked up (no keychain call, no helper run).
func (t *authTransport) loadedLogin() (credential.Credential, bool) {
	t.credMu.Lock()
	defer t.credMu.Unlock()
	return t.cred, t.credLoaded
}

// loginRefused reports whether an attempt that carried a login was turned
// away for it.
func loginRefused(resp *http.Response, err error) bool {
	if err != nil {
		return errors.Is(err, ErrLoginRejected)
	}
	return resp.StatusCode == http.StatusUnauthorized && sentLogin(resp)
}

// renewHelperLogin asks a credential helper for the login again after the
// registry refused the one it gave (short-lived ECR and Google logins):
// once per refused request, and only if the helper now gives another
// login, or another request already renewed it. A helper that gave the
// refused login again is not asked again for staleHelperPause.
func (t *authTransport) renewHelperLogin(ctx context.Context, used credential.Credential) bool {
	if !used.FromHelper() {
		return false
	}
	t.credMu.Lock()
	defer t.credMu.Unlock()
	if t.credLoaded && t.cred != used {
		return true
	}
	if used == t.stale && time.Since(t.staleAt) < staleHelperPause {
		return false
	}
	cred, ok, err := t.creds.Credential(ctx, t.reg.Host)
	if err != nil || !ok || cred == used {
		t.stale, t.staleAt = used, time.Now()
		return false
	}
	t.log.Info("the registry refused the login a credential helper gave; asked the helper again and got another",
		"registry", t.reg.String(), "helper", cred.Source)
	t.cred, t.credLoaded = cred, true
	t.tokens.clear()
	return true
}

// roundTrip is one authorized request: what last worked for its scope, and
// on a 401 the challenge answered once.
func (t *authTransport) roundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if t.apiLogin != "" {
		return t.withAPILogin(req)
	}
	scope := scopeForRequest(req.Method, req.URL)
	// A mount's token also reads the repository it mounts from; it is
	// kept under the repository's push scope, so that the upload that
	// follows a refused mount finds it and its streamed body goes out
	// with a login the first time.
	key, _, _ := strings.Cut(scope, " ")

	var sent authorization
	t.mu.Lock()
	known, ok := t.answers[key]
	t.mu.Unlock()
	if ok {
		var err error
		if sent, err = t.authorize(ctx, known); err != nil {
			return nil, err
		}
	}
	resp, err := t.send(req, sent)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return expiredAsError(resp, err, req)
	}

	challenge, ok := pickChallenge(ParseChallenges(resp.Header.Values("WWW-Authenticate")))
	if !ok {
		return resp, nil // nothing to answer: the caller reports the 401
	}
	next := answer{basic: challenge.Scheme == "basic"}
	if !next.basic {
		next.realm, next.service = challenge.Params["realm"], challenge.Params["service"]
		next.scope, next.pathScope = challenge.Params["scope"], scope
		if next.scope == "" {
			next.scope = scope
		}
		if sent.token != nil && challenge.Params["error"] != "insufficient_scope" {
			// The registry dropped the token before its time: fetch a new one.
			t.tokens.forget(*sent.token)
		}
	}
	fresh, err := t.authorize(ctx, next)
	if err != nil {
		drain(resp)
		return nil, err
	}
	if fresh.header == "" || (fresh.header == sent.header && next.basic) {
		return resp, nil // no login to answer with, or it was already refused
	}
	resend, ok := replay(req)
	if !ok {
		drain(resp)
		return nil, fmt.Errorf("%s %s: %w: the registry asked for a login in the middle of a streamed upload, which cannot be sent again; run it again", req.Method, req.URL.Path, ErrAuthRequired)
	}
	drain(resp)
	t.mu.Lock()
	t.answers[key] = next
	t.mu.Unlock()

	resp, err = t.send(resend, fresh)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return expiredAsError(resp, err, req)
	}
	// Refused even so: never loop.
	again, _ := pickChallenge(ParseChallenges(resp.Header.Values("WWW-Authenticate")))
	detail := registryMessage(resp)
	drain(resp)
	what := fmt.Sprintf("%s %s", req.Method, req.URL.Path)
	switch {
	case again.Params["error"] == "insufficient_scope" && (fresh.withLogin || fresh.unknownScope):
		return nil, fmt.Errorf("%s: %w: the registry refused access to %s", what, ErrDenied, again.Params["scope"])
	case fresh.withLogin && saysExpired(detail):
		return nil, fmt.Errorf("%s: %w by %s: %s", what, errExpired, t.reg, detail)
	case fresh.withLogin:
		return nil, fmt.Errorf("%s: %w by %s: %s", what, ErrLoginRejected, t.reg, detail)
	default:
		return nil, fmt.Errorf("%s: %w: %s", what, ErrAuthRequired, detail)
	}
}

// expiredAsError turns a 403 that says the login it carried has expired
// (ECR's answer to a password past its 12 hours) into ErrLoginExpired;
// every other answer passes as it is.
func expiredAsError(resp *http.Response, err error, req *http.Request) (*http.Response, error) {
	if err != nil || resp.StatusCode != http.StatusForbidden || !sentLogin(resp) {
		return resp, err
	}
	body, _ := readCapped(resp.Body, maxErrorBody)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	detail := registryMessage(resp)
	if !saysExpired(detail) {
		resp.Body = io.NopCloser(bytes.NewReader(body))
		return resp, nil
	}
	return nil, fmt.Errorf("%s %s: %w by %s: %s", req.Method, req.URL.Path, errExpired, req.URL.Host, detail)
}

// withAPILogin sends a web API request (Harbor's, GitLab's) with the login
// attached up front, as those APIs want it: they answer a request without
// one as an anonymous user instead of challenging it.
func (t *authTransport) withAPILogin(req *http.Request) (*http.Response, error) {
	cred, err := t.login(req.Context())
	if err != nil {
		return nil, err
	}
	var a authorization
	switch {
	case cred.Password == "":
	case t.apiLogin == "basic":
		a = authorization{header: basicHeader(cred), withLogin: true}
	default:
		a = authorization{header: "Bearer " + cred.Password, withLogin: true}
	}
	return t.send(req, a)
}

// basicHeader is the Authorization header of a Basic login.
func basicHeader(cred credential.Credential) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(cred.Username+":"+cred.Password))
}

// replay returns req ready to be sent again, its body read afresh through
// GetBody. A streamed body (no GetBody: a blob on its way from another
// registry) cannot be sent twice: false.
func replay(req *http.Request) (*http.Request, bool) {
	if req.Body == nil || req.Body == http.NoBody {
		return req, true
	}
	if req.GetBody == nil {
		return nil, false
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, false
	}
	r := req.Clone(req.Context())
	r.Body = body
	return r, true
}

// send issues one attempt with the given authorization.
func (t *authTransport) send(req *http.Request, a authorization) (*http.Response, error) {
	r := req.Clone(req.Context())
	if a.header != "" {
		r.Header.Set("Authorization", a.header)
	} else {
		r.Header.Del("Authorization")
	}
	if a.withLogin {
		t.stats.loginsSent.Add(1)
	}
	return t.next.RoundTrip(r)
}

// authorize makes the Authorization header for an answer: the host's Basic
// credentials, or a bearer token from the cache or the token service. An
// empty header means there is nothing to answer with.
func (t *authTransport) authorize(ctx context.Context, a answer) (authorization, error) {
	cred, err := t.login(ctx)
	if err != nil {
		return authorization{}, err
	}
	if a.basic {
		if cred.Password == "" {
			return authorization{}, nil
		}
		return authorization{header: basicHeader(cred), withLogin: true}, nil
	}
	if a.realm == "" {
		return authorization{}, fmt.Errorf("%w: a Bearer challenge from %s has no realm", ErrBadChallenge, t.reg)
	}
	identity := cred.Username
	if cred.Empty() {
		identity = ""
	}
	candidates := scopeCandidates(a.scope, a.pathScope)
	unknownScope := false
	for i, scope := range candidates {
		key := tokenKey{realm: a.realm, service: a.service, scope: scope, identity: identity}
		if value, ok := t.tokens.cached(key); ok {
			return authorization{header: "Bearer " + value, token: &key, withLogin: !cred.Empty()}, nil
		}
		value, err := t.tokens.fetch(ctx, key, func(ctx context.Context) (string, int, error) {
			return t.exchange(ctx, key, cred)
		})
		var refused *scopeRefused
		if errors.As(err, &refused) {
			unknownScope = unknownScope || refused.status == http.StatusBadRequest
			if i+1 < len(candidates) {
				t.log.Debug("token service refused a scope; trying another", "registry", t.reg.String(),
					"refused", describeScope(scope), "status", refused.status, "next", describeScope(candidates[i+1]))
			}
			continue
		}
		if err != nil {
			return authorization{}, err
		}
		return authorization{header: "Bearer " + value, withLogin: !cred.Empty(), unknownScope: unknownScope}, nil
	}
	return authorization{}, nil // every scope refused: the caller reports the original 401
}

// login returns the host's login (the zero Credential for none).
func (t *authTransport) login(ctx context.Context) (credential.Credential, error) {
	t.credMu.Lock()
	defer t.credMu.Unlock()
	if !t.credLoaded {
		cred, _, err := t.creds.Credential(ctx, t.reg.Host)
		var helperErr *credential.LoginSourceError
		if errors.As(err, &helperErr) {
			warnLoginSourceOnce(t.log, helperErr)
			cred, err = credential.Credential{}, nil
		}
		if err != nil {
			return credential.Credential{}, fmt.Errorf("reading the login for %s: %w", t.reg, err)
		}
		t.cred, t.credLoaded = cred, true
	}
	return t.cred, nil
}

// warnedHelpers keeps the helper problems already warned of, so that a
// broken helper named for every registry is reported once per process.
var warnedHelpers sync.Map

func warnLoginSourceOnce(log *slog.Logger, err *credential.LoginSourceError) {
	if _, seen := warnedHelpers.LoadOrStore(*err, true); !seen {
		log.Warn(err.Error() + "; going on without a login")
	}
}

// forget drops cached tokens, answers and the login, so the next request
// starts afresh (after a login or logout).
func (t *authTransport) forget() {
	t.tokens.clear()
	t.mu.Lock()
	clear(t.answers)
	t.mu.Unlock()
	t.credMu.Lock()
	t.cred, t.credLoaded = credential.Credential{}, false
	t.credMu.Unlock()
}

// scopeCandidates lists the scopes to ask for, best first: the challenge's
// own, the one the request's path needs, then no scope at all. Registries
// refuse scopes they name in their own challenges (Hub's and Quay's
// registry:catalog:*, GHCR's placeholder repository:user/image:pull for
// anonymous users) yet accept the repository's own scope or a scope-less
// token.
func scopeCandidates(challenge, path string) []string {
	out := []string{challenge}
	if path != "" && path != challenge {
		out = append(out, path)
	}
	if challenge != "" {
		out = append(out, "")
	}
	return out
}

func describeScope(s string) string {
	if s == "" {
		return "(no scope)"
	}
	return s
}

// scopeRefused: the token service would not grant this scope (400, 403 or
// 404); another scope may work.
type scopeRefused struct{ status int }

func (e *scopeRefused) Error() string {
	return fmt.Sprintf("token service refused the scope (HTTP %d)", e.status)
}

// exchange asks the token service for a token through ggcr's
// transport.Exchange, which speaks both the Basic GET and the OAuth POST
// (identity tokens) and refuses realms that point at private addresses.
func (t *authTransport) exchange(ctx context.Context, key tokenKey, cred credential.Credential) (string, int, error) {
	t.stats.tokenExchanges.Add(1)
	reg, err := name.NewRegistry(t.reg.Host, name.Insecure)
	if err != nil {
		return "", 0, fmt.Errorf("%w: %v", ErrInvalidReference, err)
	}
	var auth authn.Authenticator = authn.Anonymous
	if !cred.Empty() {
		auth = authn.FromConfig(authn.AuthConfig{Username: cred.Username, Password: cred.Password, IdentityToken: cred.IdentityToken})
	}
	var scopes []string
	if key.scope != "" {
		scopes = strings.Fields(key.scope)
	}
	params := map[string]string{"realm": key.realm}
	if key.service != "" {
		params["service"] = key.service
	}
	challenge := &transport.Challenge{Scheme: "bearer", Parameters: params, Insecure: t.reg.PlainHTTP}
	tok, err := transport.Exchange(ctx, reg, auth, t.next, scopes, challenge)
	if err != nil {
		return "", 0, t.exchangeError(ctx, key.realm, cred, err)
	}
	value := tok.Token
	if value == "" {
		value = tok.AccessToken
	}
	return value, tok.ExpiresIn, nil
}

// exchangeError says what a failed token exchange means. The token service
// is often another host than the registry (auth.docker.io, a Harbor core):
// when it is the one that failed, people are told so, not that the registry
// is unreachable.
func (t *authTransport) exchangeError(ctx context.Context, realm string, cred credential.Credential, err error) error {
	var terr *transport.Error
	if errors.As(err, &terr) {
		switch terr.StatusCode {
		case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound:
			return &scopeRefused{status: terr.StatusCode}
		case http.StatusUnauthorized:
			if cred.Empty() {
				return fmt.Errorf("token service of %s: %w", t.reg, ErrAuthRequired)
			}
			return fmt.Errorf("token service of %s: %w (wrong user name or password?)", t.reg, ErrLoginRejected)
		case http.StatusTooManyRequests:
			return fmt.Errorf("token service of %s: %w", t.reg, ErrRateLimited)
		}
	}
	host := realm
	if u, perr := url.Parse(realm); perr == nil && u.Host != "" {
		host = u.Host
	}
	if terr != nil {
		return &LoginServiceError{Host: host, Problem: fmt.Sprintf("answered with an error (HTTP %d)", terr.StatusCode)}
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case ctx.Err() != nil, errors.Is(err, ErrStalled):
		return &LoginServiceError{Host: host, Problem: "did not answer in time"}
	case errors.As(err, &syntax), errors.As(err, &typ), strings.Contains(err.Error(), "no token in bearer response"):
		return &LoginServiceError{Host: host, Problem: "answered with something that is not a token"}
	case strings.Contains(err.Error(), "realm"):
		return fmt.Errorf("%s: %w: %v", t.reg, ErrBadChallenge, err)
	}
	return &LoginServiceError{Host: host, Problem: "could not be reached: " + err.Error()}
}

// pickChallenge prefers Bearer (with a realm) over Basic.
func pickChallenge(cs []Challenge) (Challenge, bool) {
	for _, c := range cs {
		if c.Scheme == "bearer" && c.Params["realm"] != "" {
			return c, true
		}
	}
	for _, c := range cs {
		if c.Scheme == "basic" {
			return c, true
		}
	}
	return Challenge{}, false
}

// drain reads a little of a body so the connection can be reused, and
// closes it.
func drain(resp *http.Response) {
	io.CopyN(io.Discard, resp.Body, 4<<10)
	resp.Body.Close()
}
