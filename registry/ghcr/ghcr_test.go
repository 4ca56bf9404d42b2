package ghcr_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/card-catalog/card-catalog/registry/credential"
	"github.com/card-catalog/card-catalog/registry/ghcr"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// A version that carries a tag not named is not deleted; named whole, it
// is, with every tag on it.
func TestDeleteVersion(t *testing.T) {
	cfg := rt.GHCRConfig(map[string]string{"octocat": "pat"}, 5*time.Minute)
	cfg.Blank = true
	cfg.Packages = &rt.Packages{Tokens: map[string]bool{"pat": true}, Delete: map[string]bool{"pat": true}, Orgs: map[string]bool{"acme": true}}
	s := rt.Serve(t, cfg)
	img, _ := random.Image(100, 1)
	auth := remote.WithAuth(&authn.Basic{Username: "octocat", Password: "pat"})
	for _, tag := range []string{"v1", "v2"} {
		ref, _ := name.NewTag(s.Registry.Host+"/acme/tools/app:"+tag, name.Insecure)
		if err := remote.Write(ref, img, auth); err != nil {
			t.Fatal(err)
		}
	}
	d, _ := img.Digest()
	c := ghcr.New(s.Registry, credential.Static{s.Registry.Host: {Username: "octocat", Password: "pat"}}, s.Registry.Host, nil)
	v, path, err := c.Find(context.Background(), "acme/tools/app", d.String())
	if err != nil || !strings.HasPrefix(path, "/orgs/acme/") || len(v.Metadata.Container.Tags) != 2 {
		t.Fatalf("%+v at %s: %v", v, path, err)
	}
	if err := c.DeleteVersion(context.Background(), "acme/tools/app", d.String(), []string{"v1"}); err == nil || !strings.Contains(err.Error(), "carries the tag v2 too") {
		t.Fatalf("a version with another tag: %v", err)
	}
	if len(s.TagsOf("acme/tools/app")) != 2 {
		t.Fatal("a tag went")
	}
	if err := c.DeleteVersion(context.Background(), "acme/tools/app", d.String(), nil); err != nil {
		t.Fatal(err)
	}
	if tags := s.TagsOf("acme/tools/app"); len(tags) != 0 {
		t.Errorf("tags after the version's delete: %v", tags)
	}
}
