package search

import (
	"cmp"
	"container/heap"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/sahilm/fuzzy"
)

// Searcher filters a list of names as a person types, ranking exactly as
// fuzzy.Find does (score, then input order), fast enough for every
// keystroke at 100,000 names:
//   - a query that extends the previous one scores only the previous
//     matches (a name that does not match "pay" cannot match "paya");
//   - the scoring is split across cores, each part in input order;
//   - only the first ranks are put in order; the rest are sorted if and
//     when someone scrolls that far.
//
// It is not safe for concurrent use.
type Searcher struct {
	names []string
	// last query and its matches, for narrowing.
	lastQuery string
	last      []int32
}

// New searches names; the slice must not change afterwards.
func New(names []string) *Searcher { return &Searcher{names: names} }

// topRanks is how many results are ranked at once: more than a screen of
// cards.
const topRanks = 256

// Result is a ranked search result. At and Len give names in rank order.
type Result struct {
	names   []string
	all     bool  // every name, in input order (empty query)
	hits    []hit // ranked up to sorted, the rest unordered
	sorted  int
	indexes []int32 // the matches in input order, for narrowing
}

type hit struct {
	index int32
	score int32
}

// before is fuzzy.Find's order: higher score first, then input order.
func before(a, b hit) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.index < b.index
}

// Len is the number of matches.
func (r *Result) Len() int {
	if r.all {
		return len(r.names)
	}
	return len(r.hits)
}

// At returns the name ranked i (0 is best).
func (r *Result) At(i int) string { return r.names[r.Index(i)] }

// Index returns the place in the searched names of the name ranked i.
func (r *Result) Index(i int) int {
	if r.all {
		return i
	}
	if i >= r.sorted {
		slices.SortFunc(r.hits[r.sorted:], func(a, b hit) int {
			if before(a, b) {
				return -1
			}
			return 1
		})
		r.sorted = len(r.hits)
	}
	return int(r.hits[i].index)
}

// Search ranks the names for query.
func (s *Searcher) Search(query string) *Result {
	if query == "" {
		s.lastQuery, s.last = "", nil
		return &Result{names: s.names, all: true}
	}
	var candidates []int32
	if s.lastQuery != "" && strings.HasPrefix(query, s.lastQuery) {
		candidates = s.last
	}
	hits := s.score(query, candidates)
	r := &Result{names: s.names, hits: hits}
	r.indexes = make([]int32, len(hits))
	for i, h := range hits {
		r.indexes[i] = h.index
	}
	r.sorted = rankTop(r.hits, topRanks)
	s.lastQuery, s.last = query, r.indexes
	return r
}

// score scores the candidates (all names when nil) in parallel parts; the
// hits come back in input order.
func (s *Searcher) score(query string, candidates []int32) []hit {
	pattern := []rune(query)
	n := len(s.names)
	if candidates != nil {
		n = len(candidates)
	}
	parts := runtime.GOMAXPROCS(0)
	if n < 4096 {
		parts = 1
	}
	results := make([][]hit, parts)
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := n*p/parts, n*(p+1)/parts
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := make([]hit, 0, hi-lo)
			for i := lo; i < hi; i++ {
				index := int32(i)
				if candidates != nil {
					index = candidates[i]
				}
				if score, ok := fuzzyScore(pattern, s.names[index]); ok {
					out = append(out, hit{index: index, score: int32(score)})
				}
			}
			results[p] = out
		}()
	}
	wg.Wait()
	return slices.Concat(results...)
}

// rankTop moves the best k hits, in order, to the front and returns how
// many are in order. The others stay behind them, unordered.
func rankTop(hits []hit, k int) int {
	if len(hits) <= k {
		slices.SortFunc(hits, func(a, b hit) int { return cmp.Compare(rank(a, b), 0) })
		return len(hits)
	}
	// A heap of the best k seen, worst on top.
	h := worstFirst(slices.Clone(hits[:k]))
	heap.Init(&h)
	rest := make([]hit, 0, len(hits)-k)
	for _, x := range hits[k:] {
		if before(x, h[0]) {
			rest = append(rest, h[0])
			h[0] = x
			heap.Fix(&h, 0)
		} else {
			rest = append(rest, x)
		}
	}
	slices.SortFunc(h, func(a, b hit) int { return rank(a, b) })
	copy(hits, h)
	copy(hits[k:], rest)
	return k
}

func rank(a, b hit) int {
	if before(a, b) {
		return -1
	}
	if before(b, a) {
		return 1
	}
	return 0
}

type worstFirst []hit

func (h worstFirst) Len() int           { return len(h) }
func (h worstFirst) Less(i, j int) bool { return before(h[j], h[i]) }
func (h worstFirst) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *worstFirst) Push(x any)        { *h = append(*h, x.(hit)) }
func (h *worstFirst) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// Highlights returns the byte offsets of name's characters that match
// query, for drawing them highlighted.
func Highlights(query, name string) []int {
	m := fuzzy.Find(query, []string{name})
	if len(m) == 0 {
		return nil
	}
	return m[0].MatchedIndexes
}
