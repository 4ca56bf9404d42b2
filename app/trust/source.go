package trust

import (
	"context"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/registry"
)

// Source is what trust reads from a registry: manifests (by digest or by
// tag, cosign's tags included), the referrers of a digest, and blobs.
// *registry.Client and *app.CachedSource satisfy it.
type Source interface {
	Manifest(ctx context.Context, ref registry.Reference) (*registry.Manifest, error)
	Referrers(ctx context.Context, repo registry.Reference, digest string) ([]v1.Descriptor, error)
	OpenBlob(ctx context.Context, repo registry.Reference, digest string, r registry.BlobRange) (*registry.BlobReader, error)
}

var _ Source = (*registry.Client)(nil)
