package image

import (
	"context"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/registry"
)

// Source is everything the app reads from a registry: the seam where a disk
// cache, or a registry's own API for listings, stands in for the registry
// (as regclient's scheme interface lets its disk layout stand in for one).
// The engine's *registry.Client is a Source, and CachedSource is one that
// reads through the disk cache; the app keeps the client itself only for
// what is not content: its tokens, connections and rate limit.
type Source interface {
	// Registry says which registry this is.
	Registry() registry.Registry
	// Ping says whether the registry answers and lets us in.
	Ping(ctx context.Context) error
	// Catalog lists the repositories, a page at a time.
	Catalog(ctx context.Context, fn func(page []string) error) error
	// Tags lists a repository's tags, a page at a time.
	Tags(ctx context.Context, repo registry.Reference, fn func(page []string) error) error
	// Manifest reads what a reference points at, checked against its digest.
	Manifest(ctx context.Context, ref registry.Reference) (*registry.Manifest, error)
	// Config reads an image's config blob.
	Config(ctx context.Context, repo registry.Reference, desc v1.Descriptor) (*v1.ConfigFile, []byte, error)
	// Referrers lists what refers to a manifest (signatures, SBOMs).
	Referrers(ctx context.Context, repo registry.Reference, digest string) ([]v1.Descriptor, error)
	// OpenBlob streams a blob, or a range of it.
	OpenBlob(ctx context.Context, repo registry.Reference, digest string, r registry.BlobRange) (*registry.BlobReader, error)
}

var _ Source = (*registry.Client)(nil)
