package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/app/settings"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// A registry of each kind, added through the dialog by its kind, signed in
// to with what the dialog says to type, and browsed. Each test server
// stands at a loopback address, as a private endpoint would: the parts the
// kind asks for make its public address (or the kind fills in its own),
// which the test then replaces. Docker Hub, whose listing is a namespace
// of Hub's web API, is TestDockerHubListsANamespace's.
func TestEveryKindIsAddedSignedInToAndBrowsed(t *testing.T) {
	issued := &rt.IssuedLogins{}
	const robot = "robot$team-a+ci"
	for _, c := range []struct {
		kind     kinds.Kind
		fields   []string
		composed string
		cfg      rt.Config
		user     string // typed over the one the dialog fills in, when set
		password string
		listed   int // repositories after signing in
	}{
		{kind: kinds.ECR, fields: []string{"123456789012", "eu-west-1"}, composed: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
			cfg: rt.ECRConfig(issued), password: issued.Issue(rt.ECRUser, time.Hour), listed: 40},
		{kind: kinds.Google, fields: []string{"europe-west1"}, composed: "europe-west1-docker.pkg.dev",
			cfg: rt.GoogleConfig(issued, "{}"), password: issued.Issue(rt.GoogleUser, time.Hour), listed: 40},
		{kind: kinds.Azure, fields: []string{"myregistry"}, composed: "myregistry.azurecr.io",
			cfg: rt.AzureConfig("myregistry", "admin-pw", "identity-token"), user: rt.AzureTokenUser, password: "identity-token", listed: 40},
		{kind: kinds.Harbor,
			cfg: rt.HarborConfig(map[string]string{robot: "robot-secret"}, &rt.Harbor{Public: map[string]bool{"library": true},
				Members: map[string][]string{"team-a": {robot}}}), user: robot, password: "robot-secret", listed: 15},
		{kind: kinds.GitLab, fields: []string{"team-a"}, composed: "registry.gitlab.com",
			cfg: rt.GitLabConfig(map[string]string{"alice": "glpat-1"}, &rt.GitLab{Projects: map[string][]string{"team-a": {"team-a/web", "team-a/ledger"}},
				Tokens: map[string]bool{"glpat-1": true}}), user: "alice", password: "glpat-1", listed: 2},
		{kind: kinds.GCR, composed: "gcr.io", cfg: rt.GoogleConfig(issued, "{}"), password: issued.Issue(rt.GoogleUser, time.Hour), listed: 40},
		{kind: kinds.GitHub, composed: "ghcr.io", cfg: rt.GHCRConfig(map[string]string{"octocat": "ghp_1"}, time.Minute),
			user: "octocat", password: "ghp_1", listed: 40},
		{kind: kinds.Quay, composed: "quay.io", cfg: rt.QuayConfig(map[string]string{"acme+builder": "ROBOTTOKEN"}),
			user: "acme+builder", password: "ROBOTTOKEN", listed: 40},
		{kind: kinds.Other, cfg: rt.Config{Ping: rt.Basic, Catalog: rt.Basic, Default: rt.Basic, Users: map[string]string{"alice": "pw"}},
			user: "alice", password: "pw", listed: 40},
	} {
		t.Run(cmpOr(string(c.kind), "other"), func(t *testing.T) {
			s := rt.Serve(t, c.cfg)
			h := newHarness(t, settings.Default())
			demoLoaded(h)
			info := kinds.Of(c.kind)

			h.ui.showAddRegistry()
			d := h.ui.registryDlg
			d.kind.SetSelected(info.Label)
			if len(d.fields) != len(info.Fields) || !strings.Contains(d.signIn.Text, info.SignIn) {
				t.Fatalf("%d fields for %d parts; sign-in hint %q", len(d.fields), len(info.Fields), d.signIn.Text)
			}
			for i, v := range c.fields {
				test.Type(d.fields[i], v)
			}
			if c.composed != "" && d.address.Text != c.composed {
				t.Fatalf("the parts made %q, want %q (verdict %q)", d.address.Text, c.composed, d.verdict.Text)
			}
			if c.kind == kinds.GitLab {
				d.fields[1].SetText("http://" + s.Registry.Host)
			}
			d.address.SetText("http://" + s.Registry.Host)
			if d.save.Disabled() {
				t.Fatalf("Save disabled: %q", d.verdict.Text)
			}
			test.Tap(d.save)
			h.until("the new registry shown", func() bool { return h.ui.current.ID == s.Registry.Host })
			if h.ui.current.Kind != c.kind {
				t.Fatalf("saved as kind %q", h.ui.current.Kind)
			}

			test.Tap(h.ui.loginButton)
			l := h.ui.login
			if l.hint.Text != info.SignIn || l.user.Text != info.User {
				t.Fatalf("sign-in dialog: user %q, hint %q", l.user.Text, l.hint.Text)
			}
			if c.user != "" {
				l.user.SetText(c.user)
			}
			test.Type(l.pass, c.password)
			test.Tap(l.signIn)
			h.until("the repositories the login may see", func() bool { return h.ui.catalog.grid.Length() == c.listed })
			h.until("the sidebar's login", func() bool { return h.ui.status[s.Registry.Host].User != "" })
			if got := h.ui.status[s.Registry.Host].User; got != cmpOr(c.user, info.User) {
				t.Errorf("signed in as %q", got)
			}
			row := newSidebarRow(hoverTip{})
			h.ui.sidebar.UpdateItem(len(h.ui.entries)-1, row)
			if want := kinds.LoginName(cmpOr(c.user, info.User)) + " (keychain)"; !strings.Contains(row.stateText, want) {
				t.Errorf("the sidebar says %q, not %q", row.stateText, want)
			}
			repo := newRepositoryPage(h.ui, h.ui.current, h.ui.catalog.names[0])
			h.ui.push(repo)
			h.until("a repository's tags", func() bool { return repo.list.Length() > 0 || repo.message.box.Visible() })
			if repo.list.Length() == 0 {
				t.Fatalf("tags of %s: %q", h.ui.catalog.names[0], repo.message.lead.Text)
			}
		})
	}
}

// TestDockerHubIsAddedByItsKind: the Docker Hub kind fills in docker.io,
// says to sign in with an access token, and asks which namespace to list
// (Hub has no catalog); TestHubEntryListsANamespaceAndPinsShowFirst browses
// one.
func TestDockerHubIsAddedByItsKind(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	h.ui.showAddRegistry()
	d := h.ui.registryDlg
	d.kind.SetSelected(kinds.Of(kinds.DockerHub).Label)
	if d.address.Text != "docker.io" || !d.namespace.Visible() || !strings.Contains(d.signIn.Text, "personal access token") {
		t.Fatalf("address %q, namespace field shown: %v, hint %q", d.address.Text, d.namespace.Visible(), d.signIn.Text)
	}
	// The preset is in the sidebar as "docker.io"; typed, docker.io is
	// registry-1.docker.io, and the same registry.
	if !strings.Contains(d.verdict.Text, "in the sidebar already, as Docker Hub") || !d.save.Disabled() {
		t.Errorf("verdict %q, Add off: %v", d.verdict.Text, d.save.Disabled())
	}
	h.ui.core.RemoveEntry("docker.io")
	h.ui.reloadEntries()
	d.address.SetText("docker.io ")
	if !strings.Contains(d.verdict.Text, "lists a namespace") || d.save.Disabled() {
		t.Errorf("without the preset: verdict %q, Add off: %v", d.verdict.Text, d.save.Disabled())
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestAnInstalledHelperSignsInWithoutAsking(t *testing.T) {
	issued := &rt.IssuedLogins{}
	s := rt.Serve(t, rt.ECRConfig(issued))
	dir := t.TempDir()
	runs := filepath.Join(dir, "runs")
	script := "#!/bin/sh\nread -r server\necho \"$server\" >> " + runs + "\nprintf '{\"Username\":\"AWS\",\"Secret\":\"%s\"}' '" + issued.Issue(rt.ECRUser, time.Hour) + "'\n"
	os.WriteFile(filepath.Join(dir, "docker-credential-ecr-login"), []byte(script), 0o755)
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))

	h := newHarness(t, settings.Default())
	demoLoaded(h)
	h.ui.showAddRegistry()
	d := h.ui.registryDlg
	d.kind.SetSelected(kinds.Of(kinds.ECR).Label)
	d.address.SetText("")
	for _, key := range "http://" + s.Registry.Host { // as a person types
		test.Type(d.address, string(key))
		time.Sleep(30 * time.Millisecond)
	}
	h.until("the helper's answer", func() bool { return strings.Contains(d.helper.Text, "gives a login as AWS") })
	if !strings.Contains(d.helper.Text, "docker-credential-ecr-login") {
		t.Errorf("helper line %q", d.helper.Text)
	}
	if asked, _ := os.ReadFile(runs); string(asked) != s.Registry.Host+"\n" {
		t.Errorf("the helper was asked for %q, want the address typed, once", asked)
	}
	test.Tap(d.save)
	h.until("the catalog, signed in by the helper", func() bool { return h.ui.catalog.grid.Length() == 40 })
	h.until("the sidebar's login", func() bool { return h.ui.status[s.Registry.Host].User == "AWS" })
	if src := h.ui.status[s.Registry.Host].LoginSource; src != "docker-credential-ecr-login" {
		t.Errorf("login source %q", src)
	}
	if h.ui.login != nil {
		t.Error("a sign-in dialog was opened")
	}

	// Without the helper, the dialog says what installing it would do.
	t.Setenv("PATH", "/usr/bin:/bin")
	h.ui.showAddRegistry()
	d = h.ui.registryDlg
	d.kind.SetSelected(kinds.Of(kinds.ECR).Label)
	test.Type(d.fields[0], "123456789012")
	test.Type(d.fields[1], "us-east-1")
	h.until("the helper's absence", func() bool { return strings.Contains(d.helper.Text, "installed, Card Catalog would sign in") })
	if slices.Contains([]string{"", "Looking"}, d.helper.Text) {
		t.Errorf("helper line %q", d.helper.Text)
	}
}

// TestARefusedShortLivedLoginSaysHowToRenewIt: the sign-in dialog of a
// kind that fills in the user starts at the password, and a Google access
// token that ran out before it was typed is answered with how to print a
// fresh one, not only "wrong password".
func TestARefusedShortLivedLoginSaysHowToRenewIt(t *testing.T) {
	issued := &rt.IssuedLogins{}
	s := rt.Serve(t, rt.GoogleConfig(issued, "{}"))
	h := newHarness(t, withEntry(settings.Entry{ID: s.Registry.Host, Name: "AR", Address: s.Registry.Host, PlainHTTP: true, Kind: kinds.Google}))
	h.until("the registry shown", func() bool { return h.ui.current.ID == s.Registry.Host })
	test.Tap(h.ui.loginButton)
	l := h.ui.login
	if onPassword := h.win.Canvas().Focused() == l.pass; l.user.Text != rt.GoogleUser || !onPassword {
		t.Errorf("user %q filled in; the focus on the password: %v", l.user.Text, onPassword)
	}
	test.Type(l.pass, issued.Issue(rt.GoogleUser, -time.Second))
	test.Tap(l.testLogin)
	h.until("the verdict", func() bool { return strings.Contains(l.result.Text, "Wrong user name") })
	if !strings.Contains(l.result.Text, "gcloud auth print-access-token") {
		t.Errorf("the verdict %q does not say how to get a fresh token", l.result.Text)
	}
}
