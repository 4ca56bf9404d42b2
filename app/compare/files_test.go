package compare

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/card-catalog/card-catalog/app/imagefs"
	lt "github.com/card-catalog/card-catalog/app/imagefs/layertest"
)

// tree merges layers (tars) into a whole tree, or a partial one over a
// base it does not read, their files hashed as a comparison's are.
func tree(t *testing.T, partial bool, layers ...[]byte) *imagefs.Tree {
	tr := imagefs.NewTree(false)
	if partial {
		tr = imagefs.NewPartialTree()
	}
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
		tr.Add(i, es)
	}
	return tr
}

func lines(f Files) []string {
	var out []string
	for _, c := range f.Changes {
		out = append(out, string(c.Op)+" "+c.Path)
	}
	return out
}

// TestMergedIsWhatAnIndependentMergeSays: two images' whole merged trees
// compared give every path that a runtime's merge of each (layertest.Merge,
// written apart) says differs, and no other.
func TestMergedIsWhatAnIndependentMergeSays(t *testing.T) {
	shared, a, b := lt.DiffImages(t)
	want := lt.DiffMerged(lt.Merge(t, append(slices.Clone(shared), a...)...), lt.Merge(t, append(slices.Clone(shared), b...)...))
	f := Merged(tree(t, false, append(slices.Clone(shared), a...)...), tree(t, false, append(slices.Clone(shared), b...)...))
	if got := lines(f); !slices.Equal(got, want) {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The merge itself is held to what the images were built to hold.
	for _, l := range []string{"~ /etc/version", "- /etc/motd", "+ /opt/old", "+ /opt/old/sub/c", "~ /usr/bin/tool",
		"+ /var/cache/apt/a.bin", "- /var/cache/apt/c.bin", "- /usr/share/doc/x", "~ /srv/data"} {
		if !slices.Contains(want, l) {
			t.Errorf("the independent merge has no %q", l)
		}
	}
	for _, c := range f.Changes {
		if c.Path == "/opt/old" && c.Inside != 4 {
			t.Errorf("/opt/old has %d inside, want 4", c.Inside)
		}
		if c.Path == "/usr/bin/tool" && !slices.Equal(c.What, []string{"file → symlink"}) {
			t.Errorf("/usr/bin/tool: %v", c.What)
		}
	}
	if k := KindsOf(f.Changes); k.Files+k.Dirs+k.Symlinks+k.Other != len(f.Changes) || k.Dirs != 3 || k.Symlinks != 1 {
		t.Errorf("kinds %+v of %d", k, len(f.Changes))
	}
	if len(Merged(tree(t, false, a...), tree(t, false, a...)).Changes) != 0 {
		t.Error("an image differs from itself")
	}
}

// TestPartialIsExactOnlyWhereTheSharedLayersCannotChangeIt: past the shared
// layers, paths one image writes or deletes and the other leaves alone need
// the shared layers; paths both images' own layers write alike do not.
func TestPartialIsExactOnlyWhereTheSharedLayersCannotChangeIt(t *testing.T) {
	shared, a, b := lt.DiffImages(t)
	if _, exact := Partial(tree(t, true, a...), tree(t, true, b...)); exact {
		t.Error("the images' own layers alone settle their difference")
	}
	mode := lt.File("app/mode", "m")
	mode.Mode = 0o755
	oldTop := lt.Tar(t, lt.Dir("app/"), lt.File("app/main.py", "print(1)\n"), lt.File("app/same", "s"), lt.File("app/mode", "m"),
		lt.Symlink("app/link", "a"), lt.File("app/gone", "g"), lt.File("etc/.wh.motd", ""))
	newTop := lt.Tar(t, lt.Dir("app/"), lt.File("app/main.py", "print(2)\n"), lt.File("app/same", "s"), mode,
		lt.Symlink("app/link", "b"), lt.File("app/.wh.gone", ""), lt.File("etc/.wh.motd", ""))
	f, exact := Partial(tree(t, true, oldTop), tree(t, true, newTop))
	want := Merged(tree(t, false, append(slices.Clone(shared), oldTop)...), tree(t, false, append(slices.Clone(shared), newTop)...))
	if !exact || !slices.Equal(lines(f), lines(want)) {
		t.Fatalf("exact %v\n%s\nwant\n%s", exact, strings.Join(lines(f), "\n"), strings.Join(lines(want), "\n"))
	}
	if f.BytesAdded != 9+1 || f.BytesRemoved != 9+1+1 {
		t.Errorf("bytes +%d -%d", f.BytesAdded, f.BytesRemoved)
	}
	for _, inexact := range [][2][]byte{
		{oldTop, lt.Tar(t, lt.File("app/main.py", "print(2)\n"))},                         // app/same untouched on one side
		{lt.Tar(t, lt.Dir("d/")), lt.Tar(t, lt.Dir("d/"), lt.File("d/.wh..wh..opq", ""))}, // one hides what the shared d holds
		{lt.Tar(t, lt.Dir("d/")), lt.Tar(t, lt.File(".wh.d", ""))},                        // one deletes a directory the other writes
	} {
		if _, exact := Partial(tree(t, true, inexact[0]), tree(t, true, inexact[1])); exact {
			t.Errorf("exact without the shared layers: %q vs %q", inexact[0], inexact[1])
		}
	}
}
