package main

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// TestSmokeRealWindow starts the real binary under Xvfb with an empty home
// directory, waits for the window titled "Card Catalog" and the first demo
// cards, takes a screenshot and checks that the window is drawn and the app
// still runs. SMOKE_SHOT=path keeps the screenshot.
func TestSmokeRealWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real window")
	}
	for _, tool := range []string{"Xvfb", "xdotool", "xwd", "convert"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: run `make deps`", tool)
		}
	}
	dir := t.TempDir()
	bin := buildBinary(t)
	display := startXvfb(t)

	home := filepath.Join(dir, "home")
	os.MkdirAll(home, 0o700)
	logPath := filepath.Join(dir, "app.log")
	logFile, _ := os.Create(logPath)
	defer logFile.Close()
	cmd := exec.Command(bin)
	cmd.Env = []string{"HOME=" + home, "DISPLAY=" + display, "LANG=en_US.UTF-8", "PATH=" + os.Getenv("PATH"),
		"XDG_RUNTIME_DIR=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config")}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	exited := startApp(t, cmd)

	window := waitForCards(t, exited, logPath, display)

	// The frame with the cards reaches the screen a moment after the log
	// says they are shown: screenshots until one shows them.
	shot := filepath.Join(dir, "window.png")
	waitFor(t, exited, logPath, "the window drawn", func() (string, bool) {
		xwd := exec.Command("sh", "-c", `xwd -silent -id "$0" | convert xwd:- png:"$1"`, window, shot)
		xwd.Env = append(os.Environ(), "DISPLAY="+display)
		if out, err := xwd.CombinedOutput(); err != nil {
			t.Fatalf("screenshot: %v\n%s", err, out)
		}
		return "", undrawn(t, shot) == ""
	})
	select {
	case err := <-exited:
		t.Fatalf("the app exited: %v\n%s", err, readFile(logPath))
	default:
	}
	if keep := os.Getenv("SMOKE_SHOT"); keep != "" {
		b, _ := os.ReadFile(shot)
		if err := os.WriteFile(keep, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// buildTags are the release build's tags (the Makefile's TAGS).
const buildTags = "migrated_fynedo,no_emoji,no_animations"

var (
	binaryOnce sync.Once
	binaryPath string
	binaryErr  error
)

// buildBinary builds the real binary once for the tests of this process;
// CARD_CATALOG_BINARY names one built elsewhere instead (the installed
// package, for make test-release).
func buildBinary(t testing.TB) string {
	t.Helper()
	if installed := os.Getenv("CARD_CATALOG_BINARY"); installed != "" {
		return installed
	}
	binaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "card-catalog-bin")
		if err != nil {
			binaryErr = err
			return
		}
		binaryPath = filepath.Join(dir, "card-catalog")
		if out, err := exec.Command("go", "build", "-tags", buildTags, "-o", binaryPath, ".").CombinedOutput(); err != nil {
			binaryErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if binaryErr != nil {
		t.Fatal(binaryErr)
	}
	return binaryPath
}

// startApp starts the app and stops it when the test ends; the channel
// reports if it exits first.
func startApp(t testing.TB, cmd *exec.Cmd) chan error {
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

// The screen of startXvfb's X server.
const screenWidth, screenHeight = 1280, 800

// startXvfb starts a private X server and returns its DISPLAY.
func startXvfb(t testing.TB) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	xvfb := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", screenWidth, screenHeight), "-nolisten", "tcp")
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

// waitFor polls check until it holds, failing if the app exits or rt.Patience
// runs out.
func waitFor(t *testing.T, exited chan error, logPath, what string, check func() (string, bool)) string {
	t.Helper()
	deadline := time.Now().Add(rt.Patience)
	for time.Now().Before(deadline) {
		if v, ok := check(); ok {
			return v
		}
		select {
		case err := <-exited:
			t.Fatalf("the app exited before %s: %v\n%s", what, err, readFile(logPath))
		case <-time.After(200 * time.Millisecond):
		}
	}
	t.Fatalf("no %s after %s\n%s", what, rt.Patience, readFile(logPath))
	return ""
}

// undrawn says what is wrong with a screenshot of the window, or "" when
// it is window-sized and shows more than a blank fill: cards, text and the
// sidebar make many colours.
func undrawn(t *testing.T, path string) string {
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

// waitForCards waits for the window and its first cards, and returns the
// window's X id.
func waitForCards(t *testing.T, exited chan error, logPath, display string) string {
	t.Helper()
	window := waitFor(t, exited, logPath, "the window", func() (string, bool) {
		id := strings.Split(xdotool(display, "search", "--name", "^Card Catalog$"), "\n")[0]
		return id, id != ""
	})
	waitFor(t, exited, logPath, "the first cards", func() (string, bool) {
		b, _ := os.ReadFile(logPath)
		return "", bytes.Contains(b, []byte("first cards shown"))
	})
	return window
}

// xdotool runs xdotool on an X display and returns what it printed.
func xdotool(display string, args ...string) string {
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, _ := cmd.Output()
	return strings.TrimSpace(string(out))
}

func readFile(p string) string {
	b, _ := os.ReadFile(p)
	return string(b)
}

// TestWindowPlaceIsRemembered moves the real window, quits with Ctrl+Q,
// starts again and finds it where it was (X11; Xvfb has no window manager
// to adjust it).
func TestWindowPlaceIsRemembered(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real window")
	}
	bin := buildBinary(t)
	display := startXvfb(t)
	home := t.TempDir()
	xdotool := func(args ...string) string { return xdotool(display, args...) }
	start := func() (string, chan error, string) {
		for attempt := 1; ; attempt++ {
			logPath := filepath.Join(t.TempDir(), "app.log")
			logFile, _ := os.Create(logPath)
			cmd := exec.Command(bin)
			cmd.Env = []string{"HOME=" + home, "DISPLAY=" + display, "LANG=en_US.UTF-8", "PATH=" + os.Getenv("PATH"),
				"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent"}
			cmd.Stdout, cmd.Stderr = logFile, logFile
			exited := startApp(t, cmd)
			if attempt < 3 && metServerReset(exited, logPath, display) {
				continue
			}
			return waitForCards(t, exited, logPath, display), exited, logPath
		}
	}
	window, exited, logPath := start()
	xdotool("windowmove", window, "210", "130")
	at := func(place string) func() (string, bool) {
		return func() (string, bool) { p := windowPlace(display, window); return p, p == place }
	}
	waitFor(t, exited, logPath, "the window at 210,130", at("210,130"))
	xdotool("key", "--window", window, "ctrl+q")
	waitForExit(t, exited, logPath)
	prefsPath := filepath.Join(home, ".config", "fyne", appID, "preferences.json")
	if prefs := readFile(prefsPath); !strings.Contains(prefs, `\"windowX\":210,\"windowY\":130,\"windowPlaced\":true`) {
		t.Fatalf("the place was not kept: %s", prefs)
	}
	window, exited, logPath = start()
	waitFor(t, exited, logPath, "the window back at 210,130", at("210,130"))

	// A place on no screen (a monitor since unplugged) is not restored.
	xdotool("key", "--window", window, "ctrl+q")
	waitForExit(t, exited, logPath)
	keepPlaceAtX(t, prefsPath, 3000)
	window, _, _ = start()
	time.Sleep(time.Second)
	if p := windowPlace(display, window); !onScreen(p) {
		t.Errorf("the window was put off the %dx%d screen: at %q", screenWidth, screenHeight, p)
	}
}

// metServerReset tells whether the app just started failed to open the
// display because Xvfb was resetting: it resets when its last client leaves
// (the app that quit, an xdotool call), and a client that connects then is
// refused. The server's -noreset would avoid it, but leaves its input state
// from one app to the next, and then a Ctrl+Q sent later was lost now and
// again under load. Otherwise it waits until the window is up.
func metServerReset(exited chan error, logPath, display string) bool {
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		if xdotool(display, "search", "--name", "^Card Catalog$") != "" {
			return false
		}
		select {
		case err := <-exited:
			exited <- err // for the caller's wait to see
			return strings.Contains(readFile(logPath), "Failed to open display")
		case <-time.After(100 * time.Millisecond):
		}
	}
	return false
}

// windowPlace is where xdotool finds a window: "x,y".
func windowPlace(display, window string) string {
	_, place, _ := strings.Cut(xdotool(display, "getwindowgeometry", window), "Position: ")
	return strings.Fields(place + " ")[0]
}

// onScreen tells whether a place ("x,y") is on startXvfb's screen.
func onScreen(place string) bool {
	var x, y int
	_, err := fmt.Sscanf(place, "%d,%d", &x, &y)
	return err == nil && x < screenWidth && y < screenHeight
}

// waitForExit waits for the app to quit (after Ctrl+Q).
func waitForExit(t *testing.T, exited chan error, logPath string) {
	t.Helper()
	select {
	case <-exited:
	case <-time.After(rt.Patience):
		t.Fatalf("Ctrl+Q did not quit\n%s", readFile(logPath))
	}
}

// keepPlaceAtX rewrites the window's kept x in a preferences file.
func keepPlaceAtX(t *testing.T, prefsPath string, x int) {
	t.Helper()
	prefs := readFile(prefsPath)
	keptX := regexp.MustCompile(`\\"windowX\\":-?\d+`)
	if !keptX.MatchString(prefs) {
		t.Fatalf("no kept place in %s", prefs)
	}
	moved := keptX.ReplaceAllString(prefs, fmt.Sprintf(`\"windowX\":%d`, x))
	if err := os.WriteFile(prefsPath, []byte(moved), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestWithoutADisplayTheWindowSaysSo(t *testing.T) {
	cmd := exec.Command(buildBinary(t))
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.HasPrefix(string(out), "card-catalog: there is no display") || strings.Contains(string(out), "panic") ||
		!strings.Contains(string(out), "headless commands work without one") {
		t.Errorf("%v: %s", err, out)
	}
}
