package registry

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// retryTransport retries what may pass: 408, 429 and 5xx answers and dropped
// connections, for GET and HEAD, and for the writes marked idempotent
// (idempotentWrite: a manifest PUT by digest, a blob PUT of a known digest
// whose body can be read again). Every other write goes once: a POST that
// starts an upload, or a PUT that moves a tag, sent twice is not the same
// as sent once. It waits with exponential backoff and
// jitter, or as long as Retry-After asks when that is under maxRetryAfter;
// a longer wait is not sat out but reported. Cancellation stops the wait at
// once.
type retryTransport struct {
	next     http.RoundTripper
	attempts int
	backoff  time.Duration
	log      *slog.Logger
	stats    *counters
}

// maxRetryAfter is the longest Retry-After honoured by waiting.
const maxRetryAfter = 30 * time.Second

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead && !isIdempotentWrite(req) {
		return t.next.RoundTrip(req)
	}
	for attempt := 1; ; attempt++ {
		send := req
		if attempt > 1 {
			var ok bool
			if send, ok = replay(req); !ok {
				return nil, errors.New("a write whose body cannot be read again was not sent again")
			}
		}
		resp, err := t.next.RoundTrip(send)
		if attempt >= t.attempts || !retryable(resp, err) || req.Context().Err() != nil {
			return resp, err
		}
		wait := t.backoff << (attempt - 1)
		wait = wait/2 + rand.N(wait) // jitter: 0.5x to 1.5x
		if resp != nil {
			if after, ok := retryAfter(resp.Header.Get("Retry-After")); ok {
				if after > maxRetryAfter {
					return resp, nil
				}
				wait = after
			}
			drain(resp)
		}
		t.stats.retries.Add(1)
		t.log.Debug("retrying", "method", req.Method, "url", redactURL(req.URL), "attempt", attempt+1, "wait", wait, "cause", retryCause(resp, err))
		if err := sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

// idempotentKey marks a request's context as an idempotent write.
type idempotentKey struct{}

// idempotentWrite marks the writes under ctx as safe to send again.
func idempotentWrite(ctx context.Context) context.Context {
	return context.WithValue(ctx, idempotentKey{}, true)
}

func isIdempotentWrite(req *http.Request) bool {
	marked, _ := req.Context().Value(idempotentKey{}).(bool)
	return marked && (req.Body == nil || req.Body == http.NoBody || req.GetBody != nil)
}

func retryable(resp *http.Response, err error) bool {
	if err != nil {
		return isDropped(err)
	}
	switch resp.StatusCode {
	case http.StatusRequestTimeout, http.StatusTooManyRequests,
		http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// isDropped: the connection broke mid-way. A refused connection or a failed
// name lookup is not retried: the registry is not there, and saying so at
// once beats making people wait.
func isDropped(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}

func retryCause(resp *http.Response, err error) string {
	if err != nil {
		return err.Error()
	}
	return resp.Status
}

// maxRetryAfterShown caps the wait a Retry-After may announce (a day); a
// larger or overflowing value is read as that.
const maxRetryAfterShown = 24 * time.Hour

// retryAfter reads Retry-After as seconds or an HTTP date, clamped to
// [0, maxRetryAfterShown].
func retryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if isDigits(v) {
		s, err := strconv.ParseInt(v, 10, 64)
		if err != nil || s > int64(maxRetryAfterShown/time.Second) {
			return maxRetryAfterShown, true // too large even to parse
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(time.Until(t), 0), maxRetryAfterShown), true
	}
	return 0, false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
