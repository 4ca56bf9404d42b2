package image

import (
	"context"
	"fmt"
	"strings"
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"golang.org/x/sync/errgroup"

	"github.com/card-catalog/card-catalog/app/compare"
	"github.com/card-catalog/card-catalog/app/humane"
	"github.com/card-catalog/card-catalog/app/imagefs"
	"github.com/card-catalog/card-catalog/registry"
)

// DiffSide is one of two images compared.
type DiffSide struct {
	Src      Source
	Ref      registry.Reference
	Manifest *registry.Manifest
	Config   *v1.ConfigFile
	// Tree is the image's merged filesystem once DiffFiles has run: the
	// whole of it when the shared layers were needed, else that of the
	// layers this image does not share with the other (a partial tree).
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
	// Read is how many bytes of layers DiffFiles listed of the layers the
	// images do not share (a layer listed before is counted, though its
	// kept listing answers).
	Read int64
	// SharedListed says that the shared layers' listings were needed to
	// settle what changed (a path one image writes or deletes and the
	// other leaves as the shared layers have it), and SharedRead how many
	// of their bytes that listed, counted as Read is. Their file bodies
	// are hashed as they pass, never kept.
	SharedListed bool
	SharedRead   int64
}

// DiffCost says what reading the files cost, in words for the terminal
// and the window: "read 2.1 MB of the 2 layers not shared, none of the 3
// shared".
func DiffCost(d *ImageDiff) string {
	notShared := len(d.Layers.Added) + len(d.Layers.Removed)
	cost := fmt.Sprintf("read %s of the %s not shared", humane.Size(d.Read), humane.Plural(notShared, "layer", "layers"))
	shared := d.Layers.Prefix
	switch {
	case shared == 0:
		return cost
	case !d.SharedListed:
		return cost + fmt.Sprintf(", none of the %d shared", shared)
	}
	return cost + fmt.Sprintf("; and %s of the %s, listed to settle what one image changes and the other leaves as they have it (headers and hashes, kept for the next time)", humane.Size(d.SharedRead), humane.Plural(shared, "shared layer", "shared layers"))
}

// ChangedWords says what changed by kind: "397 files, 8 directories and
// 1 symlink changed"; "nothing changed".
func ChangedWords(k compare.Kinds) string {
	var parts []string
	for _, c := range []struct {
		n         int
		one, many string
	}{{k.Files, "file", "files"}, {k.Dirs, "directory", "directories"}, {k.Symlinks, "symlink", "symlinks"}, {k.Other, "other entry", "other entries"}} {
		if c.n > 0 {
			parts = append(parts, humane.Plural(c.n, c.one, c.many))
		}
	}
	switch len(parts) {
	case 0:
		return "nothing changed"
	case 1:
		return parts[0] + " changed"
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1] + " changed"
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
// When that cannot settle it (Partial), the shared layers are listed too,
// once for both, from their kept listings when there are some, and the
// two whole merged filesystems are compared.
func DiffFiles(ctx context.Context, d *ImageDiff, progress func(Progress)) error {
	if d.Same {
		return nil
	}
	var mu sync.Mutex
	parts := [3]Progress{} // A's own layers, B's, the shared ones
	report := func(i int) func(Progress) {
		return func(p Progress) {
			mu.Lock()
			defer mu.Unlock()
			parts[i] = p
			if progress != nil {
				progress(sum(parts[:]))
			}
		}
	}
	sides := [2]*DiffSide{&d.A, &d.B}
	own := [2]layerRecord{{}, {}}
	g, gctx := errgroup.WithContext(ctx)
	for i, s := range sides {
		s.Tree = imagefs.NewPartialTree()
		layers := s.Manifest.Layers()[d.Layers.Prefix:]
		g.Go(func() error {
			return ReadLayers(gctx, s.Src, s.Ref, layers, d.Layers.Prefix, sinks{s.Tree, own[i]}, report(i))
		})
	}
	err := g.Wait()
	d.Read = parts[0].Read + parts[1].Read
	if err != nil {
		return err
	}
	var exact bool
	if d.Files, exact = compare.Partial(d.A.Tree, d.B.Tree); exact {
		return nil
	}
	whole := [2]*imagefs.Tree{imagefs.NewTree(false), imagefs.NewTree(false)}
	shared := d.A.Manifest.Layers()[:d.Layers.Prefix]
	d.SharedListed = true
	err = ReadLayers(ctx, d.A.Src, d.A.Ref, shared, 0, sinks{whole[0], whole[1]}, report(2))
	d.SharedRead = parts[2].Read
	if err != nil {
		return err
	}
	for i, s := range sides {
		own[i].replay(whole[i])
		s.Tree = whole[i]
	}
	d.Files = compare.Merged(d.A.Tree, d.B.Tree)
	return nil
}

func sum(ps []Progress) Progress {
	var t Progress
	for _, p := range ps {
		t.Read, t.Size, t.Entries = t.Read+p.Read, t.Size+p.Size, t.Entries+p.Entries
		t.Done, t.Layers, t.Elapsed = t.Done+p.Done, t.Layers+p.Layers, max(t.Elapsed, p.Elapsed)
		t.Kept, t.KeptBytes = t.Kept+p.Kept, t.KeptBytes+p.KeptBytes
		t.Unterminated = append(t.Unterminated, p.Unterminated...)
	}
	return t
}
