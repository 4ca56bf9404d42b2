package registry_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// pushContent writes images, an index and tags with go-containerregistry.
func pushContent(t *testing.T, reg registry.Registry, auth authn.Authenticator) {
	t.Helper()
	for _, repo := range []string{"team-a/payments-api", "library/alpine", "tools/crane"} {
		for i, tag := range []string{"v1.0.0", "v1.1.0", "latest"} {
			ref, err := name.NewTag(reg.Host+"/"+repo+":"+tag, name.Insecure)
			if err != nil {
				t.Fatal(err)
			}
			img, _ := random.Image(256, int64(i+1))
			if err := remote.Write(ref, img, remote.WithAuth(auth)); err != nil {
				t.Fatalf("push %s: %v", ref, err)
			}
		}
	}
	ref, _ := name.NewTag(reg.Host+"/library/alpine:multi", name.Insecure)
	idx, _ := random.Index(128, 1, 3)
	if err := remote.WriteIndex(ref, idx, remote.WithAuth(auth)); err != nil {
		t.Fatalf("push index: %v", err)
	}
	// Referrers of library/alpine:v1.0.0 the pre-OCI-1.1 way: an index
	// tagged sha256-<hex of the subject>.
	subject, _ := name.NewTag(reg.Host+"/library/alpine:v1.0.0", name.Insecure)
	desc, err := remote.Head(subject, remote.WithAuth(auth))
	if err != nil {
		t.Fatal(err)
	}
	fallback, _ := name.NewTag(reg.Host+"/library/alpine:sha256-"+desc.Digest.Hex, name.Insecure)
	referrers, _ := random.Index(64, 1, 2)
	if err := remote.WriteIndex(fallback, referrers, remote.WithAuth(auth)); err != nil {
		t.Fatalf("push referrers tag: %v", err)
	}
}

// browse lists, reads tags, a manifest, a config and an index.
func browse(t *testing.T, c *registry.Client) {
	t.Helper()
	ctx := context.Background()
	repos, err := catalog(c)
	if err != nil || len(repos) != 3 {
		t.Fatalf("catalog: %v, %v", repos, err)
	}
	ref := registry.Reference{Registry: c.Registry(), Repository: "library/alpine"}
	got, err := tags(t, c, ref)
	slices.Sort(got)
	if err != nil || len(got) != 5 || !strings.HasPrefix(got[2], "sha256-") ||
		strings.Join(slices.Delete(slices.Clone(got), 2, 3), ",") != "latest,multi,v1.0.0,v1.1.0" {
		t.Fatalf("tags: %v, %v", got, err)
	}
	ref.Tag = "v1.1.0"
	m, err := c.Manifest(ctx, ref)
	if err != nil || m.Image == nil || len(m.Image.Layers) != 2 {
		t.Fatalf("manifest: %v", err)
	}
	if _, _, err := c.Config(ctx, ref, m.Image.Config); err != nil {
		t.Fatalf("config: %v", err)
	}
	ref.Tag = "multi"
	if m, err = c.Manifest(ctx, ref); err != nil || m.Index == nil || len(m.Index.Manifests) != 3 {
		t.Fatalf("index: %v", err)
	}
	// distribution 2.8 has no referrers API: the sha256-<hex> tag stands in.
	ref.Tag = "v1.0.0"
	subject, err := c.Manifest(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	refs, err := c.Referrers(ctx, ref, subject.Digest)
	if err != nil || len(refs) != 2 {
		t.Fatalf("referrers through the tag fallback: %v, %v", refs, err)
	}
	if refs, err := c.Referrers(ctx, ref, m.Digest); err != nil || len(refs) != 0 {
		t.Fatalf("no referrers: %v, %v", refs, err)
	}
}

func TestDistributionWithHtpasswd(t *testing.T) {
	reg := rt.StartDistribution(t, rt.Htpasswd(t, "alice", "pw"))
	pushContent(t, reg, &authn.Basic{Username: "alice", Password: "pw"})

	c := registry.New(reg, registry.WithCredentials(credential.Static{reg.Host: {Username: "alice", Password: "pw"}}), registry.WithPageSize(5000))
	browse(t, c)
	if _, err := catalog(registry.New(reg, registry.WithCredentials(credential.Static{reg.Host: {Username: "alice", Password: "nope"}}))); !errors.Is(err, registry.ErrLoginRejected) {
		t.Errorf("wrong password: %v", err)
	}
	if _, err := catalog(registry.New(reg)); !errors.Is(err, registry.ErrAuthRequired) {
		t.Errorf("anonymous: %v", err)
	}
}

func TestDistributionWithTokenAuth(t *testing.T) {
	signer, err := rt.NewSigner("card-catalog-test-issuer")
	if err != nil {
		t.Fatal(err)
	}
	tokens := &rt.TokenService{Service: "test-registry", Users: map[string]string{"alice": "pw"}, Life: 5 * time.Minute, ExpiresIn: 300, Signer: signer}
	ts := httptest.NewServer(tokens)
	defer ts.Close()
	realm := "http://localhost:" + ts.URL[strings.LastIndex(ts.URL, ":")+1:] + "/token"
	dir := t.TempDir()
	certPath := filepath.Join(dir, "cert.pem")
	os.WriteFile(certPath, signer.CertPEM, 0o600)
	reg := rt.StartDistribution(t, fmt.Sprintf("auth: {token: {realm: %q, service: test-registry, issuer: card-catalog-test-issuer, rootcertbundle: %s}}", realm, certPath))
	pushContent(t, reg, &authn.Basic{Username: "alice", Password: "pw"})

	before := tokens.TotalExchanges()
	c := registry.New(reg, registry.WithCredentials(credential.Static{reg.Host: {Username: "alice", Password: "pw"}}))
	browse(t, c)
	browse(t, c) // cached tokens: no new exchanges
	// One token for the catalog, one for library/alpine.
	if n := tokens.TotalExchanges() - before; n != 2 {
		t.Errorf("%d token exchanges, want 2: %v", n, tokens.Exchanges())
	}
	bad := registry.New(reg, registry.WithCredentials(credential.Static{reg.Host: {Username: "alice", Password: "nope"}}))
	if _, err := catalog(bad); !errors.Is(err, registry.ErrLoginRejected) {
		t.Errorf("wrong password: %v", err)
	}
}
