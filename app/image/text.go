package image

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// Text is a file's bytes read as text, when they are.
type Text struct {
	Text string
	// Encoding is the guess: "UTF-8", "UTF-16LE", "UTF-16BE", "Latin-1".
	Encoding string
	// Binary: the bytes are not text (NUL bytes, or control characters
	// text does not have); Text is empty.
	Binary bool
}

// DecodeText guesses b's encoding as a viewer would: a byte-order mark
// decides; valid UTF-8 is UTF-8; NULs or many controls mean binary; the
// rest is Latin-1. When cut (a capped read), a rune cut at the end does
// not count as invalid.
func DecodeText(b []byte, cut bool) Text {
	switch {
	case bytes.HasPrefix(b, []byte{0xef, 0xbb, 0xbf}):
		return Text{Text: string(b[3:]), Encoding: "UTF-8"}
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		return Text{Text: decodeUTF16(b[2:], false), Encoding: "UTF-16LE"}
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		return Text{Text: decodeUTF16(b[2:], true), Encoding: "UTF-16BE"}
	}
	controls := 0
	for _, c := range b {
		if c == 0 {
			return Text{Binary: true}
		}
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b {
			controls++
		}
	}
	if controls > len(b)/100+1 {
		return Text{Binary: true}
	}
	check := b
	if cut {
		check = trimCutRune(b)
	}
	if utf8.Valid(check) {
		return Text{Text: string(b), Encoding: "UTF-8"}
	}
	runes := make([]rune, len(b))
	for i, c := range b {
		runes[i] = rune(c)
	}
	return Text{Text: string(runes), Encoding: "Latin-1"}
}

// trimCutRune drops an incomplete UTF-8 sequence at the end.
func trimCutRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			break
		}
	}
	return b
}

func decodeUTF16(b []byte, big bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if big {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return string(utf16.Decode(u))
}

// CappedBuffer keeps the first Cap bytes written and counts the rest.
type CappedBuffer struct {
	Cap   int
	Total int64
	kept  []byte
}

func (c *CappedBuffer) Write(p []byte) (int, error) {
	c.Total += int64(len(p))
	if room := c.Cap - len(c.kept); room > 0 {
		c.kept = append(c.kept, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// Rewind forgets what was written (a Rewinder).
func (c *CappedBuffer) Rewind() error {
	c.Total, c.kept = 0, c.kept[:0]
	return nil
}

// Bytes are the bytes kept.
func (c *CappedBuffer) Bytes() []byte { return c.kept }

// Cut says whether bytes were left out.
func (c *CappedBuffer) Cut() bool { return c.Total > int64(len(c.kept)) }
