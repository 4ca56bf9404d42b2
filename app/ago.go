package app

import "time"

// Ago writes a past time as people say it, seen from now: "3 days ago",
// "10 minutes ago". A time after now (a clock set back since) is written
// as a date, since how long ago it was is not known.
func Ago(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := now.Sub(t)
	switch {
	case d < -time.Minute:
		return "on " + t.Format("2006-01-02 15:04")
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return countOf(int(d.Minutes()), "minute") + " ago"
	case d < 48*time.Hour:
		return countOf(int(d.Hours()), "hour") + " ago"
	case d < 60*24*time.Hour:
		return countOf(int(d.Hours()/24), "day") + " ago"
	case d < 730*24*time.Hour:
		return countOf(int(d.Hours()/24/30), "month") + " ago"
	}
	return countOf(int(d.Hours()/24/365), "year") + " ago"
}

// countOf is "1 day" or "3 days".
func countOf(n int, word string) string { return Plural(n, word, word+"s") }
