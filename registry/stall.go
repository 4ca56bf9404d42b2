package registry

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
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
	deadline := &answerDeadline{wait: headers, cancel: cancel}
	deadline.timer = time.AfterFunc(headers, deadline.expire)
	out := req.WithContext(ctx)
	var body *sendingBody
	if req.Body != nil && req.Body != http.NoBody {
		// A body goes out as fast as the registry takes it: the wait for
		// the answer starts again with each part sent, so a long upload is
		// not cut off, and one the registry stops taking is.
		body = &sendingBody{ReadCloser: req.Body, deadline: deadline}
		out.Body = body
	}
	resp, err := t.next.RoundTrip(out)
	if !deadline.stop() {
		if resp != nil {
			resp.Body.Close()
		}
		cancel()
		if req.Context().Err() != nil {
			return nil, req.Context().Err()
		}
		if body != nil && !body.done.Load() {
			return nil, fmt.Errorf("%w: the registry stopped taking the upload (nothing for %s)", ErrStalled, headers)
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

// answerDeadline is the wait for an answer's headers, started again by
// each part of the request's body that goes out.
type answerDeadline struct {
	mu      sync.Mutex
	timer   *time.Timer
	wait    time.Duration
	cancel  context.CancelFunc
	fired   bool
	stopped bool
}

func (d *answerDeadline) expire() {
	d.mu.Lock()
	if d.stopped {
		d.mu.Unlock()
		return
	}
	d.fired = true
	d.mu.Unlock()
	d.cancel()
}

// progress starts the wait again.
func (d *answerDeadline) progress() {
	d.mu.Lock()
	if !d.stopped && !d.fired {
		d.timer.Reset(d.wait)
	}
	d.mu.Unlock()
}

// stop ends the wait; false when it had run out.
func (d *answerDeadline) stop() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stopped = true
	return d.timer.Stop() && !d.fired
}

// sendingBody is a request's body on its way out.
type sendingBody struct {
	io.ReadCloser
	deadline *answerDeadline
	// done: all of it was read.
	done atomic.Bool
}

func (b *sendingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.done.Store(true)
	}
	if n > 0 || err == io.EOF {
		b.deadline.progress()
	}
	return n, err
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
