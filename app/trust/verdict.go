package trust

import (
	"slices"
	"strings"
	"time"

	"github.com/card-catalog/card-catalog/app/trust/provenance"
)

// Verdict is what was found of one signature or attestation: whether it
// verified, who made it, when, and what was checked, in words. Text in it
// comes from outside (identities, names): escape it before printing.
type Verdict struct {
	// Attachment is the digest of the manifest it came from; Layer its
	// index there.
	Attachment string `json:"attachment"`
	Layer      int    `json:"layer"`
	Kind       Kind   `json:"kind"`
	// What says what it is: "cosign signature", "Sigstore bundle: SLSA
	// provenance v1".
	What string `json:"what"`
	// Found says where it was found (Attachment.Found).
	Found string `json:"found"`
	// Signed is false for statements merely attached (BuildKit's): they
	// are read and shown, never verified.
	Signed bool `json:"signed"`
	// Verified: the signature is good, made by an identity the trust
	// material vouches for (a root's CA, an imported key), over this
	// image's digest. Policy decides whether that identity is wanted.
	Verified bool `json:"verified"`
	// Problem says why it did not verify.
	Problem string `json:"problem,omitempty"`
	Signer  Signer `json:"signer"`
	// SignedAt is when it was signed, as TimeSource proves it ("the
	// transparency log", "a timestamp authority"); zero when nothing does.
	SignedAt   time.Time `json:"signedAt,omitzero"`
	TimeSource string    `json:"timeSource,omitempty"`
	// Checked lists what was checked, in order.
	Checked []string `json:"checked,omitempty"`
	// TrustRoot names the root or key that vouched, and its date.
	TrustRoot     string    `json:"trustRoot,omitempty"`
	TrustRootDate time.Time `json:"trustRootDate,omitzero"`
	// Statement is an attestation's, Provenance what a build provenance
	// in it claims.
	Statement  *provenance.Statement  `json:"-"`
	Provenance *provenance.Provenance `json:"provenance,omitempty"`
}

// Signer is who made a signature.
type Signer struct {
	// Keyless: a Fulcio certificate for an OIDC identity; else a key.
	Keyless bool `json:"keyless,omitempty"`
	// Identity is the certificate's subject alternative name: a GitHub
	// workflow's URL, an e-mail address.
	Identity string `json:"identity,omitempty"`
	// Issuer is the OIDC issuer that vouched for Identity.
	Issuer string `json:"issuer,omitempty"`
	// Repository, Ref, Commit, Workflow and Trigger come from a GitHub
	// Actions certificate.
	Repository string `json:"repository,omitempty"`
	Ref        string `json:"ref,omitempty"`
	Commit     string `json:"commit,omitempty"`
	Workflow   string `json:"workflow,omitempty"`
	Trigger    string `json:"trigger,omitempty"`
	// RunURL is the CI run that signed.
	RunURL string `json:"runURL,omitempty"`
	// Key names the key (imported name and fingerprint).
	Key string `json:"key,omitempty"`
	// Subject is a Notation signer certificate's subject.
	Subject string `json:"subject,omitempty"`
}

// String says who signed in one line.
func (s Signer) String() string {
	switch {
	case s.Identity != "":
		out := s.Identity
		if s.Issuer != "" {
			out += " (issuer " + s.Issuer + ")"
		}
		return out
	case s.Subject != "":
		return s.Subject
	case s.Key != "":
		return "key " + s.Key
	}
	return "an unknown signer"
}

// Report is every verdict for one image.
type Report struct {
	Subject  string
	Verdicts []Verdict
	// Problems are what could not be looked at (Tree.Problems).
	Problems []string
}

// Outcome sums a report up.
type Outcome string

const (
	OutcomeVerified    Outcome = "verified"
	OutcomeNotVerified Outcome = "not verified"
	OutcomeUnsigned    Outcome = "unsigned"
)

// Outcome is verified when a signature or signed attestation verified,
// not verified when there are some and none did, unsigned when there are
// none.
func (r *Report) Outcome() Outcome {
	signed := false
	for _, v := range r.Verdicts {
		if v.Verified {
			return OutcomeVerified
		}
		signed = signed || v.Signed
	}
	if signed {
		return OutcomeNotVerified
	}
	return OutcomeUnsigned
}

// Summary says the outcome in one line for a card or a terminal.
func (r *Report) Summary() string {
	switch r.Outcome() {
	case OutcomeVerified:
		var who []string
		for _, v := range r.Verdicts {
			if v.Verified && !slices.Contains(who, v.Signer.String()) {
				who = append(who, v.Signer.String())
			}
		}
		return "Verified: signed by " + strings.Join(who, "; ")
	case OutcomeNotVerified:
		for _, v := range r.Verdicts {
			if v.Signed {
				return "Not verified: " + v.Problem
			}
		}
	}
	if len(r.Problems) > 0 {
		return "No signature found, but not everything could be looked at: " + r.Problems[0]
	}
	return "Unsigned: nothing signs this image"
}
