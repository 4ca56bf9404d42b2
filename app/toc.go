package app

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/containerd/stargz-snapshotter/estargz"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/app/imagefs"
	"github.com/card-catalog/card-catalog/registry"
)

// estargzTOCDigest is the annotation an eStargz layer's descriptor carries:
// the digest of its table of contents (stargz.index.json).
const estargzTOCDigest = "containerd.io/snapshot/stargz/toc.digest"

// Bounds of a table of contents: what may be fetched, and what it may
// inflate to.
const (
	maxTOCBytes = 64 << 20
	maxTOCJSON  = 512 << 20
)

// errNoTOC: the layer carries no table of contents; it is read whole.
var errNoTOC = errors.New("no table of contents")

// listTOC lists an eStargz layer from its table of contents: the footer at
// the blob's end points at it, and two range requests fetch them, not the
// body. The contents must hash to the digest the descriptor names. Files
// carry the content digests the contents give.
func listTOC(ctx context.Context, src Source, repo registry.Reference, i int, desc v1.Descriptor, read *atomic.Int64) ([]imagefs.Entry, error) {
	want := desc.Annotations[estargzTOCDigest]
	if want == "" {
		return nil, errNoTOC
	}
	digest := desc.Digest.String()
	get := func(rng registry.BlobRange, limit int64, use func(io.Reader) error) error {
		blob, err := src.OpenBlob(ctx, repo, digest, rng)
		if err != nil {
			return err
		}
		defer blob.Close()
		return use(&progressReader{r: io.LimitReader(blob, limit), n: read})
	}
	gz := new(estargz.GzipDecompressor)
	footerAt := desc.Size - gz.FooterSize()
	if footerAt <= 0 {
		return nil, fmt.Errorf("%w: a layer of %d bytes has no eStargz footer", imagefs.ErrCorrupt, desc.Size)
	}
	var tocAt int64
	err := get(registry.BlobRange{Offset: footerAt, Length: gz.FooterSize()}, gz.FooterSize(), func(r io.Reader) error {
		footer, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		_, tocAt, _, err = gz.ParseFooter(footer)
		if err == nil && (tocAt < 0 || tocAt >= footerAt || footerAt-tocAt > maxTOCBytes) {
			err = fmt.Errorf("its footer puts the table of contents at byte %d", tocAt)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("eStargz footer: %w", err)
	}
	var toc estargz.JTOC
	err = get(registry.BlobRange{Offset: tocAt, Length: footerAt - tocAt}, footerAt-tocAt, func(r io.Reader) error {
		js, err := gz.DecompressTOC(r)
		if err != nil {
			return err
		}
		defer js.Close()
		h := sha256.New()
		limited := io.LimitReader(js, maxTOCJSON)
		if err := json.NewDecoder(io.TeeReader(limited, h)).Decode(&toc); err != nil {
			return err
		}
		if _, err := io.Copy(h, limited); err != nil {
			return err
		}
		if got := "sha256:" + hex.EncodeToString(h.Sum(nil)); got != want {
			return fmt.Errorf("%w: it hashes to %s, the layer names %s", registry.ErrDigestMismatch, got, want)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("eStargz table of contents: %w", err)
	}
	return tocEntries(toc.Entries, i)
}

// tocTypes are the tar types of a table of contents' entry types; "chunk"
// (the rest of a large file) is none.
var tocTypes = map[string]byte{"reg": tar.TypeReg, "dir": tar.TypeDir, "symlink": tar.TypeSymlink, "hardlink": tar.TypeLink,
	"char": tar.TypeChar, "block": tar.TypeBlock, "fifo": tar.TypeFifo}

// tocEntries makes a table of contents' entries into the ones a walk of
// the tar gives, whiteouts and all.
func tocEntries(toc []*estargz.TOCEntry, layer int) ([]imagefs.Entry, error) {
	limit := imagefs.Limits{}.MaxEntries()
	var out []imagefs.Entry
	for _, t := range toc {
		typ, ok := tocTypes[t.Type]
		if !ok {
			continue
		}
		if len(out) >= limit {
			return nil, fmt.Errorf("%w: stopped at %d entries", imagefs.ErrTooBig, len(out))
		}
		mod, _ := time.Parse(time.RFC3339, t.ModTime3339)
		e, ok, err := imagefs.EntryOf(&tar.Header{Name: t.Name, Typeflag: typ, Size: t.Size, Mode: t.Mode, Uid: t.UID, Gid: t.GID, Linkname: t.LinkName, ModTime: mod})
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if t.Size < 0 {
			return nil, fmt.Errorf("%w: %s has a size of %d", imagefs.ErrCorrupt, e.Path, t.Size)
		}
		e.Layer, e.Offset, e.Digest = layer, -1, t.Digest
		out = append(out, e)
	}
	return out, nil
}
