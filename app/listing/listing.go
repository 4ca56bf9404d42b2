package listing

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"

	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
	"github.com/card-catalog/card-catalog/registry/gitlab"
	"github.com/card-catalog/card-catalog/registry/harbor"
	"github.com/card-catalog/card-catalog/registry/hub"
)

// Lister lists a registry's repositories by the best means it has: the
// catalog; a Docker Hub namespace through Hub's web API; a GitLab
// project's repositories through GitLab's API; and, when the catalog is
// refused and the registry turns out to be a Harbor, the projects the
// login may see through Harbor's API. The window and the headless catalog
// command list alike through it.
type Lister struct {
	// Client is the registry's.
	Client *registry.Client
	// Creds and Options make the clients of the web APIs.
	Creds   registry.CredentialSource
	Options []registry.Option
	Log     *slog.Logger
	// Hub is Docker Hub's web API, for an entry with a HubAPI; nil: one
	// is made.
	Hub *hub.Client
}

// Repositories lists e's repositories, a page at a time, to fn.
func (l Lister) Repositories(ctx context.Context, e settings.Entry, fn func([]string) error) error {
	if e.HubAPI != "" {
		return l.hubNamespace(ctx, e, fn)
	}
	kind := e.KindInfo().Kind
	reg := l.Client.Registry()
	if kind == kinds.GitLab && strings.TrimSpace(e.Project) != "" {
		api, err := l.GitLab(e)
		if err != nil {
			return err
		}
		return api.Repositories(ctx, e.Project, fn)
	}
	listed := 0
	err := l.Client.Catalog(ctx, func(page []string) error {
		listed += len(page)
		return fn(page)
	})
	if err == nil || listed > 0 || !catalogRefused(err) {
		return err
	}
	h := harbor.New(reg, l.Creds, l.Log, l.Options...)
	if kind != kinds.Harbor {
		// Asked without the login: a Harbor refuses every request that
		// carries a wrong one, and a wrong one is then said by its API.
		version, ok, derr := harbor.New(reg, credential.Anonymous, l.Log, l.Options...).Detect(ctx)
		if derr != nil || !ok {
			return err
		}
		l.Log.Info("the catalog is refused and the registry is a Harbor: listing the projects through its API",
			"registry", reg.String(), "version", version)
	}
	n := 0
	herr := h.AllRepositories(ctx, func(page []string) error {
		n += len(page)
		return fn(page)
	})
	if herr == nil && n == 0 {
		return err // nothing this login may see: the catalog's refusal says why
	}
	return herr
}

// hubNamespace lists the repositories of e's Docker Hub namespace.
func (l Lister) hubNamespace(ctx context.Context, e settings.Entry, fn func([]string) error) error {
	api := l.Hub
	if api == nil {
		reg, err := registry.ParseRegistry(e.HubAPI)
		if err != nil {
			return err
		}
		api = hub.New(reg, l.Log, l.Options...)
	}
	return api.Repositories(ctx, HubNamespace(ctx, e, l.Creds), func(page []hub.Repository) error {
		names := make([]string, len(page))
		for i, r := range page {
			names[i] = r.Path()
		}
		return fn(names)
	})
}

// WithHubNamespace is e with the Docker Hub namespace it lists settled, so
// that listing it and keeping the list (EntryCatalogKey) look the login up
// once, not once each: a lookup is a keychain call, and may run a
// credential helper.
func WithHubNamespace(ctx context.Context, e settings.Entry, creds registry.CredentialSource) settings.Entry {
	if e.HubAPI != "" {
		e.Namespace = HubNamespace(ctx, e, creds)
	}
	return e
}

// HubNamespace is the namespace a Docker Hub entry lists: the one set,
// else the signed-in user's, else "library".
func HubNamespace(ctx context.Context, e settings.Entry, creds registry.CredentialSource) string {
	if e.Namespace != "" {
		return e.Namespace
	}
	if reg, err := e.Registry(); err == nil {
		cred, ok, err := creds.Credential(ctx, reg.Host)
		if user := cred.Username; err == nil && ok && user != "" && !strings.Contains(user, "<") {
			return strings.ToLower(user)
		}
	}
	return "library"
}

// catalogRefused: the catalog is not for this login, as opposed to a
// registry that cannot be reached. Harbor's is for administrators, and it
// answers everyone else as it answers a wrong password (401, a Basic
// challenge): a login rejected there may be good for its own API.
func catalogRefused(err error) bool {
	return errors.Is(err, registry.ErrNoCatalog) || errors.Is(err, registry.ErrAuthRequired) ||
		errors.Is(err, registry.ErrDenied) || errors.Is(err, registry.ErrLoginRejected)
}

// GitLab is the client of the API of the GitLab whose registry e is,
// signed in with the registry's login.
func (l Lister) GitLab(e settings.Entry) (*gitlab.Client, error) {
	api, err := gitLabAPI(e)
	if err != nil {
		return nil, err
	}
	return gitlab.New(api, sameLogin{l.Creds, l.Client.Registry().Host}, l.Log, l.Options...), nil
}

// gitLabAPI is the address of the GitLab whose registry e is: the one set,
// else the registry's host without its "registry." label and its port
// (registry.gitlab.com: gitlab.com).
func gitLabAPI(e settings.Entry) (registry.Registry, error) {
	if e.GitLabAPI != "" {
		return registry.ParseRegistry(e.GitLabAPI)
	}
	reg, err := e.Registry()
	if err != nil {
		return registry.Registry{}, err
	}
	h := reg.Host
	if name, _, err := net.SplitHostPort(h); err == nil {
		h = name
	}
	reg.Host = strings.TrimPrefix(h, "registry.")
	return reg, nil
}

// sameLogin gives a web API on another host of the same service (GitLab's
// gitlab.com for registry.gitlab.com) the registry's login: the access
// token is the GitLab's, whichever of its hosts is asked.
type sameLogin struct {
	creds registry.CredentialSource
	host  string
}

func (s sameLogin) Credential(ctx context.Context, _ string) (credential.Credential, bool, error) {
	return s.creds.Credential(ctx, s.host)
}

// CatalogKey is where a listing of e's repositories is kept: one for each
// Hub namespace and GitLab project listed.
func CatalogKey(namespace, project string) string {
	return "catalog\x00" + namespace + "\x00" + project
}

// EntryCatalogKey is CatalogKey of what e lists: its Hub namespace (whose
// default is the login creds has) or its GitLab project.
func EntryCatalogKey(ctx context.Context, e settings.Entry, creds registry.CredentialSource) string {
	ns := ""
	if e.HubAPI != "" {
		ns = HubNamespace(ctx, e, creds)
	}
	return CatalogKey(ns, e.Project)
}
