package peerbench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/containerd/stargz-snapshotter/estargz"
	"github.com/google/go-containerregistry/pkg/name"
	ggcr "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/klauspost/compress/gzip"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/apptest"
	"github.com/card-catalog/card-catalog/app/cache"
	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/imagefs"
	"github.com/card-catalog/card-catalog/app/listing"
	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/ui/systemtest"
)

// cacheFigures are the disk cache's benchmark results (issue "Remember what
// was seen").
type cacheFigures struct {
	restartFirst time.Duration // first card, 100,000 kept names, registry gone
	demoFirst    time.Duration // first card of the demo registry, same run
	reopen       time.Duration // a listed 50,000-file layer's tree again
	reopenSent   int64
	fileIndexed  time.Duration // a file in the middle of the 256 MiB layer
	fileSent     int64
	fileSize     int64
	fileStream   time.Duration // the same without the listing's checkpoints
	streamSent   int64
	layerSize    int64
	stargzSize   int64 // the eStargz build of the same layer
	stargzSent   int64
	stargzTime   time.Duration
	browseGets   int64 // manifest GETs browsing 50 cards again
	browseHeads  int64
	browseFirst  int64 // manifest GETs the first time
}

// measureCache measures what the cache saves, against the same work
// without it, in one run.
func measureCache(t testing.TB, bin string) cacheFigures {
	var f cacheFigures
	f.restartFirst, f.demoFirst = restartFirstCard(t, bin)
	big := layerFixture(t, "layer-50k-v3", benchFiles, benchTarBytes)
	f.layerSize = big.size
	measureLayerCache(t, big, &f)
	measureEStargz(t, big, &f)
	measureBrowse(t, &f)
	return f
}

// restartFirstCard starts the real binary under Xvfb 5 times each way,
// interleaved: with a kept catalog of 100,000 names for a registry that
// cannot be reached, and on the demo registry (fresh settings). It reads
// when each drew its first card and returns the medians.
func restartFirstCard(t testing.TB, bin string) (kept, demo time.Duration) {
	display := systemtest.StartXvfb(t)
	names := make([]string, 100_000)
	for i := range names {
		names[i] = fmt.Sprintf("team-%02d/service-%05d", i%100, i)
	}
	list := []byte(strings.Join(names, "\n") + "\n")
	entry := settings.Entry{ID: "gone", Name: "Gone", Address: "127.0.0.1:1", PlainHTTP: true}
	reg, _ := entry.Registry()
	start := func(home string) (time.Duration, bool) {
		logPath := filepath.Join(home, "app.log")
		logFile, _ := os.Create(logPath)
		defer logFile.Close()
		cmd := exec.Command(bin)
		cmd.Env = []string{"HOME=" + home, "DISPLAY=" + display, "LANG=en_US.UTF-8", "PATH=" + os.Getenv("PATH"), "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent"}
		cmd.Stdout, cmd.Stderr = logFile, logFile
		cmd.Start()
		defer func() { cmd.Process.Kill(); cmd.Wait() }()
		re := regexp.MustCompile(`first cards shown.*ms_since_start=(\d+)`)
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			log, _ := os.ReadFile(logPath)
			if m := re.FindSubmatch(log); m != nil {
				ms, _ := strconv.Atoi(string(m[1]))
				return time.Duration(ms) * time.Millisecond, true
			}
		}
		return 0, false
	}
	var keptTimes, demoTimes []time.Duration
	for range 5 {
		home := t.TempDir()
		systemtest.WritePreferences(t, filepath.Join(home, ".config"), settings.Settings{Registries: []settings.Entry{entry}, LastSelected: entry.ID})
		store, err := cache.Open(filepath.Join(home, ".cache", "card-catalog"), 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.Scope(reg.String()).PutSnapshot(listing.CatalogKey("", ""), nil, list); err != nil {
			t.Fatal(err)
		}
		if d, ok := start(home); ok {
			keptTimes = append(keptTimes, d)
		} else {
			t.Error("no first card from the kept catalog")
		}
		if d, ok := start(t.TempDir()); ok {
			demoTimes = append(demoTimes, d)
		}
	}
	if len(keptTimes) == 0 || len(demoTimes) == 0 {
		t.Fatal("no first cards")
	}
	slices.Sort(keptTimes)
	slices.Sort(demoTimes)
	return keptTimes[len(keptTimes)/2], demoTimes[len(demoTimes)/2]
}

// keptEngine is an app with a cache of its own and one entry for host.
func keptEngine(t testing.TB, host string, noCache bool) (*app.App, settings.Entry) {
	store, err := cache.Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	a := apptest.New(t, settings.Settings{}, app.Options{Cache: store})
	return a, settings.Entry{ID: "bench", Name: "bench", Address: host, PlainHTTP: true, NoCache: noCache}
}

func timed(runs int, fn func()) time.Duration {
	var ds []time.Duration
	for range runs {
		start := time.Now()
		fn()
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// measureLayerCache lists the 50,000-file layer once, then measures its
// tree again from the cache, and a file from its middle with the
// checkpoints against without them.
func measureLayerCache(t testing.TB, big benchBlob, f *cacheFigures) {
	srv := blobServer(t, map[string][]benchBlob{"big": {big}})
	ctx := context.Background()
	desc := registryDescriptor(t, srv.host, "big")
	ref := registry.Reference{Repository: "bench/big"}
	readTree := func(a *app.App, e settings.Entry) *imagefs.Tree {
		ref.Registry, _ = e.Registry()
		tree := imagefs.NewTree(false)
		done := make(chan error, 1)
		a.ReadFiles(ctx, e, ref, desc, 0, tree, nil, func(err error) { done <- err })
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		return tree
	}
	a, e := keptEngine(t, srv.host, false)
	defer a.Close()
	tree := readTree(a, e)
	before := srv.sent.Load()
	f.reopen = timed(5, func() { readTree(a, e) })
	f.reopenSent = srv.sent.Load() - before

	// The file whose bytes start nearest the middle of the tar.
	var middle imagefs.Node
	tree.Walk(0, func(n imagefs.Node) bool {
		if n.Type == imagefs.File && strings.HasSuffix(n.Path, fmt.Sprintf("file-%05d.txt", benchFiles/2)) {
			middle = n
		}
		return true
	})
	if middle.Path == "" {
		t.Fatal("no middle file")
	}
	f.fileSize = middle.Size
	read := func(a *app.App, e settings.Entry) {
		out := &image.CappedBuffer{Cap: 1 << 30}
		done := make(chan error, 1)
		a.FileContent(ctx, e, ref, desc, tree, middle.Path, out, func(_ imagefs.Node, err error) { done <- err })
		if err := <-done; err != nil || out.Total != middle.Size {
			t.Fatalf("%d of %d bytes: %v", out.Total, middle.Size, err)
		}
	}
	before = srv.sent.Load()
	f.fileIndexed = timed(5, func() { read(a, e) })
	f.fileSent = (srv.sent.Load() - before) / 5
	plain, pe := keptEngine(t, srv.host, true)
	defer plain.Close()
	before = srv.sent.Load()
	f.fileStream = timed(3, func() { read(plain, pe) })
	f.streamSent = (srv.sent.Load() - before) / 3
}

// registryDescriptor reads an image's layers from a bench server.
func registryDescriptor(t testing.TB, host, name string) []v1.Descriptor {
	reg, _ := registry.ParseRegistry("http://" + host)
	m, err := registry.New(reg).Manifest(context.Background(), registry.Reference{Registry: reg, Repository: "bench/" + name, Tag: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	return m.Layers()
}

// measureEStargz builds (once) the eStargz form of the big layer and lists
// it from its table of contents, counting the bytes sent.
func measureEStargz(t testing.TB, big benchBlob, f *cacheFigures) {
	path := filepath.Join(".cache", "bench", "layer-50k-v3.estargz")
	tocPath := path + ".toc"
	if _, err := os.Stat(tocPath); err != nil {
		if err := writeEStargz(big.path, path, tocPath); err != nil {
			t.Fatal(err)
		}
	}
	toc, _ := os.ReadFile(tocPath)
	blob := fileBlob(t, path)
	blob.annotations = map[string]string{"containerd.io/snapshot/stargz/toc.digest": string(toc)}
	f.stargzSize = blob.size
	srv := blobServer(t, map[string][]benchBlob{"lazy": {blob}})
	desc := registryDescriptor(t, srv.host, "lazy")
	reg, _ := registry.ParseRegistry("http://" + srv.host)
	ref := registry.Reference{Registry: reg, Repository: "bench/lazy"}
	c := registry.New(reg)
	before := srv.sent.Load()
	f.stargzTime = timed(3, func() {
		tree := imagefs.NewTree(true)
		if err := image.ReadLayer(context.Background(), c, ref, 0, desc[0], tree, nil); err != nil {
			t.Fatal(err)
		}
		if tree.Len() < benchFiles {
			t.Fatalf("%d entries listed", tree.Len())
		}
	})
	f.stargzSent = (srv.sent.Load() - before) / 3
}

func writeEStargz(gzPath, path, tocPath string) error {
	in, err := os.Open(gzPath)
	if err != nil {
		return err
	}
	defer in.Close()
	z, err := gzip.NewReader(in)
	if err != nil {
		return err
	}
	tarBytes, err := io.ReadAll(z)
	if err != nil {
		return err
	}
	blob, err := estargz.Build(io.NewSectionReader(bytes.NewReader(tarBytes), 0, int64(len(tarBytes))), estargz.WithCompressionLevel(gzip.DefaultCompression))
	if err != nil {
		return err
	}
	defer blob.Close()
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, blob); err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.WriteFile(tocPath, []byte(blob.TOCDigest().String()), 0o644)
}

// measureBrowse shows 50 repositories' cards twice through the app with
// its cache, counting the manifests fetched each time.
func measureBrowse(t testing.TB, f *cacheFigures) {
	var mu sync.Mutex
	counts := map[string]int64{}
	reg := ggcr.New(ggcr.Logger(log.New(io.Discard, "", 0)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/manifests/") {
			mu.Lock()
			counts[r.Method]++
			mu.Unlock()
		}
		reg.ServeHTTP(w, r)
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	var repos []string
	for i := range 50 {
		repos = append(repos, fmt.Sprintf("team/service-%02d", i))
		img, _ := random.Image(512, 2)
		tag, _ := name.NewTag(host+"/"+repos[i]+":v1", name.Insecure)
		if err := remote.Write(tag, img); err != nil {
			t.Fatal(err)
		}
	}
	a, e := keptEngine(t, host, false)
	defer a.Close()
	cards := func() {
		var wg sync.WaitGroup
		for _, r := range repos {
			wg.Add(1)
			a.CardSummary(context.Background(), e, r, pool.PriorityVisible, func(_ image.Summary, err error) {
				if err != nil {
					t.Error(err)
				}
				wg.Done()
			})
		}
		wg.Wait()
	}
	read := func(method string) int64 {
		mu.Lock()
		defer mu.Unlock()
		n := counts[method]
		counts[method] = 0
		return n
	}
	cards()
	f.browseFirst = read(http.MethodGet)
	read(http.MethodHead)
	cards()
	f.browseGets, f.browseHeads = read(http.MethodGet), read(http.MethodHead)
}

func (f cacheFigures) report() string {
	var b strings.Builder
	b.WriteString("## What the cache saves\n\n| figure | value | beside | how |\n| --- | ---: | --- | --- |\n")
	fmt.Fprintf(&b, "| restart to first card, 100,000 kept repositories, registry unreachable | %s | the demo registry's first card: %s | medians of 5 starts each way, interleaved, of the real binary under Xvfb; the catalog is drawn from the cache while the refresh fails |\n", f.restartFirst, f.demoFirst)
	fmt.Fprintf(&b, "| re-open a listed layer tree of %d files | %s, %d bytes fetched | the first listing streamed %s | median of 5, `App.ReadFiles` through the cache |\n", benchFiles, f.reopen.Round(100*time.Microsecond), f.reopenSent, size(f.layerSize))
	fmt.Fprintf(&b, "| open a %s file in the middle of the listed 256 MiB layer (%s of gzip) | %s, %s sent | without the checkpoints: %s, %s sent (%.1f× slower) | median of 5 (3 without), `App.FileContent`; bytes counted at the server |\n",
		size(f.fileSize), size(f.layerSize), f.fileIndexed.Round(100*time.Microsecond), size(f.fileSent), f.fileStream.Round(time.Millisecond), size(f.streamSent), float64(f.fileStream)/float64(f.fileIndexed))
	fmt.Fprintf(&b, "| list the eStargz build of the same layer | %s, %s sent | %.2f%% of its %s | median of 3, `image.ReadLayer` without the cache: footer and table of contents by range |\n",
		f.stargzTime.Round(time.Millisecond), size(f.stargzSent), 100*float64(f.stargzSent)/float64(f.stargzSize), size(f.stargzSize))
	fmt.Fprintf(&b, "| browse 50 repositories' cards again | %d manifest GETs, %d HEADs | the first time: %d GETs | `App.CardSummary` ×50 twice, in-process go-containerregistry registry; requests counted at the server |\n\n", f.browseGets, f.browseHeads, f.browseFirst)
	return b.String()
}

func (f cacheFigures) goals(verdict func(bool) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "- Restart with a kept catalog of 100,000 and the registry unreachable, first card no later than the demo's: %s against %s — %s.\n", f.restartFirst, f.demoFirst, verdict(f.restartFirst > 0 && f.restartFirst <= f.demoFirst))
	fmt.Fprintf(&b, "- A listed 50,000-file layer's tree again within 100 ms, nothing fetched: %s, %d bytes — %s.\n", f.reopen.Round(100*time.Microsecond), f.reopenSent, verdict(f.reopen < 100*time.Millisecond && f.reopenSent == 0))
	limit := int64(4<<20) + f.fileSize
	fmt.Fprintf(&b, "- A file in the middle of a listed 256 MiB gzip layer for at most 4 MiB and its size (%s) in under 150 ms: %s in %s, %.1f× faster than without the index — %s.\n", size(limit), size(f.fileSent), f.fileIndexed.Round(100*time.Microsecond), float64(f.fileStream)/float64(f.fileIndexed), verdict(f.fileSent <= limit && f.fileIndexed < 150*time.Millisecond))
	fmt.Fprintf(&b, "- An eStargz layer listed for under 2%% of its bytes: %.2f%% — %s.\n", 100*float64(f.stargzSent)/float64(f.stargzSize), verdict(f.stargzSent*50 < f.stargzSize))
	fmt.Fprintf(&b, "- Browsing 50 kept repositories again fetches no unchanged manifest: %d GETs (%d HEADs) — %s.\n", f.browseGets, f.browseHeads, verdict(f.browseGets == 0 && f.browseFirst > 0))
	return b.String()
}

// size writes bytes as "4.2 MB" or "5.1 kB", exactly to the byte under 10 kB.
func size(n int64) string {
	switch {
	case n < 10_000:
		return fmt.Sprintf("%d B", n)
	case n < 1_000_000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%.2f MB", float64(n)/1e6)
}

// BenchmarkCache runs the cache's measurements alone (make bench runs
// them inside BenchmarkCompareWithPeers).
func BenchmarkCache(b *testing.B) {
	if testing.Short() {
		b.Skip("minutes: builds a 256 MiB layer")
	}
	for b.Loop() {
		f := measureCache(b, systemtest.BuildBinary(b))
		b.Log("\n" + f.report() + f.goals(func(ok bool) string { return map[bool]string{true: "met", false: "missed"}[ok] }))
	}
}
