package transfer_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/card-catalog/card-catalog/app/manage/transfer"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// fixture is what a test pushed to a source registry: an index of three
// images, a signature referring to the index (OCI 1.1 subject) and a
// cosign .sig tag beside it.
type fixture struct {
	digest    string
	children  []string
	referrer  string
	cosignTag string
	// blobBytes weighs every distinct blob of the index's images.
	blobBytes int64
	blobs     int
}

// pushFixture pushes a fixture to repo:tag with go-containerregistry.
func pushFixture(t testing.TB, reg registry.Registry, repo, tag string, auth authn.Authenticator) fixture {
	t.Helper()
	if auth == nil {
		auth = authn.Anonymous
	}
	idx, err := random.Index(3000, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	base := reg.Host + "/" + repo
	ref, _ := name.NewTag(base+":"+tag, name.Insecure)
	if err := remote.WriteIndex(ref, idx, remote.WithAuth(auth)); err != nil {
		t.Fatal(err)
	}
	d, _ := idx.Digest()
	f := fixture{digest: d.String()}
	im, _ := idx.IndexManifest()
	for _, child := range im.Manifests {
		f.children = append(f.children, child.Digest.String())
		img, _ := idx.Image(child.Digest)
		m, _ := img.Manifest()
		f.blobBytes += m.Config.Size
		f.blobs++
		for _, l := range m.Layers {
			f.blobBytes += l.Size
			f.blobs++
		}
	}
	mt, _ := idx.MediaType()
	size, _ := idx.Size()
	sig := signature(t, "a signature of the index")
	sig = mutate.Subject(sig, v1.Descriptor{MediaType: mt, Digest: d, Size: size}).(v1.Image)
	sd, _ := sig.Digest()
	f.referrer = sd.String()
	sref, _ := name.NewDigest(base+"@"+sd.String(), name.Insecure)
	if err := remote.Write(sref, sig, remote.WithAuth(auth)); err != nil {
		t.Fatal(err)
	}
	f.cosignTag = "sha256-" + d.Hex + ".sig"
	cref, _ := name.NewTag(base+":"+f.cosignTag, name.Insecure)
	if err := remote.Write(cref, signature(t, "cosign's signature"), remote.WithAuth(auth)); err != nil {
		t.Fatal(err)
	}
	return f
}

// signature is a small OCI artifact with one layer of text.
func signature(t testing.TB, text string) v1.Image {
	t.Helper()
	img, err := mutate.AppendLayers(empty.Image, static.NewLayer([]byte(text), "application/vnd.dev.cosign.simplesigning.v1+json"))
	if err != nil {
		t.Fatal(err)
	}
	return mutate.MediaType(img, types.OCIManifestSchema1)
}

func basic(user, password string) authn.Authenticator {
	return &authn.Basic{Username: user, Password: password}
}

func login(reg registry.Registry, user, password string) registry.Option {
	return registry.WithCredentials(credential.Static{reg.Host: {Username: user, Password: password}})
}

func ref(reg registry.Registry, repo, tag string) registry.Reference {
	return registry.Reference{Registry: reg, Repository: repo, Tag: tag}
}

func copyOnce(t testing.TB, src transfer.Source, dst transfer.Target, o transfer.Options) (*transfer.Plan, transfer.Progress, error) {
	t.Helper()
	plan, err := transfer.NewPlan(context.Background(), src, dst, o)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Run(context.Background(), nil)
	return plan, p, err
}

// resolves checks that r points at digest on c.
func resolves(t testing.TB, c *registry.Client, r registry.Reference, digest string) {
	t.Helper()
	d, err := c.Head(context.Background(), r)
	if err != nil || d.Digest.String() != digest {
		t.Errorf("%s: %v, %v; want %s", r, d.Digest, err, digest)
	}
}

// A whole index with its referrers goes from one registry to another,
// each signed in with its own login: every byte of every blob reaches the
// target once, each login goes only to its own registry, and the source
// is only read.
func TestCopyBetweenRegistries(t *testing.T) {
	users := func(u string) rt.Config {
		return rt.Config{Blank: true, Ping: rt.Basic, Default: rt.Basic, Users: map[string]string{u: u + "-secret"}}
	}
	src, dst := rt.Serve(t, users("alice")), rt.Serve(t, users("bob"))
	f := pushFixture(t, src.Registry, "team/app", "v1", basic("alice", "alice-secret"))
	srcWritesBefore := src.WriteRequests()
	srcClient := registry.New(src.Registry, login(src.Registry, "alice", "alice-secret"))
	dstClient := registry.New(dst.Registry, login(dst.Registry, "bob", "bob-secret"))

	var reports []transfer.Progress
	plan, err := transfer.NewPlan(context.Background(), transfer.FromRegistry(srcClient, ref(src.Registry, "team/app", "v1")),
		transfer.ToRegistry(dstClient, ref(dst.Registry, "mirror/app", "v1"), registry.PushOptions{}), transfer.Options{Referrers: true})
	if err != nil {
		t.Fatal(err)
	}
	if n, bytes := plan.Count(transfer.Send); n != f.blobs+4 || bytes < f.blobBytes {
		t.Errorf("the plan sends %d blobs (%d bytes); the index has %d (%d bytes) and two signatures of two blobs each", n, bytes, f.blobs, f.blobBytes)
	}
	t.Log(strings.Join(plan.Words(), "\n"))
	done, err := plan.Run(context.Background(), func(p transfer.Progress) { reports = append(reports, p) })
	if err != nil {
		t.Fatal(err)
	}
	if !done.Tagged || done.Sent != f.blobs+4 || dst.BlobBytesIn() != done.BytesSent || len(reports) == 0 {
		t.Errorf("progress %+v; the target received %d bytes; %d reports", done, dst.BlobBytesIn(), len(reports))
	}
	resolves(t, dstClient, ref(dst.Registry, "mirror/app", "v1"), f.digest)
	for _, c := range f.children {
		r := ref(dst.Registry, "mirror/app", "")
		r.Digest = c
		resolves(t, dstClient, r, c)
	}
	refs, err := dstClient.Referrers(context.Background(), ref(dst.Registry, "mirror/app", ""), f.digest)
	if err != nil || len(refs) != 1 || refs[0].Digest.String() != f.referrer {
		t.Errorf("referrers on the target: %v, %v", refs, err)
	}
	if _, err := dstClient.Head(context.Background(), ref(dst.Registry, "mirror/app", f.cosignTag)); err != nil {
		t.Errorf("cosign's tag on the target: %v", err)
	}
	if src.WriteRequests() != srcWritesBefore {
		t.Errorf("the copy wrote %d times to its source", src.WriteRequests()-srcWritesBefore)
	}
	if got := src.Logins(); got["bob"] != 0 || got["alice"] == 0 {
		t.Errorf("logins at the source: %v", got)
	}
	if got := dst.Logins(); got["alice"] != 0 || got["bob"] == 0 {
		t.Errorf("logins at the target: %v", got)
	}
}

// Between two registries only the blobs the target lacks are sent.
func TestCopySendsOnlyWhatIsMissing(t *testing.T) {
	src, dst := rt.Serve(t, rt.Config{Blank: true}), rt.Serve(t, rt.Config{Blank: true})
	f := pushFixture(t, src.Registry, "team/app", "v1", nil)
	srcClient, dstClient := registry.New(src.Registry), registry.New(dst.Registry)
	// The target has the first image already.
	first := ref(src.Registry, "team/app", "")
	first.Digest = f.children[0]
	_, had, err := copyOnce(t, transfer.FromRegistry(srcClient, first),
		transfer.ToRegistry(dstClient, ref(dst.Registry, "team/app", ""), registry.PushOptions{}), transfer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	before := dst.BlobBytesIn()
	plan, done, err := copyOnce(t, transfer.FromRegistry(srcClient, ref(src.Registry, "team/app", "v1")),
		transfer.ToRegistry(dstClient, ref(dst.Registry, "team/app", "v1"), registry.PushOptions{}), transfer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	present, _ := plan.Count(transfer.Present)
	if present != had.Sent || dst.BlobBytesIn()-before != f.blobBytes-had.BytesSent || done.BytesSent != dst.BlobBytesIn()-before {
		t.Errorf("%d blobs were there (want %d); the target received %d bytes, want %d", present, had.Sent,
			dst.BlobBytesIn()-before, f.blobBytes-had.BytesSent)
	}
	resolves(t, dstClient, ref(dst.Registry, "team/app", "v1"), f.digest)
}

// Within one registry (Debian's docker-registry) blobs are mounted from
// the source's repository: no blob byte reaches the registry. Its
// referrers have no API there; the copy keeps them findable through the
// sha256-<hex> tag.
func TestCopyWithinOneRegistryMounts(t *testing.T) {
	m := rt.StartMeter(t, rt.StartDistribution(t, ""))
	f := pushFixture(t, m.Registry, "team/app", "v1", nil)
	c := registry.New(m.Registry)
	before := m.BlobBytesIn()
	plan, done, err := copyOnce(t, transfer.FromRegistry(c, ref(m.Registry, "team/app", "v1")),
		transfer.ToRegistry(c, ref(m.Registry, "team/copy", "v1"), registry.PushOptions{}), transfer.Options{Referrers: true})
	if err != nil {
		t.Fatal(err)
	}
	if mounts, _ := plan.Count(transfer.Mount); mounts == 0 || done.Mounted != mounts || done.Sent != 0 {
		t.Errorf("planned %d mounts; done %+v", mounts, done)
	}
	if got := m.BlobBytesIn() - before; got != 0 {
		t.Errorf("a copy within one registry sent %d blob bytes", got)
	}
	resolves(t, c, ref(m.Registry, "team/copy", "v1"), f.digest)
	refs, err := c.Referrers(context.Background(), ref(m.Registry, "team/copy", ""), f.digest)
	if err != nil || len(refs) != 1 || refs[0].Digest.String() != f.referrer {
		t.Errorf("referrers on the target: %v, %v", refs, err)
	}
}

// A target that fails halfway loses nothing: the error says what was
// done, the tag is not moved, the source is not written, and the copy run
// again sends only what had not arrived.
func TestCopyResumes(t *testing.T) {
	src, dst := rt.Serve(t, rt.Config{Blank: true}), rt.Serve(t, rt.Config{Blank: true, Writes: rt.Writes{FailBlobsAfter: 3}})
	f := pushFixture(t, src.Registry, "team/app", "v1", nil)
	writes := src.WriteRequests()
	srcClient, dstClient := registry.New(src.Registry), registry.New(dst.Registry, registry.WithRetry(1, 0))
	s, d := transfer.FromRegistry(srcClient, ref(src.Registry, "team/app", "v1")),
		transfer.ToRegistry(dstClient, ref(dst.Registry, "team/app", "v1"), registry.PushOptions{})
	plan, err := transfer.NewPlan(context.Background(), s, d, transfer.Options{Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	done, err := plan.Run(context.Background(), nil)
	var cerr *transfer.Error
	if !errors.As(err, &cerr) || !errors.Is(err, registry.ErrServer) || done.BlobsDone != 3 || done.Tagged ||
		!strings.Contains(err.Error(), "pushed 3 of") || !strings.Contains(err.Error(), "the tag v1 was not moved") {
		t.Fatalf("%v; %+v", err, done)
	}
	if _, err := dstClient.Head(context.Background(), ref(dst.Registry, "team/app", "v1")); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("the tag after a failed copy: %v", err)
	}
	arrived := dst.BlobBytesIn()
	dst.Writes = rt.Writes{}
	// The same plan run again (Retry in the window) asks before it sends.
	again, err := plan.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Present < 3 || dst.BlobBytesIn()-arrived >= f.blobBytes {
		t.Errorf("run again: %+v; %d more bytes of %d", again, dst.BlobBytesIn()-arrived, f.blobBytes)
	}
	// A new plan finds everything there.
	_, fresh, err := copyOnce(t, s, d, transfer.Options{})
	if err != nil || fresh.Sent != 0 || fresh.Present != fresh.Blobs {
		t.Errorf("a new plan after the copy: %+v, %v", fresh, err)
	}
	resolves(t, dstClient, ref(dst.Registry, "team/app", "v1"), f.digest)
	if src.WriteRequests() != writes {
		t.Error("the copy wrote to its source")
	}
}

// A hostile target (stalls, lies with a 201 and no blob, a wrong
// Docker-Content-Digest) is caught: the copy stops, the tag is not moved
// and the source is untouched.
func TestCopyToHostileTarget(t *testing.T) {
	for name, tc := range map[string]struct {
		writes rt.Writes
		want   error
	}{
		"stalls":        {rt.Writes{StallUploads: true}, registry.ErrStalled},
		"201, no blob":  {rt.Writes{SwallowBlobs: true}, registry.ErrNotStored},
		"wrong digest":  {rt.Writes{WrongDigest: true}, registry.ErrDigestMismatch},
		"500 halfway":   {rt.Writes{FailBlobsAfter: 2}, registry.ErrServer},
		"refuses index": {rt.Writes{RefuseManifestTypes: []string{string(types.OCIImageIndex)}}, registry.ErrManifestRefused},
	} {
		t.Run(name, func(t *testing.T) {
			src, dst := rt.Serve(t, rt.Config{Blank: true}), rt.Serve(t, rt.Config{Blank: true, Writes: tc.writes})
			pushFixture(t, src.Registry, "team/app", "v1", nil)
			writes := src.WriteRequests()
			dstClient := registry.New(dst.Registry, registry.WithStallTimeout(300*time.Millisecond), registry.WithRetry(1, 0))
			_, done, err := copyOnce(t, transfer.FromRegistry(registry.New(src.Registry), ref(src.Registry, "team/app", "v1")),
				transfer.ToRegistry(dstClient, ref(dst.Registry, "team/app", "v1"), registry.PushOptions{}), transfer.Options{})
			if !errors.Is(err, tc.want) || done.Tagged {
				t.Fatalf("%v, want %v; %+v", err, tc.want, done)
			}
			t.Log(err)
			if _, err := registry.New(dst.Registry).Head(context.Background(), ref(dst.Registry, "team/app", "v1")); !errors.Is(err, registry.ErrNotFound) {
				t.Errorf("the tag after a failed copy: %v", err)
			}
			if src.WriteRequests() != writes {
				t.Error("the copy wrote to its source")
			}
		})
	}
}

// A copy stops when asked, with what it did so far.
func TestCopyStops(t *testing.T) {
	src, dst := rt.Serve(t, rt.Config{Blank: true}), rt.Serve(t, rt.Config{Blank: true, Writes: rt.Writes{StallUploads: true}})
	pushFixture(t, src.Registry, "team/app", "v1", nil)
	plan, err := transfer.NewPlan(context.Background(), transfer.FromRegistry(registry.New(src.Registry), ref(src.Registry, "team/app", "v1")),
		transfer.ToRegistry(registry.New(dst.Registry), ref(dst.Registry, "team/app", "v1"), registry.PushOptions{}), transfer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	if _, err = plan.Run(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("%v", err)
	}
}

// The tag is set last: an image whose blobs fail halfway leaves the tag
// where it was (nowhere), though its manifest alone would be taken.
func TestCopyTagsLast(t *testing.T) {
	src, dst := rt.Serve(t, rt.Config{Blank: true}), rt.Serve(t, rt.Config{Blank: true, Writes: rt.Writes{FailBlobsAfter: 1}})
	img, _ := random.Image(1000, 3)
	tag, _ := name.NewTag(src.Registry.Host+"/team/app:v1", name.Insecure)
	if err := remote.Write(tag, img); err != nil {
		t.Fatal(err)
	}
	_, _, err := copyOnce(t, transfer.FromRegistry(registry.New(src.Registry), ref(src.Registry, "team/app", "v1")),
		transfer.ToRegistry(registry.New(dst.Registry, registry.WithRetry(1, 0)), ref(dst.Registry, "team/app", "v1"), registry.PushOptions{}),
		transfer.Options{Jobs: 1})
	if err == nil {
		t.Fatal("the copy went through a failing target")
	}
	if _, err := registry.New(dst.Registry).Head(context.Background(), ref(dst.Registry, "team/app", "v1")); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("the tag after a failed copy: %v", err)
	}
}

// What a copy allocates does not grow with the bytes that stream past: a
// 32 MiB layer costs about what a 2 MiB one does (both registries are
// docker-registry processes, so only the copy allocates here).
func TestCopyMemoryStaysFlat(t *testing.T) {
	src, dst := rt.StartDistribution(t, ""), rt.StartDistribution(t, "")
	alloc := func(size int64, repo string) uint64 {
		img, err := random.Image(size, 1)
		if err != nil {
			t.Fatal(err)
		}
		tag, _ := name.NewTag(src.Host+"/"+repo+":v1", name.Insecure)
		if err := remote.Write(tag, img); err != nil {
			t.Fatal(err)
		}
		plan, err := transfer.NewPlan(context.Background(), transfer.FromRegistry(registry.New(src), ref(src, repo, "v1")),
			transfer.ToRegistry(registry.New(dst), ref(dst, repo, "v1"), registry.PushOptions{}), transfer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		if _, err := plan.Run(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	small, large := alloc(2<<20, "team/small"), alloc(32<<20, "team/large")
	t.Logf("allocated %d bytes for a 2 MiB layer, %d for a 32 MiB one", small, large)
	if large > 4*small {
		t.Errorf("a 16 times larger layer allocated %.1f times as much", float64(large)/float64(small))
	}
}
