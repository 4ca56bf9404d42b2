package ui

import (
	"strings"
	"testing"

	"github.com/card-catalog/card-catalog/app"
)

func TestAboutSaysWhichAndWhere(t *testing.T) {
	h := newHarness(t, app.DefaultSettings())
	h.ui.version, h.ui.logDir = "card-catalog 9.9.9 (commit abc)", t.TempDir()
	h.ui.showAbout()
	if !h.ui.inDialog() {
		t.Fatal("no About dialog")
	}
	text := h.ui.aboutText()
	for _, want := range []string{"card-catalog 9.9.9 (commit abc)", "Apache-2.0", "preferences.json", h.ui.logDir, "OS keychain"} {
		if !strings.Contains(text, want) {
			t.Errorf("About does not say %q:\n%s", want, text)
		}
	}
}
