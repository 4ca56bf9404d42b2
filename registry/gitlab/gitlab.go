// Package gitlab reads GitLab's web API (/api/v4): the container
// repositories of a project. GitLab's registry lists its catalog to
// administrators only, so a project's repositories are found here, with
// a personal, project or group access token sent as a bearer token.
// Requests go through the engine's transport (deadlines, retries, limits)
// and its one loop-proof pager.
package gitlab

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

// pageSize is the most GitLab gives a page.
const pageSize = 100

// maxPage clamps X-Next-Page: a page number past it is not believed.
const maxPage = 100_000

// Client reads one GitLab's web API.
type Client struct {
	c *registry.Client
}

// New returns a client of the GitLab web API at api ("gitlab.com"),
// signed in with the login creds has for api's host.
func New(api registry.Registry, creds registry.CredentialSource, log *slog.Logger, opts ...registry.Option) *Client {
	return &Client{c: registry.NewWebAPI(api, creds, log, "bearer", opts...)}
}

// Repositories lists the container repositories of a project, given by
// its ID ("42") or its path ("group/project"), a page at a time, as
// repository names ("group/project/image").
func (g *Client) Repositories(ctx context.Context, project string, fn func([]string) error) error {
	return g.walk(ctx, project, nil, fn)
}

// walk lists a project's repositories to fn, and their IDs into ids when
// it is not nil.
func (g *Client) walk(ctx context.Context, project string, ids map[string]int64, fn func([]string) error) error {
	api := g.c.Registry()
	project = strings.Trim(strings.TrimSpace(project), "/")
	first := &url.URL{Scheme: api.Scheme(), Host: api.Host,
		Path:     "/api/v4/projects/" + project + "/registry/repositories",
		RawPath:  "/api/v4/projects/" + url.PathEscape(project) + "/registry/repositories",
		RawQuery: url.Values{"per_page": {strconv.Itoa(pageSize)}, "page": {"1"}}.Encode()}
	what := "container repositories of GitLab project " + project
	fetch := func(ctx context.Context, u *url.URL) ([]string, *url.URL, int, error) {
		var doc []struct {
			ID   json.RawMessage `json:"id"`
			Path json.RawMessage `json:"path"`
		}
		size, header, err := g.c.GetJSONPage(ctx, u, what, &doc)
		if err != nil {
			return nil, nil, 0, err
		}
		page := make([]string, len(doc))
		for i, r := range doc {
			json.Unmarshal(r.Path, &page[i]) // a path that is no string stays "", left out as invalid
			var id int64
			if ids != nil && json.Unmarshal(r.ID, &id) == nil && id > 0 {
				ids[page[i]] = id
			}
		}
		next, err := registry.NextLink(header, u)
		if err != nil || next != nil {
			return page, next, size, err
		}
		n, err := strconv.Atoi(header.Get("X-Next-Page"))
		if err != nil || n <= 1 || n > maxPage {
			return page, nil, size, nil
		}
		after := *u
		q := after.Query()
		q.Set("page", strconv.Itoa(n))
		after.RawQuery = q.Encode()
		return page, &after, size, nil
	}
	err := g.c.WalkPages(ctx, first, what, "repository names", registry.ValidRepositoryName, fetch, fn)
	if errors.Is(err, registry.ErrNotFound) && g.c.Stats().LoginsSent == 0 {
		// GitLab answers 404, not 401, for a private project.
		return fmt.Errorf("%w: GitLab hides a private project from anonymous users: %w", registry.ErrAuthRequired, err)
	}
	return err
}

// RepositoryID finds the ID of a project's container repository by its
// path ("group/project/image").
func (g *Client) RepositoryID(ctx context.Context, project, path string) (int64, error) {
	ids := map[string]int64{}
	if err := g.walk(ctx, project, ids, func([]string) error { return nil }); err != nil {
		return 0, err
	}
	id, ok := ids[path]
	if !ok {
		return 0, fmt.Errorf("GitLab project %s: %w: no container repository %s", project, registry.ErrNotFound, path)
	}
	return id, nil
}

// DeleteTag deletes one tag of a project's container repository through
// GitLab's API: DELETE /api/v4/projects/ID/registry/repositories/ID/tags/TAG.
func (g *Client) DeleteTag(ctx context.Context, project string, repository int64, tag string) error {
	api := g.c.Registry()
	project = strings.Trim(strings.TrimSpace(project), "/")
	tail := "/registry/repositories/" + strconv.FormatInt(repository, 10) + "/tags/" + tag
	u := &url.URL{Scheme: api.Scheme(), Host: api.Host, Path: "/api/v4/projects/" + project + tail,
		RawPath: "/api/v4/projects/" + url.PathEscape(project) + tail}
	return g.c.SendJSON(ctx, http.MethodDelete, u, nil, nil, nil, "deleting the tag "+tag+" through GitLab's API")
}
