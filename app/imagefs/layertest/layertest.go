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
	"path"
	"slices"
	"sort"
	"strings"
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

	"github.com/card-catalog/card-catalog/registry/demo/tarfile"
)

// Entry is a tar header of a test layer; Body is a file's content.
type Entry = tarfile.Entry

// The entries of test layers, as the demo's are made.
var (
	File     = tarfile.File
	Dir      = tarfile.Dir
	Symlink  = tarfile.Symlink
	Hardlink = tarfile.Hardlink
)

// Tar writes entries as a tar with a fixed time.
func Tar(t testing.TB, es ...Entry) []byte {
	t.Helper()
	b, err := tarfile.Tar(time.Unix(1700000000, 0), es...)
	if err != nil {
		t.Fatal(err)
	}
	return b
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

// Merged is one path of a filesystem Merge made.
type Merged struct {
	Type   byte
	Mode   int64
	Size   int
	Link   string
	Digest [32]byte
}

// Merge applies layers (uncompressed tars) in order as a container runtime
// does, written apart from package imagefs so that tests can hold it to
// this: a ".wh.NAME" deletes NAME and what is under it, a ".wh..wh..opq"
// deletes what lower layers put in its directory, an entry replaces the
// one at its path (a directory replaced by anything else loses what is
// under it), and a path's missing directories are made, 0755.
func Merge(t testing.TB, layers ...[]byte) map[string]Merged {
	t.Helper()
	fs := map[string]Merged{"/": {Type: tar.TypeDir, Mode: 0o755}}
	under := func(dir, p string) bool { return dir == "/" || strings.HasPrefix(p, dir+"/") }
	remove := func(p string) {
		for q := range fs {
			if (q == p || under(p, q)) && q != "/" {
				delete(fs, q)
			}
		}
	}
	for _, layer := range layers {
		mine := map[string]bool{} // what this layer wrote: an opaque marker keeps it
		tr := tar.NewReader(bytes.NewReader(layer))
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			p := path.Clean("/" + h.Name)
			dir, base := path.Split(p)
			dir = path.Clean(dir)
			switch {
			case base == ".wh..wh..opq":
				for q := range fs {
					if under(dir, q) && q != dir && !mine[q] {
						delete(fs, q)
					}
				}
				continue
			case strings.HasPrefix(base, ".wh."):
				remove(path.Join(dir, strings.TrimPrefix(base, ".wh.")))
				continue
			}
			for d := dir; d != "/"; d = path.Dir(d) {
				if e, ok := fs[d]; !ok || e.Type != tar.TypeDir {
					remove(d)
					fs[d] = Merged{Type: tar.TypeDir, Mode: 0o755}
				}
				mine[d] = true // the layer holds the directories it writes in
			}
			body, _ := io.ReadAll(tr)
			m := Merged{Type: h.Typeflag, Mode: h.Mode & 0o7777, Size: len(body), Link: h.Linkname, Digest: sha256.Sum256(body)}
			if m.Type == tar.TypeLink {
				m.Link = path.Clean("/" + h.Linkname)
			}
			if old, ok := fs[p]; ok && (old.Type != tar.TypeDir || m.Type != tar.TypeDir) {
				remove(p)
			}
			fs[p] = m
			mine[p] = true
		}
	}
	return fs
}

// DiffMerged says what changed from one merged filesystem to another, a
// line a path in path order: "+ /p" (only in b), "- /p" (only in a),
// "~ /p" (its kind, mode, link, size or content differ; for a directory
// its kind and mode only).
func DiffMerged(a, b map[string]Merged) []string {
	var out []string
	paths := map[string]bool{}
	for p := range a {
		paths[p] = true
	}
	for p := range b {
		paths[p] = true
	}
	for p := range paths {
		x, inA := a[p]
		y, inB := b[p]
		switch {
		case !inA:
			out = append(out, "+ "+p)
		case !inB:
			out = append(out, "- "+p)
		case x.Type == tar.TypeDir && y.Type == tar.TypeDir:
			if x.Mode != y.Mode {
				out = append(out, "~ "+p)
			}
		case x != y:
			out = append(out, "~ "+p)
		}
	}
	sort.Strings(out)
	// Sorted by path, as a diff lists them, not by the sign.
	sort.SliceStable(out, func(i, j int) bool { return out[i][2:] < out[j][2:] })
	return out
}

// DiffImages are two images built to be compared: Shared are the layers
// both have, A and B each one's own (uncompressed tars). What differs is
// mostly where one image's layers change a path and the other's leave it
// as the shared layers have it: a file rewritten (/etc/version), a
// directory deleted with what is in it (/opt/old), an opaque directory
// over the shared layers' files (/var/cache), a file turned into a symlink
// (/usr/bin/tool), files deleted (/etc/motd, /usr/share/doc/x), rewritten
// alike (/lib/keep: no change), and new files and directories.
func DiffImages(t testing.TB) (shared, a, b [][]byte) {
	tool := File("usr/bin/tool", "tool-binary")
	tool.Mode = 0o755
	shared = [][]byte{
		Tar(t, Dir("etc/"), File("etc/version", "1.0\n"), File("etc/motd", "hello\n"), File("etc/os-release", "ID=test\n"),
			Dir("var/"), Dir("var/cache/"), Dir("var/cache/apt/"), File("var/cache/apt/c.bin", "c"),
			Dir("opt/"), Dir("opt/old/"), File("opt/old/a", "a"), File("opt/old/b", "b"), Dir("opt/old/sub/"), File("opt/old/sub/c", "c"),
			Dir("usr/"), Dir("usr/bin/"), tool, Dir("usr/share/"), Dir("usr/share/doc/"), File("usr/share/doc/x", "doc"),
			Dir("lib/"), File("lib/keep", "keep")),
		Tar(t, Dir("srv/"), File("srv/data", "data1")),
	}
	a = [][]byte{
		Tar(t, Dir("app/"), File("app/main.py", "print(1)\n"), Dir("opt/"), File("opt/.wh.old", ""),
			Dir("etc/"), File("etc/motd", "hello\n"), Dir("srv/"), File("srv/data", "data2")),
	}
	b = [][]byte{
		Tar(t, Dir("app/"), File("app/main.py", "print(2)\n"), Dir("etc/"), File("etc/version", "2.0\n"),
			Dir("var/"), Dir("var/cache/"), File("var/cache/.wh..wh..opq", ""), Dir("var/cache/apt/"),
			File("var/cache/apt/a.bin", "a"), File("var/cache/apt/b.bin", "bb"),
			Dir("lib/"), File("lib/keep", "keep"),
			Dir("usr/"), Dir("usr/bin/"), Symlink("usr/bin/tool", "busybox"), File("usr/bin/busybox", "bb"),
			Dir("srv/"), Dir("srv/new/"), File("srv/new/x", "x")),
		Tar(t, Dir("etc/"), File("etc/.wh.motd", ""), Dir("usr/"), Dir("usr/share/"), Dir("usr/share/doc/"), File("usr/share/doc/.wh.x", "")),
	}
	return shared, a, b
}
