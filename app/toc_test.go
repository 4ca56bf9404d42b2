package app_test

import (
	"context"
	"fmt"
	"maps"
	"testing"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/imagefs"
	lt "github.com/card-catalog/card-catalog/app/imagefs/layertest"
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
		if err := app.ReadLayer(context.Background(), c, ref, 0, m.Layers()[0], tree, nil); err != nil {
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
	// The stream holds the table of contents and the landmark as files.
	for p := range streamed {
		if _, ok := fromTOC[p]; !ok && p != "/stargz.index.json file" && p != "/.no.prefetch.landmark file" {
			t.Errorf("%s is in the stream, not in the table of contents", p)
		}
	}
	delete(streamed, "/stargz.index.json file")
	delete(streamed, "/.no.prefetch.landmark file")
	delete(fromTOC, "/.no.prefetch.landmark file")
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
	}
	var want map[string]int64
	for _, name := range []string{"no sum", "annotated", "footer", "wrong sum", "bad position"} {
		l := layer
		l.Annotations = maps.Clone(layer.Annotations)
		variants[name](l.Annotations)
		lt.Push(t, reg.addr, "chunked/layer:v1", l)
		c, ref, m := imageOf(t, reg.addr, "chunked/layer")
		reg.sent()
		tree := imagefs.NewTree(true)
		if err := app.ReadLayer(context.Background(), c, ref, 0, m.Layers()[0], tree, nil); err != nil {
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
