package image_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/registry"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

func TestArtifactsAreNamedInWords(t *testing.T) {
	for typ, want := range map[string]string{
		"application/spdx+json":                            "SPDX SBOM",
		"application/vnd.cyclonedx+json":                   "CycloneDX SBOM",
		"application/vnd.cyclonedx+xml; version=1.5":       "CycloneDX SBOM",
		"application/vnd.in-toto+json":                     "in-toto attestation",
		"application/vnd.dev.cosign.artifact.sig.v1+json":  "cosign signature",
		"application/vnd.dev.sigstore.bundle.v0.3+json":    "Sigstore bundle (signature or attestation)",
		"application/vnd.cncf.notary.signature":            "Notary signature",
		"application/vnd.example.unknown":                  "",
		"application/vnd.oci.image.layer.v1.tar+gzip":      "",
		"application/vnd.dev.cosign.simplesigning.v1+json": "cosign signature",
		"application/vnd.dsse.envelope.v1+json":            "signed attestation (DSSE envelope)",
		"application/vnd.cncf.helm.config.v1+json":         "Helm chart",
		"APPLICATION/SPDX+JSON":                            "SPDX SBOM",
		"application/vnd.syft+json":                        "Syft SBOM",
		"application/vnd.wasm.config.v0+json":              "WebAssembly module",
		"application/vnd.dev.cosign.artifact.sbom.v1+json": "cosign SBOM",
		"text/spdx": "SPDX SBOM",
		"application/vnd.in-toto.provenance+dsse":              "in-toto attestation",
		"application/vnd.dev.sigstore.bundle+json;version=0.3": "Sigstore bundle (signature or attestation)",
	} {
		if got := image.ArtifactKind(typ); got != want {
			t.Errorf("%s: %q, want %q", typ, got, want)
		}
	}
	if got := image.ArtifactName("application/spdx+json"); got != "SPDX SBOM (application/spdx+json)" {
		t.Errorf("name %q", got)
	}
}

// TestTheDemoSBOMReadsAsAnSBOM: the demo's SPDX referrer is named so, and
// its content is read whole, its digest checked.
func TestTheDemoSBOMReadsAsAnSBOM(t *testing.T) {
	s := rt.Serve(t, rt.Config{})
	c := registry.New(s.Registry)
	ctx := context.Background()
	ref := registry.Reference{Registry: s.Registry, Repository: "library/python", Tag: "3.12"}
	idx, err := c.Manifest(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	refs, err := c.Referrers(ctx, ref, idx.Digest)
	if err != nil || len(refs) != 1 {
		t.Fatalf("referrers %v %v", refs, err)
	}
	ref.Tag, ref.Digest = "", refs[0].Digest.String()
	sbom, err := c.Manifest(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if !image.IsArtifact(sbom) || image.ManifestKind(sbom) != "SPDX SBOM: OCI artifact of type application/spdx+json" {
		t.Errorf("kind %q", image.ManifestKind(sbom))
	}
	var b bytes.Buffer
	whole, err := image.ReadBlob(ctx, c, ref, sbom.Layers()[0], 1<<20, &b)
	if err != nil || !whole || !bytes.Contains(b.Bytes(), []byte(`"spdxVersion":"SPDX-2.3"`)) {
		t.Errorf("content %q, whole %v, %v", b.String(), whole, err)
	}
	b.Reset()
	whole, err = image.ReadBlob(ctx, c, ref, sbom.Layers()[0], 10, &b)
	if err != nil || whole || b.Len() != 10 {
		t.Errorf("capped: %d bytes, whole %v, %v", b.Len(), whole, err)
	}
}
