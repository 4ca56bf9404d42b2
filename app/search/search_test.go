package search

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/sahilm/fuzzy"
)

// names100k makes 100,000 repository names shaped like real ones.
func names100k() []string {
	r := rand.New(rand.NewPCG(1, 2))
	teams := []string{"team-a", "team-b", "platform", "data", "ml", "security", "edge", "payments", "search", "infra", "web", "mobile"}
	words := []string{"api", "worker", "gateway", "ledger", "payments", "search", "indexer", "scheduler", "auth", "proxy",
		"cache", "queue", "billing", "reports", "notifier", "frontend", "backend", "python", "node", "golang", "otel",
		"collector", "agent", "runner", "builder", "loader", "exporter", "postgres", "redis", "kafka", "connect"}
	out := make([]string, 100000)
	for i := range out {
		ns := teams[r.IntN(len(teams))]
		if r.IntN(3) == 0 {
			ns += "/" + words[r.IntN(len(words))]
		}
		out[i] = fmt.Sprintf("%s/%s-%s-%d", ns, words[r.IntN(len(words))], words[r.IntN(len(words))], i%977)
	}
	return out
}

// The queries the benchmarks type, a character at a time.
var typed = []string{"paymentsapi", "team-a/ledger", "otelcol", "kafkaconnect", "mlrunner"}

func TestSearchRanksLikeFuzzyFind(t *testing.T) {
	names := names100k()[:30000]
	s := New(names)
	for _, q := range append(typed, "zz", "a", "A/B", "ü") {
		for i := 1; i <= len(q); i++ {
			prefix := q[:i]
			got := s.Search(prefix)
			want := fuzzy.Find(prefix, names)
			if got.Len() != len(want) {
				t.Fatalf("%q: %d matches, fuzzy.Find %d", prefix, got.Len(), len(want))
			}
			// Check the ranked head, and the lazily sorted tail.
			for _, k := range []int{0, 1, 10, topRanks - 1, topRanks, topRanks + 7, len(want) - 1} {
				if k >= 0 && k < len(want) && got.At(k) != want[k].Str {
					t.Fatalf("%q: rank %d is %q, fuzzy.Find has %q", prefix, k, got.At(k), want[k].Str)
				}
			}
		}
		s.Search("") // start over, as when the box is cleared
	}
	if r := s.Search(""); r.Len() != len(names) || r.At(5) != names[5] {
		t.Error("the empty query does not give every name in order")
	}
}

func TestHighlights(t *testing.T) {
	if got := Highlights("pyt", "library/python"); fmt.Sprint(got) != "[8 9 10]" {
		t.Errorf("%v", got)
	}
	if Highlights("zzz", "library/python") != nil {
		t.Error("highlights for no match")
	}
}

func typeQueries(b *testing.B, search func(string) int) {
	keystrokes := 0
	for b.Loop() {
		for _, q := range typed {
			for i := 1; i <= len(q); i++ {
				search(q[:i])
				keystrokes++
			}
			search("")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(keystrokes), "ms/keystroke")
}

// BenchmarkSearch100k types the queries into the Searcher, a keystroke at a
// time, and reads the first screen of results.
func BenchmarkSearch100k(b *testing.B) {
	s := New(names100k())
	typeQueries(b, func(q string) int {
		r := s.Search(q)
		for i := 0; i < min(60, r.Len()); i++ {
			_ = r.At(i)
		}
		return r.Len()
	})
}

// BenchmarkSearch100kBaseline types the same queries into plain fuzzy.Find.
func BenchmarkSearch100kBaseline(b *testing.B) {
	names := names100k()
	typeQueries(b, func(q string) int {
		if q == "" {
			return len(names)
		}
		return len(fuzzy.Find(q, names))
	})
}

func FuzzScoreAgreesWithFuzzy(f *testing.F) {
	f.Add("pyt", "library/python")
	f.Add("aB", "fooAbarB")
	f.Add("ü", "Über/ünicode")
	f.Add("a", "a\x00a")
	f.Add("--", "a-b-c")
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if pattern == "" {
			return
		}
		want := fuzzy.Find(pattern, []string{s})
		score, ok := fuzzyScore([]rune(pattern), s)
		if ok != (len(want) == 1) || ok && score != want[0].Score {
			t.Fatalf("%q in %q: %d %v, fuzzy says %v", pattern, s, score, ok, want)
		}
	})
}
