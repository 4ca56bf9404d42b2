package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/zalando/go-keyring"
)

// KeychainService is the service name of Card Catalog's keychain items; the
// item's user is the registry host.
const KeychainService = "card-catalog"

// Keychain reads logins from the OS keychain: macOS Keychain, Windows
// Credential Manager, the Secret Service on Linux. A keychain that is missing
// or locked has no logins here; Available says why.
type Keychain struct{}

type keychainItem struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// Credential implements CredentialSource.
func (Keychain) Credential(_ context.Context, host string) (Credential, bool, error) {
	secret, err := keyring.Get(KeychainService, canonicalHost(host))
	if err != nil {
		return Credential{}, false, nil
	}
	var item keychainItem
	if err := json.Unmarshal([]byte(secret), &item); err != nil {
		return Credential{}, false, fmt.Errorf("the keychain item for %s is not Card Catalog's", host)
	}
	return Credential{Username: item.Username, Password: item.Password, Source: "keychain"}, item.Password != "", nil
}

// Available reports why the keychain cannot be used, or nil.
func (Keychain) Available() error {
	_, err := keyring.Get(KeychainService, "card-catalog-probe.invalid")
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return fmt.Errorf("the OS keychain is not available: %w", err)
}

// DefaultCredentials looks in the keychain, then Podman's auth files, then
// Docker's config.
func DefaultCredentials() CredentialSource {
	return Chain{Keychain{}, PodmanAuth(), DockerConfig()}
}
