package sbom

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Column is what a package table is sorted by.
type Column int

const (
	ByName Column = iota
	ByVersion
	ByType
	ByLicense
	ByPURL
)

func (p Package) field(c Column) string {
	switch c {
	case ByVersion:
		return p.Version
	case ByType:
		return p.Type
	case ByLicense:
		return p.License
	case ByPURL:
		return p.PURL
	}
	return p.Name
}

// Search keeps the packages whose name, version, type, licence or PURL
// holds query, ignoring case; an empty query keeps all. The list is not
// changed.
func Search(pkgs []Package, query string) []Package {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		return pkgs
	}
	var out []Package
	for _, p := range pkgs {
		for c := ByName; c <= ByPURL; c++ {
			if strings.Contains(strings.ToLower(p.field(c)), q) {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// Sort orders pkgs in place by column c, then by name and version;
// versions compare as versions ("1.10" after "1.9").
func Sort(pkgs []Package, c Column, descending bool) {
	slices.SortStableFunc(pkgs, func(a, b Package) int {
		var r int
		if c == ByVersion {
			r = CompareVersions(a.Version, b.Version)
		} else {
			r = cmp.Compare(strings.ToLower(a.field(c)), strings.ToLower(b.field(c)))
		}
		if r == 0 {
			r = cmp.Or(cmp.Compare(a.Name, b.Name), CompareVersions(a.Version, b.Version))
		}
		if descending {
			return -r
		}
		return r
	})
}

// CompareVersions orders two versions by their runs of digits as numbers
// and the rest as text: "1.9" < "1.10", "1.2.3-r0" < "1.2.3-r1". It is no
// ecosystem's exact rule, only one that sorts a table as a person
// expects.
func CompareVersions(a, b string) int {
	for a != "" && b != "" {
		ra, restA := versionRun(a)
		rb, restB := versionRun(b)
		if r := compareRun(ra, rb); r != 0 {
			return r
		}
		a, b = restA, restB
	}
	return cmp.Compare(len(a), len(b))
}

func versionRun(s string) (run, rest string) {
	digit := s[0] >= '0' && s[0] <= '9'
	i := 1
	for i < len(s) && (s[i] >= '0' && s[i] <= '9') == digit {
		i++
	}
	return s[:i], s[i:]
}

func compareRun(a, b string) int {
	na, errA := strconv.ParseUint(a, 10, 64)
	nb, errB := strconv.ParseUint(b, 10, 64)
	if errA == nil && errB == nil {
		return cmp.Compare(na, nb)
	}
	return cmp.Compare(a, b)
}

// Changes is how two SBOMs' package lists differ.
type Changes struct {
	Added   []Package
	Removed []Package
	// Upgraded are packages in both whose version changed (Downgrade
	// says when it went back).
	Upgraded []Upgrade
}

// Upgrade is one package whose version changed.
type Upgrade struct {
	Name      string `json:"name"`
	Type      string `json:"type,omitempty"`
	From      string `json:"from"`
	To        string `json:"to"`
	Downgrade bool   `json:"downgrade,omitempty"`
}

// Line is one change as diff writes it: Op '-' removed, '+' added, '~'
// upgraded or downgraded, and what changed.
type Line struct {
	Op   byte
	Text string
}

// Lines are the changes one a line: "name version (type)" removed, then
// added, then "name from → to (type)" upgraded or downgraded.
func (c Changes) Lines() []Line {
	var out []Line
	for _, r := range c.Removed {
		out = append(out, Line{'-', fmt.Sprintf("%s %s (%s)", r.Name, r.Version, r.Type)})
	}
	for _, a := range c.Added {
		out = append(out, Line{'+', fmt.Sprintf("%s %s (%s)", a.Name, a.Version, a.Type)})
	}
	for _, u := range c.Upgraded {
		out = append(out, Line{'~', fmt.Sprintf("%s %s → %s (%s)", u.Name, u.From, u.To, u.Type)})
	}
	return out
}

// Count is how many packages changed.
func (c Changes) Count() int { return len(c.Added) + len(c.Removed) + len(c.Upgraded) }

// Compare says what changed from list a (old) to list b (new). Packages
// are matched by type and name; a name with one version on each side that
// differs is an upgrade, anything else an addition or removal of each
// version.
func Compare(a, b []Package) Changes {
	type key struct{ typ, name string }
	group := func(ps []Package) map[key][]Package {
		m := map[key][]Package{}
		for _, p := range ps {
			k := key{p.Type, p.Name}
			if !slices.ContainsFunc(m[k], func(q Package) bool { return q.Version == p.Version }) {
				m[k] = append(m[k], p)
			}
		}
		return m
	}
	ga, gb := group(a), group(b)
	var c Changes
	for k, olds := range ga {
		news := gb[k]
		if len(olds) == 1 && len(news) == 1 {
			if olds[0].Version != news[0].Version {
				c.Upgraded = append(c.Upgraded, Upgrade{Name: k.name, Type: k.typ, From: olds[0].Version, To: news[0].Version,
					Downgrade: CompareVersions(news[0].Version, olds[0].Version) < 0})
			}
			continue
		}
		for _, o := range olds {
			if !slices.ContainsFunc(news, func(n Package) bool { return n.Version == o.Version }) {
				c.Removed = append(c.Removed, o)
			}
		}
		for _, n := range news {
			if !slices.ContainsFunc(olds, func(o Package) bool { return o.Version == n.Version }) {
				c.Added = append(c.Added, n)
			}
		}
	}
	for k, news := range gb {
		if _, ok := ga[k]; !ok {
			c.Added = append(c.Added, news...)
		}
	}
	Sort(c.Added, ByName, false)
	Sort(c.Removed, ByName, false)
	slices.SortFunc(c.Upgraded, func(x, y Upgrade) int { return cmp.Or(cmp.Compare(x.Name, y.Name), cmp.Compare(x.Type, y.Type)) })
	return c
}
