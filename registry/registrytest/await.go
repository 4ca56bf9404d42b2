package registrytest

import (
	"testing"
	"time"
)

// Patience is how long a test waits for what should come before it calls
// the program stuck: long enough that no load on the machine reaches it,
// only a hang (a stalled registry holds its answer until the client gives
// up, so without the client's own deadline a test would wait for ever).
const Patience = 90 * time.Second

// Await waits for a background result, failing the test after Patience.
func Await[T any](t testing.TB, ch chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(Patience):
		t.Fatal("no answer: the program is stuck")
		panic("unreachable")
	}
}
