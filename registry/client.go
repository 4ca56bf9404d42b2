package registry

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/card-catalog/card-catalog/registry/credential"
)

// Client talks to one registry. It owns one connection pool and one token
// cache, shared by every request; it is safe for concurrent use.
type Client struct {
	reg      Registry
	http     *http.Client
	auth     *authTransport
	log      *slog.Logger
	stats    *counters
	pageSize int
	rate     atomic.Pointer[RateLimit]

	maxListNames int
	maxListBytes int64
}

type options struct {
	creds    CredentialSource
	base     http.RoundTripper
	log      *slog.Logger
	attempts int
	backoff  time.Duration
	pageSize int
	stall    time.Duration
	maxNames int
	maxBytes int64
	apiLogin string
}

// Option configures a Client.
type Option func(*options)

// CredentialSource finds a host's login; package credential has the
// keychain, Docker's and Podman's files and their helpers.
type CredentialSource interface {
	// Credential returns the login for host; ok is false when it has none.
	// A *credential.LoginSourceError is a warning: the host is asked
	// anonymously.
	Credential(ctx context.Context, host string) (cred credential.Credential, ok bool, err error)
}

// WithCredentials sets where logins come from. Default: anonymous.
func WithCredentials(c CredentialSource) Option { return func(o *options) { o.creds = c } }

// WithBaseTransport sets the transport under the engine's own. Default: a new
// http.Transport for this client (TLS verified unless Registry.Insecure).
func WithBaseTransport(rt http.RoundTripper) Option { return func(o *options) { o.base = rt } }

// WithLogger sets the debug log of requests (secrets redacted). Default: none.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithRetry sets how many attempts a request gets and the first backoff.
// Default: 4 attempts, 250 ms doubling.
func WithRetry(attempts int, backoff time.Duration) Option {
	return func(o *options) { o.attempts, o.backoff = max(attempts, 1), backoff }
}

// WithPageSize sets the n= asked of catalog and tags pages. Default: 1000,
// the most distribution allows.
func WithPageSize(n int) Option { return func(o *options) { o.pageSize = n } }

// WithStallTimeout sets how long a response may make no progress: a body
// that delivers less than 1 KiB in that time fails with ErrStalled, and so
// does an answer whose headers take twice as long. Default: 30 s.
func WithStallTimeout(d time.Duration) Option { return func(o *options) { o.stall = d } }

// WithListLimit bounds one paged list (catalog, tags): past names names or
// bytes of pages it stops with ErrIncomplete. Default: 1,000,000 names,
// 128 MiB.
func WithListLimit(names int, bytes int64) Option {
	return func(o *options) { o.maxNames, o.maxBytes = names, bytes }
}

// NewWebAPI returns a client of a registry's web API (Harbor's /api/v2.0,
// GitLab's /api/v4) rather than of its registry API: the login creds has
// for api's host goes with every request, as Basic (loginScheme "basic")
// or as a bearer token ("bearer": the password), and is not exchanged for
// tokens. Paging, deadlines, retries and limits are the engine's.
func NewWebAPI(api Registry, creds CredentialSource, log *slog.Logger, loginScheme string, opts ...Option) *Client {
	opts = append([]Option{WithLogger(log), WithCredentials(creds), func(o *options) { o.apiLogin = loginScheme }}, opts...)
	return New(api, opts...)
}

// userAgent names the program in every request.
const userAgent = "card-catalog/1"

// New returns a Client for reg.
func New(reg Registry, opts ...Option) *Client {
	o := options{creds: credential.Anonymous, attempts: 4, backoff: 250 * time.Millisecond, pageSize: 1000,
		stall: defaultStallTimeout, maxNames: defaultMaxListNames, maxBytes: defaultMaxListBytes}
	for _, opt := range opts {
		opt(&o)
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	if o.base == nil {
		o.base = newHTTPTransport(reg.Insecure)
	}
	stats := &counters{}
	inner := &retryTransport{
		next:     &logTransport{next: &stallTransport{next: o.base, window: o.stall}, log: o.log, stats: stats},
		attempts: o.attempts, backoff: o.backoff, log: o.log, stats: stats,
	}
	auth := newAuthTransport(inner, reg, o.creds, o.log, stats)
	auth.apiLogin = o.apiLogin
	return &Client{
		reg:      reg,
		http:     &http.Client{Transport: auth},
		auth:     auth,
		log:      o.log,
		stats:    stats,
		pageSize: o.pageSize,

		maxListNames: o.maxNames,
		maxListBytes: o.maxBytes,
	}
}

func newHTTPTransport(insecure bool) *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
		TLSClientConfig:       &tls.Config{InsecureSkipVerify: insecure}, //nolint:gosec // only when the user marks the registry insecure
	}
}

// Registry is the registry this client talks to.
func (c *Client) Registry() Registry { return c.reg }

// Transport is the engine's transport, for go-containerregistry's
// remote.WithTransport: it answers every challenge itself.
func (c *Client) Transport() http.RoundTripper { return c.auth }

// Stats returns the request counters.
func (c *Client) Stats() StatsSnapshot { return c.stats.snapshot() }

// ForgetTokens drops every cached token and the cached login (after logout
// or a new login).
func (c *Client) ForgetTokens() { c.auth.forget() }

// CloseIdleConnections releases the connection pool.
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

func (c *Client) url(path string, query url.Values) *url.URL {
	return &url.URL{Scheme: c.reg.Scheme(), Host: c.reg.Host, Path: path, RawQuery: query.Encode()}
}

// do sends a request and returns the response whatever its status; only a
// failure to get any answer is an error.
func (c *Client) do(ctx context.Context, method string, u *url.URL, accept []string, what string) (*http.Response, error) {
	var header http.Header
	if len(accept) > 0 {
		header = http.Header{"Accept": {strings.Join(accept, ", ")}}
	}
	return c.request(ctx, method, u, header, nil, 0, what)
}

// get is do, with any status other than 200 turned into an error.
func (c *Client) get(ctx context.Context, u *url.URL, accept []string, what string) (*http.Response, error) {
	resp, err := c.do(ctx, http.MethodGet, u, accept, what)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		return nil, statusError(resp, what)
	}
	return resp, nil
}

// requestError names what failed. The engine's own errors pass through; the
// rest means the registry could not be reached.
func (c *Client) requestError(ctx context.Context, err error, what string) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", what, ctx.Err())
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	if isEngineError(err) {
		return fmt.Errorf("%s: %w", what, err)
	}
	var dnsErr *net.DNSError
	switch {
	case strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return fmt.Errorf("%s: %w", what, ErrPlainHTTP) // it answered: it is reachable
	case errors.As(err, &dnsErr):
		return fmt.Errorf("%s: %w: %w: %v", what, ErrUnreachable, ErrNoSuchHost, err)
	}
	return fmt.Errorf("%s: %w: %v", what, ErrUnreachable, err)
}

func isEngineError(err error) bool {
	return errorsIsAny(err, ErrInvalidReference, ErrUnreachable, ErrAuthRequired, ErrLoginRejected, ErrDenied,
		ErrNotFound, ErrNoCatalog, ErrRateLimited, ErrServer, ErrTooLarge, ErrDigestMismatch, ErrMalformed, ErrBadChallenge,
		ErrStalled, ErrIncomplete, ErrLoginService, ErrPlainHTTP, ErrNotAllowed, ErrManifestRefused, ErrNotStored)
}

// Ping asks /v2/ whether the registry is there and lets this client in. Nil
// means it answered and accepted the login (or needs none).
func (c *Client) Ping(ctx context.Context) error {
	resp, err := c.get(ctx, c.url("/v2/", nil), nil, "registry "+c.reg.String())
	if err != nil {
		return err
	}
	drain(resp)
	return nil
}

// RateLimit returns the last rate limit the registry announced (Docker Hub's
// RateLimit-Limit and RateLimit-Remaining headers).
func (c *Client) RateLimit() (RateLimit, bool) {
	rl := c.rate.Load()
	if rl == nil {
		return RateLimit{}, false
	}
	return *rl, true
}

// readAll reads a 200 response's body under limit and closes it.
func readAll(resp *http.Response, limit int64, what string) ([]byte, error) {
	defer resp.Body.Close()
	b, err := readBody(resp.Body, limit, what)
	if err == nil {
		io.Copy(io.Discard, resp.Body)
	}
	return b, err
}
