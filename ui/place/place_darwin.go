package place

/*
#cgo CFLAGS: -x objective-c
#cgo LDFLAGS: -framework AppKit
#import <AppKit/AppKit.h>

// cc_window_origin reads the bottom-left corner of window w's frame, in
// screen coordinates (origin at the bottom left of the main screen).
static int cc_window_origin(uintptr_t w, double *x, double *y) {
	NSWindow *win = (NSWindow *)w;
	if (win == nil) return 0;
	NSPoint origin = [win frame].origin;
	*x = origin.x;
	*y = origin.y;
	return 1;
}

// cc_set_window_origin moves window w's frame to x, y, unless no screen
// would show any of it (a display since unplugged).
static void cc_set_window_origin(uintptr_t w, double x, double y) {
	NSWindow *win = (NSWindow *)w;
	if (win == nil) return;
	NSRect frame = [win frame];
	frame.origin = NSMakePoint(x, y);
	for (NSScreen *screen in [NSScreen screens]) {
		if (NSIntersectsRect([screen visibleFrame], frame)) {
			[win setFrameOrigin:frame.origin];
			return;
		}
	}
}
*/
import "C"

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
)

// Position reads where the window's frame is. The numbers are
// Cocoa's (y grows upwards); Move takes them back.
func Position(w fyne.Window) (x, y int, ok bool) {
	withNative(w, func(c driver.MacWindowContext) {
		var cx, cy C.double
		if C.cc_window_origin(C.uintptr_t(c.NSWindow), &cx, &cy) != 0 {
			x, y, ok = int(cx), int(cy), true
		}
	})
	return x, y, ok
}

// Move places the window's frame where Position found it.
func Move(w fyne.Window, x, y int) {
	withNative(w, func(c driver.MacWindowContext) {
		C.cc_set_window_origin(C.uintptr_t(c.NSWindow), C.double(x), C.double(y))
	})
}
