package zran

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// sample is text-like data that compresses about 3:1, with back
// references across block boundaries.
func sample(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"layer ", "registry ", "manifest ", "config ", "blob ", "digest ", "tag ", "index\n"}
	var b bytes.Buffer
	for b.Len() < n {
		if r.IntN(10) == 0 {
			b.WriteByte(byte(r.IntN(256)))
		}
		b.WriteString(words[r.IntN(len(words))])
	}
	return b.Bytes()[:n]
}

func gz(t *testing.T, members ...[]byte) []byte {
	var b bytes.Buffer
	for _, m := range members {
		w, _ := gzip.NewWriterLevel(&b, gzip.DefaultCompression)
		w.Name = "member" // a header with a name
		w.Write(m)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

func TestResumingAtEveryCheckpointGivesTheSameBytes(t *testing.T) {
	plain := sample(12 << 20)
	// Two members, as concatenated gzip files are.
	stream := gz(t, plain[:5<<20], plain[5<<20:])
	var index Index
	z, err := NewReader(bytes.NewReader(stream), 128<<10, func(cp Checkpoint) { index = append(index, cp) })
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(z)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("read %d of %d bytes: %v", len(got), len(plain), err)
	}
	if len(index) < 10 {
		t.Fatalf("%d checkpoints in %d compressed bytes", len(index), len(stream))
	}
	decoded, err := DecodeIndex(index.Encode())
	if err != nil || len(decoded) != len(index) {
		t.Fatalf("index round trip: %d, %v", len(decoded), err)
	}
	for i, cp := range decoded {
		if i > 0 && cp.In-decoded[i-1].In < 128<<10 {
			t.Errorf("checkpoints %d and %d are %d bytes apart", i-1, i, cp.In-decoded[i-1].In)
		}
		r, err := Resume(bytes.NewReader(stream[cp.In:]), cp)
		if err != nil {
			t.Fatal(err)
		}
		want := plain[cp.Out:min(cp.Out+300<<10, int64(len(plain)))]
		part := make([]byte, len(want))
		if _, err := io.ReadFull(r, part); err != nil || !bytes.Equal(part, want) {
			t.Fatalf("checkpoint %d (in %d bit %d, out %d): %v", i, cp.In, cp.Bit, cp.Out, err)
		}
	}
	// The last checkpoint read to the end crosses into no further member
	// and checks the rest.
	last := decoded[len(decoded)-1]
	r, _ := Resume(bytes.NewReader(stream[last.In:]), last)
	if rest, err := io.ReadAll(r); err != nil || !bytes.Equal(rest, plain[last.Out:]) {
		t.Errorf("to the end: %v", err)
	}
	// A checkpoint in the first member reads on through the second,
	// whose checksum is checked.
	first := decoded[0]
	r, _ = Resume(bytes.NewReader(stream[first.In:]), first)
	if rest, err := io.ReadAll(r); err != nil || !bytes.Equal(rest, plain[first.Out:]) {
		t.Errorf("across members: %v", err)
	}
	if before, ok := decoded.Before(first.Out - 1); ok {
		t.Errorf("a checkpoint before the first: %+v", before)
	}
	if after, ok := decoded.After(last.Out); ok {
		t.Errorf("a checkpoint after the last: %+v", after)
	}
}

func TestWrongBytesAreAnError(t *testing.T) {
	plain := sample(3 << 20)
	stream := gz(t, plain)
	var index Index
	z, _ := NewReader(bytes.NewReader(stream), 128<<10, func(cp Checkpoint) { index = append(index, cp) })
	io.Copy(io.Discard, z)
	cp := index[1]
	// The range answered from another offset: inflating fails, or gives
	// other bytes, never the right ones silently.
	r, _ := Resume(bytes.NewReader(stream[cp.In+1000:]), cp)
	got, err := io.ReadAll(r)
	if err == nil && bytes.Equal(got, plain[cp.Out:]) {
		t.Error("wrong bytes read as right")
	}
	// A flipped bit in the stream fails the CRC or the inflate.
	bad := bytes.Clone(stream)
	bad[len(bad)/2] ^= 1
	z, _ = NewReader(bytes.NewReader(bad), 0, nil)
	if _, err := io.Copy(io.Discard, z); !errors.Is(err, ErrCorrupt) {
		t.Errorf("flipped bit: %v", err)
	}
	// Garbage after the last member is not a member.
	z, _ = NewReader(bytes.NewReader(append(bytes.Clone(stream), "garbage!!!!!"...)), 0, nil)
	if _, err := io.Copy(io.Discard, z); !errors.Is(err, ErrCorrupt) {
		t.Errorf("trailing garbage: %v", err)
	}
	for name, b := range map[string][]byte{"empty": nil, "not gzip": []byte("hello, world"), "header only": stream[:12]} {
		if z, err := NewReader(bytes.NewReader(b), 0, nil); err == nil {
			if _, err := io.Copy(io.Discard, z); err == nil {
				t.Errorf("%s: no error", name)
			}
		}
	}
	for name, b := range map[string][]byte{"version": {9}, "count": {1, 0xff, 0xff, 0xff, 0x7f}, "truncated": index.Encode()[:100]} {
		if _, err := DecodeIndex(b); err == nil {
			t.Errorf("index %s: decoded", name)
		}
	}
}

// TestZstdFramesAreCheckpoints: a stream of several frames (and a
// skippable one) decodes whole, and from each checkpoint on.
func TestZstdFramesAreCheckpoints(t *testing.T) {
	plain := sample(6 << 20)
	var stream []byte
	for at := 0; at < len(plain); at += 1 << 20 {
		enc, _ := zstd.NewWriter(nil)
		stream = enc.EncodeAll(plain[at:min(at+1<<20, len(plain))], stream)
		enc.Close()
	}
	stream = append(stream, 0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 'a', 'b', 'c')
	var index Index
	z, err := NewZstdReader(bytes.NewReader(stream), 100<<10, func(cp Checkpoint) { index = append(index, cp) })
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(z)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("%d of %d bytes: %v", len(got), len(plain), err)
	}
	if len(index) < 3 {
		t.Fatalf("%d checkpoints", len(index))
	}
	for _, cp := range index {
		r, err := NewZstdReader(bytes.NewReader(stream[cp.In:]), 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		rest, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(rest, plain[cp.Out:]) {
			t.Fatalf("from %+v: %v", cp, err)
		}
	}
	bad := bytes.Clone(stream)
	bad[len(bad)/2] ^= 0xff
	if z, err := NewZstdReader(bytes.NewReader(bad), 0, nil); err == nil {
		if _, err := io.Copy(io.Discard, z); err == nil {
			t.Error("a damaged stream read")
		}
	}
}
