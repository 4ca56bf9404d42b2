package registry

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/card-catalog/card-catalog/registry/host"
)

// dockerHubHost is where Docker Hub answers the registry API.
const dockerHubHost = host.DockerHub

// Registry says where a registry is and how to talk to it.
type Registry struct {
	// Host is host[:port] as requests use it; Docker Hub's aliases become
	// registry-1.docker.io.
	Host string
	// PlainHTTP talks http instead of https.
	PlainHTTP bool
	// Insecure skips TLS certificate verification.
	Insecure bool
}

// IsDockerHub reports whether r is Docker Hub, which has no catalog and keeps
// official images under library/.
func (r Registry) IsDockerHub() bool { return r.Host == dockerHubHost }

// Scheme is "http" or "https".
func (r Registry) Scheme() string {
	if r.PlainHTTP {
		return "http"
	}
	return "https"
}

// String is the host, the way people name the registry.
func (r Registry) String() string {
	if r.IsDockerHub() {
		return "docker.io"
	}
	return r.Host
}

// ParseRegistry reads what a person types for a registry: "ghcr.io",
// "https://quay.io", "http://localhost:5000", "docker.io". A scheme of http
// sets PlainHTTP.
func ParseRegistry(s string) (Registry, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return Registry{}, fmt.Errorf("%w: the address is empty", ErrInvalidReference)
	}
	var r Registry
	if i := strings.Index(in, "://"); i >= 0 {
		switch strings.ToLower(in[:i]) {
		case "http":
			r.PlainHTTP = true
		case "https":
		default:
			return Registry{}, fmt.Errorf("%w: %q: only http:// and https:// addresses are registries", ErrInvalidReference, s)
		}
		u, err := url.Parse(in)
		if err != nil {
			return Registry{}, fmt.Errorf("%w: %q: %v", ErrInvalidReference, s, err)
		}
		if p := strings.Trim(u.Path, "/"); p != "" && p != "v2" {
			return Registry{}, fmt.Errorf("%w: %q: a registry address has no path (found %q)", ErrInvalidReference, s, u.Path)
		}
		in = u.Host
		if in == "" {
			return Registry{}, fmt.Errorf("%w: %q: a host name must follow %s://", ErrInvalidReference, s, strings.ToLower(s[:i]))
		}
	}
	in = strings.TrimSuffix(in, "/")
	if strings.ContainsAny(in, "/ @?#") {
		return Registry{}, fmt.Errorf("%w: %q: a registry is a host name with an optional port, like ghcr.io or localhost:5000", ErrInvalidReference, s)
	}
	reg, err := name.NewRegistry(in, name.StrictValidation)
	if err != nil || !validHostPort(in) {
		return Registry{}, fmt.Errorf("%w: %q is not a host name with an optional port, like ghcr.io or localhost:5000", ErrInvalidReference, s)
	}
	r.Host = canonicalHost(reg.RegistryStr())
	return r, nil
}

// validHostPort: a DNS name of letters, digits and inner hyphens, an IPv4
// address or a bracketed IPv6 one, with an optional port of 1 to 65535.
func validHostPort(s string) bool {
	host, port := s, ""
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 || net.ParseIP(s[1:end]) == nil {
			return false
		}
		host, port = "", strings.TrimPrefix(s[end+1:], ":")
		if s[end+1:] != "" && !strings.HasPrefix(s[end+1:], ":") {
			return false
		}
	} else if h, p, ok := strings.Cut(s, ":"); ok {
		host, port = h, p
		if port == "" {
			return false
		}
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return false
		}
	}
	if host == "" {
		return strings.HasPrefix(s, "[")
	}
	if len(host) > 253 {
		return false
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

func canonicalHost(h string) string { return host.Canonical(h) }

// Reference is a repository, and optionally a tag or digest, on a registry.
type Reference struct {
	Registry Registry
	// Repository is the path inside the registry: "library/python".
	Repository string
	// Tag or Digest; at most one is set.
	Tag    string
	Digest string
}

// String is registry/repository[:tag|@digest], with docker.io for Hub.
func (r Reference) String() string {
	s := r.Registry.String() + "/" + r.Repository
	switch {
	case r.Digest != "":
		s += "@" + r.Digest
	case r.Tag != "":
		s += ":" + r.Tag
	}
	return s
}

// Identifier is the tag or digest, for a manifest URL.
func (r Reference) Identifier() string {
	if r.Digest != "" {
		return r.Digest
	}
	return r.Tag
}

// ParseReference reads "ghcr.io/owner/image:tag", "python" (Docker Hub,
// library/python:latest), "localhost:5000/team/app@sha256:...". With
// repositoryOnly, a tag or digest is an error.
func ParseReference(s string, plainHTTP, insecure bool) (Reference, error) {
	return parseReference(s, plainHTTP, insecure, false)
}

// ParseRepository reads a repository without tag or digest.
func ParseRepository(s string, plainHTTP, insecure bool) (Reference, error) {
	return parseReference(s, plainHTTP, insecure, true)
}

func parseReference(s string, plainHTTP, insecure, repositoryOnly bool) (Reference, error) {
	in := strings.TrimSpace(s)
	if strings.Contains(in, "://") {
		u, err := url.Parse(in)
		if err != nil {
			return Reference{}, fmt.Errorf("%w: %q", ErrInvalidReference, s)
		}
		plainHTTP = plainHTTP || u.Scheme == "http"
		in = u.Host + u.Path
	}
	var ref Reference
	if repositoryOnly {
		repo, err := name.NewRepository(in)
		if err != nil {
			return Reference{}, fmt.Errorf("%w: %q: %v", ErrInvalidReference, s, err)
		}
		ref.Repository = repo.RepositoryStr()
		ref.Registry.Host = canonicalHost(repo.RegistryStr())
	} else {
		parsed, err := name.ParseReference(in)
		if err != nil {
			return Reference{}, fmt.Errorf("%w: %q: %v", ErrInvalidReference, s, err)
		}
		ref.Repository = parsed.Context().RepositoryStr()
		ref.Registry.Host = canonicalHost(parsed.Context().RegistryStr())
		switch p := parsed.(type) {
		case name.Tag:
			ref.Tag = p.TagStr()
		case name.Digest:
			ref.Digest = p.DigestStr()
		}
	}
	ref.Registry.PlainHTTP = plainHTTP
	ref.Registry.Insecure = insecure
	return ref, nil
}
