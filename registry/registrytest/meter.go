package registrytest

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/card-catalog/card-catalog/registry"
)

// Meter stands in front of a registry (Debian's docker-registry, a test
// server) and counts what reaches it: requests by method and kind, the
// bytes of blob uploads, and the requests that carried a login, by its
// Basic user ("bearer" for a token).
type Meter struct {
	// Registry is how the engine reaches the registry through the meter.
	Registry registry.Registry

	blobBytesIn atomic.Int64
	mu          sync.Mutex
	byKind      map[string]int64
	logins      map[string]int
}

// StartMeter meters reg until the test ends.
func StartMeter(t testing.TB, reg registry.Registry) *Meter {
	t.Helper()
	m := &Meter{byKind: map[string]int64{}, logins: map[string]int{}}
	target := &url.URL{Scheme: reg.Scheme(), Host: reg.Host}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, kind := splitPath(r.URL.Path)
		user := loginUser(r.Header.Get("Authorization"))
		if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			user = "bearer"
		}
		m.mu.Lock()
		m.byKind[r.Method+" "+kind]++
		if user != "" {
			m.logins[user]++
		}
		m.mu.Unlock()
		if kind == "blobs" && r.Body != nil {
			r.Body = &registry.Counting{ReadCloser: r.Body, N: &m.blobBytesIn}
		}
		// The Host header stays the meter's: the registry writes its upload
		// Locations with it, and the uploads then pass here too.
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	m.Registry = registry.Registry{Host: strings.TrimPrefix(srv.URL, "http://"), PlainHTTP: true}
	return m
}

// BlobBytesIn counts the bytes of blob uploads that passed.
func (m *Meter) BlobBytesIn() int64 { return m.blobBytesIn.Load() }

// RequestsOf counts the requests of a method and kind: "POST blobs",
// "PUT manifests", "DELETE manifests".
func (m *Meter) RequestsOf(what string) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.byKind[what]
}

// Logins counts the requests that carried a login, by its user.
func (m *Meter) Logins() map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.logins)
}

// WriteRequests counts POST, PUT, PATCH and DELETE requests.
func (m *Meter) WriteRequests() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return writesOf(m.byKind)
}
