package ui

import (
	"strings"
	"testing"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/cache"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// TestARestartDrawsTheKeptCatalogAtOnce: a second start draws the catalog
// the first one kept; with the registry gone, it stays, said to be this
// computer's copy, and a repository seen before opens with its tags.
func TestARestartDrawsTheKeptCatalogAtOnce(t *testing.T) {
	s, err := rt.Start(rt.Config{})
	if err != nil {
		t.Fatal(err)
	}
	store, _ := cache.Open(t.TempDir(), 0)
	settings := withEntry(app.Entry{ID: "r", Name: "Kept", Address: s.Registry.Host, PlainHTTP: true})
	h := newHarnessOptions(t, settings, app.Options{Cache: store})
	h.until("the catalog", func() bool { return h.ui.catalog.summary.Text == "40 repositories" })
	h.ui.push(newRepositoryPage(h.ui, h.ui.current, "library/python"))
	repo := h.ui.top().(*repositoryPage)
	h.until("the tags", func() bool { return repo.list.Length() == 4 })
	s.Close()

	again := newHarnessOptions(t, settings, app.Options{Cache: store})
	again.until("the kept catalog", func() bool { return again.ui.catalog.grid.Length() == 40 })
	again.until("the failed refresh", func() bool { return !again.ui.catalog.loading })
	if got := again.ui.catalog.summary.Text; !strings.HasPrefix(got, "40 repositories as of just now · ") || !strings.HasSuffix(got, ": this computer's copy") {
		t.Errorf("summary %q", got)
	}
	if again.ui.catalog.message.box.Visible() {
		t.Error("an error covers the kept catalog")
	}
	if d := again.ui.statusOf(again.ui.current).Detail; !strings.HasSuffix(d, copyNote) {
		t.Errorf("sidebar says %q", d)
	}
	again.ui.push(newRepositoryPage(again.ui, again.ui.current, "library/python"))
	repo = again.ui.top().(*repositoryPage)
	again.until("the kept tags", func() bool { return repo.list.Length() == 4 })
}
