package trust_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sigstore/sigstore-go/pkg/testing/ca"
	"golang.org/x/sync/errgroup"

	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/app/trust/trusttest"
	"github.com/card-catalog/card-catalog/registry"
)

// A signature verified once fetched (goal: under 50 ms): a cosign key
// signature, a keyless bundle with its log entry and timestamp, and
// sigstore-go's real public-good bundle.
func BenchmarkVerifyFetched(b *testing.B) {
	digest := "sha256:" + strings.Repeat("ab", 32)
	b.Run("cosign key", func(b *testing.B) {
		k := trusttest.KeyFromSeed("bench")
		payload := trusttest.SimpleSigning("example.com/app", digest)
		ann := trusttest.KeyAnnotations(trusttest.SignWithKey(k, payload))
		key, _ := trust.ParseKey("bench", trusttest.PublicPEM(k))
		v := trust.Verifier{Material: &trust.Material{Keys: []trust.Key{key}}}
		for b.Loop() {
			if vd := v.VerifyCosign(payload, ann, digest); !vd.Verified {
				b.Fatal(vd.Problem)
			}
		}
	})
	b.Run("keyless bundle", func(b *testing.B) {
		vs, err := ca.NewVirtualSigstore()
		if err != nil {
			b.Fatal(err)
		}
		raw, err := trusttest.Bundle(vs, "ci@example.com", "https://issuer.example", trusttest.Statement(digest, "https://slsa.dev/provenance/v1", trusttest.GitHubProvenance))
		if err != nil {
			b.Fatal(err)
		}
		v := trust.Verifier{Material: &trust.Material{Roots: benchRoots(b, vs)}}
		for b.Loop() {
			if vd := v.VerifyBundle(raw, digest); !vd.Verified {
				b.Fatal(vd.Problem)
			}
		}
	})
	b.Run("public-good bundle", func(b *testing.B) {
		raw, err := os.ReadFile(filepath.Join(sigstoreGo(b), "examples", "bundle-provenance.json"))
		if err != nil {
			b.Skip(err)
		}
		v := trust.Verifier{Material: &trust.Material{Roots: []trust.Root{trust.PublicGood()}}}
		for b.Loop() {
			if vd := v.VerifyBundle(raw, "sha512:"+sigstoreJSDigest); !vd.Verified {
				b.Fatal(vd.Problem)
			}
		}
	})
}

func benchRoots(b *testing.B, vs *ca.VirtualSigstore) []trust.Root {
	raw, err := trusttest.TrustedRoot(vs)
	if err != nil {
		b.Fatal(err)
	}
	roots, err := trust.ParseRoot("virtual", trust.SourceFile, time.Now(), raw)
	if err != nil {
		b.Fatal(err)
	}
	return roots
}

// BenchmarkDemoCards gives the verdicts of every demo repository's first
// tag, as the grid asks for its cards: discovery and verification, four
// at a time (the app pool's registry workers), against the demo registry
// on loopback. ns/op is the time for all of them.
func BenchmarkDemoCards(b *testing.B) {
	c, host := demoClient(b)
	var refs []registry.Reference
	err := c.Catalog(context.Background(), func(page []string) error {
		for _, repo := range page {
			var tags []string
			r := registry.Reference{Registry: c.Registry(), Repository: repo}
			if err := c.Tags(context.Background(), r, func(p []string) error { tags = append(tags, p...); return nil }); err != nil {
				return err
			}
			r.Tag = tags[len(tags)-1]
			refs = append(refs, r)
		}
		return nil
	})
	if err != nil || len(refs) < 40 {
		b.Fatalf("%d repositories: %v", len(refs), err)
	}
	_ = host
	v := trust.Verifier{Material: demoMaterial(b)}
	b.ReportMetric(float64(len(refs)), "cards/op")
	for b.Loop() {
		g, ctx := errgroup.WithContext(context.Background())
		g.SetLimit(4)
		for _, r := range refs {
			g.Go(func() error {
				tree, err := trust.Discover(ctx, c, r)
				if err != nil {
					return err
				}
				v.Verify(ctx, c, tree)
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			b.Fatal(err)
		}
	}
}
