package trust_test

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	ggcr "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"

	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/app/trust/trusttest"
	"github.com/card-catalog/card-catalog/registry"
)

const (
	identity = "release@acme.example"
	issuer   = "https://accounts.acme.example"
)

// fixture is an in-process registry holding one image.
type fixture struct {
	host   string
	repo   string
	digest string
	desc   v1.Descriptor
	client *registry.Client
	ref    registry.Reference
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	srv := httptest.NewServer(ggcr.New(ggcr.Logger(log.New(io.Discard, "", 0)), ggcr.WithReferrersSupport(true)))
	t.Cleanup(srv.Close)
	return pushImage(t, strings.TrimPrefix(srv.URL, "http://"))
}

func pushImage(t testing.TB, host string) *fixture {
	t.Helper()
	img, err := random.Image(256, 1)
	if err != nil {
		t.Fatal(err)
	}
	tag, _ := name.NewTag(host+"/acme/app:v1", name.Insecure)
	if err := remote.Write(tag, img); err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	raw, _ := img.RawManifest()
	mt, _ := img.MediaType()
	reg := registry.Registry{Host: host, PlainHTTP: true}
	ref, err := registry.ParseReference(host+"/acme/app:v1", true, false)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{host: host, repo: "acme/app", digest: d.String(), desc: v1.Descriptor{MediaType: mt, Digest: d, Size: int64(len(raw))},
		client: registry.New(reg), ref: ref}
}

// cosignTag is where cosign keeps the signature of f's image.
func (f *fixture) cosignTag(suffix string) string {
	return strings.Replace(f.digest, ":", "-", 1) + suffix
}

func (f *fixture) verify(t *testing.T, m *trust.Material) *trust.Report {
	t.Helper()
	tree, err := trust.Discover(context.Background(), f.client, f.ref)
	if err != nil {
		t.Fatal(err)
	}
	offline(t)
	v := trust.Verifier{Material: m}
	return v.Verify(context.Background(), f.client, tree)
}

// offline fails the test on any request through the default transport
// (sigstore-go's and TUF's clients) until the test ends; the registry
// client has its own.
func offline(t *testing.T) *trusttest.NoNetwork {
	nn := &trusttest.NoNetwork{T: t}
	old := http.DefaultTransport
	http.DefaultTransport = nn
	t.Cleanup(func() { http.DefaultTransport = old })
	return nn
}

func keyMaterial(t *testing.T, seed string) *trust.Material {
	t.Helper()
	k, err := trust.ParseKey("release", trusttest.PublicPEM(trusttest.KeyFromSeed(seed)))
	if err != nil {
		t.Fatal(err)
	}
	return &trust.Material{Keys: []trust.Key{k}}
}

func virtualMaterial(t *testing.T, vs *ca.VirtualSigstore) *trust.Material {
	t.Helper()
	raw, err := trusttest.TrustedRoot(vs)
	if err != nil {
		t.Fatal(err)
	}
	roots, err := trust.ParseRoot("virtual", trust.SourceFile, time.Now(), raw)
	if err != nil {
		t.Fatal(err)
	}
	return &trust.Material{Roots: roots}
}

func one(t *testing.T, r *trust.Report) trust.Verdict {
	t.Helper()
	if len(r.Verdicts) != 1 {
		t.Fatalf("%d verdicts, want 1: %+v", len(r.Verdicts), r.Verdicts)
	}
	return r.Verdicts[0]
}

func TestKeySignatureVerifies(t *testing.T) {
	f := newFixture(t)
	k := trusttest.KeyFromSeed("release")
	payload := trusttest.SimpleSigning(f.host+"/"+f.repo, f.digest)
	trusttest.Push(t, f.host, f.repo, f.cosignTag(".sig"), []trusttest.Blob{{Data: payload, MediaType: trust.MediaSimpleSign, Annotations: trusttest.KeyAnnotations(trusttest.SignWithKey(k, payload))}}, "", nil)

	r := f.verify(t, keyMaterial(t, "release"))
	v := one(t, r)
	if !v.Verified || r.Outcome() != trust.OutcomeVerified {
		t.Fatalf("not verified: %s", v.Problem)
	}
	if !strings.HasPrefix(v.Signer.Key, "release (") || v.Found != "cosign tag "+f.cosignTag(".sig") {
		t.Errorf("signer %+v, found %q", v.Signer, v.Found)
	}

	t.Run("another key", func(t *testing.T) {
		r := f.verify(t, keyMaterial(t, "someone else"))
		if v := one(t, r); v.Verified || r.Outcome() != trust.OutcomeNotVerified || !strings.Contains(v.Problem, "signature does not match") {
			t.Fatalf("verified with another key: %+v", v)
		}
	})
	t.Run("no key", func(t *testing.T) {
		if v := one(t, f.verify(t, &trust.Material{})); v.Verified || !strings.Contains(v.Problem, "no public key is trusted") {
			t.Fatalf("%+v", v)
		}
	})
}

func TestTamperedPayloadIsNotVerified(t *testing.T) {
	f := newFixture(t)
	k := trusttest.KeyFromSeed("release")
	payload := trusttest.SimpleSigning(f.host+"/"+f.repo, f.digest)
	sig := trusttest.SignWithKey(k, payload)
	tampered := []byte(strings.Replace(string(payload), `"optional":null`, `"optional":{"x":"y"}`, 1))
	trusttest.Push(t, f.host, f.repo, f.cosignTag(".sig"), []trusttest.Blob{{Data: tampered, MediaType: trust.MediaSimpleSign, Annotations: trusttest.KeyAnnotations(sig)}}, "", nil)
	if v := one(t, f.verify(t, keyMaterial(t, "release"))); v.Verified {
		t.Fatal("a tampered payload verified")
	}
}

func TestSignatureOverAnotherDigestIsNotVerified(t *testing.T) {
	f := newFixture(t)
	k := trusttest.KeyFromSeed("release")
	other := "sha256:" + strings.Repeat("ab", 32)
	payload := trusttest.SimpleSigning(f.host+"/"+f.repo, other)
	trusttest.Push(t, f.host, f.repo, f.cosignTag(".sig"), []trusttest.Blob{{Data: payload, MediaType: trust.MediaSimpleSign, Annotations: trusttest.KeyAnnotations(trusttest.SignWithKey(k, payload))}}, "", nil)
	v := one(t, f.verify(t, keyMaterial(t, "release")))
	if v.Verified || !strings.Contains(v.Problem, "it signs "+other+", not this image") {
		t.Fatalf("%+v", v)
	}
}

func TestUnsignedImage(t *testing.T) {
	f := newFixture(t)
	r := f.verify(t, keyMaterial(t, "release"))
	if r.Outcome() != trust.OutcomeUnsigned || len(r.Verdicts) != 0 {
		t.Fatalf("%s, %+v", r.Outcome(), r.Verdicts)
	}
}

func TestKeylessCosignSignature(t *testing.T) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name            string
		tlog, timestamp bool
		at              time.Time
		material        func(t *testing.T) *trust.Material
		verified        bool
		problem         string
		timeSource      string
	}{
		{name: "log entry", tlog: true, at: time.Now().Add(5 * time.Minute), verified: true, timeSource: "the transparency log"},
		{name: "timestamp authority", timestamp: true, at: time.Now().Add(5 * time.Minute), verified: true, timeSource: "a timestamp authority"},
		{name: "no log entry nor timestamp, certificate valid now", at: time.Now().Add(5 * time.Minute), verified: true},
		{name: "log entry after the certificate expired", tlog: true, at: time.Now().Add(time.Hour), problem: "virtual:"},
		{name: "unknown CA", tlog: true, at: time.Now().Add(5 * time.Minute), problem: "virtual:",
			material: func(t *testing.T) *trust.Material {
				other, _ := ca.NewVirtualSigstore()
				return virtualMaterial(t, other)
			}},
		{name: "public-good root only", tlog: true, at: time.Now().Add(5 * time.Minute), problem: "Sigstore public good:",
			material: func(*testing.T) *trust.Material { return &trust.Material{Roots: []trust.Root{trust.PublicGood()}} }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			payload := trusttest.SimpleSigning(f.host+"/"+f.repo, f.digest)
			ann, err := trusttest.Keyless(vs, identity, issuer, payload, c.at, c.tlog, c.timestamp)
			if err != nil {
				t.Fatal(err)
			}
			trusttest.Push(t, f.host, f.repo, f.cosignTag(".sig"), []trusttest.Blob{{Data: payload, MediaType: trust.MediaSimpleSign, Annotations: ann}}, "", nil)
			m := virtualMaterial(t, vs)
			if c.material != nil {
				m = c.material(t)
			}
			v := one(t, f.verify(t, m))
			if v.Verified != c.verified || !strings.Contains(v.Problem, c.problem) {
				t.Fatalf("verified %v, problem %q; want %v, %q", v.Verified, v.Problem, c.verified, c.problem)
			}
			if v.Signer.Identity != identity || v.Signer.Issuer != issuer {
				t.Errorf("signer %+v", v.Signer)
			}
			if c.verified && (v.TimeSource != c.timeSource || v.SignedAt.IsZero() != (c.timeSource == "") || v.TrustRoot != "virtual" || v.TrustRootDate.IsZero()) {
				t.Errorf("time %s from %q, root %q of %s", v.SignedAt, v.TimeSource, v.TrustRoot, v.TrustRootDate)
			}
		})
	}
}

func TestBundleReferrerVerifies(t *testing.T) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	b, err := trusttest.Bundle(vs, identity, issuer, trusttest.Statement(f.digest, "https://slsa.dev/provenance/v1", trusttest.GitHubProvenance))
	if err != nil {
		t.Fatal(err)
	}
	trusttest.Push(t, f.host, f.repo, "", []trusttest.Blob{{Data: b, MediaType: trust.MediaBundle}}, trust.MediaBundle, &f.desc)
	v := one(t, f.verify(t, virtualMaterial(t, vs)))
	if !v.Verified {
		t.Fatalf("not verified: %s", v.Problem)
	}
	if v.Kind != trust.KindAttestation || v.Provenance == nil || v.Provenance.Repository != "https://github.com/acme/app" ||
		v.Provenance.Commit != "0123456789abcdef0123456789abcdef01234567" || v.Provenance.Workflow != ".github/workflows/release.yml" {
		t.Errorf("%s: %+v", v.What, v.Provenance)
	}
	if v.Found != "OCI referrers" {
		t.Errorf("found %q", v.Found)
	}

	t.Run("about another image", func(t *testing.T) {
		g := newFixture(t)
		trusttest.Push(t, g.host, g.repo, "", []trusttest.Blob{{Data: b, MediaType: trust.MediaBundle}}, trust.MediaBundle, &g.desc)
		v := one(t, g.verify(t, virtualMaterial(t, vs)))
		if v.Verified || !strings.Contains(v.Problem, "not this image") {
			t.Fatalf("%+v", v)
		}
	})
}

func TestKeylessAttestationTag(t *testing.T) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	env, ann, err := trusttest.KeylessAttestation(vs, identity, issuer, trusttest.Statement(f.digest, "https://slsa.dev/provenance/v1", trusttest.GitHubProvenance))
	if err != nil {
		t.Fatal(err)
	}
	ann["predicateType"] = "https://slsa.dev/provenance/v1"
	trusttest.Push(t, f.host, f.repo, f.cosignTag(".att"), []trusttest.Blob{{Data: env, MediaType: trust.MediaDSSE, Annotations: ann}}, "", nil)
	v := one(t, f.verify(t, virtualMaterial(t, vs)))
	if !v.Verified || v.Provenance == nil || v.What != "cosign attestation: SLSA provenance v1" {
		t.Fatalf("%s: %s", v.What, v.Problem)
	}
}

// The real public-good bundle sigstore-go ships, verified offline with the
// shipped root: a GitHub workflow's identity.
func TestPublicGoodBundleOffline(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(sigstoreGo(t), "examples", "bundle-provenance.json"))
	if err != nil {
		t.Skip(err)
	}
	nn := offline(t)
	v := (&trust.Verifier{Material: &trust.Material{Roots: []trust.Root{trust.PublicGood()}}}).VerifyBundle(raw, "sha512:"+sigstoreJSDigest)
	if !v.Verified {
		t.Fatalf("not verified: %s", v.Problem)
	}
	if !strings.HasPrefix(v.Signer.Identity, "https://github.com/sigstore/sigstore-js/.github/workflows/") ||
		v.Signer.Issuer != "https://token.actions.githubusercontent.com" || v.TrustRoot != trust.PublicGoodName {
		t.Errorf("signer %+v, root %q", v.Signer, v.TrustRoot)
	}
	if nn.Calls != 0 {
		t.Errorf("%d network calls", nn.Calls)
	}
	if v := (&trust.Verifier{Material: &trust.Material{Roots: []trust.Root{trust.PublicGood()}}}).VerifyBundle(raw, "sha256:"+strings.Repeat("0", 64)); v.Verified {
		t.Error("verified over another digest")
	}
}

// sigstoreJSDigest is the subject of sigstore-go's example provenance
// bundle: the npm tarball of sigstore 1.3.0.
const sigstoreJSDigest = "76176ffa33808b54602c7c35de5c6e9a4deb96066dba6533f50ac234f4f1f4c6b3527515dc17c06fbe2860030f410eee69ea20079bd3a2c6f3dcf3b329b10751"

// sigstoreGo is sigstore-go's module directory, for its example bundles.
func sigstoreGo(t testing.TB) string {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/sigstore/sigstore-go").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	return strings.TrimSpace(string(out))
}

func TestExpiredCertificateWithoutTimestamp(t *testing.T) {
	c, err := trusttest.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	rootJSON, err := c.TrustedRoot()
	if err != nil {
		t.Fatal(err)
	}
	roots, err := trust.ParseRoot("own CA", trust.SourceImported, time.Now(), rootJSON)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		notBefore time.Time
		verified  bool
	}{
		{"valid now", time.Now().Add(-time.Minute), true},
		{"expired an hour ago", time.Now().Add(-2 * time.Hour), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			payload := trusttest.SimpleSigning(f.host+"/"+f.repo, f.digest)
			ann, err := c.SignFrom(identity, issuer, payload, tc.notBefore)
			if err != nil {
				t.Fatal(err)
			}
			trusttest.Push(t, f.host, f.repo, f.cosignTag(".sig"), []trusttest.Blob{{Data: payload, MediaType: trust.MediaSimpleSign, Annotations: ann}}, "", nil)
			v := one(t, f.verify(t, &trust.Material{Roots: roots}))
			if v.Verified != tc.verified {
				t.Fatalf("verified %v: %s", v.Verified, v.Problem)
			}
			if !tc.verified && !strings.Contains(v.Problem, "not valid at the time of signing") {
				t.Errorf("problem %q", v.Problem)
			}
		})
	}
}
