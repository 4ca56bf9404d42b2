package credential_test

import (
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// fakeHelper puts docker-credential-fake on PATH: it knows ghcr.io (a
// password) and quay.io (an identity token), and logs what it was asked.
func fakeHelper(t *testing.T) (logPath string) {
	dir := t.TempDir()
	logPath = filepath.Join(dir, "asked")
	script := `#!/bin/sh
[ "$1" = get ] || exit 2
read -r server
echo "$server" >> ` + logPath + `
case "$server" in
ghcr.io) echo '{"ServerURL":"ghcr.io","Username":"bob","Secret":"ghp_fromhelper"}' ;;
quay.io) echo '{"ServerURL":"quay.io","Username":"<token>","Secret":"refresh-xyz"}' ;;
*) echo "credentials not found in native keychain"; exit 1 ;;
esac
`
	os.WriteFile(filepath.Join(dir, "docker-credential-fake"), []byte(script), 0o755)
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return logPath
}

func writeFile(t *testing.T, content string) string {
	p := filepath.Join(t.TempDir(), "auth.json")
	os.WriteFile(p, []byte(content), 0o600)
	return p
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func lookup(t *testing.T, src credential.Source, host string) (credential.Credential, bool) {
	t.Helper()
	c, ok, err := src.Credential(context.Background(), host)
	if err != nil {
		t.Fatalf("%s: %v", host, err)
	}
	return c, ok
}

func TestDockerConfigAuths(t *testing.T) {
	f := credential.AuthFile{Source: "Docker config", Path: writeFile(t, `{"auths":{
		"https://index.docker.io/v1/": {"auth": "`+b64("hubuser:hubpass")+`"},
		"localhost:5000": {"auth": "`+b64("alice:pw:with:colons")+`"},
		"https://registry.example.com": {"identitytoken": "idtok"}}}`)}
	if c, ok := lookup(t, f, "registry-1.docker.io"); !ok || c.Username != "hubuser" || c.Password != "hubpass" || c.Source != "Docker config" {
		t.Errorf("hub: %+v", c)
	}
	if c, ok := lookup(t, f, "localhost:5000"); !ok || c.Password != "pw:with:colons" {
		t.Errorf("localhost: %+v", c)
	}
	if c, ok := lookup(t, f, "registry.example.com"); !ok || c.IdentityToken != "idtok" {
		t.Errorf("identity token: %+v", c)
	}
	if _, ok := lookup(t, f, "ghcr.io"); ok {
		t.Error("found a login for ghcr.io")
	}
	if _, ok := lookup(t, credential.AuthFile{Path: "/nonexistent/config.json"}, "ghcr.io"); ok {
		t.Error("a missing file had a login")
	}
	if _, _, err := (credential.AuthFile{Path: writeFile(t, `{not json`)}).Credential(context.Background(), "x"); err == nil {
		t.Error("broken JSON accepted")
	}
}

func TestCredentialHelpers(t *testing.T) {
	asked := fakeHelper(t)
	store := credential.AuthFile{Source: "Docker config", Path: writeFile(t, `{"credsStore":"fake",
		"auths":{"localhost:5000":{"auth":"`+b64("alice:pw")+`"}}}`)}
	if c, ok := lookup(t, store, "ghcr.io"); !ok || c.Username != "bob" || c.Password != "ghp_fromhelper" || c.Source != "docker-credential-fake" {
		t.Errorf("credsStore: %+v", c)
	}
	if c, ok := lookup(t, store, "quay.io"); !ok || c.IdentityToken != "refresh-xyz" || c.Password != "" {
		t.Errorf("identity token from helper: %+v", c)
	}
	// Not in the store: the auths entry.
	if c, ok := lookup(t, store, "localhost:5000"); !ok || c.Username != "alice" {
		t.Errorf("fallback to auths: %+v", c)
	}
	perHost := credential.AuthFile{Path: writeFile(t, `{"credHelpers":{"ghcr.io":"fake"}}`)}
	if c, ok := lookup(t, perHost, "ghcr.io"); !ok || c.Username != "bob" {
		t.Errorf("credHelpers: %+v", c)
	}
	if _, ok := lookup(t, perHost, "quay.io"); ok {
		t.Error("credHelpers for ghcr.io answered for quay.io")
	}
	b, _ := os.ReadFile(asked)
	if !strings.Contains(string(b), "ghcr.io\n") {
		t.Errorf("the helper was asked %q", b)
	}
	missing := credential.AuthFile{Path: writeFile(t, `{"credsStore":"not-installed"}`)}
	if _, _, err := missing.Credential(context.Background(), "ghcr.io"); err == nil || !strings.Contains(err.Error(), "not installed") {
		t.Errorf("missing helper: %v", err)
	}
}

func TestPodmanBeforeDocker(t *testing.T) {
	podman := writeFile(t, `{"auths":{"ghcr.io":{"auth":"`+b64("podman-user:p")+`"}}}`)
	dockerDir := t.TempDir()
	os.WriteFile(filepath.Join(dockerDir, "config.json"), []byte(`{"auths":{"ghcr.io":{"auth":"`+b64("docker-user:d")+`"},"quay.io":{"auth":"`+b64("q:q")+`"}}}`), 0o600)
	t.Setenv("REGISTRY_AUTH_FILE", podman)
	t.Setenv("DOCKER_CONFIG", dockerDir)
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	src := credential.Chain{credential.PodmanAuth(), credential.DockerConfig()}
	if c, ok := lookup(t, src, "ghcr.io"); !ok || c.Username != "podman-user" || c.Source != "Podman auth.json" {
		t.Errorf("ghcr.io: %+v", c)
	}
	if c, ok := lookup(t, src, "quay.io"); !ok || c.Source != "Docker config" {
		t.Errorf("quay.io: %+v", c)
	}
}

func TestAuthFileLoginsReachTheRegistry(t *testing.T) {
	s := rt.Serve(t, rt.Config{Default: rt.Basic, Users: map[string]string{"alice": "pw"}})
	f := credential.AuthFile{Path: writeFile(t, `{"auths":{"http://`+s.Registry.Host+`":{"auth":"`+b64("alice:pw")+`"}}}`)}
	c := registry.New(s.Registry, registry.WithCredentials(f))
	var got []string
	err := c.Tags(context.Background(), registry.Reference{Registry: s.Registry, Repository: "library/alpine"}, func(p []string) error { got = append(got, p...); return nil })
	if err != nil || len(got) == 0 {
		t.Fatalf("%v %v", got, err)
	}
}

func TestHangingCredentialHelperIsCut(t *testing.T) {
	defer credential.SetHelperTimeout(300 * time.Millisecond)()
	bin := t.TempDir()
	// It leaves a child that holds its output open: killing the helper
	// alone would not end the wait.
	os.WriteFile(filepath.Join(bin, "docker-credential-hang"), []byte("#!/bin/sh\nsleep 30 &\nsleep 30\n"), 0o755)
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	cfg := filepath.Join(t.TempDir(), "config.json")
	os.WriteFile(cfg, []byte(`{"credsStore":"hang"}`), 0o600)
	start := time.Now()
	_, ok, err := credential.AuthFile{Path: cfg, Source: "Docker config"}.Credential(context.Background(), "ghcr.io")
	var helperErr *credential.LoginSourceError
	if ok || !errors.As(err, &helperErr) || helperErr.Problem != "did not answer within 300ms" {
		t.Fatalf("ok %v, err %v", ok, err)
	}
	// Waiting on the child that holds the output would take its 30 s.
	if took := time.Since(start); took >= 15*time.Second {
		t.Errorf("took %s", took)
	}
}

func TestAChainGoesPastABrokenHelper(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "config.json")
	os.WriteFile(bad, []byte(`{"credsStore":"not-installed-anywhere"}`), 0o600)
	good := filepath.Join(t.TempDir(), "config.json")
	os.WriteFile(good, []byte(`{"auths":{"ghcr.io":{"auth":"`+b64("me:pw")+`"}}}`), 0o600)
	cred, ok, err := credential.Chain{credential.AuthFile{Path: bad}, credential.AuthFile{Path: good, Source: "Docker config"}}.Credential(context.Background(), "ghcr.io")
	if err != nil || !ok || cred.Username != "me" {
		t.Fatalf("%+v %v %v", cred, ok, err)
	}
}
