package peerbench

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/imagefs"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/ui/systemtest"
)

// The layer of the listing benchmark: 50,000 files, 256 MiB of tar,
// made the same way every time and kept in .cache/bench.
const (
	benchFiles    = 50_000
	benchTarBytes = 256 << 20
)

// benchBlob is a layer file on disk and its digest.
type benchBlob struct {
	path, digest string
	size         int64
	// annotations go on its descriptor (an eStargz TOC digest).
	annotations map[string]string
}

// layerFixture makes (once) a gzip layer of files files totalling about
// bytes of text-like content.
func layerFixture(t testing.TB, name string, files, bytes int) benchBlob {
	return layerVariant(t, name, files, bytes, 0, 256)
}

// layerVariant is layerFixture's layer, or (variant > 0) a later build of
// it: every 10th file's text changed, every 50th gone, 100 new ones.
// seed tells layers of the same shape apart.
func layerVariant(t testing.TB, name string, files, bytes, variant int, seed uint64) benchBlob {
	t.Helper()
	dir := filepath.Join(".cache", "bench")
	path := filepath.Join(dir, name+".tar.gz")
	if _, err := os.Stat(path); err != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := writeLayerFixture(path, files, bytes, variant, seed); err != nil {
			t.Fatal(err)
		}
	}
	return fileBlob(t, path)
}

// fileBlob is a layer file with its digest.
func fileBlob(t testing.TB, path string) benchBlob {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		t.Fatal(err)
	}
	return benchBlob{path: path, digest: fmt.Sprintf("sha256:%x", h.Sum(nil)), size: n}
}

func writeLayerFixture(path string, files, total, variant int, seed uint64) error {
	tmp := path + ".part"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	z := gzip.NewWriter(f)
	tw := tar.NewWriter(z)
	rng := rand.New(rand.NewPCG(14, seed))
	vocab := make([]string, 4000)
	for i := range vocab {
		b := make([]byte, 2+rng.IntN(8))
		for j := range b {
			b[j] = byte('a' + rng.IntN(26))
		}
		vocab[i] = string(b)
	}
	per := total / files
	body := make([]byte, 0, 4*per)
	extra := 0
	if variant > 0 {
		extra = 100
	}
	for i := range files + extra {
		if variant > 0 && i%50 == 49 && i < files {
			continue
		}
		// Each file draws from its own generator: a later build's kept
		// files are the first build's, byte for byte.
		frng := rand.New(rand.NewPCG(uint64(i), seed))
		if i%200 == 0 {
			tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("usr/share/s%d/pkg%03d/", seed, i/200), Typeflag: tar.TypeDir, Mode: 0o755, ModTime: time.Unix(1700000000, 0)})
		}
		size := per/2 + frng.IntN(per)
		body = body[:0]
		if variant > 0 && i%10 == 0 {
			body = append(body, fmt.Sprintf("changed in build %d\n", variant)...)
		}
		for len(body) < size {
			body = append(body, vocab[frng.IntN(len(vocab))]...)
			body = append(body, ' ')
		}
		h := &tar.Header{Name: fmt.Sprintf("usr/share/s%d/pkg%03d/file-%05d.txt", seed, i/200, i), Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body)), ModTime: time.Unix(1700000000, 0)}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(body); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := z.Close(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// benchRegistry serves images bench/NAME:v1 of the given layers over
// loopback HTTP, the blobs straight from their files (with Range), and
// counts the blob bytes it sends.
type benchRegistry struct {
	host string
	sent atomic.Int64
}

func blobServer(t testing.TB, images map[string][]benchBlob) *benchRegistry {
	t.Helper()
	br := &benchRegistry{}
	byDigest := map[string]benchBlob{}
	manifests := map[string][]byte{}
	config := []byte(`{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}`)
	configDigest := fmt.Sprintf("sha256:%x", sha256.Sum256(config))
	for name, layers := range images {
		var descs []any
		for _, l := range layers {
			byDigest[l.digest] = l
			descs = append(descs, map[string]any{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": l.digest, "size": l.size, "annotations": l.annotations})
		}
		m, _ := json.Marshal(map[string]any{
			"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
			"config": map[string]any{"mediaType": "application/vnd.oci.image.config.v1+json", "digest": configDigest, "size": len(config)},
			"layers": descs,
		})
		manifests["/v2/bench/"+name+"/manifests/v1"] = m
		manifests["/v2/bench/"+name+fmt.Sprintf("/manifests/sha256:%x", sha256.Sum256(m))] = m
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/v2/", func(w http.ResponseWriter, r *http.Request) {
		if m, ok := manifests[r.URL.Path]; ok {
			w.Header().Set("Content-Type", "application/vnd.oci.image.manifest.v1+json")
			w.Header().Set("Docker-Content-Digest", fmt.Sprintf("sha256:%x", sha256.Sum256(m)))
			w.Header().Set("Content-Length", strconv.Itoa(len(m)))
			if r.Method != http.MethodHead {
				w.Write(m)
			}
			return
		}
		if i := strings.Index(r.URL.Path, "/blobs/"); i > 0 {
			d := r.URL.Path[i+len("/blobs/"):]
			if d == configDigest {
				w.Write(config)
				return
			}
			if l, ok := byDigest[d]; ok {
				http.ServeFile(&countingResponse{w, &br.sent}, r, l.path)
				return
			}
		}
		if r.URL.Path == "/v2/" {
			w.Write([]byte("{}"))
			return
		}
		http.NotFound(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	br.host = ln.Addr().String()
	return br
}

// countingResponse counts the body bytes written.
type countingResponse struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (c *countingResponse) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.n.Add(int64(n))
	return n, err
}

// layerResult is one tool's listing of the big layer.
type layerResult struct {
	tool, command string
	median        time.Duration
	lines         int
}

// layerFigures are the files benchmark's results.
type layerFigures struct {
	results   []layerResult
	rssGrowth float64 // MB, card-catalog files on the big layer over a tiny one
	rssBig    float64
	rssTiny   float64
	first     time.Duration
	perEntry  string
	gunzip    map[string]string
}

// measureLayers lists the big layer with GNU gzip and tar on the local
// file, with crane over HTTP, and with card-catalog over HTTP.
func measureLayers(t testing.TB, bin, crane string) layerFigures {
	big := layerFixture(t, "layer-50k-v3", benchFiles, benchTarBytes)
	tiny := layerFixture(t, "layer-tiny-v3", 10, 10_000)
	host := blobServer(t, map[string][]benchBlob{"big": {big}, "tiny": {tiny}}).host
	var f layerFigures
	abs, _ := filepath.Abs(big.path)
	tools := []struct{ name, command string }{
		{"GNU gzip + tar, local file", "gzip -dc " + abs + " | tar -tv"},
		{"crane blob, then tar -tzv", crane + " blob --insecure " + host + "/bench/big@" + big.digest + " | tar -tzv"},
		{"card-catalog files --layer", bin + " files --no-cache --plain-http --layer " + big.digest + " " + host + "/bench/big:v1"},
		// The first listing with a cache, as the window's: every file
		// hashed as it passes (as above), the listing and checkpoints kept.
		{"card-catalog files --layer, first listing kept", `d=$(mktemp -d); XDG_CACHE_HOME=$d ` + bin + " files --plain-http --layer " + big.digest + " " + host + `/bench/big:v1; rm -rf $d`},
	}
	times := make([][]time.Duration, len(tools))
	lines := make([]int, len(tools))
	for range 5 { // interleaved, so that a noisy moment hits all alike
		for i, tool := range tools {
			start := time.Now()
			out, err := exec.Command("sh", "-c", "{ "+tool.command+"; } | wc -l").Output()
			times[i] = append(times[i], time.Since(start))
			if err != nil {
				t.Fatalf("%s: %v", tool.name, err)
			}
			lines[i], _ = strconv.Atoi(strings.TrimSpace(string(out)))
		}
	}
	for i, tool := range tools {
		slices.Sort(times[i])
		shown := strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(tool.command, abs, "$FILE"), host, "$REGISTRY"), big.digest, "$DIGEST")
		shown = strings.ReplaceAll(shown, "d=$(mktemp -d); XDG_CACHE_HOME=$d ", "XDG_CACHE_HOME=$(mktemp -d) ")
		shown = strings.ReplaceAll(shown, "; rm -rf $d", "")
		shown = strings.ReplaceAll(strings.ReplaceAll(shown, bin, "card-catalog"), crane, "crane")
		f.results = append(f.results, layerResult{tool: tool.name, command: shown, median: times[i][len(times[i])/2], lines: lines[i]})
	}
	maxRSS := func(digest, name string) float64 {
		cmd := exec.Command(bin, "files", "--no-cache", "--plain-http", "--layer", digest, host+"/bench/"+name+":v1")
		cmd.Stdout = io.Discard
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		return float64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) / 1024
	}
	var growth, bigs, tinies []float64
	for range 3 {
		b, s := maxRSS(big.digest, "big"), maxRSS(tiny.digest, "tiny")
		growth, bigs, tinies = append(growth, b-s), append(bigs, b), append(tinies, s)
	}
	f.rssGrowth, f.rssBig, f.rssTiny = median(growth), median(bigs), median(tinies)
	f.first = firstEntries(t, host, big)
	out, _ := exec.Command("go", "test", "-run", "^$", "-bench", "MergedTreeMemory|Gunzip|Walk", "-benchtime", "10x", "-count", "3", "github.com/card-catalog/card-catalog/app/imagefs").CombinedOutput()
	if m := regexp.MustCompile(`MergedTreeMemory\S*\s+\d+\s+\d+ ns/op\s+([\d.]+) bytes/entry`).FindSubmatch(out); m != nil {
		f.perEntry = string(m[1])
	}
	speeds := map[string][]float64{}
	for _, m := range regexp.MustCompile(`Benchmark(Gunzip/[\w-]+?|Walk/\w+)-\d+\s+\d+\s+\d+ ns/op\s+([\d.]+) MB/s`).FindAllSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(string(m[2]), 64)
		speeds[string(m[1])] = append(speeds[string(m[1])], v)
	}
	f.gunzip = map[string]string{}
	for name, vs := range speeds {
		f.gunzip[name] = fmt.Sprintf("%.1f", median(vs))
	}
	return f
}

// firstEntries is the median time from opening the big layer (the
// request for its blob) to its first entries in the tree the window
// draws, through the engine on loopback.
func firstEntries(t testing.TB, host string, big benchBlob) time.Duration {
	reg, _ := registry.ParseRegistry("http://" + host)
	src := registry.New(reg)
	ref := registry.Reference{Registry: reg, Repository: "bench/big", Tag: "v1"}
	m, err := src.Manifest(t.Context(), ref)
	if err != nil {
		t.Fatal(err)
	}
	var firsts []time.Duration
	for range 5 {
		ctx, cancel := context.WithCancel(t.Context())
		start := time.Now()
		var first time.Duration
		tree := imagefs.NewTree(true)
		image.ReadLayer(ctx, src, ref, 0, m.Layers()[0], tree, func(p image.Progress) {
			if first == 0 && p.Entries > 0 {
				first = time.Since(start)
				cancel()
			}
		})
		cancel()
		firsts = append(firsts, first)
	}
	slices.Sort(firsts)
	return firsts[len(firsts)/2]
}

// BenchmarkLayerListing runs the files benchmark alone (make bench runs
// it as part of BenchmarkCompareWithPeers).
func BenchmarkLayerListing(b *testing.B) {
	peers := os.Getenv("CARD_CATALOG_PEERS")
	if peers == "" {
		b.Skip("make bench runs this with the peers installed")
	}
	for b.Loop() {
		f := measureLayers(b, systemtest.BuildBinary(b), filepath.Join(peers, "crane"))
		b.Log("\n" + f.report())
	}
}

func (f layerFigures) report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Files of a layer\n\n")
	fmt.Fprintf(&b, "Listing a gzip layer of %d files and 256 MiB of tar (%s, generated the same way every time into `.cache/bench`), every entry printed. ", benchFiles, "text-like content, about 2.3:1")
	fmt.Fprintf(&b, "GNU's tools read the blob as a local file; crane and Card Catalog read it over loopback HTTP from the same server (blobs served from the file). Medians of 5 interleaved runs, each piped to `wc -l`.\n\n")
	fmt.Fprintf(&b, "| tool | median | ratio to GNU (local file) | lines | command |\n| --- | ---: | ---: | ---: | --- |\n")
	gnu := f.results[0].median
	for _, r := range f.results {
		fmt.Fprintf(&b, "| %s | %s | %.3f | %d | `%s` |\n", r.tool, r.median.Round(time.Millisecond), float64(r.median)/float64(gnu), r.lines, strings.ReplaceAll(r.command, "|", "\\|"))
	}
	fmt.Fprintf(&b, "\n| figure | value | how |\n| --- | ---: | --- |\n")
	fmt.Fprintf(&b, "| RSS growth while the layer lists | %.1f MB (peak %.1f MB; %.1f MB on the 10-file layer) | peak RSS of `card-catalog files --layer` on this layer less its peak on a 10-file layer, median of 3 |\n", f.rssGrowth, f.rssBig, f.rssTiny)
	fmt.Fprintf(&b, "| merged tree, bytes per entry | %s | `go test -bench MergedTreeMemory ./app/imagefs`: 500,000 entries over 10 layers, heap held after GC |\n", f.perEntry)
	fmt.Fprintf(&b, "| opening a layer to its first entries in the tree | %s | median of 5: blob request to the first batch in the window's tree, engine on loopback |\n", f.first.Round(time.Millisecond))
	fmt.Fprintf(&b, "| gunzip, standard library / klauspost/compress / package zran (klauspost's inflater) without and with checkpoints | %s / %s / %s / %s MB/s | medians of `go test -bench Gunzip -benchtime 10x -count 3 ./app/imagefs`, 48 MiB of tar; Walk (zran + tar headers): %s MB/s, every file hashed too: %s MB/s |\n\n",
		f.gunzip["Gunzip/stdlib"], f.gunzip["Gunzip/klauspost"], f.gunzip["Gunzip/zran"], f.gunzip["Gunzip/zran-checkpoints"], f.gunzip["Walk/headers"], f.gunzip["Walk/hashed"])
	return b.String()
}

func (f layerFigures) goals() string {
	var b strings.Builder
	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "**missed**"
	}
	if len(f.results) == 4 {
		r := float64(f.results[0].median) / float64(f.results[2].median)
		fmt.Fprintf(&b, "- Listing the 256 MiB layer over HTTP no slower than GNU gzip + tar on the local file: GNU takes %.2f× Card Catalog's time — %s.\n", r, verdict(r >= 1))
		h := float64(f.results[0].median) / float64(f.results[3].median)
		headers, _ := strconv.ParseFloat(f.gunzip["Walk/headers"], 64)
		hashed, _ := strconv.ParseFloat(f.gunzip["Walk/hashed"], 64)
		fmt.Fprintf(&b, "- Both listings hash every file (what a file read by range is checked against); the first one with a cache keeps the listing and its checkpoints too, and is no slower than GNU either: GNU takes %.2f× its time — %s. Hashing costs %.0f%% of the walk's speed (Walk/hashed against Walk/headers, above).\n",
			h, verdict(h >= 1), 100*(1-hashed/max(headers, 1)))
	}
	fmt.Fprintf(&b, "- RSS grows by at most 40 MB while the layer lists: %.1f MB — %s.\n", f.rssGrowth, verdict(f.rssGrowth <= 40))
	per, _ := strconv.ParseFloat(f.perEntry, 64)
	fmt.Fprintf(&b, "- The merged tree costs at most 150 bytes an entry: %s — %s.\n", f.perEntry, verdict(per > 0 && per <= 150))
	fmt.Fprintf(&b, "- First entries within 300 ms of opening a layer on loopback: %s — %s.\n", f.first.Round(time.Millisecond), verdict(f.first > 0 && f.first <= 300*time.Millisecond))
	return b.String()
}

// diffFigures are the comparison benchmark's results.
type diffFigures struct {
	cc, regctl                time.Duration
	ccBytes, regctlBytes      int64
	changedBytes, sharedBytes int64
	ccLines                   int
}

// measureDiff compares two images of 10 layers, 8 shared and 2 changed
// (64 MiB of tar and 20,000 files each), with card-catalog diff and with
// regctl blob diff-layer on the two pairs of changed layers.
func measureDiff(t testing.TB, bin, regctl string) diffFigures {
	var shared []benchBlob
	for i := range 8 {
		shared = append(shared, layerVariant(t, fmt.Sprintf("diff-shared-%d", i), 500, 8<<20, 0, uint64(100+i)))
	}
	var a, b []benchBlob
	for _, seed := range []uint64{9, 10} {
		a = append(a, layerVariant(t, fmt.Sprintf("diff-a-%d", seed), 20_000, 64<<20, 0, seed))
		b = append(b, layerVariant(t, fmt.Sprintf("diff-b-%d", seed), 20_000, 64<<20, 1, seed))
	}
	reg := blobServer(t, map[string][]benchBlob{"diff-a": append(slices.Clone(shared), a...), "diff-b": append(slices.Clone(shared), b...)})
	var f diffFigures
	for _, l := range append(slices.Clone(a), b...) {
		f.changedBytes += l.size
	}
	for _, l := range shared {
		f.sharedBytes += l.size
	}
	var ccTimes, regTimes []time.Duration
	for range 3 {
		before := reg.sent.Load()
		start := time.Now()
		out, err := exec.Command(bin, "diff", "--no-cache", "--plain-http", reg.host+"/bench/diff-a:v1", reg.host+"/bench/diff-b:v1").Output()
		ccTimes = append(ccTimes, time.Since(start))
		if code := exitCode(err); code != 1 {
			t.Fatalf("card-catalog diff: exit %d, %v", code, err)
		}
		f.ccBytes, f.ccLines = reg.sent.Load()-before, strings.Count(string(out), "\n")

		before = reg.sent.Load()
		start = time.Now()
		for i := range a {
			cmd := exec.Command(regctl, "--host", "reg="+reg.host+",tls=disabled", "blob", "diff-layer",
				reg.host+"/bench/diff-a", a[i].digest, reg.host+"/bench/diff-b", b[i].digest)
			cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
			if out, err := cmd.Output(); err != nil && exitCode(err) < 0 {
				t.Fatalf("regctl: %v: %s", err, out)
			}
		}
		regTimes = append(regTimes, time.Since(start))
		f.regctlBytes = reg.sent.Load() - before
	}
	slices.Sort(ccTimes)
	slices.Sort(regTimes)
	f.cc, f.regctl = ccTimes[1], regTimes[1]
	return f
}

// exitCode is a finished command's exit status; -1 when it did not run.
func exitCode(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	return -1
}

func (f diffFigures) report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Comparing two images\n\n")
	fmt.Fprintf(&b, "Two images of 10 layers: 8 shared (8 MiB of tar each), and 2 changed layers each of 64 MiB of tar and 20,000 files (a tenth of the files changed, one in fifty gone, 100 new). ")
	fmt.Fprintf(&b, "Card Catalog's `diff` gives the whole report (config, layers, history, files); regctl's `blob diff-layer` is run on each pair of changed layers. Medians of 3 interleaved runs; bytes are counted by the server.\n\n")
	fmt.Fprintf(&b, "| tool | median | ratio to regctl | layer bytes read | command |\n| --- | ---: | ---: | ---: | --- |\n")
	fmt.Fprintf(&b, "| regctl | %s | 1.000 | %d | `regctl blob diff-layer $REPO_A $DIGEST_A $REPO_B $DIGEST_B`, for each of the 2 pairs |\n", f.regctl.Round(time.Millisecond), f.regctlBytes)
	fmt.Fprintf(&b, "| card-catalog | %s | %.3f | %d | `card-catalog diff --plain-http $REF_A $REF_B` (%d lines) |\n\n", f.cc.Round(time.Millisecond), float64(f.cc)/float64(f.regctl), f.ccBytes, f.ccLines)
	fmt.Fprintf(&b, "The 4 changed layers hold %d bytes, the 8 shared ones %d. A file one image's layers hold and the other's do not may be the shared layers' (then it is no change) or not: Card Catalog lists the shared layers once, for both images, to give the answer a merge of each image gives (`--no-cache`: a second run with the cache reads none of them again); regctl's answer is the two changed layers' tar listings set side by side.\n\n", f.changedBytes, f.sharedBytes)
	return b.String()
}

func (f diffFigures) goals() string {
	verdict := "met"
	if !(f.cc < f.regctl && f.ccBytes <= f.changedBytes+f.sharedBytes) {
		verdict = "**missed**"
	}
	return fmt.Sprintf("- Comparing two images faster than regctl blob diff-layer, every layer read at most once: %.2f× regctl's time, %d bytes read of the changed layers' %d and the shared layers' %d — %s.\n",
		float64(f.cc)/float64(f.regctl), f.ccBytes, f.changedBytes, f.sharedBytes, verdict)
}

// BenchmarkDiff runs the comparison benchmark alone (make bench runs it as
// part of BenchmarkCompareWithPeers).
func BenchmarkDiff(b *testing.B) {
	peers := os.Getenv("CARD_CATALOG_PEERS")
	if peers == "" {
		b.Skip("make bench runs this with the peers installed")
	}
	for b.Loop() {
		f := measureDiff(b, systemtest.BuildBinary(b), filepath.Join(peers, "regctl"))
		b.Log("\n" + f.report() + f.goals())
	}
}
