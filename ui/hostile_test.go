package ui

import (
	"strings"
	"testing"
	"unicode"

	"github.com/card-catalog/card-catalog/app"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// The window against hostile registries: what it shows of them is data,
// never layout or control.

func noControls(t *testing.T, what, s string) {
	t.Helper()
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			t.Errorf("%s shows the control %U: %q", what, r, s)
		}
	}
}

func TestHostileCatalogKeepsTheValidCardsAndSaysWhatWasLeftOut(t *testing.T) {
	s, err := rt.Start(rt.Config{Hostile: rt.Hostile{ControlNames: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h := newHarness(t, withEntry(app.Entry{ID: "hostile", Name: "Hostile", Address: s.Registry.Host, PlainHTTP: true}))
	h.until("the catalog", func() bool {
		return strings.Contains(h.ui.catalog.summary.Text, "· incomplete: 5 invalid repository names left out")
	})
	summary := h.ui.catalog.summary.Text
	noControls(t, "the summary", summary)
	for i := range h.ui.catalog.grid.Length() {
		c := h.card(i)
		if name := richText(c.namespace) + "/" + richText(c.name); strings.Contains(name, "evil") {
			t.Errorf("card %d shows %q", i, name)
		}
	}
	if h.ui.catalog.message.box.Visible() {
		t.Errorf("the cards are hidden behind %q", h.ui.catalog.message.lead.Text)
	}
	// The tag lists hold hostile tags too: the cards and the tag page show
	// the valid ones, and say the rest were left out.
	h.ui.push(newRepositoryPage(h.ui, h.ui.current, "library/python"))
	repo := h.ui.top().(*repositoryPage)
	h.until("the tags", func() bool { return repo.list.Length() == 4 })
	if s := repo.summary.Text; s != "4 tags · incomplete: 5 invalid tags left out" {
		t.Errorf("tag summary %q", s)
	}
	noControls(t, "the tag summary", repo.summary.Text)
	h.ui.back()
	h.card(0)
	h.until("a card's details", func() bool {
		st := h.ui.catalog.lazy.states[h.ui.catalog.result.At(0)]
		return st != nil && st.loaded
	})
	if c := h.card(0); !strings.HasPrefix(c.details.Text, "3 tags · newest") {
		t.Errorf("card 0 says %q", c.details.Text)
	}
}

func TestRegistryWordsAreEscapedInMessages(t *testing.T) {
	s, err := rt.Start(rt.Config{Hostile: rt.Hostile{ErrorText: "gone\x1b]0;pwned\x07\nfake line \u202eok"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h := newHarness(t, withEntry(app.Entry{ID: "hostile", Name: "Hostile", Address: s.Registry.Host, PlainHTTP: true}))
	h.until("the catalog", func() bool { return h.ui.catalog.summary.Text == "40 repositories" })
	h.ui.push(newRepositoryPage(h.ui, h.ui.current, "library/nothing-here"))
	repo := h.ui.top().(*repositoryPage)
	h.until("the error", func() bool { return repo.message.box.Visible() })
	noControls(t, "the message", repo.message.lead.Text+repo.message.detail.Text)
	if !strings.Contains(repo.message.detail.Text, `gone\x1b]0;pwned\x07\nfake line \u202eok`) {
		t.Errorf("detail %q", repo.message.detail.Text)
	}
}
