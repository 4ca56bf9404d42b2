// Package hub reads Docker Hub's web API (hub.docker.com): the
// repositories of a namespace, and search. Hub's registry API has no
// catalog, so these are how Card Catalog lists Docker Hub. Requests go
// through the engine's transport (deadlines, retries, limits) and its one
// loop-proof pager.
package hub

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/card-catalog/card-catalog/registry"
)

// APIHost is Docker Hub's web API.
const APIHost = "hub.docker.com"

// pageSize is the most the web API gives a page.
const pageSize = 100

// Repository is one repository as the web API describes it.
type Repository struct {
	Namespace   string    `json:"namespace"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	StarCount   int64     `json:"star_count"`
	PullCount   int64     `json:"pull_count"`
	LastUpdated time.Time `json:"last_updated"`
	IsPrivate   bool      `json:"is_private"`
}

// Path is namespace/name, as the registry API names it.
func (r Repository) Path() string { return r.Namespace + "/" + r.Name }

// Client reads Docker Hub's web API.
type Client struct {
	c   *registry.Client
	log *slog.Logger
}

// New returns a client of the web API at api (APIHost; a test server in
// tests); opts configure its transport as a registry client's.
func New(api registry.Registry, log *slog.Logger, opts ...registry.Option) *Client {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Client{c: registry.New(api, append([]registry.Option{registry.WithLogger(log)}, opts...)...), log: log}
}

func (h *Client) url(path string, q url.Values) *url.URL {
	reg := h.c.Registry()
	return &url.URL{Scheme: reg.Scheme(), Host: reg.Host, Path: path, RawQuery: q.Encode()}
}

// Repositories lists a namespace's repositories, a page at a time, to fn.
// Paging follows "next" on the same host only.
func (h *Client) Repositories(ctx context.Context, namespace string, fn func([]Repository) error) error {
	what := "repositories of " + namespace + " on Docker Hub"
	byPath := map[string]Repository{}
	fetch := func(ctx context.Context, u *url.URL) ([]string, *url.URL, int, error) {
		var doc struct {
			Next    string       `json:"next"`
			Results []Repository `json:"results"`
		}
		size, err := h.c.GetJSON(ctx, u, what, &doc)
		if err != nil {
			return nil, nil, 0, err
		}
		clear(byPath)
		paths := make([]string, 0, len(doc.Results))
		for _, r := range doc.Results {
			if r.Namespace == "" {
				r.Namespace = namespace
			}
			byPath[r.Path()] = r
			paths = append(paths, r.Path())
		}
		if doc.Next == "" {
			return paths, nil, size, nil
		}
		next, err := registry.SameOrigin(u, doc.Next)
		if err != nil {
			return paths, nil, size, fmt.Errorf("%s: %w", what, err)
		}
		return paths, next, size, nil
	}
	first := h.url("/v2/repositories/"+url.PathEscape(namespace)+"/", url.Values{"page_size": {strconv.Itoa(pageSize)}})
	return h.c.WalkPages(ctx, first, what, "repository names", registry.ValidRepositoryName, fetch, func(paths []string) error {
		page := make([]Repository, len(paths))
		for i, p := range paths {
			page[i] = byPath[p]
		}
		return fn(page)
	})
}

// Search searches Docker Hub's repositories (at most limit results).
func (h *Client) Search(ctx context.Context, query string, limit int) ([]Repository, error) {
	what := "Docker Hub search for " + strconv.Quote(query)
	var doc struct {
		Results []struct {
			RepoName         string `json:"repo_name"`
			ShortDescription string `json:"short_description"`
			StarCount        int64  `json:"star_count"`
			PullCount        int64  `json:"pull_count"`
		} `json:"results"`
	}
	u := h.url("/v2/search/repositories/", url.Values{"query": {query}, "page_size": {strconv.Itoa(limit)}})
	if _, err := h.c.GetJSON(ctx, u, what, &doc); err != nil {
		return nil, err
	}
	out := make([]Repository, 0, len(doc.Results))
	for _, r := range doc.Results {
		ns, name, ok := strings.Cut(r.RepoName, "/")
		if !ok {
			ns, name = "library", r.RepoName
		}
		if !registry.ValidRepositoryName(ns + "/" + name) {
			h.log.Debug("Hub search gave a name that is not a repository name; left out", "name", r.RepoName)
			continue
		}
		out = append(out, Repository{Namespace: ns, Name: name, Description: r.ShortDescription, StarCount: r.StarCount, PullCount: r.PullCount})
		if len(out) == limit {
			break
		}
	}
	return out, nil
}
