package imagefs

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestResolveFollowsSymlinksInsideTheImage(t *testing.T) {
	tree := merged(t, false, tarOf(t,
		dir("usr/bin/"), file("usr/bin/python3.12", "py"),
		symlink("usr/bin/python3", "python3.12"),
		symlink("bin", "usr/bin"),
		symlink("abs", "/usr/bin/python3"),
		symlink("escape", "../../../../usr/bin/python3"),
		symlink("loop1", "loop2"), symlink("loop2", "loop1"),
		symlink("dangling", "nowhere"),
	))
	for _, p := range []string{"/bin/python3", "/abs", "/escape", "/usr/bin/../bin/python3"} {
		id, err := tree.Resolve(p)
		if err != nil || tree.Node(id).Path != "/usr/bin/python3.12" {
			t.Errorf("%s: %v %v", p, tree.Node(id).Path, err)
		}
	}
	if _, err := tree.Resolve("/loop1"); !errors.Is(err, ErrLinkLoop) {
		t.Errorf("loop: %v", err)
	}
	if _, err := tree.Resolve("/dangling"); !errors.Is(err, ErrNoSuchFile) {
		t.Errorf("dangling: %v", err)
	}
	if _, err := tree.Resolve("/usr/bin/python3.12/x"); !errors.Is(err, ErrNoSuchFile) {
		t.Errorf("under a file: %v", err)
	}
}

// TestADanglingSymlinkIsNamed: a name missing from a symlink's target is
// said to be that symlink's, wherever in the path it is; a name missing
// after a symlink that resolved is not.
func TestADanglingSymlinkIsNamed(t *testing.T) {
	tree := merged(t, false, tarOf(t,
		dir("usr/lib/"), file("usr/lib/libc.so", "c"),
		symlink("opt/app/dangling", "../lib/missing.so"),
		symlink("opt/app/lib", "/usr/lib"),
		symlink("opt/app/first", "second"), symlink("opt/app/second", "/nowhere/at/all"),
		symlink("opt/app/gone", "/usr/lib/libc.so"),
	), tarOf(t, file("usr/lib/.wh.libc.so", "")))
	for p, want := range map[string]string{
		"/opt/app/dangling":           "/opt/app/dangling is a symlink to ../lib/missing.so, a path the image does not hold",
		"opt/app/dangling/x":          "opt/app/dangling/x: /opt/app/dangling is a symlink to ../lib/missing.so, a path the image does not hold",
		"/opt/app/first":              "/opt/app/first: /opt/app/second is a symlink to /nowhere/at/all, a path the image does not hold",
		"/opt/app/gone":               "/opt/app/gone is a symlink to /usr/lib/libc.so, a path the image does not hold",
		"/opt/app/lib/libm.so":        "no such file in the image: /opt/app/lib/libm.so",
		"/opt/app/../app/dangling/..": "/opt/app/../app/dangling/..: /opt/app/dangling is a symlink",
	} {
		_, err := tree.Resolve(p)
		var dangling *DanglingLinkError
		if !errors.Is(err, ErrNoSuchFile) || !strings.Contains(fmt.Sprint(err), want) || errors.As(err, &dangling) != strings.Contains(want, "symlink") {
			t.Errorf("%s: %v, want %q", p, err, want)
		}
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"/etc/os-release":      "os-release",
		"../../../etc/passwd":  "passwd",
		"/..":                  "file",
		"/x/..hidden":          "hidden",
		"/a/b\x1b[2Jc\u202ed":  "b_[2Jc_d",
		"/a/C:\\Windows\\evil": "C__Windows_evil",
	} {
		if got := SafeName(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
