package app

import (
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
