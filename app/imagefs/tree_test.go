package imagefs

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestMergedTreeAppliesWhiteoutsAndOpaqueDirs(t *testing.T) {
	base := tarOf(t,
		dir("etc/"), file("etc/os-release", "ID=base\n"), file("etc/motd", "hello"),
		dir("var/cache/"), file("var/cache/a", "aaaa"), dir("var/cache/sub/"), file("var/cache/sub/b", "bb"),
		dir("opt/"), file("opt/big", strings.Repeat("x", 1000)),
		symlink("bin", "usr/bin"),
	)
	second := tarOf(t,
		file("etc/os-release", "ID=second\n"), // overwrites
		file("etc/.wh.motd", ""),              // deletes
		dir("var/cache/"), file("var/cache/.wh..wh..opq", ""), file("var/cache/new", "n"),
		file(".wh.opt", ""), // deletes a directory with what is in it
		hardlink("etc/release-link", "etc/os-release"),
	)
	tree := merged(t, false, base, second)
	got := paths(tree)
	want := map[string]int{
		"/": 0, "/etc": 0, "/etc/os-release": 1, "/etc/release-link": 1,
		"/var": 0, "/var/cache": 1, "/var/cache/new": 1, "/bin": 0,
	}
	if !maps.Equal(got, want) {
		t.Fatalf("paths:\n got %v\nwant %v", got, want)
	}
	id, _ := tree.Lookup("/etc/os-release")
	if n := tree.Node(id); !n.Changed || n.Size != 10 {
		t.Errorf("os-release: %+v", n)
	}
	id, _ = tree.Lookup("/etc/release-link")
	if n := tree.Node(id); n.Type != Hardlink || n.Target != "/etc/os-release" {
		t.Errorf("link: %+v", n)
	}
	s := tree.Size(10)
	// Wasted in layer 0: os-release (8), motd (5), cache a (4), sub/b (2), big (1000).
	if s.Layers[0].Wasted != 8+5+4+2+1000 || s.Layers[1].Wasted != 0 {
		t.Errorf("wasted %+v", s.Layers)
	}
	if s.Total != 8+5+4+2+1000+10+1 || s.Final != 10+1 {
		t.Errorf("total %d final %d", s.Total, s.Final)
	}
	if s.Wasted[0].Path != "/opt/big" || s.Wasted[0].Size != 1000 {
		t.Errorf("top wasted %+v", s.Wasted)
	}
	id, _ = tree.Lookup("/var")
	if tree.Node(id).Size != 1 {
		t.Errorf("/var's total: %d", tree.Node(id).Size)
	}
	// The second layer's filter shows what it removed.
	var removedBy1 []string
	tree.Walk(0, func(n Node) bool { return true })
	for id := range tree.Len() {
		if n := tree.Node(ID(id)); n.Removed && n.Layer == 1 {
			removedBy1 = append(removedBy1, n.Path)
		}
	}
	slices.Sort(removedBy1)
	if !slices.Equal(removedBy1, []string{"/etc/motd", "/opt", "/opt/big", "/var/cache/a", "/var/cache/sub", "/var/cache/sub/b"}) {
		t.Errorf("removed by layer 1: %v", removedBy1)
	}
}

func TestOpaqueKeepsWhatItsOwnLayerWrote(t *testing.T) {
	base := tarOf(t, dir("d/"), dir("d/keep/"), file("d/keep/old", "o"), file("d/gone", "g"))
	// The layer writes under d/keep first, then marks d opaque.
	top := tarOf(t, file("d/keep/mine", "m"), file("d/.wh..wh..opq", ""))
	got := paths(merged(t, false, base, top))
	want := map[string]int{"/": 0, "/d": 0, "/d/keep": 0, "/d/keep/mine": 1}
	if !maps.Equal(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
}

func TestDeletedThenWrittenAgain(t *testing.T) {
	l0 := tarOf(t, dir("d/"), file("d/a", "1"))
	l1 := tarOf(t, file(".wh.d", ""))
	l2 := tarOf(t, file("d/b", "2"))
	got := paths(merged(t, false, l0, l1, l2))
	want := map[string]int{"/": 0, "/d": 2, "/d/b": 2}
	if !maps.Equal(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
}

func TestRawTreeKeepsWhiteouts(t *testing.T) {
	tree := merged(t, true, tarOf(t, file("etc/.wh.motd", ""), file("var/.wh..wh..opq", ""), file("a", "x")))
	var kinds []string
	tree.Walk(0, func(n Node) bool {
		kinds = append(kinds, n.Path+" "+n.Type.String())
		return true
	})
	want := []string{"/ dir", "/a file", "/etc dir", "/etc/motd whiteout", "/var opaque"}
	if !slices.Equal(kinds, want) {
		t.Fatalf("%v", kinds)
	}
}

func TestModeString(t *testing.T) {
	for _, c := range []struct {
		e    Entry
		want string
	}{
		{Entry{Type: File, Mode: 0644}, "-rw-r--r--"},
		{Entry{Type: Dir, Mode: 01777}, "drwxrwxrwt"},
		{Entry{Type: File, Mode: 04755}, "-rwsr-xr-x"},
		{Entry{Type: Symlink, Mode: 0777}, "lrwxrwxrwx"},
	} {
		if got := c.e.ModeString(); got != c.want {
			t.Errorf("%o: %s, want %s", c.e.Mode, got, c.want)
		}
	}
}
