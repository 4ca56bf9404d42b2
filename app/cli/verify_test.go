package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/demo"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

func publisherKey(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "publisher.pub")
	if err := os.WriteFile(path, demo.PublisherKeyPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestVerifyCommand(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{})
	key := publisherKey(t)
	signed := s.Registry.Host + "/team-a/payments-api:v1.5.1"
	code, out, errs := run(t, "verify", "--plain-http", "--key", key, signed)
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errs, out)
	}
	for _, want := range []string{
		"Verified: signed by key publisher.pub (",
		"✓ cosign signature (OCI referrers)",
		"✓ cosign attestation: SLSA provenance v1 (OCI referrers)",
		"Source:          https://github.com/card-catalog-demo/payments-api",
		"Provenance:      signed and verified",
		"· SPDX SBOM (OCI referrers)",
		"# trust root: Sigstore public good, shipped with Card Catalog, of 2026-07-30",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}

	code, out, _ = run(t, "verify", "--plain-http", "--key", key, s.Registry.Host+"/team-b/gateway:v5.1.0")
	if code != 1 || !strings.Contains(out, "✗ cosign signature") || !strings.Contains(out, "signature does not match") {
		t.Errorf("signed by someone else: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "verify", "--plain-http", "--key", key, s.Registry.Host+"/team-a/ledger:latest")
	if code != 1 || !strings.Contains(out, "Unsigned") {
		t.Errorf("unsigned: exit %d\n%s", code, out)
	}
	code, _, errs = run(t, "verify", "--plain-http", "--key", key, s.Registry.Host+"/team-a/ledger:v9")
	if code != 2 || !strings.Contains(errs, "card-catalog verify: ") {
		t.Errorf("a missing tag: exit %d: %s", code, errs)
	}
	code, _, errs = run(t, "verify", "--plain-http", "--key", "/nonexistent.pub", signed)
	if code != 2 {
		t.Errorf("a missing key file: exit %d: %s", code, errs)
	}
	// Without --key, the demo's key is not trusted: no verdict passes.
	code, out, _ = run(t, "verify", "--plain-http", signed)
	if code != 1 || !strings.Contains(out, "no public key is trusted") {
		t.Errorf("no key: exit %d\n%s", code, out)
	}
	// An identity policy refuses a key signature.
	code, out, _ = run(t, "verify", "--plain-http", "--identity", "github.com/acme/*", signed)
	if code != 1 {
		t.Errorf("identity policy: exit %d\n%s", code, out)
	}
}

func TestVerifyCommandJSONAndOffline(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{})
	key := publisherKey(t)
	signed := s.Registry.Host + "/team-a/payments-api:v1.5.1"
	code, out, errs := run(t, "verify", "--json", "--plain-http", "--key", key, signed)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Outcome  string `json:"outcome"`
		Badge    struct{ State string }
		Verdicts []trust.Verdict `json:"verdicts"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Outcome != "verified" || doc.Badge.State != "pass" || len(doc.Verdicts) != 2 || doc.Verdicts[0].Checked == nil {
		t.Errorf("%s", out)
	}
	// Once verified online, again offline: the signatures were kept.
	s.Close()
	code, out2, errs := run(t, "verify", "--json", "--offline", "--plain-http", "--key", key, signed)
	if code != 0 || !strings.Contains(errs, "offline") {
		t.Errorf("offline: exit %d: %s\n%s", code, errs, out2)
	}
}

func TestSbomCommand(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{})
	ref := s.Registry.Host + "/team-a/payments-api:v1.5.1"
	code, out, errs := run(t, "sbom", "--plain-http", "--sort", "version", "--desc", ref)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, ": 7 packages, SPDX 2.3 (SPDX SBOM from OCI referrers)") || !strings.Contains(out, "libssl3") {
		t.Errorf("%s", out)
	}
	code, out, _ = run(t, "sbom", "--json", "--plain-http", "--search", "deb", ref)
	var doc struct {
		Count, Shown int
		Packages     []struct{ Name, Type string }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 0 {
		t.Fatalf("exit %d: %v: %s", code, err, out)
	}
	if doc.Count != 7 || doc.Shown != 4 || doc.Packages[0].Type != "deb" {
		t.Errorf("%s", out)
	}
	if code, _, _ := run(t, "sbom", "--plain-http", s.Registry.Host+"/team-a/ledger:latest"); code != 1 {
		t.Errorf("no SBOM: exit %d", code)
	}
	if code, _, _ := run(t, "sbom", "--plain-http", "--sort", "size", ref); code != 2 {
		t.Errorf("a bad column: exit %d", code)
	}
}

// What a signature or an SBOM says is printed escaped: an identity or a
// package name cannot steer the terminal.
func TestVerifyAndSbomOutputIsEscaped(t *testing.T) {
	var out bytes.Buffer
	env := commandEnv{out: &out}
	ref, _ := registry.ParseReference("example.com/app:1", false, false)
	tree := &trust.Tree{Subject: trust.Subject{Digest: "sha256:00"}}
	r := &trust.Report{Verdicts: []trust.Verdict{{Signed: true, Verified: true, What: "cosign signature\x1b[2J",
		Signer: trust.Signer{Identity: "mallory\x1b]0;pwned\x07@evil", Issuer: "https://issuer\u202e.example"}}}}
	if err := printReport(env, ref, &trust.Result{Tree: tree, Report: r, Badge: trust.Badge{State: trust.BadgeNone, Reason: r.Summary()}}, &trust.Material{}); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); strings.ContainsAny(s, "\x1b\x07\u202e") || !strings.Contains(s, `mallory\x1b]0;pwned\x07@evil`) {
		t.Errorf("%q", s)
	}
	if c := cell("evil\tname\x1b[31m"); c != `evil\tname\x1b[31m` {
		t.Errorf("cell %q", c)
	}
}
