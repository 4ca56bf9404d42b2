package trust

import (
	"time"
)

// Detail is one labelled line of a verdict, for a terminal or a
// window's form: "Signed by" and who.
type Detail struct {
	Label, Value string
}

// Details says a verdict in labelled lines, in the order a person reads
// them. The values hold text from outside: escape them to print.
func (v Verdict) Details() []Detail {
	var d []Detail
	add := func(label, value string) {
		if value != "" {
			d = append(d, Detail{label, value})
		}
	}
	if v.Signed {
		add("Signed by", v.Signer.String())
	}
	add("Repository", v.Signer.Repository)
	add("Ref", v.Signer.Ref)
	add("Commit", v.Signer.Commit)
	add("Workflow", v.Signer.Workflow)
	add("Run", v.Signer.RunURL)
	switch {
	case !v.SignedAt.IsZero():
		add("Signed at", v.SignedAt.UTC().Format(time.RFC3339)+", as "+v.TimeSource+" proves")
	case v.Verified:
		add("Signed at", "not proven")
	}
	if v.TrustRoot != "" {
		root := v.TrustRoot
		if !v.TrustRootDate.IsZero() {
			root += ", of " + v.TrustRootDate.UTC().Format(time.DateOnly)
		}
		add("Trusted through", root)
	}
	add("Problem", v.Problem)
	for _, c := range v.Checked {
		add("Checked", c)
	}
	if p := v.Provenance; p != nil {
		add("Built by", p.Builder)
		add("Source", p.Repository)
		add("Source commit", p.Commit)
		add("Source ref", p.Ref)
		add("Build file", p.Workflow)
		add("Build run", p.Invocation)
		if !p.Started.IsZero() {
			add("Build started", p.Started.UTC().Format(time.RFC3339))
		}
		if !p.Finished.IsZero() {
			add("Build finished", p.Finished.UTC().Format(time.RFC3339))
		}
		switch {
		case v.Verified:
			add("Provenance", "signed and verified")
		case v.Signed:
			add("Provenance", "signed, but not verified: do not rely on it")
		default:
			add("Provenance", "attached, not signed: do not rely on it")
		}
	}
	return d
}

// Mark is a verdict's sign for a list: ✓ verified, ✗ signed but not
// verified, · attached and not signed.
func (v Verdict) Mark() string {
	switch {
	case v.Verified:
		return "✓"
	case v.Signed:
		return "✗"
	}
	return "·"
}
