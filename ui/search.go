package ui

import "github.com/sahilm/fuzzy"

// rank returns the names matching query, best first, with fuzzy.Find's
// ranking; an empty query keeps every name in order.
func rank(query string, names []string) []string {
	if query == "" {
		return names
	}
	matches := fuzzy.Find(query, names)
	out := make([]string, len(matches))
	for i, m := range matches {
		out[i] = m.Str
	}
	return out
}
