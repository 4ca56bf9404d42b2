// Package peerbench puts Card Catalog beside crane and regctl on the same
// registries, and gathers the window's own figures (first card, memory,
// search), for make bench to write BENCHMARKS.md. Its benchmarks are its
// tests; this file only names the package.
package peerbench
