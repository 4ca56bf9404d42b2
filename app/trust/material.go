package trust

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/tuf"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/theupdateframework/go-tuf/v2/metadata/fetcher"
)

// publicGood is Sigstore's public-good trusted root as sigstore-go v1.3.0
// ships it (examples/trusted-root-public-good.json): what verifies
// signatures made with cosign's defaults when nothing fresher was fetched.
//
//go:embed roots/sigstore-public-good.json
var publicGood []byte

// PublicGoodDate is the date of the shipped snapshot: sigstore-go v1.3.0's
// release.
var PublicGoodDate = time.Date(2026, 7, 30, 0, 0, 0, 0, time.UTC)

// Names of the trust material kept on this computer.
const (
	PublicGoodName = "Sigstore public good"
	// SourceShipped and the others say where a root came from.
	SourceShipped  = "shipped with Card Catalog"
	SourceTUF      = "refreshed through TUF"
	SourceImported = "imported"
	SourceFile     = "given on the command line"
	// trustedRootTarget is the TUF target that holds a trusted root.
	trustedRootTarget = "trusted_root.json"
	// maxRootBytes and maxKeyBytes bound a file the user imports.
	maxRootBytes = 4 << 20
	maxKeyBytes  = 64 << 10
)

// Root is one trusted root: the Fulcio CAs, Rekor logs, CT logs and
// timestamp authorities a Sigstore instance (public good, GitHub, a
// company's own) vouches with.
type Root struct {
	Name string
	// Source says where it came from; Date when this copy was taken
	// (shown in every verdict: an old root misses newer keys).
	Source   string
	Date     time.Time
	Material root.TrustedMaterial
	// hasCTLogs: certificates it issues carry SCTs to check.
	hasCTLogs bool
}

// Key is a public key the user trusts (cosign's --key).
type Key struct {
	Name string
	// Fingerprint is the SHA-256 of the key's DER form, in hex.
	Fingerprint string
	Public      crypto.PublicKey
	verifier    signature.Verifier
}

// Certificate is a certificate the user trusts to sign with Notation (a
// root or intermediate CA, or the signer's own).
type Certificate struct {
	Name     string
	Cert     *x509.Certificate
	Imported time.Time
}

// Material is every root, key and certificate verification may use.
type Material struct {
	Roots        []Root
	Keys         []Key
	Certificates []Certificate
}

// ParseRoot reads a trusted_root.json; a file of several lines (what
// `gh attestation trusted-root` writes) gives a root per line.
func ParseRoot(name, source string, date time.Time, raw []byte) ([]Root, error) {
	var roots []Root
	docs := [][]byte{raw}
	if bytes.Count(bytes.TrimSpace(raw), []byte("\n")) > 0 && !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{\n")) {
		docs = nil
		sc := bufio.NewScanner(bytes.NewReader(raw))
		sc.Buffer(nil, maxRootBytes)
		for sc.Scan() {
			if line := bytes.TrimSpace(sc.Bytes()); len(line) > 0 {
				docs = append(docs, slices.Clone(line))
			}
		}
	}
	for i, doc := range docs {
		tr, err := root.NewTrustedRootFromJSON(doc)
		if err != nil {
			return nil, fmt.Errorf("%s is not a Sigstore trusted root: %w", name, err)
		}
		n := name
		if len(docs) > 1 {
			n = fmt.Sprintf("%s (%d of %d)", name, i+1, len(docs))
		}
		roots = append(roots, Root{Name: n, Source: source, Date: date, Material: tr, hasCTLogs: len(tr.CTLogs()) > 0})
	}
	if len(roots) == 0 {
		return nil, fmt.Errorf("%s holds no trusted root", name)
	}
	return roots, nil
}

// PublicGood is the shipped snapshot of Sigstore's public-good root.
func PublicGood() Root {
	roots, err := ParseRoot(PublicGoodName, SourceShipped, PublicGoodDate, publicGood)
	if err != nil {
		panic("the shipped trusted root does not parse: " + err.Error())
	}
	return roots[0]
}

// ParseKey reads a PEM public key (cosign.pub).
func ParseKey(name string, pemBytes []byte) (Key, error) {
	pub, err := cryptoutils.UnmarshalPEMToPublicKey(pemBytes)
	if err != nil {
		return Key{}, fmt.Errorf("%s is not a PEM public key: %w", name, err)
	}
	return NewKey(name, pub)
}

// NewKey makes a Key of a public key (ECDSA, RSA or Ed25519).
func NewKey(name string, pub crypto.PublicKey) (Key, error) {
	v, err := signature.LoadVerifier(pub, crypto.SHA256)
	if err != nil {
		return Key{}, fmt.Errorf("%s: %w", name, err)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return Key{}, fmt.Errorf("%s: %w", name, err)
	}
	sum := sha256.Sum256(der)
	return Key{Name: name, Fingerprint: hex.EncodeToString(sum[:]), Public: pub, verifier: v}, nil
}

// Store keeps the trust material on this computer: roots and public keys
// the user imported (files in the config directory: public material, no
// secrets), the policy, and the roots refreshed through TUF (in the cache
// directory).
type Store struct {
	// Dir holds roots/, keys/ and policy.json.
	Dir string
	// CacheDir holds what TUF fetched.
	CacheDir string
}

// DefaultStore is the store in the user's config and cache directories.
func DefaultStore() (Store, error) {
	config, err := os.UserConfigDir()
	if err != nil {
		return Store{}, err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return Store{}, err
	}
	return Store{Dir: filepath.Join(config, "card-catalog", "trust"), CacheDir: filepath.Join(cache, "card-catalog", "trust")}, nil
}

var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func checkName(name string) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("%q: a name is letters, digits, '.', '_' and '-', up to 64", name)
	}
	return nil
}

// ImportRoot checks raw is a trusted root and keeps it under name.
func (s Store) ImportRoot(name string, raw []byte) error {
	return s.importFile("roots", name, ".json", raw, maxRootBytes, "trusted root", func() error {
		_, err := ParseRoot(name, SourceImported, time.Now(), raw)
		return err
	})
}

// ImportKey checks pemBytes is a public key and keeps it under name.
func (s Store) ImportKey(name string, pemBytes []byte) error {
	return s.importFile("keys", name, ".pem", pemBytes, maxKeyBytes, "public key", func() error {
		if bytes.Contains(pemBytes, []byte("PRIVATE KEY")) {
			return fmt.Errorf("%s is a private key: import the public key only", name)
		}
		_, err := ParseKey(name, pemBytes)
		return err
	})
}

// ImportCertificate checks pemBytes holds a certificate and keeps it
// under name, for Notation signatures.
func (s Store) ImportCertificate(name string, pemBytes []byte) error {
	return s.importFile("certs", name, ".pem", pemBytes, maxKeyBytes, "certificate", func() error {
		_, err := ParseCertificates(name, time.Now(), pemBytes)
		return err
	})
}

// importFile keeps b as kind/name+ext once name is a plain name, b is
// under limit, and check accepts it.
func (s Store) importFile(kind, name, ext string, b []byte, limit int, what string, check func() error) error {
	if err := checkName(name); err != nil {
		return err
	}
	if len(b) > limit {
		return fmt.Errorf("%s: more than %d bytes is no %s", name, limit, what)
	}
	if err := check(); err != nil {
		return err
	}
	return writeFile(filepath.Join(s.Dir, kind, name+ext), b)
}

// ParseCertificates reads PEM certificates.
func ParseCertificates(name string, imported time.Time, pemBytes []byte) ([]Certificate, error) {
	certs, err := cryptoutils.UnmarshalCertificatesFromPEM(pemBytes)
	if err != nil || len(certs) == 0 {
		return nil, fmt.Errorf("%s holds no PEM certificate", name)
	}
	var out []Certificate
	for _, c := range certs {
		out = append(out, Certificate{Name: name, Cert: c, Imported: imported})
	}
	return out, nil
}

// Remove forgets an imported root ("roots"), key ("keys") or certificate
// ("certs").
func (s Store) Remove(kind, name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	ext := map[string]string{"roots": ".json", "keys": ".pem", "certs": ".pem"}[kind]
	if ext == "" {
		return fmt.Errorf("%q: remove a root or a key", kind)
	}
	return os.Remove(filepath.Join(s.Dir, kind, name+ext))
}

func writeFile(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Load is the material verification uses: the public-good root (the copy
// refreshed through TUF when there is one, else the shipped snapshot), and
// every root and key imported. A file that no longer parses is left out
// and said in the error, with the rest still returned.
func (s Store) Load() (*Material, error) {
	m := &Material{}
	var problems []error
	if r, err := s.refreshed(); err == nil {
		m.Roots = append(m.Roots, r...)
	} else {
		if !errors.Is(err, os.ErrNotExist) {
			problems = append(problems, err)
		}
		m.Roots = append(m.Roots, PublicGood())
	}
	each := func(kind, ext string, limit int64, add func(name string, modTime time.Time, raw []byte) error) {
		for _, path := range s.files(kind, ext) {
			info, err := os.Stat(path)
			var raw []byte
			if err == nil {
				raw, err = readBounded(path, limit)
			}
			if err == nil {
				err = add(strings.TrimSuffix(filepath.Base(path), ext), info.ModTime().UTC(), raw)
			}
			if err != nil {
				problems = append(problems, err)
			}
		}
	}
	each("roots", ".json", maxRootBytes, func(name string, t time.Time, raw []byte) error {
		roots, err := ParseRoot(name, SourceImported, t, raw)
		m.Roots = append(m.Roots, roots...)
		return err
	})
	each("keys", ".pem", maxKeyBytes, func(name string, _ time.Time, raw []byte) error {
		k, err := ParseKey(name, raw)
		if err == nil {
			m.Keys = append(m.Keys, k)
		}
		return err
	})
	each("certs", ".pem", maxKeyBytes, func(name string, t time.Time, raw []byte) error {
		certs, err := ParseCertificates(name, t, raw)
		m.Certificates = append(m.Certificates, certs...)
		return err
	})
	return m, errors.Join(problems...)
}

func (s Store) files(kind, ext string) []string {
	if s.Dir == "" {
		return nil
	}
	paths, _ := filepath.Glob(filepath.Join(s.Dir, kind, "*"+ext))
	slices.Sort(paths)
	return paths
}

func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var b bytes.Buffer
	n, err := b.ReadFrom(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if n > limit {
		return nil, fmt.Errorf("%s: more than %d bytes", path, limit)
	}
	return b.Bytes(), nil
}

// refreshedPath is where Refresh leaves the public-good root.
func (s Store) refreshedPath() string {
	return filepath.Join(s.CacheDir, "public-good", trustedRootTarget)
}

func (s Store) refreshed() ([]Root, error) {
	if s.CacheDir == "" {
		return nil, os.ErrNotExist
	}
	info, err := os.Stat(s.refreshedPath())
	if err != nil {
		return nil, err
	}
	raw, err := readBounded(s.refreshedPath(), maxRootBytes)
	if err != nil {
		return nil, err
	}
	return ParseRoot(PublicGoodName, SourceTUF, info.ModTime().UTC(), raw)
}

// RefreshOptions say which TUF repository to refresh from; the zero value
// is Sigstore's public-good repository, trusted from the root.json that
// sigstore-go embeds.
type RefreshOptions struct {
	// Mirror is the repository's base URL; RootJSON its trusted
	// root.json, the start of TUF's chain of trust.
	Mirror   string
	RootJSON []byte
	// HTTP is the client TUF fetches with (tests give a local one).
	HTTP *http.Client
}

// Refresh fetches the public-good trusted root through TUF (each metadata
// file checked against the keys of the one before, from the embedded
// root.json) into the cache, for Load to use from then on.
func (s Store) Refresh(ctx context.Context, o RefreshOptions) (Root, error) {
	if s.CacheDir == "" {
		return Root{}, errors.New("no cache directory to keep the refreshed root in")
	}
	opts := tuf.DefaultOptions()
	opts.CachePath = filepath.Join(s.CacheDir, "tuf")
	opts.CacheValidity = tuf.NoCache
	opts = opts.WithContext(ctx)
	if o.Mirror != "" {
		opts.RepositoryBaseURL = o.Mirror
	}
	if o.RootJSON != nil {
		opts.Root = o.RootJSON
	}
	f := fetcher.NewDefaultFetcher()
	if o.HTTP != nil {
		f.SetHTTPClient(o.HTTP)
	}
	opts.Fetcher = f
	client, err := tuf.New(opts)
	if err != nil {
		return Root{}, fmt.Errorf("TUF: %w", err)
	}
	raw, err := client.GetTarget(trustedRootTarget)
	if err != nil {
		return Root{}, fmt.Errorf("TUF: %w", err)
	}
	roots, err := ParseRoot(PublicGoodName, SourceTUF, time.Now().UTC(), raw)
	if err != nil {
		return Root{}, err
	}
	if err := writeFile(s.refreshedPath(), raw); err != nil {
		return Root{}, err
	}
	return roots[0], nil
}

// PublicGoodJSON is the shipped trusted_root.json as it is written.
func PublicGoodJSON() []byte { return slices.Clone(publicGood) }
