package demo

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/card-catalog/card-catalog/registry/demo/tarfile"
)

// Every layer of team-a/web is a whole tar: its last file padded to a
// block, then the two zero blocks that end an archive (without them
// tar -t exits 2, "Unexpected EOF in archive").
func TestRichLayersEndTheirArchive(t *testing.T) {
	layers := map[string][]tarfile.Entry{"base": baseLayer(), "packages": packagesLayer(), "cleanup": cleanupLayer(), "app": appLayer("3.3.0")}
	for name, es := range layers {
		plain, err := tarOfEntries(es)
		if err != nil {
			t.Fatal(err)
		}
		if len(plain)%512 != 0 || len(plain) < 1024 || !bytes.Equal(plain[len(plain)-1024:], make([]byte, 1024)) {
			t.Errorf("%s: %d bytes, not ending in two zero blocks", name, len(plain))
		}
		tr := tar.NewReader(bytes.NewReader(plain))
		n := 0
		for {
			_, err := tr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: entry %d: %v", name, n, err)
			}
			n++
		}
		if n != len(es) {
			t.Errorf("%s: %d of %d entries", name, n, len(es))
		}
	}
}
