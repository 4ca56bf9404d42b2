// Package registrytest serves registries that behave like the real ones do,
// for the engine's tests and benchmarks: Docker Hub's token service on
// another host with another service name and no catalog, GHCR's placeholder
// scope and tokens without expires_in, Quay's robot accounts and refused
// catalog scope, per-repository Basic and Bearer behind an anonymous /v2/,
// and faults (looping Link headers, 503 and 429 first attempts, oversized
// and truncated bodies, lying digests, dropped connections, tokens that
// expire mid-walk), and hostile modes (hostile.go: names with terminal
// controls, stalled and trickled answers, endless pages of names of any
// length, held before a page while a test looks, manifests that lie
// about their kind, token services that hang or answer nonsense), and the
// hosted kinds (kinds.go: ECR's expiring Basic logins, Google's access
// tokens, Azure's identity tokens at /oauth2/token, Harbor's admin-only
// catalog and projects API, GitLab's projects API). The content comes from
// the demo registry; catalogs and tag lists can be
// replaced by generated ones of any size.
package registrytest
