package cli

import (
	"bytes"
	"strings"
	"testing"

	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// Without a Secret Service the login is refused plainly and nothing is kept.
func TestLoginWithoutKeychainSaysSo(t *testing.T) {
	isolate(t) // D-Bus points nowhere
	s := serve(t, rt.Config{Default: rt.Basic, Ping: rt.Basic, Users: map[string]string{"alice": "pw"}})
	var out, errb bytes.Buffer
	code := Run([]string{"login", "--plain-http", "-u", "alice", "--password-stdin", s.Registry.Host}, strings.NewReader("pw\n"), &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "the OS keychain is not available") || !strings.Contains(errb.String(), "nothing was stored") {
		t.Fatalf("exit %d: %q %q", code, out.String(), errb.String())
	}
	code = Run([]string{"login", "-u", "alice", s.Registry.Host}, strings.NewReader(""), &out, &errb)
	if code != 2 {
		t.Errorf("login without --password-stdin: exit %d", code)
	}
}
