package app

import (
	"context"
	"io"
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"golang.org/x/sync/errgroup"

	"github.com/card-catalog/card-catalog/app/compare"
	"github.com/card-catalog/card-catalog/app/imagefs"
	"github.com/card-catalog/card-catalog/registry"
)

// DiffSide is one of two images compared.
type DiffSide struct {
	Src      Source
	Ref      registry.Reference
	Manifest *registry.Manifest
	Config   *v1.ConfigFile
	// Tree is the merged filesystem of the layers this image does not
	// share with the other (a partial tree), once DiffFiles has run.
	Tree *imagefs.Tree
}

// ImageDiff is what changed from image A (old) to image B (new).
type ImageDiff struct {
	A, B DiffSide
	// Same: one digest, one image.
	Same    bool
	Layers  compare.Layers
	Config  []compare.Field
	History []compare.Line
	Files   compare.Files
	// Read is how many bytes of layers DiffFiles read: those of the
	// layers the images do not share, and no other.
	Read int64
}

// Differs says whether anything differs (files only once read).
func (d *ImageDiff) Differs() bool {
	if d.Same {
		return false
	}
	for _, f := range d.Config {
		if f.Changed() {
			return true
		}
	}
	return len(d.Layers.Added) > 0 || len(d.Layers.Removed) > 0 || len(d.Files.Changes) > 0
}

// DiffHeads reads what two image references name (an index's image for
// platform, as ResolveImage picks) and compares their layers, configs and
// histories. The files wait for DiffFiles.
func DiffHeads(ctx context.Context, srcA Source, refA registry.Reference, srcB Source, refB registry.Reference, platform string) (*ImageDiff, error) {
	d := &ImageDiff{A: DiffSide{Src: srcA}, B: DiffSide{Src: srcB}}
	g, gctx := errgroup.WithContext(ctx)
	for _, s := range []struct {
		side *DiffSide
		ref  registry.Reference
	}{{&d.A, refA}, {&d.B, refB}} {
		g.Go(func() error {
			ref, m, err := ResolveImage(gctx, s.side.Src, s.ref, platform)
			if err != nil {
				return err
			}
			cfg, _, err := imageConfig(gctx, s.side.Src, ref, m)
			s.side.Ref, s.side.Manifest, s.side.Config = ref, m, cfg
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	d.Same = d.A.Manifest.Digest == d.B.Manifest.Digest
	d.Layers = compare.CompareLayers(d.A.Manifest.Layers(), d.B.Manifest.Layers())
	d.Config = compare.Config(d.A.Config, d.B.Config)
	d.History = compare.History(HistoryLines(d.A.Config), HistoryLines(d.B.Config))
	return d, nil
}

// DiffFiles reads the layers past the ones both images share, from both
// at once, hashing each file, and compares the two filesystems they make.
// A shared layer is never read.
func DiffFiles(ctx context.Context, d *ImageDiff, progress func(Progress)) error {
	if d.Same {
		return nil
	}
	var mu sync.Mutex
	parts := [2]Progress{}
	g, gctx := errgroup.WithContext(ctx)
	for i, s := range []*DiffSide{&d.A, &d.B} {
		s.Tree = imagefs.NewPartialTree()
		layers := s.Manifest.Layers()[d.Layers.Prefix:]
		g.Go(func() error {
			return readLayers(gctx, s.Src, s.Ref, layers, d.Layers.Prefix, s.Tree, true, func(p Progress) {
				mu.Lock()
				defer mu.Unlock()
				parts[i] = p
				if progress != nil {
					progress(sum(parts))
				}
			})
		})
	}
	err := g.Wait()
	d.Read = parts[0].Read + parts[1].Read
	if err != nil {
		return err
	}
	d.Files = compare.CompareFiles(d.A.Tree, d.B.Tree)
	return nil
}

func sum(ps [2]Progress) Progress {
	return Progress{
		Read: ps[0].Read + ps[1].Read, Size: ps[0].Size + ps[1].Size, Entries: ps[0].Entries + ps[1].Entries,
		Done: ps[0].Done + ps[1].Done, Layers: ps[0].Layers + ps[1].Layers, Elapsed: max(ps[0].Elapsed, ps[1].Elapsed),
		Kept: ps[0].Kept + ps[1].Kept, KeptBytes: ps[0].KeptBytes + ps[1].KeptBytes,
	}
}

// Compare reads two references' heads in the background (DiffHeads), on
// their registries' sources.
func (a *App) Compare(ctx context.Context, ea Entry, refA registry.Reference, eb Entry, refB registry.Reference, platform string, done func(*ImageDiff, error)) {
	Submit(a.pool, ctx, ea.ID, Key{}, PriorityUser, func(ctx context.Context) (*ImageDiff, error) {
		srcA, err := a.source(ea)
		if err != nil {
			return nil, err
		}
		srcB, err := a.source(eb)
		if err != nil {
			return nil, err
		}
		refA.Registry, refB.Registry = srcA.Registry(), srcB.Registry()
		return DiffHeads(ctx, srcA, refA, srcB, refB, platform)
	}, done)
}

// CompareFiles runs DiffFiles in the background.
func (a *App) CompareFiles(ctx context.Context, e Entry, d *ImageDiff, progress func(Progress), done func(error)) {
	Submit(a.pool, ctx, e.ID, Key{}, PriorityUser, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, DiffFiles(ctx, d, progress)
	}, func(_ struct{}, err error) { done(err) })
}

// SideContent writes the file at p of one compared image to w in the
// background.
func (a *App) SideContent(ctx context.Context, e Entry, s DiffSide, p string, w io.Writer, done func(imagefs.Node, error)) {
	Submit(a.pool, ctx, e.ID, Key{}, PriorityUser, func(ctx context.Context) (imagefs.Node, error) {
		return ReadFile(ctx, s.Src, s.Ref, s.Manifest.Layers(), s.Tree, p, w)
	}, done)
}

// Manifests reads two references' manifests in the background, to see
// whether they are indexes to compare platform by platform.
func (a *App) Manifests(ctx context.Context, ea Entry, refA registry.Reference, eb Entry, refB registry.Reference, done func([2]*registry.Manifest, error)) {
	Submit(a.pool, ctx, ea.ID, Key{}, PriorityUser, func(ctx context.Context) ([2]*registry.Manifest, error) {
		var out [2]*registry.Manifest
		for i, s := range []struct {
			e   Entry
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
