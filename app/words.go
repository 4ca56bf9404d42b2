package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/card-catalog/card-catalog/registry"
)

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

// StatusOf classifies an error from the engine for people.
func StatusOf(err error) Status {
	if err == nil {
		return Status{State: Ready, Detail: "ready"}
	}
	state, short, _, _ := wordsOf(err)
	return Status{State: state, Detail: short}
}

// Explain says what went wrong with the registry called name, in a
// sentence a non-expert understands.
func Explain(name string, err error) string {
	_, _, sentence, _ := wordsOf(err)
	return fmt.Sprintf(sentence, name)
}
