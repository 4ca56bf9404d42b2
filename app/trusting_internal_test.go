package app

import (
	"fmt"
	"testing"

	"github.com/card-catalog/card-catalog/app/trust"
)

// A check that began before the trust material changed does not keep
// its result: the next look verifies again, with the new material. The
// results kept are bounded.
func TestTrustResultsOfAnOldGenerationAreNotKept(t *testing.T) {
	var tr trusting
	r := &trust.Result{}
	before := tr.now()
	tr.changed() // a key imported while the check ran
	tr.keep("k", r, before)
	if tr.result("k") != nil {
		t.Error("a result verified with the old material was kept")
	}
	tr.keep("k", r, tr.now())
	if tr.result("k") != r {
		t.Error("a result of this generation was not kept")
	}
	for i := range maxTrustResults + 1 {
		tr.keep(fmt.Sprint(i), r, tr.now())
	}
	if n := len(tr.results); n > maxTrustResults {
		t.Errorf("%d results kept", n)
	}
}
