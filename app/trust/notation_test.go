package trust_test

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/notaryproject/notation-core-go/signature"

	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/app/trust/trusttest"
)

// notaryChain is a root CA and a code-signing leaf under it.
func notaryChain(t *testing.T, name string) (leaf, root *x509.Certificate, key *ecdsa.PrivateKey) {
	t.Helper()
	rootKey := trusttest.KeyFromSeed(name + " root")
	now := time.Now()
	rootTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name + " Root CA", Organization: []string{name}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, rootTmpl, rootTmpl, rootKey.Public(), rootKey)
	if err != nil {
		t.Fatal(err)
	}
	root, _ = x509.ParseCertificate(der)
	key = trusttest.KeyFromSeed(name + " leaf")
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "release\u001b[31m signer", Organization: []string{name}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}, BasicConstraintsValid: true}
	der, err = x509.CreateCertificate(rand.Reader, leafTmpl, root, key.Public(), rootKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ = x509.ParseCertificate(der)
	return leaf, root, key
}

func notarySign(t *testing.T, mediaType, digest string, size int64, leaf, root *x509.Certificate, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	signer, err := signature.NewLocalSigner([]*x509.Certificate{leaf, root}, key)
	if err != nil {
		t.Fatal(err)
	}
	env, err := signature.NewEnvelope(mediaType)
	if err != nil {
		t.Fatal(err)
	}
	payload := `{"targetArtifact":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"` + digest + `","size":` + big.NewInt(size).String() + `}}`
	raw, err := env.Sign(&signature.SignRequest{
		Payload:       signature.Payload{ContentType: "application/vnd.cncf.notary.payload.v1+json", Content: []byte(payload)},
		Signer:        signer,
		SigningTime:   time.Now(),
		SigningScheme: signature.SigningSchemeX509,
		SigningAgent:  "notation-go/1.3.0",
	})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestNotationSignatures(t *testing.T) {
	leaf, root, key := notaryChain(t, "Acme")
	_, otherRoot, _ := notaryChain(t, "Other")
	for _, mt := range []string{"application/jose+json", "application/cose"} {
		t.Run(mt, func(t *testing.T) {
			f := newFixture(t)
			sig := notarySign(t, mt, f.digest, f.desc.Size, leaf, root, key)
			trusttest.Push(t, f.host, f.repo, "", []trusttest.Blob{{Data: sig, MediaType: mt}}, trust.MediaNotation, &f.desc)
			trusted := &trust.Material{Certificates: []trust.Certificate{{Name: "acme-root", Cert: root, Imported: time.Now()}}}

			v := one(t, f.verify(t, trusted))
			if !v.Verified || v.What != "Notation signature" || v.TrustRoot != "certificate acme-root" {
				t.Fatalf("%+v", v)
			}
			if !strings.Contains(v.Signer.Subject, "CN=release\x1b[31m signer") {
				t.Errorf("subject %q", v.Signer.Subject)
			}
			other := &trust.Material{Certificates: []trust.Certificate{{Name: "other", Cert: otherRoot}}}
			if v := one(t, f.verify(t, other)); v.Verified || !strings.Contains(v.Problem, "does not chain to a certificate you trust") {
				t.Errorf("another root: %+v", v)
			}
			if v := one(t, f.verify(t, &trust.Material{})); v.Verified || !strings.Contains(v.Signer.Subject, "release") {
				t.Errorf("no certificate: %+v", v)
			}
		})
	}
	t.Run("over another digest", func(t *testing.T) {
		f := newFixture(t)
		sig := notarySign(t, "application/jose+json", "sha256:"+strings.Repeat("0", 64), 10, leaf, root, key)
		trusttest.Push(t, f.host, f.repo, "", []trusttest.Blob{{Data: sig, MediaType: "application/jose+json"}}, trust.MediaNotation, &f.desc)
		v := one(t, f.verify(t, &trust.Material{Certificates: []trust.Certificate{{Name: "acme-root", Cert: root}}}))
		if v.Verified || !strings.Contains(v.Problem, "not this image") {
			t.Errorf("%+v", v)
		}
	})
	t.Run("tampered", func(t *testing.T) {
		f := newFixture(t)
		sig := notarySign(t, "application/jose+json", f.digest, f.desc.Size, leaf, root, key)
		tampered := []byte(strings.Replace(string(sig), `"signature":"`, `"signature":"AAAA`, 1))
		trusttest.Push(t, f.host, f.repo, "", []trusttest.Blob{{Data: tampered, MediaType: "application/jose+json"}}, trust.MediaNotation, &f.desc)
		if v := one(t, f.verify(t, &trust.Material{Certificates: []trust.Certificate{{Name: "acme-root", Cert: root}}})); v.Verified {
			t.Errorf("a tampered signature verified")
		}
	})
}
