package pool

import (
	"container/heap"
	"context"
	"sync"
	"time"
)

// Priorities: higher runs first.
const (
	PriorityBackground = 0
	PriorityVisible    = 10
	PriorityUser       = 20 // something a person just asked for
)

// Pool runs registry work on a bounded number of goroutines per lane (one
// lane per registry), highest priority first. Identical requests (same key)
// in flight are run once and their result given to every caller. A caller's
// work is cancelled when its context ends; the shared run is cancelled when
// every caller of it has gone.
type Pool struct {
	ctx     context.Context
	cancel  context.CancelFunc
	perLane int

	mu    sync.Mutex
	seq   uint64
	lanes map[string]*lane
	jobs  map[jobID]*job // queued or running
	// fences counts Fence's calls: a job that started running before
	// the last one is not shared.
	fences uint64
	// workers are the goroutines running jobs.
	workers sync.WaitGroup
}

// Key names a job within its lane: jobs with the same non-zero key in
// flight run once. The zero Key is never shared.
type Key struct {
	// Kind is what the job does ("tags", "inspect"); Name what it does it
	// to ("library/python").
	Kind, Name string
}

type jobID struct {
	lane string
	key  Key
}

type lane struct {
	queue   jobQueue
	running int
}

type job struct {
	id       jobID
	lane     string
	priority int
	seq      uint64
	run      func(context.Context) (any, error)
	ctx      context.Context
	cancel   context.CancelFunc
	waiters  []*waiter
	index    int // in the lane's heap; -1 once taken
	// fence is the pool's fences when the job started running.
	fence uint64
}

type waiter struct {
	done     func(any, error)
	finished bool
	stop     func() bool
}

// NewPool returns a pool running at most perLane jobs at once per lane.
func NewPool(perLane int) *Pool {
	ctx, cancel := context.WithCancel(context.Background())
	return &Pool{ctx: ctx, cancel: cancel, perLane: max(perLane, 1), lanes: map[string]*lane{}, jobs: map[jobID]*job{}}
}

// Submit queues work in p's lane. done is called exactly once, on a pool
// goroutine, with work's result, or with ctx's error (and T's zero value)
// as soon as ctx ends. A job with the same lane and key already queued or
// running is shared (and takes the higher priority); the zero Key is never
// shared.
func Submit[T any](p *Pool, ctx context.Context, lane string, key Key, priority int, work func(context.Context) (T, error), done func(T, error)) {
	p.submit(ctx, lane, key, priority, func(ctx context.Context) (any, error) { return work(ctx) }, func(v any, err error) {
		t, _ := v.(T) // shared jobs have one T: the key names what they compute
		done(t, err)
	})
}

func (p *Pool) submit(ctx context.Context, laneName string, key Key, priority int, run func(context.Context) (any, error), done func(any, error)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.ctx.Err(); err != nil {
		go done(nil, err)
		return
	}
	id := jobID{lane: laneName, key: key}
	j, shared := p.jobs[id]
	if shared && j.index < 0 && j.fence != p.fences {
		shared = false // its answer may be from before a write
	}
	if !shared || key == (Key{}) {
		jctx, cancel := context.WithCancel(p.ctx)
		p.seq++
		j = &job{id: id, lane: laneName, priority: priority, seq: p.seq, run: run, ctx: jctx, cancel: cancel}
		if key != (Key{}) {
			p.jobs[id] = j
		}
		l := p.lanes[laneName]
		if l == nil {
			l = &lane{}
			p.lanes[laneName] = l
		}
		heap.Push(&l.queue, j)
		if l.running < p.perLane {
			l.running++
			p.workers.Go(func() { p.work(laneName, l) })
		}
	} else if priority > j.priority && j.index >= 0 {
		j.priority = priority
		heap.Fix(&p.lanes[laneName].queue, j.index)
	}
	w := &waiter{done: done}
	j.waiters = append(j.waiters, w)
	w.stop = context.AfterFunc(ctx, func() { p.leave(j, w, ctx.Err()) })
}

// Fence ends the sharing of the jobs running now: one submitted after it
// with the same key runs anew, since what they read may be from before a
// write that just ended (a tag list asked again after an import).
func (p *Pool) Fence() {
	p.mu.Lock()
	p.fences++
	p.mu.Unlock()
}

// leave gives up one caller's interest in j.
func (p *Pool) leave(j *job, w *waiter, err error) {
	p.mu.Lock()
	if w.finished {
		p.mu.Unlock()
		return
	}
	w.finished = true
	alive := 0
	for _, o := range j.waiters {
		if !o.finished {
			alive++
		}
	}
	if alive == 0 {
		j.cancel()
		if p.jobs[j.id] == j {
			delete(p.jobs, j.id)
		}
	}
	p.mu.Unlock()
	w.done(nil, err)
}

func (p *Pool) work(laneName string, l *lane) {
	for {
		p.mu.Lock()
		if l.queue.Len() == 0 {
			l.running--
			p.mu.Unlock()
			return
		}
		j := heap.Pop(&l.queue).(*job)
		j.fence = p.fences
		p.mu.Unlock()

		var val any
		err := j.ctx.Err()
		if err == nil {
			val, err = j.run(j.ctx)
		}
		j.cancel()

		p.mu.Lock()
		if p.jobs[j.id] == j {
			delete(p.jobs, j.id)
		}
		var deliver []*waiter
		for _, w := range j.waiters {
			if !w.finished {
				w.finished = true
				w.stop()
				deliver = append(deliver, w)
			}
		}
		p.mu.Unlock()
		for _, w := range deliver {
			w.done(val, err)
		}
	}
}

// closeWait bounds how long Close waits for work that does not heed its
// cancellation at once (a keychain call).
const closeWait = 2 * time.Second

// Close cancels everything queued and running, and waits a little for the
// running work to end, so that none of it writes (to the cache) after.
func (p *Pool) Close() {
	p.cancel()
	ended := make(chan struct{})
	go func() { p.workers.Wait(); close(ended) }()
	select {
	case <-ended:
	case <-time.After(closeWait):
	}
}

// jobQueue is a max-heap by priority, first come first served within one.
type jobQueue []*job

func (q jobQueue) Len() int { return len(q) }
func (q jobQueue) Less(i, k int) bool {
	if q[i].priority != q[k].priority {
		return q[i].priority > q[k].priority
	}
	return q[i].seq < q[k].seq
}
func (q jobQueue) Swap(i, k int) {
	q[i], q[k] = q[k], q[i]
	q[i].index, q[k].index = i, k
}
func (q *jobQueue) Push(x any) {
	j := x.(*job)
	j.index = len(*q)
	*q = append(*q, j)
}
func (q *jobQueue) Pop() any {
	old := *q
	j := old[len(old)-1]
	old[len(old)-1] = nil
	j.index = -1
	*q = old[:len(old)-1]
	return j
}
