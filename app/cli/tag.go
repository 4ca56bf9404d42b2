package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/card-catalog/card-catalog/app/humane"
	"github.com/card-catalog/card-catalog/app/manage"
	"github.com/card-catalog/card-catalog/app/printable"
)

// tagCommand puts SOURCE's manifest under NEWTAG in its repository; with
// --restore, puts a deleted tag back from this computer's copy.
func tagCommand(ctx context.Context, env commandEnv, arg string) error {
	if env.del.restore {
		if len(env.args) > 0 {
			return fmt.Errorf("%w: tag --restore takes one REFERENCE, the deleted tag", errUsage)
		}
		return restoreCommand(ctx, env, arg)
	}
	from, err := env.reference(arg)
	if err != nil {
		return err
	}
	c := env.client(from.Registry)
	r, err := manage.PlanRetag(ctx, c, from, env.args[0])
	if err != nil {
		return err
	}
	if r.Now == r.Digest {
		fmt.Fprintln(env.out, r.Words())
		return nil
	}
	if ok, err := env.proceed([]string{r.Words()}); !ok {
		return err
	}
	if err := r.Run(ctx, c); err != nil {
		if refusedByRegistry(err) {
			return notDone(err)
		}
		return err
	}
	fmt.Fprintln(env.out, printable.Line(fmt.Sprintf("Tagged: %s:%s is at %s.", from.Repository, r.Tag, r.Digest)))
	return nil
}

// restoreCommand puts a deleted tag back from the manifest kept when it
// was deleted, while the registry still holds what it names.
func restoreCommand(ctx context.Context, env commandEnv, arg string) error {
	ref, err := env.taggedReference(arg)
	if err != nil {
		return err
	}
	keep := env.keptDeleted(ref.Registry)
	if keep == nil {
		return notDone(fmt.Errorf("%s: no deleted copy of it is kept: this computer keeps no copy of %s", printable.Line(arg), ref.Registry))
	}
	d, err := manage.FindDeleted(*keep, ref, ref.Tag)
	if err != nil {
		return notDone(err)
	}
	preview := printable.Line(fmt.Sprintf("Put back the tag %s of %s at %s (deleted %s), from this computer's copy: the manifest only, once the registry is found to hold its blobs.",
		d.Tag, d.Repo.Repository, d.Digest, humane.Ago(d.When, time.Now())))
	if ok, err := env.proceed([]string{preview}); !ok {
		return err
	}
	if err := manage.Undo(ctx, env.client(ref.Registry), d); err != nil {
		if errors.Is(err, manage.ErrNotHeld) || refusedByRegistry(err) {
			return notDone(err)
		}
		return err
	}
	fmt.Fprintln(env.out, printable.Line(fmt.Sprintf("Put back: %s:%s is at %s.", d.Repo.Repository, d.Tag, d.Digest)))
	return nil
}
