package ui

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/zalando/go-keyring"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry/credential"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// The UI tests use go-keyring's in-memory store; the real Secret Service
// has its own test (keychain_test.go at the top of the repository).
func TestMain(m *testing.M) {
	keyring.MockInit()
	// The keychain is asked only when a session bus is there to ask.
	os.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/the-mock-keyring-needs-none")
	os.Exit(m.Run())
}

const secret = "pw-only-in-the-keychain-42"

// typeLogin opens the sign-in dialog and types a login into it.
func (h *harness) typeLogin(user, password string) *loginDialog {
	test.Tap(h.ui.loginButton)
	d := h.ui.login
	test.Type(d.user, user)
	test.Type(d.pass, password)
	return d
}

// loginHarness shows a Basic-auth registry that lists its catalog only to
// alice.
func loginHarness(t *testing.T) (*harness, *rt.Server) { return loginHarnessWith(t, app.Options{}) }

// loginHarnessWith is loginHarness with the app's options.
func loginHarnessWith(t *testing.T, opts app.Options) (*harness, *rt.Server) {
	s := rt.Serve(t, rt.Config{Ping: rt.Basic, Catalog: rt.Basic, Default: rt.Basic, Users: map[string]string{"alice": secret}})
	cfg := settings.Default()
	cfg.Registries = []settings.Entry{{ID: "private", Name: "Private registry", Address: s.Registry.Host, PlainHTTP: true}}
	cfg.LastSelected = "private"
	h := newHarnessOptions(t, cfg, opts)
	h.until("the login message", func() bool { return h.ui.catalog.message.box.Visible() })
	if !strings.Contains(h.ui.catalog.message.lead.Text, "only to signed-in users") {
		t.Fatalf("before login: %q", h.ui.catalog.message.lead.Text)
	}
	return h, s
}

func TestLoginDialogTestsThenSaves(t *testing.T) {
	h, s := loginHarness(t)
	d := h.typeLogin("alice", "wrong")
	test.Tap(d.signIn)
	h.until("the verdict", func() bool { return strings.Contains(d.result.Text, "Wrong user name or password") })
	if _, err := keyring.Get(credential.KeychainService, s.Registry.Host); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("a refused login was stored: %v", err)
	}
	d.pass.SetText(secret)
	test.Tap(d.testLogin)
	h.until("the test result", func() bool { return d.result.Text == "Signed in." })
	test.Tap(d.signIn)
	h.until("the catalog with the login", func() bool { return h.ui.catalog.grid.Length() == 40 })
	item, err := keyring.Get(credential.KeychainService, s.Registry.Host)
	if err != nil || !strings.Contains(item, `"username":"alice"`) {
		t.Fatalf("keychain item %v", err)
	}
	h.until("the sidebar's login", func() bool { return h.ui.status["private"].User == "alice" })
	if h.ui.status["private"].LoginSource != "keychain" {
		t.Errorf("login source %q", h.ui.status["private"].LoginSource)
	}
	// Nothing secret in the settings.
	if strings.Contains(prefsDump(h), secret) {
		t.Error("the password is in the settings")
	}

	test.Tap(h.ui.loginButton)
	test.Tap(h.ui.login.signOut)
	h.until("signed out", func() bool { return h.ui.catalog.message.box.Visible() && h.ui.catalog.grid.Length() == 0 })
	if _, err := keyring.Get(credential.KeychainService, s.Registry.Host); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("logout left the item: %v", err)
	}
}

func TestLoginWithoutKeychainOffersSessionOnly(t *testing.T) {
	keyring.MockInitWithError(errors.New("no D-Bus session"))
	defer keyring.MockInit()
	h, _ := loginHarness(t)
	d := h.typeLogin("alice", secret)
	test.Tap(d.signIn)
	h.until("the keychain question", func() bool { return d.keychainProblem.Visible() })
	if text := d.keychainProblem.Objects[1].(*widget.Label).Text; !strings.Contains(text, "cannot keep the login") || !strings.Contains(text, "no D-Bus session") {
		t.Fatalf("explanation %q", text)
	}
	if d.result.Text != "The login works." {
		t.Errorf("the dialog says %q while nothing is kept", d.result.Text)
	}
	test.Tap(d.keepForSession)
	h.until("the catalog with the session login", func() bool { return h.ui.catalog.grid.Length() == 40 })
	h.until("the sidebar's login", func() bool { return h.ui.status["private"].LoginSource == "this session only" })
	if strings.Contains(prefsDump(h), secret) {
		t.Error("the password is in the settings")
	}
}

// prefsDump is every value in the settings store.
func prefsDump(h *harness) string {
	var all []string
	for k, v := range h.prefs {
		all = append(all, k, v)
	}
	return strings.Join(all, "\n")
}

func TestSidebarSaysWhereALoginComesFrom(t *testing.T) {
	s, err := rt.Start(rt.Config{Ping: rt.Basic, Catalog: rt.Basic, Default: rt.Basic, Users: map[string]string{"bob": "from-docker"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	docker := credential.Static{s.Registry.Host: {Username: "bob", Password: "from-docker", Source: "Docker config"}}
	cfg := settings.Default()
	cfg.Registries = []settings.Entry{{ID: "team", Name: "Team registry", Address: s.Registry.Host, PlainHTTP: true}}
	cfg.LastSelected = "team"
	h := newHarnessWith(t, cfg, docker)
	h.until("the catalog", func() bool { return h.ui.catalog.grid.Length() == 40 })
	h.until("the login's source", func() bool { return h.ui.status["team"].LoginSource == "Docker config" })
	row := newSidebarRow(hoverTip{})
	h.ui.sidebar.UpdateItem(1, row)
	if !strings.Contains(row.stateText, "bob (Docker config)") {
		t.Errorf("sidebar row says %q", row.stateText)
	}
}

// blockingKeychain answers nothing for a long time, like a locked keyring
// whose unlock prompt nobody answers.
type blockingKeychain struct{ wait time.Duration }

func (k blockingKeychain) Credential(context.Context, string) (credential.Credential, bool, error) {
	time.Sleep(k.wait)
	return credential.Credential{}, false, nil
}
func (k blockingKeychain) Save(string, credential.Credential) error { time.Sleep(k.wait); return nil }
func (k blockingKeychain) Delete(string) error                      { time.Sleep(k.wait); return nil }

func TestALockedKeychainNeverFreezesTheWindow(t *testing.T) {
	// A UI goroutine that waited on the keychain would be held for the
	// whole limit at each turn: a second, where its own work takes
	// milliseconds even on a busy machine.
	const limit = time.Second
	h, _ := loginHarnessWith(t, app.Options{Keychain: blockingKeychain{wait: 30 * time.Second}, KeychainLimit: limit})
	// The check goes on without the keychain, and says why.
	h.until("the check", func() bool {
		st := h.ui.status["private"]
		return st.State == NeedsLogin && st.LoginSource != ""
	})
	if src := h.ui.status["private"].LoginSource; src != "the OS keychain did not answer (locked?)" {
		t.Errorf("login source %q", src)
	}
	d := h.typeLogin("alice", secret)
	test.Tap(d.signIn)
	h.until("the keychain question", func() bool { return d.keychainProblem.Visible() })
	if h.slowest >= limit/2 {
		t.Errorf("the UI goroutine was held for %s, while the keychain was asked for %s at each turn", h.slowest, limit)
	}
	if text := d.keychainProblem.Objects[1].(*widget.Label).Text; !strings.Contains(text, "did not answer within 1s; it may be locked") {
		t.Errorf("explanation %q", text)
	}
	test.Tap(d.keepForSession)
	h.until("the catalog with the session login", func() bool { return h.ui.catalog.grid.Length() == 40 })
}

// An answer that arrives after its dialog closed changes nothing.
func TestALateLoginAnswerIsNotWanted(t *testing.T) {
	s := rt.Serve(t, rt.Config{Ping: rt.Basic, Catalog: rt.Basic, Default: rt.Basic, Users: map[string]string{"alice": secret},
		Hostile: rt.Hostile{Trickle: "ping", TrickleEvery: 100 * time.Millisecond}})
	cfg := settings.Default()
	cfg.Registries = []settings.Entry{{ID: "slow", Name: "Slow registry", Address: s.Registry.Host, PlainHTTP: true}}
	cfg.LastSelected = "slow"
	h := newHarness(t, cfg)
	d := h.typeLogin("alice", secret)
	test.Tap(d.testLogin)
	checking := d.result.Text
	h.ui.modalKey(fyne.KeyEscape)
	h.runFor(2 * time.Second) // the trickled answer takes about 1 s
	if d.result.Text != checking {
		t.Errorf("the closed dialog says %q", d.result.Text)
	}
}
