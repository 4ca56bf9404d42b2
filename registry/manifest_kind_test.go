package registry

import (
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

var zeros = strings.Repeat("0", 64)

func TestTheManifestAnswersForEveryKind(t *testing.T) {
	for _, c := range []struct {
		raw, contentType  string
		kind              string
		index             bool
		layers, children  int
		config, annotated bool
	}{
		{`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:` + zeros + `","size":1,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}}],"annotations":{"a":"b"}}`, "",
			"OCI image index of 1", true, 0, 1, false, true},
		{`{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:` + zeros + `","size":1},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"sha256:` + zeros + `","size":5}]}`, "",
			"Docker image", false, 1, 0, true, false},
		{`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/spdx+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:` + zeros + `","size":2},"layers":[]}`, "",
			"OCI artifact: application/spdx+json", false, 0, 0, false, false},
		{`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:` + zeros + `","size":2},"layers":[{"mediaType":"application/vnd.cyclonedx+json","digest":"sha256:` + zeros + `","size":5}]}`, "",
			"OCI artifact: application/vnd.cyclonedx+json", false, 1, 0, false, false},
		{`{"schemaVersion":1,"name":"x","tag":"y","architecture":"amd64","fsLayers":[{"blobSum":"sha256:` + zeros + `"},{"blobSum":"sha256:` + zeros + `"}],"history":[{"v1Compatibility":"{\"os\":\"linux\"}"}]}`, "",
			"Docker schema 1 image (legacy)", false, 2, 0, false, false},
	} {
		m, err := DecodeManifest([]byte(c.raw), c.contentType)
		if err != nil {
			t.Fatal(err)
		}
		_, config := m.ConfigDescriptor()
		if m.Kind() != c.kind || m.IsIndex() != c.index || len(m.Layers()) != c.layers || len(m.Children()) != c.children ||
			config != c.config || (len(m.Annotations()) > 0) != c.annotated {
			t.Errorf("%s: kind %q index %v layers %d children %d config %v annotations %v", c.kind, m.Kind(), m.IsIndex(),
				len(m.Layers()), len(m.Children()), config, m.Annotations())
		}
	}
	if got := PlatformString(&v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}); got != "linux/arm64/v8" {
		t.Errorf("%q", got)
	}
}
