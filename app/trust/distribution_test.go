package trust_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"

	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/app/trust/trusttest"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// Debian's docker-registry (distribution 2.8) has no referrers API: a
// cosign tag and a bundle listed under the referrers tag schema
// (sha256-<hex>, an index of referrers, as oras and cosign write it) are
// found and verified there.
func TestDistributionWithoutReferrersAPI(t *testing.T) {
	reg := rt.StartDistribution(t, "")
	f := pushImage(t, reg.Host)
	k := trusttest.KeyFromSeed("release")
	payload := trusttest.SimpleSigning(f.host+"/"+f.repo, f.digest)
	trusttest.Push(t, f.host, f.repo, f.cosignTag(".sig"), []trusttest.Blob{{Data: payload, MediaType: trust.MediaSimpleSign, Annotations: trusttest.KeyAnnotations(trusttest.SignWithKey(k, payload))}}, "", nil)

	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	b, err := trusttest.Bundle(vs, identity, issuer, trusttest.Statement(f.digest, "https://slsa.dev/provenance/v1", trusttest.GitHubProvenance))
	if err != nil {
		t.Fatal(err)
	}
	bundleDesc := trusttest.Push(t, f.host, f.repo, "", []trusttest.Blob{{Data: b, MediaType: trust.MediaBundle}}, trust.MediaBundle, &f.desc)
	idx := v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex, Manifests: []v1.Descriptor{bundleDesc}}
	raw, _ := json.Marshal(idx)
	tag, _ := name.NewTag(f.host+"/"+f.repo+":"+f.cosignTag(""), name.Insecure)
	if err := remote.Put(tag, rawIndex(raw)); err != nil {
		t.Fatal(err)
	}

	m := virtualMaterial(t, vs)
	m.Keys = keyMaterial(t, "release").Keys
	r := f.verify(t, m)
	if len(r.Verdicts) != 2 || r.Outcome() != trust.OutcomeVerified {
		t.Fatalf("%+v", r)
	}
	for _, v := range r.Verdicts {
		if !v.Verified {
			t.Errorf("%s (%s): %s", v.What, v.Found, v.Problem)
		}
	}
}

type rawIndex []byte

func (r rawIndex) RawManifest() ([]byte, error)        { return r, nil }
func (r rawIndex) MediaType() (types.MediaType, error) { return types.OCIImageIndex, nil }
