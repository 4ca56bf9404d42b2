// Package peerbench puts Card Catalog beside crane and regctl on the same
// registries, and gathers the window's own figures (first card, memory,
// search), for make bench to write BENCHMARKS.md.
package peerbench
