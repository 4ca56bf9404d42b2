package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/card-catalog/card-catalog/app/humane"
	"github.com/card-catalog/card-catalog/app/manage/transfer"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/registry"
)

// copyFlags are copy's and export's own.
type copyFlags struct{ referrers bool }

func copyFlagSet(fs *flag.FlagSet, e *commandEnv) {
	fs.BoolVar(&e.copying.referrers, "referrers", false, "take along what refers to the image and to each manifest of an index: signatures, SBOMs, attestations")
}

// progressLines is how often a command at work says how far it is, on
// stderr.
const progressLines = time.Second

// progressLine says how far a command is on stderr, at most once every
// progressLines from at (its start), and never the same line twice.
type progressLine struct {
	w    io.Writer
	at   time.Time
	said string
}

// say prints line when it is time; final prints it unless it was the last.
func (p *progressLine) say(line string, final bool) {
	if line == p.said || !final && time.Since(p.at) < progressLines {
		return
	}
	p.at, p.said = time.Now(), line
	fmt.Fprintln(p.w, "card-catalog: "+line)
}

func copyCommand(ctx context.Context, env commandEnv, arg string) error {
	src, err := env.reference(arg)
	if err != nil {
		return err
	}
	dst, err := env.reference(env.args[0])
	if err != nil {
		return err
	}
	if dst.Digest == "" && !namesTag(env.args[0]) {
		// A repository: the copy goes under the source's tag (none for a
		// digest).
		dst.Tag = src.Tag
	}
	if dst.Digest != "" {
		return fmt.Errorf("%w: %s names a digest: a copy goes to a repository, or to a repository's tag", errUsage, printable.Line(env.args[0]))
	}
	from := transfer.FromRegistry(env.client(src.Registry), src)
	to := transfer.ToRegistry(env.client(dst.Registry), dst, registry.PushOptions{})
	return env.runTransfer(ctx, from, to, transfer.Options{Referrers: env.copying.referrers}, nil)
}

// runTransfer plans a copy, previews it, asks, and runs it with its
// progress on stderr; done (may be nil) is said once it is through. A
// copy stopped (Ctrl+C) or broken says what was done: run again, it
// resumes.
func (e commandEnv) runTransfer(ctx context.Context, from transfer.Source, to transfer.Target, o transfer.Options, done func() []string) error {
	plan, err := transfer.NewPlan(ctx, from, to, o)
	if err != nil {
		return err
	}
	if ok, err := e.proceed(plan.Words()); !ok {
		return err
	}
	line := &progressLine{w: e.errOut, at: time.Now()}
	p, err := plan.Run(ctx, func(p transfer.Progress) { line.say(p.Words(), false) })
	var stopped *transfer.Error
	switch {
	case errors.As(err, &stopped) && ctx.Err() != nil:
		return notDone(fmt.Errorf("stopped: %w; run the same command again to resume: what arrived is not sent again", err))
	case err != nil:
		return fmt.Errorf("%w; run the same command again to resume: what arrived is not sent again", err)
	}
	line.say(p.Words(), true)
	words := []string{fmt.Sprintf("Copied %s to %s: %d blobs there already, %d mounted, %d sent; %s.",
		plan.Source, plan.Target, p.Present, p.Mounted, p.Sent, humane.Plural(p.Manifests, "manifest", "manifests"))}
	if done != nil {
		words = append(words, done()...)
	}
	e.printWords(printable.Lines(words))
	return nil
}
