package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/card-catalog/card-catalog/app"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// The goal is under 150 MB RSS with 100,000 repositories; here it measures
// about 149 MB (make bench reports it against the goal). Under Mesa's
// software renderer (llvmpipe), the only GL on CI, a bare Fyne window with one
// label already holds about 133 MB (libLLVM's code alone is 55 MB), so a
// bound at the goal itself would fail on noise. The test holds what the app
// controls: what the repositories cost, and a ceiling that catches a
// regression (the emoji font back in, a leak).
const (
	maxCatalogCost = 30 << 20  // RSS added by 99,000 more repositories
	maxRSS100k     = 160 << 20 // the whole window under llvmpipe
)

// TestMemoryWith100kRepositories runs the real window under Xvfb against a
// registry of 100,000 repositories, waits for the whole catalog and the
// first cards, and reads the process's resident memory.
func TestMemoryWith100kRepositories(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real window")
	}
	s, err := rt.Start(rt.Config{Repositories: rt.Names(100000, "team"), MaxPage: 1000, PageDelay: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	bin := buildBinary(t)
	display := startXvfb(t)

	home := t.TempDir()
	settings := app.Settings{Registries: []app.Entry{{ID: "big", Name: "Big registry", Address: s.Registry.Host, PlainHTTP: true}}, LastSelected: "big"}
	prefs := app.MemoryPrefs{}
	app.SaveSettings(prefs, settings)
	prefsDir := filepath.Join(home, ".config", "fyne", appID)
	os.MkdirAll(prefsDir, 0o700)
	raw, _ := json.Marshal(map[string]string(prefs))
	os.WriteFile(filepath.Join(prefsDir, "preferences.json"), raw, 0o600)

	logPath := filepath.Join(home, "app.log")
	logFile, _ := os.Create(logPath)
	defer logFile.Close()
	cmd := exec.Command(bin)
	cmd.Env = []string{"HOME=" + home, "DISPLAY=" + display, "LANG=en_US.UTF-8", "PATH=" + os.Getenv("PATH"),
		"XDG_RUNTIME_DIR=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent", "GODEBUG=" + os.Getenv("GODEBUG")}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	exited := startApp(t, cmd)
	waitFor(t, exited, logPath, "the first page", func() (string, bool) {
		b, _ := os.ReadFile(logPath)
		return "", bytes.Contains(b, []byte("first cards shown"))
	})
	time.Sleep(500 * time.Millisecond) // the first cards load
	first := residentBytes(t, cmd.Process.Pid)
	waitFor(t, exited, logPath, "the whole catalog", func() (string, bool) {
		b, _ := os.ReadFile(logPath)
		return "", bytes.Contains(b, []byte(`msg="catalog loaded" registry="Big registry" repositories=100000`))
	})
	time.Sleep(3 * time.Second) // the visible cards load, the heap settles
	rss := residentBytes(t, cmd.Process.Pid)
	t.Logf("RSS with 100,000 repositories: %.1f MB (%.1f MB at the first page)", float64(rss)/(1<<20), float64(first)/(1<<20))
	if log, _ := os.ReadFile(logPath); bytes.Contains(log, []byte("\ngc ")) {
		lines := strings.Split(string(log), "\ngc ")
		t.Logf("last GC (GODEBUG=gctrace=1): gc %s", strings.SplitN(lines[len(lines)-1], "\n", 2)[0])
	}
	if rss > maxRSS100k {
		t.Errorf("RSS %.1f MB is over %d MB", float64(rss)/(1<<20), maxRSS100k>>20)
	}
	if cost := rss - first; cost > maxCatalogCost {
		t.Errorf("the catalog costs %.1f MB of RSS, over %d MB", float64(cost)/(1<<20), maxCatalogCost>>20)
	}
}

// residentBytes reads VmRSS of a process.
func residentBytes(t *testing.T, pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no VmRSS")
	return 0
}
