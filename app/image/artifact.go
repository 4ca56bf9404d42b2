package image

import (
	"context"
	"errors"
	"io"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/registry"
)

// artifactWords name the artifact types people meet beside images:
// SBOMs, attestations and signatures. A type is matched without its
// parameters; the first prefix that matches names it.
var artifactWords = []struct{ prefix, words string }{
	{"application/spdx", "SPDX SBOM"},
	{"text/spdx", "SPDX SBOM"},
	{"application/vnd.cyclonedx", "CycloneDX SBOM"},
	{"application/vnd.syft+json", "Syft SBOM"},
	{"application/vnd.in-toto", "in-toto attestation"},
	{"application/vnd.dsse.envelope", "signed attestation (DSSE envelope)"},
	{"application/vnd.dev.sigstore.bundle", "Sigstore bundle (signature or attestation)"},
	{"application/vnd.dev.cosign.artifact.sig", "cosign signature"},
	{"application/vnd.dev.cosign.simplesigning", "cosign signature"},
	{"application/vnd.dev.cosign.artifact.sbom", "cosign SBOM"},
	{"application/vnd.cncf.notary.signature", "Notary signature"},
	{"application/vnd.cncf.helm.config", "Helm chart"},
	{"application/vnd.wasm.config", "WebAssembly module"},
}

// ArtifactKind names an artifact type in words ("SPDX SBOM"); "" for a
// type it does not know.
func ArtifactKind(artifactType string) string {
	t, _, _ := strings.Cut(strings.ToLower(artifactType), ";")
	for _, w := range artifactWords {
		if strings.HasPrefix(t, w.prefix) {
			return w.words
		}
	}
	return ""
}

// ArtifactName is an artifact type as a list shows it: its words and the
// type ("SPDX SBOM (application/spdx+json)"), or the type alone.
func ArtifactName(artifactType string) string {
	if words := ArtifactKind(artifactType); words != "" {
		return words + " (" + artifactType + ")"
	}
	return artifactType
}

// ManifestKind says in words what m is: m.Kind(), with an artifact named
// by what it holds ("SPDX SBOM: OCI artifact of type application/spdx+json").
func ManifestKind(m *registry.Manifest) string {
	t := m.ArtifactType()
	if t == "" || m.IsIndex() {
		return m.Kind()
	}
	if words := ArtifactKind(t); words != "" {
		return words + ": OCI artifact of type " + t
	}
	return "OCI artifact of type " + t
}

// IsArtifact reports whether m is an artifact rather than an image: its
// blobs are content to read, not filesystem layers.
func IsArtifact(m *registry.Manifest) bool { return !m.IsIndex() && m.ArtifactType() != "" }

// ReadBlob writes the blob desc names to w: the whole of it when it is no
// larger than limit (its digest is then checked at its end, and whole is
// true), else its first limit bytes.
func ReadBlob(ctx context.Context, src Source, repo registry.Reference, desc v1.Descriptor, limit int64, w io.Writer) (whole bool, err error) {
	blob, err := src.OpenBlob(ctx, repo, desc.Digest.String(), registry.BlobRange{})
	if err != nil {
		return false, err
	}
	defer blob.Close()
	if desc.Size >= 0 && desc.Size <= limit {
		_, err = io.Copy(w, blob)
		return err == nil, err
	}
	if _, err = io.CopyN(w, blob, limit); errors.Is(err, io.EOF) {
		err = nil
	}
	return false, err
}
