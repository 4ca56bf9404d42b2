// Package search ranks names against what a person types, as fuzzy.Find
// does, fast enough for 100,000 names a keystroke, and says which letters
// matched.
package search
