package trust_test

import (
	"strings"
	"testing"

	"github.com/card-catalog/card-catalog/app/trust"
)

func report(verdicts ...trust.Verdict) *trust.Report { return &trust.Report{Verdicts: verdicts} }

var workflow = trust.Verdict{Signed: true, Verified: true, Signer: trust.Signer{Keyless: true,
	Identity: "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1", Issuer: "https://token.actions.githubusercontent.com"}}

func TestPolicyJudges(t *testing.T) {
	p := trust.Policy{Rules: []trust.Rule{
		{Scope: "ghcr.io", Identity: "github.com/acme/*", Issuer: "https://token.actions.githubusercontent.com"},
		{Scope: "ghcr.io/acme/legacy/*", Key: "release"},
		{Scope: "ghcr.io/other/app", Identity: "https://github.com/other/app/.github/workflows/release.yml@refs/tags/v1"},
	}}
	keyed := trust.Verdict{Signed: true, Verified: true, Signer: trust.Signer{Key: "release (0123456789abcdef…)"}}
	failed := trust.Verdict{Signed: true, Problem: "the signature does not match what it signs"}
	cases := []struct {
		name, repo string
		r          *trust.Report
		want       trust.BadgeState
		reason     string
	}{
		{"a workflow of the org", "acme/app", report(workflow), trust.BadgePass, "as the policy for ghcr.io asks"},
		{"the most specific scope wins", "acme/legacy/db", report(workflow), trust.BadgeFail, "wants key release"},
		{"the key it wants", "acme/legacy/db", report(keyed), trust.BadgePass, ""},
		{"another identity", "other/app", report(trust.Verdict{Signed: true, Verified: true, Signer: trust.Signer{Identity: "https://github.com/other/app/.github/workflows/evil.yml@refs/heads/x"}}), trust.BadgeFail, "but the policy for ghcr.io/other/app wants"},
		{"a prefix is not a path", "acme/app", report(trust.Verdict{Signed: true, Verified: true, Signer: trust.Signer{Identity: "https://github.com/acme-evil/app/x", Issuer: "https://token.actions.githubusercontent.com"}}), trust.BadgeFail, "wants github.com/acme/*"},
		{"a verified signature the issuer does not vouch for", "acme/app", report(trust.Verdict{Signed: true, Verified: true, Signer: trust.Signer{Identity: workflow.Signer.Identity, Issuer: "https://evil.example"}}), trust.BadgeFail, "issued by"},
		{"not verified", "acme/app", report(failed), trust.BadgeFail, "does not match"},
		{"unsigned", "acme/app", report(), trust.BadgeFail, "asks for a signature"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := p.Judge("ghcr.io", c.repo, c.r)
			if b.State != c.want || !strings.Contains(b.Reason, c.reason) {
				t.Errorf("%s: %q", b.State, b.Reason)
			}
		})
	}
	if b := p.Judge("docker.io", "library/alpine", report(workflow)); b.State != trust.BadgeNone {
		t.Errorf("no rule: %s", b.State)
	}
}
