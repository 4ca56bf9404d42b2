package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/card-catalog/card-catalog/app/manage"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/registry"
)

// deleteFlags are delete's and tag's own.
type deleteFlags struct{ manifest, restore bool }

func deleteFlagSet(fs *flag.FlagSet, e *commandEnv) {
	fs.BoolVar(&e.del.manifest, "manifest", false, "delete the manifest the one REFERENCE names, and every tag on it, not just that tag")
}

func restoreFlag(fs *flag.FlagSet, e *commandEnv) {
	fs.BoolVar(&e.del.restore, "restore", false, "put back a tag deleted from this computer (its manifest is kept here), while the registry holds its blobs")
}

// deleteCommand deletes the tags named, all of one repository, with one
// preview; with --manifest, the manifest one tag names and all its tags.
func deleteCommand(ctx context.Context, env commandEnv, arg string) error {
	args := append([]string{arg}, env.args...)
	if env.del.manifest && len(args) > 1 {
		return fmt.Errorf("%w: --manifest deletes the manifest of one REFERENCE: give one", errUsage)
	}
	var repo registry.Reference
	var tags []string
	for _, a := range args {
		ref, err := env.taggedReference(a)
		if err != nil {
			return err
		}
		if len(tags) > 0 && (ref.Registry.String() != repo.Registry.String() || ref.Repository != repo.Repository) {
			return fmt.Errorf("%w: the tags deleted at once are of one repository: %s is not of %s", errUsage, printable.Line(a), repo.Repository)
		}
		repo = ref
		tags = append(tags, ref.Tag)
	}
	reg := env.manageRegistry(ctx, repo.Registry)
	// Asking where every other tag points may take a while: said on stderr.
	line := &progressLine{w: env.errOut, at: time.Now()}
	asked := func(p manage.Progress) {
		line.say(fmt.Sprintf("asked where %d of the other %d tags point", p.Done, p.Total), p.Done == p.Total && p.Total > 100)
	}
	var plan *manage.Plan
	var err error
	if env.del.manifest {
		plan, err = manage.PlanDeleteManifest(ctx, reg, repo, tags[0], asked)
	} else {
		plan, err = manage.PlanDelete(ctx, reg, repo, tags, asked)
	}
	if err != nil {
		return err
	}
	if plan.Refused != "" {
		// The refusal is said once, as the error line.
		for _, l := range plan.Words() {
			if !strings.HasPrefix(l, "Refused: ") {
				fmt.Fprintln(env.out, l)
			}
		}
		return notDone(errors.New("refused: " + plan.Refused + "; nothing was changed"))
	}
	if ok, err := env.proceed(plan.Words()); !ok {
		return err
	}
	res := manage.Delete(ctx, plan, env.keptDeleted(repo.Registry))
	// What was deleted goes to stdout; what was not, once, as the error.
	words := res.Words()
	var failed []manage.Done
	for i, d := range res.Done {
		if d.Err == nil {
			fmt.Fprintln(env.out, words[i])
		} else {
			failed = append(failed, d)
		}
	}
	if len(failed) == 0 {
		return nil
	}
	err = failed[0].Err
	if len(failed) > 1 {
		var tags []string
		for _, d := range failed[1:] {
			tags = append(tags, d.Tag)
		}
		err = fmt.Errorf("%w; not deleted either: %s", err, strings.Join(tags, ", "))
	}
	if refusedByRegistry(err) || errors.Is(err, context.Canceled) {
		return notDone(err)
	}
	return err
}
