package app_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	ggcr "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/apptest"
	"github.com/card-catalog/card-catalog/app/cache"
	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/imagefs"
	lt "github.com/card-catalog/card-catalog/app/imagefs/layertest"
	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// countedRegistry is go-containerregistry's registry behind a listener
// that can be closed and opened again on the same port (the network going
// down and coming back), counting requests by method and kind.
type countedRegistry struct {
	t       *testing.T
	addr    string
	handler http.Handler
	srv     *http.Server

	mu     sync.Mutex
	counts map[string]int
	// blobBytes is what blob GETs sent; ranges says how Range is answered.
	blobBytes int64
	ranges    rangeMode
	// blobs are the blob GETs being answered: one the client stopped
	// reading still writes a little until it notices.
	blobs sync.WaitGroup
}

type rangeMode int

const (
	honourRange rangeMode = iota
	ignoreRange           // 200 with the whole blob, as some blob stores do
	lieInRange            // 206 and the asked Content-Range, other bytes
)

// countingWriter counts the body bytes sent, and can put back the
// Content-Range that was asked for.
type countingWriter struct {
	http.ResponseWriter
	n            *int64
	mu           *sync.Mutex
	contentRange string
}

func (w *countingWriter) WriteHeader(code int) {
	if w.contentRange != "" && code == http.StatusPartialContent {
		w.Header().Set("Content-Range", w.contentRange)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.mu.Lock()
	*w.n += int64(n)
	w.mu.Unlock()
	return n, err
}

func newCountedRegistry(t *testing.T) *countedRegistry {
	r := &countedRegistry{t: t, handler: ggcr.New(ggcr.Logger(log.New(io.Discard, "", 0))), counts: map[string]int{}}
	r.up()
	t.Cleanup(r.down)
	return r
}

func (r *countedRegistry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	kind := "other"
	for _, k := range []string{"manifests", "blobs", "tags", "_catalog", "referrers"} {
		if strings.Contains(req.URL.Path, "/"+k) {
			kind = k
			break
		}
	}
	r.mu.Lock()
	r.counts[req.Method+" "+kind]++
	mode := r.ranges
	r.mu.Unlock()
	if kind == "blobs" && req.Method == http.MethodGet {
		r.blobs.Add(1)
		defer r.blobs.Done()
		cw := &countingWriter{ResponseWriter: w, n: &r.blobBytes, mu: &r.mu}
		if asked := req.Header.Get("Range"); asked != "" {
			switch mode {
			case ignoreRange:
				req.Header.Del("Range")
			case lieInRange:
				var from, to int64
				fmt.Sscanf(asked, "bytes=%d-%d", &from, &to)
				shifted := fmt.Sprintf("bytes=%d-", from+4096)
				if to > 0 {
					shifted += fmt.Sprint(to + 4096)
				}
				req.Header.Set("Range", shifted)
				cw.contentRange = fmt.Sprintf("bytes %d-%d/*", from, to)
			}
		}
		w = cw
	}
	r.handler.ServeHTTP(w, req)
}

// sent is how many blob bytes went out since the last call, once the blob
// GETs under way have ended (what a closed answer still wrote belongs to
// the read that closed it, not to the next).
func (r *countedRegistry) sent() int64 {
	ended := make(chan struct{})
	go func() { r.blobs.Wait(); close(ended) }()
	select {
	case <-ended:
	case <-time.After(rt.Patience):
		r.t.Fatal("a blob GET is still being answered")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.blobBytes
	r.blobBytes = 0
	return n
}

func (r *countedRegistry) answerRange(m rangeMode) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ranges = m
}

// count is how many requests of a method and kind ("GET manifests") came
// since the last call.
func (r *countedRegistry) count(what string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.counts[what]
	delete(r.counts, what)
	return n
}

func (r *countedRegistry) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.counts)
}

func (r *countedRegistry) up() {
	addr := r.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	var l net.Listener
	var err error
	for range 50 { // the old port may take a moment to be free
		if l, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		r.t.Fatal(err)
	}
	r.addr = l.Addr().String()
	r.srv = &http.Server{Handler: r}
	go r.srv.Serve(l)
}

func (r *countedRegistry) down() {
	if r.srv != nil {
		r.srv.Close()
		r.srv = nil
	}
}

func keptApp(t *testing.T, store *cache.Store, addr string) (*app.App, settings.Entry, *[]image.FromKept) {
	return keptAppWith(t, store, addr, nil)
}

func keptAppWith(t *testing.T, store *cache.Store, addr string, creds registry.CredentialSource) (*app.App, settings.Entry, *[]image.FromKept) {
	t.Helper()
	a := apptest.New(t, settings.Settings{}, app.Options{Cache: store, Credentials: creds, ClientOptions: []registry.Option{registry.WithRetry(1, 0)}})
	var mu sync.Mutex
	var fromKept []image.FromKept
	a.SetKeptHandler(func(_ settings.Entry, s image.FromKept) { mu.Lock(); fromKept = append(fromKept, s); mu.Unlock() })
	e, err := settings.NewEntry("Counted", "http://"+addr, true, false)
	if err != nil {
		t.Fatal(err)
	}
	return a, e, &fromKept
}

func summaryOf(t *testing.T, a *app.App, e settings.Entry, repo, tag string) (image.Summary, error) {
	t.Helper()
	reg, _ := e.Registry()
	type res struct {
		s   image.Summary
		err error
	}
	ch := make(chan res, 1)
	a.TagSummary(context.Background(), e, registry.Reference{Registry: reg, Repository: repo, Tag: tag}, pool.PriorityUser, func(s image.Summary, err error) { ch <- res{s, err} })
	r := rt.Await(t, ch)
	return r.s, r.err
}

func tagsOf(t *testing.T, a *app.App, e settings.Entry, repo string) ([]string, error) {
	type res struct {
		tags []string
		err  error
	}
	ch := make(chan res, 1)
	a.Tags(context.Background(), e, repo, pool.PriorityUser, func(tags []string, err error) { ch <- res{tags, err} })
	r := rt.Await(t, ch)
	return r.tags, r.err
}

func filesOf(t *testing.T, a *app.App, e settings.Entry, repo string, layers []v1.Descriptor) (*imagefs.Tree, error) {
	reg, _ := e.Registry()
	tree := imagefs.NewTree(false)
	ch := make(chan error, 1)
	a.ReadFiles(context.Background(), e, registry.Reference{Registry: reg, Repository: repo}, layers, 0, tree, nil, func(err error) { ch <- err })
	return tree, rt.Await(t, ch)
}

func catalogOf(t *testing.T, a *app.App, e settings.Entry) ([]string, error) {
	var mu sync.Mutex
	var names []string
	ch := make(chan error, 1)
	a.Catalog(context.Background(), e, func(p []string) { mu.Lock(); names = append(names, p...); mu.Unlock() }, func(err error) { ch <- err })
	err := rt.Await(t, ch)
	mu.Lock()
	defer mu.Unlock()
	return names, err
}

// TestWhatWasSeenOpensAgainWithoutAsking: a second look asks only a HEAD
// per tag, fetches no manifest, config or layer again; a moved tag is
// fetched anew; with the registry gone everything seen opens from the
// cache, noted as answered from the copy, and what was never seen says so.
func TestWhatWasSeenOpensAgainWithoutAsking(t *testing.T) {
	reg := newCountedRegistry(t)
	layers := []lt.Layer{{Blob: lt.Gzip(t, lt.Tar(t, lt.Dir("etc/"), lt.File("etc/os-release", "ID=one\n"))), MediaType: types.OCILayer}}
	lt.Push(t, reg.addr, "team/app:v1", layers...)
	lt.Push(t, reg.addr, "team/app:v2", layers...)
	store, err := cache.Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	a, e, fromKept := keptApp(t, store, reg.addr)

	listed := time.Now()
	names, err := catalogOf(t, a, e)
	if err != nil || !slices.Equal(names, []string{"team/app"}) {
		t.Fatalf("catalog %q %v", names, err)
	}
	tags, err := tagsOf(t, a, e, "team/app")
	if err != nil || len(tags) != 2 {
		t.Fatalf("tags %q %v", tags, err)
	}
	first, err := summaryOf(t, a, e, "team/app", "v1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := summaryOf(t, a, e, "team/app", "v2"); err != nil {
		t.Fatal(err)
	}
	m := manifestOf(t, reg.addr, "team/app:v1")
	if _, err := filesOf(t, a, e, "team/app", m.Layers()); err != nil {
		t.Fatal(err)
	}
	reg.reset()

	// Again, online: a HEAD, no GET of the manifest, config or layer.
	again, err := summaryOf(t, a, e, "team/app", "v1")
	if err != nil || again.Digest != first.Digest {
		t.Fatalf("%+v %v", again, err)
	}
	if _, err := filesOf(t, a, e, "team/app", m.Layers()); err != nil {
		t.Fatal(err)
	}
	if h, g, b := reg.count("HEAD manifests"), reg.count("GET manifests"), reg.count("GET blobs"); h != 1 || g != 0 || b != 0 {
		t.Errorf("second look: %d HEAD, %d GET of manifests, %d GET of blobs; want 1, 0, 0", h, g, b)
	}

	// The tag moves: the HEAD sees it and the new manifest is fetched.
	lt.Push(t, reg.addr, "team/app:v1", append(layers, lt.Layer{Blob: lt.Tar(t, lt.File("new", "n")), MediaType: types.OCIUncompressedLayer})...)
	reg.reset()
	moved, err := summaryOf(t, a, e, "team/app", "v1")
	if err != nil || moved.Digest == first.Digest {
		t.Fatalf("the moved tag still shows %s: %v", moved.Digest, err)
	}
	if g := reg.count("GET manifests"); g != 1 {
		t.Errorf("%d GETs of the moved manifest", g)
	}

	// The network goes down.
	reg.down()
	*fromKept = nil
	kept := make(chan []string, 1)
	a.KeptCatalog(context.Background(), e, func(names []string, asOf time.Time, ok bool) {
		if !ok || asOf.Before(listed) || asOf.After(time.Now()) {
			names = nil
		}
		kept <- names
	})
	if names := rt.Await(t, kept); !slices.Equal(names, []string{"team/app"}) {
		t.Errorf("kept catalog %q", names)
	}
	if tags, err := tagsOf(t, a, e, "team/app"); err != nil || len(tags) != 2 {
		t.Errorf("offline tags %q %v", tags, err)
	}
	if s, err := summaryOf(t, a, e, "team/app", "v1"); err != nil || s.Digest != moved.Digest {
		t.Errorf("offline v1: %+v %v", s, err)
	}
	if s, err := summaryOf(t, a, e, "team/app", "v2"); err != nil || s.Digest != first.Digest {
		t.Errorf("offline v2: %+v %v", s, err)
	}
	tree, err := filesOf(t, a, e, "team/app", m.Layers())
	if _, ok := tree.Lookup("/etc/os-release"); err != nil || !ok {
		t.Errorf("offline files: %v", err)
	}
	if len(*fromKept) < 3 || !errors.Is((*fromKept)[0].Err, registry.ErrUnreachable) {
		t.Errorf("answers from the cache were not noted: %+v", *fromKept)
	}
	if _, err := summaryOf(t, a, e, "team/app", "never-seen"); !errors.Is(err, registry.ErrUnreachable) || !strings.Contains(err.Error(), "never fetched on this computer") {
		t.Errorf("a tag never seen: %v", err)
	}

	// A damaged entry is dropped, never shown: the tag list is now not
	// on this computer.
	damageAll(t, store.Dir())
	if tags, err := tagsOf(t, a, e, "team/app"); err == nil {
		t.Errorf("a damaged cache answered %q", tags)
	}

	// Back online, what the damage dropped is fetched again.
	reg.up()
	if tags, err := tagsOf(t, a, e, "team/app"); err != nil || len(tags) != 2 {
		t.Errorf("back online: %q %v", tags, err)
	}
}

// damageAll flips a byte in the middle of every entry.
func damageAll(t *testing.T, dir string) {
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(p)
		b[len(b)/2] ^= 0x20
		return os.WriteFile(p, b, 0o600)
	})
}

func manifestOf(t *testing.T, host, ref string) *registry.Manifest {
	repo, tag, _ := strings.Cut(ref, ":")
	reg, _ := registry.ParseRegistry("http://" + host)
	m, err := registry.New(reg).Manifest(context.Background(), registry.Reference{Registry: reg, Repository: repo, Tag: tag})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestNothingOfARegistryIsKeptWhenSwitchedOff: "keep a copy on this
// computer" off writes nothing.
func TestNothingOfARegistryIsKeptWhenSwitchedOff(t *testing.T) {
	reg := newCountedRegistry(t)
	lt.Push(t, reg.addr, "team/app:v1", lt.Layer{Blob: lt.Tar(t, lt.File("a", "a")), MediaType: types.OCIUncompressedLayer})
	store, _ := cache.Open(t.TempDir(), 0)
	a, e, _ := keptApp(t, store, reg.addr)
	e.NoCache = true
	if _, err := catalogOf(t, a, e); err != nil {
		t.Fatal(err)
	}
	if _, err := summaryOf(t, a, e, "team/app", "v1"); err != nil {
		t.Fatal(err)
	}
	if n := store.Size(); n != 0 {
		t.Errorf("%d bytes kept", n)
	}
	e.NoCache = false
	summaryOf(t, a, e, "team/app", "v1")
	if store.Size() == 0 {
		t.Fatal("nothing kept with the switch on")
	}
	done := make(chan error, 1)
	a.ForgetKept(context.Background(), e, func(err error) { done <- err })
	if err := rt.Await(t, done); err != nil || store.Size() != 0 {
		t.Errorf("forgotten: %v, %d bytes left", err, store.Size())
	}
}

// TestWorkUnderWayWhenTheCopyIsForgottenKeepsNothing: what was being read
// when the person forgot the copy (signing out, the keep switch) does not
// bring it back once it arrives.
func TestWorkUnderWayWhenTheCopyIsForgottenKeepsNothing(t *testing.T) {
	h := ggcr.New(ggcr.Logger(log.New(io.Discard, "", 0)))
	held, release := make(chan struct{}, 1), make(chan struct{})
	var hold atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hold.Load() && r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/manifests/") {
			held <- struct{}{}
			<-release
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	addr := strings.TrimPrefix(srv.URL, "http://")
	lt.Push(t, addr, "team/app:v1", lt.Layer{Blob: lt.Tar(t, lt.File("a", "a")), MediaType: types.OCIUncompressedLayer})
	store, _ := cache.Open(t.TempDir(), 0)
	a, e, _ := keptApp(t, store, addr)
	if _, err := catalogOf(t, a, e); err != nil {
		t.Fatal(err)
	}
	hold.Store(true)
	summary := make(chan error, 1)
	reg, _ := e.Registry()
	a.TagSummary(context.Background(), e, registry.Reference{Registry: reg, Repository: "team/app", Tag: "v1"}, pool.PriorityUser, func(_ image.Summary, err error) { summary <- err })
	rt.Await(t, held) // the manifest is on its way
	forgot := make(chan error, 1)
	a.ForgetKept(context.Background(), e, func(err error) { forgot <- err })
	if err := rt.Await(t, forgot); err != nil {
		t.Fatal(err)
	}
	close(release)
	if err := rt.Await(t, summary); err != nil {
		t.Fatal(err)
	}
	if n := store.Size(); n != 0 {
		t.Errorf("%d bytes kept after the copy was forgotten", n)
	}
}

// TestTheCacheHoldsNoSecret: a registry behind a login (Basic, and a
// token service) leaves no password, token or Authorization header in the
// cache.
func TestTheCacheHoldsNoSecret(t *testing.T) {
	for _, auth := range []rt.Auth{rt.Basic, rt.Bearer} {
		s := rt.Serve(t, rt.Config{Ping: auth, Catalog: auth, Default: auth, Users: map[string]string{"alice": "s3cret-password"}})
		dir := t.TempDir()
		store, _ := cache.Open(dir, 0)
		a, e, _ := keptAppWith(t, store, s.Registry.Host, credential.Static{s.Registry.Host: {Username: "alice", Password: "s3cret-password"}})
		if _, err := catalogOf(t, a, e); err != nil {
			t.Fatal(err)
		}
		if _, err := summaryOf(t, a, e, "library/python", "3.12"); err != nil {
			t.Fatal(err)
		}
		if store.Size() == 0 {
			t.Fatal("nothing kept")
		}
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, _ := os.ReadFile(p)
			for _, secret := range []string{"s3cret-password", "Authorization", "Bearer ", "Basic ", "YWxpY2U6czNjcmV0"} {
				if bytes.Contains(b, []byte(secret)) {
					t.Errorf("auth %d: %s holds %q", auth, p, secret)
				}
			}
			if info, _ := d.Info(); info.Mode().Perm()&0o077 != 0 {
				t.Errorf("%s is readable by others: %v", p, info.Mode())
			}
			return nil
		})
	}
}

// incompressible makes n bytes that gzip cannot shrink.
func incompressible(seed uint64, n int) string {
	r := rand.New(rand.NewPCG(seed, 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return string(b)
}

func fileOf(t *testing.T, a *app.App, e settings.Entry, repo string, layers []v1.Descriptor, tree *imagefs.Tree, p string) (string, error) {
	reg, _ := e.Registry()
	out := &image.CappedBuffer{Cap: 1 << 30}
	ch := make(chan error, 1)
	a.FileContent(context.Background(), e, registry.Reference{Registry: reg, Repository: repo}, layers, tree, p, out, func(_ imagefs.Node, err error) { ch <- err })
	err := rt.Await(t, ch)
	return string(out.Bytes()), err
}

// TestAFileOfAListedLayerCostsOneRangeRequest: a gzip layer of 24 MiB,
// listed once, then a file in its middle read with one range request from
// the checkpoint before it: at most 4 MiB and the file's size, and the
// file's bytes. A blob store that ignores Range is read from the start; a
// range answered with other bytes is caught and the layer read instead.
func TestAFileOfAListedLayerCostsOneRangeRequest(t *testing.T) {
	reg := newCountedRegistry(t)
	var files []lt.Entry
	content := map[string]string{}
	for i := range 24 {
		name := fmt.Sprintf("data/file-%02d", i)
		content["/"+name] = incompressible(uint64(i), 1<<20)
		files = append(files, lt.File(name, content["/"+name]))
	}
	// Files of 3,584 bytes: with its header each takes 4 KiB, so a range
	// answered 4 KiB late starts at the next one's valid header.
	plain := []lt.Entry{lt.File("etc/motd", "hello from a plain tar layer\n")}
	for _, n := range []string{"a", "b", "c"} {
		content["/srv/"+n] = strings.Repeat(n, 3584)
		plain = append(plain, lt.File("srv/"+n, content["/srv/"+n]))
	}
	small := lt.Tar(t, plain...)
	// A zstd layer of many frames, as zstd -B or zstd:chunked write one.
	var zfiles []lt.Entry
	for i := range 12 {
		name := fmt.Sprintf("opt/z-%02d", i)
		content["/"+name] = incompressible(uint64(100+i), 1<<20)
		zfiles = append(zfiles, lt.File(name, content["/"+name]))
		if i == 6 {
			content["/opt/small"] = strings.Repeat("a small file between large ones\n", 128)
			zfiles = append(zfiles, lt.File("opt/small", content["/opt/small"]))
		}
	}
	ztar := lt.Tar(t, zfiles...)
	var frames []byte
	for at := 0; at < len(ztar); at += 1 << 20 {
		frames = append(frames, lt.Zstd(t, ztar[at:min(at+1<<20, len(ztar))])...)
	}
	lt.Push(t, reg.addr, "big/layer:v1", lt.Layer{Blob: lt.Gzip(t, lt.Tar(t, files...)), MediaType: types.OCILayer},
		lt.Layer{Blob: small, MediaType: types.OCIUncompressedLayer}, lt.Layer{Blob: frames, MediaType: types.OCILayerZStd})
	store, _ := cache.Open(t.TempDir(), 0)
	a, e, _ := keptApp(t, store, reg.addr)
	m := manifestOf(t, reg.addr, "big/layer:v1")
	tree, err := filesOf(t, a, e, "big/layer", m.Layers())
	if err != nil {
		t.Fatal(err)
	}
	reg.reset()
	reg.sent()

	const p = "/data/file-13"
	got, err := fileOf(t, a, e, "big/layer", m.Layers(), tree, p)
	if err != nil || got != content[p] {
		t.Fatalf("%d bytes, %v", len(got), err)
	}
	sent, gets := reg.sent(), reg.count("GET blobs")
	if gets != 1 || sent > imagefs.CheckpointEvery+1<<20+64<<10 {
		t.Errorf("%d blob GETs sent %d bytes for a file of 1 MiB; at most one, of 4 MiB and the file", gets, sent)
	}
	t.Logf("a 1 MiB file of a %d-byte layer: %d bytes sent", m.Layers()[0].Size, sent)

	// A zstd layer of frames: from the frame before the file to the one
	// after it (a file that spans a checkpoint costs the two intervals).
	reg.reset()
	if got, err := fileOf(t, a, e, "big/layer", m.Layers(), tree, "/opt/small"); err != nil || got != content["/opt/small"] {
		t.Errorf("zstd: %d bytes, %v", len(got), err)
	}
	if sent, gets := reg.sent(), reg.count("GET blobs"); gets != 1 || sent > imagefs.CheckpointEvery+1<<20 {
		t.Errorf("a 4 kB file of a %d-byte zstd layer: %d GETs, %d bytes", len(frames), gets, sent)
	}
	// A plain tar layer: the header and the file, exactly.
	if got, err := fileOf(t, a, e, "big/layer", m.Layers(), tree, "/etc/motd"); err != nil || got != "hello from a plain tar layer\n" {
		t.Errorf("%q %v", got, err)
	}
	if sent := reg.sent(); sent != 512+29 {
		t.Errorf("the plain layer's file cost %d bytes", sent)
	}

	reg.answerRange(ignoreRange)
	if got, err := fileOf(t, a, e, "big/layer", m.Layers(), tree, p); err != nil || got != content[p] {
		t.Errorf("Range ignored: %d bytes, %v", len(got), err)
	}
	reg.answerRange(lieInRange)
	reg.reset()
	if got, err := fileOf(t, a, e, "big/layer", m.Layers(), tree, p); err != nil || got != content[p] {
		t.Errorf("Range answered with other bytes: %d bytes, %v", len(got), err)
	}
	if gets := reg.count("GET blobs"); gets != 2 {
		t.Errorf("the wrong bytes were not caught and the layer read: %d GETs", gets)
	}
	// Other bytes that are a valid tar header too: another file's.
	if got, err := fileOf(t, a, e, "big/layer", m.Layers(), tree, "/srv/a"); err != nil || got != content["/srv/a"] {
		t.Errorf("a range answered with the next file: %.10q…, %v", got, err)
	}
}

// countedLogins counts the lookups of a login: each is a keychain call, and
// may run a credential helper.
type countedLogins struct {
	credential.Static
	lookups atomic.Int32
}

func (c *countedLogins) Credential(ctx context.Context, host string) (credential.Credential, bool, error) {
	c.lookups.Add(1)
	return c.Static.Credential(ctx, host)
}

// TestAKeptHubListingLooksTheLoginUpOnce: the namespace a Docker Hub entry
// lists (the login's) is settled once for both the listing and the key it
// is kept under.
func TestAKeptHubListingLooksTheLoginUpOnce(t *testing.T) {
	hub := rt.StartHubAPI(map[string][]string{"alice": {"tools"}})
	defer hub.Close()
	s := rt.Serve(t, rt.Config{})
	store, _ := cache.Open(t.TempDir(), 0)
	creds := &countedLogins{Static: credential.Static{s.Registry.Host: {Username: "alice", Password: "pw"}}}
	a, e, _ := keptAppWith(t, store, s.Registry.Host, creds)
	e.HubAPI = "http://" + hub.Registry.Host
	names, err := catalogOf(t, a, e)
	if err != nil || !slices.Equal(names, []string{"alice/tools"}) {
		t.Fatalf("the login's namespace: %v %v", names, err)
	}
	if n := creds.lookups.Load(); n != 1 {
		t.Errorf("the login was looked up %d times for one listing", n)
	}
}

// TestACutOffLayerIsSaidSoAgainFromTheCopy: a layer whose tar ends
// without its end-of-archive blocks is listed, and said to be cut off, when
// it is read and when its kept listing opens again.
func TestACutOffLayerIsSaidSoAgainFromTheCopy(t *testing.T) {
	reg := newCountedRegistry(t)
	whole := lt.Tar(t, lt.File("etc/motd", "hello\n"), lt.File("etc/hostname", "web\n"))
	cut := whole[:len(whole)-1024]
	lt.Push(t, reg.addr, "cut/layer:v1", lt.Layer{Blob: lt.Tar(t, lt.File("a", "a")), MediaType: types.OCIUncompressedLayer},
		lt.Layer{Blob: lt.Gzip(t, cut), MediaType: types.OCILayer})
	store, _ := cache.Open(t.TempDir(), 0)
	a, e, _ := keptApp(t, store, reg.addr)
	m := manifestOf(t, reg.addr, "cut/layer:v1")
	r, _ := e.Registry()
	read := func() image.Progress {
		t.Helper()
		return readFiles(t, a, e, registry.Reference{Registry: r, Repository: "cut/layer"}, m.Layers())
	}
	if p := read(); !slices.Equal(p.Unterminated, []int{1}) || p.Entries != 3 {
		t.Errorf("read: %+v", p)
	}
	reg.reset()
	if p := read(); !slices.Equal(p.Unterminated, []int{1}) || reg.count("GET blobs") != 0 {
		t.Errorf("from the kept listing: %+v, %d blob GETs", p, reg.count("GET blobs"))
	}
}

// TestEachAnswerSaysWhetherItIsTheKeptCopy: a tag list, an inspection and
// a files listing say whether they came from this computer's copy, each
// for itself, so that a page can say so (and not that the registry is
// back).
func TestEachAnswerSaysWhetherItIsTheKeptCopy(t *testing.T) {
	reg := newCountedRegistry(t)
	lt.Push(t, reg.addr, "team/app:v1", lt.Layer{Blob: lt.Gzip(t, lt.Tar(t, lt.File("a", "a"))), MediaType: types.OCILayer})
	store, _ := cache.Open(t.TempDir(), 0)
	a, e, _ := keptApp(t, store, reg.addr)
	r, _ := e.Registry()
	ref := registry.Reference{Registry: r, Repository: "team/app", Tag: "v1"}
	listTags := func() app.TagList {
		ch := make(chan app.TagList, 1)
		a.ListTags(context.Background(), e, "team/app", pool.PriorityUser, func(l app.TagList, err error) {
			if err != nil {
				t.Error(err)
			}
			ch <- l
		})
		return rt.Await(t, ch)
	}
	inspect := func() *image.Inspection {
		ch := make(chan *image.Inspection, 1)
		a.Inspect(context.Background(), e, ref, func(in *image.Inspection, err error) {
			if err != nil {
				t.Error(err)
			}
			ch <- in
		})
		return rt.Await(t, ch)
	}
	layers := manifestOf(t, reg.addr, "team/app:v1").Layers()
	if l := listTags(); l.FromKept != nil || len(l.Tags) != 1 {
		t.Errorf("asked of the registry: %+v", l)
	}
	if in := inspect(); in.FromKept != nil {
		t.Errorf("asked of the registry: from the copy %+v", in.FromKept)
	}
	if p := readFiles(t, a, e, ref, layers); p.Kept != 0 || p.Downloaded() == 0 {
		t.Errorf("read from the registry: %+v", p)
	}
	if p := readFiles(t, a, e, ref, layers); p.Kept != 1 || p.Downloaded() != 0 || p.BytesPerSecond() != 0 {
		t.Errorf("listed again from the copy: %+v", p)
	}
	reg.down()
	if l := listTags(); l.FromKept == nil || l.FromKept.Err == nil || len(l.Tags) != 1 {
		t.Errorf("the registry gone: %+v", l)
	}
	if in := inspect(); in.FromKept == nil || !errors.Is(in.FromKept.Err, registry.ErrUnreachable) {
		t.Errorf("the registry gone: from the copy %+v", in.FromKept)
	}
}

// readFiles reads layers of ref with a's ReadFiles and returns the last
// progress it reported.
func readFiles(t *testing.T, a *app.App, e settings.Entry, ref registry.Reference, layers []v1.Descriptor) image.Progress {
	t.Helper()
	var mu sync.Mutex
	var last image.Progress
	ch := make(chan error, 1)
	a.ReadFiles(context.Background(), e, ref, layers, 0, imagefs.NewTree(false),
		func(p image.Progress) { mu.Lock(); last = p; mu.Unlock() }, func(err error) { ch <- err })
	if err := rt.Await(t, ch); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	return last
}
