package app_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// kindApp is an App with one sidebar entry of the given kind for s.
func kindApp(t *testing.T, s *rt.Server, kind kinds.Kind, creds registry.CredentialSource) (*app.App, settings.Entry) {
	t.Helper()
	a, _ := hostileApp(t, s, creds)
	e, err := settings.NewEntry("", "http://"+s.Registry.Host, true, false)
	if err != nil {
		t.Fatal(err)
	}
	e.Kind = kind
	if err := a.AddEntry(e); err != nil {
		t.Fatal(err)
	}
	return a, e
}

func check(t *testing.T, a *app.App, e settings.Entry) (app.Login, error) {
	t.Helper()
	type result struct {
		s   app.Login
		err error
	}
	done := make(chan result, 1)
	a.Check(context.Background(), e, func(s app.Login, err error) { done <- result{s, err} })
	r := rt.Await(t, done)
	return r.s, r.err
}

func tags(t *testing.T, a *app.App, e settings.Entry, repo string) ([]string, error) {
	t.Helper()
	type result struct {
		tags []string
		err  error
	}
	done := make(chan result, 1)
	a.Tags(context.Background(), e, repo, pool.PriorityUser, func(tags []string, err error) { done <- result{tags, err} })
	r := rt.Await(t, done)
	return r.tags, r.err
}

func TestAnExpiredECRLoginSaysSo(t *testing.T) {
	issued := &rt.IssuedLogins{}
	s := rt.Serve(t, rt.ECRConfig(issued))
	password := issued.Issue(rt.ECRUser, time.Hour)
	a, e := kindApp(t, s, kinds.ECR, credential.Static{s.Registry.Host: {Username: rt.ECRUser, Password: password, Source: "keychain"}})
	if st, err := check(t, a, e); err != nil {
		t.Fatalf("a fresh ECR login: %+v %v", st, err)
	}
	issued.Expire(password)
	st, err := check(t, a, e)
	if !errors.Is(err, registry.ErrLoginExpired) || !kinds.LoginExpired(e.KindInfo(), err) {
		t.Fatalf("an expired ECR login: %+v %v", st, err)
	}
	// A login refused while fresh is a wrong password, on any kind.
	wrong := settings.Entry{Name: "Other", Address: e.Address, PlainHTTP: true}
	if kinds.LoginExpired(wrong.KindInfo(), registry.ErrLoginRejected) {
		t.Error("a wrong password on a registry of no kind is called expired")
	}
}

// fakeECRHelper puts docker-credential-ecr-login on PATH; it gives user
// AWS and the password in the file it returns, and counts its runs.
func fakeECRHelper(t *testing.T) (passwordFile string, runs func() int) {
	dir := t.TempDir()
	passwordFile = filepath.Join(dir, "password")
	log := filepath.Join(dir, "runs")
	script := `#!/bin/sh
[ "$1" = get ] || exit 2
read -r server
echo "$server" >> ` + log + `
printf '{"ServerURL":"%s","Username":"AWS","Secret":"%s"}' "$server" "$(cat ` + passwordFile + `)"
`
	if err := os.WriteFile(filepath.Join(dir, "docker-credential-ecr-login"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return passwordFile, func() int {
		b, _ := os.ReadFile(log)
		return strings.Count(string(b), "\n")
	}
}

func TestAnECRHelperIsAskedAgainOnceWhenItsLoginExpires(t *testing.T) {
	passwordFile, runs := fakeECRHelper(t)
	issued := &rt.IssuedLogins{}
	s := rt.Serve(t, rt.ECRConfig(issued))
	first := issued.Issue(rt.ECRUser, time.Hour)
	os.WriteFile(passwordFile, []byte(first), 0o600)
	a, e := kindApp(t, s, kinds.ECR, credential.Anonymous)

	if found, user, err := kinds.HelperLogin(context.Background(), e.KindInfo(), s.Registry.Host); found != "docker-credential-ecr-login" || user != rt.ECRUser || err != nil {
		t.Fatalf("HelperLogin: %q %q %v", found, user, err)
	}
	st, err := check(t, a, e)
	if err != nil || st.User != rt.ECRUser || st.Source != "docker-credential-ecr-login" {
		t.Fatalf("with the helper's login: %+v %v", st, err)
	}
	if got, err := tags(t, a, e, "library/alpine"); err != nil || len(got) == 0 {
		t.Fatalf("tags: %v %v", got, err)
	}

	issued.Expire(first)
	os.WriteFile(passwordFile, []byte(issued.Issue(rt.ECRUser, time.Hour)), 0o600)
	before := runs()
	if got, err := tags(t, a, e, "library/python"); err != nil || len(got) == 0 {
		t.Fatalf("after the helper's login expired: %v %v", got, err)
	}
	if n := runs() - before; n != 1 {
		t.Errorf("the helper ran %d times to renew the login, want 1", n)
	}

	// A helper that keeps giving an expired login is asked once more, then
	// the expiry is said; nothing loops.
	time.Sleep(50 * time.Millisecond)
	os.WriteFile(passwordFile, []byte(issued.Issue(rt.ECRUser, time.Millisecond)), 0o600)
	time.Sleep(50 * time.Millisecond)
	a.ForgetTokens(e)
	before = runs()
	_, err = tags(t, a, e, "library/node")
	if !errors.Is(err, registry.ErrLoginExpired) {
		t.Fatalf("an expired helper login: %v", err)
	}
	if n := runs() - before; n > 2 {
		t.Errorf("the helper ran %d times for one refused request", n)
	}
	// The error names the helper that gave the login (the window says to
	// renew what it signs in with, not to install it: TestAnExpiredLogin-
	// SaysHowToRenewIt).
	if helper := (*registry.HelperLoginError)(nil); !errors.As(err, &helper) || helper.Helper != "docker-credential-ecr-login" {
		t.Errorf("an expired login the helper gave: %v", err)
	}
	// A page of cards refused at once runs the helper once, not once each.
	before = runs()
	done := make(chan error, 20)
	for i := range 20 {
		a.Tags(context.Background(), e, fmt.Sprintf("library/r%d", i), pool.PriorityUser, func(_ []string, err error) { done <- err })
	}
	for range 20 {
		if err := rt.Await(t, done); !errors.Is(err, registry.ErrLoginExpired) {
			t.Fatalf("one of a burst: %v", err)
		}
	}
	if n := runs() - before; n > 1 {
		t.Errorf("the helper ran %d times for a burst of 20 refused requests", n)
	}
}

func TestAGoogleAccessTokenRunsOut(t *testing.T) {
	issued := &rt.IssuedLogins{}
	cfg := rt.GoogleConfig(issued, `{"type":"service_account","private_key":"..."}`)
	s := rt.Serve(t, cfg)
	access := issued.Issue(rt.GoogleUser, time.Hour)
	a, e := kindApp(t, s, kinds.Google, credential.Static{s.Registry.Host: {Username: rt.GoogleUser, Password: access}})
	if got, err := tags(t, a, e, "library/alpine"); err != nil || len(got) == 0 {
		t.Fatalf("with a fresh access token: %v %v", got, err)
	}
	issued.Expire(access)
	a.ForgetTokens(e) // the registry's own tokens ran out with it
	st, err := check(t, a, e)
	if !errors.Is(err, registry.ErrLoginRejected) || !kinds.LoginExpired(e.KindInfo(), err) {
		t.Fatalf("an hour later: %+v %v", st, err)
	}

	key, _ := cfg.Users[rt.GoogleKeyUser]
	verified, err := registry.CheckLogin(context.Background(), s.Registry, kinds.LoginCredential(rt.GoogleKeyUser, key))
	if err != nil || !verified {
		t.Fatalf("a JSON key: %v %v", verified, err)
	}
}

func TestAzureIdentityTokensAndTheAdminUser(t *testing.T) {
	s := rt.Serve(t, rt.AzureConfig("myregistry", "admin-password", "identity-token-xyz"))
	ctx := context.Background()
	for _, login := range [][2]string{{rt.AzureTokenUser, "identity-token-xyz"}, {"myregistry", "admin-password"}} {
		verified, err := registry.CheckLogin(ctx, s.Registry, kinds.LoginCredential(login[0], login[1]))
		if err != nil || !verified {
			t.Fatalf("login %s: %v %v", login[0], verified, err)
		}
	}
	if _, err := registry.CheckLogin(ctx, s.Registry, kinds.LoginCredential(rt.AzureTokenUser, "stolen")); !errors.Is(err, registry.ErrLoginRejected) {
		t.Fatalf("a wrong identity token: %v", err)
	}
	if exchanges := s.Tokens.TotalExchanges(); exchanges == 0 {
		t.Fatal("no token was asked for at /oauth2/token")
	}
	a, e := kindApp(t, s, kinds.Azure, credential.Static{s.Registry.Host: kinds.LoginCredential(rt.AzureTokenUser, "identity-token-xyz")})
	if names, err := listCatalog(t, a, e); err != nil || len(names) < 30 {
		t.Fatalf("catalog with an identity token: %d names, %v", len(names), err)
	}
}

const harborRobot = "robot$team-a+ci"

func harborServer(t *testing.T, forbidden bool, public ...string) *rt.Server {
	h := &rt.Harbor{Public: map[string]bool{}, Members: map[string][]string{"team-a": {harborRobot}}, Admins: []string{"admin"},
		Forbidden: forbidden}
	for _, p := range public {
		h.Public[p] = true
	}
	cfg := rt.HarborConfig(map[string]string{harborRobot: "robot-secret", "admin": "Harbor12345"}, h)
	cfg.MaxPage = 4
	return rt.Serve(t, cfg)
}

func TestHarborListsTheProjectsALoginMaySee(t *testing.T) {
	for _, c := range []struct {
		kind      kinds.Kind
		forbidden bool // the catalog refused with 403, not 401
	}{{kinds.Harbor, false}, {kinds.Other, false}, {kinds.Other, true}} {
		kind := c.kind
		s := harborServer(t, c.forbidden, "library")
		robot := credential.Static{s.Registry.Host: {Username: harborRobot, Password: "robot-secret"}}
		a, e := kindApp(t, s, kind, robot)
		names, err := listCatalog(t, a, e)
		if err != nil || len(names) != 15 || !slices.Contains(names, "team-a/web") || slices.Contains(names, "team-b/search") {
			t.Fatalf("kind %q, the robot: %v %v", kind, names, err)
		}
		if got, err := tags(t, a, e, "team-a/web"); err != nil || len(got) == 0 {
			t.Fatalf("kind %q: the robot's tags of team-a/web: %v %v", kind, got, err)
		}
		anon, e := kindApp(t, s, kind, credential.Anonymous)
		if names, err := listCatalog(t, anon, e); err != nil || len(names) != 10 {
			t.Fatalf("kind %q, anonymous: %v %v", kind, names, err)
		}
	}
	// Nothing public and no login: the catalog's refusal says a login is needed.
	s := harborServer(t, false)
	a, e := kindApp(t, s, kinds.Other, credential.Anonymous)
	if _, err := listCatalog(t, a, e); !errors.Is(err, registry.ErrAuthRequired) {
		t.Fatalf("a Harbor with nothing public: %v", err)
	}
	// A wrong secret is said to be one (Harbor's API refuses it too).
	a, e = kindApp(t, s, kinds.Other, credential.Static{s.Registry.Host: {Username: harborRobot, Password: "wrong"}})
	if _, err := listCatalog(t, a, e); !errors.Is(err, registry.ErrLoginRejected) || !strings.Contains(err.Error(), "projects") {
		t.Fatalf("a wrong robot secret: %v", err)
	}
	// A system administrator reads the catalog itself: every repository.
	a, e = kindApp(t, s, kinds.Harbor, credential.Static{s.Registry.Host: {Username: "admin", Password: "Harbor12345"}})
	if names, err := listCatalog(t, a, e); err != nil || len(names) != 40 {
		t.Fatalf("the administrator: %d names, %v", len(names), err)
	}
}

func TestGitLabListsAProject(t *testing.T) {
	repos := []string{"group/app", "group/app/api", "group/app/web"}
	s := rt.Serve(t, rt.GitLabConfig(map[string]string{"alice": "glpat-secret"},
		&rt.GitLab{Projects: map[string][]string{"group/app": repos}, Tokens: map[string]bool{"glpat-secret": true}}))
	a, e := kindApp(t, s, kinds.GitLab, credential.Static{s.Registry.Host: {Username: "alice", Password: "glpat-secret"}})
	e.Project, e.GitLabAPI = "group/app", "http://"+s.Registry.Host
	names, err := listCatalog(t, a, e)
	if err != nil || !slices.Equal(slices.Sorted(slices.Values(names)), repos) {
		t.Fatalf("GitLab project: %v %v", names, err)
	}
	e.Project = ""
	if _, err := listCatalog(t, a, e); !errors.Is(err, registry.ErrNoCatalog) {
		t.Fatalf("GitLab without a project: %v", err)
	}
}
