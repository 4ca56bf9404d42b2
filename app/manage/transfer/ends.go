// Package transfer copies an image or a whole index (every manifest under
// it), with its referrers on request, from a source to a target: from one
// registry to another, or between a registry and an archive (package
// archive provides those ends). A copy is planned first (what each blob
// and manifest will take: nothing, a mount, or bytes sent) and run by an
// explicit call.
//
// Blobs the target has are skipped (HEAD), blobs of the same registry are
// mounted across repositories, the rest are streamed from source to
// target without touching the disk, their digests checked as they go.
// Manifests go children first, then the index, by digest, and the tag
// last: a copy that stops halfway leaves the tag where it was, and run
// again sends nothing that arrived. The source is only read.
package transfer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/card-catalog/card-catalog/registry"
)

// Source is what a copy reads: a registry's repository (FromRegistry) or
// an archive. It is never written to.
type Source interface {
	// Root is the manifest the copy starts from.
	Root(ctx context.Context) (*registry.Manifest, error)
	// Manifest reads a manifest by digest, checked against it.
	Manifest(ctx context.Context, digest string) (*registry.Manifest, error)
	// OpenBlob streams a blob; the stream fails at its end when the bytes
	// do not hash to the digest.
	OpenBlob(ctx context.Context, desc v1.Descriptor) (io.ReadCloser, error)
	// Referrers lists the manifests that refer to digest.
	Referrers(ctx context.Context, digest string) ([]v1.Descriptor, error)
	// Tagged reads the manifest under a tag (cosign's sha256-<hex>.sig);
	// registry.ErrNotFound when there is none.
	Tagged(ctx context.Context, tag string) (*registry.Manifest, error)
	// Location is the registry and repository of a registry source, for
	// mounts; ok is false for an archive.
	Location() (repo registry.Reference, ok bool)
	String() string
}

// Target is where a copy writes: a registry's repository (ToRegistry) or
// an archive.
type Target interface {
	// HasBlob reports whether the target holds the blob already.
	HasBlob(ctx context.Context, desc v1.Descriptor) (bool, error)
	// PushBlob writes a blob from open's stream, or mounts it from
	// mountFrom (a repository of the same registry; "" for none).
	PushBlob(ctx context.Context, desc v1.Descriptor, open func() (io.ReadCloser, error), mountFrom string) (registry.BlobPush, error)
	// HasManifest reports whether the target holds the manifest already.
	HasManifest(ctx context.Context, digest string) (bool, error)
	// PutManifest writes m by digest, or under tag when tag is not "".
	PutManifest(ctx context.Context, m *registry.Manifest, tag string) error
	// Tag is the tag the copy ends with ("" for none), and what it points
	// at now ("" when it is new).
	Tag(ctx context.Context) (tag, current string, err error)
	// FindReferrers makes the referrers copied (manifests already
	// pushed) findable from their subject: a registry with the referrers
	// API finds them itself; one without gets the sha256-<hex> tag whose
	// index lists them, merged with what it lists already.
	FindReferrers(ctx context.Context, subject string, referrers []v1.Descriptor) error
	// Location is the registry and repository of a registry target, for
	// mounts; ok is false for an archive.
	Location() (repo registry.Reference, ok bool)
	// Finish completes the target once everything is in (an archive's
	// index); a registry has nothing to do.
	Finish(ctx context.Context, root *registry.Manifest) error
	String() string
}

// FromRegistry reads ref (a tag or a digest) and what it names through c.
func FromRegistry(c *registry.Client, ref registry.Reference) Source {
	return &registrySource{c: c, ref: ref}
}

type registrySource struct {
	c   *registry.Client
	ref registry.Reference
}

func (s *registrySource) repo() registry.Reference {
	r := s.ref
	r.Tag, r.Digest = "", ""
	return r
}

func (s *registrySource) Root(ctx context.Context) (*registry.Manifest, error) {
	return s.c.Manifest(ctx, s.ref)
}

func (s *registrySource) Manifest(ctx context.Context, digest string) (*registry.Manifest, error) {
	r := s.repo()
	r.Digest = digest
	return s.c.Manifest(ctx, r)
}

func (s *registrySource) OpenBlob(ctx context.Context, desc v1.Descriptor) (io.ReadCloser, error) {
	return s.c.OpenBlob(ctx, s.repo(), desc.Digest.String(), registry.BlobRange{})
}

func (s *registrySource) Referrers(ctx context.Context, digest string) ([]v1.Descriptor, error) {
	return s.c.Referrers(ctx, s.repo(), digest)
}

func (s *registrySource) Tagged(ctx context.Context, tag string) (*registry.Manifest, error) {
	r := s.repo()
	r.Tag = tag
	return s.c.Manifest(ctx, r)
}

func (s *registrySource) Location() (registry.Reference, bool) { return s.repo(), true }
func (s *registrySource) String() string                       { return s.ref.String() }

// ToRegistry writes into ref's repository through c, and moves ref's tag
// (when it names one) last.
func ToRegistry(c *registry.Client, ref registry.Reference, o registry.PushOptions) Target {
	return &registryTarget{c: c, ref: ref, push: o}
}

type registryTarget struct {
	c    *registry.Client
	ref  registry.Reference
	push registry.PushOptions
}

func (t *registryTarget) repo() registry.Reference {
	r := t.ref
	r.Tag, r.Digest = "", ""
	return r
}

func (t *registryTarget) HasBlob(ctx context.Context, desc v1.Descriptor) (bool, error) {
	size, ok, err := t.c.HeadBlob(ctx, t.repo(), desc.Digest.String())
	// A blob of another size under the digest is not the blob.
	return ok && (size < 0 || size == desc.Size), err
}

func (t *registryTarget) PushBlob(ctx context.Context, desc v1.Descriptor, open func() (io.ReadCloser, error), mountFrom string) (registry.BlobPush, error) {
	o := t.push
	o.MountFrom = mountFrom
	return t.c.PushBlob(ctx, t.repo(), desc.Digest.String(), desc.Size, open, o)
}

func (t *registryTarget) HasManifest(ctx context.Context, digest string) (bool, error) {
	r := t.repo()
	r.Digest = digest
	_, err := t.c.Head(ctx, r)
	if errors.Is(err, registry.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

func (t *registryTarget) PutManifest(ctx context.Context, m *registry.Manifest, tag string) error {
	r := t.repo()
	if tag != "" {
		r.Tag = tag
	} else {
		r.Digest = m.Digest
	}
	_, err := t.c.PutManifest(ctx, r, m.Raw, m.MediaType)
	return err
}

func (t *registryTarget) Tag(ctx context.Context) (string, string, error) {
	if t.ref.Tag == "" {
		return "", "", nil
	}
	desc, err := t.c.Head(ctx, t.ref)
	switch {
	case errors.Is(err, registry.ErrNotFound):
		return t.ref.Tag, "", nil
	case err != nil:
		return t.ref.Tag, "", fmt.Errorf("what %s points at now: %w", t.ref, err)
	}
	return t.ref.Tag, desc.Digest.String(), nil
}

func (t *registryTarget) FindReferrers(ctx context.Context, subject string, referrers []v1.Descriptor) error {
	found, err := t.c.Referrers(ctx, t.repo(), subject)
	if err != nil {
		return err
	}
	listed := map[v1.Hash]bool{}
	for _, d := range found {
		listed[d.Digest] = true
	}
	missing := false
	for _, d := range referrers {
		missing = missing || !listed[d.Digest]
	}
	if !missing {
		return nil
	}
	idx := v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex, Manifests: found}
	for _, d := range referrers {
		if !listed[d.Digest] {
			idx.Manifests = append(idx.Manifests, d)
		}
	}
	raw, err := json.Marshal(idx)
	if err != nil {
		return err
	}
	tag := t.repo()
	tag.Tag = strings.Replace(subject, ":", "-", 1)
	_, err = t.c.PutManifest(ctx, tag, raw, string(types.OCIImageIndex))
	return err
}

func (t *registryTarget) Location() (registry.Reference, bool)             { return t.repo(), true }
func (t *registryTarget) Finish(context.Context, *registry.Manifest) error { return nil }
func (t *registryTarget) String() string                                   { return t.ref.String() }
