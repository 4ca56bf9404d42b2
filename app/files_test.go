package app_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	ggcr "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/imagefs"
	lt "github.com/card-catalog/card-catalog/app/imagefs/layertest"
	"github.com/card-catalog/card-catalog/registry"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

type testLayer = lt.Layer

// threeLayers: gzip, zstd and plain tar, with a whiteout, an opaque
// directory, an overwrite, symlinks and a hard link.
func threeLayers(t *testing.T) []testLayer {
	return []testLayer{
		{Blob: lt.Gzip(t, lt.Tar(t, lt.Dir("etc/"), lt.File("etc/os-release", "ID=base\n"), lt.File("etc/motd", "hi"),
			lt.Dir("var/cache/"), lt.File("var/cache/old", "o"), lt.Symlink("bin", "usr/bin"), lt.Dir("usr/bin/"),
			lt.File("usr/bin/tool", "#!tool"))), MediaType: types.OCILayer},
		{Blob: lt.Zstd(t, lt.Tar(t, lt.File("etc/os-release", "ID=zstd\n"), lt.File("etc/.wh.motd", ""),
			lt.File("var/cache/.wh..wh..opq", ""), lt.File("var/cache/new", "n"), lt.Hardlink("usr/bin/tool2", "usr/bin/tool"))), MediaType: types.OCILayerZStd},
		{Blob: lt.Tar(t, lt.File("README", "read me\n"), lt.Symlink("readme-link", "/README")), MediaType: types.OCIUncompressedLayer},
	}
}

func pushImage(t *testing.T, host, repo string, layers []testLayer) {
	lt.Push(t, host, repo+":v1", layers...)
}

// imageOf reads the image back with the engine.
func imageOf(t *testing.T, host, repo string, opts ...registry.Option) (*registry.Client, registry.Reference, *registry.Manifest) {
	t.Helper()
	reg, err := registry.ParseRegistry("http://" + host)
	if err != nil {
		t.Fatal(err)
	}
	c := registry.New(reg, opts...)
	ref := registry.Reference{Registry: reg, Repository: repo, Tag: "v1"}
	m, err := c.Manifest(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return c, ref, m
}

func mergedPaths(t *testing.T, tree *imagefs.Tree) map[string]int {
	out := map[string]int{}
	tree.Walk(0, func(n imagefs.Node) bool {
		out[n.Path] = n.Layer
		return true
	})
	return out
}

// checkThreeLayers reads the image of threeLayers from a registry.
func checkThreeLayers(t *testing.T, host string) {
	c, ref, m := imageOf(t, host, "files/three")
	tree := imagefs.NewTree(false)
	var last image.Progress
	if err := image.ReadImage(context.Background(), c, ref, m.Layers(), tree, func(p image.Progress) { last = p }); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"/": 0, "/etc": 0, "/etc/os-release": 1, "/var": 0, "/var/cache": 0, "/var/cache/new": 1,
		"/bin": 0, "/usr": 0, "/usr/bin": 0, "/usr/bin/tool": 0, "/usr/bin/tool2": 1, "/README": 2, "/readme-link": 2}
	got := mergedPaths(t, tree)
	for p, l := range want {
		if gl, ok := got[p]; !ok || gl != l {
			t.Errorf("%s: layer %d (present %v), want %d", p, gl, ok, l)
		}
	}
	if _, ok := got["/etc/motd"]; ok {
		t.Error("the whiteout did not delete /etc/motd")
	}
	if _, ok := got["/var/cache/old"]; ok {
		t.Error("the opaque directory kept /var/cache/old")
	}
	if last.Done != 3 || last.Entries == 0 || last.Read != registry.TotalSize(m.Layers()) {
		t.Errorf("last progress %+v", last)
	}
	for p, content := range map[string]string{"/readme-link": "read me\n", "/etc/os-release": "ID=zstd\n", "/bin/tool": "#!tool", "/usr/bin/tool2": "#!tool"} {
		b := &image.CappedBuffer{Cap: 1 << 20}
		if _, err := image.ReadFile(context.Background(), c, ref, m.Layers(), tree, p, b); err != nil || string(b.Bytes()) != content {
			t.Errorf("cat %s: %q, %v", p, b.Bytes(), err)
		}
	}
}

func TestImageFilesFromAnInProcessRegistry(t *testing.T) {
	srv := httptest.NewServer(ggcr.New())
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	pushImage(t, host, "files/three", threeLayers(t))
	checkThreeLayers(t, host)
}

func TestImageFilesFromTheDistributionServer(t *testing.T) {
	reg := rt.StartDistribution(t, "")
	pushImage(t, reg.Host, "files/three", threeLayers(t))
	checkThreeLayers(t, reg.Host)
}

// tamper serves the registry, but answers blob GETs of digests in bad
// with what the function does instead.
func tamper(t *testing.T, bad map[string]func(w http.ResponseWriter, r *http.Request, blob []byte)) (string, func(string, []byte)) {
	blobs := map[string][]byte{}
	h := ggcr.New()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if i := strings.Index(r.URL.Path, "/blobs/sha256:"); i > 0 && r.Method == http.MethodGet {
			d := r.URL.Path[i+len("/blobs/"):]
			if f, ok := bad[d]; ok {
				f(w, r, blobs[d])
				return
			}
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), func(d string, b []byte) { blobs[d] = b }
}

func digestOf(b []byte) string { h, _, _ := v1.SHA256(bytes.NewReader(b)); return h.String() }

func TestBadLayersSayWhatWentWrong(t *testing.T) {
	gz := lt.Gzip(t, lt.Tar(t, lt.File("a", strings.Repeat("x", 200_000)), lt.File("b", "y")))
	otherTime := bytes.Clone(gz)
	otherTime[4] ^= 0xff // gzip's MTIME: the same files, other bytes
	corrupt := bytes.Clone(gz)
	corrupt[len(corrupt)/2] ^= 0xff
	plain := lt.Tar(t, lt.File("a", "x"))
	for _, c := range []struct {
		name  string
		layer testLayer
		serve func(w http.ResponseWriter, r *http.Request, blob []byte)
		want  error
		words string
	}{
		{"digest mismatch", testLayer{Blob: gz, MediaType: types.OCILayer}, func(w http.ResponseWriter, _ *http.Request, _ []byte) { w.Write(otherTime) }, nil, "content hashes to"},
		{"garbage in the stream", testLayer{Blob: gz, MediaType: types.OCILayer}, func(w http.ResponseWriter, _ *http.Request, _ []byte) { w.Write(corrupt) }, nil, "(and so the layer is corrupt: "},
		{"truncated", testLayer{Blob: gz, MediaType: types.OCILayer}, func(w http.ResponseWriter, _ *http.Request, b []byte) { w.Write(b[:len(b)/2]) }, nil, "the registry sent "},
		{"dropped half way", testLayer{Blob: gz, MediaType: types.OCILayer}, func(w http.ResponseWriter, _ *http.Request, b []byte) {
			w.Header().Set("Content-Length", "999999")
			w.Write(b[:len(b)/2])
			w.(http.Flusher).Flush()
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		}, registry.ErrUnreachable, "connection dropped"},
		{"not what its media type says", testLayer{Blob: plain, MediaType: types.OCILayer}, nil, imagefs.ErrCorrupt, "says gzip, but its bytes are uncompressed"},
		{"unknown media type", testLayer{Blob: plain, MediaType: "application/vnd.example.thing"}, nil, imagefs.ErrNotALayer, "application/vnd.example.thing"},
		{"foreign, not in the registry", testLayer{Blob: gz, MediaType: types.DockerForeignLayer, URLs: []string{"https://example.com/layer"}}, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
			http.Error(w, `{"errors":[{"code":"BLOB_UNKNOWN"}]}`, http.StatusNotFound)
		}, image.ErrForeignLayer, "https://example.com/layer"},
	} {
		t.Run(c.name, func(t *testing.T) {
			bad := map[string]func(http.ResponseWriter, *http.Request, []byte){}
			host, keep := tamper(t, bad)
			pushImage(t, host, "files/bad", []testLayer{c.layer})
			d := digestOf(c.layer.Blob)
			keep(d, c.layer.Blob)
			if c.serve != nil {
				bad[d] = c.serve
			}
			cl, ref, m := imageOf(t, host, "files/bad", registry.WithRetry(1, 0))
			err := image.ReadImage(context.Background(), cl, ref, m.Layers(), imagefs.NewTree(false), nil)
			var le *image.LayerError
			if !errors.As(err, &le) || le.Index != 0 || !strings.Contains(err.Error(), "layer 0 (sha256:") {
				t.Fatalf("not a layer's error: %v", err)
			}
			if c.want == nil {
				c.want = registry.ErrDigestMismatch
			}
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.words) {
				t.Fatalf("%v", err)
			}
		})
	}
}

func TestStoppingALayerClosesTheConnection(t *testing.T) {
	var closed atomic.Bool
	// Two gzip members: the first entry whole in the first, so that it can
	// arrive while the rest does not.
	whole := lt.Tar(t, lt.File("first", "1"), lt.File("second", strings.Repeat("z", 1<<20)))
	head := lt.Gzip(t, whole[:1536])
	gz := append(head, lt.Gzip(t, whole[1536:])...)
	bad := map[string]func(http.ResponseWriter, *http.Request, []byte){}
	host, keep := tamper(t, bad)
	pushImage(t, host, "files/slow", []testLayer{{Blob: gz, MediaType: types.OCILayer}})
	d := digestOf(gz)
	keep(d, gz)
	release := make(chan struct{})
	t.Cleanup(func() {
		select {
		case <-release:
		default:
			close(release)
		}
	})
	bad[d] = func(w http.ResponseWriter, r *http.Request, b []byte) {
		// The first entries, then nothing until the client goes.
		w.Write(b[:len(head)])
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done(): // the client closed the connection
			closed.Store(true)
		case <-release:
		}
	}
	cl, ref, m := imageOf(t, host, "files/slow")
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	tree := imagefs.NewTree(true)
	done := make(chan error, 1)
	go func() {
		done <- image.ReadLayer(ctx, cl, ref, 0, m.Layers()[0], tree, func(p image.Progress) {})
	}()
	for deadline := time.Now().Add(rt.Patience); tree.Len() < 2; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no entries arrived")
		}
	}
	// The server holds the rest of the layer until release, which comes
	// only after the read ended: Stop is the only way out of it.
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("%v", err)
		}
	case <-time.After(rt.Patience):
		t.Fatal("Stop did not stop the read")
	}
	for deadline := time.Now().Add(rt.Patience); !closed.Load(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the connection stayed open after Stop")
		}
	}
	close(release)
	for deadline := time.Now().Add(rt.Patience); runtime.NumGoroutine() > before; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines left after the read stopped (was %d):\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
	}
	if _, ok := tree.Lookup("/first"); !ok {
		t.Fatal("what arrived was not kept")
	}
}
