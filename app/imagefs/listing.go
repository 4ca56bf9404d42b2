package imagefs

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// listingVersion is the first byte of an encoded listing; a listing of
// another version is not read, and its layer is listed again. 2: every
// file carries its digest, and eStargz's landmarks are left out.
const listingVersion = 2

// EncodeListing writes a layer's entries compactly (for the disk cache):
// about 40 bytes and the path's length an entry. Layer is not kept.
func EncodeListing(entries []Entry) []byte {
	b := make([]byte, 0, 64+len(entries)*48)
	b = append(b, listingVersion)
	b = binary.AppendUvarint(b, uint64(len(entries)))
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	for _, e := range entries {
		str(e.Path)
		b = append(b, byte(e.Type))
		b = binary.AppendVarint(b, e.Size)
		b = binary.AppendUvarint(b, uint64(e.Mode))
		b = binary.AppendVarint(b, int64(e.UID))
		b = binary.AppendVarint(b, int64(e.GID))
		b = binary.AppendVarint(b, e.ModTime.Unix())
		b = binary.AppendUvarint(b, uint64(e.ModTime.Nanosecond()))
		str(e.Target)
		str(e.Digest)
		b = binary.AppendVarint(b, e.Offset)
	}
	return b
}

// errListing: an encoded listing that does not decode.
var errListing = errors.New("not a listing")

// DecodeListing reads what EncodeListing wrote, giving each entry layer.
// Bounds are those of a walk: a damaged listing is an error, never a huge
// allocation.
func DecodeListing(b []byte, layer int) ([]Entry, error) {
	if len(b) == 0 || b[0] != listingVersion {
		return nil, fmt.Errorf("%w: version", errListing)
	}
	d := decoder{b: b[1:]}
	n := d.uvarint()
	if n > uint64(Limits{}.MaxEntries()) || n > uint64(len(d.b)) {
		return nil, fmt.Errorf("%w: %d entries", errListing, n)
	}
	entries := make([]Entry, n)
	for i := range entries {
		e := &entries[i]
		e.Path = d.str()
		e.Type = Type(d.byte())
		e.Size = d.varint()
		e.Mode = uint32(d.uvarint() & 07777)
		e.UID = int(clampInt32(d.varint()))
		e.GID = int(clampInt32(d.varint()))
		sec, nsec := d.varint(), d.uvarint()
		if nsec < 1e9 {
			e.ModTime = time.Unix(sec, int64(nsec))
		}
		e.Target = d.str()
		e.Digest = d.str()
		e.Offset = d.varint()
		e.Layer = layer
		if d.err != nil {
			return nil, d.err
		}
		if e.Type > Opaque || e.Size < 0 || e.Path == "" || e.Path[0] != '/' {
			return nil, fmt.Errorf("%w: entry %d", errListing, i)
		}
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the entries", errListing, len(d.b))
	}
	return entries, nil
}

func clampInt32(v int64) int64 { return max(min(v, math.MaxInt32), math.MinInt32) }

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = fmt.Errorf("%w: truncated", errListing)
	}
	d.b = nil
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) str() string {
	n := d.uvarint()
	if n > maxName*2 || n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}
