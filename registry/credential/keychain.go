package credential

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/zalando/go-keyring"
)

// KeychainService is the service name of Card Catalog's keychain items; the
// item's user is the registry host.
const KeychainService = "card-catalog"

// Keychain reads logins from the OS keychain: macOS Keychain, Windows
// Credential Manager, the Secret Service on Linux. A keychain that is missing
// or locked has no logins here; saving to it says why.
type Keychain struct{}

type keychainItem struct {
	Username string `json:"username"`
	Password string `json:"password"`
	// IdentityToken is an OAuth refresh token (Azure's identity token).
	IdentityToken string `json:"identityToken,omitempty"`
}

// Credential implements Source.
func (Keychain) Credential(_ context.Context, host string) (Credential, bool, error) {
	if keychainReachable() != nil {
		return Credential{}, false, nil
	}
	secret, err := keyring.Get(KeychainService, canonical(host))
	if err != nil {
		return Credential{}, false, nil
	}
	var item keychainItem
	if err := json.Unmarshal([]byte(secret), &item); err != nil {
		return Credential{}, false, fmt.Errorf("the keychain item for %s is not Card Catalog's", host)
	}
	cred := Credential{Username: item.Username, Password: item.Password, IdentityToken: item.IdentityToken, Source: "keychain"}
	return cred, !cred.Empty(), nil
}

// ErrKeychainUnavailable says that the OS keychain is missing or locked. Nothing is
// ever written elsewhere instead.
var ErrKeychainUnavailable = errors.New("the OS keychain is not available")

// Save stores the login for host, replacing any other.
func (Keychain) Save(host string, cred Credential) error {
	if err := keychainReachable(); err != nil {
		return fmt.Errorf("%w: %v", ErrKeychainUnavailable, err)
	}
	raw, _ := json.Marshal(keychainItem{Username: cred.Username, Password: cred.Password, IdentityToken: cred.IdentityToken})
	if err := keyring.Set(KeychainService, canonical(host), string(raw)); err != nil {
		if errors.Is(err, keyring.ErrSetDataTooBig) {
			return fmt.Errorf("the password for %s is too long for the keychain", host)
		}
		return keychainError(err)
	}
	return nil
}

// keychainError puts a keychain's refusal into words: a locked keychain
// whose unlock prompt was cancelled is said to be locked.
func keychainError(err error) error {
	msg := strings.ToLower(err.Error())
	if strings.Contains(msg, "lock") || strings.Contains(msg, "prompt") || strings.Contains(msg, "dismissed") {
		return fmt.Errorf("%w: the keychain is locked", ErrKeychainUnavailable)
	}
	return fmt.Errorf("%w: %v", ErrKeychainUnavailable, err)
}

// Delete removes the login for host; it is no error if there was none.
func (Keychain) Delete(host string) error {
	if err := keychainReachable(); err != nil {
		return fmt.Errorf("%w: %v", ErrKeychainUnavailable, err)
	}
	err := keyring.Delete(KeychainService, canonical(host))
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return keychainError(err)
}

// Default looks in the keychain, then in the files of other
// tools.
func Default() Source {
	return Chain{Keychain{}, OtherTools()}
}

// OtherTools reads the logins Podman and Docker keep, in that
// order; Card Catalog never writes them.
func OtherTools() Source {
	return Chain{PodmanAuth(), DockerConfig()}
}
