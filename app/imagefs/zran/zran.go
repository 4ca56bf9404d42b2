// Package zran reads gzip streams, and reads them again from the middle:
// while a stream is read it records checkpoints (where a deflate block
// starts, what had come out before it, and the 32 KiB of output later
// blocks may refer back to), and a stream can later be resumed at a
// checkpoint from a range of its bytes. It is zlib's zran technique, the
// one Registry Explorer uses to open a file of a layer with one range
// request; klauspost/compress's inflater records and resumes the blocks.
package zran

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/klauspost/compress/flate"
)

// Checkpoint is a place in a gzip stream where reading can start again.
type Checkpoint struct {
	// In is the offset in the stream of the byte that holds the block's
	// first bit, and Bit that bit (0-7).
	In  int64
	Bit uint8
	// Out is the offset in the output where the block's output starts.
	Out int64
	// Window is the output's last 32 KiB (or less, near the start).
	Window []byte
}

// ErrCorrupt says that the stream is not gzip, or its checksum or size is wrong.
var ErrCorrupt = errors.New("corrupt gzip stream")

const (
	maxWindow = 32 << 10
	// maxHeaderText bounds a member's name and comment.
	maxHeaderText = 64 << 10
)

// Reader inflates a gzip stream of one or more members, as gzip -d does,
// checking each member's CRC-32 and size.
type Reader struct {
	in      *counter
	br      *bufio.Reader
	inflate io.ReadCloser
	// every and record: a checkpoint about every so many bytes of input.
	every, last int64
	record      func(Checkpoint)
	// base is where the member's deflate data starts in the stream, and
	// memberOut in the output; out is the output so far.
	base, memberOut, out int64
	// crc and size of the member so far; partial is set for the member a
	// resumed reader starts inside, whose checksum cannot be checked.
	crc     uint32
	size    uint32
	partial bool
	err     error
}

// counter counts the bytes read from the stream.
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// NewReader reads a gzip stream from r. When record is not nil, it gets a
// checkpoint about every every bytes of input (its Window is its own).
func NewReader(r io.Reader, every int64, record func(Checkpoint)) (*Reader, error) {
	z := newReader(r, 0)
	z.every, z.record = every, record
	if err := z.member(); err != nil {
		return nil, err
	}
	return z, nil
}

// Resume reads the stream from a checkpoint: r gives the stream's bytes
// from cp.In on. The output starts at cp.Out.
func Resume(r io.Reader, cp Checkpoint) (*Reader, error) {
	if len(cp.Window) > maxWindow || cp.Bit > 7 {
		return nil, fmt.Errorf("%w: a bad checkpoint", ErrCorrupt)
	}
	z := newReader(r, cp.In)
	z.out, z.partial, z.base = cp.Out, true, cp.In
	z.inflate = flate.NewReaderOpts(z.br, flate.WithResumeFrom(flate.InflateCheckpoint{Window: cp.Window, BitOffset: cp.Bit}))
	return z, nil
}

func newReader(r io.Reader, at int64) *Reader {
	in := &counter{r: r, n: at}
	return &Reader{in: in, br: bufio.NewReaderSize(in, 256<<10)}
}

// pos is the offset in the stream of the next byte not yet consumed.
func (z *Reader) pos() int64 { return z.in.n - int64(z.br.Buffered()) }

// member reads a member's header and starts inflating its data.
func (z *Reader) member() error {
	var h [10]byte
	if _, err := io.ReadFull(z.br, h[:]); err != nil {
		return fmt.Errorf("%w: a member's header: %w", ErrCorrupt, noEOF(err))
	}
	if h[0] != 0x1f || h[1] != 0x8b || h[2] != 8 || h[3]>>5 != 0 {
		return fmt.Errorf("%w: not a gzip header at byte %d", ErrCorrupt, z.pos()-10)
	}
	flags := h[3]
	if flags&(1<<2) != 0 { // extra field
		var n [2]byte
		if _, err := io.ReadFull(z.br, n[:]); err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, noEOF(err))
		}
		if _, err := z.br.Discard(int(binary.LittleEndian.Uint16(n[:]))); err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, noEOF(err))
		}
	}
	for _, bit := range []byte{1 << 3, 1 << 4} { // name, comment
		if flags&bit == 0 {
			continue
		}
		for n := 0; ; n++ {
			c, err := z.br.ReadByte()
			if err != nil || n > maxHeaderText {
				return fmt.Errorf("%w: a member's name or comment does not end", ErrCorrupt)
			}
			if c == 0 {
				break
			}
		}
	}
	if flags&(1<<1) != 0 { // header CRC
		if _, err := z.br.Discard(2); err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, noEOF(err))
		}
	}
	z.base, z.crc, z.size, z.partial = z.pos(), 0, 0, false
	var opts []flate.ReaderOpt
	if z.record != nil {
		base := z.base
		opts = append(opts, flate.WithEobCallback(func(cp flate.InflateCheckpoint) {
			if in := base + cp.CompressedOffset; in-z.last >= z.every {
				z.last = in
				z.record(Checkpoint{In: in, Bit: cp.BitOffset, Out: cp.UncompressedOffset + z.memberOut, Window: append([]byte(nil), cp.Window...)})
			}
		}))
	}
	z.memberOut = z.out
	z.inflate = flate.NewReaderOpts(z.br, opts...)
	return nil
}

func (z *Reader) Read(p []byte) (int, error) {
	for z.err == nil {
		n, err := z.inflate.Read(p)
		z.out += int64(n)
		z.crc = crc32.Update(z.crc, crc32.IEEETable, p[:n])
		z.size += uint32(n)
		switch {
		case err == io.EOF:
			z.err = z.endMember()
		case err != nil:
			z.err = fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		if n > 0 {
			return n, nil
		}
	}
	return 0, z.err
}

// endMember checks the member's trailer and starts the next member, if
// one follows; io.EOF at the stream's end.
func (z *Reader) endMember() error {
	var t [8]byte
	if _, err := io.ReadFull(z.br, t[:]); err != nil {
		return fmt.Errorf("%w: a member's trailer: %w", ErrCorrupt, noEOF(err))
	}
	if !z.partial && (binary.LittleEndian.Uint32(t[:4]) != z.crc || binary.LittleEndian.Uint32(t[4:]) != z.size) {
		return fmt.Errorf("%w: checksum or size does not match", ErrCorrupt)
	}
	if _, err := z.br.Peek(1); err == io.EOF {
		return io.EOF
	}
	return z.member()
}

// Close ends the inflater.
func (z *Reader) Close() error { return z.inflate.Close() }

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
