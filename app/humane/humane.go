package humane

import (
	"fmt"
	"strings"
	"time"
)

// Size writes bytes as people read them: "34.5 MB".
func Size(n int64) string {
	value, prefix := scaled(n, 1000)
	if prefix == "" {
		return fmt.Sprintf("%d B", n)
	}
	if prefix == "K" {
		prefix = "k" // SI's kilo
	}
	return fmt.Sprintf("%.1f %sB", value, prefix)
}

// BinarySize writes a size set in powers of two as it was set: "1 GiB",
// "64 KiB" (Size would say "1.1 GB" of 1 GiB).
func BinarySize(n int64) string {
	value, prefix := scaled(n, 1024)
	if prefix == "" {
		return fmt.Sprintf("%d B", n)
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", value), ".0") + " " + prefix + "iB"
}

// scaled is n in the largest power of unit under it, and that power's
// prefix ("K", "M", ...; "" under one unit).
func scaled(n, unit int64) (float64, string) {
	if n < unit {
		return float64(n), ""
	}
	div, exp := unit, 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return float64(n) / float64(div), string("KMGTPE"[exp])
}

// Plural is "1 repository" or "3 repositories".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

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
