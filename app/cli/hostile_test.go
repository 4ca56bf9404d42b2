package cli

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	ggcr "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/types"

	lt "github.com/card-catalog/card-catalog/app/imagefs/layertest"
	"github.com/card-catalog/card-catalog/registry"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
	"github.com/card-catalog/card-catalog/ui/systemtest"
)

// Hostile registries, driven through the headless commands: each test names
// the class of input it is about (issue "Hostile registries").

// hostileDeadlines makes the commands give up on a stalled registry in a
// fraction of a second, and stop long lists early.
func hostileDeadlines(t *testing.T, opts ...registry.Option) {
	saved := clientOptions
	clientOptions = append([]registry.Option{registry.WithStallTimeout(300 * time.Millisecond), registry.WithRetry(1, 0)}, opts...)
	t.Cleanup(func() { clientOptions = saved })
}

func TestHostileNamesAreNeverPrinted(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{Hostile: rt.Hostile{ControlNames: true}})
	code, out, errs := run(t, "catalog", "--plain-http", s.Registry.Host)
	rt.ControlFree(t, "stdout", out)
	rt.ControlFree(t, "stderr", errs)
	if code != 1 || !strings.Contains(out, "library/python\n") || strings.Contains(out, "evil") {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	if !strings.Contains(errs, "left out 5 of the registry's names: not valid repository names") || strings.Count(errs, "\n") != 1 {
		t.Errorf("stderr %q", errs)
	}
	code, out, errs = run(t, "tags", "--plain-http", s.Registry.Host+"/library/python")
	rt.ControlFree(t, "stdout", out+errs)
	if code != 1 || out != "3.11\n3.12\n3.13\nlatest\n" || !strings.Contains(errs, "not valid tags") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestRegistryErrorTextIsEscaped(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{Hostile: rt.Hostile{ErrorText: "gone\x1b]0;pwned\x07\ncard-catalog inspect: all good \u202eok"}})
	code, out, errs := run(t, "inspect", "--plain-http", s.Registry.Host+"/library/python:9.9")
	rt.ControlFree(t, "stderr", errs)
	if code != 1 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, `gone\x1b]0;pwned\x07\ncard-catalog`) || !strings.Contains(errs, `\u202eok`) {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

func TestStalledAnswersEndWithTheirEndpoint(t *testing.T) {
	isolate(t)
	hostileDeadlines(t)
	for _, c := range []struct {
		stall, trickle string
		args           []string
		want           string
	}{
		{stall: "catalog", args: []string{"catalog"}, want: "catalog of "},
		{stall: "tags", args: []string{"tags", "/library/python"}, want: "tags of library/python"},
		{stall: "manifests", args: []string{"inspect", "/library/python:3.12"}, want: "manifest of "},
		{stall: "blobs", args: []string{"inspect", "/team-a/ledger:latest"}, want: "config of team-a/ledger@sha256:"},
		{trickle: "manifests", args: []string{"inspect", "/library/python:3.12"}, want: "manifest of "},
	} {
		s := serve(t, rt.Config{Hostile: rt.Hostile{Stall: c.stall, Trickle: c.trickle}})
		arg := s.Registry.Host
		if len(c.args) > 1 {
			arg += c.args[1]
		}
		// A stalled answer never ends, and a trickled one would end
		// whole, tens of seconds later: only the stall timeout makes the
		// command fail, and say so.
		code, _, errs := run(t, c.args[0], "--plain-http", arg)
		if code != 1 || !strings.Contains(errs, c.want) || !strings.Contains(errs, "the registry stopped sending") {
			t.Errorf("%s %s: exit %d, stderr %q", c.stall+c.trickle, c.args[0], code, errs)
		}
	}
}

func TestEndlessPagesStopAtTheBound(t *testing.T) {
	isolate(t)
	hostileDeadlines(t, registry.WithListLimit(1500, 1<<20))
	s := serve(t, rt.Config{Hostile: rt.Hostile{EndlessPages: true}})
	code, out, errs := run(t, "catalog", "--plain-http", s.Registry.Host)
	if lines := strings.Count(out, "\n"); code != 1 || lines != 1500 || !strings.Contains(errs, "stopped at 1500 names; the registry kept sending more") {
		t.Errorf("exit %d, %d lines, stderr %q", code, lines, errs)
	}
	code, out, errs = run(t, "tags", "--plain-http", s.Registry.Host+"/library/python")
	if lines := strings.Count(out, "\n"); code != 1 || lines != 1500 || !strings.Contains(errs, "list is incomplete") {
		t.Errorf("tags: exit %d, %d lines, stderr %q", code, lines, errs)
	}
}

func TestAbsurdRetryAfterIsClamped(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{FailFirst: 10, FailStatus: 429, RetryAfter: "9223372036"})
	code, _, errs := run(t, "tags", "--plain-http", s.Registry.Host+"/library/python")
	// Reported at once, not waited out: the tags were asked for once.
	if tries := s.RequestsOf("GET tags"); code != 1 || !strings.Contains(errs, "try again in 24h0m0s") || tries != 1 {
		t.Errorf("exit %d after %d requests, stderr %q", code, tries, errs)
	}
}

func TestTheBodyDecidesWhatAManifestIs(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{Hostile: rt.Hostile{ImageAsEmptyIndex: true}})
	code, out, errs := run(t, "inspect", "--plain-http", s.Registry.Host+"/team-a/ledger:latest")
	if code != 1 || out != "" || !strings.Contains(errs, "malformed response: the manifest says it is an index (application/vnd.oci.image.index.v1+json) but is shaped as an image") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	s = serve(t, rt.Config{Hostile: rt.Hostile{SwapContentType: true}})
	code, out, errs = run(t, "inspect", "--plain-http", s.Registry.Host+"/team-a/ledger:latest")
	if code != 0 || strings.Contains(out, `"platforms"`) || !strings.Contains(out, `"layers"`) || !strings.Contains(out, `"mediaType": "application/vnd.oci.image.manifest.v1+json"`) {
		t.Errorf("an image under an index's Content-Type: exit %d, stdout %s, stderr %q", code, out, errs)
	}
	s = serve(t, rt.Config{Hostile: rt.Hostile{NegativeSizes: true}})
	if code, _, errs = run(t, "inspect", "--plain-http", s.Registry.Host+"/team-a/ledger:latest"); code != 1 || !strings.Contains(errs, "has a negative size (-1)") {
		t.Errorf("negative sizes: exit %d, stderr %q", code, errs)
	}
}

func TestDecodingErrorsSayWhatWasExpected(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{Hostile: rt.Hostile{BadSchema1: true}})
	code, _, errs := run(t, "inspect", "--plain-http", s.Registry.Host+"/library/python:3.12")
	want := "manifest of " + s.Registry.Host + "/library/python:3.12: malformed response: schema 1 manifest: fsLayers is a JSON string where a list was expected"
	if code != 1 || !strings.Contains(errs, want) || strings.Contains(errs, "struct") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

func TestBrokenCredentialHelperIsAWarning(t *testing.T) {
	dir := isolate(t)
	bin := t.TempDir()
	os.WriteFile(filepath.Join(bin, "docker-credential-garbage"), []byte("#!/bin/sh\necho 'Username: x'\n"), 0o755)
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	s := serve(t, rt.Config{Default: rt.Bearer}) // anonymous tokens: the login is looked for
	for helper, problem := range map[string]string{
		"missing": "docker-credential-missing (named in " + filepath.Join(dir, "config.json") + ") is not installed; going on without a login",
		"garbage": "docker-credential-garbage (named in " + filepath.Join(dir, "config.json") + ") answered something other than JSON",
	} {
		os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"credsStore":"`+helper+`"}`), 0o600)
		code, out, errs := run(t, "tags", "--plain-http", s.Registry.Host+"/library/python")
		if code != 0 || out != "3.11\n3.12\n3.13\nlatest\n" || errs != "card-catalog tags: warning: "+problem+"\n" && !strings.Contains(errs, problem) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", helper, code, out, errs)
		}
		if strings.Contains(errs, "not reachable") || strings.Count(errs, "\n") != 1 {
			t.Errorf("%s: stderr %q", helper, errs)
		}
	}
}

func TestLoginServiceFailuresAreNamed(t *testing.T) {
	isolate(t)
	hostileDeadlines(t)
	for cfg, want := range map[*rt.Config]string{
		{Default: rt.Bearer, TokenHang: true}:     "did not answer in time",
		{Default: rt.Bearer, TokenNonsense: true}: "answered with something that is not a token",
	} {
		s := serve(t, *cfg)
		code, _, errs := run(t, "tags", "--plain-http", s.Registry.Host+"/library/python")
		host := strings.TrimPrefix(strings.TrimSuffix(s.Realm(), "/token"), "http://")
		if code != 1 || !strings.Contains(errs, "the login service at "+host+" "+want) || strings.Contains(errs, "not reachable") {
			t.Errorf("exit %d, stderr %q", code, errs)
		}
		rt.ControlFree(t, "stderr", errs)
	}
}

func FuzzErrorLine(f *testing.F) {
	for _, s := range rt.ControlNames {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		line := errorLine("tags", &registry.StatusError{What: "tags of " + s, Status: 404, Detail: s})
		rt.ControlFree(t, "the error line", line)
		if strings.ContainsAny(line, "\n\r") {
			t.Fatalf("%q is more than one line", line)
		}
	})
}

func FuzzPrintLines(f *testing.F) {
	for _, s := range rt.ControlNames {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var out strings.Builder
		commandEnv{out: &out}.printLines([]string{s})
		rt.ControlFree(t, "the printed name", out.String())
		if strings.Count(out.String(), "\n") != 1 {
			t.Fatalf("%q printed as %q", s, out.String())
		}
	})
}

// TestHeadlessStderrIsQuiet runs the real binary as a script would on a
// server: a POSIX locale, no D-Bus session bus. It prints its answer and
// nothing else, and starts no session daemon (a dbus-launch on PATH would
// leave its mark).
func TestHeadlessStderrIsQuiet(t *testing.T) {
	bin := systemtest.BuildBinary(t)
	s := serve(t, rt.Config{Default: rt.Bearer}) // the login is looked for: the keychain is asked
	home, fake := t.TempDir(), t.TempDir()
	marker := filepath.Join(home, "dbus-launch-ran")
	os.WriteFile(filepath.Join(fake, "dbus-launch"), []byte("#!/bin/sh\ntouch "+marker+"\nexit 1\n"), 0o755)
	for _, lang := range []string{"C.UTF-8", "C.utf8", "POSIX", ""} {
		cmd := exec.Command(bin, "tags", "--plain-http", s.Registry.Host+"/library/python")
		cmd.Env = []string{"HOME=" + home, "PATH=" + fake + string(os.PathListSeparator) + os.Getenv("PATH"),
			"XDG_RUNTIME_DIR=" + home, "DOCKER_CONFIG=" + home, "LANG=" + lang}
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil || stdout.String() != "3.11\n3.12\n3.13\nlatest\n" || stderr.String() != "" {
			t.Errorf("LANG=%s: %v, stdout %q, stderr %q", lang, err, stdout.String(), stderr.String())
		}
		if _, err := os.Stat(marker); err == nil {
			t.Fatalf("LANG=%s: the command ran dbus-launch", lang)
		}
	}
}

// TestARangeAnsweredWithOtherBytesIsNotBelieved: once a layer is listed
// (and its listing kept), a file of it is read by range. A registry that
// answers that range with other bytes, a real tar header of the same
// name and size and an earlier copy of the file, is caught by the digest
// the listing recorded: cat prints the file's true bytes, read from the
// layer's start, and says why. A plain tar layer, and a gzip one whose
// deflate blocks are stored, so that the other bytes decode.
func TestARangeAnsweredWithOtherBytesIsNotBelieved(t *testing.T) {
	for _, c := range []struct {
		name      string
		compress  func(testing.TB, []byte) []byte
		mediaType types.MediaType
	}{
		{"plain tar", func(_ testing.TB, b []byte) []byte { return b }, types.OCIUncompressedLayer},
		{"stored deflate", storedGzip, types.OCILayer},
	} {
		t.Run(c.name, func(t *testing.T) {
			isolate(t)
			// Past the first checkpoint of a gzip layer (4 MiB in): the
			// file is read by a range from there.
			filler := strings.Repeat("x", 6<<20)
			layer := func(secret string) []byte {
				return c.compress(t, lt.Tar(t, lt.File("filler", filler), lt.Dir("etc/"), lt.File("etc/motd", "hello"), lt.File("etc/secret", secret)))
			}
			real, other := layer("the true copy"), layer("an old copy!!")
			var lie, lieWhole atomic.Bool
			registry := ggcr.New(ggcr.Logger(log.New(io.Discard, "", 0)))
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if (lieWhole.Load() || lie.Load() && r.Header.Get("Range") != "") && strings.HasSuffix(r.URL.Path, "/blobs/"+digestOf(real)) {
					http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(other))
					return
				}
				registry.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			host := strings.TrimPrefix(srv.URL, "http://")
			lt.Push(t, host, "app:v1", lt.Layer{Blob: real, MediaType: c.mediaType})
			ref := host + "/app:v1"
			if code, _, errs := run(t, "files", "--plain-http", ref); code != 0 {
				t.Fatalf("files: %s", errs)
			}
			lie.Store(true)
			code, out, errs := run(t, "cat", "--plain-http", ref, "/etc/secret")
			if code != 0 || out != "the true copy" || !strings.Contains(errs, "answered the range of /etc/secret") || !strings.Contains(errs, "reading the layer from its start instead") {
				t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
			}
			// A registry that sends other bytes for the whole layer too:
			// its digest fails at the end, and nothing of the file is
			// printed, though its bytes came first.
			lieWhole.Store(true)
			code, out, errs = run(t, "cat", "--plain-http", ref, "/etc/secret")
			if code != 1 || out != "" || !strings.Contains(errs, "digest") {
				t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
			}
		})
	}
}

// storedGzip compresses b with stored deflate blocks: the bytes of the
// tar are in the blob as they are.
func storedGzip(t testing.TB, b []byte) []byte {
	var out bytes.Buffer
	z, err := gzip.NewWriterLevel(&out, gzip.NoCompression)
	if err != nil {
		t.Fatal(err)
	}
	z.Write(b)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func digestOf(b []byte) string { return fmt.Sprintf("sha256:%x", sha256.Sum256(b)) }

// TestEndlessLongNamesDoNotGrowTheHeadlessCatalog: pages of 1,000 names of
// 250 bytes for ever, the heap measured as the registry is asked for page 5
// and page 50. What the headless catalog holds while it lists (the names it
// has seen, the copy it keeps for the cache) must not grow with the names
// it printed: the 45,000 between cost a fraction of their size.
func TestEndlessLongNamesDoNotGrowTheHeadlessCatalog(t *testing.T) {
	isolate(t)
	const small, large = 5, 50
	var mu sync.Mutex // the server's goroutines measure
	live := map[int]uint64{}
	s := serve(t, rt.Config{Hostile: rt.Hostile{EndlessPages: true, PageNames: 1000, NameBytes: 250,
		BeforePage: func(page int) {
			if page == small || page == large {
				mu.Lock()
				defer mu.Unlock()
				live[page] = rt.LiveHeap()
			}
		}}})
	hostileDeadlines(t, registry.WithListLimit(large*1000+1, 1<<30))
	var errs strings.Builder
	code := Run([]string{"catalog", "--plain-http", s.Registry.Host}, strings.NewReader(""), io.Discard, &errs)
	mu.Lock()
	defer mu.Unlock()
	if code != 1 || !strings.Contains(errs.String(), "stopped at 50001 names") || len(live) != 2 {
		t.Fatalf("exit %d, stderr %q, %d measures", code, errs.String(), len(live))
	}
	growth, names := float64(live[large])-float64(live[small]), float64((large-small)*1000*250)
	t.Logf("live heap %.1f MiB at page %d, %.1f MiB at page %d: %.2f bytes held a byte of names", float64(live[small])/(1<<20), small, float64(live[large])/(1<<20), large, growth/names)
	if growth > names/4 {
		t.Errorf("%d more names of 250 bytes grew the heap by %.1f MiB (%.2f× their size)", (large-small)*1000, growth/(1<<20), growth/names)
	}
}
