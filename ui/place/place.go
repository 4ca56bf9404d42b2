// Package place reads and sets where the window is on the screen, which
// Fyne has no call for: through X11 on Linux and the BSDs, the Win32
// placement on Windows and the NSWindow frame on macOS; elsewhere (Wayland,
// which lets no application place its window) it knows nothing. A place
// that would put the window on no screen is not restored.
package place

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
)

// withNative runs f with the window's native context of type C (the
// driver's X11, Windows or macOS one), when it has one. Fyne has no call
// for a window's place: each system's file reads and sets it through this.
func withNative[C any](w fyne.Window, f func(C)) {
	native, ok := w.(driver.NativeWindow)
	if !ok {
		return
	}
	native.RunNative(func(ctx any) {
		if c, ok := ctx.(C); ok {
			f(c)
		}
	})
}
