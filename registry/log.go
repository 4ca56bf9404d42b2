package registry

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// counters count what a Client sent, for tests, benchmarks and bug reports.
type counters struct {
	requests, tokenExchanges, retries, loginsSent atomic.Int64
}

// StatsSnapshot is a copy of the counters.
type StatsSnapshot struct {
	// Requests counts every HTTP request sent, token exchanges and retries
	// included.
	Requests       int64
	TokenExchanges int64
	Retries        int64
	// LoginsSent counts requests that carried the user's login (Basic, or a
	// token fetched with it).
	LoginsSent int64
}

func (s *counters) snapshot() StatsSnapshot {
	return StatsSnapshot{Requests: s.requests.Load(), TokenExchanges: s.tokenExchanges.Load(), Retries: s.retries.Load(), LoginsSent: s.loginsSent.Load()}
}

// logTransport is the innermost transport: it counts and logs each request
// that goes on the wire (method, URL, status, auth scheme, time) and never a
// secret: the Authorization header is reduced to its scheme and secret-looking
// query parameters are redacted.
type logTransport struct {
	next  http.RoundTripper
	log   *slog.Logger
	stats *counters
}

func (t *logTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.stats.requests.Add(1)
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	scheme := "none"
	if a := req.Header.Get("Authorization"); a != "" {
		scheme, _, _ = strings.Cut(a, " ")
	}
	attrs := []any{"method", req.Method, "url", redactURL(req.URL), "auth", scheme, "ms", time.Since(start).Milliseconds()}
	if err != nil {
		t.log.Debug("request failed", append(attrs, "error", err.Error())...)
	} else {
		t.log.Debug("request", append(attrs, "status", resp.StatusCode)...)
	}
	return resp, err
}

var secretParams = []string{"password", "token", "secret", "code", "key", "signature", "credential"}

// redactURL prints u without user info and with secret-looking query values
// replaced (pre-signed blob URLs carry signatures in their queries).
func redactURL(u *url.URL) string {
	c := *u
	c.User = nil
	q := c.Query()
	changed := false
	for k := range q {
		lk := strings.ToLower(k)
		for _, s := range secretParams {
			if strings.Contains(lk, s) {
				q[k] = []string{"REDACTED"}
				changed = true
				break
			}
		}
	}
	if changed {
		c.RawQuery = q.Encode()
	}
	return c.String()
}
