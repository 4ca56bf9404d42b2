package app_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/apptest"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/app/trust/sbom"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/demo"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// trustApp is an App showing the demo registry, keeping its trust material
// in a temporary directory.
func trustApp(t *testing.T) (*app.App, settings.Entry, *trust.Store) {
	t.Helper()
	store := &trust.Store{Dir: t.TempDir(), CacheDir: t.TempDir()}
	a := apptest.New(t, settings.Default(), app.Options{Trust: store})
	return a, a.Entries()[0], store
}

func checkTrust(t *testing.T, a *app.App, e settings.Entry, ref string) *trust.Result {
	t.Helper()
	r, err := registry.ParseReference(e.Address+"/"+ref, true, false)
	if err != nil {
		t.Fatal(err)
	}
	type answer struct {
		r   *trust.Result
		err error
	}
	got := make(chan answer, 1)
	a.Trust(context.Background(), e, r, func(r *trust.Result, err error) { got <- answer{r, err} })
	ans := rt.Await(t, got)
	if ans.err != nil {
		t.Fatalf("%s: %v", ref, ans.err)
	}
	return ans.r
}

// In the demo registry its publisher's key is trusted and a rule asks
// for it: payments-api passes, gateway (signed by a stranger) fails, an
// unsigned image fails as unsigned; a second look is the one result.
func TestDemoTrustVerdictsAndTheirCache(t *testing.T) {
	a, e, _ := trustApp(t)
	pay := checkTrust(t, a, e, "team-a/payments-api:v1.5.0")
	if pay.Badge.State != trust.BadgePass || pay.Report.Outcome() != trust.OutcomeVerified || !strings.Contains(pay.Badge.Reason, app.DemoKeyName) {
		t.Errorf("payments-api: %s, %s (%s)", pay.Badge.State, pay.Report.Outcome(), pay.Badge.Reason)
	}
	gw := checkTrust(t, a, e, "team-b/gateway:v5.1.0")
	if gw.Badge.State != trust.BadgeFail || gw.Report.Outcome() != trust.OutcomeNotVerified {
		t.Errorf("gateway: %s, %s (%s)", gw.Badge.State, gw.Report.Outcome(), gw.Badge.Reason)
	}
	py := checkTrust(t, a, e, "library/python:3.12")
	if py.Badge.State != trust.BadgeFail || py.Report.Outcome() != trust.OutcomeUnsigned {
		t.Errorf("python: %s, %s (%s)", py.Badge.State, py.Report.Outcome(), py.Badge.Reason)
	}
	if again := checkTrust(t, a, e, "team-a/payments-api:v1.5.0"); again != pay {
		t.Error("the same digest was verified again")
	}
	got := make(chan error, 1)
	a.SBOM(context.Background(), e, pay.Tree.Subject.Ref, pay.Tree.Subject.Digest, func(doc *sbom.Document, where *trust.SBOMRef, err error) {
		if err == nil && (len(doc.Packages) != 7 || where == nil) {
			t.Errorf("SBOM: %d packages, from %v", len(doc.Packages), where)
		}
		got <- err
	})
	if err := rt.Await(t, got); err != nil {
		t.Fatal(err)
	}
}

// The demo's key is trusted for the demo registry only: its private key
// comes from a public seed. The same images served by another registry
// are signed by a key this computer does not trust, until it is imported;
// then they verify, and nothing checked before is taken from the cache.
func TestDemoKeyVouchesOnlyForTheDemoAndImportsCount(t *testing.T) {
	a, _, store := trustApp(t)
	h, err := demo.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	other := settings.Entry{ID: "other", Name: "Other", Address: strings.TrimPrefix(srv.URL, "http://"), PlainHTTP: true}
	r := checkTrust(t, a, other, "team-a/payments-api:v1.5.0")
	if r.Report.Outcome() != trust.OutcomeNotVerified || r.Badge.State != trust.BadgeNone {
		t.Fatalf("another registry's payments-api: %s, %s", r.Report.Outcome(), r.Badge.State)
	}
	badge := make(chan *trust.Result, 1)
	ref, _ := registry.ParseReference(other.Address+"/team-a/payments-api:v1.5.0", true, false)
	a.TrustBadge(context.Background(), other, ref, func(r *trust.Result, err error) { badge <- r })
	if r := rt.Await(t, badge); r != nil {
		t.Errorf("a badge where no rule applies: %s", r.Badge.Reason)
	}
	done := make(chan error, 1)
	a.ImportTrust(context.Background(), app.TrustKey, "publisher", demo.PublisherKeyPEM, func(err error) { done <- err })
	if err := rt.Await(t, done); err != nil {
		t.Fatal(err)
	}
	a.SavePolicy(context.Background(), trust.Policy{Rules: []trust.Rule{{Scope: other.Address + "/team-a/*", Key: "publisher"}}}, func(err error) { done <- err })
	if err := rt.Await(t, done); err != nil {
		t.Fatal(err)
	}
	r = checkTrust(t, a, other, "team-a/payments-api:v1.5.0")
	if r.Report.Outcome() != trust.OutcomeVerified || r.Badge.State != trust.BadgePass {
		t.Errorf("after the import: %s, %s (%s)", r.Report.Outcome(), r.Badge.State, r.Badge.Reason)
	}
	a.TrustBadge(context.Background(), other, ref, func(r *trust.Result, err error) { badge <- r })
	if r := rt.Await(t, badge); r == nil || r.Badge.State != trust.BadgePass {
		t.Errorf("no pass badge where the rule applies: %v", r)
	}
	if m, _ := store.Load(); len(m.Keys) != 1 {
		t.Errorf("the store keeps %d keys", len(m.Keys))
	}
	a.RemoveTrust(context.Background(), app.TrustKey, "publisher", func(err error) { done <- err })
	if err := rt.Await(t, done); err != nil {
		t.Fatal(err)
	}
	if r = checkTrust(t, a, other, "team-a/payments-api:v1.5.0"); r.Badge.State != trust.BadgeFail {
		t.Errorf("after the removal: %s (%s)", r.Badge.State, r.Badge.Reason)
	}
}
