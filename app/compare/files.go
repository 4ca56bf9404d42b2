package compare

import (
	"cmp"
	"fmt"
	"path"
	"slices"

	"github.com/card-catalog/card-catalog/app/imagefs"
)

// FileChange is a path that differs between two images.
type FileChange struct {
	Path string
	// Op is Added, Removed, or Changed.
	Op Op
	// Old and New are the entry in each image; nil where it is absent or
	// is the shared base's (not read).
	Old, New *imagefs.Entry
	// Base: one side is whatever the shared layers hold there: an added
	// path may replace a file of theirs, a removed one may leave theirs.
	Base bool
	// What changed, for Changed: "size 10 → 12", "mode", "content".
	What []string
}

// Changed marks a path whose entry differs in kind, size, mode, owner,
// link target or content.
const Changed Op = '~'

// Files is the file-level difference of two images.
type Files struct {
	Changes []FileChange
	// Bytes of files that arrive (added, or the new side of a change)
	// and that go (removed, or the old side).
	BytesAdded, BytesRemoved int64
}

// state is what a path is on one side of a comparison.
type state byte

const (
	base    state = iota // untouched: the shared layers' entry, if any
	present              // written by this side's own layers
	deleted              // whited out, or hidden by an opaque directory
)

// side indexes one image's partial tree by path.
type side map[string]imagefs.Node

func index(t *imagefs.Tree) side {
	s := side{}
	t.Each(func(n imagefs.Node) { s[n.Path] = n })
	return s
}

func (s side) state(p string) (state, *imagefs.Entry) {
	if n, ok := s[p]; ok {
		switch {
		case n.Removed:
			return deleted, nil
		case n.Implicit && !n.HidesBase:
			return base, nil // a directory written under, not itself
		default:
			e := n.Entry
			return present, &e
		}
	}
	for dir := path.Dir(p); ; dir = path.Dir(dir) {
		if n, ok := s[dir]; ok && (n.Removed || n.HidesBase) {
			return deleted, nil
		}
		if dir == "/" {
			return base, nil
		}
	}
}

// verdicts say what a path's states in the old and the new image make it;
// the pairs not listed are no change. A whiteout deletes what is there, so
// a path one side deletes is in the shared base.
var verdicts = map[[2]state]struct {
	op   Op
	base bool
}{
	{present, present}: {Changed, false},
	{deleted, present}: {Added, false},
	{present, deleted}: {Removed, false},
	{base, present}:    {Added, true},
	{deleted, base}:    {Added, true},
	{present, base}:    {Removed, true},
	{base, deleted}:    {Removed, true},
}

// CompareFiles compares the partial trees of the layers two images do
// not share (imagefs.NewPartialTree): a is the old image, b the new.
func CompareFiles(a, b *imagefs.Tree) Files {
	sa, sb := index(a), index(b)
	paths := map[string]bool{}
	for p := range sa {
		paths[p] = true
	}
	for p := range sb {
		paths[p] = true
	}
	var f Files
	for p := range paths {
		if p == "/" {
			continue
		}
		stA, old := sa.state(p)
		stB, new := sb.state(p)
		v, ok := verdicts[[2]state{stA, stB}]
		if !ok {
			continue
		}
		if v.base && isDir(old, new) && inBoth(sa, sb, p) {
			continue // a layer writes the directories its files are in
		}
		c := FileChange{Path: p, Op: v.op, Base: v.base, Old: old, New: new}
		if c.Op == Changed {
			if c.What = differences(*old, *new); len(c.What) == 0 {
				continue
			}
		}
		if c.New != nil && c.Op != Removed {
			f.BytesAdded += c.New.Size
		}
		if c.Old != nil && c.Op != Added {
			f.BytesRemoved += c.Old.Size
		}
		f.Changes = append(f.Changes, c)
	}
	slices.SortFunc(f.Changes, func(x, y FileChange) int { return cmp.Compare(x.Path, y.Path) })
	return f
}

func isDir(a, b *imagefs.Entry) bool {
	return a != nil && a.Type == imagefs.Dir || b != nil && b.Type == imagefs.Dir
}

func inBoth(a, b side, p string) bool {
	_, inA := a[p]
	_, inB := b[p]
	return inA && inB
}

// differences says how two entries of a path differ.
func differences(a, b imagefs.Entry) []string {
	var what []string
	if a.Type != b.Type {
		return []string{fmt.Sprintf("%s → %s", a.Type, b.Type)}
	}
	if a.Size != b.Size {
		what = append(what, fmt.Sprintf("size %d → %d", a.Size, b.Size))
	}
	if a.Mode != b.Mode {
		what = append(what, fmt.Sprintf("mode %s → %s", a.OctalMode(), b.OctalMode()))
	}
	if a.UID != b.UID || a.GID != b.GID {
		what = append(what, fmt.Sprintf("owner %d:%d → %d:%d", a.UID, a.GID, b.UID, b.GID))
	}
	if a.Target != b.Target {
		what = append(what, "target "+a.Target+" → "+b.Target)
	}
	if a.Size == b.Size && a.Digest != "" && b.Digest != "" && a.Digest != b.Digest {
		what = append(what, "content")
	}
	return what
}

// Kinds counts changes by what the path is (its new entry's kind, or its
// old one's when it went): files (hard links among them), directories,
// symlinks, and the rest (devices, FIFOs).
type Kinds struct{ Files, Dirs, Symlinks, Other int }

// KindsOf counts changes by kind.
func KindsOf(changes []FileChange) Kinds {
	var k Kinds
	for _, c := range changes {
		e := c.New
		if e == nil {
			e = c.Old
		}
		switch {
		case e == nil, e.Type == imagefs.File, e.Type == imagefs.Hardlink:
			k.Files++
		case e.Type == imagefs.Dir:
			k.Dirs++
		case e.Type == imagefs.Symlink:
			k.Symlinks++
		default:
			k.Other++
		}
	}
	return k
}
