package trust_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sigstore/sigstore-go/pkg/testing/ca"

	"github.com/card-catalog/card-catalog/app/pool"
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

// BenchmarkDemoCards gives the verdicts of every demo repository's last
// tag through the app's pool as the grid would ask for its cards: at
// background priority on the registry's lane (four workers), so that
// what a person is looking at goes first. ns/op is the time for all the
// cards; visible-ms is how long a visible-priority manifest read
// submitted behind them waited and ran.
func BenchmarkDemoCards(b *testing.B) {
	c, _ := demoClient(b)
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
	m := demoMaterial(b)
	jobs := pool.NewPool(4)
	defer jobs.Close()
	var visible time.Duration
	b.ReportMetric(float64(len(refs)), "cards/op")
	for b.Loop() {
		var wg sync.WaitGroup
		for _, r := range refs {
			wg.Add(1)
			pool.Submit(jobs, context.Background(), "demo", pool.Key{}, pool.PriorityBackground, func(ctx context.Context) (*trust.Result, error) {
				return trust.Check(ctx, c, r, m, trust.Policy{})
			}, func(_ *trust.Result, err error) {
				if err != nil {
					b.Error(err)
				}
				wg.Done()
			})
		}
		start := time.Now()
		wg.Add(1)
		pool.Submit(jobs, context.Background(), "demo", pool.Key{}, pool.PriorityVisible, func(ctx context.Context) (*registry.Manifest, error) {
			return c.Manifest(ctx, refs[0])
		}, func(*registry.Manifest, error) { visible += time.Since(start); wg.Done() })
		wg.Wait()
	}
	b.ReportMetric(float64(visible.Milliseconds())/float64(b.N), "visible-ms")
}
