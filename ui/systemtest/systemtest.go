// Package systemtest runs the real program as a person does: built once,
// its window opened under Xvfb, driven with xdotool and looked at in
// screenshots, its memory and CPU read from /proc; and the helpers the
// peer benchmarks share with it.
package systemtest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/card-catalog/card-catalog/app/settings"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// module is the program's import path: what BuildBinary builds, from
// whichever package's folder a test runs in.
const module = "github.com/card-catalog/card-catalog"

// BuildTags are the release build's tags (the Makefile's TAGS).
const BuildTags = "migrated_fynedo,no_emoji,no_animations"

var (
	binaryOnce sync.Once
	binaryPath string
	binaryErr  error
)

// BuildBinary builds the real binary once for the tests of this process;
// CARD_CATALOG_BINARY names one built elsewhere instead (make test builds
// it first; make test-release gives the installed package's).
func BuildBinary(t testing.TB) string {
	t.Helper()
	if built := os.Getenv("CARD_CATALOG_BINARY"); built != "" {
		// The stat also tells go test's cache to run the tests again
		// when the binary changes.
		if _, err := os.Stat(built); err != nil {
			t.Fatalf("CARD_CATALOG_BINARY: %v", err)
		}
		return built
	}
	binaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "card-catalog-bin")
		if err != nil {
			binaryErr = err
			return
		}
		binaryPath = filepath.Join(dir, "card-catalog")
		if out, err := exec.Command("go", "build", "-tags", BuildTags, "-o", binaryPath, module).CombinedOutput(); err != nil {
			binaryErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if binaryErr != nil {
		t.Fatal(binaryErr)
	}
	return binaryPath
}

// StartApp starts the app and stops it when the test ends; the channel
// reports if it exits first.
func StartApp(t testing.TB, cmd *exec.Cmd) chan error {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	done := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		exited <- err
		done <- err
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})
	return exited
}

// The screen of StartXvfb's X server.
const ScreenWidth, ScreenHeight = 1280, 800

// StartXvfb starts a private X server and returns its DISPLAY.
func StartXvfb(t testing.TB) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	xvfb := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", ScreenWidth, ScreenHeight), "-nolisten", "tcp")
	xvfb.ExtraFiles = []*os.File{w}
	if err := xvfb.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { xvfb.Process.Kill(); xvfb.Wait() })
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case n := <-line:
		if n == "" {
			t.Fatal("Xvfb did not start")
		}
		return ":" + n
	case <-time.After(rt.Patience):
		t.Fatal("Xvfb did not start")
	}
	return ""
}

// WaitFor polls check until it holds, failing if the app exits or rt.Patience
// runs out.
func WaitFor(t testing.TB, exited chan error, logPath, what string, check func() (string, bool)) string {
	t.Helper()
	deadline := time.Now().Add(rt.Patience)
	for time.Now().Before(deadline) {
		if v, ok := check(); ok {
			return v
		}
		select {
		case err := <-exited:
			t.Fatalf("the app exited before %s: %v\n%s", what, err, ReadFile(logPath))
		case <-time.After(200 * time.Millisecond):
		}
	}
	t.Fatalf("still waiting for %s after %s\n%s", what, rt.Patience, ReadFile(logPath))
	return ""
}

// Undrawn says what is wrong with a screenshot of the window, or "" when
// it is window-sized and shows more than a blank fill: cards, text and the
// sidebar make many colours.
func Undrawn(t testing.TB, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() < 800 || b.Dy() < 500 {
		return fmt.Sprintf("the window is %dx%d", b.Dx(), b.Dy())
	}
	colours := map[uint32]bool{}
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[(r>>8)<<16|(g>>8)<<8|bl>>8] = true
		}
	}
	if len(colours) < 50 {
		return fmt.Sprintf("the window looks blank: %d colours", len(colours))
	}
	return ""
}

// WaitForCards waits for the window and its first cards, and returns the
// window's X id.
func WaitForCards(t testing.TB, exited chan error, logPath, display string) string {
	t.Helper()
	window := WaitFor(t, exited, logPath, "the window", func() (string, bool) {
		id := strings.Split(Xdotool(display, "search", "--name", "^Card Catalog$"), "\n")[0]
		return id, id != ""
	})
	WaitFor(t, exited, logPath, "the first cards", func() (string, bool) {
		b, _ := os.ReadFile(logPath)
		return "", bytes.Contains(b, []byte("first cards shown"))
	})
	return window
}

// Xdotool runs xdotool on an X display and returns what it printed.
func Xdotool(display string, args ...string) string {
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, _ := cmd.Output()
	return strings.TrimSpace(string(out))
}

func ReadFile(p string) string {
	b, _ := os.ReadFile(p)
	return string(b)
}

// Quit presses Ctrl+Q in window (with window "", in whichever has the
// focus) until the app exits. Beside two CPU hogs Xvfb now and again lost
// the key (one run of three), and a second Ctrl+Q to an app already
// quitting does no harm.
func Quit(t testing.TB, display, window string, exited chan error, logPath string) {
	t.Helper()
	press := []string{"key", "ctrl+q"}
	if window != "" {
		press = []string{"key", "--window", window, "ctrl+q"}
	}
	gaveUp := time.After(rt.Patience)
	for {
		Xdotool(display, press...)
		select {
		case <-exited:
			return
		case <-time.After(5 * time.Second):
		case <-gaveUp:
			t.Fatalf("Ctrl+Q did not quit\n%s", ReadFile(logPath))
		}
	}
}

// CPUTime reads the user and system CPU time a process has used.
func CPUTime(t testing.TB, pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		t.Fatal(err)
	}
	// The fields after the command name, which is in parentheses.
	fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's times: 100 on every
// Linux architecture Go supports.
const clockTicks = 100

// ResidentBytes reads VmRSS of a process.
func ResidentBytes(t testing.TB, pid int) int64 {
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

// WritePreferences writes the window's settings where Fyne keeps them under
// a config directory (~/.config), and returns the file's path.
func WritePreferences(t testing.TB, configDir string, s settings.Settings) string {
	prefs := settings.MemoryPrefs{}
	settings.Save(prefs, s)
	dir := filepath.Join(configDir, "fyne", settings.AppID)
	os.MkdirAll(dir, 0o700)
	raw, _ := json.Marshal(map[string]string(prefs))
	path := filepath.Join(dir, "preferences.json")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
