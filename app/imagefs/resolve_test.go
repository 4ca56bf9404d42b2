package imagefs

import (
	"errors"
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
