package trust_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/app/trust/trusttest"
)

// BenchmarkVerifyBesideCosign verifies one key-signed image (a legacy
// .sig tag on a loopback registry) as card-catalog verify does and as
// `cosign verify --key --insecure-ignore-tlog` does, offline. cosign comes
// from CARD_CATALOG_PEERS (make bench installs it there); without it the
// cosign half is skipped. Each op is one whole verification: discovery,
// the reads, the check (cosign's includes starting its process).
func BenchmarkVerifyBesideCosign(b *testing.B) {
	f := newFixture(b)
	k := trusttest.KeyFromSeed("bench")
	payload := trusttest.SimpleSigning(f.host+"/"+f.repo, f.digest)
	trusttest.Push(b, f.host, f.repo, f.cosignTag(".sig"), []trusttest.Blob{{Data: payload, MediaType: trust.MediaSimpleSign, Annotations: trusttest.KeyAnnotations(trusttest.SignWithKey(k, payload))}}, "", nil)
	key, _ := trust.ParseKey("bench", trusttest.PublicPEM(k))
	v := trust.Verifier{Material: &trust.Material{Keys: []trust.Key{key}}}
	b.Run("card-catalog", func(b *testing.B) {
		for b.Loop() {
			tree, err := trust.Discover(context.Background(), f.client, f.ref)
			if err != nil {
				b.Fatal(err)
			}
			if v.Verify(context.Background(), f.client, tree).Outcome() != trust.OutcomeVerified {
				b.Fatal("not verified")
			}
		}
	})
	b.Run("cosign", func(b *testing.B) {
		peers := os.Getenv("CARD_CATALOG_PEERS")
		if peers == "" {
			b.Skip("CARD_CATALOG_PEERS is not set (make bench sets it)")
		}
		dir := b.TempDir()
		keyPath, rootPath := filepath.Join(dir, "cosign.pub"), filepath.Join(dir, "trusted_root.json")
		os.WriteFile(keyPath, trusttest.PublicPEM(k), 0o644)
		os.WriteFile(rootPath, trust.PublicGoodJSON(), 0o644)
		for b.Loop() {
			cmd := exec.Command(filepath.Join(peers, "cosign"), "verify", "--key", keyPath, "--insecure-ignore-tlog", "--offline",
				"--trusted-root", rootPath, "--allow-http-registry", "--allow-insecure-registry", f.host+"/"+f.repo+"@"+f.digest)
			// Whatever cosign would fetch from outside goes to a closed
			// loopback port, never to the network.
			cmd.Env = append(os.Environ(), "HTTPS_PROXY=http://127.0.0.1:9", "HTTP_PROXY=http://127.0.0.1:9", "NO_PROXY=127.0.0.1,localhost",
				"TUF_ROOT="+filepath.Join(dir, "tuf"), "HOME="+dir)
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("cosign: %v\n%s", err, out)
			}
		}
	})
}
