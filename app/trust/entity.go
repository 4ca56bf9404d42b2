package trust

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/tlog"
	"github.com/sigstore/sigstore-go/pkg/verify"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
)

// cosign's annotations on a signature layer (legacy format).
const (
	AnnotationSignature   = "dev.cosignproject.cosign/signature"
	AnnotationCertificate = "dev.sigstore.cosign/certificate"
	AnnotationChain       = "dev.sigstore.cosign/chain"
	AnnotationBundle      = "dev.sigstore.cosign/bundle"
	AnnotationTimestamp   = "dev.sigstore.cosign/rfc3161timestamp"
)

// entity is a legacy cosign signature or attestation put in the form
// sigstore-go verifies: the layer's annotations give the certificate, the
// Rekor entry and the timestamp a bundle would hold.
type entity struct {
	content    verify.VerificationContent
	signature  verify.SignatureContent
	tlog       []*tlog.Entry
	timestamps [][]byte
}

var _ verify.SignedEntity = (*entity)(nil)

func (e *entity) VerificationContent() (verify.VerificationContent, error) { return e.content, nil }
func (e *entity) SignatureContent() (verify.SignatureContent, error)       { return e.signature, nil }
func (e *entity) TlogEntries() ([]*tlog.Entry, error)                      { return e.tlog, nil }
func (e *entity) Timestamps() ([][]byte, error)                            { return e.timestamps, nil }
func (e *entity) Version() (string, error)                                 { return "v0.3", nil }

func (e *entity) HasInclusionPromise() bool {
	for _, t := range e.tlog {
		if t.HasInclusionPromise() {
			return true
		}
	}
	return false
}

func (e *entity) HasInclusionProof() bool {
	for _, t := range e.tlog {
		if t.HasInclusionProof() {
			return true
		}
	}
	return false
}

// certContent is a Fulcio (or other CA's) certificate with the chain the
// signature carries.
type certContent struct {
	leaf          *x509.Certificate
	intermediates []*x509.Certificate
}

func (c *certContent) CompareKey(key any, _ root.TrustedMaterial) bool {
	cert, ok := key.(*x509.Certificate)
	return ok && c.leaf.Equal(cert)
}

func (c *certContent) ValidAtTime(t time.Time, _ root.TrustedMaterial) bool {
	return !c.leaf.NotAfter.Before(t) && !c.leaf.NotBefore.After(t)
}
func (c *certContent) Certificate() *x509.Certificate      { return c.leaf }
func (c *certContent) Intermediates() []*x509.Certificate  { return c.intermediates }
func (c *certContent) PublicKey() verify.PublicKeyProvider { return nil }

// keyContent is a signature made with a key and no certificate: the
// trusted material's key for hint verifies it.
type keyContent struct{ hint string }

func (k *keyContent) Hint() string { return k.hint }

func (k *keyContent) CompareKey(key any, tm root.TrustedMaterial) bool {
	v, err := tm.PublicKeyVerifier(k.hint)
	if err != nil {
		return false
	}
	pub, err := v.PublicKey()
	if err != nil {
		return false
	}
	eq, ok := key.(interface{ Equal(any) bool })
	return ok && eq.Equal(pub)
}

func (k *keyContent) ValidAtTime(t time.Time, tm root.TrustedMaterial) bool {
	v, err := tm.PublicKeyVerifier(k.hint)
	return err == nil && v.ValidAtTime(t)
}
func (k *keyContent) Certificate() *x509.Certificate      { return nil }
func (k *keyContent) Intermediates() []*x509.Certificate  { return nil }
func (k *keyContent) PublicKey() verify.PublicKeyProvider { return k }

// cosignEntity reads a legacy signature layer's annotations. sig is the
// signature over the payload (the layer's blob), or, for an attestation,
// nil: the DSSE envelope in the blob carries it (envelope).
func cosignEntity(annotations map[string]string, sig verify.SignatureContent) (*entity, error) {
	e := &entity{signature: sig}
	if pemCert := annotations[AnnotationCertificate]; pemCert != "" {
		certs, err := cryptoutils.UnmarshalCertificatesFromPEM([]byte(pemCert))
		if err != nil || len(certs) == 0 {
			return nil, errors.New("the certificate annotation holds no certificate")
		}
		c := &certContent{leaf: certs[0]}
		if chain := annotations[AnnotationChain]; chain != "" {
			more, err := cryptoutils.UnmarshalCertificatesFromPEM([]byte(chain))
			if err != nil {
				return nil, errors.New("the chain annotation holds no certificates")
			}
			// The chain runs leaf-first to the root; the root is the
			// trusted root's to give, never the signature's.
			for _, m := range more {
				if !m.Equal(certs[0]) && !isSelfSigned(m) {
					c.intermediates = append(c.intermediates, m)
				}
			}
		}
		e.content = c
	} else {
		e.content = &keyContent{hint: "key"}
	}
	if raw := annotations[AnnotationBundle]; raw != "" {
		entry, err := rekorBundle(raw)
		if err != nil {
			return nil, err
		}
		e.tlog = append(e.tlog, entry)
	}
	if raw := annotations[AnnotationTimestamp]; raw != "" {
		var ts struct {
			SignedRFC3161Timestamp string `json:"SignedRFC3161Timestamp"`
		}
		if err := json.Unmarshal([]byte(raw), &ts); err != nil {
			return nil, fmt.Errorf("the timestamp annotation is not cosign's: %v", err)
		}
		b, err := base64.StdEncoding.DecodeString(ts.SignedRFC3161Timestamp)
		if err != nil || len(b) == 0 {
			return nil, errors.New("the timestamp annotation holds no timestamp")
		}
		e.timestamps = append(e.timestamps, b)
	}
	return e, nil
}

func isSelfSigned(c *x509.Certificate) bool {
	return c.IsCA && c.CheckSignatureFrom(c) == nil
}

// rekorBundle reads cosign's Rekor bundle: the log entry and the log's
// signed promise to include it (a SET), checked offline against the log's
// key in the trusted root.
func rekorBundle(raw string) (*tlog.Entry, error) {
	var b struct {
		SignedEntryTimestamp []byte `json:"SignedEntryTimestamp"`
		Payload              struct {
			Body           string `json:"body"`
			IntegratedTime int64  `json:"integratedTime"`
			LogIndex       int64  `json:"logIndex"`
			LogID          string `json:"logID"`
		} `json:"Payload"`
	}
	if err := json.Unmarshal([]byte(raw), &b); err != nil {
		return nil, fmt.Errorf("the Rekor bundle annotation is not cosign's: %v", err)
	}
	body, err := base64.StdEncoding.DecodeString(b.Payload.Body)
	if err != nil {
		return nil, errors.New("the Rekor bundle's body is not base64")
	}
	logID, err := hex.DecodeString(b.Payload.LogID)
	if err != nil {
		return nil, errors.New("the Rekor bundle's log ID is not hex")
	}
	//lint:ignore SA1019 a legacy cosign Rekor bundle holds a Rekor v1 entry, which is what NewEntry parses
	entry, err := tlog.NewEntry(body, b.Payload.IntegratedTime, b.Payload.LogIndex, logID, b.SignedEntryTimestamp, nil)
	if err != nil {
		return nil, fmt.Errorf("the Rekor bundle's entry: %v", err)
	}
	return entry, nil
}

// messageSignature is a signature over payload (cosign signs the
// simple-signing payload's bytes).
func messageSignature(payload, sig []byte) verify.SignatureContent {
	sum := sha256Sum(payload)
	return bundle.NewMessageSignature(sum, "SHA2_256", sig)
}
