package credential

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// AuthFile reads logins from a Docker config.json or a Podman auth.json
// (same format): "auths" entries, and the credential helpers named by
// "credsStore" and "credHelpers". It only reads; it never writes the file.
type AuthFile struct {
	// Path is the file; a missing file has no logins.
	Path string
	// Source names the file for people: "Docker config", "Podman auth.json".
	Source string
}

type authFileContent struct {
	Auths map[string]struct {
		Auth          string `json:"auth"`
		Username      string `json:"username"`
		Password      string `json:"password"`
		IdentityToken string `json:"identitytoken"`
	} `json:"auths"`
	CredsStore  string            `json:"credsStore"`
	CredHelpers map[string]string `json:"credHelpers"`
}

// helperTimeout bounds one credential helper run (a variable for tests).
var helperTimeout = 10 * time.Second

// Credential implements Source.
func (f AuthFile) Credential(ctx context.Context, host string) (Credential, bool, error) {
	raw, err := os.ReadFile(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return Credential{}, false, nil
	}
	if err != nil {
		return Credential{}, false, fmt.Errorf("reading %s: %w", f.Path, err)
	}
	var content authFileContent
	if err := json.Unmarshal(raw, &content); err != nil {
		return Credential{}, false, fmt.Errorf("reading %s: not valid JSON: %w", f.Path, err)
	}
	host = canonical(host)
	for key, helper := range content.CredHelpers {
		if authFileHost(key) == host {
			return runHelper(ctx, helper, serverURL(host), f.Path)
		}
	}
	if content.CredsStore != "" {
		cred, ok, err := runHelper(ctx, content.CredsStore, serverURL(host), f.Path)
		if err != nil || ok {
			return cred, ok, err
		}
	}
	for key, a := range content.Auths {
		if authFileHost(key) != host {
			continue
		}
		cred := Credential{Username: a.Username, Password: a.Password, IdentityToken: a.IdentityToken, Source: f.Source}
		if a.Auth != "" {
			dec, err := base64.StdEncoding.DecodeString(a.Auth)
			if err != nil {
				return Credential{}, false, fmt.Errorf("reading %s: the login for %s is not base64", f.Path, key)
			}
			cred.Username, cred.Password, _ = strings.Cut(string(dec), ":")
		}
		if cred.Empty() {
			continue
		}
		return cred, true, nil
	}
	return Credential{}, false, nil
}

// authFileHost reads a key of "auths" ("https://index.docker.io/v1/",
// "ghcr.io", "http://localhost:5000") as a host.
func authFileHost(key string) string {
	if _, rest, ok := strings.Cut(key, "://"); ok {
		key = rest
	}
	key, _, _ = strings.Cut(key, "/")
	return canonical(key)
}

// serverURL is what helpers are asked for: Docker Hub keeps its historical key.
func serverURL(host string) string {
	if host == dockerHub {
		return "https://index.docker.io/v1/"
	}
	return host
}

// LoginSourceError says that a place logins come from could not be read: a
// docker-credential-* helper that a config names is missing, hung or
// answered nonsense, or the OS keychain did not answer. It is not a
// network error: the registry is asked anonymously instead, with a
// warning.
type LoginSourceError struct {
	// Source is the program or store: "docker-credential-ecr-login",
	// "the OS keychain". File is the config that names a helper.
	Source, File string
	// Problem is what went wrong: "is not installed", ...
	Problem string
}

func (e *LoginSourceError) Error() string {
	if e.File != "" {
		return fmt.Sprintf("%s (named in %s) %s", e.Source, e.File, e.Problem)
	}
	return e.Source + " " + e.Problem
}

// Short leaves out the file: "docker-credential-x is not installed".
func (e *LoginSourceError) Short() string { return e.Source + " " + e.Problem }

// helperPrefix starts the name of every credential helper program.
const helperPrefix = "docker-credential-"

// runHelper speaks the docker-credential-helpers protocol: "get" with the
// server URL on stdin, JSON {Username, Secret} on stdout. A helper gets
// helperTimeout, and what it started is not waited on past that.
func runHelper(ctx context.Context, helper, server, file string) (Credential, bool, error) {
	name := helperPrefix + helper
	fail := func(problem string) (Credential, bool, error) {
		return Credential{}, false, &LoginSourceError{Source: name, File: file, Problem: problem}
	}
	ctx, cancel := context.WithTimeout(ctx, helperTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, "get")
	cmd.Stdin = strings.NewReader(server)
	// A helper that leaves a child holding its output open must not hold
	// us: once it is killed, its pipes are closed after this grace.
	cmd.WaitDelay = time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stdout.String() + " " + stderr.String())
		switch {
		case strings.Contains(strings.ToLower(msg), "credentials not found"):
			return Credential{}, false, nil
		case errors.Is(err, exec.ErrNotFound):
			return fail("is not installed")
		case ctx.Err() != nil:
			return fail(fmt.Sprintf("did not answer within %s", helperTimeout))
		}
		return fail(fmt.Sprintf("failed (%v)", err)) // its output may hold secrets: not shown
	}
	var out struct {
		Username, Secret string
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return fail("answered something other than JSON")
	}
	cred := Credential{Username: out.Username, Password: out.Secret, Source: name}
	if out.Username == "<token>" {
		cred.Password, cred.IdentityToken = "", out.Secret
	}
	return cred, !cred.Empty(), nil
}

// DockerConfig is Docker's config.json: $DOCKER_CONFIG/config.json, else
// ~/.docker/config.json.
func DockerConfig() AuthFile {
	dir := os.Getenv("DOCKER_CONFIG")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".docker")
	}
	return AuthFile{Path: filepath.Join(dir, "config.json"), Source: "Docker config"}
}

// PodmanAuth lists Podman's auth files in the order Podman reads them:
// $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json,
// ~/.config/containers/auth.json.
func PodmanAuth() Chain {
	var out Chain
	if p := os.Getenv("REGISTRY_AUTH_FILE"); p != "" {
		out = append(out, AuthFile{Path: p, Source: "Podman auth.json"})
	}
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		out = append(out, AuthFile{Path: filepath.Join(d, "containers", "auth.json"), Source: "Podman auth.json"})
	}
	if d, err := os.UserConfigDir(); err == nil {
		out = append(out, AuthFile{Path: filepath.Join(d, "containers", "auth.json"), Source: "Podman auth.json"})
	}
	return out
}

// Helper asks one docker-credential-* helper for the logins of the hosts
// it is made for (ecr-login for *.dkr.ecr.*.amazonaws.com), without any
// config naming it: a helper that is installed is used. One that is not
// installed has no logins; that is no error.
type Helper struct {
	// Name is the helper without its prefix: "ecr-login", "gcloud".
	Name string
	// For reports whether the helper serves host.
	For func(host string) bool
}

// Program is the helper's program name: "docker-credential-ecr-login".
func (h Helper) Program() string { return helperPrefix + h.Name }

// Installed reports whether the helper's program is on PATH.
func (h Helper) Installed() bool {
	_, err := exec.LookPath(h.Program())
	return err == nil
}

// Credential implements Source.
func (h Helper) Credential(ctx context.Context, host string) (Credential, bool, error) {
	if h.For == nil || !h.For(canonical(host)) {
		return Credential{}, false, nil
	}
	return h.Ask(ctx, host)
}

// Ask runs the helper for host whatever For says; a helper that is not
// installed has no login.
func (h Helper) Ask(ctx context.Context, host string) (Credential, bool, error) {
	if !h.Installed() {
		return Credential{}, false, nil
	}
	return runHelper(ctx, h.Name, serverURL(canonical(host)), "")
}
