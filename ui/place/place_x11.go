//go:build !wayland && (linux || freebsd || openbsd || netbsd)

package place

/*
#cgo LDFLAGS: -lX11
#include <X11/Xlib.h>

// cc_window_position reads where window w's origin is on its screen.
static int cc_window_position(unsigned long w, int *x, int *y) {
	Display *d = XOpenDisplay(NULL);
	if (!d) return 0;
	Window child;
	int ok = XTranslateCoordinates(d, (Window)w, DefaultRootWindow(d), 0, 0, x, y, &child);
	XCloseDisplay(d);
	return ok;
}

// cc_move_window asks for window w to be placed at x, y, unless none of it
// would be on the screen there (a monitor since unplugged).
static void cc_move_window(unsigned long w, int x, int y) {
	Display *d = XOpenDisplay(NULL);
	if (!d) return;
	XWindowAttributes a;
	int screen = DefaultScreen(d);
	if (XGetWindowAttributes(d, (Window)w, &a) &&
	    x < DisplayWidth(d, screen) && y < DisplayHeight(d, screen) && x + a.width > 0 && y + a.height > 0) {
		XMoveWindow(d, (Window)w, x, y);
		XFlush(d);
	}
	XCloseDisplay(d);
}
*/
import "C"

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
)

// Position reads where the window is on the screen.
func Position(w fyne.Window) (x, y int, ok bool) {
	withNative(w, func(c driver.X11WindowContext) {
		var cx, cy C.int
		if c.WindowHandle != 0 && C.cc_window_position(C.ulong(c.WindowHandle), &cx, &cy) != 0 {
			x, y, ok = int(cx), int(cy), true
		}
	})
	return x, y, ok
}

// Move places the window. A window manager may adjust it (by its
// frame, or to keep it on screen).
func Move(w fyne.Window, x, y int) {
	withNative(w, func(c driver.X11WindowContext) {
		if c.WindowHandle != 0 {
			C.cc_move_window(C.ulong(c.WindowHandle), C.int(x), C.int(y))
		}
	})
}
