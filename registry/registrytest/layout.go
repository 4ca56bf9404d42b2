package registrytest

import (
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/random"
)

// Layout writes an OCI image layout at dir holding one small random image
// under each of names (its org.opencontainers.image.ref.name), and gives
// each name's manifest digest.
func Layout(t testing.TB, dir string, names ...string) map[string]string {
	t.Helper()
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	digests := map[string]string{}
	for _, n := range names {
		img, err := random.Image(512, 1)
		if err != nil {
			t.Fatal(err)
		}
		if err := lp.AppendImage(img, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": n})); err != nil {
			t.Fatal(err)
		}
		d, _ := img.Digest()
		digests[n] = d.String()
	}
	return digests
}
