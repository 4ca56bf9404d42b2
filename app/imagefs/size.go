package imagefs

import (
	"cmp"
	"slices"
)

// Wasted is a file a later layer overwrote or deleted.
type Wasted struct {
	Path  string
	Layer int
	Size  int64
}

// topWasted keeps the largest wasted files seen.
type topWasted struct{ items []Wasted }

const topN = 100

func (w *topWasted) offer(t *Tree, id ID, layer int, size int64) {
	if len(w.items) == topN && size <= w.items[len(w.items)-1].Size {
		return
	}
	item := Wasted{Path: t.path(id), Layer: layer, Size: size}
	i, _ := slices.BinarySearchFunc(w.items, item, func(a, b Wasted) int { return cmp.Compare(b.Size, a.Size) })
	w.items = slices.Insert(w.items, i, item)
	if len(w.items) > topN {
		w.items = w.items[:topN]
	}
}

// Size is what makes an image big.
type Size struct {
	// Total is the bytes of files all layers hold; Final, those that reach
	// the merged filesystem.
	Total, Final int64
	// Efficiency is Final's share of Total (1 when nothing is wasted).
	Efficiency float64
	Layers     []LayerStats
	// The largest live files and directories, and wasted files, largest
	// first.
	Files, Dirs []Node
	Wasted      []Wasted
}

// Size reports what makes the tree big, and sets each directory's size to
// the total under it.
func (t *Tree) Size(n int) Size {
	t.mu.Lock()
	t.sumDirs()
	t.mu.Unlock()
	t.mu.RLock()
	defer t.mu.RUnlock()
	s := Size{Layers: slices.Clone(t.layers), Wasted: slices.Clone(t.wasted.items), Final: t.nodes[0].size}
	for _, l := range t.layers {
		s.Total += l.Bytes
	}
	s.Efficiency = 1
	if s.Total > 0 {
		s.Efficiency = float64(s.Final) / float64(s.Total)
	}
	var files, dirs []ID
	for id := range t.nodes {
		nd := &t.nodes[id]
		if nd.flags&removed != 0 {
			continue
		}
		switch {
		case nd.typ == File:
			files = append(files, ID(id))
		case nd.typ == Dir && id != 0:
			dirs = append(dirs, ID(id))
		}
	}
	bySize := func(a, b ID) int { return cmp.Or(cmp.Compare(t.nodes[b].size, t.nodes[a].size), cmp.Compare(a, b)) }
	for _, list := range []struct {
		ids []ID
		out *[]Node
	}{{files, &s.Files}, {dirs, &s.Dirs}} {
		slices.SortFunc(list.ids, bySize)
		for _, id := range list.ids[:min(n, len(list.ids))] {
			*list.out = append(*list.out, t.node(id))
		}
	}
	return s
}

// sumDirs sets each live directory's size to the total of the live files
// under it.
func (t *Tree) sumDirs() {
	if t.sized {
		return
	}
	var sum func(id ID) int64
	sum = func(id ID) int64 {
		var total int64
		for c := t.nodes[id].firstChild; c != none; c = t.nodes[c].next {
			cn := &t.nodes[c]
			switch {
			case cn.flags&removed != 0:
			case cn.typ == Dir:
				total += sum(c)
			default:
				total += cn.size
			}
		}
		t.nodes[id].size = total
		return total
	}
	sum(0)
	t.sized = true
}
