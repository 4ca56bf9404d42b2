package compare

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/card-catalog/card-catalog/app/imagefs"
	lt "github.com/card-catalog/card-catalog/app/imagefs/layertest"
)

// partial builds the partial tree of layers (tars) over an unread base,
// their files hashed as a comparison's are.
func partial(t *testing.T, layers ...[]byte) *imagefs.Tree {
	tree := imagefs.NewPartialTree()
	for i, l := range layers {
		var es []imagefs.Entry
		_, err := imagefs.Walk(context.Background(), bytes.NewReader(l), imagefs.Uncompressed, imagefs.Limits{}, func(e imagefs.Entry, body imagefs.Body) error {
			if e.Type == imagefs.File {
				e.Digest = imagefs.HashBody(body)
			}
			es = append(es, e)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		tree.Add(i, es)
	}
	return tree
}

func report(f Files) string {
	var b strings.Builder
	for _, c := range f.Changes {
		b.WriteString(string(c.Op) + " " + c.Path)
		if c.Base {
			b.WriteString(" (base)")
		}
		if len(c.What) > 0 {
			b.WriteString(" " + strings.Join(c.What, ", "))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func TestCompareFilesPastTheSharedLayers(t *testing.T) {
	old := partial(t, lt.Tar(t,
		lt.Dir("app/"), lt.File("app/main.py", "print(1)\n"), lt.File("app/same", "s"), lt.File("app/gone", "g"),
		lt.File("app/mode", "m"), lt.Symlink("app/link", "a"), lt.File("etc/.wh.motd", ""),
		lt.File("etc/only-old", "o"),
	))
	b := lt.File("app/mode", "m")
	b.Mode = 0o755
	new := partial(t, lt.Tar(t,
		lt.Dir("app/"), lt.File("app/main.py", "print(2)\n"), lt.File("app/same", "s"), b,
		lt.Symlink("app/link", "b"), lt.File("app/new", "nn"), lt.File("app/.wh.gone", ""),
		lt.File("var/.wh.log", ""),
		lt.Dir("cache/"), lt.File("cache/.wh..wh..opq", ""),
	), lt.Tar(t, lt.File("cache/fresh", "f")))
	// cache/old-file is only in the old image's layers? No: the old one
	// wrote nothing under cache, so its cache is the base's; the new one
	// hides the base's cache and writes cache/fresh.
	want := strings.Join([]string{
		"+ /cache (base)",
		"+ /cache/fresh (base)",
		"- /app/gone",
		"~ /app/link target a → b",
		"~ /app/main.py content",
		"~ /app/mode mode 0644 → 0755",
		"+ /app/new (base)",
		"+ /etc/motd (base)",
		"- /etc/only-old (base)",
		"- /var/log (base)",
	}, "\n") + "\n"
	got := report(CompareFiles(old, new))
	if sortLines(got) != sortLines(want) {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	f := CompareFiles(old, new)
	if f.BytesAdded != 9+1+2+1 || f.BytesRemoved != 9+1+1+1 {
		t.Errorf("bytes +%d -%d", f.BytesAdded, f.BytesRemoved)
	}
	if len(CompareFiles(old, old).Changes) != 0 {
		t.Error("an image differs from itself")
	}
}

func sortLines(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := range lines {
		for j := i + 1; j < len(lines); j++ {
			if lines[j] < lines[i] {
				lines[i], lines[j] = lines[j], lines[i]
			}
		}
	}
	return strings.Join(lines, "\n")
}
