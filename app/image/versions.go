package image

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// version is a tag read as a semantic version, loosely: "v1.2.3",
// "1.24", "3.12-slim", "2.0.0-rc.1".
type version struct {
	nums []int
	pre  string // pre-release or suffix
	ok   bool
}

func parseVersion(tag string) version {
	s := strings.TrimPrefix(strings.TrimPrefix(tag, "v"), "V")
	core, pre, _ := strings.Cut(s, "-")
	parts := strings.Split(core, ".")
	if len(parts) > 4 {
		return version{}
	}
	v := version{pre: pre, ok: true}
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || p == "" {
			return version{}
		}
		v.nums = append(v.nums, n)
	}
	return v
}

// compareVersions orders a before b when a is the newer version; releases
// come before their pre-releases.
func compareVersions(a, b version) int {
	for i := range max(len(a.nums), len(b.nums)) {
		var x, y int
		if i < len(a.nums) {
			x = a.nums[i]
		}
		if i < len(b.nums) {
			y = b.nums[i]
		}
		if x != y {
			return cmp.Compare(y, x)
		}
	}
	if (a.pre == "") != (b.pre == "") {
		if a.pre == "" {
			return -1
		}
		return 1
	}
	if c := cmp.Compare(len(b.nums), len(a.nums)); c != 0 {
		return -c
	}
	return strings.Compare(b.pre, a.pre)
}

// SortTags orders tags newest version first; tags that are not versions
// ("latest", "main") follow in name order.
func SortTags(tags []string) {
	parsed := make(map[string]version, len(tags))
	for _, t := range tags {
		parsed[t] = parseVersion(t)
	}
	slices.SortStableFunc(tags, func(a, b string) int {
		va, vb := parsed[a], parsed[b]
		switch {
		case va.ok && vb.ok:
			if c := compareVersions(va, vb); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		case va.ok:
			return -1
		case vb.ok:
			return 1
		}
		return strings.Compare(a, b)
	})
}

// NewestTag is the tag a card shows: the newest version, else "latest",
// else the last in name order.
func NewestTag(tags []string) string {
	var n newestTag
	n.add(tags)
	return n.tag()
}

// newestTag finds NewestTag of a list a page at a time, counting it: what
// it holds is what may be the answer, not the list, so that a card of a
// repository with a million tags holds two.
type newestTag struct {
	count    int
	version  string // the newest version so far
	parsed   version
	latest   bool
	greatest string
}

func (n *newestTag) add(page []string) {
	for _, t := range page {
		n.count++
		if v := parseVersion(t); v.ok && (n.version == "" || cmp.Or(compareVersions(v, n.parsed), strings.Compare(t, n.version)) < 0) {
			n.version, n.parsed = t, v
		}
		n.latest = n.latest || t == "latest"
		n.greatest = max(n.greatest, t)
	}
	// Their own bytes, not the page's.
	n.version, n.greatest = strings.Clone(n.version), strings.Clone(n.greatest)
}

func (n *newestTag) tag() string {
	switch {
	case n.version != "":
		return n.version
	case n.latest:
		return "latest"
	}
	return n.greatest
}
