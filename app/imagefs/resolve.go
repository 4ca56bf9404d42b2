package imagefs

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"unicode"
)

var (
	// ErrNoSuchFile: no live entry has the path.
	ErrNoSuchFile = errors.New("no such file in the image")
	// ErrLinkLoop: following symlinks went round more than 40 times.
	ErrLinkLoop = errors.New("too many levels of symbolic links")
)

// maxHops is how many symlinks a lookup follows, as Linux's ELOOP.
const maxHops = 40

// Resolve finds p in the tree as the container would open it: symlinks
// followed (relative ones from their directory, absolute ones from the
// image's root, ".." never above the root), hard links not.
func (t *Tree) Resolve(p string) (ID, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	hops := 0
	cur := ID(0)
	todo := strings.Split(strings.Trim(p, "/"), "/")
	for len(todo) > 0 {
		name := todo[0]
		todo = todo[1:]
		switch name {
		case "", ".":
			continue
		case "..":
			if cur != 0 {
				cur = t.nodes[cur].parent
			}
			continue
		}
		if t.nodes[cur].typ != Dir {
			return none, fmt.Errorf("%w: %s: %s is not a directory", ErrNoSuchFile, p, t.path(cur))
		}
		id := t.child(cur, name)
		if id == none || t.nodes[id].flags&removed != 0 {
			return none, fmt.Errorf("%w: %s", ErrNoSuchFile, p)
		}
		if t.nodes[id].typ != Symlink {
			cur = id
			continue
		}
		if hops++; hops > maxHops {
			return none, fmt.Errorf("%w: %s", ErrLinkLoop, p)
		}
		target := t.targets[id]
		if strings.HasPrefix(target, "/") {
			cur = 0
		}
		todo = append(strings.Split(target, "/"), todo...)
	}
	return cur, nil
}

// SafeName is a file name to offer when saving an entry: its last part,
// with nothing that could lead out of the folder chosen or hide in a
// listing ("/", "..", controls).
func SafeName(p string) string {
	base := path.Base(Clean(p))
	if base == "/" {
		return "file"
	}
	base = strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\' || r == ':' || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == unicode.ReplacementChar:
			return '_'
		}
		return r
	}, base)
	base = strings.TrimLeft(base, ".")
	if base == "" {
		return "file"
	}
	return base
}
