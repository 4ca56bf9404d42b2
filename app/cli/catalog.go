package cli

import (
	"bufio"
	"context"
	"fmt"

	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/app/listing"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/settings"
)

// catalogCommand lists as the window does (listing.Lister), from the window's
// entry for the registry when it has one: the catalog, a Harbor's projects
// when it refuses its catalog, a GitLab project's repositories, a Docker
// Hub namespace.
func catalogCommand(ctx context.Context, env commandEnv, arg string) error {
	reg, err := env.registry(arg)
	if err != nil {
		return err
	}
	e, ok := env.settings.EntryOf(reg)
	if !ok {
		if e, err = settings.NewEntry("", reg.String(), reg.PlainHTTP, reg.Insecure); err != nil {
			return err
		}
	}
	if env.project != "" {
		e.Kind, e.Project = kinds.GitLab, env.project
	}
	if env.namespace != "" {
		if e.HubAPI == "" {
			return fmt.Errorf("%w: --namespace lists a Docker Hub namespace, and %s is not Docker Hub", errUsage, reg)
		}
		e.Namespace = env.namespace
	}
	creds := env.engine.Credentials()
	e = listing.WithHubNamespace(ctx, e, creds)
	l := env.engine.Lister(reg)
	src := env.keptSource(reg)
	if src == nil {
		return l.Repositories(ctx, e, env.printLines)
	}
	return src.List(ctx, listing.EntryCatalogKey(ctx, e, creds), func(ctx context.Context, fn func([]string) error) error {
		return l.Repositories(ctx, e, fn)
	}, env.printLines)
}

// printLines writes a page of names, one a line, in one write: a catalog
// of 10,000 names is not 10,000 system calls. Each page goes out as it
// arrives. The engine passes only names of the distribution grammar; they
// are escaped all the same, as everything printed is.
func (e commandEnv) printLines(lines []string) error {
	w := bufio.NewWriterSize(e.out, 64<<10)
	for _, l := range lines {
		w.WriteString(printable.Line(l))
		w.WriteByte('\n')
	}
	return w.Flush()
}
