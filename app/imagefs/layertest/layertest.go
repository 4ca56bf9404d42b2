// Package layertest builds layers for tests: tars of files, directories,
// links and whiteouts, gzip- or zstd-compressed.
package layertest

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/containerd/stargz-snapshotter/estargz"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Entry is a tar header of a test layer; Body is a file's content.
type Entry struct {
	Name, Body, Link string
	Type             byte
	Mode             int64
}

func File(name, body string) Entry {
	return Entry{Name: name, Body: body, Type: tar.TypeReg, Mode: 0o644}
}
func Dir(name string) Entry { return Entry{Name: name, Type: tar.TypeDir, Mode: 0o755} }
func Symlink(name, target string) Entry {
	return Entry{Name: name, Link: target, Type: tar.TypeSymlink, Mode: 0o777}
}
func Hardlink(name, target string) Entry {
	return Entry{Name: name, Link: target, Type: tar.TypeLink, Mode: 0o644}
}

// Tar writes entries as a PAX tar with a fixed time.
func Tar(t testing.TB, es ...Entry) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, e := range es {
		h := &tar.Header{Name: e.Name, Linkname: e.Link, Typeflag: e.Type, Mode: e.Mode, Size: int64(len(e.Body)), ModTime: time.Unix(1700000000, 0), Format: tar.FormatPAX}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e.Body))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Gzip compresses b.
func Gzip(t testing.TB, b []byte) []byte {
	var out bytes.Buffer
	z := gzip.NewWriter(&out)
	z.Write(b)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// Zstd compresses b.
func Zstd(t testing.TB, b []byte) []byte {
	z, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	return z.EncodeAll(b, nil)
}

// Layer is a layer blob and how a manifest names it.
type Layer struct {
	Blob      []byte
	MediaType types.MediaType
	URLs      []string
	// Annotations go on the layer's descriptor (an eStargz TOC digest).
	Annotations map[string]string
}

// Push writes an OCI image of layers to host as ref ("repo:tag") with
// go-containerregistry, over plain HTTP.
func Push(t testing.TB, host, ref string, layers ...Layer) {
	t.Helper()
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	for _, l := range layers {
		var err error
		img, err = mutate.Append(img, mutate.Addendum{Layer: static.NewLayer(l.Blob, l.MediaType), URLs: l.URLs, MediaType: l.MediaType, Annotations: l.Annotations})
		if err != nil {
			t.Fatal(err)
		}
	}
	tag, err := name.NewTag(host+"/"+ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(tag, img); err != nil {
		t.Fatalf("push %s: %v", ref, err)
	}
}

// EStargz converts a tar into an eStargz layer (gzip, a table of contents
// and a footer) with containerd's estargz, annotated as its builders do.
// Options such as estargz.WithPrioritizedFiles go to estargz.Build.
func EStargz(t testing.TB, tarBlob []byte, opts ...estargz.Option) Layer {
	t.Helper()
	opts = append([]estargz.Option{estargz.WithCompressionLevel(gzip.BestSpeed)}, opts...)
	blob, err := estargz.Build(io.NewSectionReader(bytes.NewReader(tarBlob), 0, int64(len(tarBlob))), opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer blob.Close()
	b, err := io.ReadAll(blob)
	if err != nil {
		t.Fatal(err)
	}
	return Layer{Blob: b, MediaType: types.OCILayer, Annotations: map[string]string{
		"containerd.io/snapshot/stargz/toc.digest": blob.TOCDigest().String()}}
}

// EStargzEdited is EStargz with its table of contents changed by edit (one
// that lies, or is outsized), written back in its place and annotated
// with its digest.
func EStargzEdited(t testing.TB, tarBlob []byte, edit func(*estargz.JTOC)) Layer {
	t.Helper()
	l := EStargz(t, tarBlob)
	gz := new(estargz.GzipDecompressor)
	_, tocAt, _, err := gz.ParseFooter(l.Blob[len(l.Blob)-int(gz.FooterSize()):])
	if err != nil {
		t.Fatal(err)
	}
	toc, _, err := gz.ParseTOC(bytes.NewReader(l.Blob[tocAt:]))
	if err != nil {
		t.Fatal(err)
	}
	edit(toc)
	out := bytes.NewBuffer(slices.Clip(l.Blob[:tocAt]))
	d, err := estargz.NewGzipCompressorWithLevel(gzip.BestSpeed).WriteTOCAndFooter(out, tocAt, toc, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.Blob, l.Annotations = out.Bytes(), map[string]string{"containerd.io/snapshot/stargz/toc.digest": d.String()}
	return l
}

// Chunks is an edit of a table of contents that splits its first file
// into n more chunks, each with a digest of its own: a table of contents
// far larger than what it lists (a chunk is no entry of the listing).
func Chunks(n int) func(*estargz.JTOC) {
	return func(toc *estargz.JTOC) {
		at := slices.IndexFunc(toc.Entries, func(e *estargz.TOCEntry) bool { return e.Type == "reg" })
		if at < 0 {
			panic("layertest.Chunks: no file to split")
		}
		r := rand.New(rand.NewPCG(uint64(n), 1))
		chunks := make([]*estargz.TOCEntry, n)
		for i := range chunks {
			chunks[i] = &estargz.TOCEntry{Name: toc.Entries[at].Name, Type: "chunk", Offset: toc.Entries[at].Offset, ChunkOffset: int64(i + 1), ChunkSize: 1,
				ChunkDigest: fmt.Sprintf("sha256:%016x%016x%016x%016x", r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64())}
		}
		toc.Entries = slices.Insert(toc.Entries, at+1, chunks...)
	}
}

// ZstdChunked compresses a tar as a zstd:chunked layer as containers/storage
// writes one: the tar in zstd, then skippable frames holding the table of
// contents (zstd-compressed JSON), the tar-split (empty here) and the
// footer, with the annotations that point at the table of contents.
func ZstdChunked(t testing.TB, tarBlob []byte) Layer {
	t.Helper()
	return ZstdChunkedEdited(t, tarBlob, func(*estargz.JTOC) {})
}

// ZstdChunkedEdited is ZstdChunked with its table of contents changed by
// edit. The entries are eStargz's: the two formats share their fields.
func ZstdChunkedEdited(t testing.TB, tarBlob []byte, edit func(*estargz.JTOC)) Layer {
	t.Helper()
	tocTypes := map[byte]string{tar.TypeReg: "reg", tar.TypeDir: "dir", tar.TypeSymlink: "symlink", tar.TypeLink: "hardlink"}
	toc := &estargz.JTOC{Version: 1}
	tr := tar.NewReader(bytes.NewReader(tarBlob))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(tr)
		e := &estargz.TOCEntry{Type: tocTypes[h.Typeflag], Name: h.Name, LinkName: h.Linkname, Mode: h.Mode, Size: h.Size, UID: h.Uid, GID: h.Gid,
			ModTime3339: h.ModTime.Format(time.RFC3339)}
		if h.Typeflag == tar.TypeReg {
			e.Digest = fmt.Sprintf("sha256:%x", sha256.Sum256(body))
		}
		toc.Entries = append(toc.Entries, e)
	}
	edit(toc)
	manifest, err := json.Marshal(toc)
	if err != nil {
		t.Fatal(err)
	}
	out := Zstd(t, tarBlob)
	compressed := Zstd(t, manifest)
	skippable := func(data []byte) {
		out = binary.LittleEndian.AppendUint32(out, 0x184D2A50)
		out = binary.LittleEndian.AppendUint32(out, uint32(len(data)))
		out = append(out, data...)
	}
	at := len(out) + 8
	skippable(compressed)
	tarSplitAt := len(out) + 8
	skippable(nil)
	footer := make([]byte, 0, 64)
	for _, v := range []int{at, len(compressed), len(manifest), 1, tarSplitAt, 0, 0} {
		footer = binary.LittleEndian.AppendUint64(footer, uint64(v))
	}
	skippable(append(footer, "GNUlInUx"...))
	return Layer{Blob: out, MediaType: types.OCILayerZStd, Annotations: map[string]string{
		"io.github.containers.zstd-chunked.manifest-checksum": fmt.Sprintf("sha256:%x", sha256.Sum256(compressed)),
		"io.github.containers.zstd-chunked.manifest-position": fmt.Sprintf("%d:%d:%d:1", at, len(compressed), len(manifest)),
	}}
}
