//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd)

package credential

// keychainReachable: macOS's Keychain and Windows' Credential Manager need
// no bus.
func keychainReachable() error { return nil }
