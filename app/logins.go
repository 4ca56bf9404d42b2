package app

import (
	"context"
	"errors"
	"sync"

	"github.com/card-catalog/card-catalog/registry"
)

// Logins finds and keeps logins: first those kept for this session only (in
// memory, when the keychain cannot be used and the person chose so), then
// the OS keychain, then the files other tools keep (Podman, Docker), which
// are only read.
type Logins struct {
	keychain registry.Keychain
	others   registry.CredentialSource

	mu      sync.Mutex
	session map[string]registry.Credential
}

// NewLogins looks in the keychain, then in others.
func NewLogins(others registry.CredentialSource) *Logins {
	return &Logins{others: others, session: map[string]registry.Credential{}}
}

// Credential implements registry.CredentialSource.
func (l *Logins) Credential(ctx context.Context, host string) (registry.Credential, bool, error) {
	l.mu.Lock()
	cred, ok := l.session[host]
	l.mu.Unlock()
	if ok {
		return cred, true, nil
	}
	return registry.Chain{l.keychain, l.others}.Credential(ctx, host)
}

// Keep stores a login in the keychain, or in memory for this session when
// sessionOnly. It wraps registry.ErrKeychainUnavailable when the keychain
// cannot take it; nothing is then stored anywhere.
func (l *Logins) Keep(host string, cred registry.Credential, sessionOnly bool) error {
	if sessionOnly {
		cred.Source = "this session only"
		l.mu.Lock()
		l.session[host] = cred
		l.mu.Unlock()
		return nil
	}
	if err := l.keychain.Save(host, cred); err != nil {
		return err
	}
	l.mu.Lock()
	delete(l.session, host)
	l.mu.Unlock()
	return nil
}

// Forget removes a login from the session and the keychain. Logins read
// from Docker's or Podman's files stay there: errReadOnlyLogin says so.
func (l *Logins) Forget(ctx context.Context, host string) error {
	l.mu.Lock()
	delete(l.session, host)
	l.mu.Unlock()
	if err := l.keychain.Delete(host); err != nil {
		return err
	}
	if cred, ok, _ := l.others.Credential(ctx, host); ok {
		return &ReadOnlyLoginError{Source: cred.Source}
	}
	return nil
}

// ReadOnlyLoginError: the login comes from another tool's file, which Card
// Catalog does not change.
type ReadOnlyLoginError struct{ Source string }

func (e *ReadOnlyLoginError) Error() string {
	return "signed out of Card Catalog's keychain, but a login from " + e.Source + " remains: remove it there (docker logout / podman logout)"
}

// LoginResult is the outcome of testing a login, in words for people.
type LoginResult struct {
	// Verified: the registry asked for the login and accepted it.
	Verified bool
	Err      error
}

// OK reports whether the login may be saved.
func (r LoginResult) OK() bool { return r.Err == nil }

// Words says the result plainly.
func (r LoginResult) Words() string {
	switch {
	case r.Err == nil && r.Verified:
		return "Signed in."
	case r.Err == nil:
		return "The registry let us in without asking for the login, so the password could not be checked."
	case errors.Is(r.Err, registry.ErrLoginRejected):
		return "Wrong user name or password (or token)."
	case errors.Is(r.Err, registry.ErrDenied):
		return "Signed in, but this account has no permission here."
	case errors.Is(r.Err, registry.ErrUnreachable):
		return "The registry is not reachable."
	case errors.Is(r.Err, registry.ErrAuthRequired):
		return "The registry still asks for a login: check the user name."
	}
	return "The registry answered in a way Card Catalog could not use."
}

// TestLogin tries a login against e's registry in the background.
func (a *App) TestLogin(ctx context.Context, e Entry, user, password string, done func(LoginResult)) {
	a.pool.Submit(ctx, e.ID, "", PriorityUser, func(ctx context.Context) (any, error) {
		reg, err := e.Registry()
		if err != nil {
			return false, err
		}
		return registry.CheckLogin(ctx, reg, registry.Credential{Username: user, Password: password})
	}, func(v any, err error) {
		verified, _ := v.(bool)
		done(LoginResult{Verified: verified, Err: err})
	})
}

// SaveLogin keeps a login for e (see Logins.Keep) and makes e's client use it.
func (a *App) SaveLogin(e Entry, user, password string, sessionOnly bool) error {
	reg, err := e.Registry()
	if err != nil {
		return err
	}
	if err := a.logins.Keep(reg.Host, registry.Credential{Username: user, Password: password}, sessionOnly); err != nil {
		return err
	}
	a.forgetTokens(e)
	return nil
}

// Logout removes e's login and every token cached for it.
func (a *App) Logout(ctx context.Context, e Entry) error {
	reg, err := e.Registry()
	if err != nil {
		return err
	}
	defer a.forgetTokens(e)
	return a.logins.Forget(ctx, reg.Host)
}

func (a *App) forgetTokens(e Entry) {
	a.mu.Lock()
	c := a.clients[e.ID]
	a.mu.Unlock()
	if c != nil {
		c.ForgetTokens()
	}
}

// Login says who is signed in to e and where the login comes from
// ("keychain", "Docker config", ...); with no login, source may say why a
// credential helper gave none. It may run a credential helper: call
// it from the pool, not the UI goroutine.
func (a *App) Login(ctx context.Context, e Entry) (user, source string, ok bool) {
	reg, err := e.Registry()
	if err != nil {
		return "", "", false
	}
	cred, ok, err := a.logins.Credential(ctx, reg.Host)
	var helperErr *registry.HelperError
	if errors.As(err, &helperErr) {
		// Requests go out anonymously; the source says why.
		return "", helperErr.Helper + " " + helperErr.Problem, false
	}
	if err != nil || !ok {
		return "", "", false
	}
	return cred.Username, cred.Source, true
}
