package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
)

// Keychain is where logins are kept: the OS keychain (credential.Keychain),
// or a test's stand-in.
type Keychain interface {
	registry.CredentialSource
	// Save stores the login for host, replacing any other.
	Save(host string, cred credential.Credential) error
	// Delete removes the login for host; none is no error.
	Delete(host string) error
}

// defaultKeychainLimit bounds each keychain call. A locked keychain shows
// its unlock prompt and waits for the person; past this Card Catalog goes
// on without it. The call itself cannot be taken back: it finishes, or
// not, on its own goroutine.
const defaultKeychainLimit = 20 * time.Second

// Logins finds and keeps logins: first those kept for this session only (in
// memory, when the keychain cannot be used and the person chose so), then
// the OS keychain, then the files other tools keep (Podman, Docker), which
// are only read. Every keychain call has a time limit; none may run on the
// UI goroutine.
type Logins struct {
	keychain Keychain
	limit    time.Duration
	others   registry.CredentialSource

	mu      sync.Mutex
	session map[string]credential.Credential
}

// NewLogins looks in keychain (nil: the OS keychain), then in others;
// each keychain call gets limit (0: 20 s).
func NewLogins(keychain Keychain, limit time.Duration, others registry.CredentialSource) *Logins {
	if keychain == nil {
		keychain = credential.Keychain{}
	}
	if limit <= 0 {
		limit = defaultKeychainLimit
	}
	return &Logins{keychain: keychain, limit: limit, others: others, session: map[string]credential.Credential{}}
}

// errKeychainSilent: the keychain did not answer in time.
func (l *Logins) errKeychainSilent() error {
	return fmt.Errorf("%w: it did not answer within %s; it may be locked, waiting for its password", credential.ErrKeychainUnavailable, l.limit)
}

// timed runs a keychain call under l's limit.
func timed[T any](l *Logins, call func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := call()
		ch <- result{v, err}
	}()
	timer := time.NewTimer(l.limit)
	defer timer.Stop()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-timer.C:
		var zero T
		return zero, l.errKeychainSilent()
	}
}

// Credential implements registry.CredentialSource. A keychain that does
// not answer is a credential.LoginSourceError: the registry is then asked
// anonymously, and the sidebar says why.
func (l *Logins) Credential(ctx context.Context, host string) (credential.Credential, bool, error) {
	l.mu.Lock()
	cred, ok := l.session[host]
	l.mu.Unlock()
	if ok {
		return cred, true, nil
	}
	type found struct {
		cred credential.Credential
		ok   bool
	}
	f, err := timed(l, func() (found, error) {
		c, ok, err := l.keychain.Credential(ctx, host)
		return found{c, ok}, err
	})
	switch {
	case errors.Is(err, credential.ErrKeychainUnavailable):
		err = &credential.LoginSourceError{Source: "the OS keychain", Problem: "did not answer (locked?)"}
	case err == nil && f.ok:
		return f.cred, true, nil
	}
	return credential.Chain{staticResult{err: err}, l.others}.Credential(ctx, host)
}

// staticResult is a CredentialSource with one answer, to put the keychain's
// outcome first in a Chain.
type staticResult struct{ err error }

func (s staticResult) Credential(context.Context, string) (credential.Credential, bool, error) {
	return credential.Credential{}, false, s.err
}

// Keep stores a login in the keychain, or in memory for this session when
// sessionOnly. It wraps credential.ErrKeychainUnavailable when the keychain
// cannot take it (missing, locked, or silent past the limit); nothing is
// then stored anywhere. It may wait on the keychain: never call it on the
// UI goroutine.
func (l *Logins) Keep(host string, cred credential.Credential, sessionOnly bool) error {
	if sessionOnly {
		cred.Source = "this session only"
		l.mu.Lock()
		l.session[host] = cred
		l.mu.Unlock()
		return nil
	}
	if _, err := timed(l, func() (struct{}, error) { return struct{}{}, l.keychain.Save(host, cred) }); err != nil {
		return err
	}
	l.mu.Lock()
	delete(l.session, host)
	l.mu.Unlock()
	return nil
}

// Forget removes a login from the session and the keychain. Logins read
// from Docker's or Podman's files stay there: a *ReadOnlyLoginError says so.
func (l *Logins) Forget(ctx context.Context, host string) error {
	l.mu.Lock()
	delete(l.session, host)
	l.mu.Unlock()
	if _, err := timed(l, func() (struct{}, error) { return struct{}{}, l.keychain.Delete(host) }); err != nil {
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
	// Renew says how to get a fresh login of the registry's kind, when
	// its logins run out (a token may run out while it is typed).
	Renew string
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
	}
	if _, _, _, outcome := wordsOf(r.Err); outcome != "" {
		if r.Renew != "" && errors.Is(r.Err, registry.ErrLoginRejected) {
			return outcome + " " + r.Renew
		}
		return outcome
	}
	return "The registry answered in a way Card Catalog could not use."
}

// TestLogin tries a login against e's registry in the background.
func (a *App) TestLogin(ctx context.Context, e settings.Entry, user, password string, done func(LoginResult)) {
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{}, pool.PriorityUser, func(ctx context.Context) (bool, error) {
		reg, err := e.Registry()
		if err != nil {
			return false, err
		}
		return registry.CheckLogin(ctx, reg, kinds.LoginCredential(user, password), a.options...)
	}, func(verified bool, err error) {
		done(LoginResult{Verified: verified, Err: err, Renew: e.KindInfo().Renew})
	})
}

// SaveLogin keeps a login for e (see Logins.Keep) in the background and
// makes e's client use it; done gets the outcome on a pool goroutine.
func (a *App) SaveLogin(ctx context.Context, e settings.Entry, user, password string, sessionOnly bool, done func(error)) {
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{}, pool.PriorityUser, func(context.Context) (struct{}, error) {
		reg, err := e.Registry()
		if err != nil {
			return struct{}{}, err
		}
		if err := a.logins.Keep(reg.Host, kinds.LoginCredential(user, password), sessionOnly); err != nil {
			return struct{}{}, err
		}
		a.forgetTokens(e)
		return struct{}{}, nil
	}, func(_ struct{}, err error) { done(err) })
}

// Logout removes e's login and every token cached for it, in the
// background; done gets the outcome on a pool goroutine.
func (a *App) Logout(ctx context.Context, e settings.Entry, done func(error)) {
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{}, pool.PriorityUser, func(ctx context.Context) (struct{}, error) {
		reg, err := e.Registry()
		if err != nil {
			return struct{}{}, err
		}
		defer a.forgetTokens(e)
		return struct{}{}, a.logins.Forget(ctx, reg.Host)
	}, func(_ struct{}, err error) { done(err) })
}

func (a *App) forgetTokens(e settings.Entry) {
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
func (a *App) Login(ctx context.Context, e settings.Entry) (user, source string, ok bool) {
	reg, err := e.Registry()
	if err != nil {
		return "", "", false
	}
	cred, ok, err := a.logins.Credential(ctx, reg.Host)
	var helperErr *credential.LoginSourceError
	if errors.As(err, &helperErr) {
		// Requests go out anonymously; the source says why.
		return "", helperErr.Short(), false
	}
	if err != nil || !ok {
		return "", "", false
	}
	return cred.Username, cred.Source, true
}
