package trust_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/app/trust/trusttest"
)

// What the Settings window will call: imports kept as files, checked
// first; the policy saved and read back.
func TestStoreImports(t *testing.T) {
	s := trust.Store{Dir: t.TempDir(), CacheDir: t.TempDir()}
	if err := s.ImportKey("release", trusttest.PublicPEM(trusttest.KeyFromSeed("release"))); err != nil {
		t.Fatal(err)
	}
	if err := s.ImportRoot("own-ca", trust.PublicGoodJSON()); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"a private key": s.ImportKey("secret", []byte("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n")),
		"not a key":     s.ImportKey("junk", []byte("hello")),
		"a path":        s.ImportKey("../escape", trusttest.PublicPEM(trusttest.KeyFromSeed("x"))),
		"not a root":    s.ImportRoot("junk", []byte(`{"mediaType":"nope"}`)),
		"not a cert":    s.ImportCertificate("junk", []byte("hello")),
	} {
		if err == nil {
			t.Errorf("%s was imported", name)
		}
	}
	m, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Keys) != 1 || m.Keys[0].Name != "release" || len(m.Roots) != 2 || m.Roots[0].Source != trust.SourceShipped || m.Roots[1].Source != trust.SourceImported {
		t.Errorf("keys %+v, roots %+v", m.Keys, m.Roots)
	}
	if files, _ := filepath.Glob(filepath.Join(s.Dir, "*", "*")); len(files) != 2 {
		t.Errorf("files %v", files)
	}
	os.WriteFile(filepath.Join(s.Dir, "keys", "broken.pem"), []byte("x"), 0o644)
	if m, err := s.Load(); err == nil || !strings.Contains(err.Error(), "broken") || len(m.Keys) != 1 {
		t.Errorf("a broken file: %v, %d keys", err, len(m.Keys))
	}
	if err := s.Remove("keys", "release"); err != nil {
		t.Fatal(err)
	}

	p := trust.Policy{Rules: []trust.Rule{{Scope: "ghcr.io/acme/*", Identity: "github.com/acme/*", Issuer: "https://token.actions.githubusercontent.com"}}}
	if err := s.SavePolicy(p); err != nil {
		t.Fatal(err)
	}
	got, err := s.Policy()
	if err != nil || len(got.Rules) != 1 || got.Rules[0] != p.Rules[0] {
		t.Errorf("%v: %+v", err, got)
	}
	if err := s.SavePolicy(trust.Policy{Rules: []trust.Rule{{Identity: "x"}}}); err == nil {
		t.Error("a rule without a scope was saved")
	}
}
