package provenance

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/card-catalog/card-catalog/app/printable"
)

// Payload types and statement types.
const (
	PayloadTypeInToto = "application/vnd.in-toto+json"
	StatementV01      = "https://in-toto.io/Statement/v0.1"
	StatementV1       = "https://in-toto.io/Statement/v1"
)

// Bounds on what a statement may hold: every count from outside is
// clamped.
const (
	maxSignatures = 16
	maxSubjects   = 1024
	maxMaterials  = 256
	// MaxField is the longest text kept of any one field.
	MaxField = 1024
)

// ErrMalformed says that a document is not an envelope or statement of the
// expected form.
var ErrMalformed = errors.New("malformed attestation")

// Envelope is a DSSE envelope.
type Envelope struct {
	PayloadType string
	Payload     []byte
	Signatures  []Signature
}

// Signature is one of an envelope's signatures.
type Signature struct {
	KeyID string
	Sig   []byte
}

// ParseEnvelope decodes a DSSE envelope. It refuses one without a payload
// type or signatures, with a payload that is not base64, or whose payload
// is itself an envelope: DSSE does not nest, and a verifier that took the
// inner one would check a signature over something else.
func ParseEnvelope(raw []byte) (*Envelope, error) {
	var wire struct {
		PayloadType *string `json:"payloadType"`
		Payload     *string `json:"payload"`
		Signatures  []struct {
			KeyID string `json:"keyid"`
			Sig   string `json:"sig"`
		} `json:"signatures"`
	}
	if err := json.Unmarshal(raw, &wire); err != nil {
		return nil, fmt.Errorf("%w: not a DSSE envelope: %v", ErrMalformed, err)
	}
	if wire.PayloadType == nil || wire.Payload == nil {
		return nil, fmt.Errorf("%w: a DSSE envelope needs a payloadType and a payload", ErrMalformed)
	}
	if len(wire.Signatures) == 0 {
		return nil, fmt.Errorf("%w: the DSSE envelope has no signatures", ErrMalformed)
	}
	if len(wire.Signatures) > maxSignatures {
		return nil, fmt.Errorf("%w: the DSSE envelope has %d signatures, more than %d", ErrMalformed, len(wire.Signatures), maxSignatures)
	}
	payload, err := decodeBase64(*wire.Payload)
	if err != nil {
		return nil, fmt.Errorf("%w: the DSSE payload is not base64: %v", ErrMalformed, err)
	}
	if looksLikeEnvelope(payload) {
		return nil, fmt.Errorf("%w: the DSSE payload is itself an envelope; envelopes do not nest", ErrMalformed)
	}
	e := &Envelope{PayloadType: *wire.PayloadType, Payload: payload}
	for _, s := range wire.Signatures {
		sig, err := decodeBase64(s.Sig)
		if err != nil || len(sig) == 0 {
			return nil, fmt.Errorf("%w: a DSSE signature is empty or not base64", ErrMalformed)
		}
		e.Signatures = append(e.Signatures, Signature{KeyID: clamp(s.KeyID), Sig: sig})
	}
	return e, nil
}

// decodeBase64 takes standard or URL-safe base64, padded or not, as DSSE
// writers differ.
func decodeBase64(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, errors.New("illegal base64 data")
}

func looksLikeEnvelope(payload []byte) bool {
	var probe struct {
		PayloadType json.RawMessage `json:"payloadType"`
		Signatures  json.RawMessage `json:"signatures"`
	}
	trimmed := bytes.TrimSpace(payload)
	if len(trimmed) == 0 || trimmed[0] != '{' || json.Unmarshal(trimmed, &probe) != nil {
		return false
	}
	return probe.PayloadType != nil && probe.Signatures != nil
}

func clamp(s string) string { return printable.Clamp(s, MaxField) }

// PredicateName says a predicate type in words.
func PredicateName(pt string) string {
	switch strings.TrimSuffix(pt, "/") {
	case PredicateSLSAv02:
		return "SLSA provenance v0.2"
	case PredicateSLSAv1:
		return "SLSA provenance v1"
	case "https://spdx.dev/Document", "https://spdx.dev/Document/v2.2", "https://spdx.dev/Document/v2.3":
		return "SPDX SBOM"
	case "https://cyclonedx.org/bom", "https://cyclonedx.org/bom/v1.4", "https://cyclonedx.org/bom/v1.5", "https://cyclonedx.org/bom/v1.6":
		return "CycloneDX SBOM"
	case "https://sigstore.dev/cosign/sign/v1":
		return "image signature"
	case "https://cosign.sigstore.dev/attestation/vuln/v1", "https://in-toto.io/attestation/vulns/v0.1":
		return "vulnerability scan"
	case "https://in-toto.io/attestation/release/v0.1":
		return "release attestation"
	case "https://slsa.dev/verification_summary/v1":
		return "SLSA verification summary"
	}
	return "predicate " + clamp(pt)
}

// IsSBOM says whether a predicate type is an SBOM's.
func IsSBOM(pt string) bool {
	return strings.HasPrefix(pt, "https://spdx.dev/Document") || strings.HasPrefix(pt, "https://cyclonedx.org/bom")
}
