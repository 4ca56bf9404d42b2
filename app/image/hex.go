package image

import (
	"fmt"
	"strings"
)

// HexDump writes b as hexdump -C does: the offset, sixteen bytes in hex
// (two groups of eight), and the same bytes as text, a dot for each one
// that is not printable ASCII. One line a row of sixteen.
func HexDump(b []byte) []string {
	lines := make([]string, 0, (len(b)+15)/16)
	var line strings.Builder
	for at := 0; at < len(b); at += 16 {
		row := b[at:min(at+16, len(b))]
		line.Reset()
		fmt.Fprintf(&line, "%08x  ", at)
		for i := range 16 {
			switch {
			case i < len(row):
				fmt.Fprintf(&line, "%02x ", row[i])
			default:
				line.WriteString("   ")
			}
			if i == 7 {
				line.WriteByte(' ')
			}
		}
		line.WriteString(" |")
		for _, c := range row {
			if c < 0x20 || c > 0x7e {
				c = '.'
			}
			line.WriteByte(c)
		}
		line.WriteByte('|')
		lines = append(lines, line.String())
	}
	return lines
}
