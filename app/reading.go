package app

import (
	"context"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/imagefs"
	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
)

// CardSummary describes a repository for its card in the background: its
// tags, and its newest tag's platforms, size and date.
func (a *App) CardSummary(ctx context.Context, e settings.Entry, repository string, priority int, done func(image.Summary, error)) {
	a.run(ctx, e, pool.Key{Kind: "card", Name: repository}, priority, func(ctx context.Context, c image.Source) (image.Summary, error) {
		return image.DescribeRepository(ctx, c, registry.Reference{Registry: c.Registry(), Repository: repository})
	}, done)
}

// TagSummary describes one tag for its row in the background.
func (a *App) TagSummary(ctx context.Context, e settings.Entry, ref registry.Reference, priority int, done func(image.Summary, error)) {
	a.run(ctx, e, pool.Key{Kind: "tag", Name: ref.String()}, priority, func(ctx context.Context, c image.Source) (image.Summary, error) {
		ref.Registry = c.Registry()
		return image.Describe(ctx, c, ref)
	}, done)
}

// run is Submit for work that reads e's registry and gives a Summary.
func (a *App) run(ctx context.Context, e settings.Entry, key pool.Key, priority int, work func(context.Context, image.Source) (image.Summary, error), done func(image.Summary, error)) {
	pool.Submit(a.jobs, ctx, e.ID, key, priority, func(ctx context.Context) (image.Summary, error) {
		c, err := a.source(e)
		if err != nil {
			return image.Summary{}, err
		}
		return work(ctx, c)
	}, done)
}

// Inspect reads a reference's manifest, config and referrers in the
// background.
func (a *App) Inspect(ctx context.Context, e settings.Entry, ref registry.Reference, done func(*image.Inspection, error)) {
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{Kind: "inspect", Name: ref.String()}, pool.PriorityUser, func(ctx context.Context) (*image.Inspection, error) {
		mark := &keptMark{}
		c, err := a.sourceMarking(e, mark)
		if err != nil {
			return nil, err
		}
		ref.Registry = c.Registry()
		in, err := image.InspectReference(ctx, c, ref, true)
		if in != nil {
			in.FromKept = mark.kept()
		}
		return in, err
	}, done)
}

// ReadFiles reads layers into tree in the background: all of an image's
// (first 0, a merged tree), or one (first its index, a raw tree).
// progress is called from the worker as batches arrive; done once.
func (a *App) ReadFiles(ctx context.Context, e settings.Entry, ref registry.Reference, layers []v1.Descriptor, first int, tree *imagefs.Tree, progress func(image.Progress), done func(error)) {
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{}, pool.PriorityUser, func(ctx context.Context) (struct{}, error) {
		src, err := a.source(e)
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, image.ReadLayers(ctx, src, ref, layers, first, tree, progress)
	}, func(_ struct{}, err error) { done(err) })
}

// FileContent writes the file at p of an image to w in the background, as
// ReadFile does.
func (a *App) FileContent(ctx context.Context, e settings.Entry, ref registry.Reference, layers []v1.Descriptor, tree *imagefs.Tree, p string, w image.Rewinder, done func(imagefs.Node, error)) {
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{}, pool.PriorityUser, func(ctx context.Context) (imagefs.Node, error) {
		src, err := a.source(e)
		if err != nil {
			return imagefs.Node{}, err
		}
		return image.ReadFile(ctx, src, ref, layers, tree, p, w)
	}, done)
}

// BlobContent runs ReadBlob in the background.
func (a *App) BlobContent(ctx context.Context, e settings.Entry, repo registry.Reference, desc v1.Descriptor, limit int64, w io.Writer, done func(whole bool, err error)) {
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{}, pool.PriorityUser, func(ctx context.Context) (bool, error) {
		src, err := a.source(e)
		if err != nil {
			return false, err
		}
		return image.ReadBlob(ctx, src, repo, desc, limit, w)
	}, done)
}
