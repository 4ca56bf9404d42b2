// Package ui is Card Catalog's window: the sidebar of registries, the card
// grid of repositories and the dialogs. It only shows things; it asks package
// app for data and receives it on pool goroutines, handing each result to the
// UI goroutine with fyne.Do. Nothing here waits on the network.
package ui
