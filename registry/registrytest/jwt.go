package registrytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"strings"
	"time"
)

// Signer issues ES256 JWTs with an x5c header, as distribution's auth.token
// expects; CertPEM is its rootcertbundle.
type Signer struct {
	Issuer  string
	CertPEM []byte
	key     *ecdsa.PrivateKey
	certDER []byte
}

// NewSigner makes a key and a self-signed certificate.
func NewSigner(issuer string) (*Signer, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: issuer},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	return &Signer{Issuer: issuer, key: key, certDER: der,
		CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}, nil
}

// Sign makes a token for user granting scopes (pull and push as asked).
func (s *Signer) Sign(audience, user string, expires time.Time, scopes []string) string {
	type access struct {
		Type    string   `json:"type"`
		Name    string   `json:"name"`
		Actions []string `json:"actions"`
	}
	grants := []access{}
	for _, sc := range scopes {
		parts := strings.Split(sc, ":")
		if len(parts) < 3 {
			continue
		}
		name := strings.Join(parts[1:len(parts)-1], ":")
		grants = append(grants, access{Type: parts[0], Name: name, Actions: strings.Split(parts[len(parts)-1], ",")})
	}
	now := time.Now()
	jti := make([]byte, 8)
	rand.Read(jti)
	header := map[string]any{"alg": "ES256", "typ": "JWT", "x5c": []string{base64.StdEncoding.EncodeToString(s.certDER)}}
	claims := map[string]any{
		"iss": s.Issuer, "sub": user, "aud": audience,
		"exp": expires.Unix(), "nbf": now.Add(-time.Minute).Unix(), "iat": now.Unix(),
		"jti": hex.EncodeToString(jti), "access": grants,
	}
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	signing := enc(header) + "." + enc(claims)
	sum := sha256.Sum256([]byte(signing))
	r, sig, err := ecdsa.Sign(rand.Reader, s.key, sum[:])
	if err != nil {
		panic(err)
	}
	raw := make([]byte, 64)
	r.FillBytes(raw[:32])
	sig.FillBytes(raw[32:])
	return signing + "." + base64.RawURLEncoding.EncodeToString(raw)
}
