// Package ghcr deletes from GitHub's container registry through GitHub's
// packages API (api.github.com): GHCR's registry API answers every DELETE
// with 405. A package version is one manifest, and deleting it deletes
// the manifest with every tag on it; a single tag of several is first
// moved to a manifest of its own (package manage pushes a placeholder),
// whose version is then deleted. The API wants a token with
// delete:packages (a classic personal access token); the login of
// ghcr.io is sent to the API of the same service, and nowhere else.
package ghcr

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
)

// APIHost is GitHub's REST API.
const APIHost = "api.github.com"

// maxPages bounds the pages of versions read to find one.
const maxPages = 100

// Client talks to the packages API.
type Client struct{ c *registry.Client }

// New returns a client of the packages API at api (APIHost), signed in
// with the login creds has for registryHost ("ghcr.io").
func New(api registry.Registry, creds registry.CredentialSource, registryHost string, log *slog.Logger, opts ...registry.Option) *Client {
	return &Client{c: registry.NewWebAPI(api, sameLogin{creds: creds, host: registryHost}, log, "bearer", opts...)}
}

// sameLogin answers for the API's host with the registry's login: both
// are GitHub's.
type sameLogin struct {
	creds registry.CredentialSource
	host  string
}

func (s sameLogin) Credential(ctx context.Context, _ string) (credential.Credential, bool, error) {
	return s.creds.Credential(ctx, s.host)
}

// Version is one version of a container package: a manifest and its tags.
type Version struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Metadata struct {
		Container struct {
			Tags []string `json:"tags"`
		} `json:"container"`
	} `json:"metadata"`
}

// packagePaths are where the versions of repo ("owner/name/…") are: an
// organisation's package, or a user's.
func (g *Client) packagePaths(repo string) ([]string, error) {
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || owner == "" || name == "" {
		return nil, fmt.Errorf("%w: %q is not a GHCR repository (owner/name)", registry.ErrInvalidReference, repo)
	}
	pkg := url.PathEscape(name)
	return []string{"/orgs/" + url.PathEscape(owner) + "/packages/container/" + pkg, "/users/" + url.PathEscape(owner) + "/packages/container/" + pkg}, nil
}

// Find finds the version of repo whose manifest is digest, and the path
// of its package.
func (g *Client) Find(ctx context.Context, repo, digest string) (Version, string, error) {
	paths, err := g.packagePaths(repo)
	if err != nil {
		return Version{}, "", err
	}
	api := g.c.Registry()
	var lastErr error
	for _, p := range paths {
		raw := p + "/versions"
		u := &url.URL{Scheme: api.Scheme(), Host: api.Host, RawQuery: "per_page=100"}
		u.Path, _ = url.PathUnescape(raw)
		u.RawPath = raw
		for page := 0; u != nil && page < maxPages; page++ {
			var versions []Version
			_, header, err := g.c.GetJSONPage(ctx, u, "the versions of package "+repo+" on GitHub", &versions)
			if err != nil {
				lastErr = err
				break
			}
			for _, v := range versions {
				if v.Name == digest {
					return v, p, nil
				}
			}
			if u, err = registry.NextLink(header, u); err != nil {
				return Version{}, "", err
			}
		}
		if lastErr == nil {
			return Version{}, "", fmt.Errorf("package %s on GitHub: %w: no version %s", repo, registry.ErrNotFound, digest)
		}
	}
	return Version{}, "", lastErr
}

// DeleteVersion deletes the version of repo whose manifest is digest,
// when its tags are exactly tags (nil: any): a version that carries a tag
// not named is not deleted.
func (g *Client) DeleteVersion(ctx context.Context, repo, digest string, tags []string) error {
	v, p, err := g.Find(ctx, repo, digest)
	if err != nil {
		return err
	}
	if tags != nil {
		for _, t := range v.Metadata.Container.Tags {
			if !slices.Contains(tags, t) {
				return fmt.Errorf("the package version %d of %s carries the tag %s too: it is not deleted", v.ID, repo, t)
			}
		}
	}
	api := g.c.Registry()
	raw := p + "/versions/" + strconv.FormatInt(v.ID, 10)
	u := &url.URL{Scheme: api.Scheme(), Host: api.Host, RawPath: raw}
	u.Path, _ = url.PathUnescape(raw)
	return g.c.SendJSON(ctx, http.MethodDelete, u, nil, nil, nil, "deleting the package version "+strconv.FormatInt(v.ID, 10)+" of "+repo)
}
