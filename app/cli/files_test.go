package cli

import (
	"encoding/json"
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"testing"

	ggcr "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/types"

	lt "github.com/card-catalog/card-catalog/app/imagefs/layertest"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

func TestFilesCommandPrintsTheMergedFilesystem(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{})
	web := s.Registry.Host + "/team-a/web:latest"
	code, out, errs := run(t, "files", "--plain-http", web)
	if code != 0 || errs != "" {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, line := range []string{
		"-rw-r--r-- 121 0 /etc/os-release\n",
		"-rw-r--r-- 188 1 /etc/passwd\n",   // layer 1 wrote it again
		"lrwxrwxrwx 0 0 /bin -> usr/bin\n", // a symlink with its target
		"hrwxr-xr-x 0 3 /srv/web/bin/web link to /srv/web/bin/web-server\n",
		"-rw-r--r-- 0 2 /var/lib/apt/lists/lock\n",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("no line %q", line)
		}
	}
	for _, gone := range []string{"python3.11_0_amd64.deb", "deb.example.com_dists"} {
		if strings.Contains(out, gone) {
			t.Errorf("%s was deleted by layer 2, yet listed", gone)
		}
	}
	if n := strings.Count(out, "\n"); n < 3000 {
		t.Errorf("%d entries", n)
	}
}

func TestFilesCommandJSON(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{})
	code, out, errs := run(t, "files", "--json", "--plain-http", s.Registry.Host+"/team-a/web:v3.2.0")
	var entries []struct {
		Path, Type, Mode, Target string
		Size                     int64
		Layer                    int
	}
	if err := json.Unmarshal([]byte(out), &entries); code != 0 || err != nil {
		t.Fatalf("exit %d, %v: %s", code, err, errs)
	}
	byPath := map[string]int{}
	for i, e := range entries {
		byPath[e.Path] = i
	}
	check := func(path, typ, mode, target string, layer int) {
		i, ok := byPath[path]
		if !ok {
			t.Errorf("%s missing", path)
			return
		}
		if e := entries[i]; e.Type != typ || e.Mode != mode || e.Target != target || e.Layer != layer {
			t.Errorf("%s: %+v", path, e)
		}
	}
	check("/bin", "symlink", "0777", "usr/bin", 0)
	check("/tmp", "dir", "1777", "", 0)
	check("/srv/web/bin/web", "hardlink", "0755", "/srv/web/bin/web-server", 3)
	check("/srv/web/README.md", "file", "0644", "", 3)
	check("/usr/bin/python3", "symlink", "0777", "python3.11", 1)
}

func TestFilesCommandListsOneLayerAsStored(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{})
	ref := s.Registry.Host + "/team-a/web:latest"
	_, inspected, _ := run(t, "inspect", "--plain-http", ref)
	var img struct{ Layers []struct{ Digest string } }
	json.Unmarshal([]byte(inspected), &img)
	code, out, errs := run(t, "files", "--json", "--plain-http", "--layer", img.Layers[2].Digest, ref)
	var entries []struct{ Path, Type string }
	if err := json.Unmarshal([]byte(out), &entries); code != 0 || err != nil {
		t.Fatalf("exit %d, %v: %s", code, err, errs)
	}
	kinds := map[string]string{}
	for _, e := range entries {
		kinds[e.Path+" "+e.Type] = e.Type
	}
	for _, want := range []string{"/var/lib/apt/lists opaque", "/var/cache/apt/archives/python3.11_0_amd64.deb whiteout", "/var/lib/apt/lists/lock file"} {
		if _, ok := kinds[want]; !ok {
			t.Errorf("no %s in %v", want, kinds)
		}
	}
	// The plain lines say in words what the markers are, as the window does;
	// a mode column that starts with w or o is read by no one.
	code, out, _ = run(t, "files", "--plain-http", "--layer", img.Layers[2].Digest, ref)
	for _, want := range []string{
		"-rw-r--r-- 0 2 /var/lib/apt/lists  opaque: hides what lower layers put here\n",
		"-rw-r--r-- 0 2 /var/cache/apt/archives/python3.11_0_amd64.deb  whiteout: deleted by this layer\n",
		"drwxr-xr-x 0 2 /var/lib/apt/lists\n",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("exit %d, no %q in\n%s", code, want, out[:min(len(out), 1000)])
		}
	}
	code, _, errs = run(t, "files", "--plain-http", "--layer", "sha256:0000", ref)
	if code != 2 || !strings.Contains(errs, "has no layer sha256:0000") {
		t.Errorf("exit %d: %s", code, errs)
	}
}

func TestCatCommand(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{})
	ref := s.Registry.Host + "/team-a/web:latest"
	code, out, errs := run(t, "cat", "--plain-http", ref, "/srv/web/README.md")
	if code != 0 || !strings.HasPrefix(out, "# web\n") || !strings.Contains(out, "team-a/web:3.3.0") {
		t.Fatalf("exit %d: %q %s", code, out, errs)
	}
	// Through a symlink to a symlink in another layer: /bin is usr/bin,
	// python3 is python3.11.
	code, out, _ = run(t, "cat", "--plain-http", ref, "/bin/python3")
	if code != 0 || len(out) != 30016 || !strings.HasPrefix(out, "\x7fELF") {
		t.Errorf("exit %d, %d bytes", code, len(out))
	}
	for path, words := range map[string]string{
		"/etc/nothing": "no such file in the image",
		"/etc":         "is a dir, not a file",
		"/var/cache/apt/archives/python3.11_0_amd64.deb": "no such file",
	} {
		code, _, errs = run(t, "cat", "--plain-http", ref, path)
		if code != 1 || !strings.Contains(errs, words) {
			t.Errorf("%s: exit %d: %s", path, code, errs)
		}
	}
}

func TestFilesCommandPicksAPlatform(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{})
	ref := s.Registry.Host + "/library/python:3.12"
	code, out, _ := run(t, "cat", "--plain-http", "--platform", "linux/arm64", ref, "/usr/lib/demo/arch.txt")
	if code != 0 || out != "arm64v8\n" {
		t.Errorf("exit %d: %q", code, out)
	}
	code, out, _ = run(t, "cat", "--plain-http", ref, "/usr/lib/demo/arch.txt")
	if code != 0 || out != "amd64\n" {
		t.Errorf("the host's platform: exit %d: %q", code, out)
	}
	code, _, errs := run(t, "files", "--plain-http", "--platform", "windows/amd64", ref)
	if code != 1 || !strings.Contains(errs, "has no image for windows/amd64; it has linux/amd64, linux/arm64/v8") {
		t.Errorf("exit %d: %s", code, errs)
	}
}

func TestFilesCommandEscapesHostileNames(t *testing.T) {
	isolate(t)
	host := serveLayer(t, "evil/names:v1",
		lt.File("title\x1b]0;pwned\x07.txt", "a"),
		lt.File("line\nforged 0 0 /etc/shadow", "b"),
		lt.Symlink("bidi", "\u202egnp.exe"),
		lt.File("bad\xff\xfeutf8", "c"),
	)
	for _, args := range [][]string{{"files"}, {"files", "--json"}} {
		code, out, errs := run(t, append(args, "--plain-http", host+"/evil/names:v1")...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		for _, raw := range []string{"\x1b", "\x07", "\u202e", "\xff", "\nforged"} {
			if strings.Contains(out, raw) {
				t.Errorf("%v printed %q raw:\n%s", args, raw, out)
			}
		}
	}
	code, out, _ := run(t, "files", "--plain-http", host+"/evil/names:v1")
	if code != 0 || !strings.Contains(out, `/title\x1b]0;pwned\x07.txt`) {
		t.Errorf("%s", out)
	}
}

// TestCatSaysWhereADanglingSymlinkPoints: the entry is there, its target
// is not; the words say so, and name the target (escaped: the layer wrote
// it).
func TestCatSaysWhereADanglingSymlinkPoints(t *testing.T) {
	isolate(t)
	host := serveLayer(t, "links/app:v1",
		lt.File("opt/app/run", "#!/bin/sh\n"),
		lt.Symlink("opt/app/dangling", "../lib/libgone.so"),
		lt.Symlink("opt/app/evil", "\x1b]0;pwned\x07"),
	)
	for p, want := range map[string]string{
		"/opt/app/dangling": "card-catalog cat: /opt/app/dangling is a symlink to ../lib/libgone.so, a path the image does not hold\n",
		"/opt/app/evil":     `card-catalog cat: /opt/app/evil is a symlink to \x1b]0;pwned\x07, a path the image does not hold` + "\n",
		"/opt/app/nothing":  "card-catalog cat: no such file in the image: /opt/app/nothing\n",
	} {
		if code, out, errs := run(t, "cat", "--plain-http", host+"/links/app:v1", p); code != 1 || out != "" || errs != want {
			t.Errorf("%s: exit %d, stderr %q, want %q", p, code, errs, want)
		}
	}
}

// serveLayer serves go-containerregistry's registry holding ref, an image
// of one gzip layer of entries, and gives its host.
func serveLayer(t *testing.T, ref string, entries ...lt.Entry) string {
	srv := httptest.NewServer(ggcr.New(ggcr.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	lt.Push(t, host, ref, lt.Layer{Blob: lt.Gzip(t, lt.Tar(t, entries...)), MediaType: types.OCILayer})
	return host
}

// TestFilesCommandWarnsOfACutOffLayer: a layer that ends without its
// end-of-archive blocks is listed, and said to be cut off, as tar does;
// from the kept listing too.
func TestFilesCommandWarnsOfACutOffLayer(t *testing.T) {
	isolate(t)
	srv := httptest.NewServer(ggcr.New(ggcr.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	whole := lt.Tar(t, lt.File("etc/motd", "hello\n"), lt.File("etc/hostname", "web\n"))
	lt.Push(t, host, "cut/layer:v1", lt.Layer{Blob: lt.Gzip(t, whole[:len(whole)-1024]), MediaType: types.OCILayer})
	for _, again := range []string{"read", "kept"} {
		code, out, errs := run(t, "files", "--plain-http", host+"/cut/layer:v1")
		if code != 0 || !strings.Contains(out, "/etc/hostname") || !strings.Contains(errs, "warning: layer 0 ends without the end-of-archive blocks") {
			t.Errorf("%s: exit %d, out %q, stderr %q", again, code, out, errs)
		}
	}
}
