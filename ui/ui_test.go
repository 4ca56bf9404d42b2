package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/registry"
)

// harness runs the UI with results queued for the test goroutine, which
// plays the part of Fyne's UI goroutine.
type harness struct {
	t     *testing.T
	prefs app.MemoryPrefs
	ui    *UI
	queue chan func()
}

func newHarness(t *testing.T, settings app.Settings) *harness {
	return newHarnessWith(t, settings, nil)
}

// newHarnessWith reads other tools' logins from others.
func newHarnessWith(t *testing.T, settings app.Settings, others registry.CredentialSource) *harness {
	t.Helper()
	test.NewTempApp(t)
	prefs := app.MemoryPrefs{}
	app.SaveSettings(prefs, settings)
	core, err := app.New(app.Options{Prefs: prefs, Credentials: others})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(core.Close)
	h := &harness{t: t, prefs: prefs, queue: make(chan func(), 1024)}
	w := test.NewTempWindow(t, nil)
	w.Resize(DefaultWindowSize)
	h.ui = Create(w, core, Options{Do: func(f func()) { h.queue <- f }})
	return h
}

// until runs queued UI work until cond holds, failing after 10 s.
func (h *harness) until(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case f := <-h.queue:
			f()
		case <-deadline:
			h.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestDemoCatalogFillsTheGrid(t *testing.T) {
	h := newHarness(t, app.DefaultSettings())
	h.until("the demo catalog", func() bool { return h.ui.Summary.Text == "40 repositories" })
	if got := h.ui.Grid.Length(); got != 40 {
		t.Fatalf("grid has %d cards", got)
	}
	if h.ui.Title.Text != "Demo registry" {
		t.Errorf("title %q", h.ui.Title.Text)
	}
	// Cards are sorted and show namespace and name apart.
	card := newRepoCard()
	h.ui.Grid.UpdateItem(0, card)
	if card.namespace.Text != "data" || card.name.Text != "airflow" {
		t.Errorf("first card = %q / %q", card.namespace.Text, card.name.Text)
	}
	if h.ui.message.Visible() {
		t.Errorf("message shown: %s", h.ui.Message.Text)
	}
}

func TestUnreachableRegistryIsSaidPlainly(t *testing.T) {
	settings := app.DefaultSettings()
	// Port 1 on loopback refuses connections at once.
	settings.Registries = []app.Entry{{ID: "dead", Name: "Dead registry", Address: "127.0.0.1:1", PlainHTTP: true}}
	settings.LastSelected = "dead"
	h := newHarness(t, settings)
	h.until("the error message", func() bool { return h.ui.message.Visible() })
	if !strings.Contains(h.ui.Message.Text, "Dead registry is not reachable") || !strings.Contains(h.ui.Detail.Text, "127.0.0.1:1") {
		t.Errorf("message %q", h.ui.Message.Text)
	}
	if h.ui.Grid.Length() != 0 {
		t.Errorf("grid shows %d cards", h.ui.Grid.Length())
	}
	h.until("the sidebar state", func() bool { return h.ui.status["dead"].State == app.Unreachable })
	row := newSidebarRow()
	h.ui.Sidebar.UpdateItem(1, row)
	if !strings.Contains(row.state.Text, "not reachable") {
		t.Errorf("sidebar row says %q", row.state.Text)
	}
	// Switching back to the demo registry still works.
	h.ui.Sidebar.Select(0)
	h.until("the demo catalog", func() bool { return h.ui.Grid.Length() == 40 && !h.ui.message.Visible() })
}

func TestTurningTheDemoOffRemovesIt(t *testing.T) {
	h := newHarness(t, app.DefaultSettings())
	h.until("the demo catalog", func() bool { return h.ui.Grid.Length() == 40 })
	if err := h.ui.core.SetShowDemo(false); err != nil {
		t.Fatal(err)
	}
	h.ui.reloadEntries()
	for _, e := range h.ui.entries {
		if e.IsDemo() {
			t.Fatal("demo still listed")
		}
	}
	if len(h.ui.entries) != len(app.Presets) {
		t.Errorf("%d entries", len(h.ui.entries))
	}
}

func TestSearchNarrowsAndRanks(t *testing.T) {
	h := newHarness(t, app.DefaultSettings())
	h.until("the demo catalog", func() bool { return h.ui.Grid.Length() == 40 })
	test.Type(h.ui.Search, "pyth")
	if h.ui.Grid.Length() == 0 || h.ui.Grid.Length() >= 40 {
		t.Fatalf("%d cards for \"pyth\"", h.ui.Grid.Length())
	}
	card := newRepoCard()
	h.ui.Grid.UpdateItem(0, card)
	if card.name.Text != "python" {
		t.Errorf("best match %q / %q", card.namespace.Text, card.name.Text)
	}
	h.ui.Search.SetText("zzzzqqq")
	if h.ui.Grid.Length() != 0 {
		t.Errorf("%d cards for nonsense", h.ui.Grid.Length())
	}
	h.ui.Search.SetText("")
	if h.ui.Grid.Length() != 40 {
		t.Errorf("%d cards after clearing", h.ui.Grid.Length())
	}
}
