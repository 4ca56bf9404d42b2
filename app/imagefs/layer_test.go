package imagefs

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestWalkReadsEveryCompression(t *testing.T) {
	plain := tarOf(t, dir("etc/"), file("etc/os-release", "ID=demo\n"), symlink("bin", "usr/bin"), hardlink("etc/copy", "etc/os-release"))
	for _, c := range []struct {
		mediaType string
		blob      []byte
	}{
		{"application/vnd.oci.image.layer.v1.tar", plain},
		{"application/vnd.oci.image.layer.v1.tar+gzip", gzipOf(t, plain)},
		{"application/vnd.docker.image.rootfs.diff.tar.gzip", gzipOf(t, plain)},
		{"application/vnd.oci.image.layer.v1.tar+zstd", zstdOf(t, plain)},
	} {
		comp, err := CompressionOf(c.mediaType)
		if err != nil {
			t.Fatal(err)
		}
		es, err := walkAll(t, c.blob, comp, Limits{})
		if err != nil {
			t.Fatalf("%s: %v", c.mediaType, err)
		}
		if len(es) != 4 || es[1].Path != "/etc/os-release" || es[1].Size != 8 || es[1].OctalMode() != "0644" ||
			es[2].Type != Symlink || es[2].Target != "usr/bin" || es[3].Type != Hardlink || es[3].Target != "/etc/os-release" {
			t.Errorf("%s: %+v", c.mediaType, es)
		}
	}
}

func TestWalkHandsOverBodies(t *testing.T) {
	blob := tarOf(t, file("a", "first"), file("b", "second"), file("c", "third"))
	var got string
	_, err := Walk(context.Background(), bytes.NewReader(blob), Uncompressed, Limits{}, func(e Entry, body Body) error {
		if e.Path == "/b" {
			b, _ := io.ReadAll(body)
			got = string(b)
		}
		return nil
	})
	if err != nil || got != "second" {
		t.Fatalf("%q, %v", got, err)
	}
}

func TestUnknownMediaTypeIsNotALayer(t *testing.T) {
	_, err := CompressionOf("application/vnd.cncf.helm.chart.content.v1.tar+gzip")
	if !errors.Is(err, ErrNotALayer) || !strings.Contains(err.Error(), "helm") {
		t.Fatal(err)
	}
}

func TestBadStreams(t *testing.T) {
	plain := tarOf(t, file("a", strings.Repeat("x", 5000)), file("b", "y"))
	gz := gzipOf(t, plain)
	corrupt := bytes.Clone(plain)
	copy(corrupt[512*11:], "garbage garbage garbage") // the second header
	for _, c := range []struct {
		name string
		blob []byte
		comp Compression
		want string
	}{
		{"gzip said, tar sent", plain, Gzip, "its media type says gzip, but its bytes are uncompressed"},
		{"zstd said, gzip sent", gz, Zstd, "says zstd, but its bytes are gzip"},
		{"truncated gzip", gz[:len(gz)/2], Gzip, "the stream ends early"},
		{"truncated tar", plain[:3000], Uncompressed, "(1 entries read)"},
		{"corrupt header", corrupt, Uncompressed, "at entry 2"},
		{"empty", nil, Gzip, "the blob is empty"},
		{"not gzip inside", append([]byte{0x1f, 0x8b}, bytes.Repeat([]byte{0xff}, 100)...), Gzip, "the layer is corrupt"},
	} {
		_, err := walkAll(t, c.blob, c.comp, Limits{})
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestBombStopsEarly(t *testing.T) {
	// One file of 3 GiB of zeros claims more than the grace and a 2,000
	// ratio allow from a few MB of gzip.
	pr, pw := io.Pipe()
	go func() {
		z := newGzipWriter(pw)
		tw := newTarWriter(z)
		tw.header("zeros", 3<<30)
		zero := make([]byte, 1<<20)
		for range 3 << 10 {
			if _, err := tw.Write(zero); err != nil {
				break
			}
		}
		tw.Close()
		z.Close()
		pw.Close()
	}()
	defer pr.Close()
	st, err := Walk(context.Background(), pr, Gzip, Limits{Size: 10 << 10}, func(Entry, Body) error { return nil })
	if !errors.Is(err, ErrTooBig) || !strings.Contains(err.Error(), "claims") {
		t.Fatal(err)
	}
	if st.Inflated > 1<<20 {
		t.Errorf("read %d bytes before saying no", st.Inflated)
	}
	// Without a claim too big (entries of 4 KiB), the ratio stops it.
	defer func(g int64) { inflateGrace = g }(inflateGrace)
	inflateGrace = 8 << 20
	pr2, pw2 := io.Pipe()
	go func() {
		z := newGzipWriter(pw2)
		tw := newTarWriter(z)
		zero := make([]byte, 4<<10)
		for i := 0; ; i++ {
			if tw.header("zeros"+string(rune('a'+i%26)), 4<<10) != nil {
				break
			}
			if _, err := tw.Write(zero); err != nil {
				break
			}
		}
		pw2.Close()
	}()
	defer pr2.Close()
	_, err = Walk(context.Background(), pr2, Gzip, Limits{Inflate: 10}, func(Entry, Body) error { return nil })
	if !errors.Is(err, ErrTooBig) || !strings.Contains(err.Error(), "a compression bomb?") {
		t.Fatal(err)
	}
}

func TestEntryLimit(t *testing.T) {
	var hs []h
	for i := range 20 {
		hs = append(hs, file(strings.Repeat("n", i+1), ""))
	}
	es, err := walkAll(t, tarOf(t, hs...), Uncompressed, Limits{Entries: 10})
	if !errors.Is(err, ErrTooBig) || len(es) != 10 || !strings.Contains(err.Error(), "stopped at 10 entries") {
		t.Fatal(len(es), err)
	}
}

func TestSourceErrorsPassThrough(t *testing.T) {
	gz := gzipOf(t, tarOf(t, file("a", strings.Repeat("x", 100000))))
	dropped := errors.New("connection reset")
	r := io.MultiReader(bytes.NewReader(gz[:len(gz)/2]), errReader{dropped})
	_, err := Walk(context.Background(), r, Gzip, Limits{}, func(Entry, Body) error { return nil })
	if !errors.Is(err, dropped) || errors.Is(err, ErrCorrupt) {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Walk(ctx, bytes.NewReader(gz), Gzip, Limits{}, func(Entry, Body) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func TestNamesAreKeptAsTheyAre(t *testing.T) {
	es, err := walkAll(t, tarOf(t, file("evil\x1b]0;x\x07\u202e.txt", "a"), file("../../../etc/passwd", "b"), file("/abs/x", "c")), Uncompressed, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if es[0].Path != "/evil\x1b]0;x\x07\u202e.txt" || es[1].Path != "/etc/passwd" || es[2].Path != "/abs/x" {
		t.Fatalf("%q", es)
	}
}

func TestStreamLongerThanTheBlobStops(t *testing.T) {
	gz := gzipOf(t, tarOf(t, file("a", strings.Repeat("x", 100000))))
	_, err := walkAll(t, gz, Gzip, Limits{Size: int64(len(gz)) - 10})
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "more than the layer's") {
		t.Fatal(err)
	}
	if _, err := walkAll(t, gz, Gzip, Limits{Size: int64(len(gz))}); err != nil {
		t.Fatal(err)
	}
}

func TestTheWholeBlobIsRead(t *testing.T) {
	gz := gzipOf(t, tarOf(t, file("a", "x")))
	r := bytes.NewReader(append(gz, make([]byte, 4096)...)) // padding after the gzip
	if _, err := Walk(context.Background(), r, Gzip, Limits{}, func(Entry, Body) error { return nil }); err != nil || r.Len() != 0 {
		t.Fatal(err, r.Len())
	}
}

// A tar cut after its last file's bytes (no padding, no end-of-archive
// blocks) is read whole, as Go's tar reader does, and said to be cut, as
// tar(1) does ("Unexpected EOF in archive").
func TestWalkSaysWhenTheEndOfArchiveIsMissing(t *testing.T) {
	whole := tarOf(t, dir("etc/"), file("etc/motd", "hello\n"), file("etc/hostname", "web\n"))
	bodyEnd := len(whole) - 1024 - (512 - 4) // "web\n", then its padding and the end blocks
	padded := (bodyEnd + 511) &^ 511
	empty := tarOf(t, file("a", "x"), file(".wh.b", ""))
	for _, c := range []struct {
		name string
		blob []byte
		cut  bool
	}{
		{"whole", whole, false},
		{"cut after the last file's bytes", whole[:bodyEnd], true},
		{"padded, no end blocks", whole[:padded], true},
		{"one end block of two", whole[:padded+512], true},
		{"cut after a last empty file's header", empty[:len(empty)-1024], true},
		{"whole, ending in an empty file", empty, false},
	} {
		for _, comp := range []Compression{Uncompressed, Gzip, Zstd} {
			blob := c.blob
			switch comp {
			case Gzip:
				blob = gzipOf(t, blob)
			case Zstd:
				blob = zstdOf(t, blob)
			}
			var n int
			st, err := Walk(context.Background(), bytes.NewReader(blob), comp, Limits{}, func(Entry, Body) error { n++; return nil })
			if err != nil || st.Unterminated != c.cut || n < 2 {
				t.Errorf("%s, %s: %d entries, unterminated %v, %v", c.name, comp, n, st.Unterminated, err)
			}
		}
	}
}
