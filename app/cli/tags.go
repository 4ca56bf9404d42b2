package cli

import (
	"context"

	"github.com/card-catalog/card-catalog/registry"
)

func tagsCommand(ctx context.Context, env commandEnv, arg string) error {
	ref, err := registry.ParseRepository(arg, env.plainHTTP, env.insecure)
	if err != nil {
		return err
	}
	return env.source(ref.Registry).Tags(ctx, ref, env.printLines)
}
