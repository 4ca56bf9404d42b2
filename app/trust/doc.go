// Package trust answers whether to trust an image, on this computer: it
// finds what is attached to it (OCI referrers, cosign's sha256-<hex>.sig,
// .att and .sbom tags, Notation signatures, BuildKit's attestation
// manifests inside an index), verifies Sigstore signatures and attestations
// offline with sigstore-go against trust material kept on this computer
// (a shipped snapshot of Sigstore's public-good root, roots refreshed
// through TUF, roots and public keys the user imports), and turns the
// verdicts into a pass or fail for a badge through a policy per registry
// or repository.
//
// It has no widgets: results are plain structs in words a non-expert
// reads, every call takes a context, and what it reads from a registry
// goes through the narrow Source interface (registry.Client and
// app.CachedSource both satisfy it).
package trust
