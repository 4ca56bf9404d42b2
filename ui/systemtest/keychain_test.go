package systemtest

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

const keyringChild = "CARD_CATALOG_KEYRING_CHILD"

// TestKeychainWithRealSecretService runs itself again inside its own D-Bus
// session with an unlocked gnome-keyring, as .ci/run does on a fresh
// machine, and there logs in against the real distribution server.
func TestKeychainWithRealSecretService(t *testing.T) {
	if os.Getenv(keyringChild) != "" {
		keychainScenario(t)
		return
	}
	if testing.Short() {
		t.Skip("starts a D-Bus session, gnome-keyring and docker-registry")
	}
	for _, tool := range []string{"dbus-run-session", "gnome-keyring-daemon", "secret-tool", "docker-registry", "htpasswd"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: run `make test-deps`", tool)
		}
	}
	home := t.TempDir()
	runtime := filepath.Join(t.TempDir(), "run")
	os.Mkdir(runtime, 0o700)
	script := `eval "$(printf keyring-unlock-pw | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null || exit 3
exec "$0" -test.run '^TestKeychainWithRealSecretService$' -test.v -test.count=1`
	cmd := exec.Command("dbus-run-session", "--", "sh", "-c", script, os.Args[0])
	cmd.Env = []string{keyringChild + "=1", "HOME=" + home, "PATH=" + os.Getenv("PATH"),
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"), "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_RUNTIME_DIR=" + runtime, "DOCKER_CONFIG=" + filepath.Join(home, ".docker"), "LANG=en_US.UTF-8",
		"TMPDIR=" + t.TempDir()}
	// The child builds the binary: it keeps this process's Go caches, not
	// ones under its empty home.
	goenv, err := exec.Command("go", "env", "GOCACHE", "GOPATH", "GOMODCACHE", "GOFLAGS", "GOPROXY").Output()
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range []string{"GOCACHE", "GOPATH", "GOMODCACHE", "GOFLAGS", "GOPROXY"} {
		cmd.Env = append(cmd.Env, k+"="+strings.Split(string(goenv), "\n")[i])
	}
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("--- PASS: TestKeychainWithRealSecretService")) {
		t.Fatalf("inside dbus-run-session: %v\n%s", err, out)
	}
}

const loginPassword = "correct-horse-battery-staple-7"

func keychainScenario(t *testing.T) {
	reg := rt.StartDistribution(t, rt.Htpasswd(t, "alice", loginPassword))
	for _, repo := range []string{"team-a/payments-api", "library/alpine"} {
		ref, _ := name.NewTag(reg.Host+"/"+repo+":v1", name.Insecure)
		img, _ := random.Image(64, 1)
		if err := remote.Write(ref, img, remote.WithAuth(&authn.Basic{Username: "alice", Password: loginPassword})); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(t.TempDir(), "card-catalog")
	if out, err := exec.Command("go", "build", "-tags", BuildTags, "-o", bin, module).CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	var transcript bytes.Buffer // everything the program printed
	binary := func(stdin string, args ...string) (int, string) {
		cmd := exec.Command(bin, args...)
		cmd.Stdin = strings.NewReader(stdin)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		transcript.Write(out.Bytes())
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), out.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, out.String()
	}
	// items lists Card Catalog's keyring items, without their secrets.
	items := func() string {
		out, _ := exec.Command("secret-tool", "search", "--all", "service", "card-catalog").CombinedOutput()
		var keep []string
		for _, l := range strings.Split(string(out), "\n") {
			if !strings.HasPrefix(l, "secret ") {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}

	if code, out := binary("wrong-password\n", "login", "--plain-http", "-v", "-u", "alice", "--password-stdin", reg.Host); code != 1 || !strings.Contains(out, "login rejected") || !strings.Contains(out, "nothing was stored") {
		t.Fatalf("wrong password: exit %d\n%s", code, out)
	}
	if s := items(); strings.Contains(s, reg.Host) {
		t.Fatalf("a refused login was stored:\n%s", s)
	}
	if code, out := binary(loginPassword+"\n", "login", "--plain-http", "-v", "-u", "alice", "--password-stdin", reg.Host); code != 0 || !strings.Contains(out, "Signed in") {
		t.Fatalf("login: exit %d\n%s", code, out)
	}
	if s := items(); !strings.Contains(s, "attribute.username = "+reg.Host) {
		t.Fatalf("secret-tool does not find the item:\n%s", s)
	}
	// A new process is still logged in.
	if code, out := binary("", "catalog", "--plain-http", "-v", reg.Host); code != 0 || !strings.Contains(out, "team-a/payments-api") {
		t.Fatalf("catalog after login: exit %d\n%s", code, out)
	}

	// The password is nowhere but in the keyring: not in the home directory
	// (settings, the keyring's own files are encrypted), not in what the
	// program printed, not in the test's temporary files.
	if bytes.Contains(transcript.Bytes(), []byte(loginPassword)) {
		t.Fatalf("the program printed the password:\n%s", transcript.String())
	}
	for _, root := range []string{os.Getenv("HOME"), os.Getenv("TMPDIR"), os.Getenv("XDG_RUNTIME_DIR")} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || d.Type()&fs.ModeType != 0 {
				return nil
			}
			if b, err := os.ReadFile(p); err == nil && bytes.Contains(b, []byte(loginPassword)) && !strings.HasSuffix(p, "htpasswd") {
				t.Errorf("the password is in %s", p)
			}
			return nil
		})
	}

	// A Harbor robot account: its name, $ and + included, is kept exactly
	// in the keychain and sent exactly; the catalog, refused to it, lists
	// the projects it may see through Harbor's API, as the window does.
	const robot, robotSecret = "robot$team-a+ci", "robot-secret-with-$-and-+"
	harbor := rt.Serve(t, rt.HarborConfig(map[string]string{robot: robotSecret},
		&rt.Harbor{Public: map[string]bool{"library": true}, Members: map[string][]string{"team-a": {robot}}}))
	if code, out := binary(robotSecret+"\n", "login", "--plain-http", "-u", robot, "--password-stdin", harbor.Registry.Host); code != 0 || !strings.Contains(out, "Signed in") {
		t.Fatalf("robot login: exit %d\n%s", code, out)
	}
	item, _ := exec.Command("secret-tool", "lookup", "service", "card-catalog", "username", harbor.Registry.Host).Output()
	if !strings.Contains(string(item), `"username":"robot$team-a+ci"`) {
		t.Fatalf("the keychain item holds another name than the robot's")
	}
	code, out := binary("", "catalog", "--plain-http", harbor.Registry.Host)
	if code != 0 || !strings.Contains(out, "team-a/web\n") || !strings.Contains(out, "library/alpine\n") || strings.Contains(out, "team-b/") {
		t.Fatalf("Harbor catalog for the robot: exit %d\n%s", code, out)
	}
	if code, out := binary("", "logout", harbor.Registry.Host); code != 0 {
		t.Fatalf("robot logout: exit %d\n%s", code, out)
	}

	if code, out := binary("", "logout", reg.Host); code != 0 || !strings.Contains(out, "Signed out") {
		t.Fatalf("logout: exit %d\n%s", code, out)
	}
	if s := items(); strings.Contains(s, reg.Host) {
		t.Fatalf("logout left the item:\n%s", s)
	}
	if code, out := binary("", "catalog", "--plain-http", reg.Host); code != 1 || !strings.Contains(out, "needs a login") {
		t.Fatalf("catalog after logout: exit %d\n%s", code, out)
	}
}
