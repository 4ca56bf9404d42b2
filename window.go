package main

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
