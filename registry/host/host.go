// Package host names registry hosts the one way both the engine and the
// logins key them: lower case, and Docker Hub's aliases as the host its
// registry API answers on.
package host

import "strings"

// DockerHub is the host Docker Hub answers the registry API on, whatever
// name people use for it.
const DockerHub = "registry-1.docker.io"

var dockerHubAliases = map[string]bool{
	"docker.io":               true,
	"index.docker.io":         true,
	"registry-1.docker.io":    true,
	"registry.hub.docker.com": true,
}

// Canonical is host[:port] as requests and logins use it.
func Canonical(h string) string {
	h = strings.ToLower(h)
	if dockerHubAliases[h] {
		return DockerHub
	}
	return h
}
