package registry

import (
	"fmt"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// The questions callers ask of a manifest, whatever its kind, so that no
// caller takes the union apart itself.

// IsIndex reports whether m lists images (an OCI index or a Docker
// manifest list).
func (m *Manifest) IsIndex() bool { return m.Index != nil }

// Children are the manifests an index lists, each with its platform when
// it has one; nil for an image.
func (m *Manifest) Children() []v1.Descriptor {
	if m.Index == nil {
		return nil
	}
	return m.Index.Manifests
}

// Layers are an image's layers, base first; a schema 1 manifest's come
// with media type and size unknown (size -1).
func (m *Manifest) Layers() []v1.Descriptor {
	switch {
	case m.Image != nil:
		return m.Image.Layers
	case m.Schema1 != nil:
		var out []v1.Descriptor
		for _, l := range slices.Backward(m.Schema1.FSLayers) {
			h, _ := v1.NewHash(l.BlobSum)
			out = append(out, v1.Descriptor{Digest: h, Size: -1, MediaType: types.DockerLayer})
		}
		return out
	}
	return nil
}

// Annotations are the manifest's own annotations.
func (m *Manifest) Annotations() map[string]string {
	switch {
	case m.Image != nil:
		return m.Image.Annotations
	case m.Index != nil:
		return m.Index.Annotations
	}
	return nil
}

// ConfigDescriptor is an image's config blob; false for an index, an
// artifact (whose config is not an image config) and schema 1 (whose
// config is in its history: Schema1.Config).
func (m *Manifest) ConfigDescriptor() (v1.Descriptor, bool) {
	if m.Image == nil || m.ArtifactType() != "" {
		return v1.Descriptor{}, false
	}
	return m.Image.Config, true
}

// Kind says in words what m is: "OCI image index of 4", "Docker image",
// "OCI artifact: application/spdx+json".
func (m *Manifest) Kind() string {
	docker := strings.Contains(m.MediaType, "docker")
	switch {
	case m.Index != nil && docker:
		return fmt.Sprintf("Docker manifest list of %d", len(m.Index.Manifests))
	case m.Index != nil:
		return fmt.Sprintf("OCI image index of %d", len(m.Index.Manifests))
	case m.Schema1 != nil:
		return "Docker schema 1 image (legacy)"
	case m.ArtifactType() != "":
		return "OCI artifact: " + m.ArtifactType()
	case docker:
		return "Docker image"
	}
	return "OCI image"
}

// PlatformString is "os/architecture[/variant]", the one way a platform
// is written.
func PlatformString(p *v1.Platform) string {
	if p == nil {
		return ""
	}
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}
