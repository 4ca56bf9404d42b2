package manage

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/ghcr"
	"github.com/card-catalog/card-catalog/registry/gitlab"
	"github.com/card-catalog/card-catalog/registry/harbor"
	"github.com/card-catalog/card-catalog/registry/hub"
)

// HubAPI deletes through Docker Hub's web API, signed in (hub.SignIn).
func HubAPI(c *hub.Client) TagAPI { return hubAPI{c} }

type hubAPI struct{ c *hub.Client }

func (hubAPI) Name() string { return "Docker Hub's API (hub.docker.com)" }
func (a hubAPI) DeleteTag(ctx context.Context, repo, tag, _ string) error {
	return a.c.DeleteTag(ctx, repo, tag)
}

// DeleteManifest deletes every tag: Docker Hub then holds the manifest
// untagged, and removes it in time.
func (a hubAPI) DeleteManifest(ctx context.Context, repo, _ string, tags []string) error {
	for _, t := range tags {
		if err := a.c.DeleteTag(ctx, repo, t); err != nil {
			return err
		}
	}
	return nil
}

// HarborAPI deletes through Harbor's API, signed in (harbor.New).
func HarborAPI(c *harbor.Client) TagAPI { return harborAPI{c} }

type harborAPI struct{ c *harbor.Client }

func (harborAPI) Name() string { return "Harbor's API (/api/v2.0)" }
func (a harborAPI) DeleteTag(ctx context.Context, repo, tag, digest string) error {
	return a.c.DeleteTag(ctx, repo, digest, tag)
}
func (a harborAPI) DeleteManifest(ctx context.Context, repo, digest string, _ []string) error {
	return a.c.DeleteArtifact(ctx, repo, digest)
}

// GitLabAPI deletes through GitLab's API, signed in (gitlab.New), in the
// project given by its ID or path ("" finds it from the repository's
// path: "group/project/image" is tried as "group/project/image", then
// "group/project", …).
func GitLabAPI(c *gitlab.Client, project string) TagAPI { return gitLabAPI{c, project} }

type gitLabAPI struct {
	c       *gitlab.Client
	project string
}

func (gitLabAPI) Name() string { return "GitLab's API (/api/v4)" }

func (a gitLabAPI) DeleteTag(ctx context.Context, repo, tag, _ string) error {
	project, id, err := a.repository(ctx, repo)
	if err != nil {
		return err
	}
	return a.c.DeleteTag(ctx, project, id, tag)
}

// DeleteManifest deletes every tag: GitLab's garbage collection then
// removes the manifest.
func (a gitLabAPI) DeleteManifest(ctx context.Context, repo, _ string, tags []string) error {
	project, id, err := a.repository(ctx, repo)
	if err != nil {
		return err
	}
	for _, t := range tags {
		if err := a.c.DeleteTag(ctx, project, id, t); err != nil {
			return err
		}
	}
	return nil
}

// repository finds the project and the ID of repo's container repository.
func (a gitLabAPI) repository(ctx context.Context, repo string) (string, int64, error) {
	projects := []string{a.project}
	if a.project == "" {
		projects = nil
		for p := repo; p != "" && p != "."; p = parent(p) {
			projects = append(projects, p)
		}
	}
	var lastErr error
	for _, p := range projects {
		id, err := a.c.RepositoryID(ctx, p, repo)
		if err == nil {
			return p, id, nil
		}
		lastErr = err
		if !errors.Is(err, registry.ErrNotFound) && !errors.Is(err, registry.ErrAuthRequired) {
			break
		}
	}
	return "", 0, fmt.Errorf("finding %s in GitLab's projects: %w", repo, lastErr)
}

func parent(p string) string {
	i := strings.LastIndex(p, "/")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// GHCRAPI deletes package versions through GitHub's packages API.
func GHCRAPI(c *ghcr.Client) TagAPI { return ghcrAPI{c} }

type ghcrAPI struct{ c *ghcr.Client }

func (ghcrAPI) Name() string { return "GitHub's packages API (api.github.com)" }

// DeleteTag deletes the tag's version when the tag is its only one.
func (a ghcrAPI) DeleteTag(ctx context.Context, repo, tag, digest string) error {
	return a.DeleteManifest(ctx, repo, digest, []string{tag})
}

func (a ghcrAPI) DeleteManifest(ctx context.Context, repo, digest string, tags []string) error {
	err := a.c.DeleteVersion(ctx, repo, digest, tags)
	if errorsIsAny(err, registry.ErrDenied, registry.ErrAuthRequired, registry.ErrLoginRejected) {
		return fmt.Errorf("GitHub's packages API refused: it needs a token with delete:packages (a classic personal access token): %w", err)
	}
	return err
}

func errorsIsAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}
