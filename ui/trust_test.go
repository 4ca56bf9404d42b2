package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/card-catalog/card-catalog/app/settings"
)

// tagRowOf binds the row of tag in p and returns it.
func tagRowOf(h *harness, p *repositoryPage, tag string) *tagRow {
	h.t.Helper()
	id := slices.Index(p.tags, tag)
	for i := range p.result.Len() {
		if p.result.At(i) == tag {
			id = i
		}
	}
	if id < 0 {
		h.t.Fatalf("no tag %s in %v", tag, p.tags)
	}
	r := newTagRow()
	p.bindRow(id, r)
	return r
}

// badgeOf waits for tag's badge in repository repo of the demo and
// returns the row showing it.
func badgeOf(h *harness, repo, tag string) *tagRow {
	h.t.Helper()
	h.ui.push(newRepositoryPage(h.ui, h.ui.current, repo))
	p := h.ui.top().(*repositoryPage)
	h.until("the tags of "+repo, func() bool { return len(p.tags) > 0 })
	var r *tagRow
	h.until("the badge of "+repo+":"+tag, func() bool {
		r = tagRowOf(h, p, tag)
		return r.badge.box.Visible()
	})
	return r
}

// The demo's policy asks for its publisher's key: its tag rows say signed
// (green), not trusted (red) and unsigned (grey), and why on hovering.
func TestTagRowsShowTheirTrustBadge(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	for _, c := range []struct {
		repo, tag, text string
		colour          fyne.ThemeColorName
	}{
		{"team-a/payments-api", "v1.5.0", "signed", theme.ColorNameSuccess},
		{"team-b/gateway", "v5.1.0", "not trusted", theme.ColorNameError},
		{"team-a/payments-api", "v1.4.0", "unsigned", theme.ColorNameInputBorder},
	} {
		r := badgeOf(h, c.repo, c.tag)
		if r.badge.text.Text != c.text || r.badge.bg.FillColor != theme.Color(c.colour) {
			t.Errorf("%s:%s badge %q in %v", c.repo, c.tag, r.badge.text.Text, r.badge.bg.FillColor)
		}
		if r.badge.reason == "" {
			t.Errorf("%s:%s badge says no reason", c.repo, c.tag)
		}
		h.ui.back()
	}
}

// A card shows its newest tag's badge, loaded after the card's details.
func TestCardsShowTheirTrustBadge(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	id := slices.Index(h.ui.catalog.names, "team-a/payments-api")
	h.until("the payments-api card's badge", func() bool {
		id = -1
		for i := range h.ui.catalog.result.Len() {
			if h.ui.catalog.result.At(i) == "team-a/payments-api" {
				id = i
			}
		}
		return id >= 0 && h.card(id).badge.box.Visible()
	})
	if got := h.card(id).badge.text.Text; got != "unsigned" && got != "signed" {
		t.Errorf("payments-api's card says %q", got)
	}
}
