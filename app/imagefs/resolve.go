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

// DanglingLinkError says that a path leads through a symlink to a path the image
// does not hold. It is an ErrNoSuchFile.
type DanglingLinkError struct {
	// Path was asked for; Link is the symlink, Target where it points, as
	// written.
	Path, Link, Target string
}

func (e *DanglingLinkError) Error() string {
	s := fmt.Sprintf("%s is a symlink to %s, a path the image does not hold", e.Link, e.Target)
	if Clean(e.Path) != e.Link {
		s = e.Path + ": " + s
	}
	return s
}

func (e *DanglingLinkError) Is(target error) bool { return target == ErrNoSuchFile }

// maxHops is how many symlinks a lookup follows, as Linux's ELOOP.
const maxHops = 40

// Resolve finds p in the tree as the container would open it: symlinks
// followed (relative ones from their directory, absolute ones from the
// image's root, ".." never above the root), hard links not. A name missing
// from a symlink's target is that symlink's fault (DanglingLinkError).
func (t *Tree) Resolve(p string) (ID, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	hops := 0
	cur := ID(0)
	todo := strings.Split(strings.Trim(p, "/"), "/")
	// following are the symlinks whose targets are being walked, the
	// innermost last, each with how many names of todo are its target's.
	type following struct {
		link ID
		left int
	}
	var links []following
	for len(todo) > 0 {
		name := todo[0]
		todo = todo[1:]
		for len(links) > 0 && links[len(links)-1].left == 0 {
			links = links[:len(links)-1]
		}
		via := none
		if len(links) > 0 {
			links[len(links)-1].left--
			via = links[len(links)-1].link
		}
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
			if via != none {
				return none, &DanglingLinkError{Path: p, Link: t.path(via), Target: t.targets[via]}
			}
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
		parts := strings.Split(target, "/")
		todo = append(parts, todo...)
		links = append(links, following{id, len(parts)})
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
