package app_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/containerd/stargz-snapshotter/estargz"
	ggcr "github.com/google/go-containerregistry/pkg/registry"

	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/imagefs"
	lt "github.com/card-catalog/card-catalog/app/imagefs/layertest"
	"github.com/card-catalog/card-catalog/registry"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// TestAnEStargzLayerIsListedFromItsTableOfContents: the footer and the
// table of contents are fetched, not the body, and the listing is the one
// reading the whole layer gives; a table of contents that does not hash to
// the annotation is not believed.
func TestAnEStargzLayerIsListedFromItsTableOfContents(t *testing.T) {
	reg := newCountedRegistry(t)
	var files []lt.Entry
	for i := range 120 {
		files = append(files, lt.File(fmt.Sprintf("srv/data/%03d.bin", i), incompressible(uint64(i), 64<<10)))
	}
	files = append(files, lt.Dir("etc/"), lt.File("etc/.wh.motd", ""), lt.Symlink("bin", "usr/bin"))
	layer := lt.EStargz(t, lt.Tar(t, files...))
	lt.Push(t, reg.addr, "lazy/layer:v1", layer)
	bad := layer
	bad.Annotations = map[string]string{"containerd.io/snapshot/stargz/toc.digest": "sha256:" + fmt.Sprintf("%064d", 0)}
	lt.Push(t, reg.addr, "lazy/layer:bad", bad)

	list := func(tag string) (map[string]int64, int64) {
		t.Helper()
		c, ref, m := imageOf(t, reg.addr, "lazy/layer")
		if tag != "v1" {
			ref.Tag = tag
			var err error
			if m, err = c.Manifest(context.Background(), ref); err != nil {
				t.Fatal(err)
			}
		}
		reg.sent()
		tree := imagefs.NewTree(true)
		if err := image.ReadLayer(context.Background(), c, ref, 0, m.Layers()[0], tree, nil); err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		tree.Walk(0, func(n imagefs.Node) bool {
			if n.Type != imagefs.Dir {
				got[n.Path+" "+n.Type.String()] = n.Size
			}
			return true
		})
		return got, reg.sent()
	}
	fromTOC, sent := list("v1")
	size := int64(len(layer.Blob))
	if sent*50 > size {
		t.Errorf("listing sent %d of the layer's %d bytes (over 2%%)", sent, size)
	}
	t.Logf("an eStargz layer of %d bytes listed with %d bytes (%.2f%%)", size, sent, 100*float64(sent)/float64(size))
	if fromTOC["/srv/data/042.bin file"] != 64<<10 || fromTOC["/bin symlink"] != 0 {
		t.Errorf("listing: %d entries, 042.bin %d", len(fromTOC), fromTOC["/srv/data/042.bin file"])
	}
	if _, ok := fromTOC["/etc/motd whiteout"]; !ok {
		t.Error("the whiteout is not one")
	}
	streamed, sent := list("bad")
	if sent < size {
		t.Errorf("a table of contents of another digest was believed: %d of %d bytes read", sent, size)
	}
	if !maps.Equal(streamed, fromTOC) {
		t.Errorf("the table of contents lists %d entries, the stream %d", len(fromTOC), len(streamed))
	}
}

// TestAZstdChunkedLayerIsListedFromItsTableOfContents: by the position
// annotation, or by the footer when it is gone; a checksum that does not
// match, or none, and the layer is read.
func TestAZstdChunkedLayerIsListedFromItsTableOfContents(t *testing.T) {
	reg := newCountedRegistry(t)
	var files []lt.Entry
	for i := range 60 {
		files = append(files, lt.File(fmt.Sprintf("usr/lib/%03d.so", i), incompressible(uint64(i), 64<<10)))
	}
	files = append(files, lt.File("etc/.wh.motd", ""), lt.Hardlink("usr/lib/same.so", "usr/lib/001.so"))
	layer := lt.ZstdChunked(t, lt.Tar(t, files...))
	size := int64(len(layer.Blob))
	variants := map[string]func(map[string]string){
		"annotated": func(map[string]string) {},
		"footer":    func(a map[string]string) { delete(a, "io.github.containers.zstd-chunked.manifest-position") },
		"wrong sum": func(a map[string]string) {
			a["io.github.containers.zstd-chunked.manifest-checksum"] = "sha256:" + fmt.Sprintf("%064d", 0)
		},
		"no sum": func(a map[string]string) { delete(a, "io.github.containers.zstd-chunked.manifest-checksum") },
		"bad position": func(a map[string]string) {
			a["io.github.containers.zstd-chunked.manifest-position"] = "99999999999:5:5:1"
		},
		// The JSON's length, bounded before it is decoded, and held to.
		"claims a terabyte":   func(a map[string]string) { reposition(a, func(plain int64) int64 { return 1 << 40 }) },
		"longer than it says": func(a map[string]string) { reposition(a, func(plain int64) int64 { return plain / 2 }) },
	}
	var want map[string]int64
	for _, name := range []string{"no sum", "annotated", "footer", "wrong sum", "bad position", "claims a terabyte", "longer than it says"} {
		l := layer
		l.Annotations = maps.Clone(layer.Annotations)
		variants[name](l.Annotations)
		lt.Push(t, reg.addr, "chunked/layer:v1", l)
		c, ref, m := imageOf(t, reg.addr, "chunked/layer")
		reg.sent()
		tree := imagefs.NewTree(true)
		if err := image.ReadLayer(context.Background(), c, ref, 0, m.Layers()[0], tree, nil); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sent := reg.sent()
		got := map[string]int64{}
		tree.Walk(0, func(n imagefs.Node) bool {
			got[n.Path+" "+n.Type.String()] = n.Size
			return true
		})
		if want == nil {
			want = got // read whole: what the table of contents must say
		} else if !maps.Equal(got, want) {
			t.Errorf("%s: %d entries, %d read whole", name, len(got), len(want))
		}
		fromTOC := name == "annotated" || name == "footer"
		if fromTOC && sent*50 > size || !fromTOC && sent < size {
			t.Errorf("%s: %d of %d bytes read", name, sent, size)
		}
	}
	if _, ok := want["/etc/motd whiteout"]; !ok || want["/usr/lib/same.so hardlink"] != 0 {
		t.Errorf("listing %v", want)
	}
}

// reposition changes the uncompressed length a zstd:chunked layer's
// position annotation gives.
func reposition(a map[string]string, plain func(int64) int64) {
	key := "io.github.containers.zstd-chunked.manifest-position"
	var at, length, n, typ int64
	fmt.Sscanf(a[key], "%d:%d:%d:%d", &at, &length, &n, &typ)
	a[key] = fmt.Sprintf("%d:%d:%d:%d", at, length, plain(n), typ)
}

// BenchmarkTOCListing lists an eStargz layer of 20,000 files and a
// zstd:chunked one from their tables of contents, over loopback.
func BenchmarkTOCListing(b *testing.B) {
	srv := httptest.NewServer(ggcr.New(ggcr.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	var files []lt.Entry
	for i := range 20000 {
		files = append(files, lt.File(fmt.Sprintf("usr/share/doc/package-%03d/file-%05d.txt", i/100, i), "x"))
	}
	tarBlob := lt.Tar(b, files...)
	lt.Push(b, host, "bench/toc:estargz", lt.EStargz(b, tarBlob))
	lt.Push(b, host, "bench/toc:zstd-chunked", lt.ZstdChunked(b, tarBlob))
	reg, _ := registry.ParseRegistry(srv.URL)
	c := registry.New(reg)
	for _, tag := range []string{"estargz", "zstd-chunked"} {
		b.Run(tag, func(b *testing.B) {
			ref := registry.Reference{Registry: reg, Repository: "bench/toc", Tag: tag}
			m, err := c.Manifest(context.Background(), ref)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				tree := imagefs.NewTree(true)
				if err := image.ReadLayer(context.Background(), c, ref, 0, m.Layers()[0], tree, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestATableOfContentsIsDecodedAsItArrives: a table of contents far
// larger than what it lists (one file in 100,000 chunks, each with a
// digest of its own), its answer held at 10% and at 90% while the heap is
// measured: what arrives in between is not held, eStargz and zstd:chunked
// alike.
func TestATableOfContentsIsDecodedAsItArrives(t *testing.T) {
	tarBlob := lt.Tar(t, lt.File("srv/big.bin", incompressible(1, 64<<10)), lt.File("etc/hostname", "box\n"))
	for _, kind := range []string{"eStargz", "zstd:chunked"} {
		edited := lt.EStargzEdited
		if kind == "zstd:chunked" {
			edited = lt.ZstdChunkedEdited
		}
		layer := edited(t, tarBlob, lt.Chunks(100_000))
		_, tocSize := tocRange(layer)
		var live []uint64
		tree := listPausing(t, layer, []int64{tocSize / 10, tocSize * 9 / 10}, func() { live = append(live, rt.LiveHeap()) })
		if _, ok := tree.Lookup("/srv/big.bin"); !ok || len(live) != 2 {
			t.Fatalf("%s: listed %v, %d pauses in the table of contents", kind, ok, len(live))
		}
		growth := float64(live[1]) - float64(live[0])
		t.Logf("%s: a table of contents of %.1f MB: live heap %.1f MiB at 10%%, %.1f MiB at 90%%", kind, float64(tocSize)/1e6, float64(live[0])/(1<<20), float64(live[1])/(1<<20))
		// Held whole, a table of contents costs many times its own size
		// (one of 200 MB took 3.3 GiB); read as it arrives, the heap
		// grows by little (0.1 MiB here, 1.5 MiB beside two CPU hogs,
		// where a quarter of its size was once too little).
		if growth > float64(tocSize) {
			t.Errorf("%s: the heap grew by %.1f MiB while 80%% of a table of contents of %.1f MB arrived", kind, growth/(1<<20), float64(tocSize)/1e6)
		}
	}
}

// TestAnOutsizedEntryOfATableOfContentsIsNotHeld: an entry of a table of
// contents with an extended attribute of 32 MiB, the digest right: its
// decoding stops a megabyte into the entry (the answer never reaches the
// pause at 90%) and the layer is read whole instead.
func TestAnOutsizedEntryOfATableOfContentsIsNotHeld(t *testing.T) {
	tarBlob := lt.Tar(t, lt.File("srv/big.bin", "big"), lt.File("etc/hostname", "box\n"))
	layer := lt.EStargzEdited(t, tarBlob, func(toc *estargz.JTOC) {
		at := slices.IndexFunc(toc.Entries, func(e *estargz.TOCEntry) bool { return e.Name == "srv/big.bin" })
		toc.Entries[at].Xattrs = map[string][]byte{"user.padding": []byte(incompressible(2, 32<<20))}
	})
	_, tocSize := tocRange(layer)
	var paused atomic.Bool
	tree := listPausing(t, layer, []int64{tocSize * 9 / 10}, func() { paused.Store(true) })
	if _, ok := tree.Lookup("/srv/big.bin"); !ok || paused.Load() {
		t.Errorf("listed: %v; the table of contents was read to 90%% of its %d bytes: %v", ok, tocSize, paused.Load())
	}
}

// tocRange is where a layer's table of contents is: as its footer says
// (eStargz), or its position annotation (zstd:chunked).
func tocRange(l lt.Layer) (at, size int64) {
	if pos, ok := l.Annotations["io.github.containers.zstd-chunked.manifest-position"]; ok {
		fmt.Sscanf(pos, "%d:%d", &at, &size)
		return at, size
	}
	gz := new(estargz.GzipDecompressor)
	footerAt := int64(len(l.Blob)) - gz.FooterSize()
	_, at, _, _ = gz.ParseFooter(l.Blob[footerAt:])
	return at, footerAt - at
}

// listPausing lists layer, read from a registry whose answer for its table
// of contents calls pause as it has sent each of marks bytes.
func listPausing(t *testing.T, layer lt.Layer, marks []int64, pause func()) *imagefs.Tree {
	t.Helper()
	at, _ := tocRange(layer)
	srv := httptest.NewServer(pauseAt(ggcr.New(ggcr.Logger(log.New(io.Discard, "", 0))), at, marks, pause))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	lt.Push(t, host, "big/toc:v1", layer)
	c, ref, m := imageOf(t, host, "big/toc")
	tree := imagefs.NewTree(true)
	if err := image.ReadLayer(context.Background(), c, ref, 0, m.Layers()[0], tree, nil); err != nil {
		t.Fatal(err)
	}
	return tree
}

// pauseAt serves h; an answer to a range request from offset calls pause
// as it has sent each of marks bytes (in order), and goes on when pause
// returns.
func pauseAt(h http.Handler, offset int64, marks []int64, pause func()) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.Header.Get("Range"), fmt.Sprintf("bytes=%d-", offset)) {
			w = &pausingWriter{ResponseWriter: w, marks: marks, pause: pause}
		}
		h.ServeHTTP(w, r)
	})
}

type pausingWriter struct {
	http.ResponseWriter
	sent  int64
	marks []int64
	pause func()
}

func (p *pausingWriter) Write(b []byte) (int, error) {
	written := 0
	for len(p.marks) > 0 && p.sent+int64(len(b)) >= p.marks[0] {
		n, err := p.ResponseWriter.Write(b[:p.marks[0]-p.sent])
		written, p.sent, b = written+n, p.sent+int64(n), b[n:]
		if err != nil {
			return written, err
		}
		p.ResponseWriter.(http.Flusher).Flush()
		time.Sleep(100 * time.Millisecond) // the client reads what was sent
		p.pause()
		p.marks = p.marks[1:]
	}
	n, err := p.ResponseWriter.Write(b)
	p.sent += int64(n)
	return written + n, err
}

// TestEStargzLandmarksAreNoFiles: containerd's estargz writes a landmark
// file (/.no.prefetch.landmark, or /.prefetch.landmark after the files to
// prefetch) and its table of contents (/stargz.index.json) into the tar,
// for the stargz snapshotter. They are not the image's files: neither the
// listing from the table of contents nor a walk of the tar (a table of
// contents that is not believed) shows them, and the sizes are those of
// the same tar gzipped.
func TestEStargzLandmarksAreNoFiles(t *testing.T) {
	reg := newCountedRegistry(t)
	tarBlob := lt.Tar(t, lt.Dir("etc/"), lt.File("etc/hostname", "box\n"), lt.File("usr/bin/app", incompressible(3, 10<<10)), lt.Symlink("bin", "usr/bin"))
	wrong := map[string]string{"containerd.io/snapshot/stargz/toc.digest": "sha256:" + fmt.Sprintf("%064d", 0)}
	layers := map[string]lt.Layer{"gzip": {Blob: lt.Gzip(t, tarBlob), MediaType: "application/vnd.oci.image.layer.v1.tar+gzip"}}
	for name, opts := range map[string][]estargz.Option{"estargz": nil, "prefetch": {estargz.WithPrioritizedFiles([]string{"etc/hostname"})}} {
		layers[name] = lt.EStargz(t, tarBlob, opts...)
		walked := layers[name]
		walked.Annotations = wrong
		layers[name+", walked"] = walked
	}
	list := func(name string) (files map[string]int64, total int64) {
		lt.Push(t, reg.addr, "landmarks/layer:v1", layers[name])
		c, ref, m := imageOf(t, reg.addr, "landmarks/layer")
		tree := imagefs.NewTree(true)
		if err := image.ReadLayer(context.Background(), c, ref, 0, m.Layers()[0], tree, nil); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		files = map[string]int64{}
		tree.Walk(0, func(n imagefs.Node) bool {
			if n.Type != imagefs.Dir {
				files[n.Path+" "+n.Type.String()] = n.Size
			}
			return true
		})
		var walked []string
		_, err := image.WalkLayer(context.Background(), c, ref, 0, m.Layers()[0], nil, func(e imagefs.Entry, _ imagefs.Body) error {
			walked = append(walked, e.Path)
			return nil
		})
		if err != nil || slices.ContainsFunc(walked, func(p string) bool { return strings.Contains(p, "landmark") || strings.Contains(p, "stargz") }) {
			t.Errorf("%s: the walk (files --layer) gives %q, %v", name, walked, err)
		}
		return files, tree.Size(0).Total
	}
	want, wantTotal := list("gzip")
	for _, name := range []string{"estargz", "estargz, walked", "prefetch", "prefetch, walked"} {
		got, total := list(name)
		if !maps.Equal(got, want) || total != wantTotal {
			t.Errorf("%s: %v (%d bytes), the tar gzipped lists %v (%d bytes)", name, got, total, want, wantTotal)
		}
	}
	// Compared with the gzip image, the eStargz ones hold the same files.
	for tag, name := range map[string]string{"gzip": "gzip", "prefetch": "prefetch", "walked": "estargz, walked"} {
		lt.Push(t, reg.addr, "landmarks/compared:"+tag, layers[name])
	}
	c, ref, _ := imageOf(t, reg.addr, "landmarks/layer")
	ref.Repository = "landmarks/compared"
	for _, tag := range []string{"prefetch", "walked"} {
		a, b := ref, ref
		a.Tag, b.Tag = "gzip", tag
		d, err := image.DiffHeads(context.Background(), c, a, c, b, "")
		if err == nil {
			err = image.DiffFiles(context.Background(), d, nil)
		}
		if err != nil || len(d.Files.Changes) != 0 {
			t.Errorf("gzip against %s: %v, %+v", tag, err, d.Files.Changes)
		}
	}
	// What is left out is only what estargz adds: a file of that name in a
	// layer that is not eStargz is a file.
	lt.Push(t, reg.addr, "landmarks/layer:v1", lt.Layer{Blob: lt.Gzip(t, lt.Tar(t, lt.File(".no.prefetch.landmark", "mine"))), MediaType: "application/vnd.oci.image.layer.v1.tar+gzip"})
	c, ref, m := imageOf(t, reg.addr, "landmarks/layer")
	tree := imagefs.NewTree(true)
	if err := image.ReadLayer(context.Background(), c, ref, 0, m.Layers()[0], tree, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := tree.Lookup("/.no.prefetch.landmark"); !ok {
		t.Error("a file of a plain layer was left out")
	}
}
