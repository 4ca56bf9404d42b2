package ui

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/cache"
	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
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
	cfg := withEntry(settings.Entry{ID: "r", Name: "Kept", Address: s.Registry.Host, PlainHTTP: true})
	h := newHarnessOptions(t, cfg, app.Options{Cache: store})
	h.until("the catalog", func() bool { return h.ui.catalog.summary.Text == "40 repositories" })
	h.ui.push(newRepositoryPage(h.ui, h.ui.current, "library/python"))
	repo := h.ui.top().(*repositoryPage)
	h.until("the tags", func() bool { return repo.list.Length() == 4 })
	s.Close()

	again := newHarnessOptions(t, cfg, app.Options{Cache: store})
	again.until("the kept catalog", func() bool { return again.ui.catalog.grid.Length() == 40 })
	again.until("the failed refresh", func() bool { return !again.ui.catalog.loading })
	if got := again.ui.catalog.summary.Text; !strings.HasPrefix(got, "40 repositories as of just now · not reachable: this computer's copy") {
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

// TestAKeptCatalogGivesWayToAnExpiredLogin: a restart draws the kept
// catalog, then the registry refuses the login that ran out: the copy goes
// and the message that says what to run stands alone, not over the cards.
func TestAKeptCatalogGivesWayToAnExpiredLogin(t *testing.T) {
	issued := &rt.IssuedLogins{}
	s := rt.Serve(t, rt.ECRConfig(issued))
	password := issued.Issue(rt.ECRUser, time.Hour)
	login := credential.Static{s.Registry.Host: {Username: rt.ECRUser, Password: password}}
	store, _ := cache.Open(t.TempDir(), 0)
	cfg := withEntry(settings.Entry{ID: "r", Name: "ECR", Address: s.Registry.Host, PlainHTTP: true, Kind: kinds.ECR})
	h := newHarnessOptions(t, cfg, app.Options{Cache: store, Credentials: login})
	h.until("the catalog", func() bool { return h.ui.catalog.summary.Text == "40 repositories" })
	h.runFor(time.Second) // the visible cards load, and are kept
	issued.Expire(password)

	again := newHarnessOptions(t, cfg, app.Options{Cache: store, Credentials: login})
	again.until("the kept catalog", func() bool { return again.ui.catalog.grid.Length() == 40 })
	p := again.ui.catalog
	again.until("the refused refresh", func() bool { return !p.loading })
	if !p.message.box.Visible() || !strings.Contains(p.message.lead.Text, "aws ecr get-login-password") {
		t.Fatalf("message %q (shown: %v)", p.message.lead.Text, p.message.box.Visible())
	}
	if p.grid.Visible() || p.grid.Length() != 0 {
		t.Errorf("the message shares the page with %d kept cards (grid shown: %v)", p.grid.Length(), p.grid.Visible())
	}
	if d := again.ui.statusOf(again.ui.current).Detail; d != "login expired" {
		t.Errorf("sidebar says %q", d)
	}
	again.runFor(time.Second) // the kept cards asked for their details are refused too
	if p.summary.Text != "login expired" {
		t.Errorf("the summary over the message says %q", p.summary.Text)
	}
}

// TestSettingsShowTheCacheAndClearIt: the settings say how much is kept,
// and Clear empties it.
func TestSettingsShowTheCacheAndClearIt(t *testing.T) {
	s := rt.Serve(t, rt.Config{})
	store, _ := cache.Open(t.TempDir(), 0)
	h := newHarnessOptions(t, withEntry(settings.Entry{ID: "r", Name: "Kept", Address: s.Registry.Host, PlainHTTP: true}), app.Options{Cache: store})
	h.until("the catalog", func() bool { return h.ui.catalog.summary.Text == "40 repositories" })
	h.runFor(time.Second) // the visible cards load, and are kept
	h.ui.showSettings()
	v := h.ui.cacheView
	h.until("the count", func() bool { return strings.HasPrefix(v.usage.Text, "This computer keeps ") })
	if strings.HasPrefix(v.usage.Text, "This computer keeps 0 B") || !strings.Contains(v.usage.Text, "at most 1 GiB") {
		t.Errorf("usage %q", v.usage.Text)
	}
	before, size := v.usage.Text, store.Size()
	test.Tap(v.clear)
	h.until("cleared", func() bool { return v.usage.Text != before && !v.clear.Disabled() })
	if after := store.Size(); after > size/10 {
		t.Errorf("%d bytes after Clear, %d before", after, size)
	}
}

// TestTheKeepSwitchAndTheSignOutOffer: switching "keep a copy" off forgets
// the registry's copy and keeps nothing more; signing out offers to forget.
func TestTheKeepSwitchAndTheSignOutOffer(t *testing.T) {
	store, _ := cache.Open(t.TempDir(), 0)
	h, s := loginHarnessWith(t, app.Options{Cache: store})
	d := h.typeLogin("alice", secret)
	test.Tap(d.signIn)
	h.until("the catalog with the login", func() bool { return h.ui.catalog.grid.Length() == 40 && !h.ui.catalog.loading })
	if store.Size() == 0 {
		t.Fatal("nothing kept")
	}
	test.Tap(h.ui.loginButton)
	test.Tap(h.ui.login.signOut)
	h.until("the offer", func() bool { return h.ui.forgetButton != nil })
	test.Tap(h.ui.forgetButton)
	h.until("forgotten", func() bool { return store.Size() == 0 })

	// Switched off: nothing of the registry is written.
	h.ui.showEditRegistry()
	rd := h.ui.registryDlg
	if !rd.keep.Checked {
		t.Fatal("keeping is off by default")
	}
	test.Tap(rd.keep)
	test.Tap(rd.save)
	e := h.ui.core.Entries()[len(h.ui.core.Entries())-1]
	if !e.NoCache || e.Address != s.Registry.Host {
		t.Fatalf("entry %+v", e)
	}
	h.until("the catalog again", func() bool { return h.ui.catalog != nil && h.ui.catalog.entry.NoCache && !h.ui.catalog.loading })
	if n := store.Size(); n != 0 {
		t.Errorf("%d bytes kept with the switch off", n)
	}
}

// TestTheSettingsSwitchOffKeepingARegistry: the settings list each
// registry's switch; off, what was kept of it is forgotten and nothing more
// is written.
func TestTheSettingsSwitchOffKeepingARegistry(t *testing.T) {
	s := rt.Serve(t, rt.Config{})
	store, _ := cache.Open(t.TempDir(), 0)
	h := newHarnessOptions(t, withEntry(settings.Entry{ID: "r", Name: "Kept", Address: s.Registry.Host, PlainHTTP: true}), app.Options{Cache: store})
	h.until("the catalog", func() bool { return h.ui.catalog.summary.Text == "40 repositories" })
	h.ui.showSettings()
	keeps := h.ui.cacheView.keeps
	if len(keeps) == 0 || keeps[len(keeps)-1].check.Text != "Keep a copy of Kept on this computer" || !keeps[len(keeps)-1].check.Checked {
		t.Fatalf("switches %+v", keeps)
	}
	test.Tap(keeps[len(keeps)-1].check)
	h.windowKey(fyne.KeyReturn) // Save
	e := h.ui.core.Entries()[len(h.ui.core.Entries())-1]
	if !e.NoCache {
		t.Fatal("not saved")
	}
	h.until("the page again", func() bool { return h.ui.catalog != nil && h.ui.catalog.entry.NoCache && !h.ui.catalog.loading })
	h.runFor(500 * time.Millisecond) // its cards load, and are not kept
	h.until("forgotten", func() bool { return store.Size() == 0 })
}

// TestPastTheGridThePagesSayTheyShowTheKeptCopy: with the registry gone,
// the tags, the tag's page and its files say they are this computer's
// copy, the sidebar keeps saying that the registry is not reachable, the
// files view does not claim a download, and reading a file says why it
// cannot in the app's words, with a Retry.
func TestPastTheGridThePagesSayTheyShowTheKeptCopy(t *testing.T) {
	s := rt.Serve(t, rt.Config{})
	gone := &switchedOff{to: s.Registry.Host}
	proxy := httptest.NewServer(gone)
	defer proxy.Close()
	store, _ := cache.Open(t.TempDir(), 0)
	h := newHarnessOptions(t, withEntry(settings.Entry{ID: "r", Name: "Kept", Address: strings.TrimPrefix(proxy.URL, "http://"), PlainHTTP: true}),
		app.Options{Cache: store, ClientOptions: []registry.Option{registry.WithRetry(1, 0)}})
	h.until("the catalog", func() bool { return h.ui.catalog.summary.Text == "40 repositories" })
	detail := h.openFirstTag("team-a/web")
	detail.browseFiles()
	files := h.ui.top().(*filesPage)
	h.until("every layer read", func() bool { return files.loaded })
	if strings.Contains(files.status.Text, "this computer's copy") || !strings.Contains(files.status.Text, "/s") {
		t.Errorf("a download said %q", files.status.Text)
	}
	gone.off.Store(true)
	h.ui.show(h.ui.current)
	h.until("the kept catalog", func() bool { return !h.ui.catalog.loading })

	detail = h.openFirstTag("team-a/web")
	if st := h.ui.statusOf(h.ui.current); st.State != Unreachable || !strings.HasSuffix(st.Detail, copyNote) {
		t.Errorf("with the tag's page open, the sidebar says %+v", st)
	}
	repo := h.ui.pages[1].(*repositoryPage)
	if !strings.Contains(repo.summary.Text, "not reachable: this computer's copy") {
		t.Errorf("tags summary %q", repo.summary.Text)
	}
	if !strings.Contains(allText(detail.body), "not reachable: this computer's copy") {
		t.Errorf("the tag's page does not say it is the kept copy:\n%s", allText(detail.body))
	}
	detail.browseFiles()
	files = h.ui.top().(*filesPage)
	h.until("every layer listed", func() bool { return files.loaded })
	if !strings.Contains(files.status.Text, "from this computer's copy, nothing downloaded") || strings.Contains(files.status.Text, "/s") {
		t.Errorf("files status %q", files.status.Text)
	}
	id, _ := files.tree.Lookup("/srv/web/README.md")
	files.reveal(id)
	files.Open()
	text := h.ui.top().(*textPage)
	h.until("the file's answer", func() bool { return text.message.box.Visible() })
	if m := text.message; !strings.Contains(m.lead.Text, "Kept is not reachable") || !strings.Contains(m.lead.Text, "keeps the lists of files") || !m.retry.Visible() {
		t.Errorf("reading a file offline: %q (retry %v)", m.lead.Text, m.retry.Visible())
	}
	// The registry back, Retry reads the file, and the sidebar follows.
	gone.off.Store(false)
	test.Tap(text.message.retry)
	h.until("the text", func() bool { return len(text.lines) > 0 })
	if st := h.ui.statusOf(h.ui.current); st.State != Ready || text.message.box.Visible() {
		t.Errorf("after the file came: sidebar %+v, message shown %v", st, text.message.box.Visible())
	}
}

// switchedOff passes requests to a registry, or, while off, drops their
// connections as a registry that went away does.
type switchedOff struct {
	to  string
	off atomic.Bool
}

func (p *switchedOff) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p.off.Load() {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: p.to}).ServeHTTP(w, r)
}

// TestTheLookIsChosenInTheSettings: Light, Dark or the system's, applied
// at once, kept in the settings, and put back by Cancel.
func TestTheLookIsChosenInTheSettings(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	h.ui.showSettings()
	look := h.ui.settingsLook
	if look.Selected != "As the system" {
		t.Fatalf("look %q", look.Selected)
	}
	look.SetSelected("Light")
	bg := theme.ColorNameBackground
	if got := fyne.CurrentApp().Settings().Theme().Color(bg, theme.VariantDark); got != theme.DefaultTheme().Color(bg, theme.VariantLight) {
		t.Errorf("Light not applied at once: background %v", got)
	}
	h.windowKey(fyne.KeyReturn) // Save
	if h.ui.core.Settings().Theme != settings.ThemeLight || !strings.Contains(h.prefs["settings.v1"], `"theme":"light"`) {
		t.Errorf("not kept: %q", h.prefs["settings.v1"])
	}
	h.ui.showSettings()
	h.ui.settingsLook.SetSelected("Dark")
	h.windowKey(fyne.KeyEscape) // Cancel
	if h.ui.core.Settings().Theme != settings.ThemeLight || fyne.CurrentApp().Settings().Theme().Color(bg, theme.VariantDark) != theme.DefaultTheme().Color(bg, theme.VariantLight) {
		t.Errorf("Cancel kept %q", h.ui.core.Settings().Theme)
	}
}
