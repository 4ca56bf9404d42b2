package registrytest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/card-catalog/card-catalog/registry"
)

// HubAPI serves Docker Hub's web API for namespaces' repositories (paged,
// with absolute "next" links) and search, as hub.docker.com answers them.
type HubAPI struct {
	// Registry is how the engine reaches it.
	Registry registry.Registry
	srv      *httptest.Server

	// Set by Manage: who may sign in, and the registry whose tags the
	// API deletes.
	mu      sync.Mutex
	users   map[string]string
	backend *Server
	tokens  map[string]string // token: user
	// Deletes counts the tag deletes it answered.
	Deletes atomic.Int64
}

// Manage lets users sign in (POST /v2/auth/token, as Docker Hub's web
// API takes a Docker ID and a personal access token) and delete tags of
// backend's repositories (DELETE /v2/repositories/NS/NAME/tags/TAG/), a
// tag at a time as Docker Hub does.
func (h *HubAPI) Manage(backend *Server, users map[string]string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.backend, h.users, h.tokens = backend, users, map[string]string{}
}

// manage answers the login and tag deletes; false when r is neither.
func (h *HubAPI) manage(w http.ResponseWriter, r *http.Request) bool {
	h.mu.Lock()
	backend, users := h.backend, h.users
	h.mu.Unlock()
	switch {
	case backend == nil:
		return false
	case r.Method == http.MethodPost && r.URL.Path == "/v2/auth/token":
		var login struct{ Identifier, Secret string }
		json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&login)
		if login.Secret == "" || users[login.Identifier] != login.Secret {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"detail": "Incorrect authentication credentials"})
			return true
		}
		b := make([]byte, 16)
		rand.Read(b)
		token := hex.EncodeToString(b)
		h.mu.Lock()
		h.tokens[token] = login.Identifier
		h.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]string{"access_token": token})
		return true
	case r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/v2/repositories/"):
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		h.mu.Lock()
		user := h.tokens[token]
		h.mu.Unlock()
		if user == "" {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"detail": "Authentication credentials were not provided."})
			return true
		}
		parts := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/v2/repositories/"), "/"), "/")
		if len(parts) != 4 || parts[2] != "tags" {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "object not found"})
			return true
		}
		if parts[0] != user {
			writeJSON(w, http.StatusForbidden, map[string]string{"detail": "You do not have permission to perform this action."})
			return true
		}
		if !backend.DeleteTag(parts[0]+"/"+parts[1], parts[3]) {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "tag not found"})
			return true
		}
		h.Deletes.Add(1)
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	return false
}

// StartHubAPI serves repositories by namespace ("library": {"python", ...}).
func StartHubAPI(namespaces map[string][]string) *HubAPI {
	h := &HubAPI{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.manage(w, r) {
			return
		}
		q := r.URL.Query()
		size, _ := strconv.Atoi(q.Get("page_size"))
		if size <= 0 || size > 100 {
			size = 10
		}
		page, _ := strconv.Atoi(q.Get("page"))
		page = max(page, 1)
		switch {
		case strings.HasPrefix(r.URL.Path, "/v2/repositories/"):
			ns := strings.Trim(strings.TrimPrefix(r.URL.Path, "/v2/repositories/"), "/")
			names, ok := namespaces[ns]
			if !ok {
				writeJSON(w, http.StatusNotFound, map[string]string{"message": "object not found"})
				return
			}
			names = slices.Sorted(slices.Values(names))
			lo, hi := min((page-1)*size, len(names)), min(page*size, len(names))
			var results []map[string]any
			for i, n := range names[lo:hi] {
				results = append(results, map[string]any{"namespace": ns, "name": n, "description": "The " + n + " image",
					"star_count": 100 - i, "pull_count": 1000000, "last_updated": time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)})
			}
			next := ""
			if hi < len(names) {
				next = fmt.Sprintf("http://%s%s?page=%d&page_size=%d", r.Host, r.URL.Path, page+1, size)
			}
			writeJSON(w, http.StatusOK, map[string]any{"count": len(names), "next": next, "results": results})
		case r.URL.Path == "/v2/search/repositories/":
			query := q.Get("query")
			var results []map[string]any
			for ns, names := range namespaces {
				for _, n := range names {
					if strings.Contains(ns+"/"+n, query) {
						repo := ns + "/" + n
						if ns == "library" {
							repo = n
						}
						results = append(results, map[string]any{"repo_name": repo, "short_description": "The " + n + " image", "star_count": 1})
					}
				}
			}
			writeJSON(w, http.StatusOK, map[string]any{"count": len(results), "results": results})
		default:
			http.NotFound(w, r)
		}
	}))
	h.Registry = registry.Registry{Host: strings.TrimPrefix(h.srv.URL, "http://"), PlainHTTP: true}
	return h
}

// Close stops the server.
func (h *HubAPI) Close() { h.srv.Close() }
