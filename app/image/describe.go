package image

import (
	"context"
	"errors"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

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

// Describe reads a tag's manifest and, for the image it shows, the config.
func Describe(ctx context.Context, c Source, ref registry.Reference) (Summary, error) {
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
	// FromKept is set when some of it is this computer's copy, the registry
	// not answering.
	FromKept *FromKept
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

// DescribeRepository describes a repository for its card: its tags
// (counted a page at a time, never all held), and its newest tag's
// platforms, size and date.
func DescribeRepository(ctx context.Context, c Source, ref registry.Reference) (Summary, error) {
	var tags newestTag
	err := c.Tags(ctx, ref, func(p []string) error { tags.add(p); return nil })
	if err != nil && !(errors.Is(err, registry.ErrIncomplete) && tags.count > 0) {
		return Summary{}, err
	}
	if tags.count == 0 {
		return Summary{}, nil
	}
	ref.Tag = tags.tag()
	s, err := Describe(ctx, c, ref)
	s.Tags, s.Newest = tags.count, ref.Tag
	return s, err
}
