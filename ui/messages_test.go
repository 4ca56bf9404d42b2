package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/settings"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// Messages a person understands, and a sidebar that follows what happened.

func TestPlainHTTPRegistryOffersTheSwitch(t *testing.T) {
	s := rt.Serve(t, rt.Config{})
	// Added without Plain HTTP: https to a server that speaks http.
	h := newHarness(t, withEntry(settings.Entry{ID: s.Registry.Host, Name: "Local", Address: s.Registry.Host}))
	h.until("the message", func() bool { return h.ui.catalog.message.box.Visible() })
	m := h.ui.catalog.message
	if !strings.Contains(m.lead.Text, "speaks plain HTTP, not HTTPS") || !m.action.Visible() || m.action.Text != "Use plain HTTP" {
		t.Fatalf("lead %q, action %q %v", m.lead.Text, m.action.Text, m.action.Visible())
	}
	test.Tap(m.action)
	h.until("the catalog over http", func() bool { return h.ui.catalog.summary.Text == "40 repositories" })
	if e := h.ui.core.Settings().Registries[0]; !e.PlainHTTP {
		t.Errorf("entry %+v", e)
	}
}

func TestMissingRepositoryIsSaidSo(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	h.ui.push(newRepositoryPage(h.ui, h.ui.current, "library/nothing-here"))
	repo := h.ui.top().(*repositoryPage)
	h.until("the message", func() bool { return repo.message.box.Visible() })
	if repo.summary.Text != "no such repository" || repo.message.lead.Text != "Demo registry has no repository named library/nothing-here." {
		t.Errorf("summary %q, lead %q", repo.summary.Text, repo.message.lead.Text)
	}
	if h.ui.statusOf(h.ui.current).State != Ready {
		t.Errorf("a missing repository changed the registry's state to %+v", h.ui.statusOf(h.ui.current))
	}
}

func TestAddDialogSaysWhatIsWrongInRed(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	h.ui.showAddRegistry()
	d := h.ui.registryDlg
	for _, typed := range []string{"localhost:5000 x", "http://", "exa_mple..com"} {
		d.address.SetText(typed)
		if d.verdict.Importance != widget.DangerImportance || !d.save.Disabled() {
			t.Errorf("%q: %q in importance %v", typed, d.verdict.Text, d.verdict.Importance)
		}
		if strings.Contains(d.verdict.Text, "strict validation") {
			t.Errorf("%q: a library's words: %q", typed, d.verdict.Text)
		}
	}
	if d.address.SetText("http://"); !strings.Contains(d.verdict.Text, "a host name must follow http://") {
		t.Errorf("http:// says %q", d.verdict.Text)
	}
	d.address.SetText("ghcr.io") // a preset already
	if !d.save.Disabled() || !strings.Contains(d.verdict.Text, "in the sidebar already, as GitHub") {
		t.Errorf("duplicate: %q, Save enabled %v", d.verdict.Text, !d.save.Disabled())
	}
}

func TestNeedsALoginOffersSignIn(t *testing.T) {
	h, _ := loginHarness(t)
	m := h.ui.catalog.message
	if !m.action.Visible() || m.action.Text != "Sign in" {
		t.Fatalf("action %q %v", m.action.Text, m.action.Visible())
	}
	test.Tap(m.action)
	if !h.ui.inDialog() || h.ui.login == nil {
		t.Error("Sign in opened no dialog")
	}
}

func TestOfflineIsSaidOnceAndCalmly(t *testing.T) {
	cfg := settings.Default()
	cfg.Registries = []settings.Entry{
		{ID: "a.invalid", Name: "A", Address: "a.invalid"},
		{ID: "b.invalid", Name: "B", Address: "b.invalid"},
	}
	h := newHarness(t, cfg)
	h.until("offline", func() bool { return h.ui.offlineNote.Visible() })
	h.until("the demo's check", func() bool { return h.ui.statusOf(h.ui.entries[0]).State == Ready })
	row := newSidebarRow(hoverTip{})
	h.ui.sidebar.UpdateItem(1, row)
	if c := stateColorOf(row); !strings.Contains(row.stateText, "offline") || c != theme.ColorNamePlaceHolder {
		t.Errorf("row %q in %v", row.stateText, c)
	}
	h.ui.sidebar.UpdateItem(0, row)
	if !strings.Contains(row.stateText, "ready") {
		t.Errorf("the demo row says %q", row.stateText)
	}
	h.ui.sidebar.Select(1)
	h.until("the page's message", func() bool { return h.ui.catalog.message.box.Visible() })
	if lead := h.ui.catalog.message.lead.Text; !strings.HasPrefix(lead, "This computer is offline: A shows again") {
		t.Errorf("the page says %q", lead)
	}
}

func TestOneUnknownHostIsNotOffline(t *testing.T) {
	cfg := settings.Default()
	cfg.Registries = []settings.Entry{{ID: "typo.invalid", Name: "Typo", Address: "typo.invalid"}}
	h := newHarness(t, cfg)
	h.until("the check", func() bool { return h.ui.statusOf(cfg.Registries[0]).State == Unreachable })
	if h.ui.offlineNote.Visible() {
		t.Error("one unknown host was taken for no network")
	}
	if d := h.ui.statusOf(cfg.Registries[0]).Detail; d != "host not found" {
		t.Errorf("detail %q", d)
	}
}

func TestSidebarFollowsARegistryThatStopsAnswering(t *testing.T) {
	s := rt.Serve(t, rt.Config{})
	e := settings.Entry{ID: "going", Name: "Going", Address: s.Registry.Host, PlainHTTP: true}
	h := newHarness(t, withEntry(e))
	h.until("the catalog", func() bool { return h.ui.catalog.summary.Text == "40 repositories" })
	h.until("ready", func() bool { return h.ui.statusOf(e).State == Ready })
	s.Close()
	h.ui.push(newRepositoryPage(h.ui, h.ui.current, "library/python"))
	repo := h.ui.top().(*repositoryPage)
	h.until("the error", func() bool { return repo.message.box.Visible() })
	if st := h.ui.statusOf(e); st.State != Unreachable {
		t.Errorf("the sidebar still says %+v", st)
	}
}

func TestEditingAnEntryRenamesItsRow(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	h.ui.sidebar.Select(2) // GitHub
	h.ui.showEditRegistry()
	d := h.ui.registryDlg
	d.name.SetText("Work GitHub")
	d.address.SetText("ghcr.invalid")
	test.Tap(d.save)
	i := slicesIndex(h.ui.entries, "ghcr.invalid")
	if i < 0 {
		t.Fatalf("entries %+v", h.ui.entries)
	}
	h.until("the new address checked", func() bool { return h.ui.statusOf(h.ui.entries[i]).Detail == "host not found" })
	row := newSidebarRow(hoverTip{})
	h.ui.sidebar.UpdateItem(i, row)
	if row.name.Text != "Work GitHub" || !strings.Contains(row.stateText, "ghcr.invalid") {
		t.Errorf("row %q %q", row.name.Text, row.stateText)
	}
}

func slicesIndex(es []settings.Entry, id string) int {
	for i, e := range es {
		if e.ID == id {
			return i
		}
	}
	return -1
}

func TestPlatformBreadcrumbNamesThePlatform(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	detail := h.openFirstTag("library/python")
	detail.Move(1, true)
	detail.Open()
	if !strings.HasSuffix(h.ui.title.Text, "›  linux/amd64") && !strings.Contains(h.ui.title.Text, "›  linux/") {
		t.Errorf("breadcrumb %q", h.ui.title.Text)
	}
	if strings.Contains(h.ui.title.Text, "sha256:") {
		t.Errorf("breadcrumb %q", h.ui.title.Text)
	}
}

// TestAddDialogAsksTheAddressBeforeItSaysHTTPS: the ✓ waits for the
// registry's answer; a registry that speaks plain HTTP is said to, in red,
// and once Plain HTTP is on it answers.
func TestAddDialogAsksTheAddressBeforeItSaysHTTPS(t *testing.T) {
	s := rt.Serve(t, rt.Config{})
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	h.ui.showAddRegistry()
	d := h.ui.registryDlg
	d.address.SetText(s.Registry.Host)
	if strings.Contains(d.verdict.Text, "✓") || d.verdict.Importance == widget.SuccessImportance || d.save.Disabled() {
		t.Errorf("before any answer: %q in %v", d.verdict.Text, d.verdict.Importance)
	}
	h.until("the answer", func() bool { return !strings.HasPrefix(d.verdict.Text, "Asking") })
	if !strings.Contains(d.verdict.Text, "speaks plain HTTP, not HTTPS: switch on Plain HTTP") || d.verdict.Importance != widget.DangerImportance {
		t.Errorf("HTTPS to a plain HTTP registry: %q in %v", d.verdict.Text, d.verdict.Importance)
	}
	d.plainHTTP.SetChecked(true)
	h.until("the answer over plain HTTP", func() bool { return !strings.HasPrefix(d.verdict.Text, "Asking") })
	if d.verdict.Text != "✓ "+s.Registry.Host+" answers over plain HTTP" || d.verdict.Importance != widget.SuccessImportance {
		t.Errorf("plain HTTP: %q in %v", d.verdict.Text, d.verdict.Importance)
	}
	d.address.SetText("127.0.0.1:1")
	h.until("no answer", func() bool { return !strings.HasPrefix(d.verdict.Text, "Asking") })
	if !strings.Contains(d.verdict.Text, "No registry answers at 127.0.0.1:1 over plain HTTP yet (not reachable)") || d.save.Disabled() {
		t.Errorf("nothing there: %q", d.verdict.Text)
	}
}

// stateColorOf is the colour a sidebar row writes its state in.
func stateColorOf(r *sidebarRow) fyne.ThemeColorName {
	return r.state.Segments[0].(*widget.TextSegment).Style.ColorName
}

// TestTheSelectedRowsStateIsReadableAndWholeOnHover: the selected row
// writes an error in the red made readable on the selection, and a state
// too long for the sidebar shows whole when the pointer rests on it.
func TestTheSelectedRowsStateIsReadableAndWholeOnHover(t *testing.T) {
	s := rt.Serve(t, rt.Config{})
	h := newHarness(t, withEntry(settings.Entry{ID: s.Registry.Host, Name: "Local", Address: s.Registry.Host}))
	h.until("the plain HTTP verdict", func() bool { return h.ui.statusOf(h.ui.current).State == Broken })
	h.win.Resize(fyne.NewSize(640, 420))
	rows := map[bool]*sidebarRow{}
	for i, e := range h.ui.entries {
		row := newSidebarRow(h.ui.hoverTip())
		row.Resize(fyne.NewSize(150, row.MinSize().Height))
		h.ui.sidebar.UpdateItem(i, row)
		rows[e.ID == h.ui.current.ID] = row
	}
	if c := stateColorOf(rows[true]); c != colorErrorOnSelection {
		t.Errorf("the selected row's error is in %v", c)
	}
	if c := stateColorOf(rows[false]); c == colorErrorOnSelection || c == colorSecondaryOnSelection {
		t.Errorf("a row not selected is in %v", c)
	}
	row := rows[true]
	row.MouseIn(nil)
	h.until("the tip", func() bool { return h.ui.tips.shown == row })
	if got := h.ui.tips.text(); got != row.stateText || !strings.Contains(got, "speaks plain HTTP") {
		t.Errorf("tip %q for %q", got, row.stateText)
	}
}
