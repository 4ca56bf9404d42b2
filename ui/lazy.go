package ui

import (
	"context"

	"github.com/card-catalog/card-catalog/app/image"
)

// lazy loads a Summary for each item a virtualised list or grid shows, when
// it is shown: visible items first (the pool runs them at PriorityVisible),
// one RefreshItem per result, and a load is cancelled when its cell is
// rebound to another item before it finished.
type lazy struct {
	u       *UI
	load    func(ctx context.Context, key string, done func(image.Summary, error))
	refresh func(id int)
	states  map[string]*lazyState
	// cells maps each shown key to its cell id, and back.
	visible map[string]int
	bound   map[int]string
}

type lazyState struct {
	summary image.Summary
	err     error
	loaded  bool
	cancel  context.CancelFunc
}

func newLazy(u *UI, load func(context.Context, string, func(image.Summary, error)), refresh func(int)) *lazy {
	return &lazy{u: u, load: load, refresh: refresh, states: map[string]*lazyState{}, visible: map[string]int{}, bound: map[int]string{}}
}

// bind records that cell id shows key and returns its state, starting its
// load if needed.
func (l *lazy) bind(id int, key string) *lazyState {
	if old, ok := l.bound[id]; ok && old != key {
		delete(l.visible, old)
		if s := l.states[old]; s != nil && !s.loaded && s.cancel != nil {
			s.cancel()
			delete(l.states, old)
		}
	}
	l.bound[id] = key
	l.visible[key] = id
	s := l.states[key]
	if s == nil {
		s = l.start(key)
	}
	return s
}

func (l *lazy) start(key string) *lazyState {
	ctx, cancel := context.WithCancel(context.Background())
	s := &lazyState{cancel: cancel}
	l.states[key] = s
	l.load(ctx, key, func(sum image.Summary, err error) {
		l.u.do(func() {
			if !wanted(ctx) {
				return
			}
			s.summary, s.err, s.loaded, s.cancel = sum, err, true, nil
			l.refreshKey(key)
		})
	})
	return s
}

// retry forgets key's result and loads it again.
func (l *lazy) retry(key string) {
	if s := l.states[key]; s != nil && s.cancel != nil {
		s.cancel() // an answer still on its way is no longer wanted
	}
	delete(l.states, key)
	l.refreshKey(key)
}

// refreshKey refreshes the cell that shows key, if one does.
func (l *lazy) refreshKey(key string) {
	if id, ok := l.visible[key]; ok {
		l.refresh(id)
	}
}

// loaded counts the finished loads, for progress.
func (l *lazy) loaded() int {
	n := 0
	for _, s := range l.states {
		if s.loaded {
			n++
		}
	}
	return n
}

// stop cancels every load in flight.
func (l *lazy) stop() {
	for _, s := range l.states {
		if s.cancel != nil {
			s.cancel()
		}
	}
}
