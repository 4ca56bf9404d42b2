package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/card-catalog/card-catalog/app/manage/archive"
	"github.com/card-catalog/card-catalog/app/manage/transfer"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/registry"
)

// importCommand pushes an archive's image (an OCI layout, directory or
// tar, or a docker-archive; --image picks one of several) to REFERENCE,
// its digests unchanged.
func importCommand(ctx context.Context, env commandEnv, path string) error {
	dst, err := env.taggedReference(env.args[0])
	if err != nil {
		return err
	}
	a, err := archive.Open(path, env.archive.image)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: there is no archive at %s", errUsage, printable.Line(path))
	}
	if err != nil {
		return fmt.Errorf("reading the archive %s: %w", path, err)
	}
	defer a.Close()
	if _, err := a.Root(ctx); errors.Is(err, archive.ErrWhichImage) {
		return fmt.Errorf("%w: %s with --image NAME", errUsage, printable.Line(err.Error()))
	}
	to := transfer.ToRegistry(env.client(dst.Registry), dst, registry.PushOptions{})
	return env.runTransfer(ctx, a, to, transfer.Options{Referrers: true}, nil)
}
