package imagefs

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// h is a tar header in a test's layer; body is a file's content.
type h struct {
	name, body, link string
	typ              byte
	mode             int64
}

func file(name, body string) h { return h{name: name, body: body, typ: tar.TypeReg, mode: 0644} }
func dir(name string) h        { return h{name: name, typ: tar.TypeDir, mode: 0755} }
func symlink(name, target string) h {
	return h{name: name, link: target, typ: tar.TypeSymlink, mode: 0777}
}
func hardlink(name, target string) h {
	return h{name: name, link: target, typ: tar.TypeLink, mode: 0644}
}

func tarOf(t testing.TB, hs ...h) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, x := range hs {
		hdr := &tar.Header{Name: x.name, Linkname: x.link, Typeflag: x.typ, Mode: x.mode, Size: int64(len(x.body)), ModTime: time.Unix(1700000000, 0), Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(x.body))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gzipOf(t testing.TB, b []byte) []byte {
	var out bytes.Buffer
	z := gzip.NewWriter(&out)
	z.Write(b)
	z.Close()
	return out.Bytes()
}

func zstdOf(t testing.TB, b []byte) []byte {
	var out bytes.Buffer
	z, err := zstd.NewWriter(&out)
	if err != nil {
		t.Fatal(err)
	}
	z.Write(b)
	z.Close()
	return out.Bytes()
}

// walkAll reads a layer into a list of entries.
func walkAll(t testing.TB, blob []byte, c Compression, lim Limits) ([]Entry, error) {
	t.Helper()
	var out []Entry
	_, err := Walk(context.Background(), bytes.NewReader(blob), c, lim, func(e Entry, _ Body) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// merged applies layers (uncompressed tars) in order.
func merged(t testing.TB, raw bool, layers ...[]byte) *Tree {
	t.Helper()
	tree := NewTree(raw)
	for i, l := range layers {
		es, err := walkAll(t, l, Uncompressed, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		tree.Add(i, es)
	}
	return tree
}

// paths lists the live paths of a tree with the layer that wrote each.
func paths(tree *Tree) map[string]int {
	out := map[string]int{}
	tree.Walk(0, func(n Node) bool {
		out[n.Path] = n.Layer
		return true
	})
	return out
}

func newGzipWriter(w io.Writer) *gzip.Writer {
	z, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
	return z
}

type tarWriter struct{ *tar.Writer }

func newTarWriter(w io.Writer) tarWriter { return tarWriter{tar.NewWriter(w)} }

func (t tarWriter) header(name string, size int64) error {
	return t.WriteHeader(&tar.Header{Name: name, Size: size, Mode: 0644, Typeflag: tar.TypeReg})
}
