// Package app holds the state of Card Catalog (the registries in the sidebar,
// settings, the demo registry) and the worker pool that runs registry work in
// the background with priorities and cancellation, reads the files inside
// images, keeps what was read in the disk cache (and answers from it when a
// registry cannot be reached), and knows the kinds of registry: how each is
// addressed, signed in to and listed. It has no widgets: ui asks it for data, and it answers through
// callbacks on pool goroutines, which ui hands to the UI goroutine with
// fyne.Do.
package app
