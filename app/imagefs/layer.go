package imagefs

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/card-catalog/card-catalog/app/imagefs/zran"
)

var (
	// ErrNotALayer: the media type is not a filesystem layer this reads.
	ErrNotALayer = errors.New("not a filesystem layer")
	// ErrCorrupt: the stream is not the tar (or compressed tar) it should be.
	ErrCorrupt = errors.New("the layer is corrupt")
	// ErrTooBig: the layer claims or inflates to more than it can hold.
	ErrTooBig = errors.New("the layer is too big to read")
)

// Compression is how a layer's tar is stored.
type Compression uint8

const (
	Uncompressed Compression = iota
	Gzip
	Zstd
)

func (c Compression) String() string { return [...]string{"uncompressed", "gzip", "zstd"}[c] }

// CompressionOf says how a layer of mediaType is stored, or ErrNotALayer.
// An empty media type (a schema 1 layer) is gzip.
func CompressionOf(mediaType string) (Compression, error) {
	switch mediaType {
	case "application/vnd.oci.image.layer.v1.tar",
		"application/vnd.oci.image.layer.nondistributable.v1.tar",
		"application/vnd.docker.image.rootfs.diff.tar":
		return Uncompressed, nil
	case "", "application/vnd.oci.image.layer.v1.tar+gzip",
		"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
		"application/vnd.docker.image.rootfs.diff.tar.gzip",
		"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip":
		return Gzip, nil
	case "application/vnd.oci.image.layer.v1.tar+zstd",
		"application/vnd.oci.image.layer.nondistributable.v1.tar+zstd":
		return Zstd, nil
	}
	return 0, fmt.Errorf("%w: its media type is %q", ErrNotALayer, mediaType)
}

// Foreign says whether a layer of mediaType may live outside the registry
// (Windows base layers, non-distributable OCI layers).
func Foreign(mediaType string) bool {
	return strings.Contains(mediaType, "foreign") || strings.Contains(mediaType, "nondistributable")
}

// Limits bound what one layer may make the reader do. A zero field takes
// its default.
type Limits struct {
	// Entries is the most entries read (default 2,000,000).
	Entries int
	// Inflate bounds the bytes the tar may inflate to, as a multiple of
	// the compressed bytes read so far plus a first GiB (default 2,000:
	// gzip cannot pass 1,032; zstd can, and so can a bomb).
	Inflate int64
	// Size is the compressed blob's size when known: no entry may claim
	// more than the whole blob may inflate to.
	Size int64
}

// MaxEntries is the most entries a walk reads.
func (l Limits) MaxEntries() int {
	if l.Entries <= 0 {
		return 2_000_000
	}
	return l.Entries
}

func (l Limits) inflate() int64 {
	if l.Inflate <= 0 {
		return 2000
	}
	return l.Inflate
}

// inflateGrace is what any layer may inflate to, whatever its ratio.
var inflateGrace int64 = 1 << 30

// Body is a file's content while its entry is handed to Walk's function;
// reading it is optional (what is not read is skipped).
type Body = io.Reader

// Stats say how far a walk got.
type Stats struct {
	Entries int
	// Compressed bytes read from the stream; Inflated bytes of tar.
	Compressed, Inflated int64
	// Unterminated: the tar ended without its two end-of-archive blocks
	// (or without the last file's padding), as a cut-off archive does; what
	// it held was read, and tar(1) would say "Unexpected EOF in archive".
	Unterminated bool
}

// Walk reads a layer stored as c from r, a header at a time, and calls fn
// with each entry and its body (valid until fn returns). File bodies fn
// does not read are skipped as they pass, so memory does not grow with the
// layer. It stops at ctx's end, at fn's error, or at a limit; the error
// says which and where.
func Walk(ctx context.Context, r io.Reader, c Compression, lim Limits, fn func(Entry, Body) error) (Stats, error) {
	return WalkIndexed(ctx, r, c, lim, nil, fn)
}

// ZstdOptions bound a zstd decoder: one goroutine, little memory, and no
// window over 64 MiB (a bomb's).
var ZstdOptions = []zstd.DOption{zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true), zstd.WithDecoderMaxWindow(64 << 20)}

// CheckpointEvery is how far apart, in compressed bytes, WalkIndexed
// records a gzip layer's checkpoints at least: the first block boundary
// past it takes one, so that two are at most 4 MiB apart (deflate blocks
// are tens of KiB), and opening a file later reads at most 4 MiB besides
// the file.
const CheckpointEvery = 4<<20 - 128<<10

// WalkIndexed is Walk that, for a gzip layer, gives record a checkpoint
// about every CheckpointEvery compressed bytes, and for a zstd layer one at
// the first frame past each of them (see package zran).
func WalkIndexed(ctx context.Context, r io.Reader, c Compression, lim Limits, record func(zran.Checkpoint), fn func(Entry, Body) error) (Stats, error) {
	var st Stats
	counted := &countingReader{r: r, n: &st.Compressed, size: lim.Size}
	br := bufio.NewReaderSize(counted, 256<<10)
	tarStream, closeDecoder, err := decompress(br, c, record)
	if err != nil {
		return st, err
	}
	defer closeDecoder()
	bomb := &inflateGuard{r: tarStream, st: &st, ratio: lim.inflate()}
	tr := tar.NewReader(bomb)
	// The end of the last entry's bytes (padded), past which the
	// end-of-archive blocks should come.
	var bodiesEnd int64
	for {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			st.Unterminated = !bomb.endsArchive(bodiesEnd)
			// The rest of the blob (gzip's trailer, padding) is read so
			// that the source sees its end and checks the digest.
			if _, err := io.Copy(io.Discard, br); err != nil {
				return st, walkError(err, st)
			}
			return st, nil
		}
		if err != nil {
			return st, drainAfter(br, walkError(err, st))
		}
		bodiesEnd = st.Inflated + storedSize(h)
		if most := inflateGrace + lim.inflate()*lim.Size; lim.Size > 0 && h.Size > most-st.Inflated {
			return st, fmt.Errorf("%w: entry %d claims %d bytes, more than a layer of %d bytes may inflate to", ErrTooBig, st.Entries+1, h.Size, lim.Size)
		}
		e, ok, err := EntryOf(h)
		if err != nil {
			return st, fmt.Errorf("entry %d: %w", st.Entries+1, err)
		}
		if !ok {
			continue
		}
		if e.Offset == 0 {
			e.Offset = st.Inflated // tar reads no further than the body's start
		}
		if st.Entries >= lim.MaxEntries() {
			return st, fmt.Errorf("%w: stopped at %d entries", ErrTooBig, st.Entries)
		}
		st.Entries++
		if err := fn(e, tr); err != nil {
			return st, walkError(err, st)
		}
	}
}

// drainAfter reads the rest of a stream the decoder found corrupt, so
// that a source that checks a digest at its end can say whether the bytes
// are the ones named (then the source's error is the one that matters:
// the registry sent other bytes).
func drainAfter(br io.Reader, err error) error {
	if !errors.Is(err, ErrCorrupt) {
		return err
	}
	if _, derr := io.Copy(io.Discard, br); derr != nil && errors.Is(derr, errSource) {
		return fmt.Errorf("%w (and so %v)", unwrapSource(derr), err)
	}
	return err
}

// walkError says where a stream went wrong. Errors of the source (the
// registry's read errors, a digest mismatch, a cancelled context) pass
// through; a decoder's and tar's complaints mean the bytes are corrupt.
func walkError(err error, st Stats) error {
	var own *guardError
	switch {
	case errors.As(err, &own):
		return own.err
	case errors.Is(err, errSource), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return unwrapSource(err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: the stream ends early, at byte %d (%d entries read)", ErrCorrupt, st.Compressed, st.Entries)
	}
	return fmt.Errorf("%w: at entry %d, byte %d of the stream: %v", ErrCorrupt, st.Entries+1, st.Compressed, err)
}

// errSource marks an error of the underlying reader, so that a decoder's
// wrapping of it does not make it look like corruption.
var errSource = errors.New("source")

type sourceError struct{ err error }

func (e *sourceError) Error() string        { return e.err.Error() }
func (e *sourceError) Is(target error) bool { return target == errSource }
func (e *sourceError) Unwrap() error        { return e.err }

func unwrapSource(err error) error {
	var s *sourceError
	if errors.As(err, &s) {
		return s.err
	}
	return err
}

// countingReader counts the compressed bytes, and stops a stream longer
// than the blob's size.
type countingReader struct {
	r    io.Reader
	n    *int64
	size int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	*c.n += int64(n)
	if c.size > 0 && *c.n > c.size {
		return n, &guardError{fmt.Errorf("%w: the registry sent more than the layer's %d bytes", ErrCorrupt, c.size)}
	}
	if err != nil && err != io.EOF {
		err = &sourceError{err}
	}
	return n, err
}

// guardError is a limit the guard itself hit.
type guardError struct{ err error }

func (e *guardError) Error() string { return e.err.Error() }

// inflateGuard stops a tar stream that inflates past its allowance. It
// also counts the zero bytes that end what it has read, for endsArchive.
type inflateGuard struct {
	r     io.Reader
	st    *Stats
	ratio int64
	zeros int64
}

func (g *inflateGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.st.Inflated += int64(n)
	if trailing := int64(n - len(bytes.TrimRight(p[:n], "\x00"))); trailing == int64(n) {
		g.zeros += trailing
	} else {
		g.zeros = trailing
	}
	if g.st.Inflated > inflateGrace+g.ratio*g.st.Compressed {
		return n, &guardError{fmt.Errorf("%w: it inflates past %d bytes from %d compressed, more than %d times; a compression bomb?", ErrTooBig, g.st.Inflated, g.st.Compressed, g.ratio)}
	}
	return n, err
}

// endBlocks is the size of tar's end-of-archive marker: two zero blocks.
const endBlocks = 2 * 512

// endsArchive reports whether the tar read so far ended with its
// end-of-archive blocks after the entries' bytes, which end at bodiesEnd:
// Go's tar reader takes a stream that simply stops as ended, where tar(1)
// says the archive was cut.
func (g *inflateGuard) endsArchive(bodiesEnd int64) bool {
	read := g.st.Inflated
	return read%512 == 0 && g.zeros >= endBlocks && read-bodiesEnd >= endBlocks
}

// storedSize is how many bytes an entry's body takes in the tar, padding
// included; links, devices and directories have none, and a sparse
// file's are fewer than its size (counted as none).
func storedSize(h *tar.Header) int64 {
	switch h.Typeflag {
	case tar.TypeLink, tar.TypeSymlink, tar.TypeChar, tar.TypeBlock, tar.TypeDir, tar.TypeFifo, tar.TypeGNUSparse:
		return 0
	}
	for k := range h.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return 0
		}
	}
	return (h.Size + 511) &^ 511
}

var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// decompress checks that the stream starts as c says and returns the tar
// inside it.
func decompress(br *bufio.Reader, c Compression, record func(zran.Checkpoint)) (io.Reader, func(), error) {
	head, err := br.Peek(4)
	if len(head) == 0 && err != nil {
		if err == io.EOF {
			return nil, nil, fmt.Errorf("%w: the blob is empty", ErrCorrupt)
		}
		return nil, nil, unwrapSource(err)
	}
	looks := Uncompressed
	switch {
	case bytes.HasPrefix(head, gzipMagic):
		looks = Gzip
	case bytes.HasPrefix(head, zstdMagic):
		looks = Zstd
	}
	if looks != c {
		return nil, nil, fmt.Errorf("%w: its media type says %s, but its bytes are %s", ErrCorrupt, c, looks)
	}
	switch c {
	case Gzip:
		if record == nil {
			// klauspost's gzip reader is a little quicker than zran's,
			// which counts and buffers for its checkpoints (make bench,
			// BenchmarkGunzip).
			z, err := gzip.NewReader(br)
			if err != nil {
				return nil, nil, walkError(err, Stats{})
			}
			return z, func() { z.Close() }, nil
		}
		z, err := zran.NewReader(br, CheckpointEvery, record)
		if err != nil {
			return nil, nil, walkError(err, Stats{})
		}
		return z, func() { z.Close() }, nil
	case Zstd:
		if record != nil {
			z, err := zran.NewZstdReader(br, CheckpointEvery, record, ZstdOptions...)
			if err != nil {
				return nil, nil, walkError(err, Stats{})
			}
			return z, z.Close, nil
		}
		z, err := zstd.NewReader(br, ZstdOptions...)
		if err != nil {
			return nil, nil, walkError(err, Stats{})
		}
		return z, z.Close, nil
	}
	return br, func() {}, nil
}

// HashBody reads a file's body to its end and returns its digest
// ("sha256:…"), or "" when the stream fails (the walk reports it).
func HashBody(body Body) string {
	h := sha256.New()
	if _, err := io.Copy(h, body); err != nil {
		return ""
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
