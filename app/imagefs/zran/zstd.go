package zran

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/klauspost/compress/zstd"
)

// ZstdReader decodes a zstd stream frame by frame and records, about every
// every bytes of input, a checkpoint where a frame starts: frames decode on
// their own, so a checkpoint needs no window, and a stream of one frame has
// none past its start.
type ZstdReader struct {
	in     *counter
	br     *bufio.Reader
	dec    *zstd.Decoder
	frame  *frameReader
	every  int64
	last   int64
	record func(Checkpoint)
	out    int64
	err    error
}

// NewZstdReader reads a zstd stream from r, giving record its checkpoints.
func NewZstdReader(r io.Reader, every int64, record func(Checkpoint), opts ...zstd.DOption) (*ZstdReader, error) {
	in := &counter{r: r}
	z := &ZstdReader{in: in, br: bufio.NewReaderSize(in, 256<<10), every: every, record: record, last: -every}
	dec, err := zstd.NewReader(nil, opts...)
	if err != nil {
		return nil, err
	}
	z.dec = dec
	if err := z.nextFrame(); err != nil {
		dec.Close()
		return nil, err
	}
	return z, nil
}

func (z *ZstdReader) pos() int64 { return z.in.n - int64(z.br.Buffered()) }

// nextFrame starts decoding the next frame, skipping skippable ones;
// io.EOF at the stream's end.
func (z *ZstdReader) nextFrame() error {
	for {
		magic, err := z.br.Peek(4)
		if err == io.EOF && len(magic) == 0 {
			return io.EOF
		}
		if err != nil {
			return fmt.Errorf("%w: a frame's magic: %w", ErrCorrupt, noEOF(err))
		}
		m := binary.LittleEndian.Uint32(magic)
		if m&0xFFFFFFF0 == 0x184D2A50 { // skippable
			var h [8]byte
			if _, err := io.ReadFull(z.br, h[:]); err != nil {
				return fmt.Errorf("%w: %w", ErrCorrupt, noEOF(err))
			}
			if _, err := z.br.Discard(int(binary.LittleEndian.Uint32(h[4:]))); err != nil {
				return fmt.Errorf("%w: %w", ErrCorrupt, noEOF(err))
			}
			continue
		}
		if m != 0xFD2FB528 {
			return fmt.Errorf("%w: not a zstd frame at byte %d", ErrCorrupt, z.pos())
		}
		if in := z.pos(); z.record != nil && in-z.last >= z.every {
			z.last = in
			z.record(Checkpoint{In: in, Out: z.out})
		}
		z.frame = &frameReader{br: z.br}
		return z.dec.Reset(z.frame)
	}
}

func (z *ZstdReader) Read(p []byte) (int, error) {
	for z.err == nil {
		n, err := z.dec.Read(p)
		z.out += int64(n)
		if err == io.EOF {
			if z.frame.err != nil && z.frame.err != io.EOF {
				err = z.frame.err
			} else {
				err = z.nextFrame()
			}
			if err == io.EOF {
				z.err = io.EOF
			} else if err != nil {
				z.err = err
			}
		} else if err != nil {
			z.err = fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		if n > 0 {
			return n, nil
		}
	}
	return 0, z.err
}

// Close ends the decoder.
func (z *ZstdReader) Close() { z.dec.Close() }

// frameReader gives exactly one zstd frame's bytes: it reads the frame
// header and then block by block, by the sizes the block headers give.
type frameReader struct {
	br      *bufio.Reader
	started bool
	left    int  // bytes of the current part still to give
	last    bool // the last block's header was read
	sum     bool // the frame ends with a checksum
	done    bool
	err     error
}

func (f *frameReader) Read(p []byte) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	if f.left == 0 {
		if err := f.next(); err != nil {
			f.err = err
			return 0, err
		}
	}
	n, err := f.br.Read(p[:min(len(p), f.left)])
	f.left -= n
	if err != nil {
		f.err = fmt.Errorf("%w: %w", ErrCorrupt, noEOF(err))
		return n, f.err
	}
	return n, nil
}

// next sets how many bytes the next part of the frame has: the header,
// a block with its header, or the checksum; io.EOF after the frame.
func (f *frameReader) next() error {
	switch {
	case !f.started:
		f.started = true
		h, err := f.br.Peek(5)
		if err != nil {
			return fmt.Errorf("%w: a frame header: %w", ErrCorrupt, noEOF(err))
		}
		d := h[4]
		fcs := [4]int{0, 2, 4, 8}[d>>6]
		single := d&0x20 != 0
		if fcs == 0 && single {
			fcs = 1
		}
		window := 1
		if single {
			window = 0
		}
		f.sum = d&0x04 != 0
		f.left = 5 + window + [4]int{0, 1, 2, 4}[d&3] + fcs
		return nil
	case f.done:
		return io.EOF
	case f.last:
		f.done = true
		if f.sum {
			f.left = 4
			return nil
		}
		return io.EOF
	}
	h, err := f.br.Peek(3)
	if err != nil {
		return fmt.Errorf("%w: a block header: %w", ErrCorrupt, noEOF(err))
	}
	v := int(h[0]) | int(h[1])<<8 | int(h[2])<<16
	f.last = v&1 != 0
	size := v >> 3
	switch (v >> 1) & 3 {
	case 1: // RLE: one byte stands for size
		size = 1
	case 3:
		return fmt.Errorf("%w: a reserved block type", ErrCorrupt)
	}
	if size > 128<<10 {
		return fmt.Errorf("%w: a block of %d bytes", ErrCorrupt, size)
	}
	f.left = 3 + size
	return nil
}
