package ui

import (
	"sync"
	"time"
)

// progressFeed takes a worker's progress reports and says when the window
// should show one: the first at once, then a few a second. It keeps the
// last, for the end.
type progressFeed[T any] struct {
	mu    sync.Mutex
	last  T
	shown time.Time
}

// redrawEvery is how often progress is drawn while work streams in.
const redrawEvery = 150 * time.Millisecond

// offer keeps p and says whether to draw now.
func (f *progressFeed[T]) offer(p T) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.last = p
	if time.Since(f.shown) < redrawEvery {
		return false
	}
	f.shown = time.Now()
	return true
}

// latest is the last progress offered.
func (f *progressFeed[T]) latest() T {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last
}
