package app

import (
	"context"
	"errors"
	"time"

	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
)

// kindOfHost is the kind of the sidebar's entry for a host.
func (a *App) kindOfHost(h string) kinds.Kind {
	return settings.Settings{Registries: a.Entries()}.KindOfHost(h)
}

// AskHelper runs HelperLogin in the background; done gets its answer on a
// pool goroutine.
func (a *App) AskHelper(ctx context.Context, e settings.Entry, done func(found, user string, err error)) {
	type answer struct{ found, user string }
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{Kind: "helper", Name: e.ID}, pool.PriorityUser, func(ctx context.Context) (answer, error) {
		reg, err := e.Registry()
		if err != nil {
			return answer{}, err
		}
		found, user, err := kinds.HelperLogin(ctx, e.KindInfo(), reg.Host)
		return answer{found, user}, err
	}, func(r answer, err error) { done(r.found, r.user, err) })
}

// probeFor bounds how long a probe waits for an address to answer.
const probeFor = 10 * time.Second

// Probe asks, in the background, whether a registry not yet in the sidebar
// answers at e's address as e says it speaks (HTTPS or plain HTTP): nil,
// or a refusal of anonymous users, means it answers as a registry. No login
// is looked up and nothing is kept of it.
func (a *App) Probe(ctx context.Context, e settings.Entry, done func(error)) {
	pool.Submit(a.jobs, ctx, "probe", pool.Key{}, pool.PriorityUser, func(ctx context.Context) (struct{}, error) {
		reg, err := e.Registry()
		if err != nil {
			return struct{}{}, err
		}
		ctx, cancel := context.WithTimeout(ctx, probeFor)
		defer cancel()
		return struct{}{}, registry.New(reg, append([]registry.Option{registry.WithLogger(a.log)}, a.options...)...).Ping(ctx)
	}, func(_ struct{}, err error) { done(err) })
}

// Answers reports whether err, from Probe, still means that a registry
// answered: it asks for a login, or refuses anonymous users.
func Answers(err error) bool {
	return err == nil || errors.Is(err, registry.ErrAuthRequired) || errors.Is(err, registry.ErrDenied) ||
		errors.Is(err, registry.ErrLoginService)
}
