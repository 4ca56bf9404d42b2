package app

import (
	"fmt"
	"strings"
)

// HumanSize writes bytes as people read them: "34.5 MB".
func HumanSize(n int64) string {
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
// "64 KiB" (HumanSize would say "1.1 GB" of 1 GiB).
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
