package main

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/json"
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
	"syscall"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/imagefs"
	"github.com/card-catalog/card-catalog/registry"
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
}

// layerFixture makes (once) a gzip layer of files files totalling about
// bytes of text-like content.
func layerFixture(t testing.TB, name string, files, bytes int) benchBlob {
	t.Helper()
	dir := filepath.Join(".cache", "bench")
	path := filepath.Join(dir, name+".tar.gz")
	if _, err := os.Stat(path); err != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := writeLayerFixture(path, files, bytes); err != nil {
			t.Fatal(err)
		}
	}
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

func writeLayerFixture(path string, files, total int) error {
	tmp := path + ".part"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	z := gzip.NewWriter(f)
	tw := tar.NewWriter(z)
	rng := rand.New(rand.NewPCG(14, 256))
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
	for i := range files {
		if i%200 == 0 {
			tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("usr/share/pkg%03d/", i/200), Typeflag: tar.TypeDir, Mode: 0o755, ModTime: time.Unix(1700000000, 0)})
		}
		size := per/2 + rng.IntN(per)
		body = body[:0]
		for len(body) < size {
			body = append(body, vocab[rng.IntN(len(vocab))]...)
			body = append(body, ' ')
		}
		h := &tar.Header{Name: fmt.Sprintf("usr/share/pkg%03d/file-%05d.txt", i/200, i), Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body)), ModTime: time.Unix(1700000000, 0)}
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

// blobServer serves layers as single-layer images bench/NAME:v1 over
// loopback HTTP, the blobs straight from their files (with Range).
func blobServer(t testing.TB, layers map[string]benchBlob) string {
	t.Helper()
	byDigest := map[string]benchBlob{}
	manifests := map[string][]byte{}
	config := []byte(`{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}`)
	configDigest := fmt.Sprintf("sha256:%x", sha256.Sum256(config))
	for name, l := range layers {
		byDigest[l.digest] = l
		m, _ := json.Marshal(map[string]any{
			"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
			"config": map[string]any{"mediaType": "application/vnd.oci.image.config.v1+json", "digest": configDigest, "size": len(config)},
			"layers": []any{map[string]any{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": l.digest, "size": l.size}},
		})
		manifests["/v2/bench/"+name+"/manifests/v1"] = m
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/v2/", func(w http.ResponseWriter, r *http.Request) {
		if m, ok := manifests[r.URL.Path]; ok {
			w.Header().Set("Content-Type", "application/vnd.oci.image.manifest.v1+json")
			w.Header().Set("Docker-Content-Digest", fmt.Sprintf("sha256:%x", sha256.Sum256(m)))
			w.Write(m)
			return
		}
		if i := strings.Index(r.URL.Path, "/blobs/"); i > 0 {
			d := r.URL.Path[i+len("/blobs/"):]
			if d == configDigest {
				w.Write(config)
				return
			}
			if l, ok := byDigest[d]; ok {
				http.ServeFile(w, r, l.path)
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
	return ln.Addr().String()
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
	first     time.Duration
	perEntry  string
	walkSpeed string
	gunzip    map[string]string
}

// measureLayers lists the big layer with GNU gzip and tar on the local
// file, with crane over HTTP, and with card-catalog over HTTP.
func measureLayers(t testing.TB, bin, crane string) layerFigures {
	big := layerFixture(t, "layer-50k", benchFiles, benchTarBytes)
	tiny := layerFixture(t, "layer-tiny", 10, 10_000)
	host := blobServer(t, map[string]benchBlob{"big": big, "tiny": tiny})
	var f layerFigures
	abs, _ := filepath.Abs(big.path)
	tools := []struct{ name, command string }{
		{"GNU gzip + tar, local file", "gzip -dc " + abs + " | tar -tv"},
		{"crane blob, then tar -tzv", crane + " blob --insecure " + host + "/bench/big@" + big.digest + " | tar -tzv"},
		{"card-catalog files --layer", bin + " files --plain-http --layer " + big.digest + " " + host + "/bench/big:v1"},
	}
	times := make([][]time.Duration, len(tools))
	lines := make([]int, len(tools))
	for range 5 { // interleaved, so that a noisy moment hits all alike
		for i, tool := range tools {
			start := time.Now()
			out, err := exec.Command("sh", "-c", tool.command+" | wc -l").Output()
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
		shown = strings.ReplaceAll(strings.ReplaceAll(shown, bin, "card-catalog"), crane, "crane")
		f.results = append(f.results, layerResult{tool: tool.name, command: shown, median: times[i][len(times[i])/2], lines: lines[i]})
	}
	maxRSS := func(digest, name string) float64 {
		cmd := exec.Command(bin, "files", "--plain-http", "--layer", digest, host+"/bench/"+name+":v1")
		cmd.Stdout = io.Discard
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		return float64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) / 1024
	}
	var growth, bigs []float64
	for range 3 {
		b, s := maxRSS(big.digest, "big"), maxRSS(tiny.digest, "tiny")
		growth, bigs = append(growth, b-s), append(bigs, b)
	}
	f.rssGrowth, f.rssBig = median(growth), median(bigs)
	f.first = firstEntries(t, host, big)
	out, _ := exec.Command("go", "test", "-run", "^$", "-bench", "MergedTreeMemory|Gunzip|Walk", "-benchtime", "3x", "./app/imagefs").CombinedOutput()
	if m := regexp.MustCompile(`MergedTreeMemory\S*\s+\d+\s+\d+ ns/op\s+([\d.]+) bytes/entry`).FindSubmatch(out); m != nil {
		f.perEntry = string(m[1])
	}
	f.gunzip = map[string]string{}
	for _, m := range regexp.MustCompile(`Benchmark(Gunzip/\w+|Walk)-\d+\s+\d+\s+\d+ ns/op\s+([\d.]+) MB/s`).FindAllSubmatch(out, -1) {
		f.gunzip[string(m[1])] = string(m[2])
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
		ctx, cancel := contextWithCancel(t)
		start := time.Now()
		var first time.Duration
		tree := imagefs.NewTree(true)
		app.ReadLayer(ctx, src, ref, 0, m.Layers()[0], tree, func(p app.Progress) {
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
		f := measureLayers(b, buildBinary(b), filepath.Join(peers, "crane"))
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
	fmt.Fprintf(&b, "| RSS growth while the layer lists | %.1f MB (peak %.1f MB) | peak RSS of `card-catalog files --layer` on this layer less its peak on a 10-file layer, median of 3 |\n", f.rssGrowth, f.rssBig)
	fmt.Fprintf(&b, "| merged tree, bytes per entry | %s | `go test -bench MergedTreeMemory ./app/imagefs`: 500,000 entries over 10 layers, heap held after GC |\n", f.perEntry)
	fmt.Fprintf(&b, "| opening a layer to its first entries in the tree | %s | median of 5: blob request to the first batch in the window's tree, engine on loopback |\n", f.first.Round(time.Millisecond))
	fmt.Fprintf(&b, "| gunzip, standard library / klauspost/compress | %s / %s MB/s | `go test -bench Gunzip ./app/imagefs`, 48 MiB of tar; Walk (klauspost + tar headers): %s MB/s |\n\n", f.gunzip["Gunzip/stdlib"], f.gunzip["Gunzip/klauspost"], f.gunzip["Walk"])
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
	if len(f.results) == 3 {
		r := float64(f.results[0].median) / float64(f.results[2].median)
		fmt.Fprintf(&b, "- Listing the 256 MiB layer over HTTP no slower than GNU gzip + tar on the local file: GNU takes %.2f× Card Catalog's time — %s.\n", r, verdict(r >= 1))
	}
	fmt.Fprintf(&b, "- RSS grows by at most 40 MB while the layer lists: %.1f MB — %s.\n", f.rssGrowth, verdict(f.rssGrowth <= 40))
	per, _ := strconv.ParseFloat(f.perEntry, 64)
	fmt.Fprintf(&b, "- The merged tree costs at most 150 bytes an entry: %s — %s.\n", f.perEntry, verdict(per > 0 && per <= 150))
	fmt.Fprintf(&b, "- First entries within 300 ms of opening a layer on loopback: %s — %s.\n", f.first.Round(time.Millisecond), verdict(f.first > 0 && f.first <= 300*time.Millisecond))
	return b.String()
}

func contextWithCancel(t testing.TB) (context.Context, context.CancelFunc) {
	return context.WithCancel(t.Context())
}
