//go:build wayland || !(linux || freebsd || openbsd || netbsd || windows || darwin)

package place

import "fyne.io/fyne/v2"

// Position is unknown here: Wayland does not let applications place
// windows (the compositor does), and other systems have no code for it.
func Position(fyne.Window) (x, y int, ok bool) { return 0, 0, false }

func Move(fyne.Window, int, int) {}
