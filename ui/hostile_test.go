package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/cache"
	"github.com/card-catalog/card-catalog/app/listing"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// The window against hostile registries: what it shows of them is data,
// never layout or control.

func TestHostileCatalogKeepsTheValidCardsAndSaysWhatWasLeftOut(t *testing.T) {
	s, err := rt.Start(rt.Config{Hostile: rt.Hostile{ControlNames: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h := newHarness(t, withEntry(settings.Entry{ID: "hostile", Name: "Hostile", Address: s.Registry.Host, PlainHTTP: true}))
	h.until("the catalog", func() bool {
		return strings.Contains(h.ui.catalog.summary.Text, "· incomplete: 5 invalid repository names left out")
	})
	summary := h.ui.catalog.summary.Text
	rt.ControlFree(t, "the summary", summary)
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
	rt.ControlFree(t, "the tag summary", repo.summary.Text)
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
	h := newHarness(t, withEntry(settings.Entry{ID: "hostile", Name: "Hostile", Address: s.Registry.Host, PlainHTTP: true}))
	h.until("the catalog", func() bool { return h.ui.catalog.summary.Text == "40 repositories" })
	h.ui.push(newRepositoryPage(h.ui, h.ui.current, "library/nothing-here"))
	repo := h.ui.top().(*repositoryPage)
	h.until("the error", func() bool { return repo.message.box.Visible() })
	rt.ControlFree(t, "the message", repo.message.lead.Text+repo.message.detail.Text)
	if !strings.Contains(repo.message.detail.Text, `gone\x1b]0;pwned\x07\nfake line \u202eok`) {
		t.Errorf("detail %q", repo.message.detail.Text)
	}
}

// TestAnEndlessCatalogOfLongNamesHoldsThemOnce: pages of 1,000 names of 250
// bytes, the walk held before page 5 and page 50 while the heap is
// measured. What the window holds for each name it shows, beyond the name,
// is a small part of the name: not a second copy in the engine's set of
// names seen, a third in the copy kept for the cache. Over a kept copy of
// the same names the refresh adds little at all: not a fourth.
func TestAnEndlessCatalogOfLongNamesHoldsThemOnce(t *testing.T) {
	const small, large = 5, 50
	for _, kept := range []bool{false, true} {
		pauses := rt.NewPauses(small, large)
		// The cards' tag lists wait: endless too, they would hold what a
		// card does, not the catalog.
		hostile := rt.Hostile{EndlessPages: true, PageNames: 1000, NameBytes: 250, Stall: "tags", StallAtPage: large + 1, BeforePage: pauses.Before}
		s := rt.Serve(t, rt.Config{Hostile: hostile})
		t.Cleanup(pauses.ReleaseAll)
		store, _ := cache.Open(t.TempDir(), 0)
		if kept {
			var list []byte
			for page := range large {
				for _, n := range hostile.EndlessPage("catalog", page) {
					list = append(append(list, n...), '\n')
				}
			}
			store.Scope(s.Registry.String()).PutSnapshot(listing.CatalogKey("", ""), nil, list)
		}
		e := settings.Entry{ID: "long", Name: "Long names", Address: s.Registry.Host, PlainHTTP: true}
		h := newHarnessOptions(t, withEntry(e), app.Options{Cache: store, ClientOptions: []registry.Option{registry.WithStallTimeout(time.Minute)}})
		held := func(pages int) uint64 {
			if page := pauses.Wait(t); page != pages {
				t.Fatalf("page %d asked for, not %d", page, pages)
			}
			h.until("the pages before the pause", func() bool { return h.ui.catalog != nil && h.ui.catalog.pages == pages })
			want := pages * 1000
			if kept {
				want = large * 1000
			}
			if len(h.ui.catalog.names) != want {
				t.Fatalf("%d names shown, not %d", len(h.ui.catalog.names), want)
			}
			defer pauses.Release()
			return rt.LiveHeap()
		}
		at5, at50 := held(small), held(large)
		growth, names := float64(at50)-float64(at5), float64((large-small)*1000*250)
		t.Logf("kept %v: live heap %.1f MiB at page %d, %.1f MiB at page %d: %.2f bytes a byte of names", kept, float64(at5)/(1<<20), small, float64(at50)/(1<<20), large, growth/names)
		most := 1.75 // the names, their places in the list and the sets that find them
		if kept {
			most = 0.5
		}
		if growth > most*names {
			t.Errorf("kept %v: %d names of 250 bytes grew the heap by %.1f MiB, %.2f× their size (at most %.2f×)", kept, (large-small)*1000, growth/(1<<20), growth/names, most)
		}
	}
}
