package trust

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Policy says, per registry or repository, whose signature an image needs:
// it turns a report into a pass or fail for a badge.
type Policy struct {
	Rules []Rule `json:"rules"`
}

// Rule is what one scope requires.
type Rule struct {
	// Scope is a registry ("ghcr.io"), a repository
	// ("ghcr.io/acme/app") or repositories under a path
	// ("ghcr.io/acme/*"); the longest scope that matches applies.
	Scope string `json:"scope"`
	// Identity is the signer a certificate must name: exact, or ending
	// in "*" (or "…") for any continuation. Without a scheme it is
	// matched without one: "github.com/acme/*" takes every workflow of
	// github.com/acme.
	Identity string `json:"identity,omitempty"`
	// Issuer is the OIDC issuer that must vouch for Identity.
	Issuer string `json:"issuer,omitempty"`
	// Key is the name of an imported key that must have signed.
	Key string `json:"key,omitempty"`
}

// BadgeState is a badge's colour.
type BadgeState string

const (
	// BadgePass: signed as the policy asks (green).
	BadgePass BadgeState = "pass"
	// BadgeFail: not signed as it asks (red).
	BadgeFail BadgeState = "fail"
	// BadgeNone: no rule applies; the report says what was found.
	BadgeNone BadgeState = "none"
)

// Badge is a policy's judgement of one image.
type Badge struct {
	State BadgeState
	// Reason says why, in one line.
	Reason string
	// Rule is the rule that judged (zero with BadgeNone).
	Rule Rule
}

// RuleFor is the rule for repository repo of registry host: the one with
// the longest matching scope.
func (p Policy) RuleFor(host, repo string) (Rule, bool) {
	full := host + "/" + repo
	var best Rule
	found := false
	for _, r := range p.Rules {
		s := strings.TrimSuffix(r.Scope, "/")
		ok := s == host || s == full || (strings.HasSuffix(s, "/*") && strings.HasPrefix(full, strings.TrimSuffix(s, "*")))
		if ok && (!found || len(s) > len(best.Scope)) {
			best, found = r, true
		}
	}
	return best, found
}

// Judge gives the badge for report r of repository repo on host.
func (p Policy) Judge(host, repo string, r *Report) Badge {
	rule, ok := p.RuleFor(host, repo)
	if !ok {
		return Badge{State: BadgeNone, Reason: r.Summary()}
	}
	return rule.Judge(r)
}

// Judge says whether r has a verified signature the rule accepts.
func (rule Rule) Judge(r *Report) Badge {
	var refused []string
	for _, v := range r.Verdicts {
		if !v.Verified {
			continue
		}
		if why := rule.refuses(v.Signer); why != "" {
			refused = append(refused, why)
			continue
		}
		return Badge{State: BadgePass, Rule: rule, Reason: "Verified: signed by " + v.Signer.String() + ", as " + rule.describe() + " asks"}
	}
	b := Badge{State: BadgeFail, Rule: rule}
	switch {
	case len(refused) > 0:
		b.Reason = "Not verified: " + refused[0]
	case r.Outcome() == OutcomeUnsigned:
		b.Reason = "Unsigned, and " + rule.describe() + " asks for a signature"
	default:
		b.Reason = r.Summary()
	}
	return b
}

func (rule Rule) describe() string {
	what := "the policy"
	if rule.Scope != "" {
		what += " for " + rule.Scope
	}
	return what
}

// wants says the signer the rule asks for.
func (rule Rule) wants() string {
	var parts []string
	if rule.Key != "" {
		parts = append(parts, "key "+rule.Key)
	}
	if rule.Identity != "" {
		parts = append(parts, rule.Identity)
	}
	if rule.Issuer != "" {
		parts = append(parts, "issued by "+rule.Issuer)
	}
	if len(parts) == 0 {
		return "any signer the trust material vouches for"
	}
	return strings.Join(parts, ", ")
}

// refuses says why the rule does not accept signer s, or "".
func (rule Rule) refuses(s Signer) string {
	mismatch := func() string {
		return "signed by " + s.String() + ", but " + rule.describe() + " wants " + rule.wants()
	}
	if rule.Key != "" && !strings.HasPrefix(s.Key, rule.Key+" (") {
		return mismatch()
	}
	if rule.Identity != "" && !identityMatches(rule.Identity, s.Identity) {
		return mismatch()
	}
	if rule.Issuer != "" && s.Issuer != rule.Issuer {
		return mismatch()
	}
	return ""
}

func identityMatches(pattern, identity string) bool {
	if identity == "" {
		return false
	}
	if !strings.Contains(pattern, "://") {
		if _, rest, ok := strings.Cut(identity, "://"); ok {
			identity = rest
		}
	}
	for _, wild := range []string{"*", "…"} {
		if prefix, ok := strings.CutSuffix(pattern, wild); ok {
			return strings.HasPrefix(identity, prefix)
		}
	}
	return identity == pattern
}

// Check refuses a rule that could never judge: no scope, or a wildcard
// other than at the end.
func (rule Rule) Check() error {
	if rule.Scope == "" {
		return errors.New("a rule needs a scope: a registry, a repository, or a path ending in /*")
	}
	if i := strings.IndexAny(strings.TrimSuffix(rule.Identity, "*"), "*"); i >= 0 {
		return fmt.Errorf("identity %q: '*' only at the end", rule.Identity)
	}
	return nil
}

func (s Store) policyPath() string { return filepath.Join(s.Dir, "policy.json") }

// Policy reads the saved policy; none saved is an empty one.
func (s Store) Policy() (Policy, error) {
	var p Policy
	if s.Dir == "" {
		return p, nil
	}
	raw, err := readBounded(s.policyPath(), maxKeyBytes)
	if errors.Is(err, os.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return Policy{}, fmt.Errorf("%s: %w", s.policyPath(), err)
	}
	return p, nil
}

// SavePolicy checks every rule and keeps p.
func (s Store) SavePolicy(p Policy) error {
	for _, r := range p.Rules {
		if err := r.Check(); err != nil {
			return err
		}
	}
	raw, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(s.policyPath(), append(raw, '\n'))
}
