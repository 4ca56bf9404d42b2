package registry

import (
	"context"
	"errors"
)

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

// CredentialSource finds the login for a registry host ("ghcr.io",
// "registry-1.docker.io", "localhost:5000").
type CredentialSource interface {
	// Credential returns the login for host; ok is false when it has none.
	Credential(ctx context.Context, host string) (cred Credential, ok bool, err error)
}

// Anonymous is the CredentialSource with no logins.
var Anonymous CredentialSource = Credentials{}

// Credentials is a fixed set of logins by host, e.g. from the command line.
type Credentials map[string]Credential

// Credential implements CredentialSource.
func (c Credentials) Credential(_ context.Context, host string) (Credential, bool, error) {
	cred, ok := c[canonicalHost(host)]
	return cred, ok, nil
}

// Chain asks each source in turn and returns the first login found. A
// broken credential helper does not end the search: when no later source
// has a login, its *LoginSourceError is returned with ok false.
type Chain []CredentialSource

// Credential implements CredentialSource.
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
