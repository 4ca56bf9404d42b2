package registry

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// HubAPIHost is Docker Hub's web API, which lists a namespace's repositories
// and searches Hub: its registry API has no catalog.
const HubAPIHost = "hub.docker.com"

// HubRepository is one repository as Docker Hub's web API describes it.
type HubRepository struct {
	Namespace   string    `json:"namespace"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	StarCount   int64     `json:"star_count"`
	PullCount   int64     `json:"pull_count"`
	LastUpdated time.Time `json:"last_updated"`
	IsPrivate   bool      `json:"is_private"`
}

// Path is namespace/name, as the registry API names it.
func (r HubRepository) Path() string { return r.Namespace + "/" + r.Name }

// hubPageSize is the most Hub's web API gives a page.
const hubPageSize = 100

// HubRepositories lists a namespace's repositories through Docker Hub's web
// API (c must be a client of it: Registry{Host: HubAPIHost}), a page at a
// time to fn. Paging follows "next" on the same host only, with the same
// loop guards as the registry API.
func (c *Client) HubRepositories(ctx context.Context, namespace string, fn func([]HubRepository) error) error {
	what := "repositories of " + namespace + " on Docker Hub"
	u := c.url("/v2/repositories/"+url.PathEscape(namespace)+"/", url.Values{"page_size": {strconv.Itoa(hubPageSize)}})
	visited := map[string]bool{}
	guard := c.newListGuard(what, "repository names", ValidRepositoryName)
	for page := 1; page <= maxPages; page++ {
		visited[u.String()] = true
		resp, err := c.get(ctx, u, []string{"application/json"}, what)
		if err != nil {
			return err
		}
		body, err := readAll(resp, maxPageBytes, what)
		if err != nil {
			return err
		}
		var doc struct {
			Next    string          `json:"next"`
			Results []HubRepository `json:"results"`
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			return fmt.Errorf("%s (page %d): %w: expected JSON {\"results\": [...]}: %s", what, page, ErrMalformed, jsonProblem(err))
		}
		byPath := make(map[string]HubRepository, len(doc.Results))
		paths := make([]string, 0, len(doc.Results))
		for _, r := range doc.Results {
			if r.Namespace == "" {
				r.Namespace = namespace
			}
			byPath[r.Path()] = r
			paths = append(paths, r.Path())
		}
		freshPaths, bound := guard.page(paths, len(body))
		if len(freshPaths) > 0 {
			fresh := make([]HubRepository, len(freshPaths))
			for i, p := range freshPaths {
				fresh[i] = byPath[p]
			}
			if err := fn(fresh); err != nil {
				return err
			}
		}
		if bound != nil {
			return bound
		}
		if doc.Next == "" || len(freshPaths) == 0 {
			return guard.end()
		}
		next, err := url.Parse(doc.Next)
		if err != nil {
			return fmt.Errorf("%s: %w: next page %q", what, ErrMalformed, doc.Next)
		}
		next = u.ResolveReference(next)
		if next.Scheme != u.Scheme || !strings.EqualFold(next.Host, u.Host) {
			return fmt.Errorf("%s: %w: next page on another host (%s)", what, ErrMalformed, next.Host)
		}
		if visited[next.String()] {
			return guard.end()
		}
		u = next
	}
	return fmt.Errorf("%s: %w: still paging after %d pages", what, ErrMalformed, maxPages)
}

// HubSearch searches Docker Hub's repositories (at most limit results).
func (c *Client) HubSearch(ctx context.Context, query string, limit int) ([]HubRepository, error) {
	what := "Docker Hub search for " + strconv.Quote(query)
	resp, err := c.get(ctx, c.url("/v2/search/repositories/", url.Values{"query": {query}, "page_size": {strconv.Itoa(limit)}}), []string{"application/json"}, what)
	if err != nil {
		return nil, err
	}
	body, err := readAll(resp, maxPageBytes, what)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Results []struct {
			RepoName         string `json:"repo_name"`
			ShortDescription string `json:"short_description"`
			StarCount        int64  `json:"star_count"`
			PullCount        int64  `json:"pull_count"`
		} `json:"results"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w: %s", what, ErrMalformed, jsonProblem(err))
	}
	out := make([]HubRepository, 0, len(doc.Results))
	for _, r := range doc.Results {
		ns, name, ok := strings.Cut(r.RepoName, "/")
		if !ok {
			ns, name = "library", r.RepoName
		}
		if !ValidRepositoryName(ns + "/" + name) {
			c.log.Debug("Hub search gave a name that is not a repository name; left out", "name", r.RepoName)
			continue
		}
		out = append(out, HubRepository{Namespace: ns, Name: name, Description: r.ShortDescription, StarCount: r.StarCount, PullCount: r.PullCount})
		if len(out) == limit {
			break
		}
	}
	return out, nil
}
