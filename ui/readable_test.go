package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/settings"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

func TestIconButtonsNameTheirAction(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	b := h.ui.loginButton
	b.MouseIn(&desktop.MouseEvent{})
	h.until("the tip", func() bool { return (h.ui.tips.text() != "") })
	if h.ui.tips.text() != "Sign in to this registry (Ctrl+L)" {
		t.Errorf("tip %q", h.ui.tips.text())
	}
	if pos := h.ui.tips.bg.Position(); pos.Y < b.Position().Y {
		t.Errorf("the tip is at %v, above its button at %v", pos, b.Position())
	}
	b.MouseOut()
	if h.ui.tips.text() != "" {
		t.Error("the tip stayed after the pointer left")
	}
}

func TestCopySaysCopied(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	detail := h.openFirstTag("team-a/ledger")
	h.ui.onDetail((*detailPage).copyDigest)
	if got := fyne.CurrentApp().Clipboard().Content(); !strings.HasPrefix(got, "sha256:") {
		t.Errorf("clipboard %q", got)
	}
	if text := copyText(detail, 0); text != "Copied" {
		t.Errorf("button says %q", text)
	}
	h.until("the label back", func() bool { return copyText(detail, 0) == "Copy digest" })
}

func TestAnEmptySearchSaysSo(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	test.Type(h.ui.search, "zzqqxx")
	if !h.ui.catalog.noMatch.Visible() || !strings.Contains(h.ui.catalog.noMatch.Text, "No repository matches “zzqqxx”") {
		t.Errorf("no-match %v %q", h.ui.catalog.noMatch.Visible(), h.ui.catalog.noMatch.Text)
	}
	h.key(fyne.KeyEscape)
	if h.ui.catalog.noMatch.Visible() {
		t.Error("the note stayed after the search was cleared")
	}
}

func TestTheKeyboardCursorHasABackground(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	h.key(fyne.KeyDown)
	h.key(fyne.KeyRight)
	selection := theme.Color(theme.ColorNameSelection)
	if c := h.card(1); c.bg.FillColor != selection {
		t.Errorf("card under the cursor: %v", c.bg.FillColor)
	}
	if c := h.card(0); c.bg.FillColor == selection {
		t.Error("a card off the cursor is marked")
	}
}

func copyText(p *detailPage, n int) string { return p.copies.Objects[n].(*widget.Button).Text }

func TestACutNameShowsWholeOnHover(t *testing.T) {
	long := "team-with-a-long-name/" + strings.Repeat("service-", 12) + "api"
	s := rt.Serve(t, rt.Config{Repositories: []string{long, "short/one"}, Tags: map[string][]string{long: {"latest"}}})
	h := newHarness(t, withEntry(settings.Entry{ID: "long", Name: "Long", Address: s.Registry.Host, PlainHTTP: true}))
	h.until("the catalog", func() bool { return h.ui.catalog.summary.Text == "2 repositories" })
	c := newRepoCard()
	c.hoverTip = h.ui.hoverTip()
	c.Resize(cardSize)
	h.ui.catalog.grid.UpdateItem(1, c) // sorted: short/one, then the long one
	c.MouseIn(nil)
	h.until("the tip", func() bool { return (h.ui.tips.text() != "") })
	if h.ui.tips.text() != long {
		t.Errorf("tip %q", h.ui.tips.text())
	}
	c.MouseOut()
	short := newRepoCard()
	short.hoverTip = h.ui.hoverTip()
	short.Resize(cardSize)
	h.ui.catalog.grid.UpdateItem(0, short)
	if got := short.wholeNameIfCut(); got != "" {
		t.Errorf("a short name gets the tip %q", got)
	}
}

// TestALongTipWrapsInsideTheWindow: a tip wider than the window breaks
// into lines that each fit, none cut at the window's edge.
func TestALongTipWrapsInsideTheWindow(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	h.win.Resize(fyne.NewSize(640, 420))
	long := strings.Repeat("RUN apt-get update && apt-get install -y python3.11 ", 6)
	h.ui.tips.show(h.ui.loginButton, long)
	room := h.win.Canvas().Size().Width
	lines := strings.Split(h.ui.tips.text(), "\n")
	if len(lines) < 2 || strings.Join(lines, " ") != strings.TrimSpace(long) {
		t.Fatalf("%d lines: %q", len(lines), lines)
	}
	if box := h.ui.tips.bg; box.Position().X < 0 || box.Position().X+box.Size().Width > room {
		t.Errorf("the tip spans %v to %v in a window %v wide", box.Position().X, box.Position().X+box.Size().Width, room)
	}
}
