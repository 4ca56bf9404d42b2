package printable

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	for in, want := range map[string]string{
		"library/alpine":               "library/alpine",
		"clear\x1b[2J\x1b]0;title\x07": `clear\x1b[2J\x1b]0;title\x07`,
		"forged\nline":                 `forged\nline`,
		"tab\there\r":                  `tab\there\r`,
		"c1\u009b31m":                  `c1\u009b31m`,
		"bidi \u202egnp.exe":           `bidi \u202egnp.exe`,
		"isolate\u2066x\u2069":         `isolate\u2066x\u2069`,
		"bad \xff utf8":                `bad \xff utf8`,
		"déjà vu 日本 🐳":                 "déjà vu 日本 🐳",
		"sep\u2028para\u2029":          `sep\u2028para\u2029`,
		"del\x7f":                      `del\x7f`,
		"":                             "",
	} {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTextKeepsLines(t *testing.T) {
	if got := Text("a\n\tb\x1b[0m\r"); got != "a\n\tb\\x1b[0m\\r" {
		t.Errorf("%q", got)
	}
}

func TestJSONStaysEquivalent(t *testing.T) {
	in := map[string]string{"name": "x\u009b\u202e\x1by\n"}
	raw, _ := json.Marshal(in)
	out := JSON(raw)
	if strings.ContainsRune(string(out), 0x9b) || strings.ContainsRune(string(out), 0x202e) {
		t.Fatalf("raw control left in %s", out)
	}
	var back map[string]string
	if err := json.Unmarshal(out, &back); err != nil || back["name"] != in["name"] {
		t.Fatalf("%v: %q", err, back)
	}
}

func TestShorten(t *testing.T) {
	long := strings.Repeat("a", 100) + "/" + strings.Repeat("b", 100)
	got := Shorten(long, 21)
	if utf8.RuneCountInString(got) != 21 || !strings.HasPrefix(got, "aaaaaaaaaa…") || !strings.HasSuffix(got, "bbbbbbbbbb") {
		t.Errorf("%q", got)
	}
	if Shorten("short", 21) != "short" {
		t.Error("a short name changed")
	}
}

// terminalControl reports whether s holds anything a terminal or a text
// layout acts on.
func terminalControl(s string, keepLines bool) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if unsafe(r, keepLines) {
			return true
		}
	}
	return false
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"library/alpine", "\x1b[2J", "a\nb", "\u202e", "\xff\xfe", "\u009b", "\\x1b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		line, text := Line(s), Text(s)
		if terminalControl(line, false) || strings.ContainsAny(line, "\n\r") {
			t.Fatalf("Line(%q) = %q still controls the terminal", s, line)
		}
		if terminalControl(text, true) {
			t.Fatalf("Text(%q) = %q still controls the terminal", s, text)
		}
		if !terminalControl(s, false) && line != s {
			t.Fatalf("Line changed plain text %q to %q", s, line)
		}
	})
}

func FuzzJSON(f *testing.F) {
	for _, s := range []string{"plain", "\u009b[2J", "\u202e", "\x1b", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		raw, _ := json.Marshal([]string{s})
		out := JSON(raw)
		if terminalControl(strings.NewReplacer("\n", "", "\t", "").Replace(string(out)), true) {
			t.Fatalf("JSON(%q) = %q still controls the terminal", raw, out)
		}
		var back []string
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("JSON(%s) = %s is no longer JSON: %v", raw, out, err)
		}
		var want []string
		json.Unmarshal(raw, &want)
		if back[0] != want[0] {
			t.Fatalf("JSON changed the value: %q, want %q", back[0], want[0])
		}
	})
}

func TestClamp(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"abcdef", 3, "abc…"},
		{"ééé", 3, "é…"}, // no half rune
		{"ééé", 4, "éé…"},
		{"abc", 0, "…"},
	} {
		if got := Clamp(c.in, c.max); got != c.want {
			t.Errorf("Clamp(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}
