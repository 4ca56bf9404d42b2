package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/app/trust/sbom"
	"github.com/card-catalog/card-catalog/app/trust/trusttest"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/demo"
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
		if r.badge.reason == "" || !strings.Contains(r.wholeIfCut(), r.badge.reason) {
			t.Errorf("%s:%s badge says no reason on hovering: %q", c.repo, c.tag, r.wholeIfCut())
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

// openTrust opens ref of the demo and waits for its Trust tab's verdict.
func openTrust(h *harness, ref string) *detailPage {
	h.t.Helper()
	r, err := registry.ParseReference(h.ui.current.Address+"/"+ref, true, false)
	if err != nil {
		h.t.Fatal(err)
	}
	p := newDetailPage(h.ui, h.ui.current, r)
	h.ui.push(p)
	h.until("the verdict of "+ref, func() bool { return p.trust != nil && p.trust.result != nil })
	h.until("the SBOM of "+ref, func() bool { return p.trust.packages != nil || p.trust.sbomErr != nil })
	if !slices.Contains(p.tabs.Items, p.trust.tab) {
		h.t.Fatal("the image has no Trust tab")
	}
	return p
}

// payments-api v1.5.0 is verified by the demo publisher's key, with its
// provenance, what is attached, and its seven packages, searchable and
// sortable; the header counts them.
func TestTrustTabShowsAVerifiedImage(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	p := openTrust(h, "team-a/payments-api:v1.5.0")
	v := p.trust
	words := allText(v.verdictsTab.Content)
	for _, want := range []string{
		"Verified: signed by key demo-publisher", "Policy: Verified", "✓ cosign signature", "Signed by: key demo-publisher",
		"Trusted through: key demo-publisher", "Checked: the signature matches what it signs", "Provenance: how it was built", "Source: https://github.com/card-catalog-demo/payments-api",
		"Source ref: refs/tags/v1.5.0", "Provenance: signed and verified", "Attached to this image", "SPDX",
	} {
		if !strings.Contains(words, want) {
			t.Errorf("the Trust tab does not say %q:\n%s", want, words)
		}
	}
	if v.badge.text.Text != "signed" {
		t.Errorf("badge %q", v.badge.text.Text)
	}
	if sig, att := strings.Index(words, "✓ cosign signature"), strings.Index(words, "✓ cosign attestation"); sig < 0 || att < sig {
		t.Errorf("the signature is not said before the attestation:\n%s", words)
	}
	if !strings.HasPrefix(v.packageCount.Text, "7 packages (SPDX 2.3") || !v.packageCount.Visible() || v.packagesTab.Text != "Packages (7)" {
		t.Errorf("header %q, tab %q", v.packageCount.Text, v.packagesTab.Text)
	}
	pt := v.packages
	if len(pt.shown) != 7 || pt.cell(0, 0) > pt.cell(1, 0) {
		t.Fatalf("%d packages, first %q then %q", len(pt.shown), pt.cell(0, 0), pt.cell(1, 0))
	}
	first := pt.shown[0].Name
	test.Type(pt.search, first)
	if len(pt.shown) == 0 || len(pt.shown) >= 7 || !strings.Contains(pt.matches.Text, "of 7") {
		t.Errorf("searching %q kept %d (%q)", first, len(pt.shown), pt.matches.Text)
	}
	pt.search.SetText("")
	pt.sortBy(sbom.ByName)
	if pt.shown[0].Name < pt.shown[6].Name || !pt.descending {
		t.Errorf("a second tap on Name did not sort the other way: %q … %q", pt.shown[0].Name, pt.shown[6].Name)
	}
	head := pt.table.CreateHeader().(*widget.Button)
	pt.table.UpdateHeader(widget.TableCellID{Row: -1, Col: 1}, head)
	test.Tap(head)
	if pt.by != sbom.ByVersion || pt.descending || head.Text != "Version" {
		t.Errorf("tapping Version: by %v descending %v (%q)", pt.by, pt.descending, head.Text)
	}
	pt.table.UpdateHeader(widget.TableCellID{Row: -1, Col: 1}, head)
	if head.Text != "Version ▲" {
		t.Errorf("head %q", head.Text)
	}
}

// gateway v5.1.0 is signed by a key this computer does not trust.
func TestTrustTabShowsAnImageNotTrusted(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	v := openTrust(h, "team-b/gateway:v5.1.0").trust
	words := allText(v.verdictsTab.Content)
	for _, want := range []string{"Not verified: key demo-publisher: the signature does not match", "signed by another key", "✗ cosign signature", "Problem: "} {
		if !strings.Contains(words, want) {
			t.Errorf("the Trust tab does not say %q:\n%s", want, words)
		}
	}
	if v.badge.text.Text != "not trusted" || v.packageCount.Visible() || !errors.Is(v.sbomErr, trust.ErrNoSBOM) {
		t.Errorf("badge %q, count %q, SBOM %v", v.badge.text.Text, v.packageCount.Text, v.sbomErr)
	}
}

// An image nothing signs says so.
func TestTrustTabShowsAnUnsignedImage(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	v := openTrust(h, "team-a/payments-api:v1.4.0").trust
	words := allText(v.verdictsTab.Content)
	for _, want := range []string{"Unsigned: nothing signs this image", "Nothing: no signature, attestation or SBOM refers to this image."} {
		if !strings.Contains(words, want) {
			t.Errorf("the Trust tab does not say %q:\n%s", want, words)
		}
	}
	if v.badge.text.Text != "unsigned" || !strings.Contains(allText(v.packagesTab.Content), "No SBOM is attached") {
		t.Errorf("badge %q, packages %q", v.badge.text.Text, allText(v.packagesTab.Content))
	}
}

// Settings › Trust lists the roots and keys, imports a key, says why a
// file is not one, removes it, and saves a rule of the policy, which the
// next opening shows again.
func TestTrustSettingsImportRemoveAndRules(t *testing.T) {
	store := &trust.Store{Dir: t.TempDir(), CacheDir: t.TempDir()}
	h := newHarnessOptions(t, settings.Default(), app.Options{Trust: store})
	demoLoaded(h)
	h.ui.showSettings()
	v := h.ui.trustSettings
	h.until("the trust material", func() bool {
		return strings.Contains(allText(v.material), "Root: Sigstore public good — shipped with Card Catalog, of ")
	})
	v.importFile(app.TrustKey, importName("cosign.pub"), demo.PublisherKeyPEM)
	h.until("the key listed", func() bool { return strings.Contains(allText(v.material), "Key: cosign — SHA-256 ") })
	if m, _ := store.Load(); len(m.Keys) != 1 || !strings.Contains(v.status.Text, "Imported cosign") {
		t.Errorf("the store keeps %d keys; status %q", len(m.Keys), v.status.Text)
	}
	v.importFile(app.TrustKey, "junk", []byte("not a key"))
	h.until("the refusal", func() bool { return strings.HasPrefix(v.status.Text, "Not imported: ") })

	v.addRule(trust.Rule{})
	r := v.rules[len(v.rules)-1]
	r.scope.SetText("ghcr.io/acme/*")
	r.identity.SetText("https://github.com/acme/*")
	r.issuer.SetText("https://token.actions.githubusercontent.com")
	h.windowKey(fyne.KeyReturn) // Save
	want := trust.Rule{Scope: "ghcr.io/acme/*", Identity: "https://github.com/acme/*", Issuer: "https://token.actions.githubusercontent.com"}
	h.until("the policy saved", func() bool { p, _ := store.Policy(); return len(p.Rules) == 1 && p.Rules[0] == want })

	h.ui.showSettings()
	v = h.ui.trustSettings
	h.until("the rules again", func() bool { return len(v.rules) == 1 && v.rules[0].scope.Text == "ghcr.io/acme/*" })
	h.until("the key again", func() bool { return strings.Contains(allText(v.material), "Key: cosign") })
	var remove *escButton
	for _, o := range v.material.Objects {
		if c, ok := o.(*fyne.Container); ok && strings.Contains(allText(c), "Key: cosign") {
			for _, x := range c.Objects {
				if b, ok := x.(*escButton); ok {
					remove = b
				}
			}
		}
	}
	if remove == nil {
		t.Fatal("no Remove beside the imported key")
	}
	test.Tap(remove)
	h.until("the key removed", func() bool {
		m, _ := store.Load()
		return len(m.Keys) == 0 && !strings.Contains(allText(v.material), "Key: cosign")
	})
	if got := importName("my key (1).pem"); got != "my-key-1" {
		t.Errorf("importName %q", got)
	}
}

// A platform of a signed index has nothing attached of its own: its Trust
// tab shows its index's verdict and SBOM, and says so.
func TestAPlatformIsJudgedByItsIndex(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	idx := openTrust(h, "team-a/payments-api:v1.5.0")
	idx.openPlatform(0)
	child := h.ui.top().(*detailPage)
	h.until("the platform's verdict", func() bool { return child.trust != nil && child.trust.result != nil })
	h.until("the platform's SBOM", func() bool { return child.trust.packages != nil || child.trust.sbomErr != nil })
	v := child.trust
	if v.result.Report.Outcome() != trust.OutcomeVerified || !v.note.Visible() || !strings.Contains(v.note.Text, "its index (") {
		t.Errorf("%s; note %q", v.result.Report.Summary(), v.note.Text)
	}
	if v.packages == nil || len(v.packages.all) != 7 {
		t.Errorf("the platform's packages: %v", v.sbomErr)
	}
	if idx.trust.note.Visible() {
		t.Error("the index's own tab says it is its index's")
	}
}

// TestTrustSettingsRefreshSigstoresRoot: the button fetches the public-good
// root through TUF (a repository served here) and lists it as refreshed;
// when the repository cannot be reached it says so, and the root kept is
// still the one used.
func TestTrustSettingsRefreshSigstoresRoot(t *testing.T) {
	srv, rootJSON, _ := trusttest.TUFRepository(t, trust.PublicGoodJSON())
	store := &trust.Store{Dir: t.TempDir(), CacheDir: t.TempDir()}
	h := newHarnessOptions(t, settings.Default(), app.Options{Trust: store,
		TrustRefresh: trust.RefreshOptions{Mirror: srv.URL, RootJSON: rootJSON, HTTP: srv.Client()}})
	h.ui.showSettings()
	v := h.ui.trustSettings
	h.until("the shipped root", func() bool {
		return strings.Contains(allText(v.material), "Root: Sigstore public good — "+trust.SourceShipped)
	})
	test.Tap(v.refresh)
	refreshed := "Root: Sigstore public good — " + trust.SourceTUF + ", of " + time.Now().UTC().Format(time.DateOnly)
	h.until("the refreshed root", func() bool { return strings.Contains(allText(v.material), refreshed) })
	if !strings.HasPrefix(v.status.Text, "Sigstore's public-good root refreshed through TUF, of ") {
		t.Errorf("status %q", v.status.Text)
	}

	srv.Close()
	test.Tap(v.refresh)
	h.until("the failure said", func() bool { return strings.HasPrefix(v.status.Text, "Sigstore's root could not be refreshed") })
	if m, err := store.Load(); err != nil || m.Roots[0].Source != trust.SourceTUF {
		t.Errorf("after a failed refresh the root used is %+v (%v)", m.Roots, err)
	}
}
