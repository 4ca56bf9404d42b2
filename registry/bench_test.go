package registry_test

import (
	"context"
	"testing"

	"github.com/card-catalog/card-catalog/registry"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// BenchmarkCatalog10k walks a catalog of 10,000 repositories in pages of
// 1,000 behind token auth.
func BenchmarkCatalog10k(b *testing.B) {
	s, err := rt.Start(rt.Config{Catalog: rt.Bearer, Repositories: rt.Names(10000, "ns"), MaxPage: 1000})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	c := registry.New(s.Registry)
	for b.Loop() {
		n := 0
		if err := c.Catalog(context.Background(), func(p []string) error { n += len(p); return nil }); err != nil || n != 10000 {
			b.Fatalf("%d names, %v", n, err)
		}
	}
	b.ReportMetric(float64(s.Tokens.TotalExchanges()), "exchanges")
}

// BenchmarkTokenExchangesPerRepository browses 20 repositories three
// requests each and reports token exchanges per repository.
func BenchmarkTokenExchangesPerRepository(b *testing.B) {
	s, err := rt.Start(rt.Config{Ping: rt.Bearer, Default: rt.Bearer})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	repos := []string{"library/python", "library/node", "library/golang", "library/alpine", "library/debian",
		"library/nginx", "library/redis", "library/postgres", "library/busybox", "library/ubuntu",
		"team-a/payments-api", "team-a/ledger", "team-a/web", "team-a/worker", "team-b/search",
		"team-b/recommender", "team-b/gateway", "tools/crane", "tools/skopeo", "tools/regctl"}
	var exchanges int
	for b.Loop() {
		c := registry.New(s.Registry)
		before := s.Tokens.TotalExchanges()
		for _, r := range repos {
			ref := registry.Reference{Registry: s.Registry, Repository: r}
			var tags []string
			if err := c.Tags(context.Background(), ref, func(p []string) error { tags = append(tags, p...); return nil }); err != nil {
				b.Fatal(err)
			}
			ref.Tag = tags[0]
			m, err := c.Manifest(context.Background(), ref)
			if err != nil {
				b.Fatal(err)
			}
			ref.Tag, ref.Digest = "", m.Digest
			if _, err := c.Manifest(context.Background(), ref); err != nil {
				b.Fatal(err)
			}
		}
		exchanges += s.Tokens.TotalExchanges() - before
	}
	b.ReportMetric(float64(exchanges)/float64(b.N)/float64(len(repos)), "exchanges/repo")
}
