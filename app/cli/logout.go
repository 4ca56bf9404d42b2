package cli

import (
	"context"
	"fmt"

	"github.com/card-catalog/card-catalog/registry/credential"
)

func logoutCommand(_ context.Context, env commandEnv, arg string) error {
	reg, err := env.registry(arg)
	if err != nil {
		return err
	}
	if err := (credential.Keychain{}).Delete(reg.Host); err != nil {
		return err
	}
	fmt.Fprintf(env.out, "Signed out of %s: no login for it remains in the OS keychain.\n", reg)
	return nil
}
