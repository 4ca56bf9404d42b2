package registrytest

import "runtime"

// LiveHeap is the bytes the heap holds that are still reachable, for tests
// that measure what a client keeps while a hostile registry streams: after
// two collections, the second for what sync.Pools kept through the first.
func LiveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
