package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/card-catalog/card-catalog/app/settings"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
	"github.com/card-catalog/card-catalog/ui/systemtest"
)

// TestCommandsAnswerOfflineFromTheCache: what the commands read online
// they answer with --offline once the registry is gone, with the same
// standard output and a note on stderr; what was never fetched fails;
// --no-cache neither reads nor fills the cache.
func TestCommandsAnswerOfflineFromTheCache(t *testing.T) {
	isolate(t)
	s, err := rt.Start(rt.Config{})
	if err != nil {
		t.Fatal(err)
	}
	host := s.Registry.Host
	web := host + "/team-a/web:latest"
	commands := [][]string{
		{"catalog", "--plain-http", host},
		{"tags", "--plain-http", host + "/library/python"},
		{"inspect", "--plain-http", host + "/library/python:3.12"},
		{"files", "--plain-http", web},
		{"diff", "--plain-http", host + "/library/python:3.12", host + "/library/python:3.13"},
	}
	online := map[string]string{}
	for _, args := range commands {
		code, out, errs := run(t, args...)
		if code > 1 || errs != "" {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		online[args[0]] = out
	}
	// --no-cache leaves nothing behind.
	cacheDir := filepath.Join(os.Getenv("XDG_CACHE_HOME"), "card-catalog")
	before := filesUnder(cacheDir)
	if code, _, errs := run(t, "tags", "--plain-http", "--no-cache", host+"/team-a/web"); code != 0 {
		t.Fatalf("--no-cache: %s", errs)
	}
	if after := filesUnder(cacheDir); after != before {
		t.Errorf("--no-cache wrote %d entries", after-before)
	}
	s.Close()

	for _, args := range commands {
		offline := append([]string{args[0], "--offline"}, args[1:]...)
		code, out, errs := run(t, offline...)
		if code > 1 || out != online[args[0]] {
			t.Errorf("%v: exit %d, stdout differs from online (%d against %d bytes): %s", offline, code, len(out), len(online[args[0]]), errs)
		}
		if !strings.Contains(errs, "offline: from this computer's copy, as of just now") && args[0] != "files" && args[0] != "diff" {
			t.Errorf("%v: stderr %q", offline, errs)
		}
	}
	// Never fetched: a clear error and a non-zero exit.
	for _, args := range [][]string{
		{"tags", "--offline", "--plain-http", host + "/team-a/web"},
		{"inspect", "--offline", "--plain-http", host + "/library/python:3.11"},
		{"cat", "--offline", "--plain-http", web, "/etc/os-release"},
	} {
		code, out, errs := run(t, args...)
		if code == 0 || out != "" || !strings.Contains(errs, "never fetched on this computer") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	// Without --offline the registry is asked first, and the copy answers.
	if code, out, errs := run(t, "tags", "--plain-http", host+"/library/python"); code != 0 || out != online["tags"] ||
		!strings.Contains(errs, "the registry could not be asked") {
		t.Errorf("online fallback: exit %d %q %q", code, out, errs)
	}
	if code, _, errs := run(t, "tags", "--offline", "--no-cache", host+"/library/python"); code != 2 || !strings.Contains(errs, "give one of them") {
		t.Errorf("both flags: %d %q", code, errs)
	}
}

func filesUnder(dir string) int {
	n := 0
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// TestCommandsFollowTheWindowsKeepSwitch: a registry the window keeps no
// copy of is not written to by a command either.
func TestCommandsFollowTheWindowsKeepSwitch(t *testing.T) {
	isolate(t)
	s := serve(t, rt.Config{})
	prefsPath := systemtest.WritePreferences(t, os.Getenv("XDG_CONFIG_HOME"), settings.Settings{Registries: []settings.Entry{{ID: "r", Name: "R", Address: s.Registry.Host, PlainHTTP: true, NoCache: true}}})
	cacheDir := filepath.Join(os.Getenv("XDG_CACHE_HOME"), "card-catalog")
	if code, _, errs := run(t, "tags", "--plain-http", s.Registry.Host+"/library/python"); code != 0 {
		t.Fatal(errs)
	}
	if n := filesUnder(cacheDir); n != 0 {
		t.Errorf("%d entries written for a registry the window keeps nothing of", n)
	}
	os.Remove(prefsPath)
	run(t, "tags", "--plain-http", s.Registry.Host+"/library/python")
	if n := filesUnder(cacheDir); n == 0 {
		t.Error("nothing kept with the switch on")
	}
}
