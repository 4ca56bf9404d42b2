package image

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/app/imagefs"
	"github.com/card-catalog/card-catalog/app/imagefs/zran"
	"github.com/card-catalog/card-catalog/registry"
)

// indexedFiles reads a file of a layer listed before without reading the
// layer: a Source that can (the kept one) says errNoIndexRead when it
// cannot for this file, and the layer is read from its start.
type indexedFiles interface {
	CopyFile(ctx context.Context, repo registry.Reference, i int, desc v1.Descriptor, p string, w Rewinder) (found bool, err error)
}

// errNoIndexRead: the file cannot be read by its offset; read the layer.
var errNoIndexRead = errors.New("no read by index")

var _ indexedFiles = (*KeptSource)(nil)

// CopyFile copies the file at p of layer i to w with one range request:
// from the checkpoint before the file (gzip; zstd, where frames start) or
// from its tar header (uncompressed), to the checkpoint after it. The tar
// header just before the file's bytes is checked against the listing
// before anything is written, and the bytes against the digest the
// listing recorded when the layer streamed whole (its digest checked):
// a range answered with other bytes of the blob, even a real header and
// an earlier copy of the same file, does not pass. Then w is rewound, a
// warning says so, and errNoIndexRead has the file read from the layer's
// start. A registry that answers the range with the whole blob is read
// from its start too (the engine skips to the range and logs it).
func (c *KeptSource) CopyFile(ctx context.Context, repo registry.Reference, i int, desc v1.Descriptor, p string, w Rewinder) (bool, error) {
	log := c.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	digest := desc.Digest.String()
	r, e, closeBlob, err := c.openAt(ctx, repo, i, desc, p)
	if err != nil {
		if !errors.Is(err, errNoIndexRead) {
			log.Debug("reading the layer from its start", "layer", digest, "path", p, "why", err.Error())
			err = fmt.Errorf("%w: %v", errNoIndexRead, err)
		}
		return false, err
	}
	defer closeBlob()
	tr := tar.NewReader(r)
	h, err := tr.Next()
	if err != nil || h.Size != e.Size || (imagefs.Clean(h.Name) != e.Path && len(e.Path) < 100) {
		why := fmt.Sprintf("the bytes at its offset are not its tar header (%v)", err)
		if err == nil {
			why = fmt.Sprintf("the bytes at its offset are the header of %q, %d bytes", h.Name, h.Size)
		}
		log.Debug("reading the layer from its start", "layer", digest, "path", p, "why", why)
		return false, fmt.Errorf("%w: %s", errNoIndexRead, why)
	}
	h256 := sha256.New()
	if _, err := io.CopyN(io.MultiWriter(w, h256), tr, e.Size); err != nil {
		return true, &LayerError{Index: i, Digest: digest, Err: err}
	}
	if got := "sha256:" + hex.EncodeToString(h256.Sum(nil)); got != e.Digest {
		if err := w.Rewind(); err != nil {
			return true, err
		}
		log.Warn(fmt.Sprintf("the registry answered the range of %s in layer %s with other bytes than the layer held when it was listed (%s, not %s); reading the layer from its start instead",
			p, ShortDigest(digest), ShortDigest(got), ShortDigest(e.Digest)))
		return false, fmt.Errorf("%w: the range's bytes hash to %s, the listing says %s", errNoIndexRead, got, e.Digest)
	}
	return true, nil
}

// openAt finds the file in the layer's kept listing and opens the range
// that holds it, positioned at its tar header.
func (c *KeptSource) openAt(ctx context.Context, repo registry.Reference, i int, desc v1.Descriptor, p string) (io.Reader, imagefs.Entry, func(), error) {
	digest := desc.Digest.String()
	kept, err := c.Listing(digest, i)
	if err != nil {
		return nil, imagefs.Entry{}, nil, fmt.Errorf("%w: no listing kept", errNoIndexRead)
	}
	var e imagefs.Entry
	found := false
	for _, x := range kept.Entries {
		if x.Path == p && x.Type == imagefs.File {
			e, found = x, true
			break
		}
	}
	const block = 512
	if !found || e.Offset < block || e.Digest == "" {
		return nil, e, nil, fmt.Errorf("%w: no offset and digest kept for %s", errNoIndexRead, p)
	}
	header := e.Offset - block
	comp, err := imagefs.CompressionOf(string(desc.MediaType))
	if err != nil {
		return nil, e, nil, err
	}
	var (
		rng    registry.BlobRange
		from   zran.Checkpoint
		resume bool  // from a checkpoint, else from the stream's start
		at     int64 // where in the tar the reader starts
	)
	switch comp {
	case imagefs.Uncompressed:
		rng = registry.BlobRange{Offset: header, Length: block + e.Size}
		at = header
	case imagefs.Gzip, imagefs.Zstd:
		index, err := c.Index(digest)
		if err != nil {
			return nil, e, nil, fmt.Errorf("%w: no checkpoints kept", errNoIndexRead)
		}
		from, resume = index.Before(header) // zstd: a frame's start, or the stream's
		rng.Offset, at = from.In, from.Out
		if end, ok := index.After(e.Offset + e.Size); ok {
			rng.Length = end.In - rng.Offset
			if comp == imagefs.Gzip {
				rng.Length++ // the byte that holds the next block's first bits
			}
		}
	default:
		return nil, e, nil, fmt.Errorf("%w: a %s layer is read from its start", errNoIndexRead, comp)
	}
	blob, err := c.OpenBlob(ctx, repo, digest, rng)
	if err != nil {
		return nil, e, nil, err
	}
	var (
		r        io.Reader = blob
		closeAll           = func() { blob.Close() }
	)
	switch {
	case comp == imagefs.Zstd:
		var z *zran.ZstdReader
		if z, err = zran.NewZstdReader(blob, 0, nil, imagefs.ZstdOptions...); err == nil {
			r, closeAll = z, func() { z.Close(); blob.Close() }
		}
	case comp == imagefs.Gzip && resume:
		r, err = zran.Resume(blob, from)
	case comp == imagefs.Gzip:
		r, err = zran.NewReader(blob, 0, nil)
	}
	if err != nil {
		blob.Close()
		return nil, e, nil, err
	}
	if _, err := io.CopyN(io.Discard, r, header-at); err != nil {
		closeAll()
		return nil, e, nil, err
	}
	return r, e, closeAll, nil
}
