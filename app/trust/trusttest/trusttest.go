// Package trusttest makes signed content for trust's tests and benchmarks:
// cosign-format signatures with keys made from fixed seeds, keyless
// signatures, attestations and bundles from sigstore-go's VirtualSigstore
// with its matching trusted root, and pushes them to a registry; and a TUF
// repository that serves a trusted root, for the refresh.
package trusttest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	protodsse "github.com/sigstore/protobuf-specs/gen/pb-go/dsse"
	protorekor "github.com/sigstore/protobuf-specs/gen/pb-go/rekor/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
	"github.com/sigstore/sigstore-go/pkg/tlog"
	"github.com/sigstore/sigstore-go/pkg/verify"
	"github.com/sigstore/sigstore/pkg/cryptoutils"

	"github.com/card-catalog/card-catalog/registry/demo"
)

// KeyFromSeed, PublicPEM and SignWithKey are the demo's: a key from a
// seed, its PEM, a deterministic cosign-style signature.
var (
	KeyFromSeed = demo.KeyFromSeed
	PublicPEM   = demo.PublicKeyPEM
	SignWithKey = demo.Sign
)

// SimpleSigning is cosign's payload for an image digest.
func SimpleSigning(repo, digest string) []byte {
	return []byte(`{"critical":{"identity":{"docker-reference":"` + repo + `"},"image":{"docker-manifest-digest":"` + digest + `"},"type":"cosign container image signature"},"optional":null}`)
}

// KeyAnnotations are a key signature's layer annotations.
func KeyAnnotations(sig []byte) map[string]string {
	return map[string]string{"dev.cosignproject.cosign/signature": base64.StdEncoding.EncodeToString(sig)}
}

// Keyless signs payload with a VirtualSigstore certificate for identity
// and issuer and returns cosign's annotations: the signature, the
// certificate, the Rekor bundle (withTlog) and the RFC 3161 timestamp
// (withTimestamp).
func Keyless(vs *ca.VirtualSigstore, identity, issuer string, payload []byte, at time.Time, withTlog, withTimestamp bool) (map[string]string, error) {
	e, err := vs.SignAtTime(identity, issuer, payload, at)
	if err != nil {
		return nil, err
	}
	return annotations(vs, e, withTlog, withTimestamp)
}

func annotations(vs *ca.VirtualSigstore, e verify.SignedEntity, withTlog, withTimestamp bool) (map[string]string, error) {
	vc, _ := e.VerificationContent()
	sc, _ := e.SignatureContent()
	out := map[string]string{}
	if ms := sc.MessageSignatureContent(); ms != nil {
		out["dev.cosignproject.cosign/signature"] = base64.StdEncoding.EncodeToString(ms.Signature())
	} else {
		out["dev.cosignproject.cosign/signature"] = ""
	}
	certPEM, err := cryptoutils.MarshalCertificateToPEM(vc.Certificate())
	if err != nil {
		return nil, err
	}
	out["dev.sigstore.cosign/certificate"] = string(certPEM)
	if withTlog {
		entries, _ := e.TlogEntries()
		b, err := rekorBundle(vs, entries[0])
		if err != nil {
			return nil, err
		}
		out["dev.sigstore.cosign/bundle"] = string(b)
	}
	if withTimestamp {
		ts, _ := e.Timestamps()
		b, _ := json.Marshal(map[string][]byte{"SignedRFC3161Timestamp": ts[0]})
		out["dev.sigstore.cosign/rfc3161timestamp"] = string(b)
	}
	return out, nil
}

// rekorBundle is cosign's dev.sigstore.cosign/bundle for entry, with the
// log's signed entry timestamp made again with the virtual log's key.
func rekorBundle(vs *ca.VirtualSigstore, entry *tlog.Entry) ([]byte, error) {
	tle := entry.TransparencyLogEntry()
	payload := tlog.RekorPayload{
		Body:           base64.StdEncoding.EncodeToString(tle.CanonicalizedBody),
		IntegratedTime: tle.IntegratedTime,
		LogIndex:       tle.LogIndex,
		LogID:          hex.EncodeToString(tle.LogId.KeyId),
	}
	set, err := vs.RekorSignPayload(payload)
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{"SignedEntryTimestamp": set, "Payload": payload})
}

// Statement is an in-toto v1 statement about digest.
func Statement(digest, predicateType, predicate string) []byte {
	hexPart := strings.TrimPrefix(digest, "sha256:")
	return []byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"image","digest":{"sha256":"` + hexPart + `"}}],"predicateType":"` + predicateType + `","predicate":` + predicate + `}`)
}

// GitHubProvenance is an SLSA v1 predicate as GitHub's attest action
// writes it.
const GitHubProvenance = `{"buildDefinition":{"buildType":"https://actions.github.io/buildtypes/workflow/v1","externalParameters":{"workflow":{"ref":"refs/heads/main","repository":"https://github.com/acme/app","path":".github/workflows/release.yml"}},"resolvedDependencies":[{"uri":"git+https://github.com/acme/app@refs/heads/main","digest":{"gitCommit":"0123456789abcdef0123456789abcdef01234567"}}]},"runDetails":{"builder":{"id":"https://github.com/actions/runner/github-hosted"},"metadata":{"invocationId":"https://github.com/acme/app/actions/runs/1/attempts/1","startedOn":"2025-01-06T09:00:00Z","finishedOn":"2025-01-06T09:05:00Z"}}}`

// KeylessAttestation signs statement in a DSSE envelope with a
// VirtualSigstore certificate; it returns the envelope and cosign's
// annotations for an .att layer.
func KeylessAttestation(vs *ca.VirtualSigstore, identity, issuer string, statement []byte) ([]byte, map[string]string, error) {
	e, err := vs.AttestAtTime(identity, issuer, statement, time.Now().Add(5*time.Minute), false)
	if err != nil {
		return nil, nil, err
	}
	sc, _ := e.SignatureContent()
	env, err := json.Marshal(sc.EnvelopeContent().RawEnvelope())
	if err != nil {
		return nil, nil, err
	}
	ann, err := annotations(vs, e, true, false)
	return env, ann, err
}

// Bundle signs statement in a DSSE envelope with a VirtualSigstore
// certificate and returns a v0.3 bundle holding it, its log entry (with
// inclusion proof and promise) and a timestamp.
func Bundle(vs *ca.VirtualSigstore, identity, issuer string, statement []byte) ([]byte, error) {
	e, err := vs.AttestAtTime(identity, issuer, statement, time.Now().Add(5*time.Minute), true)
	if err != nil {
		return nil, err
	}
	vc, _ := e.VerificationContent()
	sc, _ := e.SignatureContent()
	env := sc.EnvelopeContent().RawEnvelope()
	payload, _ := base64.StdEncoding.DecodeString(env.Payload)
	sig, _ := base64.StdEncoding.DecodeString(env.Signatures[0].Sig)
	entries, _ := e.TlogEntries()
	tle := entries[0].TransparencyLogEntry()
	set, err := vs.RekorSignPayload(tlog.RekorPayload{
		Body: base64.StdEncoding.EncodeToString(tle.CanonicalizedBody), IntegratedTime: tle.IntegratedTime,
		LogIndex: tle.LogIndex, LogID: hex.EncodeToString(tle.LogId.KeyId),
	})
	if err != nil {
		return nil, err
	}
	tle.InclusionPromise = &protorekor.InclusionPromise{SignedEntryTimestamp: set}
	tle.KindVersion = &protorekor.KindVersion{Kind: "dsse", Version: "0.0.1"}
	ts, _ := e.Timestamps()
	pb := &protobundle.Bundle{
		MediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
		VerificationMaterial: &protobundle.VerificationMaterial{
			Content:                   &protobundle.VerificationMaterial_Certificate{Certificate: &protocommon.X509Certificate{RawBytes: vc.Certificate().Raw}},
			TlogEntries:               []*protorekor.TransparencyLogEntry{tle},
			TimestampVerificationData: &protobundle.TimestampVerificationData{Rfc3161Timestamps: []*protocommon.RFC3161SignedTimestamp{{SignedTimestamp: ts[0]}}},
		},
		Content: &protobundle.Bundle_DsseEnvelope{DsseEnvelope: &protodsse.Envelope{
			Payload: payload, PayloadType: env.PayloadType, Signatures: []*protodsse.Signature{{Sig: sig}},
		}},
	}
	b, err := bundle.NewBundle(pb)
	if err != nil {
		return nil, err
	}
	return b.MarshalJSON()
}

// TrustedRoot is vs's trusted_root.json (no CT logs: its certificates
// carry no SCTs).
func TrustedRoot(vs *ca.VirtualSigstore) ([]byte, error) {
	// VirtualSigstore keeps a log's ID as its hex text; the file holds
	// the raw key ID, as Sigstore's do.
	logs := map[string]*root.TransparencyLog{}
	for id, l := range vs.RekorLogs() {
		raw, err := hex.DecodeString(id)
		if err != nil {
			return nil, err
		}
		c := *l
		c.ID = raw
		logs[id] = &c
	}
	tr, err := root.NewTrustedRoot(root.TrustedRootMediaType01, vs.FulcioCertificateAuthorities(), nil, vs.TimestampingAuthorities(), logs)
	if err != nil {
		return nil, err
	}
	return tr.MarshalJSON()
}

// Blob is one layer of an artifact pushed with Push.
type Blob struct {
	Data        []byte
	MediaType   string
	Annotations map[string]string
}

// Push writes an OCI manifest of blobs (config: the empty descriptor) to
// host/repo, under tag when it is not "", with subject and artifactType
// when given, and returns its descriptor.
func Push(t testing.TB, host, repo, tag string, blobs []Blob, artifactType string, subject *v1.Descriptor, opts ...remote.Option) v1.Descriptor {
	t.Helper()
	r, err := name.NewRepository(host+"/"+repo, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	empty := []byte("{}")
	layers := []v1.Descriptor{}
	for _, b := range append([]Blob{{Data: empty, MediaType: "application/vnd.oci.empty.v1+json"}}, blobs...) {
		l := static.NewLayer(b.Data, types.MediaType(b.MediaType))
		if err := remote.WriteLayer(r, l, opts...); err != nil {
			t.Fatal(err)
		}
		d, _ := l.Digest()
		layers = append(layers, v1.Descriptor{MediaType: types.MediaType(b.MediaType), Size: int64(len(b.Data)), Digest: d, Annotations: b.Annotations})
	}
	m := v1.Manifest{SchemaVersion: 2, MediaType: types.OCIManifestSchema1, Config: layers[0], Layers: layers[1:], ArtifactType: artifactType, Subject: subject}
	if artifactType != "" {
		m.Config.ArtifactType = ""
	}
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	h, size, _ := v1.SHA256(bytes.NewReader(raw))
	var ref name.Reference = r.Digest(h.String())
	if tag != "" {
		ref = r.Tag(tag)
	}
	if err := remote.Put(ref, rawManifest(raw), opts...); err != nil {
		t.Fatal(err)
	}
	return v1.Descriptor{MediaType: types.OCIManifestSchema1, Size: size, Digest: h, ArtifactType: artifactType}
}

type rawManifest []byte

func (r rawManifest) RawManifest() ([]byte, error)        { return r, nil }
func (r rawManifest) MediaType() (types.MediaType, error) { return types.OCIManifestSchema1, nil }

// NoNetwork is an http.RoundTripper that fails the test on any request:
// a verification must ask nothing of the network.
type NoNetwork struct {
	T     testing.TB
	Calls int
}

func (n *NoNetwork) RoundTrip(r *http.Request) (*http.Response, error) {
	n.Calls++
	n.T.Errorf("a verification asked the network: %s %s", r.Method, r.URL)
	return &http.Response{StatusCode: http.StatusTeapot, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
}

// CA is a certificate authority of its own (root and intermediate) whose
// leaves are valid from a chosen time, for certificates outside their
// validity.
type CA struct {
	root, intermediate       *x509.Certificate
	rootKey, intermediateKey *ecdsa.PrivateKey
}

// NewCA makes a CA valid for the last day and the next.
func NewCA() (*CA, error) {
	r, rk, err := ca.GenerateRootCa()
	if err != nil {
		return nil, err
	}
	i, ik, err := ca.GenerateFulcioIntermediate(r, rk)
	if err != nil {
		return nil, err
	}
	return &CA{root: r, intermediate: i, rootKey: rk, intermediateKey: ik}, nil
}

// SignFrom signs payload with a ten-minute certificate for identity valid
// from notBefore, with no log entry nor timestamp, and returns cosign's
// annotations.
func (c *CA) SignFrom(identity, issuer string, payload []byte, notBefore time.Time) (map[string]string, error) {
	k := KeyFromSeed("leaf " + identity)
	leaf, err := ca.GenerateLeafCert(identity, issuer, notBefore, k, c.intermediate, c.intermediateKey)
	if err != nil {
		return nil, err
	}
	certPEM, err := cryptoutils.MarshalCertificateToPEM(leaf)
	if err != nil {
		return nil, err
	}
	ann := KeyAnnotations(SignWithKey(k, payload))
	ann["dev.sigstore.cosign/certificate"] = string(certPEM)
	return ann, nil
}

// TrustedRoot is the CA's trusted_root.json: its Fulcio CA alone.
func (c *CA) TrustedRoot() ([]byte, error) {
	fulcio := &root.FulcioCertificateAuthority{Root: c.root, Intermediates: []*x509.Certificate{c.intermediate},
		ValidityPeriodStart: c.root.NotBefore, URI: "https://fulcio.test"}
	tr, err := root.NewTrustedRoot(root.TrustedRootMediaType01, []root.CertificateAuthority{fulcio}, nil, nil, nil)
	if err != nil {
		return nil, err
	}
	return tr.MarshalJSON()
}
