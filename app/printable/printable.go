// Package printable makes text from outside (a registry's names, messages,
// labels, file names) safe to show on a terminal or in a label: control
// characters, bidi controls and invalid UTF-8 are written as escapes, so
// such text can neither steer a terminal nor reorder or forge what is shown.
package printable

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Line escapes every control character, line breaks included: the result
// is one line of plain text.
func Line(s string) string { return escape(s, false) }

// Text escapes control characters but keeps line breaks and tabs, for text
// shown as several lines (a config, a file).
func Text(s string) string { return escape(s, true) }

// Lines makes each of out a Line, in place, and returns it: words for
// people made partly of what a registry sent (an artifact type, its
// error's words).
func Lines(out []string) []string {
	for i, l := range out {
		out[i] = Line(l)
	}
	return out
}

func escape(s string, keepLines bool) string {
	i := firstUnsafe(s, keepLines)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !unsafe(r, keepLines):
			b.WriteString(s[i : i+size])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

// firstUnsafe is the index of the first byte that needs escaping, or -1.
func firstUnsafe(s string, keepLines bool) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size <= 1) || unsafe(r, keepLines) {
			return i
		}
		i += size
	}
	return -1
}

// unsafe reports the runes that act on a terminal or on the layout of text
// rather than showing as themselves: C0 and C1 controls, DEL, the bidi
// embeddings, overrides, isolates and marks, and the Unicode line and
// paragraph separators.
func unsafe(r rune, keepLines bool) bool {
	switch {
	case keepLines && (r == '\n' || r == '\t'):
		return false
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// JSON escapes, as \uXXXX, the runes in encoded JSON that encoding/json
// leaves raw yet a terminal may act on (DEL, C1 controls, bidi controls).
// Such runes can only stand inside JSON strings, where the escape means the
// same rune, so the document is unchanged for any JSON reader.
func JSON(doc []byte) []byte {
	s := string(doc)
	i := firstUnsafe(s, true)
	if i < 0 {
		return doc
	}
	var b strings.Builder
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if unsafe(r, true) && r >= 0x7f {
			fmt.Fprintf(&b, `\u%04x`, r)
		} else {
			b.WriteRune(r)
		}
	}
	return []byte(b.String())
}

// Shorten cuts s to at most max runes, with an ellipsis in the middle so
// that both the start and the end of a long name stay visible.
func Shorten(s string, max int) string {
	if max < 3 || utf8.RuneCountInString(s) <= max {
		return s
	}
	runes := []rune(s)
	head := (max - 1) / 2
	tail := max - 1 - head
	return string(runes[:head]) + "…" + string(runes[len(runes)-tail:])
}

// Clamp keeps at most maxBytes bytes of s, cut on a rune boundary and
// ended with "…" when cut: text from outside is bounded before it is
// kept, whatever its length, without decoding the rest.
func Clamp(s string, maxBytes int) string {
	if len(s) <= maxBytes {
		return s
	}
	cut := max(maxBytes, 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
