package systemtest

import (
	"fmt"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/card-catalog/card-catalog/app/settings"
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
	bin := BuildBinary(t)
	display := StartXvfb(t)

	home := filepath.Join(dir, "home")
	os.MkdirAll(home, 0o700)
	logPath := filepath.Join(dir, "app.log")
	logFile, _ := os.Create(logPath)
	defer logFile.Close()
	cmd := exec.Command(bin)
	cmd.Env = []string{"HOME=" + home, "DISPLAY=" + display, "LANG=en_US.UTF-8", "PATH=" + os.Getenv("PATH"),
		"XDG_RUNTIME_DIR=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config")}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	exited := StartApp(t, cmd)

	window := WaitForCards(t, exited, logPath, display)

	// The frame with the cards reaches the screen a moment after the log
	// says they are shown: screenshots until one shows them.
	shot := filepath.Join(dir, "window.png")
	WaitFor(t, exited, logPath, "the window drawn", func() (string, bool) {
		xwd := exec.Command("sh", "-c", `xwd -silent -id "$0" | convert xwd:- png:"$1"`, window, shot)
		xwd.Env = append(os.Environ(), "DISPLAY="+display)
		if out, err := xwd.CombinedOutput(); err != nil {
			t.Fatalf("screenshot: %v\n%s", err, out)
		}
		return "", Undrawn(t, shot) == ""
	})
	select {
	case err := <-exited:
		t.Fatalf("the app exited: %v\n%s", err, ReadFile(logPath))
	default:
	}
	if keep := os.Getenv("SMOKE_SHOT"); keep != "" {
		b, _ := os.ReadFile(shot)
		if err := os.WriteFile(keep, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWindowPlaceIsRemembered moves the real window, quits with Ctrl+Q,
// starts again and finds it where it was (X11; Xvfb has no window manager
// to adjust it).
func TestWindowPlaceIsRemembered(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real window")
	}
	bin := BuildBinary(t)
	display := StartXvfb(t)
	home := t.TempDir()
	xdo := func(args ...string) string { return Xdotool(display, args...) }
	start := func() (string, chan error, string) {
		for attempt := 1; ; attempt++ {
			logPath := filepath.Join(t.TempDir(), "app.log")
			logFile, _ := os.Create(logPath)
			cmd := exec.Command(bin)
			cmd.Env = []string{"HOME=" + home, "DISPLAY=" + display, "LANG=en_US.UTF-8", "PATH=" + os.Getenv("PATH"),
				"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent"}
			cmd.Stdout, cmd.Stderr = logFile, logFile
			exited := StartApp(t, cmd)
			if attempt < 3 && metServerReset(exited, logPath, display) {
				continue
			}
			return WaitForCards(t, exited, logPath, display), exited, logPath
		}
	}
	window, exited, logPath := start()
	xdo("windowmove", window, "210", "130")
	at := func(place string) func() (string, bool) {
		return func() (string, bool) { p := windowPlace(display, window); return p, p == place }
	}
	WaitFor(t, exited, logPath, "the window at 210,130", at("210,130"))
	Quit(t, display, window, exited, logPath)
	prefsPath := filepath.Join(home, ".config", "fyne", settings.AppID, "preferences.json")
	if prefs := ReadFile(prefsPath); !strings.Contains(prefs, `\"windowX\":210,\"windowY\":130,\"windowPlaced\":true`) {
		t.Fatalf("the place was not kept: %s", prefs)
	}
	window, exited, logPath = start()
	WaitFor(t, exited, logPath, "the window back at 210,130", at("210,130"))

	// A place on no screen (a monitor since unplugged) is not restored.
	Quit(t, display, window, exited, logPath)
	keepPlaceAtX(t, prefsPath, 3000)
	window, _, _ = start()
	time.Sleep(time.Second)
	if p := windowPlace(display, window); !onScreen(p) {
		t.Errorf("the window was put off the %dx%d screen: at %q", ScreenWidth, ScreenHeight, p)
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
		if Xdotool(display, "search", "--name", "^Card Catalog$") != "" {
			return false
		}
		select {
		case err := <-exited:
			exited <- err // for the caller's wait to see
			return strings.Contains(ReadFile(logPath), "Failed to open display")
		case <-time.After(100 * time.Millisecond):
		}
	}
	return false
}

// windowPlace is where xdotool finds a window: "x,y".
func windowPlace(display, window string) string {
	_, place, _ := strings.Cut(Xdotool(display, "getwindowgeometry", window), "Position: ")
	return strings.Fields(place + " ")[0]
}

// onScreen tells whether a place ("x,y") is on StartXvfb's screen.
func onScreen(place string) bool {
	var x, y int
	_, err := fmt.Sscanf(place, "%d,%d", &x, &y)
	return err == nil && x < ScreenWidth && y < ScreenHeight
}

// keepPlaceAtX rewrites the window's kept x in a preferences file.
func keepPlaceAtX(t *testing.T, prefsPath string, x int) {
	t.Helper()
	prefs := ReadFile(prefsPath)
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
	cmd := exec.Command(BuildBinary(t))
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.HasPrefix(string(out), "card-catalog: there is no display") || strings.Contains(string(out), "panic") ||
		!strings.Contains(string(out), "headless commands work without one") {
		t.Errorf("%v: %s", err, out)
	}
}
