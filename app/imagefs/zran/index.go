package zran

import (
	"encoding/binary"
	"fmt"
	"sort"
)

// Index is a stream's checkpoints, in the order they were recorded.
type Index []Checkpoint

// indexVersion opens an encoded index.
const indexVersion = 1

// maxPoints bounds a decoded index: a checkpoint every 4 MiB of a layer of
// several terabytes.
const maxPoints = 1 << 20

// Encode writes the index for the disk cache.
func (x Index) Encode() []byte {
	b := []byte{indexVersion}
	b = binary.AppendUvarint(b, uint64(len(x)))
	for _, cp := range x {
		b = binary.AppendUvarint(b, uint64(cp.In))
		b = append(b, cp.Bit)
		b = binary.AppendUvarint(b, uint64(cp.Out))
		b = binary.AppendUvarint(b, uint64(len(cp.Window)))
		b = append(b, cp.Window...)
	}
	return b
}

// DecodeIndex reads what Encode wrote; a damaged index is an error, its
// checkpoints in order and within bounds.
func DecodeIndex(b []byte) (Index, error) {
	bad := func(what string) (Index, error) { return nil, fmt.Errorf("%w: an index: %s", ErrCorrupt, what) }
	if len(b) == 0 || b[0] != indexVersion {
		return bad("version")
	}
	b = b[1:]
	next := func() (uint64, bool) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, false
		}
		b = b[n:]
		return v, true
	}
	n, ok := next()
	if !ok || n > maxPoints || n > uint64(len(b)) {
		return bad("count")
	}
	x := make(Index, 0, n)
	for range n {
		in, ok1 := next()
		if !ok1 || len(b) == 0 {
			return bad("truncated")
		}
		bit := b[0]
		b = b[1:]
		out, ok2 := next()
		w, ok3 := next()
		if !ok2 || !ok3 || w > maxWindow || w > uint64(len(b)) || bit > 7 || in > 1<<62 || out > 1<<62 {
			return bad("truncated")
		}
		cp := Checkpoint{In: int64(in), Bit: bit, Out: int64(out), Window: b[:w:w]}
		if k := len(x); k > 0 && (cp.In <= x[k-1].In || cp.Out < x[k-1].Out) {
			return bad("out of order")
		}
		x = append(x, cp)
		b = b[w:]
	}
	if len(b) != 0 {
		return bad("trailing bytes")
	}
	return x, nil
}

// Before is the last checkpoint whose output starts at or before out; ok
// is false when there is none (read from the stream's start).
func (x Index) Before(out int64) (Checkpoint, bool) {
	i := sort.Search(len(x), func(i int) bool { return x[i].Out > out })
	if i == 0 {
		return Checkpoint{}, false
	}
	return x[i-1], true
}

// After is the first checkpoint whose output starts after out; ok is false
// when there is none (read to the stream's end).
func (x Index) After(out int64) (Checkpoint, bool) {
	i := sort.Search(len(x), func(i int) bool { return x[i].Out > out })
	if i == len(x) {
		return Checkpoint{}, false
	}
	return x[i], true
}
