package image

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestSortTags(t *testing.T) {
	tags := []string{"latest", "v1.4.0", "v1.10.0", "v2.0.0-rc.1", "v2.0.0", "1.9", "main", "3.12-slim", "3.12", "v1.5.1"}
	SortTags(tags)
	want := "3.12,3.12-slim,v2.0.0,v2.0.0-rc.1,v1.10.0,1.9,v1.5.1,v1.4.0,latest,main"
	if got := strings.Join(tags, ","); got != want {
		t.Errorf("%s\nwant %s", got, want)
	}
	if n := NewestTag([]string{"latest", "main"}); n != "latest" {
		t.Error(n)
	}
	if n := NewestTag([]string{"v1.4.0", "v1.10.0", "latest"}); n != "v1.10.0" {
		t.Error(n)
	}
}

// TestNewestTagPageByPage: taken a page at a time, holding two tags, the
// newest is the one sorting the whole list gives.
func TestNewestTagPageByPage(t *testing.T) {
	pool := []string{"latest", "main", "v1.4.0", "v1.10.0", "1.10", "v2.0.0-rc.1", "v2.0.0", "2.0.0", "3.12-slim", "3.12", "nightly", "zzz", "v1.5.1", "1.5.1"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		tags := make([]string, 1+rng.IntN(8))
		for i := range tags {
			tags[i] = pool[rng.IntN(len(pool))]
		}
		sorted := slices.Clone(tags)
		SortTags(sorted)
		want := sorted[0]
		if !parseVersion(want).ok {
			want = slices.Max(tags)
			if slices.Contains(tags, "latest") {
				want = "latest"
			}
		}
		var n newestTag
		for page := range slices.Chunk(tags, 3) {
			n.add(page)
		}
		if got := n.tag(); got != want || n.count != len(tags) {
			t.Fatalf("%q: %q of %d, want %q of %d", tags, got, n.count, want, len(tags))
		}
	}
}
