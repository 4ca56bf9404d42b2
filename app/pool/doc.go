// Package pool runs the program's background work: a bounded number of
// goroutines per lane (one lane per registry), the highest priority first,
// identical requests in flight run once for all who asked, and work
// cancelled when nobody waits for it any more.
package pool
