// Package humane writes amounts as people say them: sizes ("34.5 MB",
// "1 GiB"), counts ("1 layer", "3 layers") and times ("3 days ago").
package humane
