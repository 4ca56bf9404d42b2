package registrytest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/card-catalog/card-catalog/registry"
)

// HubAPI serves Docker Hub's web API for namespaces' repositories (paged,
// with absolute "next" links) and search, as hub.docker.com answers them.
type HubAPI struct {
	// Registry is how the engine reaches it.
	Registry registry.Registry
	srv      *httptest.Server
}

// StartHubAPI serves repositories by namespace ("library": {"python", ...}).
func StartHubAPI(namespaces map[string][]string) *HubAPI {
	h := &HubAPI{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
