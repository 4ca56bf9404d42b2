package credential

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Store is where logins are kept: the OS keychain (Keychain), or a test's
// stand-in.
type Store interface {
	Source
	// Save stores the login for host, replacing any other.
	Save(host string, cred Credential) error
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
	keychain Store
	limit    time.Duration
	others   Source

	mu      sync.Mutex
	session map[string]Credential
}

// NewLogins looks in keychain (nil: the OS keychain), then in others;
// each keychain call gets limit (0: 20 s).
func NewLogins(keychain Store, limit time.Duration, others Source) *Logins {
	if keychain == nil {
		keychain = Keychain{}
	}
	if limit <= 0 {
		limit = defaultKeychainLimit
	}
	return &Logins{keychain: keychain, limit: limit, others: others, session: map[string]Credential{}}
}

// errKeychainSilent: the keychain did not answer in time.
func (l *Logins) errKeychainSilent() error {
	return fmt.Errorf("%w: it did not answer within %s; it may be locked, waiting for its password", ErrKeychainUnavailable, l.limit)
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

// Credential implements Source. A keychain that does
// not answer is a LoginSourceError: the registry is then asked
// anonymously, and the sidebar says why.
func (l *Logins) Credential(ctx context.Context, host string) (Credential, bool, error) {
	l.mu.Lock()
	cred, ok := l.session[host]
	l.mu.Unlock()
	if ok {
		return cred, true, nil
	}
	type found struct {
		cred Credential
		ok   bool
	}
	f, err := timed(l, func() (found, error) {
		c, ok, err := l.keychain.Credential(ctx, host)
		return found{c, ok}, err
	})
	switch {
	case errors.Is(err, ErrKeychainUnavailable):
		err = &LoginSourceError{Source: "the OS keychain", Problem: "did not answer (locked?)"}
	case err == nil && f.ok:
		return f.cred, true, nil
	}
	return Chain{staticResult{err: err}, l.others}.Credential(ctx, host)
}

// staticResult is a CredentialSource with one answer, to put the keychain's
// outcome first in a Chain.
type staticResult struct{ err error }

func (s staticResult) Credential(context.Context, string) (Credential, bool, error) {
	return Credential{}, false, s.err
}

// Keep stores a login in the keychain, or in memory for this session when
// sessionOnly. It wraps ErrKeychainUnavailable when the keychain
// cannot take it (missing, locked, or silent past the limit); nothing is
// then stored anywhere. It may wait on the keychain: never call it on the
// UI goroutine.
func (l *Logins) Keep(host string, cred Credential, sessionOnly bool) error {
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

// ReadOnlyLoginError says that the login comes from another tool's file, which Card
// Catalog does not change.
type ReadOnlyLoginError struct{ Source string }

func (e *ReadOnlyLoginError) Error() string {
	return "signed out of Card Catalog's keychain, but a login from " + e.Source + " remains: remove it there (docker logout / podman logout)"
}
