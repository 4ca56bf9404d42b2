// Command card-catalog is a desktop browser for container registries. Run
// with no arguments it opens the window (package ui); with a command it works
// headless (package app/cli), for scripts, tests and bug reports. This file
// only starts one or the other.
package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/cache"
	"github.com/card-catalog/card-catalog/app/cli"
	"github.com/card-catalog/card-catalog/app/logfile"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/assets"
	"github.com/card-catalog/card-catalog/registry/credential"
	"github.com/card-catalog/card-catalog/ui"
	"github.com/card-catalog/card-catalog/ui/place"
)

func main() {
	started := time.Now()
	if len(os.Args) == 2 && (os.Args[1] == "--version" || os.Args[1] == "version") {
		fmt.Println(versionLine())
		return
	}
	if len(os.Args) > 1 {
		os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	if why := noDisplay(); why != "" {
		fmt.Fprintf(os.Stderr, "card-catalog: %s, so the window cannot open.\nThe headless commands work without one; `card-catalog help` lists them.\n", why)
		os.Exit(1)
	}
	// A soft limit makes the runtime hand freed heap back to the OS sooner;
	// the window's own data is a few tens of MB even at 100,000 repositories.
	debug.SetMemoryLimit(40 << 20)
	// The log goes to stderr and to a rotated file a person can hand in
	// with a bug report (About opens its folder).
	logOut, logDir := io.Writer(os.Stderr), ""
	if dir, err := logfile.Dir(); err == nil {
		if f, err := logfile.Open(dir); err == nil {
			defer f.Close()
			logOut, logDir = io.MultiWriter(os.Stderr, f), dir
		}
	}
	logger := slog.New(slog.NewTextHandler(logOut, nil))
	logger.Info("card-catalog started", "version", versionLine())
	a := fyneapp.NewWithID(settings.AppID)
	a.SetIcon(assets.Icon)
	store, err := cache.OpenDefault()
	if err != nil {
		logger.Warn("what is read cannot be kept on this computer: " + err.Error())
	}
	trustStore, err := trust.DefaultStore()
	if err != nil {
		logger.Warn("no trust material can be imported on this computer: " + err.Error())
	}
	var trusted *trust.Store
	if err == nil {
		trusted = &trustStore
	}
	core, err := app.New(app.Options{Prefs: a.Preferences(), Logger: logger, Credentials: credential.OtherTools(), Cache: store, Trust: trusted})
	if err != nil {
		fmt.Fprintln(os.Stderr, "card-catalog:", err)
		os.Exit(1)
	}
	shutdown := sync.OnceFunc(core.Close)
	defer shutdown()
	w := a.NewWindow("Card Catalog")
	size := ui.DefaultWindowSize
	if s := core.Settings(); s.WindowWidth >= 400 && s.WindowHeight >= 300 {
		size = fyne.NewSize(s.WindowWidth, s.WindowHeight)
	}
	w.Resize(size)
	settings := core.Settings()
	if settings.WindowPlaced {
		a.Lifecycle().SetOnStarted(func() { place.Move(w, settings.WindowX, settings.WindowY) })
	} else {
		w.CenterOnScreen()
	}
	quit := func() {
		s := w.Canvas().Size()
		x, y, placed := place.Position(w)
		core.SetWindowGeometry(s.Width, s.Height, x, y, placed)
		w.Close()
		go exitIfStuck(logger, shutdown)
	}
	w.SetCloseIntercept(quit)
	ui.Create(w, core, ui.Options{Logger: logger, Started: started, Quit: quit, Version: versionLine(), LogDir: logDir})
	w.ShowAndRun()
}

// exitIfStuck ends the process when Fyne has not returned from its loop
// soon after the window closed. Fyne 2.7 can stop for ever there, with no
// window and nothing on the screen: a key released just as the loop ends
// leaves its event in a queue no one drains, and Run waits for it (seen now
// and again beside two CPU hogs).
func exitIfStuck(logger *slog.Logger, shutdown func()) {
	time.Sleep(3 * time.Second)
	logger.Warn("the window closed but Fyne did not stop; exiting")
	shutdown()
	os.Exit(0)
}

// noDisplay says why no window can open on this system, or "". Without
// it GLFW panics with a stack trace.
func noDisplay() string {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
			return "there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)"
		}
	}
	return ""
}
