package app

import (
	"context"
	"errors"

	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
)

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
	if c, err := a.client(e); err == nil {
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
