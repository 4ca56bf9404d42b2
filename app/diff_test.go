package app_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	ggcr "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/card-catalog/card-catalog/app"
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

func TestDiffReadsOnlyTheLayersNotShared(t *testing.T) {
	host, gets := countingRegistry(t)
	base := lt.Layer{Blob: lt.Gzip(t, lt.Tar(t, lt.Dir("etc/"), lt.File("etc/os-release", "ID=base\n"), lt.File("etc/motd", "hi"))), MediaType: types.OCILayer}
	deps := lt.Layer{Blob: lt.Gzip(t, lt.Tar(t, lt.File("usr/lib/libx.so", "x1"))), MediaType: types.OCILayer}
	v1 := lt.Layer{Blob: lt.Gzip(t, lt.Tar(t, lt.File("app/main.py", "print(1)\nprint('a')\n"), lt.File("app/old.py", "o"))), MediaType: types.OCILayer}
	v2 := lt.Layer{Blob: lt.Zstd(t, lt.Tar(t, lt.File("app/main.py", "print(2)\nprint('a')\n"), lt.File("app/new.py", "n"), lt.File("etc/.wh.motd", ""))), MediaType: types.OCILayerZStd}
	lt.Push(t, host, "app:v1", base, deps, v1)
	lt.Push(t, host, "app:v2", base, deps, v2)
	c, refA, _ := imageOf(t, host, "app")
	refA.Tag = "v1"
	refB := refA
	refB.Tag = "v2"
	d, err := app.DiffHeads(context.Background(), c, refA, c, refB, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := app.DiffFiles(context.Background(), d, nil); err != nil {
		t.Fatal(err)
	}
	if d.Layers.Prefix != 2 || len(d.Layers.Added) != 1 || len(d.Layers.Removed) != 1 {
		t.Errorf("layers %+v", d.Layers)
	}
	for _, shared := range []lt.Layer{base, deps} {
		if n := gets(digestOf(shared.Blob)); n != 0 {
			t.Errorf("a shared layer was read %d times", n)
		}
	}
	if gets(digestOf(v1.Blob)) != 1 || gets(digestOf(v2.Blob)) != 1 || d.Read != int64(len(v1.Blob)+len(v2.Blob)) {
		t.Errorf("read %d bytes", d.Read)
	}
	var got []string
	for _, ch := range d.Files.Changes {
		got = append(got, string(ch.Op)+" "+ch.Path)
	}
	want := "~ /app/main.py,+ /app/new.py,- /app/old.py,- /etc/motd"
	if strings.Join(got, ",") != want {
		t.Errorf("files %v, want %s", got, want)
	}
	if !d.Differs() {
		t.Error("they differ")
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
	d, err := app.DiffHeads(context.Background(), ca, refA, cb, refB, "")
	if err != nil || !d.Same || d.Differs() {
		t.Fatalf("a mirror of the same image: %v", err)
	}
	gone, _ := registry.ParseRegistry("http://127.0.0.1:1")
	refGone := registry.Reference{Registry: gone, Repository: "mirror", Tag: "v1"}
	_, err = app.DiffHeads(context.Background(), ca, refA, registry.New(gone, registry.WithRetry(1, 0)), refGone, "")
	if !errors.Is(err, registry.ErrUnreachable) || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("%v", err)
	}
}
