package manage_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/card-catalog/card-catalog/app/cache"
	"github.com/card-catalog/card-catalog/app/manage"
	"github.com/card-catalog/card-catalog/registry"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// three is a repository with one image under three tags (v1, v2, v3), a
// signature referring to it, another image under "other", and cosign's
// .sig tag of the image.
type three struct {
	repo     registry.Reference
	digest   string
	referrer string
	other    string
	layers   []string
}

func pushThree(t *testing.T, c *registry.Client, reg registry.Registry) three {
	t.Helper()
	return pushThreeTo(t, c, reg, "team/app", authn.Anonymous)
}

func pushThreeTo(t *testing.T, c *registry.Client, reg registry.Registry, path string, auth authn.Authenticator) three {
	t.Helper()
	ctx := context.Background()
	repo := registry.Reference{Registry: reg, Repository: path}
	base := reg.Host + "/" + path
	img, err := random.Image(2000, 2)
	if err != nil {
		t.Fatal(err)
	}
	img = mutate.MediaType(img, types.OCIManifestSchema1)
	tag, _ := name.NewTag(base+":v1", name.Insecure)
	if err := remote.Write(tag, img, remote.WithAuth(auth)); err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	raw, _ := img.RawManifest()
	for _, tag := range []string{"v2", "v3"} {
		r := repo
		r.Tag = tag
		if _, err := c.PutManifest(ctx, r, raw, string(types.OCIManifestSchema1)); err != nil {
			t.Fatal(err)
		}
	}
	size, _ := img.Size()
	sig, _ := mutate.AppendLayers(empty.Image, static.NewLayer([]byte("signed"), "application/vnd.dev.cosign.simplesigning.v1+json"))
	sig = mutate.Subject(mutate.MediaType(sig, types.OCIManifestSchema1), v1.Descriptor{MediaType: types.OCIManifestSchema1, Digest: d, Size: size}).(v1.Image)
	sd, _ := sig.Digest()
	sref, _ := name.NewDigest(base+"@"+sd.String(), name.Insecure)
	if err := remote.Write(sref, sig, remote.WithAuth(auth)); err != nil {
		t.Fatal(err)
	}
	cosign, _ := name.NewTag(base+":sha256-"+d.Hex+".sig", name.Insecure)
	if err := remote.Write(cosign, sig, remote.WithAuth(auth)); err != nil {
		t.Fatal(err)
	}
	other, _ := random.Image(100, 1)
	otag, _ := name.NewTag(base+":other", name.Insecure)
	if err := remote.Write(otag, other, remote.WithAuth(auth)); err != nil {
		t.Fatal(err)
	}
	od, _ := other.Digest()
	f := three{repo: repo, digest: d.String(), referrer: sd.String(), other: od.String()}
	ls, _ := img.Layers()
	for _, l := range ls {
		ld, _ := l.Digest()
		f.layers = append(f.layers, ld.String())
	}
	return f
}

func at(t *testing.T, c *registry.Client, repo registry.Reference, tag string) string {
	t.Helper()
	r := repo
	r.Tag = tag
	d, err := c.Head(context.Background(), r)
	if errors.Is(err, registry.ErrNotFound) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return d.Digest.String()
}

// checkTwoStay checks that v1 and v3 still point at the digest and its
// referrer is still found, and that v2 is gone.
func checkTwoStay(t *testing.T, c *registry.Client, f three) {
	t.Helper()
	if got := at(t, c, f.repo, "v2"); got != "" {
		t.Errorf("v2 is still at %s", got)
	}
	for _, tag := range []string{"v1", "v3"} {
		if got := at(t, c, f.repo, tag); got != f.digest {
			t.Errorf("%s is at %q, want %s", tag, got, f.digest)
		}
	}
	refs, err := c.Referrers(context.Background(), f.repo, f.digest)
	if err != nil || len(refs) != 1 || refs[0].Digest.String() != f.referrer {
		t.Errorf("referrers after the delete: %v, %v", refs, err)
	}
	if got := at(t, c, f.repo, "other"); got != f.other {
		t.Errorf("other is at %q, want %s", got, f.other)
	}
}

// Deleting one of three tags on a digest leaves the other two at it, with
// its referrers: by the OCI tag DELETE (the in-process registry), behind
// a placeholder (distribution, which deletes by digest only), and where
// the registry takes every tag along (they are put back).
func TestDeleteOneOfThreeTags(t *testing.T) {
	for name, start := range map[string]func(t *testing.T) registry.Registry{
		"in-process": func(t *testing.T) registry.Registry { return rt.Serve(t, rt.Config{Blank: true}).Registry },
		"distribution": func(t *testing.T) registry.Registry {
			return rt.StartDistribution(t, "")
		},
		"takes every tag along": func(t *testing.T) registry.Registry {
			return rt.Serve(t, rt.Config{Blank: true, Writes: rt.Writes{DeleteTakesAll: true}}).Registry
		},
	} {
		t.Run(name, func(t *testing.T) {
			reg := start(t)
			c := registry.New(reg)
			f := pushThree(t, c, reg)
			var progress []manage.Progress
			plan, err := manage.PlanDelete(context.Background(), manage.Registry{Client: c}, f.repo, []string{"v2"},
				func(p manage.Progress) { progress = append(progress, p) })
			if err != nil {
				t.Fatal(err)
			}
			words := strings.Join(plan.Words(), "\n")
			t.Log(words)
			if len(plan.Targets) != 1 || plan.Targets[0].Digest != f.digest || strings.Join(plan.Targets[0].Staying, ",") != "v1,v3" ||
				len(plan.Targets[0].Referrers) != 1 || len(plan.Targets[0].CosignTags) != 1 || len(progress) == 0 {
				t.Fatalf("plan %+v, %d progress reports", plan.Targets, len(progress))
			}
			if !strings.Contains(words, "These tags stay on "+f.digest+": v1, v3") {
				t.Errorf("the preview does not name the tags that stay:\n%s", words)
			}
			res := manage.Delete(context.Background(), plan, nil)
			if err := res.Err(); err != nil {
				t.Fatal(err)
			}
			t.Log(strings.Join(res.Words(), "\n"))
			checkTwoStay(t, c, f)
			if name == "takes every tag along" && len(res.Done[0].Repaired) != 2 {
				t.Errorf("repaired %v", res.Done[0].Repaired)
			}
		})
	}
}

// Several tags go with one plan.
func TestDeleteSeveralTags(t *testing.T) {
	reg := rt.StartDistribution(t, "")
	c := registry.New(reg)
	f := pushThree(t, c, reg)
	plan, err := manage.PlanDelete(context.Background(), manage.Registry{Client: c}, f.repo, []string{"v1", "v2", "other"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Targets) != 2 || strings.Join(plan.Targets[0].Staying, ",") != "v3" || len(plan.Targets[1].Staying) != 0 {
		t.Fatalf("%+v", plan.Targets)
	}
	if err := manage.Delete(context.Background(), plan, nil).Err(); err != nil {
		t.Fatal(err)
	}
	for tag, want := range map[string]string{"v1": "", "v2": "", "other": "", "v3": f.digest} {
		if got := at(t, c, f.repo, tag); got != want {
			t.Errorf("%s at %q, want %q", tag, got, want)
		}
	}
}

// A distribution without delete enabled refuses, and says what to change;
// nothing moves.
func TestDeleteRefused(t *testing.T) {
	reg := rt.StartDistributionWith(t, rt.Distribution{NoDelete: true})
	c := registry.New(reg)
	f := pushThree(t, c, reg)
	plan, err := manage.PlanDelete(context.Background(), manage.Registry{Client: c}, f.repo, []string{"v2"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = manage.Delete(context.Background(), plan, nil).Err()
	if !errors.Is(err, registry.ErrNotAllowed) || !strings.Contains(err.Error(), "delete: enabled: true") {
		t.Fatalf("%v", err)
	}
	for _, tag := range []string{"v1", "v2", "v3"} {
		if at(t, c, f.repo, tag) != f.digest {
			t.Errorf("%s moved", tag)
		}
	}
}

// A tag that moved since the preview is not deleted.
func TestDeleteMovedTag(t *testing.T) {
	s := rt.Serve(t, rt.Config{Blank: true})
	c := registry.New(s.Registry)
	f := pushThree(t, c, s.Registry)
	plan, err := manage.PlanDelete(context.Background(), manage.Registry{Client: c}, f.repo, []string{"v2"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := c.Manifest(context.Background(), registry.Reference{Registry: s.Registry, Repository: "team/app", Tag: "other"})
	v2 := f.repo
	v2.Tag = "v2"
	if _, err := c.PutManifest(context.Background(), v2, other.Raw, other.MediaType); err != nil {
		t.Fatal(err)
	}
	if err := manage.Delete(context.Background(), plan, nil).Err(); err == nil || !strings.Contains(err.Error(), "moved since the preview") {
		t.Fatalf("%v", err)
	}
	if at(t, c, f.repo, "v2") != f.other {
		t.Error("the moved tag was deleted")
	}
}

// A deleted tag's manifest is kept; Undo puts it back while the registry
// holds its blobs, and says so plainly when it does not.
func TestUndo(t *testing.T) {
	m := rt.StartMeter(t, rt.StartDistribution(t, ""))
	c := registry.New(m.Registry)
	f := pushThree(t, c, m.Registry)
	store, err := cache.Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	keep := store.Scope(m.Registry.Host)
	plan, err := manage.PlanDelete(context.Background(), manage.Registry{Client: c}, f.repo, []string{"v2", "v1", "v3"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res := manage.Delete(context.Background(), plan, &keep)
	if err := res.Err(); err != nil || !res.Done[0].Kept {
		t.Fatalf("%v; %+v", err, res.Done)
	}
	d, err := manage.FindDeleted(keep, f.repo, "v2")
	if err != nil || d.Digest != f.digest {
		t.Fatalf("%+v, %v", d, err)
	}
	if err := manage.Undo(context.Background(), c, d); err != nil {
		t.Fatal(err)
	}
	if at(t, c, f.repo, "v2") != f.digest {
		t.Fatal("v2 is not back")
	}
	// Its layer gone (as after garbage collection), v1 cannot come back.
	if err := deleteBlob(m.Registry, "team/app", f.layers[0]); err != nil {
		t.Fatal(err)
	}
	d, _ = manage.FindDeleted(keep, f.repo, "v1")
	err = manage.Undo(context.Background(), c, d)
	if err == nil || !strings.Contains(err.Error(), "no longer has the blob "+f.layers[0]) {
		t.Fatalf("%v", err)
	}
	if at(t, c, f.repo, "v1") != "" {
		t.Error("v1 came back without its layer")
	}
}

// A retag moves no blob byte, and the new tag reads back at the digest.
func TestRetag(t *testing.T) {
	m := rt.StartMeter(t, rt.StartDistribution(t, ""))
	c := registry.New(m.Registry)
	f := pushThree(t, c, m.Registry)
	bytes, posts := m.BlobBytesIn(), m.RequestsOf("POST blobs")
	from := f.repo
	from.Tag = "v1"
	r, err := manage.PlanRetag(context.Background(), c, from, "stable")
	if err != nil || r.Now != "" || r.Digest != f.digest {
		t.Fatalf("%+v, %v", r, err)
	}
	t.Log(r.Words())
	if err := r.Run(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if at(t, c, f.repo, "stable") != f.digest {
		t.Error("stable is not at the digest")
	}
	if m.BlobBytesIn() != bytes || m.RequestsOf("POST blobs") != posts {
		t.Errorf("a retag sent %d blob bytes in %d uploads", m.BlobBytesIn()-bytes, m.RequestsOf("POST blobs")-posts)
	}
}

// Deleting the whole manifest, asked for by name, takes every tag on it.
func TestDeleteWholeManifest(t *testing.T) {
	for name, start := range map[string]func(t *testing.T) registry.Registry{
		"in-process":   func(t *testing.T) registry.Registry { return rt.Serve(t, rt.Config{Blank: true}).Registry },
		"distribution": func(t *testing.T) registry.Registry { return rt.StartDistribution(t, "") },
	} {
		t.Run(name, func(t *testing.T) {
			reg := start(t)
			c := registry.New(reg)
			f := pushThree(t, c, reg)
			plan, err := manage.PlanDeleteManifest(context.Background(), manage.Registry{Client: c}, f.repo, "v1", nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Log(strings.Join(plan.Words(), "\n"))
			if err := manage.Delete(context.Background(), plan, nil).Err(); err != nil {
				t.Fatal(err)
			}
			for _, tag := range []string{"v1", "v2", "v3"} {
				if got := at(t, c, f.repo, tag); got != "" {
					t.Errorf("%s still at %s", tag, got)
				}
			}
			if at(t, c, f.repo, "other") != f.other {
				t.Error("other went too")
			}
		})
	}
}

// deleteBlob deletes a blob from a distribution registry, as its garbage
// collection would.
func deleteBlob(reg registry.Registry, repo, digest string) error {
	req, _ := http.NewRequest(http.MethodDelete, "http://"+reg.Host+"/v2/"+repo+"/blobs/"+digest, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("DELETE blob: %s", resp.Status)
	}
	return nil
}

// What a registry sends is escaped in the preview: a referrer whose type
// carries a terminal control reaches no terminal as it is.
func TestPreviewEscapes(t *testing.T) {
	s := rt.Serve(t, rt.Config{Blank: true})
	c := registry.New(s.Registry)
	f := pushThree(t, c, s.Registry)
	evil, _ := mutate.AppendLayers(empty.Image, static.NewLayer([]byte("x"), "text/plain"))
	evil = mutate.ConfigMediaType(mutate.MediaType(evil, types.OCIManifestSchema1), "application/x\x1b]0;pwned\x07")
	d, _ := v1.NewHash(f.digest)
	evil = mutate.Subject(evil, v1.Descriptor{MediaType: types.OCIManifestSchema1, Digest: d, Size: 1}).(v1.Image)
	ed, _ := evil.Digest()
	r, _ := name.NewDigest(s.Registry.Host+"/team/app@"+ed.String(), name.Insecure)
	if err := remote.Write(r, evil); err != nil {
		t.Fatal(err)
	}
	plan, err := manage.PlanDelete(context.Background(), manage.Registry{Client: c}, f.repo, []string{"v2"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	words := strings.Join(plan.Words(), "\n")
	if strings.Contains(words, "\x1b") || !strings.Contains(words, `application/x\x1b]0;pwned\x07`) {
		t.Errorf("the preview:\n%q", words)
	}
}
