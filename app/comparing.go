package app

import (
	"context"

	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/imagefs"
	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/app/trust/sbom"
	"github.com/card-catalog/card-catalog/registry"
)

// Compare reads two references' heads in the background (DiffHeads), on
// their registries' sources.
func (a *App) Compare(ctx context.Context, ea settings.Entry, refA registry.Reference, eb settings.Entry, refB registry.Reference, platform string, done func(*image.ImageDiff, error)) {
	pool.Submit(a.jobs, ctx, ea.ID, pool.Key{}, pool.PriorityUser, func(ctx context.Context) (*image.ImageDiff, error) {
		srcA, err := a.source(ea)
		if err != nil {
			return nil, err
		}
		srcB, err := a.source(eb)
		if err != nil {
			return nil, err
		}
		refA.Registry, refB.Registry = srcA.Registry(), srcB.Registry()
		return image.DiffHeads(ctx, srcA, refA, srcB, refB, platform)
	}, done)
}

// CompareSBOMs reads both compared images' SBOMs and compares their
// packages in the background (trust.CompareSBOMs). refA and refB are the
// references as asked: a platform's image finds its SBOM on its index.
func (a *App) CompareSBOMs(ctx context.Context, e settings.Entry, d *image.ImageDiff, refA, refB registry.Reference, done func(*trust.SBOMDiff, error)) {
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{}, pool.PriorityVisible, func(ctx context.Context) (*trust.SBOMDiff, error) {
		refA.Registry, refB.Registry = d.A.Ref.Registry, d.B.Ref.Registry
		return trust.CompareSBOMs(ctx,
			trust.SBOMSide{Src: d.A.Src, Ref: refA, Image: d.A.Manifest.Digest},
			trust.SBOMSide{Src: d.B.Src, Ref: refB, Image: d.B.Manifest.Digest}, sbom.DefaultLimits)
	}, done)
}

// CompareFiles runs DiffFiles in the background.
func (a *App) CompareFiles(ctx context.Context, e settings.Entry, d *image.ImageDiff, progress func(image.Progress), done func(error)) {
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{}, pool.PriorityUser, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, image.DiffFiles(ctx, d, progress)
	}, func(_ struct{}, err error) { done(err) })
}

// SideContent writes the file at p of one compared image to w in the
// background.
func (a *App) SideContent(ctx context.Context, e settings.Entry, s image.DiffSide, p string, w image.Rewinder, done func(imagefs.Node, error)) {
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{}, pool.PriorityUser, func(ctx context.Context) (imagefs.Node, error) {
		return image.ReadFile(ctx, s.Src, s.Ref, s.Manifest.Layers(), s.Tree, p, w)
	}, done)
}

// Manifests reads two references' manifests in the background, to see
// whether they are indexes to compare platform by platform.
func (a *App) Manifests(ctx context.Context, ea settings.Entry, refA registry.Reference, eb settings.Entry, refB registry.Reference, done func([2]*registry.Manifest, error)) {
	pool.Submit(a.jobs, ctx, ea.ID, pool.Key{}, pool.PriorityUser, func(ctx context.Context) ([2]*registry.Manifest, error) {
		var out [2]*registry.Manifest
		for i, s := range []struct {
			e   settings.Entry
			ref registry.Reference
		}{{ea, refA}, {eb, refB}} {
			src, err := a.source(s.e)
			if err != nil {
				return out, err
			}
			s.ref.Registry = src.Registry()
			if out[i], err = src.Manifest(ctx, s.ref); err != nil {
				return out, err
			}
		}
		return out, nil
	}, done)
}
