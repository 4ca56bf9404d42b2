package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/apptest"
	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// harness runs the UI with results queued for the test goroutine, which
// plays the part of Fyne's UI goroutine.
type harness struct {
	t     *testing.T
	prefs settings.MemoryPrefs
	ui    *UI
	win   fyne.Window
	queue chan func()
	// slowest is the longest the UI goroutine spent on one piece of work.
	slowest time.Duration
}

func newHarness(t *testing.T, cfg settings.Settings) *harness {
	return newHarnessWith(t, cfg, nil)
}

// newHarnessWith reads other tools' logins from others.
func newHarnessWith(t *testing.T, cfg settings.Settings, others registry.CredentialSource) *harness {
	return newHarnessOptions(t, cfg, app.Options{Credentials: others})
}

// newHarnessOptions starts the app with opts (its Prefs hold settings).
func newHarnessOptions(t *testing.T, cfg settings.Settings, opts app.Options) *harness {
	t.Helper()
	test.NewTempApp(t)
	prefs := settings.MemoryPrefs{}
	opts.Prefs = prefs
	core := apptest.New(t, cfg, opts)
	h := &harness{t: t, prefs: prefs, queue: make(chan func(), 4096)}
	h.win = test.NewTempWindow(t, nil)
	h.win.Resize(DefaultWindowSize)
	h.ui = Create(h.win, core, Options{Do: func(f func()) { h.queue <- f }})
	return h
}

// until runs queued UI work until cond holds, failing after rt.Patience. cond
// is asked again after each piece of work, and now and then besides: what
// it waits for may be done in the background with no UI work after it.
func (h *harness) until(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.After(rt.Patience)
	poll := time.NewTicker(20 * time.Millisecond)
	defer poll.Stop()
	for !cond() {
		select {
		case f := <-h.queue:
			start := time.Now()
			f()
			h.slowest = max(h.slowest, time.Since(start))
		case <-poll.C:
		case <-deadline:
			h.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// runFor runs queued UI work for d, whatever comes.
func (h *harness) runFor(d time.Duration) {
	end := time.After(d)
	for {
		select {
		case f := <-h.queue:
			f()
		case <-end:
			return
		}
	}
}

func (h *harness) key(name fyne.KeyName) { h.ui.search.TypedKey(&fyne.KeyEvent{Name: name}) }

func richText(r *widget.RichText) string {
	var b strings.Builder
	for _, s := range r.Segments {
		b.WriteString(s.Textual())
	}
	return b.String()
}

// card binds grid cell id and returns it.
func (h *harness) card(id int) *repoCard {
	c := newRepoCard()
	h.ui.catalog.grid.UpdateItem(id, c)
	return c
}

func demoLoaded(h *harness) {
	h.until("the demo catalog", func() bool { return h.ui.catalog != nil && h.ui.catalog.summary.Text == "40 repositories" })
}

func TestDemoCatalogFillsTheGridAndTheCards(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	if got := h.ui.catalog.grid.Length(); got != 40 {
		t.Fatalf("grid has %d cards", got)
	}
	c := h.card(0)
	if richText(c.namespace) != "data" || richText(c.name) != "airflow" || !c.skeleton.Visible() {
		t.Errorf("first card = %q / %q, skeleton %v", richText(c.namespace), richText(c.name), c.skeleton.Visible())
	}
	// The card's details arrive through the pool and refresh that card.
	h.until("the first card's details", func() bool {
		s := h.ui.catalog.lazy.states["data/airflow"]
		return s != nil && s.loaded
	})
	c = h.card(0)
	if !strings.Contains(c.details.Text, "3 tags · newest 2.10.0") || !strings.Contains(c.platforms.Text, "arm64/v8") {
		t.Errorf("details %q, platforms %q", c.details.Text, c.platforms.Text)
	}
}

func TestUnreachableRegistryIsSaidPlainly(t *testing.T) {
	cfg := settings.Default()
	// Port 1 on loopback refuses connections at once.
	cfg.Registries = []settings.Entry{{ID: "dead", Name: "Dead registry", Address: "127.0.0.1:1", PlainHTTP: true}}
	cfg.LastSelected = "dead"
	h := newHarness(t, cfg)
	h.until("the error message", func() bool { return h.ui.catalog.message.box.Visible() })
	m := h.ui.catalog.message
	if !strings.Contains(m.lead.Text, "Dead registry is not reachable") || !strings.Contains(m.detail.Text, "127.0.0.1:1") || !m.retry.Visible() {
		t.Errorf("message %q / %q", m.lead.Text, m.detail.Text)
	}
	h.until("the sidebar state", func() bool { return h.ui.status["dead"].State == Unreachable })
	row := newSidebarRow(hoverTip{})
	h.ui.sidebar.UpdateItem(1, row)
	if !strings.Contains(row.stateText, "not reachable") {
		t.Errorf("sidebar row says %q", row.stateText)
	}
	h.ui.search.SetText("pyth")
	h.ui.sidebar.Select(0)
	h.until("the demo catalog", func() bool { return h.ui.catalog.grid.Length() == 40 && !h.ui.catalog.message.box.Visible() })
	if h.ui.search.Text != "" {
		t.Errorf("the other registry's search %q stayed in the box", h.ui.search.Text)
	}
}

func TestSearchNarrowsRanksAndHighlights(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	test.Type(h.ui.search, "pyth")
	if n := h.ui.catalog.grid.Length(); n == 0 || n >= 40 {
		t.Fatalf("%d cards for \"pyth\"", n)
	}
	c := h.card(0)
	if richText(c.name) != "python" {
		t.Fatalf("best match %q", richText(c.name))
	}
	marked := ""
	for _, s := range c.name.Segments {
		if ts := s.(*widget.TextSegment); ts.Style.ColorName == theme.ColorNamePrimary {
			marked += ts.Text
		}
	}
	if marked != "pyth" {
		t.Errorf("highlighted %q", marked)
	}
	h.key(fyne.KeyEscape)
	if h.ui.search.Text != "" || h.ui.catalog.grid.Length() != 40 {
		t.Errorf("Esc left %q and %d cards", h.ui.search.Text, h.ui.catalog.grid.Length())
	}
	h.ui.search.SetText("zzzzqqq")
	if h.ui.catalog.grid.Length() != 0 || !strings.Contains(h.ui.catalog.summary.Text, "0 of 40") {
		t.Errorf("%d cards for nonsense, %q", h.ui.catalog.grid.Length(), h.ui.catalog.summary.Text)
	}
}

// The keyboard alone: search, open a repository, move to a tag, open it,
// open a platform, and back again.
func TestKeyboardOpensRepositoryTagAndPlatform(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	test.Type(h.ui.search, "library/python")
	h.key(fyne.KeyReturn)
	repo, ok := h.ui.top().(*repositoryPage)
	if !ok || repo.repo != "library/python" {
		t.Fatalf("Enter opened %T", h.ui.top())
	}
	h.until("the tags", func() bool { return repo.list.Length() == 4 })
	if !strings.Contains(h.ui.title.Text, "Demo registry  ›  library/python") {
		t.Errorf("breadcrumb %q", h.ui.title.Text)
	}
	row := newTagRow()
	repo.list.UpdateItem(0, row)
	if richText(row.tag) != "3.13" {
		t.Errorf("newest version first: %q", richText(row.tag))
	}
	h.key(fyne.KeyDown) // shows the cursor on 3.13
	h.key(fyne.KeyDown) // 3.12
	h.key(fyne.KeyReturn)
	detail, ok := h.ui.top().(*detailPage)
	if !ok || detail.ref.Tag != "3.12" {
		t.Fatalf("opened %T %+v", h.ui.top(), detail)
	}
	h.until("the index", func() bool { return detail.inspection != nil })
	if detail.platformRows == nil || detail.platformRows.Length() < 3 {
		t.Fatal("the index's platforms are not listed")
	}
	// The search box is off here: the window takes the keys.
	h.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyDown})
	h.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	image := h.ui.top().(*detailPage)
	h.until("the image", func() bool { return image.inspection != nil })
	if image.tabs == nil || image.inspection.Config.Architecture != "arm64" {
		t.Fatalf("image detail: %+v", image.inspection)
	}
	// Back with Alt+Left, Backspace, Esc.
	h.ui.back()
	h.ui.back()
	if h.ui.top() != repo {
		t.Fatalf("back went to %T", h.ui.top())
	}
	h.ui.search.SetText("")
	h.key(fyne.KeyBackspace)
	if h.ui.top() != h.ui.catalog {
		t.Fatalf("Backspace went to %T", h.ui.top())
	}
}

func TestDetailShowsPlatformsLayersConfigHistoryAndReferrers(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	reg, _ := h.ui.current.Registry()
	ref := registry.Reference{Registry: reg, Repository: "team-b/feature-flags", Tag: "v0.4.0"}
	p := newDetailPage(h.ui, h.ui.current, ref)
	h.ui.push(p)
	h.until("the image", func() bool { return p.inspection != nil })
	var tabs []string
	for _, it := range p.tabs.Items {
		tabs = append(tabs, it.Text)
	}
	if strings.Join(tabs, ",") != "Config,History,Layers,Annotations,Referrers (0),Trust,Manifest JSON,Config JSON" {
		t.Errorf("tabs %v", tabs)
	}
	history := p.tabs.Items[1].Content.(*container.Scroll).Content.(*widget.RichText)
	text := richText(history)
	if !strings.Contains(text, "WORKDIR /app/feature-flags") || !strings.Contains(text, "COPY app/ /app/feature-flags/") || !strings.Contains(text, "# ") {
		t.Errorf("history:\n%s", text)
	}
	dimmed := 0
	for _, s := range history.Segments {
		if s.(*widget.TextSegment).Style.ColorName == theme.ColorNamePlaceHolder {
			dimmed++
		}
	}
	if dimmed != 5 {
		t.Errorf("%d dimmed steps, want the 5 empty layers", dimmed)
	}

	// The index with an SBOM referrer.
	ref = registry.Reference{Registry: reg, Repository: "library/python", Tag: "3.12"}
	idx := newDetailPage(h.ui, h.ui.current, ref)
	h.ui.push(idx)
	h.until("the index", func() bool { return idx.inspection != nil })
	if len(idx.inspection.Referrers) != 1 {
		t.Errorf("referrers %v", idx.inspection.Referrers)
	}
}

func TestCardErrorsShowWhereTheyHappenWithARetry(t *testing.T) {
	s, err := rt.Start(rt.Config{Repos: map[string]rt.Auth{"library/python": rt.Basic}, Users: map[string]string{"a": "b"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cfg := settings.Default()
	cfg.Registries = []settings.Entry{{ID: "mixed", Name: "Mixed", Address: s.Registry.Host, PlainHTTP: true}}
	cfg.LastSelected = "mixed"
	h := newHarness(t, cfg)
	h.until("the catalog", func() bool { return h.ui.catalog.summary.Text == "40 repositories" })
	test.Type(h.ui.search, "library/python")
	h.card(0)
	h.until("the card's error", func() bool {
		st := h.ui.catalog.lazy.states["library/python"]
		return st != nil && st.loaded
	})
	c := h.card(0)
	if !strings.Contains(c.details.Text, "Could not load: needs a login") || !c.retry.Visible() {
		t.Errorf("card says %q, retry %v", c.details.Text, c.retry.Visible())
	}
	test.Tap(c.retry)
	if st := h.ui.catalog.lazy.states["library/python"]; st != nil && st.loaded {
		t.Error("retry kept the old result")
	}
}

func TestAddRegistryValidatesAsYouTypeAndPersists(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	h.ui.showAddRegistry()
	d := h.ui.registryDlg
	if !d.save.Disabled() {
		t.Error("Save enabled with no address")
	}
	test.Type(d.address, "exa mple.com")
	if !d.save.Disabled() || !strings.Contains(d.verdict.Text, "host name") {
		t.Errorf("bad address: %q", d.verdict.Text)
	}
	d.address.SetText("https://quay.io/repository/x")
	if !d.save.Disabled() || !strings.Contains(d.verdict.Text, "no path") {
		t.Errorf("path: %q", d.verdict.Text)
	}
	d.address.SetText("localhost:5000")
	d.plainHTTP.SetChecked(true)
	if d.save.Disabled() || !strings.Contains(d.verdict.Text, "localhost:5000 over plain HTTP") {
		t.Errorf("good address: %q", d.verdict.Text)
	}
	test.Type(d.name, "Local")
	test.Tap(d.save)
	if s := h.ui.core.Settings(); s.Registries[len(s.Registries)-1].Name != "Local" || !strings.Contains(h.prefs["settings.v1"], `"localhost:5000"`) {
		t.Fatalf("not saved: %+v", s.Registries)
	}
	h.until("the new registry shown", func() bool { return h.ui.current.ID == "localhost:5000" })
	// Adding it twice says so.
	h.ui.showAddRegistry()
	h.ui.registryDlg.address.SetText("localhost:5000")
	test.Tap(h.ui.registryDlg.save)
	if !strings.Contains(h.ui.registryDlg.verdict.Text, "in the sidebar already") {
		t.Errorf("duplicate: %q", h.ui.registryDlg.verdict.Text)
	}
	// An address typed with http:// ticks Plain HTTP, and unticks it when
	// it no longer says http://.
	h.ui.registryDlg.address.SetText("http://127.0.0.1:5001")
	if !h.ui.registryDlg.plainHTTP.Checked || !strings.Contains(h.ui.registryDlg.verdict.Text, "over plain HTTP") {
		t.Errorf("http://: box ticked %v, verdict %q", h.ui.registryDlg.plainHTTP.Checked, h.ui.registryDlg.verdict.Text)
	}
	h.ui.registryDlg.address.SetText("registry.example.com")
	if h.ui.registryDlg.plainHTTP.Checked || !strings.Contains(h.ui.registryDlg.verdict.Text, "over HTTPS") {
		t.Errorf("http:// gone: box ticked %v, verdict %q", h.ui.registryDlg.plainHTTP.Checked, h.ui.registryDlg.verdict.Text)
	}
	// Docker Hub's aliases are Docker Hub, the preset's.
	h.ui.registryDlg.address.SetText("index.docker.io")
	if !strings.Contains(h.ui.registryDlg.verdict.Text, "in the sidebar already, as Docker Hub") {
		t.Errorf("hub: %q", h.ui.registryDlg.verdict.Text)
	}
	h.ui.registryDlg.dialog.Hide()
	h.ui.core.RemoveEntry("localhost:5000")
	if strings.Contains(h.prefs["settings.v1"], "localhost:5000") {
		t.Error("removed entry still saved")
	}
}

func TestHubEntryListsANamespaceAndPinsShowFirst(t *testing.T) {
	registryServer, err := rt.Start(rt.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer registryServer.Close()
	hub := rt.StartHubAPI(map[string][]string{"library": {"python", "node", "golang", "alpine"}})
	defer hub.Close()
	cfg := settings.Default()
	cfg.Registries = []settings.Entry{{ID: "hub", Name: "Hub (test)", Address: registryServer.Registry.Host, PlainHTTP: true,
		HubAPI: "http://" + hub.Registry.Host}}
	cfg.LastSelected = "hub"
	cfg.Pinned = map[string][]string{"hub": {"team-a/web"}}
	h := newHarness(t, cfg)
	h.until("the namespace", func() bool { return h.ui.catalog.summary.Text == "5 repositories" })
	if got := richText(h.card(0).name); got != "web" || !h.card(0).pin.Visible() {
		t.Errorf("first card %q: pinned first", got)
	}
	if got := richText(h.card(1).namespace) + "/" + richText(h.card(1).name); got != "library/alpine" {
		t.Errorf("second card %q", got)
	}
}

func TestEscapeClosesDialogsAndCtrlDCopiesTheDigest(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	h.ui.showAddRegistry()
	d := h.ui.registryDlg
	d.address.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.win.Canvas().Overlays().Top() != nil {
		t.Error("Esc left the dialog open")
	}
	if h.ui.top() != h.ui.catalog {
		t.Error("Esc in the dialog also went back")
	}
	reg, _ := h.ui.current.Registry()
	p := newDetailPage(h.ui, h.ui.current, registry.Reference{Registry: reg, Repository: "team-a/web", Tag: "latest"})
	h.ui.push(p)
	h.until("the image", func() bool { return p.inspection != nil })
	h.ui.onDetail((*detailPage).copyDigest)
	if got := fyne.CurrentApp().Clipboard().Content(); got != p.inspection.Manifest.Digest {
		t.Errorf("clipboard %q", got)
	}
	h.ui.selectTab(2)
	if p.tabs.Selected().Text != "Layers" {
		t.Errorf("Ctrl+3 shows %q", p.tabs.Selected().Text)
	}
}

// Hub search results merge into a loaded catalog once each, however often
// they are found again.
func TestHubSearchResultsMergeOnce(t *testing.T) {
	registryServer, err := rt.Start(rt.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer registryServer.Close()
	hub := rt.StartHubAPI(map[string][]string{"library": {"python", "node"}, "aaa": {"hello", "zhello"}})
	defer hub.Close()
	h := newHarness(t, withEntry(settings.Entry{ID: "hub", Name: "Hub (test)", Address: registryServer.Registry.Host, PlainHTTP: true,
		HubAPI: "http://" + hub.Registry.Host}))
	h.until("the namespace", func() bool { return h.ui.catalog.summary.Text == "2 repositories" })
	count := func(name string) int {
		n := 0
		for _, s := range h.ui.catalog.names {
			if s == name {
				n++
			}
		}
		return n
	}
	for _, q := range []string{"zhello", "hello", "zhello"} {
		h.ui.search.SetText(q)
		h.until("the Hub search of "+q, func() bool { return count("aaa/zhello") == 1 && (q == "zhello" || count("aaa/hello") == 1) })
		for range 50 { // let any late duplicate arrive
			select {
			case f := <-h.queue:
				f()
			default:
			}
		}
	}
	if count("aaa/hello") != 1 || count("aaa/zhello") != 1 || len(h.ui.catalog.names) != 4 {
		t.Errorf("names after three searches: %v", h.ui.catalog.names)
	}
}

// A grid rebinds every visible card each time a page of names arrives, and
// Fyne re-shapes a truncated text on every refresh: an unchanged card must
// keep its texts as they are.
func TestCardRedrawsOnlyWhatChanged(t *testing.T) {
	test.NewTempApp(t)
	c := newRepoCard()
	loaded := &lazyState{loaded: true, summary: image.Summary{Tags: 3, Newest: "v1.2.0", Platforms: []string{"linux/amd64"}}}
	c.set("team/web/api", nil, loaded, false, false, nil)
	name, details := c.name.Segments[0], c.details.Text
	c.set("team/web/api", []int{}, loaded, true, false, nil)
	if c.name.Segments[0] != name {
		t.Error("the same name and highlights were laid out again")
	}
	if c.bg.StrokeColor != theme.Color(theme.ColorNamePrimary) {
		t.Error("the cursor was not drawn")
	}
	c.set("team/web/api", []int{9}, loaded, false, false, nil)
	if c.name.Segments[0] == name || len(c.name.Segments) != 2 {
		t.Errorf("a new highlight was not shown: %d segments", len(c.name.Segments))
	}
	c.set("team/web/app", nil, &lazyState{loaded: true, summary: image.Summary{Tags: 1, Newest: "latest"}}, false, false, nil)
	if richText(c.name) != "app" || c.details.Text == details || c.details.Text != "1 tag · newest latest" {
		t.Errorf("another repository shows %q, %q", richText(c.name), c.details.Text)
	}
}

// F1 lists the shortcuts wherever the keyboard is: the search box has it
// on most pages.
func TestF1ShowsTheShortcutsFromTheSearchBox(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	if h.win.Canvas().Focused() != h.ui.search {
		t.Fatal("the search box does not have the keyboard")
	}
	h.key(fyne.KeyF1)
	top := h.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("F1 in the search box showed nothing")
	}
	listed := false
	for _, o := range test.LaidOutObjects(top) {
		if l, ok := o.(*widget.Label); ok && l.Text == "this help" {
			listed = true
		}
	}
	if !listed {
		t.Error("the overlay does not list the shortcuts")
	}
}

// openFirstTag searches for repository, opens it and its first tag by
// keyboard, and waits for the tag's page.
func (h *harness) openFirstTag(repository string) *detailPage {
	h.t.Helper()
	test.Type(h.ui.search, repository)
	h.key(fyne.KeyReturn)
	repo := h.ui.top().(*repositoryPage)
	h.until("the tags", func() bool { return repo.list.Length() > 0 })
	h.key(fyne.KeyDown)
	h.key(fyne.KeyReturn)
	detail := h.ui.top().(*detailPage)
	h.until("the tag's page", func() bool { return detail.inspection != nil })
	return detail
}
