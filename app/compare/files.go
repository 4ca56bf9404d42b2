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
	// Old and New are the entry in each image; nil where it is absent.
	Old, New *imagefs.Entry
	// What changed, for Changed: "size 10 → 12", "mode", "content".
	What []string
	// Inside counts, for an added or removed directory, the entries under
	// it; each is a change of its own too.
	Inside int
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

func (f *Files) add(c FileChange) {
	if c.New != nil && c.New.Type == imagefs.File && c.Op != Removed {
		f.BytesAdded += c.New.Size
	}
	if c.Old != nil && c.Old.Type == imagefs.File && c.Op != Added {
		f.BytesRemoved += c.Old.Size
	}
	f.Changes = append(f.Changes, c)
}

// Merged compares two images' whole merged filesystems (imagefs.NewTree),
// a the old and b the new, as diff -r compares two directories: a path
// only in a is Removed, one only in b Added (and so is every entry under
// an added or removed directory), and one in both whose entries differ
// Changed. Changes come in path order.
func Merged(a, b *imagefs.Tree) Files {
	var f Files
	mergeDirs(&f, a, b, 0, 0)
	sortChanges(&f)
	return f
}

// mergeDirs compares the directory that is ia in a and ib in b, a child at
// a time: both trees list children by name.
func mergeDirs(f *Files, a, b *imagefs.Tree, ia, ib imagefs.ID) {
	ca, cb := a.Children(ia, nil), b.Children(ib, nil)
	for len(ca) > 0 || len(cb) > 0 {
		var na, nb imagefs.Node
		switch {
		case len(cb) == 0:
			na = a.Node(ca[0])
		case len(ca) == 0:
			nb = b.Node(cb[0])
		default:
			na, nb = a.Node(ca[0]), b.Node(cb[0])
			switch cmp.Compare(na.Name, nb.Name) {
			case -1:
				nb = imagefs.Node{}
			case 1:
				na = imagefs.Node{}
			}
		}
		switch {
		case nb.Name == "":
			onlyIn(f, a, na, Removed)
			ca = ca[1:]
		case na.Name == "":
			onlyIn(f, b, nb, Added)
			cb = cb[1:]
		default:
			if what := differences(na.Entry, nb.Entry); len(what) > 0 {
				old, new := na.Entry, nb.Entry
				f.add(FileChange{Path: nb.Path, Op: Changed, Old: &old, New: &new, What: what})
			}
			switch {
			case na.Type == imagefs.Dir && nb.Type == imagefs.Dir:
				mergeDirs(f, a, b, na.ID, nb.ID)
			case na.Type == imagefs.Dir:
				below(f, a, na.ID, Removed)
			case nb.Type == imagefs.Dir:
				below(f, b, nb.ID, Added)
			}
			ca, cb = ca[1:], cb[1:]
		}
	}
}

// onlyIn lists n, of tree t, and everything under it as op.
func onlyIn(f *Files, t *imagefs.Tree, n imagefs.Node, op Op) {
	at := len(f.Changes)
	f.add(change(n, op))
	if n.Type == imagefs.Dir {
		f.Changes[at].Inside = below(f, t, n.ID, op)
	}
}

// below lists what is under directory id of tree t as op, and counts it.
func below(f *Files, t *imagefs.Tree, id imagefs.ID, op Op) int {
	count := 0
	for _, c := range t.Children(id, nil) {
		count++
		n := t.Node(c)
		at := len(f.Changes)
		f.add(change(n, op))
		if n.Type == imagefs.Dir {
			inside := below(f, t, c, op)
			f.Changes[at].Inside = inside
			count += inside
		}
	}
	return count
}

func change(n imagefs.Node, op Op) FileChange {
	e := n.Entry
	c := FileChange{Path: n.Path, Op: op}
	if op == Added {
		c.New = &e
	} else {
		c.Old = &e
	}
	return c
}

func sortChanges(f *Files) {
	slices.SortFunc(f.Changes, func(x, y FileChange) int { return cmp.Compare(x.Path, y.Path) })
}

// state is what a path is on one side of a comparison of partial trees.
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
	if s.hidesBelow(path.Dir(p)) {
		return deleted, nil
	}
	return base, nil
}

// hidesBelow tells whether what the shared layers hold under p is gone on
// this side: p or a directory above it is deleted, hidden, or no longer a
// directory.
func (s side) hidesBelow(p string) bool {
	for dir := p; ; dir = path.Dir(dir) {
		if n, ok := s[dir]; ok && (n.Removed || n.HidesBase || (n.Type != imagefs.Dir && !n.Implicit)) {
			return true
		}
		if dir == "/" {
			return false
		}
	}
}

// Partial compares the partial trees of the layers two images do not share
// (imagefs.NewPartialTree), a the old and b the new. The answer is exact
// only when the shared layers cannot change it: every path one image's
// layers touch, the other's touch too, and both leave what the shared
// layers hold under it alike. Otherwise (exact false) only the whole
// merged trees say what changed: a path one side writes may be new or
// replace the shared layers' file, one it deletes may or may not have
// been there, and a directory it hides or deletes takes entries of the
// shared layers with it that neither partial tree holds.
func Partial(a, b *imagefs.Tree) (f Files, exact bool) {
	sa, sb := index(a), index(b)
	paths := map[string]bool{}
	for p := range sa {
		paths[p] = true
	}
	for p := range sb {
		paths[p] = true
	}
	for p := range paths {
		stA, old := sa.state(p)
		stB, new := sb.state(p)
		if stA == base && stB == base {
			continue
		}
		if stA == base || stB == base || sa.hidesBelow(p) != sb.hidesBelow(p) {
			return Files{}, false
		}
		switch {
		case stA == present && stB == present:
			if what := differences(*old, *new); len(what) > 0 {
				f.add(FileChange{Path: p, Op: Changed, Old: old, New: new, What: what})
			}
		case stA == present:
			f.add(FileChange{Path: p, Op: Removed, Old: old})
		case stB == present:
			f.add(FileChange{Path: p, Op: Added, New: new})
		}
	}
	sortChanges(&f)
	return f, true
}

// differences says how two entries of a path differ; a directory's size
// (what is under it) and a time are no difference.
func differences(a, b imagefs.Entry) []string {
	var what []string
	if a.Type != b.Type {
		return []string{fmt.Sprintf("%s → %s", a.Type, b.Type)}
	}
	if a.Size != b.Size && a.Type != imagefs.Dir {
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
