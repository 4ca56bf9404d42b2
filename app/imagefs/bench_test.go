package imagefs

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// BenchmarkMergedTreeMemory builds the merged tree of 500,000 entries over
// 10 layers (each layer overwriting a tenth of the one before) and reports
// the heap it holds per entry. Goal: at most 150 bytes an entry.
func BenchmarkMergedTreeMemory(b *testing.B) {
	const layers, perLayer = 10, 50_000
	// Each layer's entries are made when it is added and dropped after,
	// as a stream's are.
	batch := func(l int) []Entry {
		var out []Entry
		for i := range perLayer {
			n := l*perLayer + i
			if l > 0 && i < perLayer/10 {
				n = (l-1)*perLayer + i // a file of the layer below, written again
			}
			out = append(out, Entry{
				Path: fmt.Sprintf("/usr/lib/pkg%03d/sub%02d/file-%07d.so", n%500, n%17, n),
				Type: File, Size: int64(n % 9000), Mode: 0644, ModTime: time.Unix(1700000000, 0),
			})
		}
		return out
	}
	var perEntry float64
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		tree := NewTree(false)
		for l := range layers {
			tree.Add(l, batch(l))
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perEntry = float64(after.HeapAlloc-before.HeapAlloc) / float64(layers*perLayer)
		runtime.KeepAlive(tree)
	}
	b.ReportMetric(perEntry, "bytes/entry")
}
