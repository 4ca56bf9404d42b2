package registry_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/random"

	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// testBlob is a blob in memory, for pushes.
type testBlob struct {
	digest string
	data   []byte
}

func (b testBlob) open() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b.data)), nil }

// testImage is a random image: its blobs (config first) and manifest.
type testImage struct {
	blobs     []testBlob
	manifest  []byte
	mediaType string
	digest    string
}

func newTestImage(t *testing.T, size int64, layers int) testImage {
	t.Helper()
	img, err := random.Image(size, int64(layers))
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := img.RawConfigFile()
	cfgDigest, _ := img.ConfigName()
	ti := testImage{blobs: []testBlob{{cfgDigest.String(), cfg}}}
	ls, _ := img.Layers()
	for _, l := range ls {
		rc, _ := l.Compressed()
		b, _ := io.ReadAll(rc)
		d, _ := l.Digest()
		ti.blobs = append(ti.blobs, testBlob{d.String(), b})
	}
	ti.manifest, _ = img.RawManifest()
	mt, _ := img.MediaType()
	ti.mediaType = string(mt)
	d, _ := img.Digest()
	ti.digest = d.String()
	return ti
}

func repoRef(reg registry.Registry, repo string) registry.Reference {
	return registry.Reference{Registry: reg, Repository: repo}
}

// pushImage pushes every blob and the manifest under tag.
func pushImage(t *testing.T, c *registry.Client, repo registry.Reference, img testImage, tag string) {
	t.Helper()
	ctx := context.Background()
	for _, b := range img.blobs {
		if _, err := c.PushBlob(ctx, repo, b.digest, int64(len(b.data)), b.open, registry.PushOptions{}); err != nil {
			t.Fatalf("push blob: %v", err)
		}
	}
	ref := repo
	ref.Tag = tag
	if _, err := c.PutManifest(ctx, ref, img.manifest, img.mediaType); err != nil {
		t.Fatalf("push manifest: %v", err)
	}
}

func TestPushAndReadBack(t *testing.T) {
	for name, reg := range map[string]func(t *testing.T) registry.Registry{
		"in-process":   func(t *testing.T) registry.Registry { return rt.Serve(t, rt.Config{Blank: true}).Registry },
		"distribution": func(t *testing.T) registry.Registry { return rt.StartDistribution(t, "") },
	} {
		t.Run(name, func(t *testing.T) {
			reg := reg(t)
			c := registry.New(reg)
			repo := repoRef(reg, "team/app")
			img := newTestImage(t, 2048, 3)
			pushImage(t, c, repo, img, "v1")
			ref := repo
			ref.Tag = "v1"
			m, err := c.Manifest(context.Background(), ref)
			if err != nil || m.Digest != img.digest || !bytes.Equal(m.Raw, img.manifest) {
				t.Fatalf("read back %v, %v", m, err)
			}
			for _, b := range img.blobs {
				got, err := c.Blob(context.Background(), repo, b.digest, 1<<20, "blob")
				if err != nil || !bytes.Equal(got, b.data) {
					t.Fatalf("blob %s: %v", b.digest, err)
				}
			}
		})
	}
}

// A blob larger than the chunk size goes in PATCH chunks, each counted at
// the registry.
func TestPushBlobInChunks(t *testing.T) {
	m := rt.StartMeter(t, rt.StartDistribution(t, ""))
	c := registry.New(m.Registry)
	img := newTestImage(t, 10_000, 1)
	layer := img.blobs[1]
	push, err := c.PushBlob(context.Background(), repoRef(m.Registry, "team/app"), layer.digest, int64(len(layer.data)), layer.open,
		registry.PushOptions{ChunkSize: 4096})
	if err != nil {
		t.Fatal(err)
	}
	want := (int64(len(layer.data)) + 4095) / 4096
	if got := m.RequestsOf("PATCH blobs"); got != want || push.Sent != int64(len(layer.data)) {
		t.Errorf("%d PATCH requests, want %d; sent %d of %d", got, want, push.Sent, len(layer.data))
	}
	if m.BlobBytesIn() != int64(len(layer.data)) {
		t.Errorf("the registry received %d bytes, want %d", m.BlobBytesIn(), len(layer.data))
	}
}

// Within one distribution a blob is mounted from another repository: no
// byte of it goes out. The in-process registry does not mount: its 202
// opens an upload, which the push then uses.
func TestMount(t *testing.T) {
	for name, tc := range map[string]struct {
		reg     func(t *testing.T) registry.Registry
		mounted bool
	}{
		"distribution mounts": {func(t *testing.T) registry.Registry { return rt.StartDistribution(t, "") }, true},
		"in-process uploads":  {func(t *testing.T) registry.Registry { return rt.Serve(t, rt.Config{Blank: true}).Registry }, false},
	} {
		t.Run(name, func(t *testing.T) {
			m := rt.StartMeter(t, tc.reg(t))
			c := registry.New(m.Registry)
			img := newTestImage(t, 4096, 1)
			pushImage(t, c, repoRef(m.Registry, "team/one"), img, "v1")
			before := m.BlobBytesIn()
			layer := img.blobs[1]
			push, err := c.PushBlob(context.Background(), repoRef(m.Registry, "team/two"), layer.digest, int64(len(layer.data)),
				layer.open, registry.PushOptions{MountFrom: "team/one"})
			if err != nil {
				t.Fatal(err)
			}
			sent := m.BlobBytesIn() - before
			if push.Mounted != tc.mounted || (tc.mounted && sent != 0) || (!tc.mounted && sent != int64(len(layer.data))) {
				t.Errorf("mounted %v, %d bytes reached the registry", push.Mounted, sent)
			}
		})
	}
}

// A mount across repositories asks the token service for both scopes.
func TestMountScope(t *testing.T) {
	s := rt.Serve(t, rt.Config{Blank: true, Ping: rt.Bearer, Default: rt.Bearer, Users: map[string]string{"alice": "pw"}})
	c := registry.New(s.Registry, registry.WithCredentials(credential.Static{s.Registry.Host: {Username: "alice", Password: "pw"}}))
	img := newTestImage(t, 512, 1)
	pushImage(t, c, repoRef(s.Registry, "team/one"), img, "v1")
	layer := img.blobs[1]
	if _, err := c.PushBlob(context.Background(), repoRef(s.Registry, "team/two"), layer.digest, int64(len(layer.data)),
		layer.open, registry.PushOptions{MountFrom: "team/one"}); err != nil {
		t.Fatal(err)
	}
	if n := s.Tokens.Exchanges()["repository:team/two:pull,push repository:team/one:pull"]; n != 1 {
		t.Errorf("token exchanges %v", s.Tokens.Exchanges())
	}
}

// What a hostile target says is checked: a 201 without the blob, a wrong
// Docker-Content-Digest, a stalled upload, a source whose bytes are not
// what their digest says.
func TestHostileTarget(t *testing.T) {
	img := newTestImage(t, 4096, 1)
	layer := img.blobs[1]
	for name, tc := range map[string]struct {
		writes   rt.Writes
		blob     testBlob
		manifest bool
		want     error
	}{
		"201 and no blob":       {writes: rt.Writes{SwallowBlobs: true}, blob: layer, want: registry.ErrNotStored},
		"blob digest lies":      {writes: rt.Writes{WrongDigest: true}, blob: layer, want: registry.ErrDigestMismatch},
		"manifest digest lies":  {writes: rt.Writes{WrongDigest: true}, manifest: true, want: registry.ErrDigestMismatch},
		"stalls":                {writes: rt.Writes{StallUploads: true}, blob: layer, want: registry.ErrStalled},
		"500":                   {writes: rt.Writes{FailBlobsAfter: -1}, blob: layer, want: registry.ErrServer},
		"source bytes are lies": {blob: testBlob{layer.digest, bytes.Repeat([]byte{'x'}, len(layer.data))}, want: registry.ErrDigestMismatch},
		"source runs long":      {blob: testBlob{layer.digest, append(bytes.Clone(layer.data), 'x')}, want: registry.ErrDigestMismatch},
		"source runs short":     {blob: testBlob{layer.digest, layer.data[:len(layer.data)-1]}, want: registry.ErrDigestMismatch},
	} {
		t.Run(name, func(t *testing.T) {
			if tc.writes.FailBlobsAfter < 0 {
				tc.writes = rt.Writes{FailBlobsAfter: 1} // the second blob fails
			}
			s := rt.Serve(t, rt.Config{Blank: true, Writes: tc.writes})
			c := registry.New(s.Registry, registry.WithStallTimeout(200*time.Millisecond), registry.WithRetry(1, 0))
			repo := repoRef(s.Registry, "team/app")
			ctx := context.Background()
			if tc.writes.FailBlobsAfter > 0 {
				first := img.blobs[0]
				if _, err := c.PushBlob(ctx, repo, first.digest, int64(len(first.data)), first.open, registry.PushOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			var err error
			if tc.manifest {
				ref := repo
				ref.Digest = img.digest
				_, err = c.PutManifest(ctx, ref, img.manifest, img.mediaType)
			} else {
				_, err = c.PushBlob(ctx, repo, tc.blob.digest, int64(len(layer.data)), tc.blob.open, registry.PushOptions{})
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("%v, want %v", err, tc.want)
			}
			if name == "source bytes are lies" || name == "source runs short" {
				if _, ok, _ := c.HeadBlob(ctx, repo, layer.digest); ok {
					t.Error("the registry stored a blob that does not hash to its digest")
				}
			}
		})
	}
}

// Deletes: distribution without delete enabled refuses every DELETE with
// 405 UNSUPPORTED; with it, a DELETE by tag is 400 DIGEST_INVALID and a
// DELETE by digest works.
func TestDeleteOnDistribution(t *testing.T) {
	ctx := context.Background()
	off := rt.StartDistributionWith(t, rt.Distribution{NoDelete: true})
	c := registry.New(off)
	img := newTestImage(t, 512, 1)
	pushImage(t, c, repoRef(off, "team/app"), img, "v1")
	ref := repoRef(off, "team/app")
	ref.Digest = img.digest
	err := c.DeleteManifest(ctx, ref)
	var se *registry.StatusError
	if !errors.Is(err, registry.ErrNotAllowed) || !errors.As(err, &se) || se.Code != "UNSUPPORTED" {
		t.Fatalf("delete with delete disabled: %v", err)
	}

	on := rt.StartDistribution(t, "")
	c = registry.New(on)
	pushImage(t, c, repoRef(on, "team/app"), img, "v1")
	tag := repoRef(on, "team/app")
	tag.Tag = "v1"
	if err := c.DeleteManifest(ctx, tag); !errors.As(err, &se) || se.Status != http.StatusBadRequest {
		t.Fatalf("delete by tag: %v", err)
	}
	ref = repoRef(on, "team/app")
	ref.Digest = img.digest
	if err := c.DeleteManifest(ctx, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Head(ctx, tag); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("the tag after its digest's delete: %v", err)
	}
}

// A login that may read but not push is told so; a registry that refuses
// a manifest's type says so.
func TestWriteRefusals(t *testing.T) {
	ctx := context.Background()
	img := newTestImage(t, 512, 1)
	s := rt.Serve(t, rt.Config{Blank: true, Ping: rt.Bearer, Default: rt.Bearer,
		Users: map[string]string{"reader": "pw"}, PullOnly: map[string]bool{"reader": true}})
	c := registry.New(s.Registry, registry.WithCredentials(credential.Static{s.Registry.Host: {Username: "reader", Password: "pw"}}))
	ref := repoRef(s.Registry, "team/app")
	ref.Tag = "v1"
	if _, err := c.PutManifest(ctx, ref, img.manifest, img.mediaType); !errors.Is(err, registry.ErrDenied) {
		t.Errorf("push with a pull-only login: %v", err)
	}

	zot := rt.Serve(t, rt.Config{Blank: true, Writes: rt.Writes{RefuseManifestTypes: []string{img.mediaType}}})
	c = registry.New(zot.Registry)
	ref.Registry = zot.Registry
	_, err := c.PutManifest(ctx, ref, img.manifest, img.mediaType)
	if !errors.Is(err, registry.ErrManifestRefused) || !strings.Contains(err.Error(), img.mediaType) {
		t.Errorf("refused type: %v", err)
	}
}

// A manifest push by digest is retried after a 503; one by tag is not,
// nor the POST that starts an upload.
func TestWriteRetries(t *testing.T) {
	ctx := context.Background()
	img := newTestImage(t, 512, 1)
	s := rt.Serve(t, rt.Config{Blank: true, FailFirst: 1, FailStatus: http.StatusServiceUnavailable})
	c := registry.New(s.Registry, registry.WithRetry(3, time.Millisecond))
	repo := repoRef(s.Registry, "team/app")
	first := img.blobs[0]
	if _, err := c.PushBlob(ctx, repo, first.digest, int64(len(first.data)), first.open, registry.PushOptions{}); err == nil ||
		s.RequestsOf("POST blobs") != 1 {
		t.Fatalf("a POST that starts an upload was retried: %v, %d POSTs", err, s.RequestsOf("POST blobs"))
	}
	byDigest := repo
	byDigest.Digest = img.digest
	byTag := repo
	byTag.Tag = "v1"
	if _, err := c.PutManifest(ctx, byTag, img.manifest, img.mediaType); !errors.Is(err, registry.ErrServer) {
		t.Errorf("push by tag: %v, want the 503", err)
	}
	if s.RequestsOf("PUT manifests") != 1 {
		t.Errorf("%d PUTs by tag", s.RequestsOf("PUT manifests"))
	}
	// (go-containerregistry's registry takes an image's manifest before
	// its blobs.)
	if _, err := c.PutManifest(ctx, byDigest, img.manifest, img.mediaType); err != nil {
		t.Errorf("push by digest: %v", err)
	}
}

// slowReader gives its bytes a KiB at a time, every pause.
type slowReader struct {
	data  []byte
	pause time.Duration
}

func (r *slowReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	time.Sleep(r.pause)
	n := copy(p[:min(len(p), 1024)], r.data)
	r.data = r.data[n:]
	return n, nil
}

func (r *slowReader) Close() error { return nil }

// An upload that takes several stall windows but keeps moving is not cut
// off: the wait for the answer starts again with each part sent.
func TestSlowUploadGoesThrough(t *testing.T) {
	s := rt.Serve(t, rt.Config{Blank: true})
	window := 100 * time.Millisecond
	c := registry.New(s.Registry, registry.WithStallTimeout(window))
	img := newTestImage(t, 16<<10, 1)
	layer := img.blobs[1]
	open := func() (io.ReadCloser, error) { return &slowReader{data: layer.data, pause: window / 4}, nil }
	// The body takes more than the two windows an answer may take.
	if n := len(layer.data) / 1024; time.Duration(n)*window/4 < 3*window {
		t.Fatalf("the blob is too small to outlast the window: %d KiB", n)
	}
	if _, err := c.PushBlob(context.Background(), repoRef(s.Registry, "team/app"), layer.digest, int64(len(layer.data)), open, registry.PushOptions{}); err != nil {
		t.Fatal(err)
	}
}
