package image

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

func TestDecodeText(t *testing.T) {
	for _, c := range []struct {
		in       []byte
		text     string
		encoding string
		binary   bool
		cut      bool
	}{
		{[]byte("héllo\n"), "héllo\n", "UTF-8", false, false},
		{[]byte{0xef, 0xbb, 0xbf, 'h', 'i'}, "hi", "UTF-8", false, false},
		{[]byte{0xff, 0xfe, 'h', 0, 'i', 0}, "hi", "UTF-16LE", false, false},
		{[]byte{0xfe, 0xff, 0, 'h', 0, 'i'}, "hi", "UTF-16BE", false, false},
		{[]byte{'c', 'a', 'f', 0xe9}, "café", "Latin-1", false, false},
		{[]byte("ab\xc3"), "ab\xc3", "UTF-8", false, true}, // a rune cut by the cap
		{[]byte("\x7fELF\x02\x01\x01\x00\x00"), "", "", true, false},
		{bytes.Repeat([]byte{1, 2, 3, 'a'}, 100), "", "", true, false},
	} {
		got := DecodeText(c.in, c.cut)
		if got.Text != c.text || got.Encoding != c.encoding || got.Binary != c.binary {
			t.Errorf("%q: %+v", c.in, got)
		}
	}
}

func TestCappedBufferKeepsOnlyItsCap(t *testing.T) {
	b := &CappedBuffer{Cap: 10}
	// io.Copy must go through Write: a ReaderFrom would skip the cap.
	if _, err := io.Copy(b, strings.NewReader(strings.Repeat("x", 1000))); err != nil {
		t.Fatal(err)
	}
	if len(b.Bytes()) != 10 || b.Total != 1000 || !b.Cut() {
		t.Fatalf("%d kept of %d", len(b.Bytes()), b.Total)
	}
}
