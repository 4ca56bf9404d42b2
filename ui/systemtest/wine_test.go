package systemtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/card-catalog/card-catalog/app/settings"
)

// TestWindowsPlaceUnderWine checks ui/place/place_windows.go for real: the Windows
// build (MinGW) runs under Wine on a private Xvfb, is moved, quits with
// Ctrl+Q and comes back where it was; a place on no screen is brought back
// onto it. Opt-in with CARD_CATALOG_WINE=1 (`make test-windows`): the cold
// cross build takes minutes, and CI does not install Wine.
func TestWindowsPlaceUnderWine(t *testing.T) {
	if os.Getenv("CARD_CATALOG_WINE") == "" {
		t.Skip("set CARD_CATALOG_WINE=1 (make test-windows) to run the Windows build under Wine")
	}
	for _, tool := range []string{"wine", "wineboot", "wineserver", "x86_64-w64-mingw32-gcc", "Xvfb", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: apt-get install wine64 gcc-mingw-w64-x86-64 xvfb xdotool", tool)
		}
	}
	dir := t.TempDir()
	// CARD_CATALOG_WINE_EXE names a release's .exe (make test-release);
	// without it the test builds one.
	exe := os.Getenv("CARD_CATALOG_WINE_EXE")
	if exe == "" {
		exe = filepath.Join(dir, "card-catalog.exe")
		build := exec.Command("go", "build", "-tags", BuildTags, "-o", exe, module)
		build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=1", "CC=x86_64-w64-mingw32-gcc")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("Windows build: %v\n%s", err, out)
		}
	}

	display := StartXvfb(t)
	prefix := filepath.Join(dir, "prefix")
	env := append(os.Environ(), "WINEPREFIX="+prefix, "WINEDEBUG=-all", "DISPLAY="+display, "LANG=en_US.UTF-8")
	run := func(name string, args ...string) {
		cmd := exec.Command(name, args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
	}
	run("wineboot", "-i")
	t.Cleanup(func() { exec.Command("wineserver", "-k").Run() })
	system32 := filepath.Join(prefix, "drive_c", "windows", "system32")
	if _, err := os.Stat(filepath.Join(system32, "bcryptprimitives.dll")); err != nil {
		run("x86_64-w64-mingw32-gcc", "-shared", "-O2", "-o", filepath.Join(system32, "bcryptprimitives.dll"),
			filepath.Join("testdata", "wine", "bcryptprimitives.c"), "-lbcrypt")
	}

	xdo := func(args ...string) string { return Xdotool(display, args...) }
	start := func() (string, chan error, string) {
		logPath := filepath.Join(t.TempDir(), "app.log")
		logFile, _ := os.Create(logPath)
		cmd := exec.Command("wine", exe)
		cmd.Env = env
		cmd.Stdout, cmd.Stderr = logFile, logFile
		exited := StartApp(t, cmd)
		window := WaitForCards(t, exited, logPath, display)
		time.Sleep(time.Second)
		return window, exited, logPath
	}
	quit := func(window string, exited chan error, logPath string) {
		// Wine ignores synthetic key events: click into the window, then
		// type through XTEST as a person would.
		xdo("mousemove", "--window", window, "600", "300", "click", "1")
		time.Sleep(300 * time.Millisecond)
		Quit(t, display, "", exited, logPath)
	}

	window, exited, logPath := start()
	first := windowPlace(display, window)
	xdo("windowmove", window, "210", "130")
	time.Sleep(time.Second)
	if p := windowPlace(display, window); p != "210,130" {
		t.Fatalf("the window did not move: at %s", p)
	}
	quit(window, exited, logPath)
	matches, _ := filepath.Glob(filepath.Join(prefix, "drive_c", "users", "*", "AppData", "Roaming", "fyne", settings.AppID, "preferences.json"))
	if len(matches) != 1 {
		t.Fatalf("no preferences were written: %v", matches)
	}
	prefsPath := matches[0]
	prefs := ReadFile(prefsPath)
	if !strings.Contains(prefs, `\"windowPlaced\":true`) {
		t.Fatalf("the place was not kept: %s", prefs)
	}

	window, exited, logPath = start()
	if p := windowPlace(display, window); p != "210,130" {
		t.Errorf("the window came back at %s, not 210,130 (it first opened at %s)", p, first)
	}
	quit(window, exited, logPath)

	// The kept place moved far off the screen.
	keepPlaceAtX(t, prefsPath, 3000)
	window, _, _ = start()
	if p := windowPlace(display, window); !onScreen(p) {
		t.Errorf("the window was left off the %dx%d screen: at %q", ScreenWidth, ScreenHeight, p)
	}
}
