package peerbench

import "testing"

func TestParseGoBench(t *testing.T) {
	out := `goos: linux
BenchmarkVerifyFetched/cosign_key-2         	    7712	    152304 ns/op	   21018 B/op	     301 allocs/op
BenchmarkCopyBesidePeers-2   	       5	 297000000 ns/op	       297.0 ms/copy	        20.97 MB/image	       329.0 crane-ms/copy	         0.9027 x-crane
--- SKIP: BenchmarkVerifyBesideCosign/cosign
PASS
`
	g := parseGoBench(out)
	if got := g.ms("BenchmarkVerifyFetched/cosign_key"); got != 0.152304 {
		t.Errorf("cosign key: %v ms", got)
	}
	if x, ok := g.figure("BenchmarkCopyBesidePeers", "x-crane"); !ok || x != 0.9027 {
		t.Errorf("x-crane %v %v", x, ok)
	}
	if g.ms("BenchmarkVerifyBesideCosign/cosign") != -1 {
		t.Error("a skipped benchmark has a time")
	}
}
