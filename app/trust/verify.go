package trust

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/verify"

	"github.com/card-catalog/card-catalog/app/trust/provenance"
)

// Verifier verifies what Discover found, offline: nothing it does asks
// the network (the trust material is on this computer).
type Verifier struct {
	Material *Material
	// Now is the clock Notation certificates are checked against
	// (default time.Now).
	Now func() time.Time
}

// Verify gives a verdict for every signature, attestation and Notation
// signature in t, and reads the statements merely attached (BuildKit's).
// It stops early with ctx.
func (v *Verifier) Verify(ctx context.Context, src Source, t *Tree) *Report {
	r := &Report{Subject: t.Subject.Digest, Problems: t.Problems}
	for _, a := range t.Attachments {
		for i, l := range a.Layers {
			if ctx.Err() != nil {
				r.Problems = append(r.Problems, ctx.Err().Error())
				return r
			}
			vd, ok := v.layer(ctx, src, t, a, l)
			if !ok {
				continue
			}
			vd.Attachment, vd.Layer, vd.Found = a.Digest, i, a.Found
			if vd.Kind == "" {
				vd.Kind = l.Kind
			}
			r.Verdicts = append(r.Verdicts, vd)
		}
	}
	return r
}

// layer verifies one layer; false for a layer that signs nothing (an
// SBOM's content).
func (v *Verifier) layer(ctx context.Context, src Source, t *Tree, a Attachment, l Layer) (Verdict, bool) {
	switch l.Format {
	case FormatBundle:
		raw, err := readBlob(ctx, src, a.Repo, l.Desc, maxSignatureBytes)
		if err != nil {
			return unreadable(a, l, err), true
		}
		vd := v.VerifyBundle(raw, a.For)
		if vd.What == "" {
			vd.What = a.What
		}
		return vd, true
	case FormatCosign:
		raw, err := readBlob(ctx, src, a.Repo, l.Desc, maxSignatureBytes)
		if err != nil {
			return unreadable(a, l, err), true
		}
		return v.VerifyCosign(raw, l.Desc.Annotations, a.For), true
	case FormatCosignAtt:
		raw, err := readBlob(ctx, src, a.Repo, l.Desc, maxSignatureBytes)
		if err != nil {
			return unreadable(a, l, err), true
		}
		return v.VerifyCosignAttestation(raw, l.Desc.Annotations, a.For), true
	case FormatInToto:
		raw, err := readBlob(ctx, src, a.Repo, l.Desc, maxSignatureBytes)
		if err != nil {
			return unreadable(a, l, err), true
		}
		return attached(raw, l, a.For), true
	case FormatNotation:
		raw, err := readBlob(ctx, src, a.Repo, l.Desc, maxSignatureBytes)
		if err != nil {
			return unreadable(a, l, err), true
		}
		return v.VerifyNotation(raw, string(l.Desc.MediaType), a.For), true
	}
	return Verdict{}, false
}

func unreadable(a Attachment, l Layer, err error) Verdict {
	return Verdict{What: a.What, Kind: l.Kind, Signed: l.Kind == KindSignature || l.Format != FormatInToto, Problem: "it could not be read: " + err.Error()}
}

// attached reads a statement that is not signed (BuildKit's attestation
// manifests): shown for what it says, never counted as verified.
func attached(raw []byte, l Layer, subject string) Verdict {
	vd := Verdict{What: l.What + " (attached, not signed)", Kind: l.Kind, Problem: "nothing signs this statement: anyone who can push to the repository could have written it"}
	if provenance.IsSBOM(l.PredicateType) {
		// An SBOM's predicate can be large; package sbom streams it.
		return vd
	}
	st, err := provenance.ParseStatement(raw)
	if err != nil {
		vd.Problem = err.Error()
		return vd
	}
	vd.Statement = st
	vd.Provenance, _ = provenance.Summarize(st)
	return vd
}

// VerifyBundle verifies a Sigstore bundle (v0.1 to v0.3) over the image
// digest subject: a DSSE statement must name subject among its subjects,
// a message signature must be over it.
func (v *Verifier) VerifyBundle(raw []byte, subject string) Verdict {
	vd := Verdict{What: "Sigstore bundle", Kind: KindSignature, Signed: true}
	var b bundle.Bundle
	if err := b.UnmarshalJSON(raw); err != nil {
		vd.Problem = "the bundle is malformed: " + err.Error()
		return vd
	}
	sc, err := b.SignatureContent()
	if err != nil {
		vd.Problem = "the bundle holds no signature: " + err.Error()
		return vd
	}
	if env := sc.EnvelopeContent(); env != nil {
		// Read the statement as this package reads any: strictly, and
		// before any key is asked to vouch for it.
		if err := v.statement(&vd, env.RawEnvelope(), subject); err != nil {
			vd.Problem = err.Error()
			return vd
		}
	}
	v.checkDigest(&vd, &b, subject)
	if vd.Verified {
		vd.Checked = append(vd.Checked, "it is over this image's digest")
	}
	return vd
}

// statement decodes the envelope's in-toto statement into vd and checks
// it is about subject.
func (v *Verifier) statement(vd *Verdict, env *dsse.Envelope, subject string) error {
	raw, err := json.Marshal(env)
	if err != nil {
		return err
	}
	e, err := provenance.ParseEnvelope(raw)
	if err != nil {
		return err
	}
	if e.PayloadType != provenance.PayloadTypeInToto {
		return fmt.Errorf("the envelope's payload is %q, not an in-toto statement", e.PayloadType)
	}
	st, err := provenance.ParseStatement(e.Payload)
	if err != nil {
		return err
	}
	vd.Kind, vd.Statement = KindAttestation, st
	vd.What = "Sigstore bundle: " + provenance.PredicateName(st.PredicateType)
	if provenance.IsSBOM(st.PredicateType) {
		vd.Kind = KindSBOM
	}
	if p, err := provenance.Summarize(st); err == nil {
		vd.Provenance = p
	}
	if !st.Covers(subject) {
		return fmt.Errorf("the statement is about %s, not this image (%s)", subjectNames(st), subject)
	}
	return nil
}

func subjectNames(st *provenance.Statement) string {
	var names []string
	for _, s := range st.Subjects {
		if d := s.Digest["sha256"]; d != "" {
			names = append(names, "sha256:"+d)
		} else {
			names = append(names, s.Name)
		}
		if len(names) == 3 {
			break
		}
	}
	if len(names) == 0 {
		return "nothing"
	}
	return strings.Join(names, ", ")
}

// simpleSigning is cosign's signed payload: it names the image digest
// signed.
type simpleSigning struct {
	Critical struct {
		Identity struct {
			DockerReference string `json:"docker-reference"`
		} `json:"identity"`
		Image struct {
			DockerManifestDigest string `json:"docker-manifest-digest"`
		} `json:"image"`
		Type string `json:"type"`
	} `json:"critical"`
}

// VerifyCosign verifies a legacy cosign signature: payload is the
// simple-signing blob, annotations its layer's (signature, certificate,
// chain, Rekor bundle, timestamp), subject the image digest it must name.
func (v *Verifier) VerifyCosign(payload []byte, annotations map[string]string, subject string) Verdict {
	vd := Verdict{What: "cosign signature", Kind: KindSignature, Signed: true}
	var ss simpleSigning
	if err := json.Unmarshal(payload, &ss); err != nil {
		vd.Problem = "the signed payload is not cosign's: " + err.Error()
		return vd
	}
	if !strings.EqualFold(ss.Critical.Type, "cosign container image signature") {
		vd.Problem = fmt.Sprintf("the signed payload is of type %q, not a cosign image signature", ss.Critical.Type)
		return vd
	}
	// The signature is over the payload; the payload is over the image.
	// A good signature of a payload naming another digest signs another
	// image, and is refused before any key is tried.
	if ss.Critical.Image.DockerManifestDigest != subject {
		vd.Problem = fmt.Sprintf("it signs %s, not this image (%s)", ss.Critical.Image.DockerManifestDigest, subject)
		return vd
	}
	sig, err := base64.StdEncoding.DecodeString(annotations[AnnotationSignature])
	if err != nil || len(sig) == 0 {
		vd.Problem = "the layer carries no signature (annotation " + AnnotationSignature + ")"
		return vd
	}
	e, err := cosignEntity(annotations, messageSignature(payload, sig))
	if err != nil {
		vd.Problem = err.Error()
		return vd
	}
	v.check(&vd, e, verify.WithArtifact(strings.NewReader(string(payload))))
	if vd.Verified {
		vd.Checked = append(vd.Checked, "the signed payload names this image's digest")
	}
	return vd
}

// VerifyCosignAttestation verifies a legacy cosign attestation: envelope
// is the DSSE envelope in the layer, its statement must be about subject.
func (v *Verifier) VerifyCosignAttestation(envelope []byte, annotations map[string]string, subject string) Verdict {
	vd := Verdict{What: "cosign attestation", Kind: KindAttestation, Signed: true}
	e, err := provenance.ParseEnvelope(envelope)
	if err != nil {
		vd.Problem = err.Error()
		return vd
	}
	env := &dsse.Envelope{PayloadType: e.PayloadType, Payload: base64.StdEncoding.EncodeToString(e.Payload)}
	for _, s := range e.Signatures {
		env.Signatures = append(env.Signatures, dsse.Signature{KeyID: s.KeyID, Sig: base64.StdEncoding.EncodeToString(s.Sig)})
	}
	if err := v.statement(&vd, env, subject); err != nil {
		vd.Problem = err.Error()
		return vd
	}
	vd.What = "cosign attestation: " + provenance.PredicateName(vd.Statement.PredicateType)
	ent, err := cosignEntity(annotations, &bundle.Envelope{Envelope: env})
	if err != nil {
		vd.Problem = err.Error()
		return vd
	}
	v.checkDigest(&vd, ent, subject)
	if vd.Verified {
		vd.Checked = append(vd.Checked, "its statement is about this image's digest")
	}
	return vd
}

// checkDigest is check of a statement or signature that must be over the
// image digest subject.
func (v *Verifier) checkDigest(vd *Verdict, e verify.SignedEntity, subject string) {
	alg, digest, err := digestBytes(subject)
	if err != nil {
		vd.Problem = err.Error()
		return
	}
	v.check(vd, e, verify.WithArtifactDigest(alg, digest))
}

// check runs sigstore-go's verification of e against each root (for a
// certificate) or each trusted key (for a key signature), and fills vd
// with the first that vouches, or with why none did.
func (v *Verifier) check(vd *Verdict, e verify.SignedEntity, artifact verify.ArtifactPolicyOption) {
	content, err := e.VerificationContent()
	if err != nil {
		vd.Problem = err.Error()
		return
	}
	var m Material
	if v.Material != nil {
		m = *v.Material
	}
	if content.Certificate() != nil {
		v.checkKeyless(vd, e, artifact, m)
		return
	}
	v.checkKey(vd, e, artifact, m)
}

func (v *Verifier) checkKeyless(vd *Verdict, e verify.SignedEntity, artifact verify.ArtifactPolicyOption, m Material) {
	content, _ := e.VerificationContent()
	vd.Signer = certSigner(content)
	if len(m.Roots) == 0 {
		vd.Problem = "no trusted root is known to check its certificate against"
		return
	}
	tlogs, _ := e.TlogEntries()
	stamps, _ := e.Timestamps()
	if cert := content.Certificate(); len(tlogs) == 0 && len(stamps) == 0 && time.Now().After(cert.NotAfter) {
		// Nothing proves when it was signed, and a Fulcio certificate
		// lives ten minutes: anyone holding its key since could have
		// signed this.
		vd.Problem = "the certificate was not valid at the time of signing: it expired on " + cert.NotAfter.UTC().Format(time.RFC3339) +
			", and neither a transparency-log entry nor a timestamp proves it was used before then"
		return
	}
	var problems []string
	for _, r := range m.Roots {
		opts, checked := keylessOptions(r, len(tlogs) > 0, len(stamps) > 0)
		verifier, err := verify.NewVerifier(r.Material, opts...)
		if err != nil {
			problems = append(problems, r.Name+": "+err.Error())
			continue
		}
		res, err := verifier.Verify(e, verify.NewPolicy(artifact, verify.WithoutIdentitiesUnsafe()))
		if err != nil {
			problems = append(problems, explain(r.Name, err))
			continue
		}
		vd.Verified, vd.TrustRoot, vd.TrustRootDate = true, r.Name, r.Date
		vd.Checked = append([]string{"the signature matches what it signs", "the certificate chains to " + r.Name + "'s certificate authority at the time of signing"}, checked...)
		if res.Signature != nil && res.Signature.Certificate != nil {
			vd.Signer = summarySigner(*res.Signature.Certificate)
		}
		signedAt(vd, res.VerifiedTimestamps)
		return
	}
	vd.Problem = strings.Join(problems, "; ")
}

// keylessOptions are what a certificate's signature must show: the
// transparency-log entry when it has one (checked offline through the
// log's signed promise or inclusion proof), a timestamp proving it was
// made while the short-lived certificate was valid (the log's or a
// timestamp authority's), and SCTs when the root lists CT logs. A
// signature with neither log entry nor timestamp is checked against the
// current time: its ten-minute certificate has then long expired, and it
// fails, as it should.
func keylessOptions(r Root, hasTlog, hasTimestamps bool) ([]verify.VerifierOption, []string) {
	var opts []verify.VerifierOption
	var checked []string
	switch {
	case hasTlog:
		opts = append(opts, verify.WithTransparencyLog(1), verify.WithObserverTimestamps(1))
		checked = append(checked, "its entry in the transparency log, checked offline", "the time of signing, from the log or a timestamp authority")
	case hasTimestamps:
		opts = append(opts, verify.WithSignedTimestamps(1))
		checked = append(checked, "the time of signing, from a timestamp authority")
	default:
		opts = append(opts, verify.WithCurrentTime())
		checked = append(checked, "no log entry nor timestamp: the certificate was checked against the current time")
	}
	if r.hasCTLogs {
		opts = append(opts, verify.WithSignedCertificateTimestamps(1))
		checked = append(checked, "the certificate's certificate-transparency timestamp")
	}
	return opts, checked
}

func (v *Verifier) checkKey(vd *Verdict, e verify.SignedEntity, artifact verify.ArtifactPolicyOption, m Material) {
	if len(m.Keys) == 0 {
		vd.Problem = "it is signed with a key, and no public key is trusted: import the signer's public key (in the window's Settings › Trust; verify takes it with --key)"
		return
	}
	tlogs, _ := e.TlogEntries()
	var problems []string
	for _, k := range m.Keys {
		material := root.TrustedMaterialCollection{keyMaterial(k)}
		for _, r := range m.Roots {
			material = append(material, r.Material)
		}
		opts := []verify.VerifierOption{verify.WithNoObserverTimestamps()}
		if len(tlogs) > 0 {
			opts = []verify.VerifierOption{verify.WithTransparencyLog(1), verify.WithIntegratedTimestamps(1)}
		}
		verifier, err := verify.NewVerifier(material, opts...)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		res, err := verifier.Verify(e, verify.NewPolicy(artifact, verify.WithKey()))
		if err != nil {
			problems = append(problems, explain("key "+k.Name, err))
			continue
		}
		vd.Verified, vd.TrustRoot = true, "key "+k.Name
		vd.Signer = Signer{Key: k.Name + " (" + k.Fingerprint[:16] + "…)"}
		vd.Checked = []string{"the signature matches what it signs, with the key " + k.Name + " (SHA-256 " + k.Fingerprint + ")"}
		if len(tlogs) > 0 {
			vd.Checked = append(vd.Checked, "its entry in the transparency log, checked offline")
			signedAt(vd, res.VerifiedTimestamps)
		} else {
			vd.Checked = append(vd.Checked, "no transparency-log entry: when it was signed is not proven")
		}
		return
	}
	if len(m.Keys) == 1 {
		vd.Problem = problems[0]
		return
	}
	vd.Problem = "none of the " + fmt.Sprint(len(m.Keys)) + " trusted keys verifies it: " + strings.Join(problems, "; ")
}

// keyMaterial trusts k for any key hint: a legacy signature names no key,
// and k is tried as cosign's --key is.
func keyMaterial(k Key) root.TrustedMaterial {
	return root.NewTrustedPublicKeyMaterial(func(string) (root.TimeConstrainedVerifier, error) {
		return root.NewExpiringKey(k.verifier, time.Time{}, time.Time{}), nil
	})
}

// signedAt takes the earliest proven time of signing; the current time,
// which sigstore-go lists when nothing proves one, proves nothing.
func signedAt(vd *Verdict, ts []verify.TimestampVerificationResult) {
	sources := map[string]string{"Tlog": "the transparency log", "TimestampAuthority": "a timestamp authority"}
	for _, t := range ts {
		source, ok := sources[t.Type]
		if ok && (vd.SignedAt.IsZero() || t.Timestamp.Before(vd.SignedAt)) {
			vd.SignedAt, vd.TimeSource = t.Timestamp, source
		}
	}
}

// explain turns sigstore-go's error into words that say which check
// failed.
func explain(who string, err error) string {
	msg := err.Error()
	var why string
	switch {
	case strings.Contains(msg, "x509: certificate has expired") || strings.Contains(msg, "certificate has expired or is not yet valid"):
		why = "the certificate was not valid at the time of signing (expired, or no proof of when it was used)"
	case strings.Contains(msg, "certificate signed by unknown authority") || strings.Contains(msg, "leaf certificate verification failed"):
		why = "its certificate does not chain to a certificate authority of this root valid at the time of signing"
	case strings.Contains(msg, "failed to verify signature") || strings.Contains(msg, "invalid signature"):
		why = "the signature does not match what it signs (the content was changed, or it was signed by another key)"
	case strings.Contains(msg, "threshold not met") || strings.Contains(msg, "log inclusion"):
		why = "its transparency-log entry could not be checked against this root's logs"
	case strings.Contains(msg, "timestamp"):
		why = "no trusted timestamp proves when it was signed"
	default:
		why = msg
	}
	return who + ": " + why + " (sigstore-go: " + msg + ")"
}

func certSigner(c verify.VerificationContent) Signer {
	if cert := c.Certificate(); cert != nil {
		if s, err := summarize(cert); err == nil {
			return summarySigner(s)
		}
	}
	return Signer{Keyless: true}
}

// digestBytes splits "sha256:<hex>" (or sha512) into the algorithm and
// the digest's bytes.
func digestBytes(digest string) (string, []byte, error) {
	alg, hexPart, _ := strings.Cut(digest, ":")
	b, err := hex.DecodeString(hexPart)
	if err != nil || !(alg == "sha256" && len(b) == sha256.Size || alg == "sha512" && len(b) == sha512.Size) {
		return "", nil, fmt.Errorf("%q is not a sha256 or sha512 digest", digest)
	}
	return alg, b, nil
}

func sha256Sum(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}
