package trust_test

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"strings"
	"testing"
	"time"

	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/theupdateframework/go-tuf/v2/metadata"

	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/app/trust/trusttest"
)

func TestRefreshThroughTUF(t *testing.T) {
	target := trust.PublicGoodJSON()
	srv, rootJSON, served := trusttest.TUFRepository(t, target)
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
		srv, _, _ := trusttest.TUFRepository(t, target)
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
