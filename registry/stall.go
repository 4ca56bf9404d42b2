package registry

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// defaultStallTimeout is how long a response may make no progress.
const defaultStallTimeout = 30 * time.Second

// minProgress is what a body must deliver in each stall window: a registry
// that trickles a byte a second is as stuck as one that sends nothing.
const minProgress = 1 << 10

// stallTransport puts a progress deadline on every answer: its headers must
// come within two windows, and its body must deliver minProgress bytes (or
// end) in each window that a reader spends waiting for it. The time a
// reader spends elsewhere (decompressing, drawing) does not count.
type stallTransport struct {
	next   http.RoundTripper
	window time.Duration
}

func (t *stallTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancel(req.Context())
	headers := 2 * t.window
	timer := time.AfterFunc(headers, cancel)
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if !timer.Stop() {
		if resp != nil {
			resp.Body.Close()
		}
		cancel()
		if req.Context().Err() != nil {
			return nil, req.Context().Err()
		}
		return nil, fmt.Errorf("%w: no answer within %s", ErrStalled, headers)
	}
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &stallReader{body: resp.Body, window: t.window, cancel: cancel}
	return resp, nil
}

// stallReader fails a body read once the body has made no progress for its
// window of waiting.
type stallReader struct {
	body   io.ReadCloser
	window time.Duration
	cancel context.CancelFunc

	mu      sync.Mutex
	stalled bool
	timer   *time.Timer
	waited  time.Duration // spent waiting since the last progress
	got     int           // bytes since the last progress
}

func (r *stallReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	if r.stalled {
		r.mu.Unlock()
		return 0, r.stallError()
	}
	budget := r.window - r.waited
	if r.timer == nil {
		r.timer = time.AfterFunc(budget, r.stall)
	} else {
		r.timer.Reset(budget)
	}
	r.mu.Unlock()

	start := time.Now()
	n, err := r.body.Read(p)

	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.timer.Stop() || r.stalled {
		return n, r.stallError()
	}
	r.waited += time.Since(start)
	r.got += n
	if r.got >= minProgress || err != nil {
		r.got, r.waited = 0, 0
	}
	return n, err
}

// stall runs when the window has passed with no progress: closing the body
// ends the read that is waiting on it.
func (r *stallReader) stall() {
	r.mu.Lock()
	r.stalled = true
	r.mu.Unlock()
	r.cancel()
	r.body.Close()
}

func (r *stallReader) stallError() error {
	return fmt.Errorf("%w: less than 1 KiB in %s", ErrStalled, r.window)
}

func (r *stallReader) Close() error {
	r.mu.Lock()
	if r.timer != nil {
		r.timer.Stop()
	}
	r.mu.Unlock()
	err := r.body.Close()
	r.cancel()
	return err
}
