package registry_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/card-catalog/card-catalog/registry"
)

// The referrers API's pages are followed through their Link headers; a
// loop or an endless chain stops at a bound with what was listed.
func TestReferrersFollowPages(t *testing.T) {
	digest := "sha256:" + strings.Repeat("a", 64)
	for _, c := range []struct {
		name  string
		next  func(page int) string
		pages int
	}{
		{"three pages", func(p int) string {
			if p < 3 {
				return fmt.Sprintf("/v2/app/referrers/%s?page=%d", digest, p+1)
			}
			return ""
		}, 3},
		{"a loop", func(int) string { return "/v2/app/referrers/" + digest + "?page=2" }, 2},
		{"endless", func(p int) string { return fmt.Sprintf("/v2/app/referrers/%s?page=%d", digest, p+1) }, 16},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				page := 1
				fmt.Sscanf(r.URL.Query().Get("page"), "%d", &page)
				if next := c.next(page); next != "" {
					w.Header().Set("Link", "<"+next+`>; rel="next"`)
				}
				w.Header().Set("Content-Type", "application/vnd.oci.image.index.v1+json")
				fmt.Fprintf(w, `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%064d","size":1}]}`, page)
			}))
			defer srv.Close()
			reg := registry.Registry{Host: strings.TrimPrefix(srv.URL, "http://"), PlainHTTP: true}
			ds, err := registry.New(reg).Referrers(context.Background(), registry.Reference{Registry: reg, Repository: "app"}, digest)
			if err != nil || len(ds) != c.pages {
				t.Fatalf("%d referrers, %v; want %d", len(ds), err, c.pages)
			}
		})
	}
}
