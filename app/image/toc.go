package image

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/containerd/stargz-snapshotter/estargz"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/card-catalog/card-catalog/app/imagefs"
	"github.com/card-catalog/card-catalog/registry"
)

// estargzTOCDigest is the annotation an eStargz layer's descriptor carries:
// the digest of its table of contents (stargz.index.json).
const estargzTOCDigest = "containerd.io/snapshot/stargz/toc.digest"

// Bounds of a table of contents: what may be fetched (and no more than
// the layer holds), and what its JSON may be: no longer than the entries a
// walk reads at tocEntryBytes each, checked against the length the layer
// gives before any of it is decoded.
const (
	maxTOCBytes   = 64 << 20
	tocEntryBytes = 256
)

// maxTOCJSON is the longest a table of contents' JSON may be (512 MiB).
var maxTOCJSON = int64(imagefs.Limits{}.MaxEntries()) * tocEntryBytes

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
		return use(&registry.Counting{ReadCloser: io.NopCloser(io.LimitReader(blob, limit)), N: read})
	}
	switch {
	case isEStargz(desc):
		entries, err := estargzTOC(desc, i, get)
		return slices.DeleteFunc(entries, isEStargzMarker), err
	case desc.Annotations[zstdChunkedChecksum] != "":
		return zstdChunkedTOC(desc, i, get)
	}
	return nil, errNoTOC
}

// rangeGetter reads a range of the layer, at most limit bytes of it.
type rangeGetter func(rng registry.BlobRange, limit int64, use func(io.Reader) error) error

// estargzTOC reads an eStargz layer's table of contents: its footer says
// where it is, and the tar header it is stored under how long.
func estargzTOC(desc v1.Descriptor, layer int, get rangeGetter) ([]imagefs.Entry, error) {
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
	var entries []imagefs.Entry
	err = get(registry.BlobRange{Offset: tocAt, Length: footerAt - tocAt}, footerAt-tocAt, func(r io.Reader) error {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return err
		}
		defer zr.Close()
		zr.Multistream(false)
		tr := tar.NewReader(zr)
		h, err := tr.Next()
		switch {
		case err != nil:
			return err
		case h.Name != estargz.TOCTarName:
			return fmt.Errorf("it is stored as %q, not %s", h.Name, estargz.TOCTarName)
		case h.Size > maxTOCJSON:
			return fmt.Errorf("%w: it is %d bytes of JSON, more than %d", imagefs.ErrTooBig, h.Size, maxTOCJSON)
		}
		entries, err = decodeTOC(tr, layer, desc.Annotations[estargzTOCDigest])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("eStargz table of contents: %w", err)
	}
	return entries, nil
}

// isEStargz tells whether a layer says it is eStargz.
func isEStargz(desc v1.Descriptor) bool { return desc.Annotations[estargzTOCDigest] != "" }

// isEStargzMarker tells whether an entry is one of the files an eStargz
// layer holds for the stargz snapshotter, not for the container: its table
// of contents, and the landmark that ends the files to prefetch (or says
// there are none). The listing leaves them out, from the table of contents
// or from the tar alike.
func isEStargzMarker(e imagefs.Entry) bool {
	if e.Type != imagefs.File {
		return false
	}
	switch e.Path {
	case "/" + estargz.TOCTarName, "/" + estargz.PrefetchLandmark, "/" + estargz.NoPrefetchLandmark:
		return true
	}
	return false
}

// decodeTOC reads a table of contents' JSON ({"entries": [...]}) a token
// at a time and its entries one at a time, each made at once into the
// entry a walk of the tar gives, and checks that all of it hashes to want
// (when want is not ""): what it holds is the listing, not the document
// (a table of contents of 200 MB took 3.3 GiB decoded whole).
func decodeTOC(js io.Reader, layer int, want string) ([]imagefs.Entry, error) {
	h := sha256.New()
	js = io.TeeReader(js, h)
	dec := newTOCDecoder(js)
	if err := dec.want('{'); err != nil {
		return nil, err
	}
	var entries []imagefs.Entry
	listed := false
	for dec.more() {
		key, err := dec.token()
		if err != nil {
			return nil, err
		}
		if name, _ := key.(string); !strings.EqualFold(name, "entries") {
			if err := dec.skip(); err != nil {
				return nil, err
			}
			continue
		}
		if listed {
			return nil, errors.New("it has two lists of entries")
		}
		listed = true
		if entries, err = dec.entries(layer); err != nil {
			return nil, err
		}
	}
	if err := dec.want('}'); err != nil {
		return nil, err
	}
	if _, err := io.Copy(io.Discard, js); err != nil { // the rest is hashed too
		return nil, err
	}
	return entries, checkDigest(h.Sum(nil), want)
}

// maxTOCValue bounds what one step of decoding a table of contents reads
// (an entry, a token): past it the decoding stops, rather than holding a
// value of a gigabyte whole. An entry's names are 4 KiB at most; its
// extended attributes have the rest.
const maxTOCValue = 1 << 20

// tocDecoder decodes a table of contents' JSON a step at a time, each step
// reading at most maxTOCValue bytes.
type tocDecoder struct {
	dec    *json.Decoder
	budget *budgetReader
}

func newTOCDecoder(r io.Reader) tocDecoder {
	b := &budgetReader{r: r}
	return tocDecoder{json.NewDecoder(b), b}
}

func (d tocDecoder) token() (json.Token, error) { d.budget.left = maxTOCValue; return d.dec.Token() }
func (d tocDecoder) decode(v any) error         { d.budget.left = maxTOCValue; return d.dec.Decode(v) }
func (d tocDecoder) more() bool                 { d.budget.left = maxTOCValue; return d.dec.More() }

func (d tocDecoder) want(delim json.Delim) error {
	tok, err := d.token()
	if err == nil && tok != delim {
		err = fmt.Errorf("expected %v, found %v", delim, tok)
	}
	return err
}

// skip reads past one value, a token at a time.
func (d tocDecoder) skip() error {
	depth := 0
	for {
		tok, err := d.token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// entries reads the list of entries (or null), an entry at a time.
func (d tocDecoder) entries(layer int) ([]imagefs.Entry, error) {
	tok, err := d.token()
	if err != nil || tok == nil {
		return nil, err
	}
	if tok != json.Delim('[') {
		return nil, fmt.Errorf("its entries are %v, not a list", tok)
	}
	limit := imagefs.Limits{}.MaxEntries()
	var out []imagefs.Entry
	for d.more() {
		var t tocEntry
		if err := d.decode(&t); err != nil {
			return nil, err
		}
		e, ok, err := t.entry(layer)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if len(out) >= limit {
			return nil, fmt.Errorf("%w: stopped at %d entries", imagefs.ErrTooBig, len(out))
		}
		out = append(out, e)
	}
	return out, d.want(']')
}

// budgetReader reads until its budget is spent.
type budgetReader struct {
	r    io.Reader
	left int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, fmt.Errorf("%w: a value of its table of contents is longer than %d bytes", imagefs.ErrTooBig, maxTOCValue)
	}
	n, err := b.r.Read(p[:min(len(p), int(b.left))])
	b.left -= int64(n)
	return n, err
}

func checkDigest(sum []byte, want string) error {
	if got := "sha256:" + hex.EncodeToString(sum); want != "" && got != want {
		return fmt.Errorf("%w: it hashes to %s, the layer names %s", registry.ErrDigestMismatch, got, want)
	}
	return nil
}

// tocEntry is what a listing takes of an entry of a table of contents
// (eStargz's and zstd:chunked's are alike); the rest is read past.
type tocEntry struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Size     int64  `json:"size"`
	ModTime  string `json:"modtime"`
	LinkName string `json:"linkName"`
	Mode     int64  `json:"mode"`
	UID      int    `json:"uid"`
	GID      int    `json:"gid"`
	Digest   string `json:"digest"`
}

// tocTypes are the tar types of a table of contents' entry types; "chunk"
// (the rest of a large file) is none.
var tocTypes = map[string]byte{"reg": tar.TypeReg, "dir": tar.TypeDir, "symlink": tar.TypeSymlink, "hardlink": tar.TypeLink,
	"char": tar.TypeChar, "block": tar.TypeBlock, "fifo": tar.TypeFifo}

// entry is the entry a walk of the tar gives for t, whiteouts and all; ok
// is false for what is none (a chunk).
func (t *tocEntry) entry(layer int) (imagefs.Entry, bool, error) {
	typ, ok := tocTypes[t.Type]
	if !ok {
		return imagefs.Entry{}, false, nil
	}
	mod, _ := time.Parse(time.RFC3339, t.ModTime)
	e, ok, err := imagefs.EntryOf(&tar.Header{Name: t.Name, Typeflag: typ, Size: t.Size, Mode: t.Mode, Uid: t.UID, Gid: t.GID, Linkname: t.LinkName, ModTime: mod})
	if err != nil || !ok {
		return e, false, err
	}
	if t.Size < 0 {
		return e, false, fmt.Errorf("%w: %s has a size of %d", imagefs.ErrCorrupt, e.Path, t.Size)
	}
	e.Layer, e.Offset, e.Digest = layer, -1, t.Digest
	return e, true, nil
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
// It is decoded as it arrives, and believed once all of it hashes right.
func zstdChunkedTOC(desc v1.Descriptor, layer int, get rangeGetter) ([]imagefs.Entry, error) {
	var at, length, plain, typ int64
	if pos := desc.Annotations[zstdChunkedPosition]; pos != "" {
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
			plain, typ = int64(binary.LittleEndian.Uint64(f[16:])), int64(binary.LittleEndian.Uint64(f[24:]))
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("zstd:chunked footer: %w", err)
		}
	}
	if typ != 1 || at < 0 || length <= 0 || length > maxTOCBytes || at > desc.Size-length {
		return nil, fmt.Errorf("zstd:chunked: a manifest of type %d at %d, %d bytes, in a layer of %d", typ, at, length, desc.Size)
	}
	if plain <= 0 || plain > maxTOCJSON {
		return nil, fmt.Errorf("zstd:chunked: %w: a manifest of %d bytes of JSON (at most %d)", imagefs.ErrTooBig, plain, maxTOCJSON)
	}
	var entries []imagefs.Entry
	err := get(registry.BlobRange{Offset: at, Length: length}, length, func(r io.Reader) error {
		sum := sha256.New()
		compressed := io.TeeReader(r, sum)
		// One goroutine and a bounded window, as a layer's; not low
		// memory, which is slower by a tenth here and saves little.
		z, err := zstd.NewReader(compressed, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(64<<20))
		if err != nil {
			return err
		}
		defer z.Close()
		// No longer than it says: past that, the JSON ends early.
		if entries, err = decodeTOC(io.LimitReader(z, plain), layer, ""); err != nil {
			return err
		}
		if _, err := io.Copy(io.Discard, compressed); err != nil {
			return err
		}
		return checkDigest(sum.Sum(nil), desc.Annotations[zstdChunkedChecksum])
	})
	if err != nil {
		return nil, fmt.Errorf("zstd:chunked table of contents: %w", err)
	}
	return entries, nil
}
