package peerbench

import (
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	ggcr "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/app/trust/trusttest"
)

// goBench is one run of a package's Go benchmarks: for each benchmark
// (sub-benchmarks by their full name), its figures by unit.
type goBench map[string]map[string]float64

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.+)$`)

// runGoBench runs the benchmarks of pkg that match pattern, with the peers
// where they look for them (CARD_CATALOG_PEERS), and reads their figures.
// A benchmark that is missing or skipped is simply absent.
func (c *comparison) runGoBench(pkg, pattern string, extra ...string) goBench {
	args := append([]string{"test", "-run", "^$", "-bench", pattern, "-benchmem"}, extra...)
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Env = append(os.Environ(), "CARD_CATALOG_PEERS="+c.peers)
	out, err := cmd.CombinedOutput()
	if err != nil {
		c.b.Errorf("go test -bench %s %s: %v\n%s", pattern, pkg, err, out)
	}
	return parseGoBench(string(out))
}

func parseGoBench(out string) goBench {
	g := goBench{}
	for line := range strings.Lines(out) {
		m := benchLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		figures := map[string]float64{}
		fields := strings.Fields(m[2])
		for i := 0; i+1 < len(fields); i += 2 {
			if v, err := strconv.ParseFloat(fields[i], 64); err == nil {
				figures[fields[i+1]] = v
			}
		}
		g[m[1]] = figures
	}
	return g
}

// ms is a benchmark's time per op in milliseconds, or -1 when it did not run.
func (g goBench) ms(name string) float64 {
	if f, ok := g[name]["ns/op"]; ok {
		return f / 1e6
	}
	return -1
}

func (g goBench) figure(name, unit string) (float64, bool) {
	v, ok := g[name][unit]
	return v, ok
}

// writeFigures are the figures of trust and manage: verification beside
// cosign, an SBOM's table, a copy beside crane and regctl, retag and mount.
type writeFigures struct {
	trust, sbom, table, manage goBench
	verify                     verifyFigures
}

func (c *comparison) measureTrustAndManage() writeFigures {
	return writeFigures{
		trust:  c.runGoBench("github.com/card-catalog/card-catalog/app/trust", "VerifyFetched|VerifyBesideCosign|DemoCards"),
		sbom:   c.runGoBench("github.com/card-catalog/card-catalog/app/trust/sbom", "Decode10MB"),
		table:  c.runGoBench("github.com/card-catalog/card-catalog/ui", "SBOMTable10MB"),
		manage: c.runGoBench("github.com/card-catalog/card-catalog/app/manage/transfer", ".", "-benchtime", "5x"),
		verify: c.measureVerifyProcesses(),
	}
}

func msText(v float64) string {
	if v < 0 {
		return "not run"
	}
	if v < 10 {
		return fmt.Sprintf("%.2fms", v)
	}
	return fmt.Sprintf("%.0fms", v)
}

func (f writeFigures) report() string {
	var b strings.Builder
	b.WriteString("## Trust and Manage\n\n")
	b.WriteString("Go benchmarks run by this same `make bench`: `go test -run '^$' -bench … ./app/trust ./app/trust/sbom ./ui` and `-benchtime 5x ./app/manage/transfer`, the peers from `.cache/peers` (cosign " + cosignVersion + "). cosign runs as a process, offline with `--key`, `--insecure-ignore-tlog` and `--offline`; Card Catalog's verification is the engine in the benchmark's process (discovery, the reads, the check) and its time once fetched is the check alone. The copy runs between two Debian `docker-registry` processes on loopback, every byte sent (a new repository each time), the three tools in the same loop.\n\n")
	b.WriteString("| figure | Card Catalog | beside | how |\n| --- | ---: | --- | --- |\n")
	fmt.Fprintf(&b, "| a signature verified once fetched: cosign key / keyless bundle / public-good bundle | %s / %s / %s | goal: under 50ms | `BenchmarkVerifyFetched` |\n",
		msText(f.trust.ms("BenchmarkVerifyFetched/cosign_key")), msText(f.trust.ms("BenchmarkVerifyFetched/keyless_bundle")), msText(f.trust.ms("BenchmarkVerifyFetched/public-good_bundle")))
	ours, cosign := f.trust.ms("BenchmarkVerifyBesideCosign/card-catalog"), f.trust.ms("BenchmarkVerifyBesideCosign/cosign")
	fmt.Fprintf(&b, "| verify a key-signed image on a loopback registry | %s | `cosign verify --key`: %s%s | `BenchmarkVerifyBesideCosign` |\n", msText(ours), msText(cosign), ratioText(ours, cosign, "cosign"))
	fmt.Fprintf(&b, "| the same as whole processes: `card-catalog verify --no-cache --plain-http --key` | %s | `cosign verify --key … --offline`: %s (Card Catalog in %.2f× cosign's time) | medians of %d interleaved runs of each |\n",
		f.verify.ours.Round(time.Millisecond), f.verify.cosign.Round(time.Millisecond), float64(f.verify.ours)/float64(f.verify.cosign), f.verify.runs)
	cards := f.trust.ms("BenchmarkDemoCards")
	visible, _ := f.trust.figure("BenchmarkDemoCards", "visible-ms")
	fmt.Fprintf(&b, "| verdicts of the 40 demo cards, at background priority | %s | a visible read submitted behind them: %.0fms | `BenchmarkDemoCards` |\n", msText(cards), visible)
	fmt.Fprintf(&b, "| a 10 MB SPDX SBOM (60,000 packages) decoded / decoded and its table built | %s / %s | goal: table under 300ms | `BenchmarkDecode10MB`, `BenchmarkSBOMTable10MB` (./ui) |\n",
		msText(f.sbom.ms("BenchmarkDecode10MB")), msText(f.table.ms("BenchmarkSBOMTable10MB")))
	copyMs, _ := f.manage.figure("BenchmarkCopyBesidePeers", "ms/copy")
	craneMs, craneOK := f.manage.figure("BenchmarkCopyBesidePeers", "crane-ms/copy")
	regctlMs, regctlOK := f.manage.figure("BenchmarkCopyBesidePeers", "regctl-ms/copy")
	mb, _ := f.manage.figure("BenchmarkCopyBesidePeers", "MB/image")
	beside := "peers not installed"
	if craneOK && regctlOK {
		beside = fmt.Sprintf("`crane copy` %s (%.2f×), `regctl image copy` %s (%.2f×)", msText(craneMs), copyMs/craneMs, msText(regctlMs), copyMs/regctlMs)
	}
	fmt.Fprintf(&b, "| copy a 10-layer image (%.1f MB) between two registries | %s | %s | `BenchmarkCopyBesidePeers` |\n", mb, msText(copyMs), beside)
	retag, retagOK := f.manage.figure("BenchmarkRetagAndMount", "blob-bytes/op")
	fmt.Fprintf(&b, "| retag, then copy to another repository of the same registry | %s | goal: 0 blob bytes | `BenchmarkRetagAndMount`, bytes counted at the registry |\n\n", countText(retag, retagOK, "blob bytes"))
	return b.String()
}

func ratioText(ours, peer float64, name string) string {
	if ours < 0 || peer <= 0 {
		return ""
	}
	return fmt.Sprintf(" (Card Catalog in %.3f× %s's time)", ours/peer, name)
}

func countText(v float64, ok bool, unit string) string {
	if !ok {
		return "not run"
	}
	return fmt.Sprintf("%.0f %s", v, unit)
}

func (f writeFigures) goals(verdict func(bool) string) string {
	var b strings.Builder
	worst := max(f.trust.ms("BenchmarkVerifyFetched/cosign_key"), f.trust.ms("BenchmarkVerifyFetched/keyless_bundle"), f.trust.ms("BenchmarkVerifyFetched/public-good_bundle"))
	fmt.Fprintf(&b, "- A signature verified in under 50 ms once fetched: the slowest of the three %s — %s.\n", msText(worst), verdict(worst >= 0 && worst < 50))
	v := f.verify
	fmt.Fprintf(&b, "- Verifying no slower than `cosign verify --key`, process against process: %s against %s — %s.\n", v.ours.Round(time.Millisecond), v.cosign.Round(time.Millisecond), verdict(v.ours > 0 && v.ours <= v.cosign))
	visible, _ := f.trust.figure("BenchmarkDemoCards", "visible-ms")
	fmt.Fprintf(&b, "- The 40 demo cards' verdicts do not slow the grid (a visible read behind them waits under 100 ms): %.0fms — %s.\n", visible, verdict(f.trust.ms("BenchmarkDemoCards") >= 0 && visible < 100))
	table := f.table.ms("BenchmarkSBOMTable10MB")
	fmt.Fprintf(&b, "- A 10 MB SBOM's table drawn in under 300 ms: %s — %s.\n", msText(table), verdict(table >= 0 && table < 300))
	x, ok := f.manage.figure("BenchmarkCopyBesidePeers", "x-crane")
	fmt.Fprintf(&b, "- Copying a 10-layer image between two registries no slower than crane: %.2f× crane's time — %s.\n", x, verdict(ok && x <= 1))
	retag, retagOK := f.manage.figure("BenchmarkRetagAndMount", "blob-bytes/op")
	fmt.Fprintf(&b, "- Retag and mount at zero blob bytes: %s — %s.\n", countText(retag, retagOK, "blob bytes"), verdict(retagOK && retag == 0))
	return b.String()
}

// verifyFigures are one key-signed image verified by whole processes, as
// a user runs them: card-catalog verify --key beside cosign verify --key,
// both offline, interleaved, on the same loopback registry.
type verifyFigures struct {
	ours, cosign time.Duration
	runs         int
}

func (c *comparison) measureVerifyProcesses() verifyFigures {
	srv := httptest.NewServer(ggcr.New(ggcr.Logger(log.New(io.Discard, "", 0)), ggcr.WithReferrersSupport(true)))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	img, err := random.Image(256, 1)
	if err != nil {
		c.b.Fatal(err)
	}
	tag, _ := name.NewTag(host+"/acme/app:v1", name.Insecure)
	if err := remote.Write(tag, img); err != nil {
		c.b.Fatal(err)
	}
	digest, _ := img.Digest()
	k := trusttest.KeyFromSeed("peerbench")
	payload := trusttest.SimpleSigning(host+"/acme/app", digest.String())
	trusttest.Push(c.b, host, "acme/app", strings.Replace(digest.String(), ":", "-", 1)+".sig",
		[]trusttest.Blob{{Data: payload, MediaType: trust.MediaSimpleSign, Annotations: trusttest.KeyAnnotations(trusttest.SignWithKey(k, payload))}}, "", nil)
	dir := c.b.TempDir()
	keyPath, rootPath := filepath.Join(dir, "cosign.pub"), filepath.Join(dir, "trusted_root.json")
	os.WriteFile(keyPath, trusttest.PublicPEM(k), 0o644)
	os.WriteFile(rootPath, trust.PublicGoodJSON(), 0o644)
	ref := host + "/acme/app@" + digest.String()
	// Whatever either would fetch from outside goes to a closed loopback
	// port, never to the network.
	env := append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_CACHE_HOME="+filepath.Join(dir, "cache"), "TUF_ROOT="+filepath.Join(dir, "tuf"),
		"HTTPS_PROXY=http://127.0.0.1:9", "HTTP_PROXY=http://127.0.0.1:9", "NO_PROXY=127.0.0.1,localhost")
	run := func(argv ...string) time.Duration {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Env = env
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			c.b.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out)
		}
		return time.Since(start)
	}
	var ours, cosign []time.Duration
	const runs = 11
	for range runs {
		ours = append(ours, run(c.bin, "verify", "--no-cache", "--plain-http", "--key", keyPath, ref))
		cosign = append(cosign, run(c.peer("cosign"), "verify", "--key", keyPath, "--insecure-ignore-tlog", "--offline",
			"--trusted-root", rootPath, "--allow-http-registry", "--allow-insecure-registry", ref))
	}
	slices.Sort(ours)
	slices.Sort(cosign)
	return verifyFigures{ours: ours[runs/2], cosign: cosign[runs/2], runs: runs}
}
