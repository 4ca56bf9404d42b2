package app_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/app/settings"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// BenchmarkTags50ThroughPool lists the tags of 50 repositories behind token
// auth through the pool, as the window does, and reports the token
// exchanges and /v2/ pings per repository browsed.
func BenchmarkTags50ThroughPool(b *testing.B) {
	repos := rt.Names(50, "team")
	tagLists := map[string][]string{}
	for _, r := range repos {
		for i := range 40 {
			tagLists[r] = append(tagLists[r], fmt.Sprintf("v1.%d.0", i))
		}
	}
	s, err := rt.Start(rt.Config{Ping: rt.Bearer, Default: rt.Bearer, Tags: tagLists, Repositories: repos})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	entry := settings.Entry{ID: "bench", Name: "bench", Address: s.Registry.Host, PlainHTTP: true}
	var exchanges, pings int64
	for b.Loop() {
		prefs := settings.MemoryPrefs{}
		settings.Save(prefs, settings.Settings{}) // no demo registry
		a, err := app.New(app.Options{Prefs: prefs})
		if err != nil {
			b.Fatal(err)
		}
		before, pingsBefore := s.Tokens.TotalExchanges(), s.Pings()
		var wg sync.WaitGroup
		for _, r := range repos {
			wg.Add(1)
			a.Tags(context.Background(), entry, r, pool.PriorityVisible, func(tags []string, err error) {
				if err != nil || len(tags) != 40 {
					b.Errorf("%s: %d tags, %v", r, len(tags), err)
				}
				wg.Done()
			})
		}
		wg.Wait()
		exchanges += int64(s.Tokens.TotalExchanges() - before)
		pings += s.Pings() - pingsBefore
		a.Close()
	}
	b.ReportMetric(float64(exchanges)/float64(b.N)/50, "exchanges/repo")
	b.ReportMetric(float64(pings)/float64(b.N)/50, "pings/repo")
}
