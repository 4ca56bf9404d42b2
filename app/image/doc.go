// Package image reads what is inside images: the Source seam (a registry,
// or one read through this computer's cache, KeptSource), layers listed
// as they stream (or from their tables of contents, or their kept
// listings) into trees, a file read by range and checked, a tag described
// for its card, an image inspected, two images compared down to the file,
// a config's history written like a Dockerfile. Its functions are
// synchronous: the headless commands call them, and package app runs them
// in the pool for the window.
package image
