package registrytest

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/card-catalog/card-catalog/registry"
)

// StartDistribution runs Debian's docker-registry (distribution 2.8) with
// the given auth section of its config, and delete enabled, until the test
// ends.
func StartDistribution(t testing.TB, auth string) registry.Registry {
	t.Helper()
	return StartDistributionWith(t, Distribution{Auth: auth})
}

// Distribution is how StartDistributionWith configures docker-registry.
type Distribution struct {
	// Auth is the auth section of its config ("" for none).
	Auth string
	// NoDelete leaves storage.delete.enabled false, as distribution ships:
	// every DELETE is answered 405 UNSUPPORTED.
	NoDelete bool
}

// StartDistributionWith runs Debian's docker-registry configured as d,
// until the test ends.
func StartDistributionWith(t testing.TB, d Distribution) registry.Registry {
	t.Helper()
	auth := d.Auth
	bin, err := exec.LookPath("docker-registry")
	if err != nil {
		t.Fatal("docker-registry is missing: run `make test-deps`")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	config := fmt.Sprintf(`version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: %s}, delete: {enabled: %t}}
http: {addr: %s}
%s
`, filepath.Join(dir, "data"), !d.NoDelete, addr, auth)
	cfgPath := filepath.Join(dir, "config.yml")
	os.WriteFile(cfgPath, []byte(config), 0o600)
	cmd := exec.Command(bin, "serve", cfgPath)
	logPath := filepath.Join(dir, "registry.log")
	out, _ := os.Create(logPath)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for deadline := time.Now().Add(15 * time.Second); ; {
		resp, err := http.Get("http://" + addr + "/v2/")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(logPath)
			t.Fatalf("docker-registry did not start: %v\n%s", err, b)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return registry.Registry{Host: addr, PlainHTTP: true}
}

// Htpasswd writes an htpasswd file for user and returns the auth section
// that uses it.
func Htpasswd(t testing.TB, user, password string) string {
	t.Helper()
	out, err := exec.Command("htpasswd", "-Bbn", user, password).Output()
	if err != nil {
		t.Fatalf("htpasswd: %v (run `make test-deps`)", err)
	}
	path := filepath.Join(t.TempDir(), "htpasswd")
	os.WriteFile(path, out, 0o600)
	return fmt.Sprintf("auth: {htpasswd: {realm: test, path: %s}}", path)
}
