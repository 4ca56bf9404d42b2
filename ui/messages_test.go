package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// Messages a person understands, and a sidebar that follows what happened.

func TestPlainHTTPRegistryOffersTheSwitch(t *testing.T) {
	s := rt.Serve(t, rt.Config{})
	// Added without Plain HTTP: https to a server that speaks http.
	h := newHarness(t, withEntry(app.Entry{ID: s.Registry.Host, Name: "Local", Address: s.Registry.Host}))
	h.until("the message", func() bool { return h.ui.catalog.Message.box.Visible() })
	m := h.ui.catalog.Message
	if !strings.Contains(m.Lead.Text, "speaks plain HTTP, not HTTPS") || !m.Action.Visible() || m.Action.Text != "Use plain HTTP" {
		t.Fatalf("lead %q, action %q %v", m.Lead.Text, m.Action.Text, m.Action.Visible())
	}
	test.Tap(m.Action)
	h.until("the catalog over http", func() bool { return h.ui.catalog.Summary.Text == "40 repositories" })
	if e := h.ui.core.Settings().Registries[0]; !e.PlainHTTP {
		t.Errorf("entry %+v", e)
	}
}

func TestMissingRepositoryIsSaidSo(t *testing.T) {
	h := newHarness(t, app.DefaultSettings())
	demoLoaded(h)
	h.ui.push(newRepositoryPage(h.ui, h.ui.current, "library/nothing-here"))
	repo := h.ui.top().(*repositoryPage)
	h.until("the message", func() bool { return repo.Message.box.Visible() })
	if repo.Summary.Text != "no such repository" || repo.Message.Lead.Text != "Demo registry has no repository named library/nothing-here." {
		t.Errorf("summary %q, lead %q", repo.Summary.Text, repo.Message.Lead.Text)
	}
	if h.ui.statusOf(h.ui.current).State != app.Ready {
		t.Errorf("a missing repository changed the registry's state to %+v", h.ui.statusOf(h.ui.current))
	}
}

func TestAddDialogSaysWhatIsWrongInRed(t *testing.T) {
	h := newHarness(t, app.DefaultSettings())
	demoLoaded(h)
	h.ui.showAddRegistry()
	d := h.ui.registryDlg
	for _, typed := range []string{"localhost:5000 x", "http://", "exa_mple..com"} {
		d.Address.SetText(typed)
		if d.Verdict.Importance != widget.DangerImportance || !d.Save.Disabled() {
			t.Errorf("%q: %q in importance %v", typed, d.Verdict.Text, d.Verdict.Importance)
		}
		if strings.Contains(d.Verdict.Text, "strict validation") {
			t.Errorf("%q: a library's words: %q", typed, d.Verdict.Text)
		}
	}
	if d.Address.SetText("http://"); !strings.Contains(d.Verdict.Text, "a host name must follow http://") {
		t.Errorf("http:// says %q", d.Verdict.Text)
	}
	d.Address.SetText("ghcr.io") // a preset already
	if !d.Save.Disabled() || !strings.Contains(d.Verdict.Text, "in the sidebar already, as GitHub") {
		t.Errorf("duplicate: %q, Save enabled %v", d.Verdict.Text, !d.Save.Disabled())
	}
}

func TestNeedsALoginOffersSignIn(t *testing.T) {
	h, _ := loginHarness(t)
	m := h.ui.catalog.Message
	if !m.Action.Visible() || m.Action.Text != "Sign in" {
		t.Fatalf("action %q %v", m.Action.Text, m.Action.Visible())
	}
	test.Tap(m.Action)
	if !h.ui.inDialog() || h.ui.login == nil {
		t.Error("Sign in opened no dialog")
	}
}

func TestOfflineIsSaidOnceAndCalmly(t *testing.T) {
	settings := app.DefaultSettings()
	settings.Registries = []app.Entry{
		{ID: "a.invalid", Name: "A", Address: "a.invalid"},
		{ID: "b.invalid", Name: "B", Address: "b.invalid"},
	}
	h := newHarness(t, settings)
	h.until("offline", func() bool { return h.ui.OfflineNote.Visible() })
	h.until("the demo's check", func() bool { return h.ui.statusOf(h.ui.entries[0]).State == app.Ready })
	row := newSidebarRow()
	h.ui.Sidebar.UpdateItem(1, row)
	if !strings.Contains(row.state.Text, "offline") || row.state.Color != theme.Color(theme.ColorNamePlaceHolder) {
		t.Errorf("row %q in %v", row.state.Text, row.state.Color)
	}
	h.ui.Sidebar.UpdateItem(0, row)
	if !strings.Contains(row.state.Text, "ready") {
		t.Errorf("the demo row says %q", row.state.Text)
	}
	h.ui.Sidebar.Select(1)
	h.until("the page's message", func() bool { return h.ui.catalog.Message.box.Visible() })
	if lead := h.ui.catalog.Message.Lead.Text; !strings.HasPrefix(lead, "This computer is offline: A shows again") {
		t.Errorf("the page says %q", lead)
	}
}

func TestOneUnknownHostIsNotOffline(t *testing.T) {
	settings := app.DefaultSettings()
	settings.Registries = []app.Entry{{ID: "typo.invalid", Name: "Typo", Address: "typo.invalid"}}
	h := newHarness(t, settings)
	h.until("the check", func() bool { return h.ui.statusOf(settings.Registries[0]).State == app.Unreachable })
	if h.ui.OfflineNote.Visible() {
		t.Error("one unknown host was taken for no network")
	}
	if d := h.ui.statusOf(settings.Registries[0]).Detail; d != "host not found" {
		t.Errorf("detail %q", d)
	}
}

func TestSidebarFollowsARegistryThatStopsAnswering(t *testing.T) {
	s := rt.Serve(t, rt.Config{})
	e := app.Entry{ID: "going", Name: "Going", Address: s.Registry.Host, PlainHTTP: true}
	h := newHarness(t, withEntry(e))
	h.until("the catalog", func() bool { return h.ui.catalog.Summary.Text == "40 repositories" })
	h.until("ready", func() bool { return h.ui.statusOf(e).State == app.Ready })
	s.Close()
	h.ui.push(newRepositoryPage(h.ui, h.ui.current, "library/python"))
	repo := h.ui.top().(*repositoryPage)
	h.until("the error", func() bool { return repo.Message.box.Visible() })
	if st := h.ui.statusOf(e); st.State != app.Unreachable {
		t.Errorf("the sidebar still says %+v", st)
	}
}

func TestEditingAnEntryRenamesItsRow(t *testing.T) {
	h := newHarness(t, app.DefaultSettings())
	demoLoaded(h)
	h.ui.Sidebar.Select(2) // GitHub
	h.ui.showEditRegistry()
	d := h.ui.registryDlg
	d.Name.SetText("Work GitHub")
	d.Address.SetText("ghcr.invalid")
	test.Tap(d.Save)
	i := slicesIndex(h.ui.entries, "ghcr.invalid")
	if i < 0 {
		t.Fatalf("entries %+v", h.ui.entries)
	}
	h.until("the new address checked", func() bool { return h.ui.statusOf(h.ui.entries[i]).Detail == "host not found" })
	row := newSidebarRow()
	h.ui.Sidebar.UpdateItem(i, row)
	if row.name.Text != "Work GitHub" || !strings.Contains(row.state.Text, "ghcr.invalid") {
		t.Errorf("row %q %q", row.name.Text, row.state.Text)
	}
}

func slicesIndex(es []app.Entry, id string) int {
	for i, e := range es {
		if e.ID == id {
			return i
		}
	}
	return -1
}

func TestPlatformBreadcrumbNamesThePlatform(t *testing.T) {
	h := newHarness(t, app.DefaultSettings())
	demoLoaded(h)
	detail := h.openFirstTag("library/python")
	detail.Move(1, true)
	detail.Open()
	if !strings.HasSuffix(h.ui.Title.Text, "›  linux/amd64") && !strings.Contains(h.ui.Title.Text, "›  linux/") {
		t.Errorf("breadcrumb %q", h.ui.Title.Text)
	}
	if strings.Contains(h.ui.Title.Text, "sha256:") {
		t.Errorf("breadcrumb %q", h.ui.Title.Text)
	}
}
