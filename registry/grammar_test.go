package registry

import (
	"regexp"
	"strings"
	"testing"
)

// The grammars as distribution writes them, to hold the hand-written checks to.
var (
	repositoryRE = regexp.MustCompile(`^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*$`)
	tagRE        = regexp.MustCompile(`^[\w][\w.-]{0,127}$`)
)

func TestGrammar(t *testing.T) {
	for _, s := range []string{"library/alpine", "a", "a__b", "a---b/c.d_e", "team-a/ledger", "0/1/2",
		"A", "a_", "_a", "a//b", "/a", "a/", "a..b", "a___b", "a-", "a\x1b[2J", "a\nb", "a b", "é", "",
		strings.Repeat("a", 255), strings.Repeat("a", 256)} {
		want := repositoryRE.MatchString(s) && len(s) <= 255
		if got := ValidRepositoryName(s); got != want {
			t.Errorf("ValidRepositoryName(%q) = %v, want %v", s, got, want)
		}
	}
	for _, s := range []string{"latest", "3.12", "v1.0-rc_1", "_x", "X", ".x", "-x", "a b", "a\x1b", "",
		strings.Repeat("a", 128), strings.Repeat("a", 129), "a/b", "a:b"} {
		if got, want := ValidTag(s), tagRE.MatchString(s); got != want {
			t.Errorf("ValidTag(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzGrammar(f *testing.F) {
	for _, s := range []string{"library/alpine", "a__b", "a--b", "x\x1b", "3.12"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ValidRepositoryName(s), repositoryRE.MatchString(s) && len(s) <= 255; got != want {
			t.Fatalf("ValidRepositoryName(%q) = %v, want %v", s, got, want)
		}
		if got, want := ValidTag(s), tagRE.MatchString(s); got != want {
			t.Fatalf("ValidTag(%q) = %v, want %v", s, got, want)
		}
	})
}
