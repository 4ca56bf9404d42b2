package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/card-catalog/card-catalog/app/cache"
	"github.com/card-catalog/card-catalog/app/manage"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
)

// writeFlags are the flags of every command that writes: each prints its
// preview, then asks, unless --yes; --dry-run stops after the preview.
type writeFlags struct{ yes, dryRun bool }

func writeFlagSet(fs *flag.FlagSet, e *commandEnv) {
	fs.BoolVar(&e.write.yes, "yes", false, "do it without asking (for scripts); the preview is printed all the same")
	fs.BoolVar(&e.write.dryRun, "dry-run", false, "print the preview and change nothing")
}

// errNotDone marks an error that is an answer, exit 1: declined at the
// prompt, refused by the registry, stopped. Its words are the error's.
var errNotDone = errors.New("not done")

type notDoneError struct{ error }

func (e notDoneError) Unwrap() []error { return []error{e.error, errNotDone} }

// notDone makes err exit 1.
func notDone(err error) error { return notDoneError{err} }

// refusedByRegistry tells the errors that are the registry's no: it does
// not do this, or not for this login.
func refusedByRegistry(err error) bool {
	return errors.Is(err, registry.ErrNotAllowed) || errors.Is(err, registry.ErrDenied) ||
		errors.Is(err, registry.ErrAuthRequired) || errors.Is(err, registry.ErrLoginRejected)
}

// proceed prints the preview (lines already escaped), then asks on stdin
// unless --yes. false with no error is a dry run; declined is an error
// that exits 1.
func (e commandEnv) proceed(preview []string) (bool, error) {
	for _, l := range preview {
		fmt.Fprintln(e.out, l)
	}
	switch {
	case e.write.dryRun:
		fmt.Fprintln(e.out, "Dry run: nothing was changed.")
		return false, nil
	case e.write.yes:
		return true, nil
	}
	fmt.Fprint(e.out, "Proceed? [y/N] ")
	line, _ := bufio.NewReader(e.stdin).ReadString('\n')
	if answer := strings.ToLower(strings.TrimSpace(line)); answer == "y" || answer == "yes" {
		return true, nil
	}
	fmt.Fprintln(e.out)
	return false, notDone(errors.New("not confirmed: nothing was changed"))
}

// printWords prints lines already escaped.
func (e commandEnv) printWords(lines []string) {
	for _, l := range lines {
		fmt.Fprintln(e.out, l)
	}
}

// reference reads a command's reference with the connection flags.
func (e commandEnv) reference(arg string) (registry.Reference, error) {
	return registry.ParseReference(arg, e.plainHTTP, e.insecure)
}

// taggedReference reads a reference that must name its tag: a write never
// falls back to "latest" unasked.
func (e commandEnv) taggedReference(arg string) (registry.Reference, error) {
	ref, err := e.reference(arg)
	if err != nil {
		return ref, err
	}
	if ref.Tag == "" || !namesTag(arg) {
		return ref, fmt.Errorf("%w: %s names no tag: give REPOSITORY:TAG", errUsage, printable.Line(arg))
	}
	return ref, nil
}

// namesTag tells whether a reference names its tag, rather than being
// given "latest" by the parser.
func namesTag(arg string) bool {
	return strings.Contains(arg[strings.LastIndex(arg, "/")+1:], ":") && !strings.Contains(arg, "@")
}

// manageRegistry is reg as manage deletes in it, as the window's entry
// for it (else the host) says its kind is.
func (e commandEnv) manageRegistry(ctx context.Context, reg registry.Registry) manage.Registry {
	entry, ok := e.settings.EntryOf(reg)
	if !ok {
		entry, _ = settings.NewEntry("", reg.String(), reg.PlainHTTP, reg.Insecure)
	}
	return e.engine.Manage(ctx, reg, entry, e.settings.KindOfHost(reg.Host))
}

// keptDeleted is where deleted tags' manifests are kept for tag --restore:
// reg's part of this computer's copy, unless the window keeps none of
// reg; nil then.
func (e commandEnv) keptDeleted(reg registry.Registry) *cache.Scope {
	if !e.settings.Keeps(reg) {
		return nil
	}
	store := e.engine.Cache()
	if store == nil {
		var err error
		if store, err = cache.OpenDefault(); err != nil {
			e.log.Warn("this computer's copy cannot be opened, so what is deleted cannot be put back with tag --restore: " + err.Error())
			return nil
		}
	}
	s := store.Scope(reg.String())
	return &s
}
