package systemtest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoBinariesInGit: what git tracks is source, and what the build and
// the tests write (test binaries, dist/, .cache/) stays out of it.
func TestNoBinariesInGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skip("not a git checkout")
	}
	root := strings.TrimSpace(string(top))
	out, err := exec.Command("git", "-C", root, "ls-files", "-z").Output()
	if err != nil {
		t.Fatal(err)
	}
	magics := map[string][]byte{"ELF": {0x7f, 'E', 'L', 'F'}, "PE": []byte("MZ"), "Mach-O": {0xcf, 0xfa, 0xed, 0xfe}}
	for _, name := range strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		head := make([]byte, 4)
		f, err := os.Open(filepath.Join(root, name))
		if err != nil {
			continue // deleted in the work tree
		}
		f.Read(head)
		f.Close()
		for kind, magic := range magics {
			if bytes.HasPrefix(head, magic) {
				t.Errorf("git tracks %s, a %s binary", name, kind)
			}
		}
	}
	for _, built := range []string{"demo.test", "app/app.test", "card-catalog", "dist/card-catalog_1.0_amd64.deb", ".cache/bin/fyne"} {
		if err := exec.Command("git", "-C", root, "check-ignore", "-q", "--no-index", built).Run(); err != nil {
			t.Errorf("git would track %s", built)
		}
	}
}
