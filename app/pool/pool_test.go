package pool

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

func TestPoolRunsHighestPriorityFirst(t *testing.T) {
	p := NewPool(1)
	defer p.Close()
	block, running := make(chan struct{}), make(chan struct{})
	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	submit := func(key string, prio int, wait bool) {
		wg.Add(1)
		Submit(p, context.Background(), "r", Key{"job", key}, prio, func(context.Context) (struct{}, error) {
			if wait {
				close(running)
				<-block
			}
			mu.Lock()
			order = append(order, key)
			mu.Unlock()
			return struct{}{}, nil
		}, func(struct{}, error) { wg.Done() })
	}
	submit("first", PriorityBackground, true) // occupies the one worker
	<-running
	submit("low", PriorityBackground, false)
	submit("visible", PriorityVisible, false)
	submit("user", PriorityUser, false)
	close(block)
	wg.Wait()
	want := []string{"first", "user", "visible", "low"}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("order %v, want %v", order, want)
		}
	}
}

func TestPoolSharesIdenticalWork(t *testing.T) {
	p := NewPool(4)
	defer p.Close()
	var runs atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		Submit(p, context.Background(), "r", Key{"tags", "same"}, PriorityVisible, func(context.Context) (string, error) {
			runs.Add(1)
			<-release
			return "tags", nil
		}, func(v string, err error) {
			if v != "tags" || err != nil {
				t.Errorf("got %v, %v", v, err)
			}
			wg.Done()
		})
	}
	close(release)
	wg.Wait()
	if n := runs.Load(); n != 1 {
		t.Errorf("ran %d times, want once", n)
	}
}

func TestPoolBoundsConcurrencyPerLane(t *testing.T) {
	p := NewPool(3)
	defer p.Close()
	var now, peak atomic.Int32
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		Submit(p, context.Background(), "r", Key{"job", string(rune('a' + i))}, PriorityVisible, func(context.Context) (struct{}, error) {
			n := now.Add(1)
			for {
				old := peak.Load()
				if n <= old || peak.CompareAndSwap(old, n) {
					break
				}
			}
			time.Sleep(5 * time.Millisecond)
			now.Add(-1)
			return struct{}{}, nil
		}, func(struct{}, error) { wg.Done() })
	}
	wg.Wait()
	if peak.Load() != 3 {
		t.Errorf("peak concurrency %d, want 3", peak.Load())
	}
}

func TestPoolCancelsWorkNobodyWaitsFor(t *testing.T) {
	p := NewPool(1)
	defer p.Close()
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	stopped := make(chan error, 1)
	done := make(chan error, 1)
	Submit(p, ctx, "r", Key{"walk", "catalog"}, PriorityUser, func(jctx context.Context) (struct{}, error) {
		close(started)
		<-jctx.Done()
		stopped <- jctx.Err()
		return struct{}{}, jctx.Err()
	}, func(_ struct{}, err error) { done <- err })
	<-started
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("caller got %v", err)
	}
	select {
	case err := <-stopped:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("work saw %v", err)
		}
	case <-time.After(rt.Patience):
		t.Fatal("the running work was not cancelled")
	}
}

func TestPoolKeepsSharedWorkWhileOneCallerRemains(t *testing.T) {
	p := NewPool(1)
	defer p.Close()
	leaving, cancel := context.WithCancel(context.Background())
	release := make(chan struct{})
	got := make(chan any, 2)
	run := func(ctx context.Context) (string, error) {
		select {
		case <-release:
			return "done", nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	Submit(p, leaving, "r", Key{"k", ""}, PriorityUser, run, func(v string, err error) { got <- err })
	Submit(p, context.Background(), "r", Key{"k", ""}, PriorityUser, run, func(v string, err error) { got <- v })
	cancel()
	if err, _ := (<-got).(error); !errors.Is(err, context.Canceled) {
		t.Fatalf("leaving caller got %v", err)
	}
	close(release)
	if v := <-got; v != "done" {
		t.Errorf("remaining caller got %v", v)
	}
}

// TestFenceEndsTheSharingOfRunningWork: a tag list asked again after a
// write does not get the answer of one that was running before it.
func TestFenceEndsTheSharingOfRunningWork(t *testing.T) {
	p := NewPool(2)
	defer p.Close()
	var runs atomic.Int32
	started, release := make(chan struct{}, 2), make(chan struct{})
	answers := make(chan int32, 2)
	ask := func() {
		Submit(p, context.Background(), "r", Key{"tags", "app"}, PriorityUser, func(context.Context) (int32, error) {
			n := runs.Add(1)
			started <- struct{}{}
			<-release
			return n, nil
		}, func(n int32, err error) { answers <- n })
	}
	ask()
	<-started // the first listing runs
	p.Fence() // a write ended
	ask()
	select {
	case <-started:
	case <-time.After(rt.Patience):
		t.Fatal("the listing asked after the fence joined the one running before it")
	}
	close(release)
	got := map[int32]bool{<-answers: true, <-answers: true}
	if !got[1] || !got[2] {
		t.Fatalf("answers %v, want one from each run", got)
	}
}
