package app_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	ggcr "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/card-catalog/card-catalog/app/cache"
	"github.com/card-catalog/card-catalog/app/image"
	lt "github.com/card-catalog/card-catalog/app/imagefs/layertest"
	"github.com/card-catalog/card-catalog/registry"
)

// countingRegistry is an in-process registry that counts the blob GETs
// of each digest.
func countingRegistry(t *testing.T) (host string, gets func(digest string) int) {
	var mu sync.Mutex
	counts := map[string]int{}
	h := ggcr.New()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if i := strings.Index(r.URL.Path, "/blobs/sha256:"); i > 0 && r.Method == http.MethodGet {
			mu.Lock()
			counts[r.URL.Path[i+len("/blobs/"):]]++
			mu.Unlock()
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), func(d string) int {
		mu.Lock()
		defer mu.Unlock()
		return counts[d]
	}
}

// gzipped makes tars into gzip layers.
func gzipped(t *testing.T, tars ...[]byte) []lt.Layer {
	var out []lt.Layer
	for _, b := range tars {
		out = append(out, lt.Layer{Blob: lt.Gzip(t, b), MediaType: types.OCILayer})
	}
	return out
}

func changeLines(d *image.ImageDiff) []string {
	var got []string
	for _, ch := range d.Files.Changes {
		got = append(got, string(ch.Op)+" "+ch.Path)
	}
	return got
}

func diffOf(t *testing.T, src image.Source, refA, refB registry.Reference) *image.ImageDiff {
	t.Helper()
	d, err := image.DiffHeads(context.Background(), src, refA, src, refB, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := image.DiffFiles(context.Background(), d, nil); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDiffIsWhatTheWholeMergesSay: where one image's layers change a path
// the other's leave as the shared layers have it, the shared layers'
// listing settles it, read once for both images (and not again once it
// is kept), and the answer is what a runtime's merge of each image says.
func TestDiffIsWhatTheWholeMergesSay(t *testing.T) {
	host, gets := countingRegistry(t)
	sharedTars, aTars, bTars := lt.DiffImages(t)
	shared := gzipped(t, sharedTars...)
	lt.Push(t, host, "app:v1", append(slices.Clone(shared), gzipped(t, aTars...)...)...)
	lt.Push(t, host, "app:v2", append(slices.Clone(shared), gzipped(t, bTars...)...)...)
	want := lt.DiffMerged(lt.Merge(t, append(slices.Clone(sharedTars), aTars...)...), lt.Merge(t, append(slices.Clone(sharedTars), bTars...)...))
	c, refA, _ := imageOf(t, host, "app")
	refB := refA
	refB.Tag = "v2"

	store, err := cache.Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	src := &image.KeptSource{Live: c, Cache: store.Scope(c.Registry().String())}
	d := diffOf(t, src, refA, refB)
	if got := changeLines(d); !slices.Equal(got, want) {
		t.Errorf("files\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var sharedBytes int64
	for _, l := range shared {
		sharedBytes += int64(len(l.Blob))
		if n := gets(digestOf(l.Blob)); n != 1 {
			t.Errorf("a shared layer was read %d times, want once for both images", n)
		}
	}
	if !d.SharedListed || d.SharedRead != sharedBytes {
		t.Errorf("shared listed %v, %d bytes read of %d", d.SharedListed, d.SharedRead, sharedBytes)
	}

	// Again: the listings are kept, and no layer is fetched.
	again := diffOf(t, src, refA, refB)
	if !slices.Equal(changeLines(again), want) || again.SharedRead != sharedBytes {
		t.Errorf("again: %d bytes of the shared layers listed", again.SharedRead)
	}
	for _, l := range shared {
		if n := gets(digestOf(l.Blob)); n != 1 {
			t.Errorf("a shared layer was read %d times, want once in all", n)
		}
	}
	// The whole trees read the files of the shared layers too.
	if n, err := readAll(t, src, d.B, "/opt/old/sub/c"); err != nil || n != "c" {
		t.Errorf("a file of the shared layers: %q %v", n, err)
	}

}

func readAll(t *testing.T, src image.Source, s image.DiffSide, p string) (string, error) {
	b := &image.CappedBuffer{Cap: 1 << 20}
	_, err := image.ReadFile(context.Background(), src, s.Ref, s.Manifest.Layers(), s.Tree, p, b)
	return string(b.Bytes()), err
}

// TestDiffReadsNoSharedLayerWhenTheImagesChangeTheSamePaths: when both
// images' own layers write or delete every path either touches, the shared
// layers cannot change the answer and are never read.
func TestDiffReadsNoSharedLayerWhenTheImagesChangeTheSamePaths(t *testing.T) {
	host, gets := countingRegistry(t)
	base := lt.Layer{Blob: lt.Gzip(t, lt.Tar(t, lt.Dir("etc/"), lt.File("etc/os-release", "ID=base\n"), lt.File("etc/motd", "hi"))), MediaType: types.OCILayer}
	deps := lt.Layer{Blob: lt.Gzip(t, lt.Tar(t, lt.File("usr/lib/libx.so", "x1"))), MediaType: types.OCILayer}
	v1 := lt.Layer{Blob: lt.Gzip(t, lt.Tar(t, lt.Dir("app/"), lt.File("app/main.py", "print(1)\nprint('a')\n"), lt.File("app/old.py", "o"), lt.File("app/.wh.new.py", ""))), MediaType: types.OCILayer}
	v2 := lt.Layer{Blob: lt.Zstd(t, lt.Tar(t, lt.Dir("app/"), lt.File("app/main.py", "print(2)\nprint('a')\n"), lt.File("app/new.py", "n"), lt.File("app/.wh.old.py", ""))), MediaType: types.OCILayerZStd}
	lt.Push(t, host, "app:v1", base, deps, v1)
	lt.Push(t, host, "app:v2", base, deps, v2)
	c, refA, _ := imageOf(t, host, "app")
	refB := refA
	refB.Tag = "v2"
	d := diffOf(t, c, refA, refB)
	if d.Layers.Prefix != 2 || len(d.Layers.Added) != 1 || len(d.Layers.Removed) != 1 {
		t.Errorf("layers %+v", d.Layers)
	}
	for _, shared := range []lt.Layer{base, deps} {
		if n := gets(digestOf(shared.Blob)); n != 0 {
			t.Errorf("a shared layer was read %d times", n)
		}
	}
	if d.SharedListed || gets(digestOf(v1.Blob)) != 1 || gets(digestOf(v2.Blob)) != 1 || d.Read != int64(len(v1.Blob)+len(v2.Blob)) {
		t.Errorf("read %d bytes, shared listed %v", d.Read, d.SharedListed)
	}
	want := "~ /app/main.py,+ /app/new.py,- /app/old.py"
	if got := strings.Join(changeLines(d), ","); got != want {
		t.Errorf("files %v, want %s", got, want)
	}
	if !d.Differs() || !strings.Contains(image.DiffCost(d), "none of the 2 shared") {
		t.Errorf("they differ; cost %q", image.DiffCost(d))
	}
}

func TestDiffAcrossRegistriesAndAnUnreachableOne(t *testing.T) {
	hostA, _ := countingRegistry(t)
	hostB, _ := countingRegistry(t)
	layer := lt.Layer{Blob: lt.Gzip(t, lt.Tar(t, lt.File("a", "1"))), MediaType: types.OCILayer}
	lt.Push(t, hostA, "mirror:v1", layer)
	lt.Push(t, hostB, "mirror:v1", layer)
	ca, refA, _ := imageOf(t, hostA, "mirror")
	cb, refB, _ := imageOf(t, hostB, "mirror")
	d, err := image.DiffHeads(context.Background(), ca, refA, cb, refB, "")
	if err != nil || !d.Same || d.Differs() {
		t.Fatalf("a mirror of the same image: %v", err)
	}
	gone, _ := registry.ParseRegistry("http://127.0.0.1:1")
	refGone := registry.Reference{Registry: gone, Repository: "mirror", Tag: "v1"}
	_, err = image.DiffHeads(context.Background(), ca, refA, registry.New(gone, registry.WithRetry(1, 0)), refGone, "")
	if !errors.Is(err, registry.ErrUnreachable) || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("%v", err)
	}
}
