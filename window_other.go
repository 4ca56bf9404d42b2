//go:build wayland || !(linux || freebsd || openbsd || netbsd)

package main

import "fyne.io/fyne/v2"

// windowPosition is unknown here: Wayland does not let applications place
// windows, and the Windows and macOS calls are not written yet.
func windowPosition(fyne.Window) (x, y int, ok bool) { return 0, 0, false }

func moveWindow(fyne.Window, int, int) {}
