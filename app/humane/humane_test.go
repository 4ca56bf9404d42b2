package humane

import (
	"testing"
	"time"
)

func TestAgoSaysHowLongAgoAndNeverANegativeTime(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		then time.Time
		want string
	}{
		{now.Add(-10 * time.Minute), "10 minutes ago"},
		{now.Add(-1 * time.Minute), "1 minute ago"},
		{now.Add(-20 * time.Second), "just now"},
		{now.Add(-50 * time.Hour), "2 days ago"},
		{now.Add(20 * time.Second), "just now"}, // two clocks a little apart
		// A copy written "in the future": the clock was set back since.
		{now.Add(3 * time.Hour), "on 2026-11-24 15:00"},
		{time.Time{}, ""},
	} {
		if got := Ago(c.then, now); got != c.want {
			t.Errorf("%v: %q, want %q", c.then, got, c.want)
		}
	}
}
