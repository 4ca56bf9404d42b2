package compare

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func render(ls []Line) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteByte(byte(l.Op))
		b.WriteString(l.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

func TestLines(t *testing.T) {
	a := strings.Fields("a b c d e f g")
	b := strings.Fields("a x c d f g h")
	got, err := Lines(a, b, 100)
	if err != nil {
		t.Fatal(err)
	}
	want := " a\n-b\n+x\n c\n d\n-e\n f\n g\n+h\n"
	if render(got) != want {
		t.Fatalf("got\n%s\nwant\n%s", render(got), want)
	}
}

// Whatever the inputs, the diff's old side is a and its new side is b,
// with as few edits as an LCS allows.
func TestLinesRebuildsBothSides(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		a := randomLines(rng)
		b := randomLines(rng)
		got, err := Lines(a, b, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var oldSide, newSide []string
		edits := 0
		for _, l := range got {
			if l.Op != Added {
				oldSide = append(oldSide, l.Text)
			}
			if l.Op != Removed {
				newSide = append(newSide, l.Text)
			}
			if l.Op != Same {
				edits++
			}
		}
		if !slices.Equal(oldSide, a) || !slices.Equal(newSide, b) {
			t.Fatalf("%v → %v: %s", a, b, render(got))
		}
		if want := len(a) + len(b) - 2*lcs(a, b); edits != want {
			t.Fatalf("%d edits, the least is %d: %v → %v", edits, want, a, b)
		}
	}
}

func TestLinesGivesUpPastItsCap(t *testing.T) {
	a := make([]string, 500)
	b := make([]string, 500)
	for i := range a {
		a[i], b[i] = "a"+string(rune(i)), "b"+string(rune(i))
	}
	if _, err := Lines(a, b, 100); !errors.Is(err, ErrTooDifferent) {
		t.Fatal(err)
	}
}

func randomLines(rng *rand.Rand) []string {
	out := make([]string, rng.IntN(12))
	for i := range out {
		out[i] = string(rune('a' + rng.IntN(4)))
	}
	return out
}

func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}
