package imagefs

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/card-catalog/card-catalog/app/imagefs/layertest"

	"github.com/klauspost/compress/gzip"
)

var (
	file     = layertest.File
	dir      = layertest.Dir
	symlink  = layertest.Symlink
	hardlink = layertest.Hardlink
	tarOf    = layertest.Tar
	gzipOf   = layertest.Gzip
	zstdOf   = layertest.Zstd
)

type h = layertest.Entry

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
