//go:build wayland || !(linux || freebsd || openbsd || netbsd || windows || darwin)

package main

import "fyne.io/fyne/v2"

// windowPosition is unknown here: Wayland does not let applications place
// windows (the compositor does), and other systems have no code for it.
func windowPosition(fyne.Window) (x, y int, ok bool) { return 0, 0, false }

func moveWindow(fyne.Window, int, int) {}
