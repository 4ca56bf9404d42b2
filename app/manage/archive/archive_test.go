package archive_test

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/card-catalog/card-catalog/app/manage/archive"
	"github.com/card-catalog/card-catalog/app/manage/transfer"
	"github.com/card-catalog/card-catalog/registry"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

func ref(reg registry.Registry, repo, tag string) registry.Reference {
	return registry.Reference{Registry: reg, Repository: repo, Tag: tag}
}

// source pushes an index of two images with a referrer to a fresh
// registry and returns it with the index's and the referrer's digests.
func source(t *testing.T) (*rt.Server, string, string, []string) {
	t.Helper()
	s := rt.Serve(t, rt.Config{Blank: true})
	var base v1.ImageIndex = empty.Index
	var children []string
	for _, arch := range []string{"amd64", "arm64"} {
		img, err := random.Image(4000, 3)
		if err != nil {
			t.Fatal(err)
		}
		img, _ = mutate.ConfigFile(img, &v1.ConfigFile{OS: "linux", Architecture: arch, RootFS: mustConfig(t, img).RootFS})
		d, _ := img.Digest()
		children = append(children, d.String())
		base = mutate.AppendManifests(base, mutate.IndexAddendum{Add: img,
			Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: arch}}})
	}
	idx := mutate.IndexMediaType(base, types.OCIImageIndex)
	tag, _ := name.NewTag(s.Registry.Host+"/team/app:v1", name.Insecure)
	if err := remote.WriteIndex(tag, idx); err != nil {
		t.Fatal(err)
	}
	d, _ := idx.Digest()
	size, _ := idx.Size()
	sig, _ := mutate.AppendLayers(empty.Image, static.NewLayer([]byte("signed"), "application/vnd.dev.cosign.simplesigning.v1+json"))
	sig = mutate.Subject(mutate.MediaType(sig, types.OCIManifestSchema1), v1.Descriptor{MediaType: types.OCIImageIndex, Digest: d, Size: size}).(v1.Image)
	sd, _ := sig.Digest()
	sref, _ := name.NewDigest(s.Registry.Host+"/team/app@"+sd.String(), name.Insecure)
	if err := remote.Write(sref, sig); err != nil {
		t.Fatal(err)
	}
	return s, d.String(), sd.String(), children
}

func mustConfig(t *testing.T, img v1.Image) *v1.ConfigFile {
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func run(t *testing.T, src transfer.Source, dst transfer.Target, o transfer.Options) transfer.Progress {
	t.Helper()
	plan, err := transfer.NewPlan(context.Background(), src, dst, o)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// An index exported to each kind of archive and imported into another
// registry comes back with the same digests, its referrer too; skopeo
// reads the archives.
func TestExportImportRoundTrip(t *testing.T) {
	s, digest, referrer, children := source(t)
	c := registry.New(s.Registry)
	for name, f := range map[string]archive.Format{"oci-dir": archive.LayoutDir, "oci-tar": archive.LayoutTar, "docker-tar": archive.DockerTar} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "app.tar")
			if f == archive.LayoutDir {
				path = filepath.Join(t.TempDir(), "layout")
			}
			w, err := archive.Create(path, f, archive.Options{Name: "team/app:v1", Platform: "linux/arm64"})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			run(t, transfer.FromRegistry(c, ref(s.Registry, "team/app", "v1")), w, transfer.Options{Referrers: true})
			if f == archive.DockerTar && !strings.Contains(w.Loads(), "linux/arm64") {
				t.Errorf("docker load gets: %q", w.Loads())
			}
			skopeoReads(t, f, path, children)

			a, err := archive.Open(path, "")
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			target := rt.Serve(t, rt.Config{Blank: true})
			tc := registry.New(target.Registry)
			run(t, a, transfer.ToRegistry(tc, ref(target.Registry, "imported/app", "v2"), registry.PushOptions{}), transfer.Options{Referrers: true})
			got, err := tc.Head(context.Background(), ref(target.Registry, "imported/app", "v2"))
			if err != nil || got.Digest.String() != digest {
				t.Fatalf("imported %v, %v; exported %s", got.Digest, err, digest)
			}
			refs, err := tc.Referrers(context.Background(), ref(target.Registry, "imported/app", ""), digest)
			if err != nil || len(refs) != 1 || refs[0].Digest.String() != referrer {
				t.Errorf("referrers after the round trip: %v, %v", refs, err)
			}
		})
	}
}

// skopeoReads checks that skopeo inspects the archive as its kind
// (make test-deps installs it).
func skopeoReads(t *testing.T, f archive.Format, path string, children []string) {
	t.Helper()
	bin, err := exec.LookPath("skopeo")
	if err != nil {
		t.Fatal("skopeo is missing: run `make test-deps`")
	}
	transport := map[archive.Format]string{archive.LayoutDir: "oci:", archive.LayoutTar: "oci-archive:", archive.DockerTar: "docker-archive:"}[f]
	args := []string{"inspect", "--raw", transport + path}
	if f != archive.DockerTar {
		// The layout lists the referrer beside the image: skopeo wants
		// the image named.
		args[2] += ":v1"
	}
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("skopeo %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	if f == archive.DockerTar {
		// docker-archive has no manifest of its own: skopeo makes one
		// from the config and layers. Its config is the arm64 image's.
		cfg, err := exec.Command(bin, "inspect", "--config", transport+path).CombinedOutput()
		if err != nil || !strings.Contains(strings.ReplaceAll(string(cfg), " ", ""), `"architecture":"arm64"`) {
			t.Errorf("skopeo inspect --config: %v\n%s", err, cfg)
		}
		// Copied out, every layer is read and checked against the
		// config's diff_ids, as docker load checks them.
		out, err := exec.Command(bin, "copy", "--quiet", transport+path, "oci:"+filepath.Join(t.TempDir(), "out")+":v1").CombinedOutput()
		if err != nil {
			t.Errorf("skopeo copy out of the docker-archive: %v\n%s", err, out)
		}
		return
	}
	for _, c := range children {
		if !strings.Contains(string(out), c) {
			t.Errorf("skopeo's view of the index lacks %s:\n%s", c, out)
		}
	}
}

// A docker-archive as docker save wrote them before Docker 25 (no OCI
// index, layers as files of their own) imports with the same config and
// layers.
func TestImportOldDockerArchive(t *testing.T) {
	img, err := random.Image(3000, 2)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "saved.tar")
	f, _ := os.Create(path)
	tw := tar.NewWriter(f)
	add := func(name string, b []byte) {
		tw.WriteHeader(&tar.Header{Name: name, Size: int64(len(b)), Mode: 0o644, Typeflag: tar.TypeReg})
		tw.Write(b)
	}
	cfg, _ := img.RawConfigFile()
	cfgName, _ := img.ConfigName()
	add(cfgName.Hex+".json", cfg)
	layers, _ := img.Layers()
	var names []string
	var want []string
	for i, l := range layers {
		rc, _ := l.Compressed()
		b, _ := io.ReadAll(rc)
		n := filepath.Join(string(rune('a'+i)), "layer.tar")
		add(n, b)
		names = append(names, n)
		d, _ := l.Digest()
		want = append(want, d.String())
	}
	m, _ := json.Marshal([]any{map[string]any{"Config": cfgName.Hex + ".json", "RepoTags": []string{"team/app:v1"}, "Layers": names}})
	add("manifest.json", m)
	tw.Close()
	f.Close()

	a, err := archive.Open(path, "team/app:v1")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	target := rt.Serve(t, rt.Config{Blank: true})
	tc := registry.New(target.Registry)
	run(t, a, transfer.ToRegistry(tc, ref(target.Registry, "team/app", "v1"), registry.PushOptions{}), transfer.Options{})
	got, err := tc.Manifest(context.Background(), ref(target.Registry, "team/app", "v1"))
	if err != nil || got.Image == nil || got.Image.Config.Digest != cfgName {
		t.Fatalf("%v, %v", got, err)
	}
	for i, l := range got.Image.Layers {
		if l.Digest.String() != want[i] {
			t.Errorf("layer %d: %s, want %s", i, l.Digest, want[i])
		}
	}
}

// A blob in an archive that is not what its digest says stops the import
// before the tag; one from the registry that is not stops the export and
// leaves no archive.
func TestHostileArchive(t *testing.T) {
	s, _, _, _ := source(t)
	c := registry.New(s.Registry)
	dir := filepath.Join(t.TempDir(), "layout")
	w, err := archive.Create(dir, archive.LayoutDir, archive.Options{Name: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	p := run(t, transfer.FromRegistry(c, ref(s.Registry, "team/app", "v1")), w, transfer.Options{})
	// Run again: a directory export sends nothing it has.
	w2, _ := archive.Create(dir, archive.LayoutDir, archive.Options{Name: "v1"})
	if again := run(t, transfer.FromRegistry(c, ref(s.Registry, "team/app", "v1")), w2, transfer.Options{}); again.Present != p.Blobs || again.BytesSent != 0 {
		t.Errorf("the export run again: %+v", again)
	}
	// Spoil the largest blob.
	var largest string
	var size int64
	filepath.Walk(filepath.Join(dir, "blobs"), func(p string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() && info.Size() > size {
			largest, size = p, info.Size()
		}
		return nil
	})
	b, _ := os.ReadFile(largest)
	b[len(b)/2] ^= 0xff
	os.WriteFile(largest, b, 0o644)

	a, err := archive.Open(dir, "v1")
	if err != nil {
		t.Fatal(err)
	}
	target := rt.Serve(t, rt.Config{Blank: true})
	tc := registry.New(target.Registry)
	plan, err := transfer.NewPlan(context.Background(), a, transfer.ToRegistry(tc, ref(target.Registry, "team/app", "v1"), registry.PushOptions{}), transfer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plan.Run(context.Background(), nil); !errors.Is(err, registry.ErrDigestMismatch) {
		t.Fatalf("import of a spoilt blob: %v", err)
	}
	if _, err := tc.Head(context.Background(), ref(target.Registry, "team/app", "v1")); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("the tag after a spoilt import: %v", err)
	}

	// Exported from there to a tar, the spoilt blob stops the export,
	// which leaves nothing at its path.
	path := filepath.Join(t.TempDir(), "out.tar")
	tw, err := archive.Create(path, archive.LayoutTar, archive.Options{Name: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	plan, err = transfer.NewPlan(context.Background(), a, tw, transfer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = plan.Run(context.Background(), nil)
	tw.Close()
	if !errors.Is(err, registry.ErrDigestMismatch) {
		t.Fatalf("export of a spoilt blob: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed export left %s: %v", path, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 0 {
		t.Errorf("a failed export left %v", entries)
	}
}
