package image

import (
	"slices"
	"testing"
)

func TestHexDumpIsHexdumpC(t *testing.T) {
	got := HexDump([]byte("\x7fELF\x02\x01\x01\x00hello, world!\n\x00z"))
	want := []string{
		"00000000  7f 45 4c 46 02 01 01 00  68 65 6c 6c 6f 2c 20 77  |.ELF....hello, w|",
		"00000010  6f 72 6c 64 21 0a 00 7a                           |orld!..z|",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	if HexDump(nil) == nil || len(HexDump(nil)) != 0 {
		t.Error("nothing is no lines")
	}
}
