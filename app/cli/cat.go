package cli

import (
	"bufio"
	"context"

	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/imagefs"
)

func catCommand(ctx context.Context, env commandEnv, arg string) error {
	src, ref, m, err := env.image(ctx, arg)
	if err != nil {
		return err
	}
	tree := imagefs.NewTree(false)
	if err := image.ReadImage(ctx, src, ref, m.Layers(), tree, nil); err != nil {
		return err
	}
	// The bytes go out once they are checked: a registry that lies about
	// a file prints nothing of it.
	w := bufio.NewWriterSize(env.out, 64<<10)
	spool := image.NewSpool(w)
	defer spool.Close()
	if _, err := image.ReadFile(ctx, src, ref, m.Layers(), tree, env.args[0], spool); err != nil {
		return err
	}
	if err := spool.Commit(); err != nil {
		return err
	}
	return w.Flush()
}
