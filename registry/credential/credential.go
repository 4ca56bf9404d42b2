// Package credential finds and keeps the logins to registries: the OS
// keychain (the only place Card Catalog writes one), Docker's config.json
// and Podman's auth.json (read only), the docker-credential-* helpers they
// name, and a chain of them. The engine (package registry) asks a Source
// for a host's login and knows nothing of where it came from.
package credential

import (
	"context"
	"errors"
	"strings"

	"github.com/card-catalog/card-catalog/registry/host"
)

// canonical keys logins by host as the engine names hosts.
func canonical(h string) string { return host.Canonical(h) }

// dockerHub is Docker Hub's registry host.
const dockerHub = host.DockerHub

// Credential is a login for one registry host. It never leaves memory except
// to the OS keychain or a credential helper.
type Credential struct {
	Username string
	// Password is a password or access token.
	Password string
	// IdentityToken is an OAuth refresh token (Docker's "identitytoken");
	// when set, tokens are requested with the OAuth flow.
	IdentityToken string
	// Source says where the login came from, for people: "keychain",
	// "Docker config", "docker-credential-desktop", ...
	Source string
}

// Empty reports whether c holds no secret, i.e. is anonymous.
func (c Credential) Empty() bool { return c.Password == "" && c.IdentityToken == "" }

// FromHelper reports whether a docker-credential-* helper gave c: such a
// login may be renewed by asking the helper again (ECR's and Google's
// helpers mint short-lived ones).
func (c Credential) FromHelper() bool { return strings.HasPrefix(c.Source, helperPrefix) }

// Source finds the login for a registry host ("ghcr.io",
// "registry-1.docker.io", "localhost:5000").
type Source interface {
	// Credential returns the login for host; ok is false when it has none.
	Credential(ctx context.Context, host string) (cred Credential, ok bool, err error)
}

// Anonymous is the Source with no logins.
var Anonymous Source = Static{}

// Static is a fixed set of logins by host, e.g. from the command line.
type Static map[string]Credential

// Credential implements Source.
func (c Static) Credential(_ context.Context, host string) (Credential, bool, error) {
	cred, ok := c[canonical(host)]
	return cred, ok, nil
}

// Chain asks each source in turn and returns the first login found. A
// broken credential helper does not end the search: when no later source
// has a login, its *LoginSourceError is returned with ok false.
type Chain []Source

// Credential implements Source.
func (c Chain) Credential(ctx context.Context, host string) (Credential, bool, error) {
	var helperErr *LoginSourceError
	for _, s := range c {
		cred, ok, err := s.Credential(ctx, host)
		var he *LoginSourceError
		if errors.As(err, &he) {
			if helperErr == nil {
				helperErr = he
			}
			continue
		}
		if err != nil || ok {
			return cred, ok, err
		}
	}
	if helperErr != nil {
		return Credential{}, false, helperErr
	}
	return Credential{}, false, nil
}
