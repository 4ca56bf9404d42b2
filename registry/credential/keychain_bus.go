//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package credential

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
)

// errNoSessionBus: the Secret Service lives on the D-Bus session bus, and
// there is none.
var errNoSessionBus = errors.New("no D-Bus session bus is running, so there is no Secret Service keychain")

// keychainReachable says whether the keychain can be asked without
// starting anything. The D-Bus library go-keyring uses runs dbus-launch,
// which starts a session daemon, when it finds no bus: a headless command or
// a window on a machine without a desktop session must not do that.
func keychainReachable() error {
	if addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); addr != "" && addr != "autolaunch:" {
		return nil
	}
	dirs := []string{os.Getenv("XDG_RUNTIME_DIR"), filepath.Join("/run/user", strconv.Itoa(os.Getuid()))}
	for _, dir := range dirs {
		if dir == "" {
			continue
		}
		// Where the library looks next: the systemd user bus's socket, or
		// a file naming the bus's address.
		for _, name := range []string{"bus", "dbus-session"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				return nil
			}
		}
	}
	return errNoSessionBus
}
