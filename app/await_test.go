package app

import (
	"testing"
	"time"
)

// Patience is how long a test waits for what should come before it calls
// the app stuck: long enough that no load on the machine reaches it, only
// a hang (a stalled registry holds its answer until the client gives up).
const Patience = time.Minute

// Await waits for a background result, failing the test after Patience.
func Await[T any](t *testing.T, ch chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(Patience):
		t.Fatal("no answer: the app is stuck")
		panic("unreachable")
	}
}
