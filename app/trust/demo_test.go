package trust_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/app/trust/provenance"
	"github.com/card-catalog/card-catalog/app/trust/sbom"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/demo"
)

func demoClient(t testing.TB) (*registry.Client, string) {
	h, err := demo.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	return registry.New(registry.Registry{Host: host, PlainHTTP: true}), host
}

func demoMaterial(t testing.TB) *trust.Material {
	k, err := trust.ParseKey("demo-publisher", demo.PublisherKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	return &trust.Material{Roots: []trust.Root{trust.PublicGood()}, Keys: []trust.Key{k}}
}

func demoReport(t *testing.T, c *registry.Client, host, ref string) (*trust.Tree, *trust.Report) {
	t.Helper()
	r, err := registry.ParseReference(host+"/"+ref, true, false)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := trust.Discover(context.Background(), c, r)
	if err != nil {
		t.Fatal(err)
	}
	offline(t)
	return tree, (&trust.Verifier{Material: demoMaterial(t)}).Verify(context.Background(), c, tree)
}

// A new user sees both verdicts in the demo: the publisher's image
// verified, with its provenance and SBOM, and an image signed by someone
// else not.
func TestDemoVerdicts(t *testing.T) {
	c, host := demoClient(t)
	tree, r := demoReport(t, c, host, "team-a/payments-api:v1.5.1")
	if tree.Count(trust.KindSignature) != 1 || tree.Count(trust.KindAttestation) != 1 || tree.Count(trust.KindSBOM) != 1 {
		t.Fatalf("tree: %+v", tree.Attachments)
	}
	if r.Outcome() != trust.OutcomeVerified || len(r.Verdicts) != 2 {
		t.Fatalf("%s: %+v", r.Summary(), r.Verdicts)
	}
	for _, v := range r.Verdicts {
		if !v.Verified || !strings.HasPrefix(v.Signer.Key, "demo-publisher (") {
			t.Errorf("%s: %s (%+v)", v.What, v.Problem, v.Signer)
		}
	}
	var p *provenance.Provenance
	for _, v := range r.Verdicts {
		if v.Kind == trust.KindAttestation {
			p = v.Provenance
		}
	}
	if p == nil || p.Repository != "https://github.com/card-catalog-demo/payments-api" || p.Ref != "refs/tags/v1.5.1" {
		t.Errorf("provenance %+v", p)
	}
	refs := trust.SBOMs(tree, tree.Subject.Digest)
	if len(refs) != 1 {
		t.Fatalf("%d SBOMs", len(refs))
	}
	doc, err := trust.ReadSBOM(context.Background(), c, refs[0], sbom.DefaultLimits)
	if err != nil || len(doc.Packages) != 7 || doc.Format != "SPDX 2.3" {
		t.Fatalf("%v: %+v", err, doc)
	}

	_, r = demoReport(t, c, host, "team-b/gateway:v5.1.0")
	if r.Outcome() != trust.OutcomeNotVerified || !strings.Contains(r.Summary(), "signature does not match") {
		t.Errorf("%s", r.Summary())
	}
	_, r = demoReport(t, c, host, "team-a/ledger:latest")
	if r.Outcome() != trust.OutcomeUnsigned {
		t.Errorf("%s", r.Summary())
	}
}

func TestDemoSBOMComparison(t *testing.T) {
	c, host := demoClient(t)
	side := func(tag string) trust.SBOMSide {
		r, _ := registry.ParseReference(host+"/team-a/payments-api:"+tag, true, false)
		return trust.SBOMSide{Src: c, Ref: r}
	}
	d, err := trust.CompareSBOMs(context.Background(), side("v1.5.0"), side("v1.5.1"), sbom.DefaultLimits)
	if err != nil || !d.Comparable {
		t.Fatalf("%v %v %v", err, d.MissingA, d.MissingB)
	}
	ch := d.Changes
	if len(ch.Added) != 1 || ch.Added[0].Name != "golang.org/x/net" || len(ch.Removed) != 1 || len(ch.Upgraded) != 2 {
		t.Errorf("%+v", ch)
	}
}
