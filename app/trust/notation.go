package trust

import (
	"crypto/x509"
	"encoding/json"
	"fmt"
	"time"

	"github.com/notaryproject/notation-core-go/signature"
	_ "github.com/notaryproject/notation-core-go/signature/cose" // registers application/cose
	_ "github.com/notaryproject/notation-core-go/signature/jws"  // registers application/jose+json
)

// Notation signatures are verified with notation-core-go's envelopes (JWS
// and COSE) and the certificates the user imported: notation-go's
// verifier would add its trust-policy files, plugins and revocation
// checks over OCSP and CRLs, which ask the network, and a verdict here
// asks none.

const notationPayload = "application/vnd.cncf.notary.payload.v1+json"

// VerifyNotation verifies a Notation signature envelope (mediaType
// application/jose+json or application/cose) over the image digest
// subject: the envelope's signature with its leaf certificate, the chain
// up to a certificate the user trusts, and the payload naming subject.
func (v *Verifier) VerifyNotation(envelope []byte, mediaType, subject string) Verdict {
	vd := Verdict{What: "Notation signature", Kind: KindSignature, Signed: true}
	env, err := signature.ParseEnvelope(mediaType, envelope)
	if err != nil {
		vd.Problem = "the Notation envelope is malformed: " + err.Error()
		return vd
	}
	content, err := env.Content()
	if err == nil {
		vd.Signer = notationSigner(content.SignerInfo)
	}
	// Verify checks the signature with the envelope's own leaf
	// certificate: it proves integrity, not who signed; the chain below
	// does that.
	content, err = env.Verify()
	if err != nil {
		vd.Problem = "the signature does not match what it signs: " + err.Error()
		return vd
	}
	var payload struct {
		TargetArtifact struct {
			Digest string `json:"digest"`
		} `json:"targetArtifact"`
	}
	if content.Payload.ContentType != notationPayload || json.Unmarshal(content.Payload.Content, &payload) != nil {
		vd.Problem = "the signed payload is not Notation's"
		return vd
	}
	if payload.TargetArtifact.Digest != subject {
		vd.Problem = fmt.Sprintf("it signs %s, not this image (%s)", payload.TargetArtifact.Digest, subject)
		return vd
	}
	info := content.SignerInfo
	vd.SignedAt, vd.TimeSource = info.SignedAttributes.SigningTime, "the signer's own claim"
	if exp := info.SignedAttributes.Expiry; !exp.IsZero() && v.now().After(exp) {
		vd.Problem = "the signature expired on " + exp.UTC().Format(time.DateOnly)
		return vd
	}
	var m Material
	if v.Material != nil {
		m = *v.Material
	}
	if len(m.Certificates) == 0 {
		vd.Problem = "no certificate is trusted for Notation signatures: import the signer's root certificate"
		return vd
	}
	chain := info.CertificateChain
	pool := x509.NewCertPool()
	for _, c := range m.Certificates {
		pool.AddCert(c.Cert)
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	// Notation's certificates are long-lived: checked against now, as
	// notation does without a timestamp countersignature.
	chains, err := chain[0].Verify(x509.VerifyOptions{Roots: pool, Intermediates: inter, CurrentTime: v.now(), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}})
	if err != nil {
		vd.Problem = "its certificate does not chain to a certificate you trust: " + err.Error()
		return vd
	}
	anchor := chains[0][len(chains[0])-1]
	for _, c := range m.Certificates {
		if c.Cert.Equal(anchor) {
			vd.TrustRoot, vd.TrustRootDate = "certificate "+c.Name, c.Imported
		}
	}
	vd.Verified = true
	vd.Checked = []string{
		"the signature matches the signed payload",
		"the signer's certificate chains to " + vd.TrustRoot + ", valid now",
		"the signed payload names this image's digest",
		"when it was signed is the signer's claim (no timestamp authority was checked)",
	}
	return vd
}

func notationSigner(info signature.SignerInfo) Signer {
	if len(info.CertificateChain) == 0 {
		return Signer{}
	}
	return Signer{Subject: info.CertificateChain[0].Subject.String()}
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}
