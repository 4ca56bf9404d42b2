package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
)

func TestEveryEngineErrorHasItsWords(t *testing.T) {
	for _, c := range []struct {
		err      error
		state    State
		short    string
		sentence string
		login    string
	}{
		{fmt.Errorf("x: %w: %w", registry.ErrUnreachable, registry.ErrPlainHTTP), Broken, "speaks plain HTTP", "Lab speaks plain HTTP, not HTTPS", "switch Plain HTTP on"},
		{fmt.Errorf("x: %w: %w", registry.ErrUnreachable, registry.ErrNoSuchHost), Unreachable, "host not found", "No computer answers to Lab's address", "No computer answers"},
		{fmt.Errorf("x: %w", registry.ErrUnreachable), Unreachable, "not reachable", "Lab is not reachable", "The registry is not reachable."},
		{fmt.Errorf("x: %w", registry.ErrStalled), Unreachable, "stopped answering", "Lab stopped sending", "stopped answering"},
		{&registry.LoginServiceError{Host: "auth.example", Problem: "did not answer in time"}, Broken, "its login service failed", "The login service Lab sends people to failed", "login service"},
		{fmt.Errorf("x: %w", registry.ErrNoCatalog), Broken, "lists no repositories", "Lab does not list its repositories", "could not use"},
		{&registry.StatusError{What: "x", Status: 401}, Broken, "error", "Lab answered in a way", "could not use"},
		{fmt.Errorf("x: %w", registry.ErrLoginRejected), Rejected, "login rejected", "Lab rejected the login", "Wrong user name or password"},
		{fmt.Errorf("x: %w", registry.ErrAuthRequired), NeedsLogin, "needs a login", "only to signed-in users", "still asks for a login"},
		{fmt.Errorf("x: %w", registry.ErrDenied), Broken, "permission denied", "permission to see this on Lab", "no permission here"},
		{fmt.Errorf("x: %w", registry.ErrRateLimited), Broken, "rate limited", "Lab is limiting requests", "could not use"},
		{&registry.IncompleteError{What: "x", Short: "5 invalid tags left out"}, Broken, "list incomplete", "only read in part", "could not use"},
		{fmt.Errorf("x: %w", registry.ErrDigestMismatch), Broken, "an answer that cannot be trusted", "will not trust", "could not use"},
		{fmt.Errorf("x: %w", registry.ErrMalformed), Broken, "an answer that cannot be trusted", "will not trust", "could not use"},
		{fmt.Errorf("x: %w", registry.ErrTooLarge), Broken, "an answer that cannot be trusted", "will not trust", "could not use"},
		{fmt.Errorf("x: %w", registry.ErrInvalidReference), Broken, "not a valid address", "Lab's address is not valid", "could not use"},
		{fmt.Errorf("x: %w", registry.ErrNotFound), Broken, "no registry at this address", "no such thing on Lab", "could not use"},
		{fmt.Errorf("x: %w", context.Canceled), Checking, "cancelled", "Stopped.", "could not use"},
		{errors.New("something else"), Broken, "error", "Lab answered in a way Card Catalog could not use.", "could not use"},
	} {
		st := statusOf(c.err)
		if st.State != c.state || st.Detail != c.short {
			t.Errorf("%v: status %+v, want %v %q", c.err, st, c.state, c.short)
		}
		if got := sentenceOf("Lab", c.err); !strings.Contains(got, c.sentence) {
			t.Errorf("%v: sentence %q, want %q", c.err, got, c.sentence)
		}
		if got := loginWords(app.LoginResult{Err: c.err}); !strings.Contains(got, c.login) {
			t.Errorf("%v: login words %q, want %q", c.err, got, c.login)
		}
	}
	if statusOf(nil).State != Ready || loginWords(app.LoginResult{Verified: true}) != "Signed in." {
		t.Error("success")
	}
}

// TestAnExpiredLoginSaysHowToRenewIt: a refused login of a kind whose logins
// run out is said to have expired, with what to run; one a helper gave
// again names the helper.
func TestAnExpiredLoginSaysHowToRenewIt(t *testing.T) {
	google := settings.Entry{Name: "GAR", Address: "europe-west1-docker.pkg.dev", Kind: kinds.Google}
	refused := fmt.Errorf("x: %w", registry.ErrLoginRejected)
	if st := entryStatus(google, refused); st.State != Rejected || st.Detail != "login expired" {
		t.Errorf("status %+v", st)
	}
	if got := explainEntry(google, refused); !strings.Contains(got, "gcloud auth print-access-token") {
		t.Errorf("words %q", got)
	}
	helper := fmt.Errorf("x: %w", &registry.HelperLoginError{Helper: "docker-credential-gcloud", Err: registry.ErrLoginRejected})
	if got := explainEntry(google, helper); !strings.Contains(got, "docker-credential-gcloud gives for GAR has expired") || !strings.Contains(got, "gcloud auth login") {
		t.Errorf("a helper's words %q", got)
	}
	ecr := settings.Entry{Name: "ECR", Address: "123456789012.dkr.ecr.eu-west-1.amazonaws.com"}
	if got := explainEntry(ecr, fmt.Errorf("x: %w", registry.ErrLoginExpired)); !strings.Contains(got, "12 hours") || !strings.Contains(got, "aws ecr get-login-password") {
		t.Errorf("ECR's words %q", got)
	}
	fromHelper := fmt.Errorf("x: %w", &registry.HelperLoginError{Helper: "docker-credential-ecr-login", Err: registry.ErrLoginExpired})
	if got := explainEntry(ecr, fromHelper); !strings.Contains(got, "aws sso login") || strings.Contains(got, "install") {
		t.Errorf("ECR's helper's words %q", got)
	}
	other := settings.Entry{Name: "Lab", Address: "lab.example"}
	if st := entryStatus(other, refused); st.Detail != "login rejected" {
		t.Errorf("a kind whose logins last: %+v", st)
	}
}
