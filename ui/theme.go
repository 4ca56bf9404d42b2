package ui

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/card-catalog/card-catalog/app/settings"
)

// appTheme is Fyne's default theme, following the system's light or dark
// choice unless the settings choose one, with secondary text readable:
// Fyne draws low-importance labels in its disabled colour (1.5:1 on the
// dark background) and placeholders in a grey of 3.5:1 on the light one.
// Both are raised to at least 4.5:1 (WCAG AA) on every background they
// are drawn on here.
type appTheme struct {
	fyne.Theme
	// variant is the one chosen in the settings; nil follows the system.
	variant *fyne.ThemeVariant
}

func newAppTheme(choice settings.ThemeChoice) fyne.Theme {
	t := appTheme{Theme: theme.DefaultTheme()}
	switch choice {
	case settings.ThemeLight:
		v := theme.VariantLight
		t.variant = &v
	case settings.ThemeDark:
		v := theme.VariantDark
		t.variant = &v
	}
	return t
}

var (
	secondaryOnDark  = color.NRGBA{R: 0x9a, G: 0x9a, B: 0xa0, A: 0xff}
	secondaryOnLight = color.NRGBA{R: 0x63, G: 0x63, B: 0x66, A: 0xff}
	// wordsOnLight is the light theme's text, darker than Fyne's grey
	// (#565656): it stays readable on a focused button's blue.
	wordsOnLight = color.NRGBA{R: 0x1f, G: 0x1f, B: 0x1f, A: 0xff}
)

// Colours of a state's words on the selected row of a list: the error,
// warning and secondary colours, made readable on the selection.
const (
	colorErrorOnSelection     fyne.ThemeColorName = "cardCatalogErrorOnSelection"
	colorWarningOnSelection   fyne.ThemeColorName = "cardCatalogWarningOnSelection"
	colorSecondaryOnSelection fyne.ThemeColorName = "cardCatalogSecondaryOnSelection"
)

// readable is the contrast text should have (WCAG AA).
const readable = 4.5

func (t appTheme) Color(name fyne.ThemeColorName, variant fyne.ThemeVariant) color.Color {
	if t.variant != nil {
		variant = *t.variant
	}
	switch name {
	case theme.ColorNameDisabled, theme.ColorNamePlaceHolder:
		if variant == theme.VariantLight {
			return secondaryOnLight
		}
		return secondaryOnDark
	case theme.ColorNameForeground:
		if variant == theme.VariantLight {
			return wordsOnLight
		}
	case theme.ColorNameFocus:
		return t.focusColor(variant)
	case colorErrorOnSelection, colorWarningOnSelection, colorSecondaryOnSelection:
		base := map[fyne.ThemeColorName]fyne.ThemeColorName{colorErrorOnSelection: theme.ColorNameError,
			colorWarningOnSelection: theme.ColorNameWarning, colorSecondaryOnSelection: theme.ColorNamePlaceHolder}[name]
		selected := over(t.Color(theme.ColorNameSelection, variant), t.Color(theme.ColorNameBackground, variant))
		return readableOn(t.Color(base, variant), selected, t.Color(theme.ColorNameForeground, variant))
	}
	return t.Theme.Color(name, variant)
}

// focusNoticeable is the contrast a focused widget's background should
// have with its unfocused one (WCAG's focus appearance): Fyne's focus
// colour, a primary at 16% alpha, gives 1.2:1 and goes unseen.
const focusNoticeable = 3

// focusColor is the primary colour, as opaque as it must be for a focused
// button to stand out at 3:1, or as far towards that as the button's words
// stay readable on it.
func (t appTheme) focusColor(variant fyne.ThemeVariant) color.Color {
	primary := color.NRGBAModel.Convert(t.Theme.Color(theme.ColorNamePrimary, variant)).(color.NRGBA)
	button := over(t.Theme.Color(theme.ColorNameButton, variant), t.Theme.Color(theme.ColorNameBackground, variant))
	words := t.Color(theme.ColorNameForeground, variant)
	focus := primary
	focus.A = 0x2a // Fyne's own
	for alpha := 0x40; alpha <= 0xff; alpha += 0x08 {
		next := primary
		next.A = uint8(alpha)
		if contrast(words, over(next, button)) < readable {
			break
		}
		focus = next
		if contrast(over(focus, button), button) >= focusNoticeable {
			break
		}
	}
	return focus
}

// readableOn is c, moved towards the text colour fg step by step until it
// reads at 4.5:1 on bg.
func readableOn(c, bg, fg color.Color) color.Color {
	for step := 0.0; step <= 1; step += 0.05 {
		if mixed := mix(c, fg, step); contrast(mixed, bg) >= readable {
			return mixed
		}
	}
	return fg
}

// mix is a blend of a and b: share 0 is a, 1 is b.
func mix(a, b color.Color, share float64) color.Color {
	ar, ag, ab, _ := color.NRGBAModel.Convert(a).(color.NRGBA).RGBA()
	br, bgr, bb, _ := color.NRGBAModel.Convert(b).(color.NRGBA).RGBA()
	ch := func(x, y uint32) uint8 { return uint8((float64(x)*(1-share) + float64(y)*share) / 0x101) }
	return color.NRGBA{R: ch(ar, br), G: ch(ag, bgr), B: ch(ab, bb), A: 0xff}
}

// over is c drawn over the opaque colour bg.
func over(c, bg color.Color) color.Color {
	r, g, b, a := c.RGBA()
	br, bgr, bb, _ := bg.RGBA()
	ch := func(f, back uint32) uint8 { return uint8((f + back*(0xffff-a)/0xffff) / 0x101) }
	return color.NRGBA{R: ch(r, br), G: ch(g, bgr), B: ch(b, bb), A: 0xff}
}

// luminance is WCAG's relative luminance of c over an opaque background.
func luminance(c, bg color.Color) float64 {
	r, g, b, a := c.RGBA()
	br, bgr, bb, _ := bg.RGBA()
	lin := func(f, back uint32) float64 {
		v := (float64(f) + float64(back)*(1-float64(a)/0xffff)) / 0xffff
		if v <= 0.03928 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r, br) + 0.7152*lin(g, bgr) + 0.0722*lin(b, bb)
}

// contrast is WCAG's contrast ratio of text fg on bg.
func contrast(fg, bg color.Color) float64 {
	l1, l2 := luminance(fg, bg), luminance(bg, bg)
	if l1 < l2 {
		l1, l2 = l2, l1
	}
	return (l1 + 0.05) / (l2 + 0.05)
}
