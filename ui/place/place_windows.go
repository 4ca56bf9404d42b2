package place

import (
	"unsafe"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
	"golang.org/x/sys/windows"
)

var (
	user32                 = windows.NewLazySystemDLL("user32.dll")
	procGetWindowPlacement = user32.NewProc("GetWindowPlacement")
	procSetWindowPlacement = user32.NewProc("SetWindowPlacement")
)

// windowPlacement is Win32's WINDOWPLACEMENT. Its normal position is where
// the window sits when neither minimised nor maximised, so a window closed
// while minimised still remembers a real place.
type windowPlacement struct {
	length         uint32
	flags          uint32
	showCmd        uint32
	minPosition    [2]int32
	maxPosition    [2]int32
	normalPosition windows.Rect
}

func placementOf(hwnd uintptr) (windowPlacement, bool) {
	p := windowPlacement{}
	if hwnd == 0 {
		return p, false
	}
	p.length = uint32(unsafe.Sizeof(p))
	ok, _, _ := procGetWindowPlacement.Call(hwnd, uintptr(unsafe.Pointer(&p)))
	return p, ok != 0
}

// Position reads where the window's frame is, in workspace
// coordinates (the ones SetWindowPlacement takes back).
func Position(w fyne.Window) (x, y int, ok bool) {
	withNative(w, func(c driver.WindowsWindowContext) {
		if p, got := placementOf(c.HWND); got {
			x, y, ok = int(p.normalPosition.Left), int(p.normalPosition.Top), true
		}
	})
	return x, y, ok
}

// Move places the window's frame at x, y, keeping its size. Windows
// moves it back onto a screen if that place is on none (a monitor since
// unplugged).
func Move(w fyne.Window, x, y int) {
	withNative(w, func(c driver.WindowsWindowContext) {
		p, got := placementOf(c.HWND)
		if !got {
			return
		}
		r := &p.normalPosition
		width, height := r.Right-r.Left, r.Bottom-r.Top
		r.Left, r.Top = int32(x), int32(y)
		r.Right, r.Bottom = r.Left+width, r.Top+height
		procSetWindowPlacement.Call(c.HWND, uintptr(unsafe.Pointer(&p)))
	})
}
