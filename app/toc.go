package app

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/containerd/stargz-snapshotter/estargz"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/klauspost/compress/zstd"

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

// listTOC lists a layer that carries its own table of contents (eStargz,
// zstd:chunked) from it, with a range request or two, not the body. The
// contents must hash to the digest the descriptor names. Files carry the
// content digests the contents give.
func listTOC(ctx context.Context, src Source, repo registry.Reference, i int, desc v1.Descriptor, read *atomic.Int64) ([]imagefs.Entry, error) {
	get := func(rng registry.BlobRange, limit int64, use func(io.Reader) error) error {
		blob, err := src.OpenBlob(ctx, repo, desc.Digest.String(), rng)
		if err != nil {
			return err
		}
		defer blob.Close()
		return use(&progressReader{r: io.LimitReader(blob, limit), n: read})
	}
	var (
		toc []*estargz.TOCEntry
		err error
	)
	switch {
	case desc.Annotations[estargzTOCDigest] != "":
		toc, err = estargzTOC(desc, get)
	case desc.Annotations[zstdChunkedChecksum] != "":
		toc, err = zstdChunkedTOC(desc, get)
	default:
		return nil, errNoTOC
	}
	if err != nil {
		return nil, err
	}
	return tocEntries(toc, i)
}

// rangeGetter reads a range of the layer, at most limit bytes of it.
type rangeGetter func(rng registry.BlobRange, limit int64, use func(io.Reader) error) error

// estargzTOC reads an eStargz layer's table of contents: its footer says
// where it is.
func estargzTOC(desc v1.Descriptor, get rangeGetter) ([]*estargz.TOCEntry, error) {
	want := desc.Annotations[estargzTOCDigest]
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
		return decodeTOC(js, &toc, want)
	})
	if err != nil {
		return nil, fmt.Errorf("eStargz table of contents: %w", err)
	}
	return toc.Entries, nil
}

// decodeTOC decodes a table of contents' JSON, at most maxTOCJSON bytes
// of it, and checks that it hashes to want (when want is not "").
func decodeTOC(js io.Reader, toc *estargz.JTOC, want string) error {
	h := sha256.New()
	limited := io.LimitReader(js, maxTOCJSON)
	if err := json.NewDecoder(io.TeeReader(limited, h)).Decode(toc); err != nil {
		return err
	}
	if _, err := io.Copy(h, limited); err != nil {
		return err
	}
	return checkDigest(h.Sum(nil), want)
}

func checkDigest(sum []byte, want string) error {
	if got := "sha256:" + hex.EncodeToString(sum); want != "" && got != want {
		return fmt.Errorf("%w: it hashes to %s, the layer names %s", registry.ErrDigestMismatch, got, want)
	}
	return nil
}

// The annotations of a zstd:chunked layer (containers/storage): the
// digest of its compressed table of contents ("manifest"), and where it is
// ("offset:length:uncompressed length:type").
const (
	zstdChunkedChecksum = "io.github.containers.zstd-chunked.manifest-checksum"
	zstdChunkedPosition = "io.github.containers.zstd-chunked.manifest-position"
)

// zstdChunkedFooter is the last skippable frame's data: the table of
// contents' offset, compressed and uncompressed length and type, the
// tar-split's three, and the magic "GNUlInUx".
const zstdChunkedFooter = 64

// zstdChunkedTOC reads a zstd:chunked layer's table of contents, found by
// its annotation or else by its footer, and checked against the checksum
// annotation: without that, nothing vouches for it and the layer is read.
func zstdChunkedTOC(desc v1.Descriptor, get rangeGetter) ([]*estargz.TOCEntry, error) {
	var at, length, typ int64
	if pos := desc.Annotations[zstdChunkedPosition]; pos != "" {
		var plain int64
		if n, err := fmt.Sscanf(pos, "%d:%d:%d:%d", &at, &length, &plain, &typ); n != 4 || err != nil {
			return nil, fmt.Errorf("zstd:chunked: a manifest position of %q", pos)
		}
	} else {
		footerAt := desc.Size - zstdChunkedFooter
		err := get(registry.BlobRange{Offset: max(footerAt, 0), Length: zstdChunkedFooter}, zstdChunkedFooter, func(r io.Reader) error {
			f, err := io.ReadAll(r)
			if err != nil {
				return err
			}
			if len(f) != zstdChunkedFooter || string(f[56:]) != "GNUlInUx" {
				return errors.New("no zstd:chunked footer")
			}
			at, length = int64(binary.LittleEndian.Uint64(f)), int64(binary.LittleEndian.Uint64(f[8:]))
			typ = int64(binary.LittleEndian.Uint64(f[24:]))
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("zstd:chunked footer: %w", err)
		}
	}
	if typ != 1 || at < 0 || length <= 0 || length > maxTOCBytes || at > desc.Size-length {
		return nil, fmt.Errorf("zstd:chunked: a manifest of type %d at %d, %d bytes, in a layer of %d", typ, at, length, desc.Size)
	}
	var toc estargz.JTOC
	err := get(registry.BlobRange{Offset: at, Length: length}, length, func(r io.Reader) error {
		compressed, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(compressed)
		if err := checkDigest(sum[:], desc.Annotations[zstdChunkedChecksum]); err != nil {
			return err
		}
		z, err := zstd.NewReader(bytes.NewReader(compressed), zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxTOCJSON))
		if err != nil {
			return err
		}
		defer z.Close()
		return decodeTOC(z, &toc, "")
	})
	if err != nil {
		return nil, fmt.Errorf("zstd:chunked table of contents: %w", err)
	}
	return toc.Entries, nil
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
