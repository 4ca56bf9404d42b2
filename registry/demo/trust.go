package demo

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"strconv"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// The demo's signatures: team-a/payments-api v1.5.0 and v1.5.1 are
// signed by the demo's publisher, with a signed SLSA provenance and an
// SPDX SBOM, as cosign stores them as OCI referrers; team-b/gateway v5.1.0
// is signed by someone else. A Card Catalog that trusts PublisherKeyPEM
// shows the first verified and the second not. The keys come from fixed
// seeds and ECDSA signs deterministically (RFC 6979), so the demo keeps
// its digests from run to run.

// PublisherKeyPEM is the public key the demo's publisher signs with.
var PublisherKeyPEM = PublicKeyPEM(publisher)

var (
	publisher = KeyFromSeed("card-catalog demo publisher")
	stranger  = KeyFromSeed("card-catalog demo stranger")
)

// Signed lists the demo's signed images and who signed them.
var Signed = map[string]string{
	"team-a/payments-api:v1.5.0": "publisher",
	"team-a/payments-api:v1.5.1": "publisher",
	"team-b/gateway:v5.1.0":      "stranger",
}

const (
	mediaSimpleSign  = "application/vnd.dev.cosign.simplesigning.v1+json"
	mediaDSSE        = "application/vnd.dsse.envelope.v1+json"
	artifactSig      = "application/vnd.dev.cosign.artifact.sig.v1+json"
	artifactAtt      = "application/vnd.dev.cosign.artifact.att.v1+json"
	predicateSLSAv1  = "https://slsa.dev/provenance/v1"
	annotationSig    = "dev.cosignproject.cosign/signature"
	annotationPredTy = "predicateType"
)

// KeyFromSeed is a P-256 key derived from seed: the same seed gives the
// same key (tests sign with it too).
func KeyFromSeed(seed string) *ecdsa.PrivateKey {
	for i := 0; ; i++ {
		sum := sha256.Sum256([]byte(seed + "/" + strconv.Itoa(i)))
		if k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), sum[:]); err == nil {
			return k
		}
	}
}

// PublicKeyPEM is k's public key as cosign.pub holds it.
func PublicKeyPEM(k *ecdsa.PrivateKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(k.Public())
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// Sign is ECDSA over msg's SHA-256, as cosign signs, with a nil random
// source: RFC 6979, the same signature every run.
func Sign(k *ecdsa.PrivateKey, msg []byte) []byte {
	sum := sha256.Sum256(msg)
	sig, err := k.Sign(nil, sum[:], crypto.SHA256)
	if err != nil {
		panic(err)
	}
	return sig
}

// attach signs subject (and, for the publisher, attaches its provenance
// and SBOM) as cosign's OCI-referrers mode stores them.
func (f *filler) attach(repo, tag string, subject v1.Descriptor, created time.Time) error {
	signer, ok := Signed[repo+":"+tag]
	if !ok {
		return nil
	}
	key := publisher
	if signer == "stranger" {
		key = stranger
	}
	subj := subject
	subj.Platform = nil
	payload := []byte(`{"critical":{"identity":{"docker-reference":"` + repo + `"},"image":{"docker-manifest-digest":"` + subj.Digest.String() +
		`"},"type":"cosign container image signature"},"optional":null}`)
	if err := f.artifact(repo, artifactSig, subj, created, []blob{{payload, mediaSimpleSign, map[string]string{annotationSig: base64.StdEncoding.EncodeToString(Sign(key, payload))}}}); err != nil {
		return err
	}
	if signer != "publisher" {
		return nil
	}
	version := strings.TrimPrefix(tag, "v")
	statement := provenanceStatement(repo, version, subj.Digest.Hex, created)
	envelope := dsseEnvelope(key, statement)
	if err := f.artifact(repo, artifactAtt, subj, created, []blob{{envelope, mediaDSSE, map[string]string{annotationSig: "", annotationPredTy: predicateSLSAv1}}}); err != nil {
		return err
	}
	doc := spdxDocument(repo, version, created)
	return f.artifact(repo, "application/spdx+json", subj, created, []blob{{doc, "application/spdx+json", nil}})
}

type blob struct {
	data        []byte
	mediaType   types.MediaType
	annotations map[string]string
}

// artifact stores an OCI 1.1 artifact of blobs referring to subject.
func (f *filler) artifact(repo, artifactType string, subject v1.Descriptor, created time.Time, blobs []blob) error {
	empty, err := f.putBlob(repo, []byte("{}"), "application/vnd.oci.empty.v1+json")
	if err != nil {
		return err
	}
	var layers []v1.Descriptor
	for _, b := range blobs {
		d, err := f.putBlob(repo, b.data, b.mediaType)
		if err != nil {
			return err
		}
		d.Annotations = b.annotations
		layers = append(layers, d)
	}
	m := v1.Manifest{
		SchemaVersion: 2, MediaType: types.OCIManifestSchema1, ArtifactType: artifactType,
		Config: empty, Layers: layers, Subject: &subject,
		Annotations: map[string]string{"org.opencontainers.image.created": created.Format(time.RFC3339)},
	}
	_, err = f.putManifest(repo, "", types.OCIManifestSchema1, m)
	return err
}

// dsseEnvelope signs statement as DSSE does: over its pre-authentication
// encoding, which binds the payload type.
func dsseEnvelope(k *ecdsa.PrivateKey, statement []byte) []byte {
	const payloadType = "application/vnd.in-toto+json"
	pae := fmt.Sprintf("DSSEv1 %d %s %d %s", len(payloadType), payloadType, len(statement), statement)
	env, _ := json.Marshal(map[string]any{
		"payloadType": payloadType,
		"payload":     base64.StdEncoding.EncodeToString(statement),
		"signatures":  []map[string]string{{"keyid": "", "sig": base64.StdEncoding.EncodeToString(Sign(k, []byte(pae)))}},
	})
	return env
}

func provenanceStatement(repo, version, digestHex string, created time.Time) []byte {
	commit := fmt.Sprintf("%x", sha256.Sum256([]byte(repo+version)))[:40]
	st := map[string]any{
		"_type":         "https://in-toto.io/Statement/v1",
		"subject":       []map[string]any{{"name": "demo/" + repo, "digest": map[string]string{"sha256": digestHex}}},
		"predicateType": predicateSLSAv1,
		"predicate": map[string]any{
			"buildDefinition": map[string]any{
				"buildType": "https://actions.github.io/buildtypes/workflow/v1",
				"externalParameters": map[string]any{"workflow": map[string]string{
					"ref": "refs/tags/v" + version, "repository": "https://github.com/card-catalog-demo/" + lastPart(repo), "path": ".github/workflows/release.yml",
				}},
				"resolvedDependencies": []map[string]any{{
					"uri":    "git+https://github.com/card-catalog-demo/" + lastPart(repo) + "@refs/tags/v" + version,
					"digest": map[string]string{"gitCommit": commit},
				}},
			},
			"runDetails": map[string]any{
				"builder": map[string]string{"id": "https://github.com/actions/runner/github-hosted"},
				"metadata": map[string]string{
					"invocationId": "https://github.com/card-catalog-demo/" + lastPart(repo) + "/actions/runs/" + strconv.Itoa(1000+len(version)) + "/attempts/1",
					"startedOn":    created.Add(-6 * time.Minute).Format(time.RFC3339),
					"finishedOn":   created.Add(-time.Minute).Format(time.RFC3339),
				},
			},
		},
	}
	b, _ := json.Marshal(st)
	return b
}

func lastPart(repo string) string { return repo[strings.LastIndex(repo, "/")+1:] }

// spdxDocument lists the packages of a payments-api version; the two
// versions differ by an upgrade, an addition and a removal, for the
// comparison to show.
func spdxDocument(repo, version string, created time.Time) []byte {
	type pkg struct{ name, version, license, purl string }
	pkgs := []pkg{
		{"bash", "5.2.15-2+b7", "GPL-3.0-or-later", "pkg:deb/debian/bash@5.2.15-2%2Bb7"},
		{"ca-certificates", "20230311", "MPL-2.0", "pkg:deb/debian/ca-certificates@20230311"},
		{"zlib1g", "1.2.13.dfsg-1", "Zlib", "pkg:deb/debian/zlib1g@1.2.13.dfsg-1"},
		{"stdlib", "1.24.1", "BSD-3-Clause", "pkg:golang/stdlib@1.24.1"},
		{"payments-api", version, "Apache-2.0", "pkg:golang/github.com/card-catalog-demo/payments-api@v" + version},
	}
	if version == "1.5.0" {
		pkgs = append(pkgs, pkg{"libssl3", "3.0.11-1~deb12u2", "Apache-2.0", "pkg:deb/debian/libssl3@3.0.11-1~deb12u2"},
			pkg{"github.com/pkg/errors", "v0.9.1", "BSD-2-Clause", "pkg:golang/github.com/pkg/errors@v0.9.1"})
	} else {
		pkgs = append(pkgs, pkg{"libssl3", "3.0.15-1~deb12u1", "Apache-2.0", "pkg:deb/debian/libssl3@3.0.15-1~deb12u1"},
			pkg{"golang.org/x/net", "v0.33.0", "BSD-3-Clause", "pkg:golang/golang.org/x/net@v0.33.0"})
	}
	var list []map[string]any
	for i, p := range pkgs {
		list = append(list, map[string]any{
			"SPDXID": "SPDXRef-Package-" + strconv.Itoa(i), "name": p.name, "versionInfo": p.version,
			"licenseConcluded": p.license, "downloadLocation": "NOASSERTION",
			"externalRefs": []map[string]string{{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": p.purl}},
		})
	}
	b, _ := json.Marshal(map[string]any{
		"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": repo + ":v" + version,
		"creationInfo": map[string]any{"created": created.Format(time.RFC3339), "creators": []string{"Tool: card-catalog-demo"}},
		"packages":     list,
	})
	return b
}
