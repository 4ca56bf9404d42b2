package cli

import (
	"encoding/json"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	ggcr "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/types"

	lt "github.com/card-catalog/card-catalog/app/imagefs/layertest"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

func TestDiffCommand(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{})
	web := s.Registry.Host + "/team-a/web:"
	code, out, errs := run(t, "diff", "--plain-http", web+"v3.2.0", web+"v3.3.0")
	if code != 1 || errs != "" {
		t.Fatalf("exit %d (want 1: they differ): %s", code, errs)
	}
	for _, line := range []string{
		"~ env WEB_VERSION: 3.2.0 → 3.3.0\n",
		"# layers: 3 shared, 1 removed, 1 added;",
		"~ /srv/web/README.md  content\n",
		"~ /srv/web/current  target releases/3.2.0 → releases/3.3.0\n",
		"- /srv/web/releases/3.2.0\n",
		"+ /srv/web/releases/3.3.0\n",
		"of the 3 shared layers, listed to settle",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("no %q in\n%s", line, out[:min(len(out), 2000)])
		}
	}
	// Config, then layers, then history, then files.
	if c, l, f := strings.Index(out, "# config"), strings.Index(out, "# layers"), strings.Index(out, "# files"); !(c < l && l < f) {
		t.Errorf("sections out of order")
	}

	code, out, _ = run(t, "diff", "--plain-http", web+"v3.3.0", web+"latest")
	if code != 0 || !strings.Contains(out, "# the same image: sha256:") {
		t.Errorf("the same image: exit %d: %s", code, out)
	}
	code, _, errs = run(t, "diff", "--plain-http", web+"v3.2.0", web+"v9.9.9")
	if code != 2 || !strings.Contains(errs, "card-catalog diff: ") {
		t.Errorf("a missing tag: exit %d (want 2): %s", code, errs)
	}
}

func TestDiffCommandJSON(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{})
	web := s.Registry.Host + "/team-a/web:"
	code, out, errs := run(t, "diff", "--json", "--plain-http", web+"v3.2.0", web+"v3.3.0")
	var doc struct {
		A, B   struct{ Reference, Digest string }
		Same   bool
		Config []struct{ Field, Old, New string }
		Layers struct {
			Shared         int
			Removed, Added []struct{ Digest string }
		}
		Files []struct {
			Op, Path string
			What     []string
			Base     bool
		}
		BytesRead int64
	}
	if err := json.Unmarshal([]byte(out), &doc); code != 1 || err != nil {
		t.Fatalf("exit %d, %v: %s", code, err, errs)
	}
	if !strings.HasSuffix(doc.A.Reference, ":v3.2.0") || !strings.HasSuffix(doc.B.Reference, ":v3.3.0") || doc.A.Digest == doc.B.Digest {
		t.Errorf("a %+v, b %+v", doc.A, doc.B)
	}
	if doc.Same || doc.Layers.Shared != 3 || len(doc.Layers.Added) != 1 || len(doc.Config) != 3 || len(doc.Files) < 400 || doc.BytesRead == 0 {
		t.Errorf("%+v", doc.Layers)
	}
}

func TestDiffCommandAcrossPlatformsAndKinds(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{})
	py := s.Registry.Host + "/library/python:"
	// Two indexes: the host's platform of each.
	code, out, errs := run(t, "diff", "--plain-http", py+"3.12", py+"3.13")
	if code != 1 || !strings.Contains(out, "~ env APP_VERSION: 3.12 → 3.13") {
		t.Errorf("exit %d: %s %s", code, out, errs)
	}
	// An index against an image: the index's image for the platform asked.
	code, out, errs = run(t, "diff", "--plain-http", "--platform", "linux/amd64", py+"3.12", s.Registry.Host+"/team-a/web:latest")
	if code != 1 || !strings.Contains(out, "# layers: 0 shared") {
		t.Errorf("exit %d: %s %s", code, out, errs)
	}
	code, _, errs = run(t, "diff", "--plain-http", "--platform", "linux/s390x", py+"3.12", py+"3.13")
	if code != 2 || !strings.Contains(errs, "has no image for linux/s390x") {
		t.Errorf("exit %d: %s", code, errs)
	}
}

// TestDiffCommandIsWhatTheWholeMergesSay: diff's lines for two images that
// share layers are the paths a runtime's merge of each (layertest.Merge,
// written apart from the app) says differ, every entry of an added or
// removed directory among them, as diff -r lists them.
func TestDiffCommandIsWhatTheWholeMergesSay(t *testing.T) {
	isolate(t)
	srv := httptest.NewServer(ggcr.New(ggcr.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	sharedTars, aTars, bTars := lt.DiffImages(t)
	layers := func(tars ...[]byte) []lt.Layer {
		var out []lt.Layer
		for _, b := range tars {
			out = append(out, lt.Layer{Blob: lt.Gzip(t, b), MediaType: types.OCILayer})
		}
		return out
	}
	lt.Push(t, host, "app:old", layers(append(slices.Clone(sharedTars), aTars...)...)...)
	lt.Push(t, host, "app:new", layers(append(slices.Clone(sharedTars), bTars...)...)...)
	want := lt.DiffMerged(lt.Merge(t, append(slices.Clone(sharedTars), aTars...)...), lt.Merge(t, append(slices.Clone(sharedTars), bTars...)...))

	code, out, errs := run(t, "diff", "--plain-http", host+"/app:old", host+"/app:new")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	_, files, _ := strings.Cut(out, "# files: ")
	var got []string
	for _, l := range strings.Split(files, "\n")[2:] {
		if op, p, ok := strings.Cut(l, " "); ok {
			p, _, _ = strings.Cut(p, "  ")
			got = append(got, op+" "+p)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("diff says\n%s\nthe merges say\n%s\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), out)
	}
	for _, l := range []string{"+ /opt/old  4 inside\n", "~ /usr/bin/tool  file → symlink\n", "~ /etc/version  content\n"} {
		if !strings.Contains(out, l) {
			t.Errorf("no %q in\n%s", l, out)
		}
	}
}

// TestDiffUsageGivesEveryExitStatus: diff's 1 means the images differ, so
// every error is 2, and the usage says so: a registry that lies about what
// a manifest is, and a cache that cannot be opened for --offline.
func TestDiffUsageGivesEveryExitStatus(t *testing.T) {
	isolate(t)
	if _, out, _ := run(t, "help"); !strings.Contains(out, "exit 0 same, 1 differ, 2 error") {
		t.Errorf("the usage gives diff's exit statuses as %q", out[strings.Index(out, "  diff"):][:300])
	}
	s := serve(t, rt.Config{Hostile: rt.Hostile{ImageAsEmptyIndex: true}})
	web := s.Registry.Host + "/team-a/web:"
	if code, _, errs := run(t, "diff", "--plain-http", web+"v3.2.0", web+"v3.3.0"); code != 2 || !strings.Contains(errs, "malformed") {
		t.Errorf("a manifest that lies: exit %d (want 2), %s", code, errs)
	}
	cacheHome := os.Getenv("XDG_CACHE_HOME")
	os.RemoveAll(cacheHome)
	os.WriteFile(cacheHome, nil, 0o600) // no directory can be made there
	if code, _, errs := run(t, "diff", "--offline", "--plain-http", web+"v3.2.0", web+"v3.3.0"); code != 2 || !strings.Contains(errs, "cannot be opened") {
		t.Errorf("--offline without a cache: exit %d (want 2), %s", code, errs)
	}
}

func TestDiffCommandComparesSBOMs(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{})
	api := s.Registry.Host + "/team-a/payments-api:"
	code, out, errs := run(t, "diff", "--plain-http", api+"v1.5.0", api+"v1.5.1")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"# packages: 7 → 7; 1 added, 1 removed, 2 upgraded or downgraded\n",
		"- github.com/pkg/errors v0.9.1 (golang)\n",
		"+ golang.org/x/net v0.33.0 (golang)\n",
		"~ libssl3 3.0.11-1~deb12u2 → 3.0.15-1~deb12u1 (deb)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	code, out, _ = run(t, "diff", "--json", "--plain-http", api+"v1.5.0", api+"v1.5.1")
	var doc struct {
		Packages *struct {
			Added    []struct{ Name string }
			Upgraded []struct{ Name, From, To string }
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Packages == nil || len(doc.Packages.Added) != 1 || len(doc.Packages.Upgraded) != 2 {
		t.Errorf("exit %d, %v: %s", code, err, out)
	}
	code, out, _ = run(t, "diff", "--plain-http", api+"v1.4.0", api+"v1.5.1")
	if !strings.Contains(out, "# packages: only one image has an SBOM (the first: no SBOM is attached to the image)") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}
