package trust

import (
	"context"

	"github.com/card-catalog/card-catalog/registry"
)

// Result is what the window shows of one image's trust: the tree of what
// is attached, a verdict for each signature, and the badge.
type Result struct {
	Tree   *Tree
	Report *Report
	Badge  Badge
}

// Check finds what is attached to ref, verifies it against m and judges
// it by p: what a card's badge and an image's trust tab ask for, in one
// call that ends with ctx.
func Check(ctx context.Context, src Source, ref registry.Reference, m *Material, p Policy) (*Result, error) {
	tree, err := Discover(ctx, src, ref)
	if err != nil {
		return nil, err
	}
	report := (&Verifier{Material: m}).Verify(ctx, src, tree)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &Result{Tree: tree, Report: report, Badge: p.Judge(ref.Registry.Host, ref.Repository, report)}, nil
}

// Passed says whether the result is one to rely on: the policy passed it
// or, where no rule applies, a signature verified.
func (r *Result) Passed() bool {
	if r.Badge.State == BadgeNone {
		return r.Report.Outcome() == OutcomeVerified
	}
	return r.Badge.State == BadgePass
}
