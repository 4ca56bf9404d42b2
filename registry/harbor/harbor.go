// Package harbor reads Harbor's web API (/api/v2.0): whether a registry is
// a Harbor, and the projects and repositories a user may see. Harbor's
// catalog (/v2/_catalog) answers administrators only; everyone else, robot
// accounts included, lists through this API, which takes the login as
// Basic on every request. Requests go through the engine's transport
// (deadlines, retries, limits) and its one loop-proof pager.
package harbor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/card-catalog/card-catalog/registry"
)

// pageSize is the most Harbor gives a page.
const pageSize = 100

// maxTotal clamps X-Total-Count: a count past it is not believed.
const maxTotal = 10_000_000

// Client reads one Harbor's web API.
type Client struct {
	c   *registry.Client
	log *slog.Logger
}

// New returns a client of the Harbor at reg (the registry's own host),
// signed in with the login creds has for it.
func New(reg registry.Registry, creds registry.CredentialSource, log *slog.Logger, opts ...registry.Option) *Client {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Client{c: registry.NewWebAPI(reg, creds, log, "basic", opts...), log: log}
}

func (h *Client) url(path string, q url.Values) *url.URL {
	reg := h.c.Registry()
	return &url.URL{Scheme: reg.Scheme(), Host: reg.Host, Path: path, RawQuery: q.Encode()}
}

// Detect asks whether the registry is a Harbor, and which version; a
// registry that is not answers false with no error.
func (h *Client) Detect(ctx context.Context) (version string, ok bool, err error) {
	var info struct {
		HarborVersion *string `json:"harbor_version"`
		AuthMode      *string `json:"auth_mode"`
	}
	_, err = h.c.GetJSON(ctx, h.url("/api/v2.0/systeminfo", nil), "Harbor's system information", &info)
	switch {
	case errors.Is(err, registry.ErrNotFound), errors.Is(err, registry.ErrMalformed), errors.Is(err, registry.ErrServer):
		return "", false, nil
	case err != nil:
		return "", false, err
	case info.HarborVersion == nil && info.AuthMode == nil:
		return "", false, nil
	}
	if info.HarborVersion != nil {
		version = *info.HarborVersion
	}
	return version, true, nil
}

// Projects lists the projects the login may see, a page at a time.
func (h *Client) Projects(ctx context.Context, fn func([]string) error) error {
	first := h.url("/api/v2.0/projects", url.Values{"page": {"1"}, "page_size": {strconv.Itoa(pageSize)}})
	return h.walk(ctx, first, "projects on "+h.c.Registry().String(), "project names", validProject, fn)
}

// Repositories lists a project's repositories ("project/name"), a page at
// a time.
func (h *Client) Repositories(ctx context.Context, project string, fn func([]string) error) error {
	first := h.url("/api/v2.0/projects/"+url.PathEscape(project)+"/repositories",
		url.Values{"page": {"1"}, "page_size": {strconv.Itoa(pageSize)}})
	inProject := func(name string) bool {
		return strings.HasPrefix(name, project+"/") && registry.ValidRepositoryName(name)
	}
	return h.walk(ctx, first, "repositories of project "+project, "repository names", inProject, fn)
}

// AllRepositories lists the repositories of every project the login may
// see, project by project. A project whose repositories are refused is
// left out and said at the end (registry.ErrIncomplete).
func (h *Client) AllRepositories(ctx context.Context, fn func([]string) error) error {
	var projects []string
	if err := h.Projects(ctx, func(page []string) error { projects = append(projects, page...); return nil }); err != nil {
		return err
	}
	var refused []string
	for _, p := range projects {
		err := h.Repositories(ctx, p, fn)
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return err
		case errors.Is(err, registry.ErrDenied), errors.Is(err, registry.ErrNotFound), errors.Is(err, registry.ErrAuthRequired):
			h.log.Debug("Harbor refused a project's repositories; left out", "project", p, "error", err.Error())
			refused = append(refused, p)
		default:
			return err
		}
	}
	if len(refused) > 0 {
		return &registry.IncompleteError{What: "repositories on " + h.c.Registry().String(),
			Short:  fmt.Sprintf("%d projects refused", len(refused)),
			Detail: "Harbor refused the repositories of " + strings.Join(refused, ", ")}
	}
	return nil
}

// walk reads a Harbor list of named things (projects, repositories): a
// JSON array a page, the next page in Link (rel="next"), else the page
// after while X-Total-Count says more remain.
func (h *Client) walk(ctx context.Context, first *url.URL, what, kind string, valid func(string) bool, fn func([]string) error) error {
	seen := 0
	fetch := func(ctx context.Context, u *url.URL) ([]string, *url.URL, int, error) {
		var doc []struct {
			Name json.RawMessage `json:"name"`
		}
		size, header, err := h.c.GetJSONPage(ctx, u, what, &doc)
		if err != nil {
			return nil, nil, 0, err
		}
		page := make([]string, len(doc))
		for i, item := range doc {
			json.Unmarshal(item.Name, &page[i]) // a name that is no string stays "", left out as invalid
		}
		seen += len(page)
		next, err := registry.NextLink(header, u)
		if err != nil || next != nil {
			return page, next, size, err
		}
		total, err := strconv.Atoi(header.Get("X-Total-Count"))
		if err != nil || total > maxTotal || seen >= total || len(page) == 0 {
			return page, nil, size, nil
		}
		return page, pageAfter(u), size, nil
	}
	return h.c.WalkPages(ctx, first, what, kind, valid, fetch, fn)
}

// pageAfter is u with page= one more.
func pageAfter(u *url.URL) *url.URL {
	q := u.Query()
	n, _ := strconv.Atoi(q.Get("page"))
	q.Set("page", strconv.Itoa(max(n, 1)+1))
	next := *u
	next.RawQuery = q.Encode()
	return &next
}

// validProject: Harbor's project names are one path component of a
// repository name.
func validProject(name string) bool {
	return name != "" && !strings.Contains(name, "/") && registry.ValidRepositoryName(name)
}

// artifactURL is /api/v2.0/projects/P/repositories/R/artifacts/REF for a
// repository "P/R" (R with slashes escaped twice, as Harbor wants them).
func (h *Client) artifactURL(repo, reference string) (*url.URL, error) {
	project, name, ok := strings.Cut(repo, "/")
	if !ok || !validProject(project) {
		return nil, fmt.Errorf("%w: %q is not a Harbor repository (project/name)", registry.ErrInvalidReference, repo)
	}
	raw := "/api/v2.0/projects/" + url.PathEscape(project) + "/repositories/" + url.PathEscape(url.PathEscape(name)) +
		"/artifacts/" + url.PathEscape(reference)
	u := h.url("", nil)
	u.Path, _ = url.PathUnescape(raw)
	u.RawPath = raw
	return u, nil
}

// DeleteTag deletes one tag of an artifact through Harbor's API; the
// artifact and its other tags stay.
func (h *Client) DeleteTag(ctx context.Context, repo, digest, tag string) error {
	u, err := h.artifactURL(repo, digest)
	if err != nil {
		return err
	}
	u.Path += "/tags/" + tag
	u.RawPath += "/tags/" + url.PathEscape(tag)
	return h.c.SendJSON(ctx, http.MethodDelete, u, nil, nil, nil, "deleting the tag "+tag+" of "+repo+" through Harbor's API")
}

// DeleteArtifact deletes an artifact (a manifest, with every tag on it)
// through Harbor's API.
func (h *Client) DeleteArtifact(ctx context.Context, repo, digest string) error {
	u, err := h.artifactURL(repo, digest)
	if err != nil {
		return err
	}
	return h.c.SendJSON(ctx, http.MethodDelete, u, nil, nil, nil, "deleting "+repo+"@"+digest+" through Harbor's API")
}
