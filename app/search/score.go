package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The scoring of github.com/sahilm/fuzzy v0.1.3 (MIT), kept step for step
// but without allocating: fuzzy.Find records every matched index of every
// name, and at 100,000 names that allocation is most of its time. Only the
// count and the last matched index take part in the score, so they are all
// this keeps. TestSearchRanksLikeFuzzyFind and FuzzScoreAgreesWithFuzzy hold
// it to the library's results.
const (
	firstCharMatchBonus            = 10
	matchFollowingSeparatorBonus   = 20
	camelCaseMatchBonus            = 20
	adjacentMatchBonus             = 5
	unmatchedLeadingCharPenalty    = -5
	maxUnmatchedLeadingCharPenalty = -15
)

// fuzzyScore returns fuzzy.Find's score of s for pattern, and whether s
// matches at all.
func fuzzyScore(pattern []rune, s string) (int, bool) {
	if nul := strings.IndexByte(s, 0); nul > -1 {
		s = s[:nul]
	}
	if lower, ok := asciiLower(pattern); ok {
		if score, matched, ascii := asciiScore(lower, s); ascii {
			return score, matched
		}
	}
	return runeScore(pattern, s)
}

// asciiLower lowers an ASCII pattern; ok is false for any other.
func asciiLower(pattern []rune) ([]byte, bool) {
	out := make([]byte, len(pattern))
	for i, r := range pattern {
		if r >= utf8.RuneSelf || r == 0 {
			return nil, false
		}
		out[i] = lowerASCII(byte(r))
	}
	return out, true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// asciiScore is runeScore for an ASCII pattern (lowered) and name; ascii is
// false, and nothing else meaningful, when the name has a non-ASCII byte.
// Case-folding an ASCII letter only ever meets its other case here, and a
// lower-case last character is never followed by an upper-case one by
// accident: the bonuses come out as runeScore's.
func asciiScore(pattern []byte, s string) (total int, matched, ascii bool) {
	count, lastMatch := 0, -1
	patternIndex, bestScore, matchedIndex, adjacentBonus := 0, -1, -1, 0
	var last byte
	for j := 0; j < len(s); j++ {
		c := s[j]
		if c >= utf8.RuneSelf {
			return 0, false, false
		}
		if lowerASCII(c) == pattern[patternIndex] {
			score := 0
			if j == 0 {
				score += firstCharMatchBonus
			}
			if 'a' <= last && last <= 'z' && 'A' <= c && c <= 'Z' {
				score += camelCaseMatchBonus
			}
			if j != 0 && isSeparator(rune(last)) {
				score += matchFollowingSeparatorBonus
			}
			if count > 0 && lastMatch == j-1 {
				bonus := adjacentBonus*2 + adjacentMatchBonus
				score += bonus
				adjacentBonus += bonus
			}
			if score > bestScore {
				bestScore = score
				matchedIndex = j
			}
		}
		var commit bool
		if j+1 < len(s) {
			if next := s[j+1]; next >= utf8.RuneSelf {
				return 0, false, false
			} else if patternIndex < len(pattern)-1 {
				commit = lowerASCII(next) == pattern[patternIndex+1]
			}
		} else {
			commit = true
		}
		if commit && matchedIndex > -1 {
			if count == 0 {
				bestScore += max(matchedIndex*unmatchedLeadingCharPenalty, maxUnmatchedLeadingCharPenalty)
			}
			total += bestScore
			count++
			lastMatch = matchedIndex
			bestScore = -1
			patternIndex++
			if patternIndex == len(pattern) {
				// Only the last character can commit at the end: nothing more matches.
				patternIndex--
			}
		}
		last = c
	}
	if count != len(pattern) {
		return 0, false, true
	}
	return total + count - len(s), true, true
}

// runeScore is the library's loop, for any pattern and name.
func runeScore(pattern []rune, s string) (int, bool) {
	total, matched, lastMatch := 0, 0, -1
	score, patternIndex, bestScore, matchedIndex, adjacentBonus := 0, 0, -1, -1, 0
	var last rune
	var lastIndex int
	nextc, nextSize := utf8.DecodeRuneInString(s)
	var candidate rune
	var candidateSize int
	for j := 0; j < len(s); j += candidateSize {
		candidate, candidateSize = nextc, nextSize
		if equalFold(candidate, pattern[patternIndex]) {
			score = 0
			if j == 0 {
				score += firstCharMatchBonus
			}
			if unicode.IsLower(last) && unicode.IsUpper(candidate) {
				score += camelCaseMatchBonus
			}
			if j != 0 && isSeparator(last) {
				score += matchFollowingSeparatorBonus
			}
			if matched > 0 && lastMatch == lastIndex {
				bonus := adjacentBonus*2 + adjacentMatchBonus
				score += bonus
				adjacentBonus += bonus
			}
			if score > bestScore {
				bestScore = score
				matchedIndex = j
			}
		}
		var nextp rune
		if patternIndex < len(pattern)-1 {
			nextp = pattern[patternIndex+1]
		}
		if j+candidateSize < len(s) {
			if s[j+candidateSize] < utf8.RuneSelf {
				nextc, nextSize = rune(s[j+candidateSize]), 1
			} else {
				nextc, nextSize = utf8.DecodeRuneInString(s[j+candidateSize:])
			}
		} else {
			nextc, nextSize = 0, 0
		}
		if (equalFold(nextp, nextc) || nextc == 0) && matchedIndex > -1 {
			if matched == 0 {
				bestScore += max(matchedIndex*unmatchedLeadingCharPenalty, maxUnmatchedLeadingCharPenalty)
			}
			total += bestScore
			matched++
			lastMatch = matchedIndex
			score, bestScore = 0, -1
			patternIndex++
		}
		lastIndex = j
		last = candidate
	}
	if matched != len(pattern) {
		return 0, false
	}
	return total + matched - len(s), true
}

func equalFold(tr, sr rune) bool {
	if tr == sr {
		return true
	}
	if tr < sr {
		tr, sr = sr, tr
	}
	if tr < utf8.RuneSelf {
		return 'A' <= sr && sr <= 'Z' && tr == sr+'a'-'A'
	}
	r := unicode.SimpleFold(sr)
	for r != sr && r < tr {
		r = unicode.SimpleFold(r)
	}
	return r == tr
}

func isSeparator(r rune) bool {
	switch r {
	case '/', '-', '_', ' ', '.', '\\':
		return true
	}
	return false
}
