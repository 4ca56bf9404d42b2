package trust_test

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"

	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/app/trust/sbom"
	"github.com/card-catalog/card-catalog/app/trust/trusttest"
)

func TestMalformedAttestationsAreClearVerdicts(t *testing.T) {
	k := trusttest.KeyFromSeed("release")
	statement := func(digest string) []byte {
		return trusttest.Statement(digest, "https://slsa.dev/provenance/v1", trusttest.GitHubProvenance)
	}
	env := func(payload []byte) []byte {
		return []byte(`{"payloadType":"application/vnd.in-toto+json","payload":"` + base64.StdEncoding.EncodeToString(payload) + `","signatures":[{"sig":"` + base64.StdEncoding.EncodeToString(trusttest.SignWithKey(k, payload)) + `"}]}`)
	}
	cases := map[string]struct {
		envelope func(digest string) []byte
		problem  string
	}{
		"nested":   {func(d string) []byte { return env(env(statement(d))) }, "envelopes do not nest"},
		"not JSON": {func(string) []byte { return []byte(`{"payloadType":`) }, "not a DSSE envelope"},
		"no sigs": {func(string) []byte {
			return []byte(`{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[]}`)
		}, "no signatures"},
		"not in-toto": {func(string) []byte { return env([]byte(`{"hello":"world"}`)) }, "not an in-toto statement"},
		"other image": {func(string) []byte { return env(statement("sha256:" + strings.Repeat("0", 64))) }, "not this image"},
		// DSSE signs the pre-authentication encoding, not the bare payload:
		// this signature is over the wrong bytes.
		"signature over the bare payload": {func(d string) []byte { return env(statement(d)) }, "signature does not match"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			g := newFixture(t)
			raw := c.envelope(g.digest)
			trusttest.Push(t, g.host, g.repo, g.cosignTag(".att"), []trusttest.Blob{{Data: raw, MediaType: trust.MediaDSSE, Annotations: map[string]string{"predicateType": "https://slsa.dev/provenance/v1"}}}, "", nil)
			v := one(t, g.verify(t, keyMaterial(t, "release")))
			if v.Verified || !v.Signed || !strings.Contains(v.Problem, c.problem) {
				t.Fatalf("verified %v, problem %q, want %q", v.Verified, v.Problem, c.problem)
			}
		})
	}
}

func TestOversizedBlobsAreRefusedBeforeReading(t *testing.T) {
	f := newFixture(t)
	huge := v1.Descriptor{MediaType: types.MediaType(trust.MediaSimpleSign), Size: 2 << 30, Digest: v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("1", 64)}}
	tree := &trust.Tree{Subject: trust.Subject{Digest: f.digest}, Attachments: []trust.Attachment{{
		Kind: trust.KindSignature, Format: trust.FormatCosign, For: f.digest, Repo: f.ref,
		Layers: []trust.Layer{{Desc: huge, Kind: trust.KindSignature, Format: trust.FormatCosign}},
	}}}
	r := (&trust.Verifier{Material: keyMaterial(t, "release")}).Verify(context.Background(), f.client, tree)
	if v := one(t, r); v.Verified || !strings.Contains(v.Problem, "too large to verify") {
		t.Fatalf("%+v", v)
	}
	huge.MediaType = trust.MediaSPDX
	_, err := trust.ReadSBOM(context.Background(), f.client, trust.SBOMRef{Attachment: tree.Attachments[0], Layer: trust.Layer{Desc: huge, Kind: trust.KindSBOM, Format: trust.FormatSPDX}}, sbom.DefaultLimits)
	if !errors.Is(err, sbom.ErrTooLarge) {
		t.Errorf("a 2 GB SBOM: %v", err)
	}
}

// A trust root whose CA had expired by the time of signing vouches for
// nothing signed after.
func TestExpiredTrustRoot(t *testing.T) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	payload := trusttest.SimpleSigning(f.host+"/"+f.repo, f.digest)
	ann, err := trusttest.Keyless(vs, identity, issuer, payload, time.Now().Add(5*time.Minute), true, false)
	if err != nil {
		t.Fatal(err)
	}
	trusttest.Push(t, f.host, f.repo, f.cosignTag(".sig"), []trusttest.Blob{{Data: payload, MediaType: trust.MediaSimpleSign, Annotations: ann}}, "", nil)
	m := virtualMaterial(t, vs)
	expired := *vs.FulcioCertificateAuthorities()[0].(*root.FulcioCertificateAuthority)
	expired.ValidityPeriodEnd = time.Now().Add(-time.Minute)
	base := m.Roots[0].Material
	m.Roots[0].Material = &fulcioOverride{TrustedMaterial: base, cas: []root.CertificateAuthority{&expired}}
	if v := one(t, f.verify(t, m)); v.Verified || !strings.Contains(v.Problem, "does not chain to a certificate authority of this root valid at the time of signing") {
		t.Fatalf("%+v", v)
	}
}

type fulcioOverride struct {
	root.TrustedMaterial
	cas []root.CertificateAuthority
}

func (o *fulcioOverride) FulcioCertificateAuthorities() []root.CertificateAuthority { return o.cas }

func TestWrongIdentityIsRefusedByPolicy(t *testing.T) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	payload := trusttest.SimpleSigning(f.host+"/"+f.repo, f.digest)
	ann, err := trusttest.Keyless(vs, "mallory\x1b[2J@evil.example", issuer, payload, time.Now().Add(5*time.Minute), true, false)
	if err != nil {
		t.Fatal(err)
	}
	trusttest.Push(t, f.host, f.repo, f.cosignTag(".sig"), []trusttest.Blob{{Data: payload, MediaType: trust.MediaSimpleSign, Annotations: ann}}, "", nil)
	r := f.verify(t, virtualMaterial(t, vs))
	b := trust.Rule{Scope: f.host + "/" + f.repo, Identity: identity, Issuer: issuer}.Judge(r)
	if r.Outcome() != trust.OutcomeVerified || b.State != trust.BadgeFail || !strings.Contains(b.Reason, "signed by mallory\x1b[2J@evil.example") {
		t.Fatalf("%s: %s", b.State, b.Reason)
	}
}
