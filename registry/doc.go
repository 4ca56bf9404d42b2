// Package registry talks to container registries over the distribution (OCI)
// HTTP API: it lists catalogs and tags, fetches manifests, configs and
// referrers, writes (manifests put and deleted, blobs checked and pushed,
// mounted across repositories or streamed in chunks), and answers
// authentication challenges.
//
// Registries do not behave alike. The engine therefore reads every response:
// a 401 on any endpoint is answered with that endpoint's own challenge (Basic
// or Bearer), whatever /v2/ said; tokens are cached per realm, service, scope
// and identity and renewed before they expire; paging is loop-proof; bodies are
// read through size limits; digests are checked; 429, 5xx and dropped
// connections are retried with backoff that honours Retry-After and stops at
// once on cancellation.
//
// Logins come from a CredentialSource (package credential has the keychain,
// Docker's and Podman's files and their helpers); the engine only asks it.
//
// go-containerregistry supplies reference parsing, the image types and the
// token exchange; this package supplies the transport around them. It has no
// user-interface code.
package registry
