package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
	"github.com/card-catalog/card-catalog/ui/systemtest"
)

// tagged is an image pushed under three tags (v1, v2, v3) of team/app,
// with another image under "other".
type tagged struct {
	reg                  registry.Registry
	img                  v1.Image
	digest, other        string
	layers               []string
	blobBytes, layerSize int64
}

func (f tagged) ref(repoTag string) string { return f.reg.Host + "/" + repoTag }

func pushTagged(t *testing.T, reg registry.Registry) tagged {
	t.Helper()
	return pushTaggedAs(t, reg, "team/app", authn.Anonymous)
}

// pushTaggedAs pushes the image under v1, v2 and v3 of path, and another
// under "other", signed in with auth.
func pushTaggedAs(t *testing.T, reg registry.Registry, path string, auth authn.Authenticator) tagged {
	t.Helper()
	img, err := random.Image(3000, 3)
	if err != nil {
		t.Fatal(err)
	}
	img = mutate.MediaType(img, types.OCIManifestSchema1)
	base := reg.Host + "/" + path
	for _, tag := range []string{"v1", "v2", "v3"} {
		ref, _ := name.NewTag(base+":"+tag, name.Insecure)
		if err := remote.Write(ref, img, remote.WithAuth(auth)); err != nil {
			t.Fatal(err)
		}
	}
	other, _ := random.Image(100, 1)
	oref, _ := name.NewTag(base+":other", name.Insecure)
	if err := remote.Write(oref, other, remote.WithAuth(auth)); err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	od, _ := other.Digest()
	f := tagged{reg: reg, img: img, digest: d.String(), other: od.String()}
	m, _ := img.Manifest()
	f.blobBytes = m.Config.Size
	for _, l := range m.Layers {
		f.layers = append(f.layers, l.Digest.String())
		f.blobBytes += l.Size
	}
	f.layerSize = m.Layers[0].Size
	return f
}

// at is where repoTag points ("" when nowhere).
func at(t *testing.T, reg registry.Registry, repoTag string) string {
	t.Helper()
	ref, err := registry.ParseReference(reg.Host+"/"+repoTag, true, false)
	if err != nil {
		t.Fatal(err)
	}
	d, err := registry.New(reg).Head(context.Background(), ref)
	if errors.Is(err, registry.ErrNotFound) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return d.Digest.String()
}

func checkTags(t *testing.T, f tagged, want map[string]string) {
	t.Helper()
	for tag, digest := range want {
		if got := at(t, f.reg, "team/app:"+tag); got != digest {
			t.Errorf("%s is at %q, want %q", tag, got, digest)
		}
	}
}

// isolateBeside is isolate for a test that starts Debian's
// docker-registry, which takes REGISTRY_AUTH_FILE (set empty by isolate)
// as its config's auth.file: it is left unset, the default Podman file of
// the isolated XDG_RUNTIME_DIR holds no login all the same.
func isolateBeside(t *testing.T) (dockerDir string) {
	dockerDir = isolate(t)
	os.Unsetenv("REGISTRY_AUTH_FILE")
	return dockerDir
}

// writes counts the writes that reached a registry.
type writes interface{ WriteRequests() int64 }

// Deleting one of three tags leaves the other two at the digest, on the
// in-process registry (the OCI tag DELETE) and on Debian's
// docker-registry (which deletes by digest only). --dry-run and a "no"
// at the prompt write nothing, counted at the server.
func TestDeleteCommandLeavesTheOtherTags(t *testing.T) {
	for kind, start := range map[string]func(t *testing.T) (registry.Registry, writes){
		"in-process": func(t *testing.T) (registry.Registry, writes) {
			s := rt.Serve(t, rt.Config{Blank: true})
			return s.Registry, s
		},
		"docker-registry": func(t *testing.T) (registry.Registry, writes) {
			m := rt.StartMeter(t, rt.StartDistribution(t, ""))
			return m.Registry, m
		},
	} {
		t.Run(kind, func(t *testing.T) {
			isolateBeside(t)
			reg, meter := start(t)
			f := pushTagged(t, reg)
			before := meter.WriteRequests()
			code, out, errs := runWith(t, "", "delete", "--plain-http", "--dry-run", f.ref("team/app:v2"))
			if code != 0 || !strings.Contains(out, "These tags stay on "+f.digest+": v1, v3.") || !strings.Contains(out, "Dry run: nothing was changed.") {
				t.Errorf("--dry-run: exit %d, %q %q", code, out, errs)
			}
			for _, answer := range []string{"", "n\n", "no\n"} {
				code, out, errs = runWith(t, answer, "delete", "--plain-http", f.ref("team/app:v2"))
				if code != 1 || !strings.Contains(out, "Proceed? [y/N]") || !strings.Contains(errs, "not confirmed: nothing was changed") {
					t.Errorf("answered %q: exit %d, %q %q", answer, code, out, errs)
				}
			}
			if n := meter.WriteRequests() - before; n != 0 {
				t.Fatalf("a dry run and three noes wrote %d times", n)
			}
			checkTags(t, f, map[string]string{"v1": f.digest, "v2": f.digest, "v3": f.digest})

			code, out, errs = runWith(t, "y\n", "delete", "--plain-http", f.ref("team/app:v2"))
			if code != 0 || !strings.Contains(out, "v2: deleted") {
				t.Fatalf("exit %d: %q %q", code, out, errs)
			}
			t.Log(out)
			checkTags(t, f, map[string]string{"v1": f.digest, "v2": "", "v3": f.digest, "other": f.other})
		})
	}
}

// Several tags go with one preview; --manifest takes the manifest and
// every tag on it, and only when asked.
func TestDeleteCommandSeveralTagsAndManifest(t *testing.T) {
	isolateBeside(t)
	reg := rt.StartDistribution(t, "")
	f := pushTagged(t, reg)
	code, out, errs := runWith(t, "", "delete", "--plain-http", "--yes", f.ref("team/app:v1"), f.ref("team/app:other"))
	if code != 0 || strings.Count(out, "How: ") != 1 {
		t.Fatalf("exit %d: %q %q", code, out, errs)
	}
	checkTags(t, f, map[string]string{"v1": "", "other": "", "v2": f.digest, "v3": f.digest})
	if code, _, errs := runWith(t, "", "delete", "--plain-http", "--yes", f.ref("team/app:v2"), f.ref("team/else:v2")); code != 2 || !strings.Contains(errs, "of one repository") {
		t.Errorf("two repositories: exit %d %q", code, errs)
	}
	if code, _, errs := runWith(t, "", "delete", "--plain-http", "--yes", f.ref("team/app")); code != 2 || !strings.Contains(errs, "names no tag") {
		t.Errorf("no tag: exit %d %q", code, errs)
	}
	code, out, errs = runWith(t, "", "delete", "--plain-http", "--yes", "--manifest", f.ref("team/app:v2"))
	if code != 0 || !strings.Contains(out, "and every tag on it: v2, v3") {
		t.Fatalf("--manifest: exit %d: %q %q", code, out, errs)
	}
	checkTags(t, f, map[string]string{"v2": "", "v3": ""})
}

// On a Harbor and a GitLab (as the window's entry says), a tag is deleted
// through their own API, signed in with the registry's login from
// Docker's config; the other tags stay. A login that may only read is
// refused: exit 1, nothing moves.
func TestDeleteCommandThroughTheKindsAPI(t *testing.T) {
	robot := "robot$team+ci"
	harborServer := serve(t, func() rt.Config {
		c := rt.HarborConfig(map[string]string{robot: "secret"}, &rt.Harbor{Members: map[string][]string{"team": {robot}}})
		c.Blank = true
		return c
	}())
	gitlabServer := serve(t, func() rt.Config {
		c := rt.GitLabConfig(map[string]string{"dev": "glpat"}, &rt.GitLab{
			Projects: map[string][]string{"group/project": {"group/project/app"}}, Tokens: map[string]bool{"glpat": true}})
		c.Blank = true
		return c
	}())
	readOnly := serve(t, rt.Config{Blank: true, Ping: rt.Bearer, Default: rt.Bearer,
		Users: map[string]string{"writer": "w", "reader": "r"}, PullOnly: map[string]bool{"reader": true}})
	for _, c := range []struct {
		name       string
		s          *rt.Server
		path, user string
		password   string
		entry      settings.Entry
		code       int
		says       string
	}{
		{"harbor", harborServer, "team/app", robot, "secret", settings.Entry{Kind: kinds.Harbor}, 0, "through Harbor's API"},
		{"gitlab", gitlabServer, "group/project/app", "dev", "glpat", settings.Entry{Kind: kinds.GitLab, GitLabAPI: "http://" + gitlabServer.Registry.Host}, 0, "through GitLab's API"},
		{"read-only", readOnly, "team/app", "reader", "r", settings.Entry{}, 1, "permission denied"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dockerDir := isolate(t)
			c.entry.ID, c.entry.Name, c.entry.Address, c.entry.PlainHTTP = c.s.Registry.Host, c.name, c.s.Registry.Host, true
			systemtest.WritePreferences(t, os.Getenv("XDG_CONFIG_HOME"), settings.Settings{Registries: []settings.Entry{c.entry}})
			auth := base64.StdEncoding.EncodeToString([]byte(c.user + ":" + c.password))
			os.WriteFile(filepath.Join(dockerDir, "config.json"), []byte(`{"auths":{"`+c.s.Registry.Host+`":{"auth":"`+auth+`"}}}`), 0o600)
			pusher := &authn.Basic{Username: c.user, Password: c.password}
			if c.name == "read-only" {
				pusher = &authn.Basic{Username: "writer", Password: "w"}
			}
			f := pushTaggedAs(t, c.s.Registry, c.path, pusher)
			code, out, errs := runWith(t, "", "delete", "--plain-http", "--yes", c.s.Registry.Host+"/"+c.path+":v2")
			if code != c.code || !strings.Contains(out+errs, c.says) {
				t.Fatalf("exit %d: %q %q", code, out, errs)
			}
			client := registry.New(c.s.Registry, registry.WithCredentials(credential.Static{c.s.Registry.Host: {Username: c.user, Password: c.password}}))
			want := map[string]string{"v1": f.digest, "v2": "", "v3": f.digest}
			if c.code != 0 {
				want["v2"] = f.digest
			}
			for tag, digest := range want {
				d, err := client.Head(context.Background(), registry.Reference{Registry: c.s.Registry, Repository: c.path, Tag: tag})
				if got := d.Digest.String(); digest == "" && !errors.Is(err, registry.ErrNotFound) || digest != "" && got != digest {
					t.Errorf("%s: %s %v, want %q", tag, got, err, digest)
				}
			}
		})
	}
}

// A docker-registry without delete enabled refuses: exit 1, in words that
// say what to change, and nothing moves.
func TestDeleteCommandRefused(t *testing.T) {
	isolateBeside(t)
	reg := rt.StartDistributionWith(t, rt.Distribution{NoDelete: true})
	f := pushTagged(t, reg)
	code, out, errs := runWith(t, "", "delete", "--plain-http", "--yes", f.ref("team/app:v2"))
	if code != 1 || !strings.Contains(errs, "delete: enabled: true") || strings.Contains(out, "enabled") || strings.Count(errs, "\n") != 1 {
		t.Errorf("exit %d: %q %q", code, out, errs)
	}
	checkTags(t, f, map[string]string{"v1": f.digest, "v2": f.digest, "v3": f.digest})
}

// A retag sends no blob byte; the new tag reads back at the digest.
func TestTagCommandMovesNoBlob(t *testing.T) {
	isolateBeside(t)
	m := rt.StartMeter(t, rt.StartDistribution(t, ""))
	f := pushTagged(t, m.Registry)
	bytesIn, posts, writes := m.BlobBytesIn(), m.RequestsOf("POST blobs"), m.WriteRequests()
	if code, out, _ := runWith(t, "y\n", "tag", "--plain-http", "--dry-run", f.ref("team/app:v1"), "stable"); code != 0 || m.WriteRequests() != writes {
		t.Errorf("--dry-run: exit %d, %d writes: %q", code, m.WriteRequests()-writes, out)
	}
	code, out, errs := runWith(t, "", "tag", "--plain-http", "--yes", f.ref("team/app:v1"), "stable")
	if code != 0 || !strings.Contains(out, "no blob is sent") {
		t.Fatalf("exit %d: %q %q", code, out, errs)
	}
	checkTags(t, f, map[string]string{"stable": f.digest})
	if m.BlobBytesIn() != bytesIn || m.RequestsOf("POST blobs") != posts {
		t.Errorf("a retag sent %d blob bytes in %d uploads", m.BlobBytesIn()-bytesIn, m.RequestsOf("POST blobs")-posts)
	}
	if code, out, _ := runWith(t, "", "tag", "--plain-http", f.ref("team/app:v1"), "stable"); code != 0 || !strings.Contains(out, "nothing to do") {
		t.Errorf("again: exit %d %q", code, out)
	}
}

// tag --restore brings a deleted tag back from the manifest kept when it
// was deleted, and says plainly when the registry no longer holds its
// blobs.
func TestTagRestore(t *testing.T) {
	isolateBeside(t)
	reg := rt.StartDistribution(t, "")
	f := pushTagged(t, reg)
	if code, out, errs := runWith(t, "", "delete", "--plain-http", "--yes", f.ref("team/app:v1"), f.ref("team/app:v2")); code != 0 || !strings.Contains(out, "Undo can put it back") {
		t.Fatalf("delete: exit %d %q %q", code, out, errs)
	}
	code, out, errs := runWith(t, "y\n", "tag", "--plain-http", "--restore", f.ref("team/app:v2"))
	if code != 0 || !strings.Contains(out, "Put back: team/app:v2 is at "+f.digest) {
		t.Fatalf("restore: exit %d %q %q", code, out, errs)
	}
	checkTags(t, f, map[string]string{"v2": f.digest})

	// Its layer gone (as after garbage collection), v1 cannot come back.
	req, _ := http.NewRequest(http.MethodDelete, "http://"+reg.Host+"/v2/team/app/blobs/"+f.layers[0], nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("deleting the blob: %v %v", resp, err)
	}
	resp.Body.Close()
	code, _, errs = runWith(t, "", "tag", "--plain-http", "--restore", "--yes", f.ref("team/app:v1"))
	if code != 1 || !strings.Contains(errs, "no longer has the blob "+f.layers[0]) {
		t.Errorf("restore without the blob: exit %d %q", code, errs)
	}
	checkTags(t, f, map[string]string{"v1": ""})
	if code, _, errs := runWith(t, "", "tag", "--plain-http", "--restore", "--yes", f.ref("team/app:never")); code != 1 || !strings.Contains(errs, "no deleted copy of it is kept") {
		t.Errorf("never deleted: exit %d %q", code, errs)
	}
}

// A copy within one registry mounts: no blob byte is sent. Between two it
// sends only the blobs the target lacks; --dry-run writes nothing.
func TestCopyCommandSendsOnlyWhatIsMissing(t *testing.T) {
	isolateBeside(t)
	src := rt.StartMeter(t, rt.StartDistribution(t, ""))
	f := pushTagged(t, src.Registry)
	bytesIn := src.BlobBytesIn()
	code, out, errs := runWith(t, "", "copy", "--plain-http", "--yes", f.ref("team/app:v1"), f.ref("other/app"))
	if code != 0 || !strings.Contains(out, "mounted from the source's repository") {
		t.Fatalf("exit %d: %q %q", code, out, errs)
	}
	if n := src.BlobBytesIn() - bytesIn; n != 0 {
		t.Errorf("a copy within one registry sent %d blob bytes", n)
	}
	if got := at(t, src.Registry, "other/app:v1"); got != f.digest {
		t.Errorf("other/app:v1 is at %q", got)
	}

	dst := rt.StartMeter(t, rt.StartDistribution(t, ""))
	// The target has the first layer already.
	layers, _ := f.img.Layers()
	dstRepo, _ := name.NewRepository(dst.Registry.Host+"/team/app", name.Insecure)
	if err := remote.WriteLayer(dstRepo, layers[0]); err != nil {
		t.Fatal(err)
	}
	before, writesBefore := dst.BlobBytesIn(), dst.WriteRequests()
	if code, out, _ := runWith(t, "", "copy", "--plain-http", "--dry-run", f.ref("team/app:v1"), dst.Registry.Host+"/team/app:v1"); code != 0 || dst.WriteRequests() != writesBefore {
		t.Errorf("--dry-run: exit %d, %d writes: %q", code, dst.WriteRequests()-writesBefore, out)
	}
	code, out, errs = runWith(t, "", "copy", "--plain-http", "--yes", f.ref("team/app:v1"), dst.Registry.Host+"/team/app:v1")
	if code != 0 {
		t.Fatalf("exit %d: %q %q", code, out, errs)
	}
	if n := dst.BlobBytesIn() - before; n != f.blobBytes-f.layerSize {
		t.Errorf("sent %d blob bytes, want %d (every blob but the one there)", n, f.blobBytes-f.layerSize)
	}
	if !strings.Contains(errs, "blobs · ") {
		t.Errorf("no progress on stderr: %q", errs)
	}
	if got := at(t, dst.Registry, "team/app:v1"); got != f.digest {
		t.Errorf("the copy is at %q", got)
	}
}

// A copy broken halfway says what was done and exits 2; run again, it
// sends only what did not arrive. Each registry gets its own login only.
func TestCopyCommandResumesWithEachLogin(t *testing.T) {
	dockerDir := isolate(t)
	users := func(u string) rt.Config {
		return rt.Config{Blank: true, Ping: rt.Basic, Default: rt.Basic, Users: map[string]string{u: u + "-secret"}}
	}
	src, dstCfg := serve(t, users("alice")), users("bob")
	dstCfg.Writes.FailBlobsAfter = 2
	dst := serve(t, dstCfg)
	auth := func(u string) string {
		return `{"auth":"` + base64.StdEncoding.EncodeToString([]byte(u+":"+u+"-secret")) + `"}`
	}
	os.WriteFile(filepath.Join(dockerDir, "config.json"), []byte(`{"auths":{"`+src.Registry.Host+`":`+auth("alice")+`,"`+dst.Registry.Host+`":`+auth("bob")+`}}`), 0o600)
	img, _ := random.Image(5000, 4)
	ref, _ := name.NewTag(src.Registry.Host+"/team/app:v1", name.Insecure)
	if err := remote.Write(ref, img, remote.WithAuth(basicAuth("alice"))); err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	code, _, errs := runWith(t, "", "copy", "--plain-http", "--yes", src.Registry.Host+"/team/app:v1", dst.Registry.Host+"/copied/app:v1")
	if code != 2 || !strings.Contains(errs, " of 5 blobs and 0 of 1 manifests; the tag v1 was not moved") || !strings.Contains(errs, "run the same command again to resume") {
		t.Fatalf("broken halfway: exit %d %q", code, errs)
	}
	stored := dst.BlobsStored()
	dst.Writes.FailBlobsAfter = 0
	code, out, errs := runWith(t, "", "copy", "--plain-http", "--yes", src.Registry.Host+"/team/app:v1", dst.Registry.Host+"/copied/app:v1")
	if code != 0 || stored == 0 || !strings.Contains(out, fmt.Sprintf("%d blobs there already", stored)) {
		t.Fatalf("again, with %d stored: exit %d %q %q", stored, code, out, errs)
	}
	if n := dst.BlobsStored(); n != 5 {
		t.Errorf("%d blob uploads stored over both runs, want each of the 5 once", n)
	}
	dstRef, _ := registry.ParseReference(dst.Registry.Host+"/copied/app:v1", true, false)
	got, err := registry.New(dst.Registry, loginOf(dst.Registry, "bob")).Head(context.Background(), dstRef)
	if err != nil || got.Digest != d {
		t.Errorf("the copy: %v %v, want %s", got.Digest, err, d)
	}
	if l := src.Logins(); l["bob"] != 0 || l["alice"] == 0 {
		t.Errorf("the source got logins %v", l)
	}
	if l := dst.Logins(); l["alice"] != 0 || l["bob"] == 0 {
		t.Errorf("the target got logins %v", l)
	}
}

// Ctrl+C stops a copy cleanly: exit 1, and it says what was done.
func TestCopyCommandStopsOnInterrupt(t *testing.T) {
	isolate(t)
	src := serve(t, rt.Config{Blank: true})
	dst := serve(t, rt.Config{Blank: true, Writes: rt.Writes{StallUploads: true}})
	img, _ := random.Image(200_000, 2)
	ref, _ := name.NewTag(src.Registry.Host+"/team/app:v1", name.Insecure)
	if err := remote.Write(ref, img); err != nil {
		t.Fatal(err)
	}
	var out, errb syncBuffer
	done := make(chan int)
	go func() {
		done <- Run([]string{"copy", "--plain-http", "--yes", src.Registry.Host + "/team/app:v1", dst.Registry.Host + "/team/app:v1"}, strings.NewReader(""), &out, &errb)
	}()
	// Once the preview is out, the copy is running (and its signal
	// handler set): interrupt it.
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "Copy "); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no preview")
		}
	}
	time.Sleep(200 * time.Millisecond)
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	select {
	case code := <-done:
		if errs := errb.String(); code != 1 || !strings.Contains(errs, "stopped: pushed 0 of 3 blobs") || !strings.Contains(errs, "run the same command again to resume") {
			t.Errorf("exit %d: %q", code, errs)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the copy did not stop")
	}
	if got := at(t, dst.Registry, "team/app:v1"); got != "" {
		t.Errorf("the tag was set: %s", got)
	}
}

// syncBuffer is a buffer written by one goroutine and read by another.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Exported to each format and imported into another registry, an image
// comes back with its digest; --dry-run writes no file.
func TestExportThenImportGivesTheSameDigest(t *testing.T) {
	isolate(t)
	f := pushTagged(t, rt.Serve(t, rt.Config{Blank: true}).Registry)
	dir := t.TempDir()
	for _, c := range []struct{ file, format, says string }{
		{"app.tar", "", "docker load -i"},
		{"layout", "", "skopeo copy oci:"},
		{"app.oci.tar", "oci-tar", "oci-archive:"},
	} {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join(dir, c.file)
			args := []string{"export", "--plain-http", "--yes"}
			if c.format != "" {
				args = append(args, "--format", c.format)
			}
			dry := append(append([]string(nil), args...), "--dry-run", f.ref("team/app:v1"), path)
			if code, out, errs := runWith(t, "", dry...); code != 0 || exists(path) {
				t.Fatalf("--dry-run: exit %d, file written %t: %q %q", code, exists(path), out, errs)
			}
			code, out, errs := runWith(t, "", append(args, f.ref("team/app:v1"), path)...)
			if code != 0 || !strings.Contains(out, c.says) {
				t.Fatalf("export: exit %d %q %q", code, out, errs)
			}
			target := rt.Serve(t, rt.Config{Blank: true})
			code, out, errs = runWith(t, "", "import", "--plain-http", "--yes", path, target.Registry.Host+"/imported/app:v2")
			if code != 0 {
				t.Fatalf("import: exit %d %q %q", code, out, errs)
			}
			if got := at(t, target.Registry, "imported/app:v2"); got != f.digest {
				t.Errorf("imported at %q, exported %s", got, f.digest)
			}
		})
	}
	if code, _, errs := runWith(t, "", "export", "--plain-http", "--yes", "--format", "zip", f.ref("team/app:v1"), filepath.Join(dir, "x")); code != 2 || !strings.Contains(errs, "--format is oci-dir, oci-tar or docker") {
		t.Errorf("--format zip: exit %d %q", code, errs)
	}
}

// An archive of two images: import without --image names them and
// imports nothing; with --image it imports the one named.
func TestImportPicksOneOfSeveralImages(t *testing.T) {
	isolate(t)
	path := filepath.Join(t.TempDir(), "two")
	digests := rt.Layout(t, path, "v1", "v2")
	target := rt.Serve(t, rt.Config{Blank: true})
	code, out, errs := runWith(t, "", "import", "--plain-http", "--yes", path, target.Registry.Host+"/imported/app:v2")
	if code != 2 || !strings.Contains(errs, "holds 2 images (v1, v2): name the one to import with --image NAME") || target.WriteRequests() != 0 {
		t.Fatalf("without --image: exit %d, %d writes, %q %q", code, target.WriteRequests(), out, errs)
	}
	if code, out, errs := runWith(t, "", "import", "--plain-http", "--yes", "--image", "v2", path, target.Registry.Host+"/imported/app:v2"); code != 0 {
		t.Fatalf("--image v2: exit %d %q %q", code, out, errs)
	}
	if got := at(t, target.Registry, "imported/app:v2"); got != digests["v2"] {
		t.Errorf("imported %s, want v2's %s (v1 is %s)", got, digests["v2"], digests["v1"])
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func basicAuth(u string) authn.Authenticator {
	return &authn.Basic{Username: u, Password: u + "-secret"}
}

func loginOf(reg registry.Registry, u string) registry.Option {
	return registry.WithCredentials(credential.Static{reg.Host: {Username: u, Password: u + "-secret"}})
}

// A write verifies the registry's TLS certificate unless --insecure: a
// self-signed one is refused before anything is asked.
func TestManageCommandsVerifyTLS(t *testing.T) {
	isolate(t)
	s := rt.Serve(t, rt.Config{Blank: true})
	f := pushTagged(t, s.Registry)
	srv := httptest.NewTLSServer(s)
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "https://")
	before := s.WriteRequests()
	code, _, errs := runWith(t, "", "delete", "--yes", host+"/team/app:v2")
	if code != 2 || !strings.Contains(errs, "certificate") || s.WriteRequests() != before {
		t.Errorf("self-signed certificate accepted: exit %d, %q", code, errs)
	}
	if code, out, errs := runWith(t, "", "delete", "--insecure", "--yes", host+"/team/app:v2"); code != 0 {
		t.Errorf("--insecure: exit %d, %q %q", code, out, errs)
	}
	checkTags(t, f, map[string]string{"v1": f.digest, "v2": "", "v3": f.digest})
}
