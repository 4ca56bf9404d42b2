package app

import (
	"context"
	"errors"
	"time"

	"github.com/card-catalog/card-catalog/app/cache"
	"github.com/card-catalog/card-catalog/app/manage"
	"github.com/card-catalog/card-catalog/app/manage/archive"
	"github.com/card-catalog/card-catalog/app/manage/transfer"
	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
)

// Deadlines of the writes: a delete, a retag or an undo asks a few
// requests; a copy, an export or an import streams blobs.
const (
	writeFor    = 2 * time.Minute
	transferFor = 2 * time.Hour
)

// manageRegistry is e's registry to manage: its client, its kind and its
// own API where it has one (engine.Manage).
func (a *App) manageRegistry(ctx context.Context, e settings.Entry) (manage.Registry, error) {
	reg, err := e.Registry()
	if err != nil {
		return manage.Registry{}, err
	}
	if _, err := a.client(e); err != nil {
		return manage.Registry{}, err
	}
	return a.engine.Manage(ctx, reg, e, e.KindInfo().Kind), nil
}

// deletedKept is where e's deleted tags are kept for Undo; nil when
// nothing of e is kept on this computer.
func (a *App) deletedKept(e settings.Entry) *cache.Scope {
	if a.cache == nil || e.NoCache {
		return nil
	}
	reg, err := e.Registry()
	if err != nil {
		return nil
	}
	s := a.cache.Scope(reg.String())
	return &s
}

// errNothingKept: Undo has no copy to put back.
var errNothingKept = errors.New("nothing of this registry is kept on this computer, so the deleted tags cannot be put back from here")

// write runs work in e's lane with deadline d, never shared; a read asked
// once it has ended does not join one that began before.
func write[T any](a *App, ctx context.Context, e settings.Entry, d time.Duration, work func(context.Context) (T, error), done func(T, error)) {
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{}, pool.PriorityUser, func(ctx context.Context) (T, error) {
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		defer a.jobs.Fence()
		return work(ctx)
	}, done)
}

// PlanDelete plans deleting tags of repository (whole: the manifest the
// one tag names, and all its tags) in the background; nothing is written.
func (a *App) PlanDelete(ctx context.Context, e settings.Entry, repository string, tags []string, whole bool, done func(*manage.Plan, error)) {
	write(a, ctx, e, writeFor, func(ctx context.Context) (*manage.Plan, error) {
		reg, err := a.manageRegistry(ctx, e)
		if err != nil {
			return nil, err
		}
		repo := registry.Reference{Registry: reg.Client.Registry(), Repository: repository}
		if whole && len(tags) == 1 {
			return manage.PlanDeleteManifest(ctx, reg, repo, tags[0], nil)
		}
		return manage.PlanDelete(ctx, reg, repo, tags, nil)
	}, done)
}

// Delete runs a plan in the background, keeping each deleted manifest
// for Undo where e's content may be kept.
func (a *App) Delete(ctx context.Context, e settings.Entry, p *manage.Plan, done func(*manage.Result, error)) {
	write(a, ctx, e, writeFor, func(ctx context.Context) (*manage.Result, error) {
		r := manage.Delete(ctx, p, a.deletedKept(e))
		return r, r.Err()
	}, done)
}

// Undo puts deleted tags of repository back from this computer's copy.
func (a *App) Undo(ctx context.Context, e settings.Entry, repository string, tags []string, done func(error)) {
	write(a, ctx, e, writeFor, func(ctx context.Context) (struct{}, error) {
		keep := a.deletedKept(e)
		c, err := a.client(e)
		if err != nil {
			return struct{}{}, err
		}
		if keep == nil {
			return struct{}{}, errNothingKept
		}
		repo := registry.Reference{Registry: c.Registry(), Repository: repository}
		for _, t := range tags {
			d, err := manage.FindDeleted(*keep, repo, t)
			if err == nil {
				err = manage.Undo(ctx, c, d)
			}
			if err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, nil
	}, func(_ struct{}, err error) { done(err) })
}

// PlanRetag reads what a new tag for from would point at, and what it
// points at now.
func (a *App) PlanRetag(ctx context.Context, e settings.Entry, from registry.Reference, tag string, done func(*manage.Retag, error)) {
	write(a, ctx, e, writeFor, func(ctx context.Context) (*manage.Retag, error) {
		c, err := a.client(e)
		if err != nil {
			return nil, err
		}
		from.Registry = c.Registry()
		return manage.PlanRetag(ctx, c, from, tag)
	}, done)
}

// Retag runs a retag in the background.
func (a *App) Retag(ctx context.Context, e settings.Entry, r *manage.Retag, done func(error)) {
	write(a, ctx, e, writeFor, func(ctx context.Context) (struct{}, error) {
		c, err := a.client(e)
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, r.Run(ctx, c)
	}, func(_ struct{}, err error) { done(err) })
}

// PlanCopy plans copying from (on entry ef) to to (on entry et), with the
// referrers when asked; nothing is written.
func (a *App) PlanCopy(ctx context.Context, ef settings.Entry, from registry.Reference, et settings.Entry, to registry.Reference, referrers bool, done func(*transfer.Plan, error)) {
	write(a, ctx, ef, writeFor, func(ctx context.Context) (*transfer.Plan, error) {
		src, err := a.client(ef)
		if err != nil {
			return nil, err
		}
		dst, err := a.client(et)
		if err != nil {
			return nil, err
		}
		from.Registry, to.Registry = src.Registry(), dst.Registry()
		return transfer.NewPlan(ctx, transfer.FromRegistry(src, from), transfer.ToRegistry(dst, to, registry.PushOptions{}),
			transfer.Options{Referrers: referrers})
	}, done)
}

// Copy runs a copy's plan in the background (in the target's lane):
// progress hears from the worker as it goes; a copy stopped (ctx) or
// broken resumes when planned again.
func (a *App) Copy(ctx context.Context, et settings.Entry, p *transfer.Plan, progress func(transfer.Progress), done func(transfer.Progress, error)) {
	write(a, ctx, et, transferFor, func(ctx context.Context) (transfer.Progress, error) {
		return p.Run(ctx, progress)
	}, done)
}

// Export writes ref's image or index to an archive at path in the
// background, named name in it.
func (a *App) Export(ctx context.Context, e settings.Entry, ref registry.Reference, path string, f archive.Format, name string, progress func(transfer.Progress), done func(transfer.Progress, error)) {
	write(a, ctx, e, transferFor, func(ctx context.Context) (transfer.Progress, error) {
		c, err := a.client(e)
		if err != nil {
			return transfer.Progress{}, err
		}
		ref.Registry = c.Registry()
		w, err := archive.Create(path, f, archive.Options{Name: name})
		if err != nil {
			return transfer.Progress{}, err
		}
		defer w.Close()
		return copyAtOnce(ctx, transfer.FromRegistry(c, ref), w, progress)
	}, done)
}

// Import copies the archive at path into ref in the background: image
// names the archive's image when it holds several ("" for the only one).
func (a *App) Import(ctx context.Context, e settings.Entry, path, image string, ref registry.Reference, progress func(transfer.Progress), done func(transfer.Progress, error)) {
	write(a, ctx, e, transferFor, func(ctx context.Context) (transfer.Progress, error) {
		c, err := a.client(e)
		if err != nil {
			return transfer.Progress{}, err
		}
		ref.Registry = c.Registry()
		src, err := archive.Open(path, image)
		if err != nil {
			return transfer.Progress{}, err
		}
		defer src.Close()
		return copyAtOnce(ctx, src, transfer.ToRegistry(c, ref, registry.PushOptions{}), progress)
	}, done)
}

// copyAtOnce plans a copy and runs it at once.
func copyAtOnce(ctx context.Context, src transfer.Source, dst transfer.Target, progress func(transfer.Progress)) (transfer.Progress, error) {
	p, err := transfer.NewPlan(ctx, src, dst, transfer.Options{Referrers: true})
	if err != nil {
		return transfer.Progress{}, err
	}
	return p.Run(ctx, progress)
}
