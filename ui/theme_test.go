package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/card-catalog/card-catalog/app/settings"
)

func TestSecondaryTextIsReadableInBothThemes(t *testing.T) {
	th := newAppTheme(settings.ThemeSystem)
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

// TestStateWordsAreReadableOnTheSelectedRow: a registry's state on the
// selected sidebar row (red, orange or grey on the selection) reads at
// 4.5:1 in both themes; Fyne's red there is 3.8:1.
func TestStateWordsAreReadableOnTheSelectedRow(t *testing.T) {
	th := newAppTheme(settings.ThemeSystem)
	for _, variant := range []fyne.ThemeVariant{theme.VariantDark, theme.VariantLight} {
		selected := over(th.Color(theme.ColorNameSelection, variant), th.Color(theme.ColorNameBackground, variant))
		for _, name := range []fyne.ThemeColorName{colorErrorOnSelection, colorWarningOnSelection, colorSecondaryOnSelection} {
			if c := contrast(th.Color(name, variant), selected); c < readable {
				t.Errorf("variant %d: %s on the selection is %.2f:1", variant, name, c)
			}
		}
		t.Logf("variant %d: Fyne's error colour on the selection: %.2f:1", variant, contrast(th.Color(theme.ColorNameError, variant), selected))
	}
}

// TestTheThemeChoiceWins: Light and Dark hold whatever the system says.
func TestTheThemeChoiceWins(t *testing.T) {
	light, dark, system := newAppTheme(settings.ThemeLight), newAppTheme(settings.ThemeDark), newAppTheme(settings.ThemeSystem)
	bg := theme.ColorNameBackground
	if light.Color(bg, theme.VariantDark) != theme.DefaultTheme().Color(bg, theme.VariantLight) ||
		dark.Color(bg, theme.VariantLight) != theme.DefaultTheme().Color(bg, theme.VariantDark) ||
		system.Color(bg, theme.VariantLight) != theme.DefaultTheme().Color(bg, theme.VariantLight) {
		t.Error("the choice does not decide the variant")
	}
}

// TestTheFocusIsSeen: a focused button stands out from an unfocused one
// at about 3:1 in both themes (2.9:1 in the dark one, where white words on
// a bluer button would fall under 4.5:1), where Fyne's focus colour gives
// 1.2:1; the words on it read at 4.5:1.
func TestTheFocusIsSeen(t *testing.T) {
	th := newAppTheme(settings.ThemeSystem)
	for variant, least := range map[fyne.ThemeVariant]float64{theme.VariantDark: 2.8, theme.VariantLight: focusNoticeable} {
		bg := th.Color(theme.ColorNameBackground, variant)
		button := over(th.Color(theme.ColorNameButton, variant), bg)
		focused := over(th.Color(theme.ColorNameFocus, variant), button)
		if c := contrast(focused, button); c < least {
			t.Errorf("variant %d: a focused button stands out at %.2f:1", variant, c)
		}
		if c := contrast(th.Color(theme.ColorNameForeground, variant), focused); c < readable {
			t.Errorf("variant %d: a focused button's words are %.2f:1", variant, c)
		}
		t.Logf("variant %d: focus %.2f:1 on a button (Fyne's %.2f:1)", variant, contrast(focused, button),
			contrast(over(theme.DefaultTheme().Color(theme.ColorNameFocus, variant), button), button))
	}
}
