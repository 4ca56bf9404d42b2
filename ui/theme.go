package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// appTheme is Fyne's default theme, following the system's light or dark
// choice, with secondary text readable: Fyne draws low-importance labels
// in its disabled colour (1.5:1 on the dark background) and placeholders
// in a grey of 3.5:1 on the light one. Both are raised to at least 4.5:1
// (WCAG AA) on every background they are drawn on here.
type appTheme struct{ fyne.Theme }

func newAppTheme() fyne.Theme { return appTheme{theme.DefaultTheme()} }

var (
	secondaryOnDark  = color.NRGBA{R: 0x9a, G: 0x9a, B: 0xa0, A: 0xff}
	secondaryOnLight = color.NRGBA{R: 0x63, G: 0x63, B: 0x66, A: 0xff}
)

func (t appTheme) Color(name fyne.ThemeColorName, variant fyne.ThemeVariant) color.Color {
	switch name {
	case theme.ColorNameDisabled, theme.ColorNamePlaceHolder:
		if variant == theme.VariantLight {
			return secondaryOnLight
		}
		return secondaryOnDark
	}
	return t.Theme.Color(name, variant)
}
