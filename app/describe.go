package app

import (
	"context"
	"errors"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
)

// Summary is what a card or a tag row shows of a reference.
type Summary struct {
	// Tags and Newest are set for a repository's card.
	Tags   int
	Newest string
	// Digest and MediaType of the tag shown.
	Digest, MediaType string
	// Platforms are "linux/amd64", "linux/arm64/v8", ...
	Platforms []string
	// Size is the compressed size of the image shown (linux/amd64 in an
	// index, when it has one).
	Size int64
	// Updated is the image config's creation time, when it has one.
	Updated time.Time
	// Artifact is set for an OCI artifact.
	Artifact string
}

// CardSummary describes a repository for its card in the background: its
// tags, and its newest tag's platforms, size and date.
func (a *App) CardSummary(ctx context.Context, e settings.Entry, repository string, priority int, done func(Summary, error)) {
	a.run(ctx, e, pool.Key{Kind: "card", Name: repository}, priority, func(ctx context.Context, c Source) (Summary, error) {
		ref := registry.Reference{Registry: c.Registry(), Repository: repository}
		var tags newestTag
		err := c.Tags(ctx, ref, func(p []string) error { tags.add(p); return nil })
		if err != nil && !(errors.Is(err, registry.ErrIncomplete) && tags.count > 0) {
			return Summary{}, err
		}
		if tags.count == 0 {
			return Summary{}, nil
		}
		ref.Tag = tags.tag()
		s, err := describe(ctx, c, ref)
		s.Tags, s.Newest = tags.count, ref.Tag
		return s, err
	}, done)
}

// TagSummary describes one tag for its row in the background.
func (a *App) TagSummary(ctx context.Context, e settings.Entry, ref registry.Reference, priority int, done func(Summary, error)) {
	a.run(ctx, e, pool.Key{Kind: "tag", Name: ref.String()}, priority, func(ctx context.Context, c Source) (Summary, error) {
		ref.Registry = c.Registry()
		return describe(ctx, c, ref)
	}, done)
}

// run is Submit for work that reads e's registry and gives a Summary.
func (a *App) run(ctx context.Context, e settings.Entry, key pool.Key, priority int, work func(context.Context, Source) (Summary, error), done func(Summary, error)) {
	pool.Submit(a.jobs, ctx, e.ID, key, priority, func(ctx context.Context) (Summary, error) {
		c, err := a.source(e)
		if err != nil {
			return Summary{}, err
		}
		return work(ctx, c)
	}, done)
}

// describe reads a tag's manifest and, for the image it shows, the config.
func describe(ctx context.Context, c Source, ref registry.Reference) (Summary, error) {
	m, err := c.Manifest(ctx, ref)
	if err != nil {
		return Summary{}, err
	}
	s := Summary{Digest: m.Digest, MediaType: m.MediaType, Artifact: m.ArtifactType()}
	img := m
	if m.IsIndex() {
		child := pickPlatform(m.Children())
		for _, d := range m.Children() {
			if d.Platform != nil && d.Platform.OS != "unknown" {
				s.Platforms = append(s.Platforms, registry.PlatformString(d.Platform))
			}
		}
		if child == nil {
			return s, nil
		}
		cref := ref
		cref.Tag, cref.Digest = "", child.Digest.String()
		if img, err = c.Manifest(ctx, cref); err != nil {
			return s, err
		}
	}
	s.Size = registry.TotalSize(img.Layers())
	cfg, _, err := imageConfig(ctx, c, ref, img)
	if err != nil || cfg == nil {
		return s, err
	}
	if !m.IsIndex() {
		s.Platforms = []string{registry.PlatformString(&v1.Platform{OS: cfg.OS, Architecture: cfg.Architecture, Variant: cfg.Variant})}
	}
	s.Updated = cfg.Created.Time
	return s, nil
}

// imageConfig reads the config of image m: its config blob, or a schema 1
// manifest's newest history entry; nil for an index or an artifact.
func imageConfig(ctx context.Context, c Source, ref registry.Reference, m *registry.Manifest) (*v1.ConfigFile, []byte, error) {
	if desc, ok := m.ConfigDescriptor(); ok {
		return c.Config(ctx, ref, desc)
	}
	if m.Schema1 != nil {
		if cfg, raw, err := m.Schema1.Config(); err == nil {
			return cfg, raw, nil
		}
		// A legacy image whose history cannot be read shows without it.
	}
	return nil, nil, nil
}

// pickPlatform chooses the image an index is summarised by: linux/amd64,
// else the first real platform.
func pickPlatform(ds []v1.Descriptor) *v1.Descriptor {
	var first *v1.Descriptor
	for i, d := range ds {
		if d.Platform == nil || d.Platform.OS == "unknown" {
			continue
		}
		if d.Platform.OS == "linux" && d.Platform.Architecture == "amd64" {
			return &ds[i]
		}
		if first == nil {
			first = &ds[i]
		}
	}
	return first
}

// Inspection is everything the detail view shows of a reference.
type Inspection struct {
	Manifest *registry.Manifest
	// Config and ConfigRaw are set for an image.
	Config    *v1.ConfigFile
	ConfigRaw []byte
	// Referrers point at this manifest (signatures, SBOMs, attestations).
	Referrers []v1.Descriptor
	// ReferrersErr says why they could not be listed, if so.
	ReferrersErr error
	// Stale is set when some of it is this computer's copy, the registry
	// not answering.
	Stale *Stale
}

// Inspect reads a reference's manifest, config and referrers in the
// background.
func (a *App) Inspect(ctx context.Context, e settings.Entry, ref registry.Reference, done func(*Inspection, error)) {
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{Kind: "inspect", Name: ref.String()}, pool.PriorityUser, func(ctx context.Context) (*Inspection, error) {
		mark := &staleMark{}
		c, err := a.sourceMarking(e, mark)
		if err != nil {
			return nil, err
		}
		ref.Registry = c.Registry()
		in, err := InspectReference(ctx, c, ref, true)
		if in != nil {
			in.Stale = mark.stale()
		}
		return in, err
	}, done)
}

// InspectReference reads what the window's tag page and the headless
// inspect show of ref: its manifest, an image's config and, when
// referrers, what refers to it. It is the one inspection path of both.
func InspectReference(ctx context.Context, c Source, ref registry.Reference, referrers bool) (*Inspection, error) {
	m, err := c.Manifest(ctx, ref)
	if err != nil {
		return nil, err
	}
	in := &Inspection{Manifest: m}
	if in.Config, in.ConfigRaw, err = imageConfig(ctx, c, ref, m); err != nil {
		return nil, err
	}
	if referrers {
		in.Referrers, in.ReferrersErr = c.Referrers(ctx, ref, m.Digest)
		if errors.Is(in.ReferrersErr, context.Canceled) {
			return nil, in.ReferrersErr
		}
	}
	return in, nil
}
