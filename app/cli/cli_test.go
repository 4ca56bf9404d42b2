package cli

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry/demo"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
	"github.com/card-catalog/card-catalog/ui/systemtest"
)

// TestMain keeps the commands' cache out of the person's: each test that
// wants one of its own gets it from isolate.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "card-catalog-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// isolate points every credential source at empty places of the test's own.
func isolate(t *testing.T) (dockerDir string) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, ".cache"))
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	t.Setenv("REGISTRY_AUTH_FILE", "")
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(home, "no-bus"))
	dockerDir = filepath.Join(home, ".docker")
	os.MkdirAll(dockerDir, 0o700)
	t.Setenv("DOCKER_CONFIG", dockerDir)
	return dockerDir
}

// runWith runs a command with stdin.
func runWith(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runWith(t, "", args...)
}

func serve(t *testing.T, cfg rt.Config) *rt.Server {
	s, err := rt.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func TestCatalogAndTagsCommands(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{Repositories: rt.Names(2500, "team"), MaxPage: 1000})
	code, out, errs := run(t, "catalog", "--plain-http", s.Registry.Host)
	if lines := strings.Split(strings.TrimSpace(out), "\n"); code != 0 || len(lines) != 2500 || errs != "" {
		t.Fatalf("exit %d, %d lines, stderr %q", code, len(lines), errs)
	}
	code, out, _ = run(t, "tags", "--plain-http", s.Registry.Host+"/library/python")
	if code != 0 || out != "3.11\n3.12\n3.13\nlatest\n" {
		t.Errorf("exit %d: %q", code, out)
	}
}

func TestInspectCommand(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{})
	code, out, errs := run(t, "inspect", "--plain-http", s.Registry.Host+"/library/python:3.12")
	var idx struct {
		Reference, Digest, MediaType string
		Size                         int64
		Platforms                    []struct{ OS, Architecture, Variant, Digest string }
	}
	if err := json.Unmarshal([]byte(out), &idx); code != 0 || err != nil {
		t.Fatalf("exit %d, %v: %s %s", code, err, out, errs)
	}
	if !strings.HasPrefix(idx.Digest, "sha256:") || idx.MediaType != "application/vnd.oci.image.index.v1+json" || len(idx.Platforms) < 3 || idx.Platforms[1].Variant != "v8" {
		t.Errorf("%+v", idx)
	}
	code, out, _ = run(t, "inspect", "--plain-http", s.Registry.Host+"/team-a/ledger:latest")
	var img struct {
		Layers []struct {
			Digest, MediaType string
			Size              int64
		}
		Config struct {
			Config struct {
				Env, Entrypoint []string
				WorkingDir      string
				ExposedPorts    map[string]any
			} `json:"config"`
			History []any `json:"history"`
		}
	}
	if err := json.Unmarshal([]byte(out), &img); code != 0 || err != nil || len(img.Layers) != 2 || img.Layers[0].Size == 0 ||
		len(img.Config.Config.Env) == 0 || img.Config.Config.WorkingDir == "" || len(img.Config.History) < 4 {
		t.Errorf("exit %d, %v: %s", code, err, out)
	}
}

func TestCommandErrorsAreOneLine(t *testing.T) {
	isolate(t)
	hub := serve(t, rt.HubConfig(nil))
	cases := []struct {
		args []string
		code int
		say  string
	}{
		{[]string{"catalog", "--plain-http", "127.0.0.1:1"}, 1, "registry not reachable"},
		{[]string{"catalog", hub.Registry.Host}, 1, "speaks plain HTTP, not HTTPS; if the network to it is yours, give --plain-http"},
		{[]string{"catalog", "--plain-http", hub.Registry.Host}, 1, "does not list its repositories"},
		{[]string{"tags", "--plain-http", hub.Registry.Host + "/no/such"}, 1, "not found"},
		{[]string{"inspect", "--plain-http", "UPPER/Case:bad:ref"}, 2, "not a valid"},
		{[]string{"catalog"}, 2, "expected flags, then one argument"},
		{[]string{"frobnicate", "x"}, 2, "unknown command"},
	}
	for _, tc := range cases {
		code, _, errs := run(t, tc.args...)
		first := strings.SplitN(errs, "\n", 2)[0]
		if code != tc.code || !strings.Contains(first, tc.say) || tc.say != "registry not reachable" && strings.Contains(first, "not reachable") {
			t.Errorf("%v: exit %d, stderr %q", tc.args, code, errs)
		}
	}
}

func TestVerboseLogRedactsSecrets(t *testing.T) {
	dockerDir := isolate(t)
	s := serve(t, rt.Config{Default: rt.Basic, Repos: map[string]rt.Auth{"library/node": rt.Bearer}, Users: map[string]string{"alice": "hunter2-secret"}})
	auth := base64.StdEncoding.EncodeToString([]byte("alice:hunter2-secret"))
	os.WriteFile(filepath.Join(dockerDir, "config.json"), []byte(`{"auths":{"`+s.Registry.Host+`":{"auth":"`+auth+`"}}}`), 0o600)
	for _, r := range []string{"/library/python", "/library/node"} {
		code, out, errs := run(t, "tags", "-v", "--plain-http", s.Registry.Host+r)
		if code != 0 || out == "" {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if strings.Contains(errs, "hunter2") || strings.Contains(errs, auth) {
			t.Fatalf("the log holds the secret:\n%s", errs)
		}
		for _, want := range []string{"method=GET", "status=401", "status=200", `url="http://`, "auth=Basic"} {
			if !strings.Contains(errs, want) {
				t.Errorf("the log lacks %q:\n%s", want, errs)
			}
		}
	}
}

// TLS is verified unless the registry is marked insecure.
func TestInsecureSkipsVerificationOnlyWhenAsked(t *testing.T) {
	isolate(t)
	h, err := demo.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(h)
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "https://")
	code, _, errs := run(t, "catalog", host)
	if code != 1 || !strings.Contains(errs, "certificate") {
		t.Errorf("self-signed certificate accepted: exit %d, %q", code, errs)
	}
	code, out, errs := run(t, "catalog", "--insecure", host)
	if code != 0 || strings.Count(out, "\n") != 40 {
		t.Errorf("--insecure: exit %d, %q", code, errs)
	}
}

// The commands against each kind of test server, with the login in Docker's
// config.
func TestCommandsAgainstEveryServerKind(t *testing.T) {
	users := map[string]string{"alice": "pw", "acme+robot": "tok"}
	kinds := map[string]rt.Config{
		"per-repository": {Repos: map[string]rt.Auth{"library/python": rt.Basic, "team-a/web": rt.Bearer}, Users: users},
		"hub-like":       rt.HubConfig(users),
		"ghcr-like":      rt.GHCRConfig(users, time.Second),
		"quay-like":      rt.QuayConfig(users),
	}
	for kind, cfg := range kinds {
		t.Run(kind, func(t *testing.T) {
			dockerDir := isolate(t)
			s := serve(t, cfg)
			user := "alice"
			if kind == "quay-like" {
				user = "acme+robot"
			}
			auth := base64.StdEncoding.EncodeToString([]byte(user + ":" + users[user]))
			os.WriteFile(filepath.Join(dockerDir, "config.json"), []byte(`{"auths":{"`+s.Registry.Host+`":{"auth":"`+auth+`"}}}`), 0o600)
			code, out, errs := run(t, "catalog", "--plain-http", s.Registry.Host)
			if kind == "hub-like" {
				if code != 1 || !strings.Contains(errs, "does not list its repositories") {
					t.Errorf("catalog: exit %d %q", code, errs)
				}
			} else if code != 0 || strings.Count(out, "\n") != 40 {
				t.Errorf("catalog: exit %d, %d lines, %q", code, strings.Count(out, "\n"), errs)
			}
			for _, r := range []string{"library/python", "team-a/web"} {
				if code, out, errs := run(t, "tags", "--plain-http", s.Registry.Host+"/"+r); code != 0 || out == "" {
					t.Errorf("tags %s: exit %d %q", r, code, errs)
				}
				if code, out, errs := run(t, "inspect", "--plain-http", s.Registry.Host+"/"+r+":latest"); code != 0 || !strings.Contains(out, `"digest": "sha256:`) {
					t.Errorf("inspect %s: exit %d %q", r, code, errs)
				}
			}
		})
	}
}

// TestTheCatalogCommandListsAsTheWindowDoes: a script gets the list the
// window shows for a registry: a GitLab project's repositories, from the
// window's entry or --project; a Docker Hub namespace, the login's or
// --namespace.
func TestTheCatalogCommandListsAsTheWindowDoes(t *testing.T) {
	dockerDir := isolate(t)
	gitlab := serve(t, rt.GitLabConfig(map[string]string{"alice": "glpat-1"}, &rt.GitLab{
		Projects: map[string][]string{"team-a": {"team-a/ledger", "team-a/web"}}, Tokens: map[string]bool{"glpat-1": true}}))
	hub := rt.StartHubAPI(map[string][]string{"library": {"node", "python"}, "alice": {"tools"}})
	t.Cleanup(hub.Close)
	hubRegistry := serve(t, rt.Config{})
	login := func(user, password string) string {
		return `{"auth":"` + base64.StdEncoding.EncodeToString([]byte(user+":"+password)) + `"}`
	}
	os.WriteFile(filepath.Join(dockerDir, "config.json"), []byte(`{"auths":{"`+gitlab.Registry.Host+`":`+login("alice", "glpat-1")+
		`,"`+hubRegistry.Registry.Host+`":`+login("alice", "pw")+`}}`), 0o600)
	gitlabEntry := settings.Entry{ID: gitlab.Registry.Host, Name: "GitLab", Address: gitlab.Registry.Host, PlainHTTP: true,
		Kind: kinds.GitLab, Project: "team-a", GitLabAPI: "http://" + gitlab.Registry.Host}
	hubEntry := settings.Entry{ID: hubRegistry.Registry.Host, Name: "Hub", Address: hubRegistry.Registry.Host, PlainHTTP: true,
		HubAPI: "http://" + hub.Registry.Host}
	catalog := func(args ...string) string {
		t.Helper()
		code, out, errs := run(t, append([]string{"catalog", "--plain-http"}, args...)...)
		if code != 0 {
			t.Fatalf("catalog %v: exit %d: %s", args, code, errs)
		}
		return out
	}

	systemtest.WritePreferences(t, os.Getenv("XDG_CONFIG_HOME"), settings.Settings{Registries: []settings.Entry{gitlabEntry, hubEntry}})
	if out := catalog(gitlab.Registry.Host); out != "team-a/ledger\nteam-a/web\n" {
		t.Errorf("the window's GitLab project: %q", out)
	}
	if out := catalog(hubRegistry.Registry.Host); out != "alice/tools\n" {
		t.Errorf("the signed-in user's Hub namespace: %q", out)
	}
	if out := catalog("--namespace", "library", hubRegistry.Registry.Host); out != "library/node\nlibrary/python\n" {
		t.Errorf("--namespace library: %q", out)
	}
	if code, _, errs := run(t, "catalog", "--plain-http", "--namespace", "library", gitlab.Registry.Host); code != 2 || !strings.Contains(errs, "not Docker Hub") {
		t.Errorf("--namespace on GitLab: exit %d %q", code, errs)
	}

	// An entry of no kind and no project: --project says it is GitLab's.
	gitlabEntry.Kind, gitlabEntry.Project = "", ""
	systemtest.WritePreferences(t, os.Getenv("XDG_CONFIG_HOME"), settings.Settings{Registries: []settings.Entry{gitlabEntry}})
	if code, _, errs := run(t, "catalog", "--plain-http", gitlab.Registry.Host); code != 1 || !strings.Contains(errs, "does not list its repositories") {
		t.Errorf("GitLab without a project: exit %d %q", code, errs)
	}
	if out := catalog("--project", "team-a", gitlab.Registry.Host); out != "team-a/ledger\nteam-a/web\n" {
		t.Errorf("--project team-a: %q", out)
	}
}

// TestEveryFlagSaysWhatItDoes: the usage is made from the flags, and each
// flag a command takes has its words there, under the command's line too.
func TestEveryFlagSaysWhatItDoes(t *testing.T) {
	text := usage()
	flat := strings.Join(strings.Fields(text), " ")
	for _, cmd := range commands {
		line := text[strings.Index(text, "\n  "+cmd.name+" "):]
		line = line[:strings.Index(line[1:], "\n")+1]
		cmd.flagSet(&commandEnv{}).VisitAll(func(f *flag.Flag) {
			if f.Usage == "" {
				t.Errorf("%s -%s has no usage", cmd.name, f.Name)
			}
			_, words := flag.UnquoteUsage(f)
			if !strings.Contains(line, "-"+f.Name) || !strings.Contains(flat, strings.Join(strings.Fields(words), " ")) {
				t.Errorf("%s -%s is not in the usage", cmd.name, f.Name)
			}
		})
		if !strings.HasSuffix(strings.TrimSpace(line), cmd.args) {
			t.Errorf("%s's line %q does not end with its arguments", cmd.name, line)
		}
	}
}
