package imagefs

import (
	"cmp"
	"hash/maphash"
	"slices"
	"strings"
	"sync"
	"time"
)

// Tree is a filesystem built from layers applied in order: the merged
// filesystem of an image (whiteouts delete, opaque directories hide what
// lies below), or one layer as stored (Raw: its whiteouts are entries).
// It is safe for one writer and many readers: the window reads it while a
// layer streams in.
//
// Nodes are kept compact (about 100 bytes an entry with its name) so that
// an image of a million files fits: names are not joined into paths until
// asked, and a child is found by a hash of (parent, name).
type Tree struct {
	mu  sync.RWMutex
	raw bool
	// partial: the layers sit on a base that is not read (the layers two
	// images share); a whiteout of a path it has not seen is kept, as the
	// deletion of the base's, and an opaque directory is marked.
	partial bool
	nodes   []node
	// byName maps hash(parent, name) to the first node with that hash; the
	// rest of the chain follows node.sameHash.
	byName  map[uint64]int32
	seed    maphash.Seed
	targets map[int32]string
	// digests of file contents, when the walk hashed them.
	digests map[int32]string
	// Per layer, base first.
	layers []LayerStats
	wasted topWasted
	sized  bool
}

// LayerStats is what one layer did to the merged filesystem.
type LayerStats struct {
	// Bytes of files the layer wrote, and how many entries it holds.
	Bytes   int64
	Entries int
	// Wasted is the bytes of the layer's files that a later layer
	// overwrites or deletes: they are pulled, and never seen.
	Wasted int64
}

// ID names a node of the tree; the root is 0.
type ID = int32

const none ID = -1

type node struct {
	name                     string
	size                     int64
	modTime                  int64
	parent, firstChild, next ID
	sameHash                 ID
	mode                     uint32
	uid, gid                 uint32
	layer                    uint16
	typ                      Type
	flags                    uint8
}

const (
	// removed: a whiteout of node.layer deleted the path; kept so that
	// the layer's filter can show what it removed.
	removed uint8 = 1 << iota
	// changed: the path existed below the layer that last wrote it.
	changed
	// implicit: a directory no header named, made for a path under it.
	implicit
	// hidesBase: an opaque directory of a partial tree: nothing of the
	// base's is under it.
	hidesBase
)

// NewTree starts an empty merged filesystem; raw keeps whiteouts as
// entries instead of applying them.
func NewTree(raw bool) *Tree {
	t := &Tree{raw: raw, byName: map[uint64]int32{}, seed: maphash.MakeSeed(), targets: map[int32]string{}, digests: map[int32]string{}}
	t.nodes = append(t.nodes, node{name: "/", parent: none, firstChild: none, next: none, sameHash: none, typ: Dir, mode: 0755, flags: implicit})
	return t
}

// NewPartialTree starts the merged filesystem of layers above a base that
// is not read, for comparing two images past the layers they share.
func NewPartialTree() *Tree {
	t := NewTree(false)
	t.partial = true
	return t
}

func (t *Tree) key(parent ID, name string) uint64 {
	var h maphash.Hash
	h.SetSeed(t.seed)
	var b [4]byte
	b[0], b[1], b[2], b[3] = byte(parent), byte(parent>>8), byte(parent>>16), byte(parent>>24)
	h.Write(b[:])
	h.WriteString(name)
	return h.Sum64()
}

// child finds parent's child called name, removed ones included.
func (t *Tree) child(parent ID, name string) ID {
	id, ok := t.byName[t.key(parent, name)]
	if !ok {
		return none
	}
	for ; id != none; id = t.nodes[id].sameHash {
		if n := &t.nodes[id]; n.parent == parent && n.name == name {
			return id
		}
	}
	return none
}

func (t *Tree) addChild(parent ID, name string, n node) ID {
	id := ID(len(t.nodes))
	// A name of its own: a slice of the entry's path would keep the path.
	n.name, n.parent, n.next, n.firstChild = strings.Clone(name), parent, t.nodes[parent].firstChild, none
	k := t.key(parent, name)
	n.sameHash = none
	if first, ok := t.byName[k]; ok {
		n.sameHash = first
	}
	t.byName[k] = id
	t.nodes = append(t.nodes, n)
	t.nodes[parent].firstChild = id
	return id
}

// Add applies a batch of entries of one layer, in the order the layer
// holds them.
func (t *Tree) Add(layer int, entries []Entry) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sized = false
	for len(t.layers) <= layer {
		t.layers = append(t.layers, LayerStats{})
	}
	for _, e := range entries {
		t.add(layer, e)
	}
}

func (t *Tree) add(layer int, e Entry) {
	st := &t.layers[layer]
	st.Entries++
	st.Bytes += e.Size
	if e.Path == "/" {
		if e.Type == Dir {
			t.nodes[0].mode, t.nodes[0].uid, t.nodes[0].gid = e.Mode, uint32(e.UID), uint32(e.GID)
			t.nodes[0].modTime, t.nodes[0].flags = e.ModTime.Unix(), 0
		} else if e.Type == Opaque && !t.raw {
			t.hideBelow(0, layer)
			if t.partial {
				t.nodes[0].flags |= hidesBase
			}
		}
		return
	}
	parent := t.dirOf(e.Path, layer)
	name := e.Path[strings.LastIndexByte(e.Path, '/')+1:]
	if !t.raw {
		switch e.Type {
		case Whiteout:
			id := t.child(parent, name)
			switch {
			case id != none && t.nodes[id].flags&removed == 0:
				t.remove(id, layer)
			case id == none && t.partial:
				t.addChild(parent, name, node{typ: Whiteout, layer: uint16(layer), flags: removed})
			}
			return
		case Opaque:
			id := t.child(parent, name)
			if id != none {
				t.hideBelow(id, layer)
			} else if t.partial {
				id = t.addChild(parent, name, node{typ: Dir, mode: 0755, layer: uint16(layer), flags: implicit})
			}
			if t.partial {
				t.nodes[id].flags |= hidesBase
			}
			return
		}
	}
	n := node{
		size: e.Size, modTime: e.ModTime.Unix(), mode: e.Mode,
		uid: uint32(e.UID), gid: uint32(e.GID), layer: uint16(layer), typ: e.Type,
	}
	id := t.child(parent, name)
	if id == none {
		id = t.addChild(parent, name, n)
	} else {
		old := &t.nodes[id]
		if old.flags&removed == 0 {
			n.flags |= changed
		}
		n.flags |= old.flags & hidesBase
		if old.flags&removed == 0 && old.typ != Dir {
			t.waste(id, old.size)
		}
		if old.typ == Dir && e.Type != Dir && old.flags&removed == 0 {
			t.dropChildren(id, layer)
		}
		// A directory written again keeps what is in it; children of a
		// removed one stay removed until written again.
		n.name, n.parent, n.next, n.sameHash, n.firstChild = old.name, old.parent, old.next, old.sameHash, old.firstChild
		*old = n
	}
	if e.Target != "" {
		t.targets[id] = e.Target
	} else {
		delete(t.targets, id)
	}
	if e.Digest != "" {
		t.digests[id] = e.Digest
	} else {
		delete(t.digests, id)
	}
}

// dirOf returns the directory p is in, making the directories on the way
// that no header named (and bringing back removed ones).
func (t *Tree) dirOf(p string, layer int) ID {
	dir := ID(0)
	rest := p[1:]
	for {
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			return dir
		}
		name := rest[:i]
		rest = rest[i+1:]
		id := t.child(dir, name)
		switch {
		case id == none:
			id = t.addChild(dir, name, node{typ: Dir, mode: 0755, layer: uint16(layer), flags: implicit})
		case t.nodes[id].typ != Dir || t.nodes[id].flags&removed != 0:
			// A path under a file or a deleted directory makes it a
			// directory again, as the runtime would.
			old := &t.nodes[id]
			if old.flags&removed == 0 {
				t.waste(id, old.size)
			}
			old.typ, old.size, old.flags, old.layer, old.mode = Dir, 0, implicit|changed, uint16(layer), 0755
		}
		dir = id
	}
}

// remove deletes id and what is under it, leaving a removed marker.
func (t *Tree) remove(id ID, layer int) {
	n := &t.nodes[id]
	if n.typ == Dir {
		t.dropChildren(id, layer)
	} else {
		t.waste(id, n.size)
	}
	n.flags = removed
	n.layer = uint16(layer)
}

// dropChildren deletes everything under id, counting the files' bytes as
// wasted to the layers that wrote them.
func (t *Tree) dropChildren(id ID, layer int) {
	for c := t.nodes[id].firstChild; c != none; c = t.nodes[c].next {
		cn := &t.nodes[c]
		if cn.flags&removed != 0 {
			continue
		}
		if cn.typ == Dir {
			t.dropChildren(c, layer)
		} else {
			t.waste(c, cn.size)
		}
		cn.flags, cn.layer = removed, uint16(layer)
	}
}

// hideBelow applies an opaque directory: what lower layers put in dir is
// deleted; what this layer put there stays.
func (t *Tree) hideBelow(dir ID, layer int) {
	for c := t.nodes[dir].firstChild; c != none; c = t.nodes[c].next {
		cn := &t.nodes[c]
		switch {
		case cn.flags&removed != 0:
		case cn.typ == Dir && t.touchedBy(c, layer):
			t.hideBelow(c, layer)
		case int(cn.layer) < layer:
			t.remove(c, layer)
		}
	}
}

func (t *Tree) touchedBy(id ID, layer int) bool {
	if int(t.nodes[id].layer) == layer {
		return true
	}
	for c := t.nodes[id].firstChild; c != none; c = t.nodes[c].next {
		if t.nodes[c].flags&removed == 0 && t.touchedBy(c, layer) {
			return true
		}
	}
	return false
}

// waste counts a file's bytes as pulled but never seen.
func (t *Tree) waste(id ID, size int64) {
	n := &t.nodes[id]
	if size <= 0 || int(n.layer) >= len(t.layers) {
		return
	}
	t.layers[n.layer].Wasted += size
	t.wasted.offer(t, id, int(n.layer), size)
}

// Len is the number of nodes, removed ones included; IDs run below it.
func (t *Tree) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.nodes)
}

// Layers says what each layer added so far.
func (t *Tree) Layers() []LayerStats {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return slices.Clone(t.layers)
}

// Children lists id's children by name; removed ones are left out unless
// keep says to keep them.
func (t *Tree) Children(id ID, keep func(ID) bool) []ID {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if id < 0 || int(id) >= len(t.nodes) {
		return nil
	}
	var out []ID
	for c := t.nodes[id].firstChild; c != none; c = t.nodes[c].next {
		if keep != nil && !keep(c) {
			continue
		}
		if keep == nil && t.nodes[c].flags&removed != 0 {
			continue
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b ID) int { return cmp.Compare(t.nodes[a].name, t.nodes[b].name) })
	return out
}

// Node describes one node; Path is built from its parents.
type Node struct {
	Entry
	ID      ID
	Name    string
	Removed bool
	Changed bool
	// Implicit: no header named this directory; a path under it made it.
	Implicit bool
	// HidesBase: an opaque directory of a partial tree.
	HidesBase bool
}

// ChangedBy marks what layer last wrote or removed (directories a path
// under it made are not its changes) and the directories on the way to
// them; count is how many are marked.
func (t *Tree) ChangedBy(layer int) (marks []bool, count int) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	marks = make([]bool, len(t.nodes))
	for id := range t.nodes {
		n := &t.nodes[id]
		if int(n.layer) != layer || (n.flags&implicit != 0 && n.flags&removed == 0) {
			continue
		}
		for at := ID(id); at > 0 && !marks[at]; at = t.nodes[at].parent {
			marks[at] = true
			count++
		}
	}
	return marks, count
}

// Parent is id's directory; -1 for the root.
func (t *Tree) Parent(id ID) ID {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if id <= 0 || int(id) >= len(t.nodes) {
		return none
	}
	return t.nodes[id].parent
}

// Node describes id.
func (t *Tree) Node(id ID) Node {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.node(id)
}

func (t *Tree) node(id ID) Node {
	n := &t.nodes[id]
	return Node{
		Entry: Entry{
			Path: t.path(id), Type: n.typ, Size: n.size, Mode: n.mode, UID: int(n.uid), GID: int(n.gid),
			ModTime: time.Unix(n.modTime, 0).UTC(), Target: t.targets[id], Layer: int(n.layer), Digest: t.digests[id],
		},
		ID: id, Name: n.name, Removed: n.flags&removed != 0, Changed: n.flags&changed != 0, Implicit: n.flags&implicit != 0,
		HidesBase: n.flags&hidesBase != 0,
	}
}

func (t *Tree) path(id ID) string {
	if id == 0 {
		return "/"
	}
	var parts []string
	for ; id > 0; id = t.nodes[id].parent {
		parts = append(parts, t.nodes[id].name)
	}
	slices.Reverse(parts)
	return "/" + strings.Join(parts, "/")
}

// Lookup finds a live path ("/etc/passwd"), not following links.
func (t *Tree) Lookup(p string) (ID, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.lookup(Clean(p))
}

func (t *Tree) lookup(p string) (ID, bool) {
	id := ID(0)
	if p == "/" {
		return 0, true
	}
	for name := range strings.SplitSeq(p[1:], "/") {
		id = t.child(id, name)
		if id == none || t.nodes[id].flags&removed != 0 {
			return none, false
		}
	}
	return id, true
}

// Each calls fn for every node, removed ones included, in no order.
func (t *Tree) Each(fn func(Node)) {
	for id := range ID(t.Len()) {
		fn(t.Node(id))
	}
}

// Walk calls fn for every live node under (and including) id, parents
// before children, children by name; fn returning false skips a
// directory's contents.
func (t *Tree) Walk(id ID, fn func(Node) bool) {
	n := t.Node(id)
	if !fn(n) || n.Type != Dir {
		return
	}
	for _, c := range t.Children(id, nil) {
		t.Walk(c, fn)
	}
}
