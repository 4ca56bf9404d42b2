package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// luminance is WCAG's relative luminance of c over an opaque background.
func luminance(c, over color.Color) float64 {
	r, g, b, a := c.RGBA()
	br, bg, bb, _ := over.RGBA()
	mix := func(f, back uint32) float64 {
		v := (float64(f) + float64(back)*(1-float64(a)/0xffff)) / 0xffff
		if v <= 0.03928 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*mix(r, br) + 0.7152*mix(g, bg) + 0.0722*mix(b, bb)
}

func contrast(fg, bg color.Color) float64 {
	l1, l2 := luminance(fg, bg), luminance(bg, bg)
	if l1 < l2 {
		l1, l2 = l2, l1
	}
	return (l1 + 0.05) / (l2 + 0.05)
}

func TestSecondaryTextIsReadableInBothThemes(t *testing.T) {
	th := newAppTheme()
	for _, variant := range []fyne.ThemeVariant{theme.VariantDark, theme.VariantLight} {
		// The backgrounds secondary text is drawn on: the window, the cards
		// and inputs, the header, a dialog.
		for _, bg := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameInputBackground,
			theme.ColorNameHeaderBackground, theme.ColorNameOverlayBackground} {
			for _, fg := range []fyne.ThemeColorName{theme.ColorNameDisabled, theme.ColorNamePlaceHolder} {
				if c := contrast(th.Color(fg, variant), th.Color(bg, variant)); c < 4.5 {
					t.Errorf("variant %d: %s on %s is %.2f:1, under 4.5:1", variant, fg, bg, c)
				}
			}
		}
	}
}
