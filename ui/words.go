package ui

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
)

// The window's words for what the engine answers: a registry's state in
// the sidebar, the sentences of pages and dialogs. They name the window's
// switches and keys (Plain HTTP, Ctrl+E, Ctrl+O), so they are the
// window's.

// State is what the sidebar says of a registry.
type State int

const (
	Checking    State = iota
	Ready             // answers, and lets us in
	NeedsLogin        // answers, but wants a login
	Rejected          // the login was refused
	Unreachable       // no answer
	Broken            // answers, but not as a registry
	Offline           // no answer, and no other registry off this computer answers either
)

// isOffline reports whether the network seems down: every registry off this
// computer failed to be found or reached, and there are two or more. A
// single unknown host is more likely a typo; all of them at once is no
// network.
func isOffline(entries []settings.Entry, checkErrs map[string]error) bool {
	remote := 0
	for _, e := range entries {
		if e.IsLocal() {
			continue
		}
		remote++
		if err, ok := checkErrs[e.ID]; !ok || !errors.Is(err, registry.ErrUnreachable) {
			return false
		}
	}
	return remote > 1
}

// Status is a registry's state, with the reason in words, and who is
// signed in to it.
type Status struct {
	State  State
	Detail string
	// User and LoginSource, when a login is known.
	User, LoginSource string
}

// wordsFor puts the engine's errors to people, in one place: the state and
// the few words of a sidebar row or a card, the sentence of a page (%s is
// the registry's name), and, where it differs, what a login test says. The
// first row whose error the chain holds decides, so an error that comes with
// another (ErrNoSuchHost comes with ErrUnreachable) stands before it.
var wordsFor = []struct {
	err          error
	state        State
	short        string
	sentence     string
	loginOutcome string
}{
	{registry.ErrPlainHTTP, Broken, "speaks plain HTTP",
		"%s speaks plain HTTP, not HTTPS. If the network to it is yours, switch on Plain HTTP.",
		"The registry speaks plain HTTP: switch Plain HTTP on for it first (Ctrl+E)."},
	{registry.ErrNoSuchHost, Unreachable, "host not found",
		"No computer answers to %s's address: check it for typing errors, or your network connection.",
		"No computer answers to the registry's address."},
	{registry.ErrUnreachable, Unreachable, "not reachable",
		"%s is not reachable. Check the address and your network connection.", "The registry is not reachable."},
	{registry.ErrStalled, Unreachable, "stopped answering",
		"%s stopped sending in the middle of an answer. Retry, or check the registry.",
		"The registry stopped answering."},
	{registry.ErrLoginService, Broken, "its login service failed",
		"The login service %s sends people to failed, so nothing could be listed. Retry in a while.",
		"The login service the registry sends people to failed; retry in a while."},
	{registry.ErrNoCatalog, Broken, "lists no repositories",
		"%s does not list its repositories. Open one by name (Ctrl+O).", ""},
	{registry.ErrLoginExpired, Rejected, "login expired",
		"%s says the login has expired: sign in again.", "The registry says this login has expired: get a new one."},
	{registry.ErrLoginRejected, Rejected, "login rejected",
		"%s rejected the login.", "Wrong user name or password (or token)."},
	{registry.ErrAuthRequired, NeedsLogin, "needs a login",
		"%s shows this only to signed-in users.", "The registry still asks for a login: check the user name."},
	{registry.ErrDenied, Broken, "permission denied",
		"You do not have permission to see this on %s.", "Signed in, but this account has no permission here."},
	{registry.ErrRateLimited, Broken, "rate limited",
		"%s is limiting requests. Wait a little and retry.", ""},
	{registry.ErrIncomplete, Broken, "list incomplete",
		"%s sent a list Card Catalog could only read in part.", ""},
	{registry.ErrDigestMismatch, Broken, "an answer that cannot be trusted",
		"%s sent something Card Catalog will not trust.", ""},
	{registry.ErrMalformed, Broken, "an answer that cannot be trusted",
		"%s sent something Card Catalog will not trust.", ""},
	{registry.ErrTooLarge, Broken, "an answer that cannot be trusted",
		"%s sent something Card Catalog will not trust.", ""},
	{registry.ErrInvalidReference, Broken, "not a valid address",
		"%s's address is not valid: edit it (Ctrl+E).", ""},
	{registry.ErrNotFound, Broken, "no registry at this address",
		"There is no such thing on %s.", ""},
	{context.Canceled, Checking, "cancelled", "Stopped.", ""},
}

// unknownSentence is for an error the table does not know.
const unknownSentence = "%s answered in a way Card Catalog could not use."

func wordsOf(err error) (state State, short, sentence, loginOutcome string) {
	for _, w := range wordsFor {
		if errors.Is(err, w.err) {
			return w.state, w.short, w.sentence, w.loginOutcome
		}
	}
	return Broken, "error", unknownSentence, ""
}

// statusOf classifies an error from the engine for people.
func statusOf(err error) Status {
	if err == nil {
		return Status{State: Ready, Detail: "ready"}
	}
	state, short, _, _ := wordsOf(err)
	return Status{State: state, Detail: short}
}

// sentenceOf says what went wrong with the registry called name, in a
// sentence a non-expert understands.
func sentenceOf(name string, err error) string {
	_, _, sentence, _ := wordsOf(err)
	return fmt.Sprintf(sentence, name)
}

// entryStatus is statusOf, with what e's kind knows: a refused login of a
// kind whose logins run out is said to have expired.
func entryStatus(e settings.Entry, err error) Status {
	s := statusOf(err)
	if kinds.LoginExpired(e.KindInfo(), err) {
		s.State, s.Detail = Rejected, "login expired"
	}
	return s
}

// explainEntry is sentenceOf for a sidebar entry: an expired login says how
// to renew it.
func explainEntry(e settings.Entry, err error) string {
	if kinds.LoginExpired(e.KindInfo(), err) {
		info := e.KindInfo()
		var helper *registry.HelperLoginError
		if errors.As(err, &helper) {
			// Asked again, the helper gave the same login: what it signs in
			// with has run out, not the helper.
			return fmt.Sprintf("The login %s gives for %s has expired, and it gave no fresh one when asked again. %s",
				helper.Helper, e.Name, cmp.Or(info.HelperRenew, "Renew the login the helper uses, then Retry."))
		}
		if info.Renew != "" {
			return fmt.Sprintf("The login for %s has expired. %s", e.Name, info.Renew)
		}
		return fmt.Sprintf("The login for %s has expired: sign in again.", e.Name)
	}
	return sentenceOf(e.Name, err)
}

// loginWords says the result of a login test plainly.
func loginWords(r app.LoginResult) string {
	switch {
	case r.Err == nil && r.Verified:
		return "Signed in."
	case r.Err == nil:
		return "The registry let us in without asking for the login, so the password could not be checked."
	}
	if _, _, _, outcome := wordsOf(r.Err); outcome != "" {
		if r.Renew != "" && errors.Is(r.Err, registry.ErrLoginRejected) {
			return outcome + " " + r.Renew
		}
		return outcome
	}
	return "The registry answered in a way Card Catalog could not use."
}

// Manage's words: its actions, and what its dialogs say while they work.
const (
	wordDelete      = "Delete…"
	wordDeleteWhole = "Delete manifest and all its tags…"
	wordRetag       = "Tag as…"
	wordCopyTo      = "Copy to…"
	wordExport      = "Export…"
	wordImport      = "Import…"
	// wordArchiveImageHint is the Import dialog's Image field, empty.
	wordArchiveImageHint = "only for an archive of several: its name there (v1, team/app:v1)"
	wordUndo             = "Undo"
	wordStop             = "Stop"
	wordNoneTicked       = "None ticked:"
	wordOneTagOnly       = "Choose one tag: its manifest, and every tag on it, are deleted."
	wordReadingPlan      = "Reading what this would change… nothing is written yet."
	wordDeleting         = "Deleting… each tag is read back once it is gone."
	wordUndoing          = "Putting the tags back from this computer's copy…"
	wordRetagHint        = "Type the new tag, then Preview: the manifest only goes under it, no blob is sent."
	wordCopyHint         = "Choose where, then Preview: nothing is written before you click Copy."
	wordStarting         = "Starting…"
	wordStopped          = "Stopped. What arrived stays: copying again sends only the rest."
	wordDone             = "Done."
)
