package trust_test

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/theupdateframework/go-tuf/v2/metadata"

	"github.com/card-catalog/card-catalog/app/trust"
)

// tufRepository is a TUF repository of one target, trusted_root.json,
// signed for every role by one key, served on loopback with consistent
// snapshots as Sigstore's is.
func tufRepository(t *testing.T, target []byte) (srv *httptest.Server, rootJSON []byte, served map[string][]byte) {
	t.Helper()
	priv := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	signer, err := signature.LoadSigner(priv, crypto.Hash(0))
	if err != nil {
		t.Fatal(err)
	}
	key, err := metadata.KeyFromPublicKey(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	expires := time.Now().Add(24 * time.Hour)
	root := metadata.Root(expires)
	root.Signed.ConsistentSnapshot = true
	for _, role := range []string{"root", "targets", "snapshot", "timestamp"} {
		if err := root.Signed.AddKey(key, role); err != nil {
			t.Fatal(err)
		}
	}
	targets := metadata.Targets(expires)
	tf, err := metadata.TargetFile().FromBytes("trusted_root.json", target, "sha256")
	if err != nil {
		t.Fatal(err)
	}
	targets.Signed.Targets["trusted_root.json"] = tf
	snapshot := metadata.Snapshot(expires)
	snapshot.Signed.Meta["targets.json"] = metadata.MetaFile(targets.Signed.Version)
	timestamp := metadata.Timestamp(expires)
	timestamp.Signed.Meta["snapshot.json"] = metadata.MetaFile(snapshot.Signed.Version)
	served = map[string][]byte{}
	sign := func(name string, m interface {
		Sign(signature.Signer) (*metadata.Signature, error)
		ToBytes(bool) ([]byte, error)
	}) {
		if _, err := m.Sign(signer); err != nil {
			t.Fatal(err)
		}
		b, err := m.ToBytes(false)
		if err != nil {
			t.Fatal(err)
		}
		served[name] = b
	}
	sign("/1.root.json", root)
	sign("/1.targets.json", targets)
	sign("/1.snapshot.json", snapshot)
	sign("/timestamp.json", timestamp)
	sum := sha256.Sum256(target)
	served["/targets/"+hex.EncodeToString(sum[:])+".trusted_root.json"] = target
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := served[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv, served["/1.root.json"], served
}

func TestRefreshThroughTUF(t *testing.T) {
	target := trust.PublicGoodJSON()
	srv, rootJSON, served := tufRepository(t, target)
	store := trust.Store{Dir: t.TempDir(), CacheDir: t.TempDir()}
	r, err := store.Refresh(context.Background(), trust.RefreshOptions{Mirror: srv.URL, RootJSON: rootJSON, HTTP: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if r.Source != trust.SourceTUF || time.Since(r.Date) > time.Minute {
		t.Errorf("%+v", r)
	}
	m, err := store.Load()
	if err != nil || m.Roots[0].Source != trust.SourceTUF {
		t.Fatalf("%v: %+v", err, m.Roots)
	}

	t.Run("a target that is not what the targets role signed", func(t *testing.T) {
		for path := range served {
			if strings.HasPrefix(path, "/targets/") {
				served[path] = append([]byte(nil), served[path][:len(served[path])-2]...)
			}
		}
		store := trust.Store{Dir: t.TempDir(), CacheDir: t.TempDir()}
		if _, err := store.Refresh(context.Background(), trust.RefreshOptions{Mirror: srv.URL, RootJSON: rootJSON, HTTP: srv.Client()}); err == nil {
			t.Fatal("a tampered target was taken")
		}
		if m, _ := store.Load(); m.Roots[0].Source != trust.SourceShipped {
			t.Errorf("after a failed refresh: %+v", m.Roots[0])
		}
	})
	t.Run("metadata signed by another key", func(t *testing.T) {
		// A root.json naming other keys does not trust this repository's
		// timestamp.
		srv, _, _ := tufRepository(t, target)
		store := trust.Store{Dir: t.TempDir(), CacheDir: t.TempDir()}
		if _, err := store.Refresh(context.Background(), trust.RefreshOptions{Mirror: srv.URL, RootJSON: differentKeyRoot(t), HTTP: srv.Client()}); err == nil {
			t.Fatal("metadata signed by a key the root does not name was taken")
		}
	})
}

// differentKeyRoot is a root.json naming another key for every role.
func differentKeyRoot(t *testing.T) []byte {
	seed := make([]byte, ed25519.SeedSize)
	seed[0] = 1
	priv := ed25519.NewKeyFromSeed(seed)
	signer, _ := signature.LoadSigner(priv, crypto.Hash(0))
	key, _ := metadata.KeyFromPublicKey(priv.Public())
	root := metadata.Root(time.Now().Add(24 * time.Hour))
	root.Signed.ConsistentSnapshot = true
	for _, role := range []string{"root", "targets", "snapshot", "timestamp"} {
		root.Signed.AddKey(key, role)
	}
	root.Sign(signer)
	b, _ := root.ToBytes(false)
	return b
}
