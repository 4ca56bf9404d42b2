package compare

import (
	"errors"
	"fmt"
)

// Op says what a line of a diff is.
type Op byte

const (
	Same    Op = ' '
	Added   Op = '+'
	Removed Op = '-'
)

// Line is a line of a diff.
type Line struct {
	Op   Op
	Text string
}

// ErrTooDifferent says that the line diff would take more edits than its cap.
var ErrTooDifferent = errors.New("too different for a line diff")

// Lines diffs a and b (Myers' algorithm), giving up past maxEdits lines
// added or removed: a diff's cost grows with its size times its edits.
func Lines(a, b []string, maxEdits int) ([]Line, error) {
	// Common ends are cheap; the algorithm works on the middle.
	start := 0
	for start < len(a) && start < len(b) && a[start] == b[start] {
		start++
	}
	endA, endB := len(a), len(b)
	for endA > start && endB > start && a[endA-1] == b[endB-1] {
		endA, endB = endA-1, endB-1
	}
	var out []Line
	for _, s := range a[:start] {
		out = append(out, Line{Same, s})
	}
	mid, err := myers(a[start:endA], b[start:endB], maxEdits)
	if err != nil {
		return nil, err
	}
	out = append(out, mid...)
	for _, s := range a[endA:] {
		out = append(out, Line{Same, s})
	}
	return out, nil
}

func myers(a, b []string, maxEdits int) ([]Line, error) {
	n, m := len(a), len(b)
	most := min(n+m, maxEdits)
	offset := most + 1
	v := make([]int, 2*most+3)
	// trace[d] keeps the frontier before step d, only the diagonals it
	// can reach (-d-1 to d+1): the memory is the square of the edits, not
	// edits times lines.
	var trace [][]int
	for d := 0; d <= most; d++ {
		trace = append(trace, append([]int(nil), v[offset-d-1:offset+d+2]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[offset+k-1] < v[offset+k+1]) {
				x = v[offset+k+1]
			} else {
				x = v[offset+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[offset+k] = x
			if x >= n && y >= m {
				return backtrack(a, b, trace, d), nil
			}
		}
	}
	return nil, fmt.Errorf("%w: more than %d lines added or removed", ErrTooDifferent, maxEdits)
}

// backtrack walks the saved frontiers back from the end to the start.
func backtrack(a, b []string, trace [][]int, d int) []Line {
	x, y := len(a), len(b)
	var rev []Line
	for ; d > 0; d-- {
		at := func(k int) int { return trace[d][k+d+1] } // diagonal k before step d
		k := x - y
		var prevK int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := at(prevK)
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x, y = x-1, y-1
			rev = append(rev, Line{Same, a[x]})
		}
		if x == prevX {
			y--
			rev = append(rev, Line{Added, b[y]})
		} else {
			x--
			rev = append(rev, Line{Removed, a[x]})
		}
	}
	for x > 0 && y > 0 {
		x, y = x-1, y-1
		rev = append(rev, Line{Same, a[x]})
	}
	out := make([]Line, len(rev))
	for i, l := range rev {
		out[len(rev)-1-i] = l
	}
	return out
}
