package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
)

func loginCommand(ctx context.Context, env commandEnv, arg string) error {
	if env.user == "" || !env.passwordStdin {
		return fmt.Errorf("%w: login needs -u USER and --password-stdin (the password is never taken as an argument)", errUsage)
	}
	reg, err := env.registry(arg)
	if err != nil {
		return err
	}
	line, err := bufio.NewReader(env.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("reading the password from stdin: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return fmt.Errorf("%w: no password on stdin", errUsage)
	}
	cred := kinds.LoginCredential(env.user, password)
	verified, err := registry.CheckLogin(ctx, reg, cred, registry.WithLogger(env.log))
	if err != nil {
		return fmt.Errorf("%w; nothing was stored", err)
	}
	if err := (credential.Keychain{}).Save(reg.Host, cred); err != nil {
		return fmt.Errorf("%w; nothing was stored", err)
	}
	if verified {
		fmt.Fprintf(env.out, "Signed in to %s as %s; the login is in the OS keychain.\n", reg, env.user)
	} else {
		fmt.Fprintf(env.out, "%s did not ask for a login, so the password could not be checked; it is in the OS keychain.\n", reg)
	}
	return nil
}
