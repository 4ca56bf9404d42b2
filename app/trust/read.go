package trust

import (
	"context"
	"errors"
	"fmt"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/registry"
)

// Bounds on what is read for a verdict: a registry decides these sizes, and
// none of them may make the program hold unbounded memory.
const (
	// maxSignatureBytes bounds a simple-signing payload, a bundle or a
	// DSSE envelope: provenance with many materials runs to a few MB.
	maxSignatureBytes = 16 << 20
	// maxAttachments bounds the referrers and tags looked at for one
	// image, maxLayers the layers of one attachment (each a signature).
	maxAttachments = 256
	maxLayers      = 64
)

// ErrTooLarge says that a blob is over the bound for what it is.
var ErrTooLarge = errors.New("too large to verify")

var _ smallBlobs = (*registry.Client)(nil)

// smallBlobs is a Source that reads small blobs whole and may keep them
// (registry.Client; app.CachedSource, which keeps them for offline use).
type smallBlobs interface {
	Blob(ctx context.Context, repo registry.Reference, digest string, limit int64, what string) ([]byte, error)
}

// readBlob reads desc's blob from repo whole, under limit. A descriptor
// that announces more is refused before anything is read; a blob that
// sends more than it announced is cut off at the bound. The digest is
// checked when the stream ends (registry.BlobReader).
func readBlob(ctx context.Context, src Source, repo registry.Reference, desc v1.Descriptor, limit int64) ([]byte, error) {
	if desc.Size > limit {
		return nil, fmt.Errorf("%w: %s is %d bytes, over the %d read for it", ErrTooLarge, desc.Digest, desc.Size, limit)
	}
	var b []byte
	var err error
	if sb, ok := src.(smallBlobs); ok {
		b, err = sb.Blob(ctx, repo, desc.Digest.String(), limit, "blob "+repo.Repository+"@"+desc.Digest.String())
		if err != nil {
			return nil, err
		}
	} else {
		r, err := src.OpenBlob(ctx, repo, desc.Digest.String(), registry.BlobRange{})
		if err != nil {
			return nil, err
		}
		defer r.Close()
		if b, err = io.ReadAll(io.LimitReader(r, limit+1)); err != nil {
			return nil, err
		}
		if int64(len(b)) > limit {
			return nil, fmt.Errorf("%w: %s sends more than %d bytes", ErrTooLarge, desc.Digest, limit)
		}
	}
	if desc.Size > 0 && int64(len(b)) != desc.Size {
		return nil, fmt.Errorf("%w: %s is %d bytes, its descriptor says %d", registry.ErrMalformed, desc.Digest, len(b), desc.Size)
	}
	return b, nil
}
