// Package ui is Card Catalog's window: the sidebar of registries, the card
// grid of repositories, the dialogs and the files of an image. It only shows
// things; it asks package app for data and receives it on pool goroutines,
// handing each result to the UI goroutine with fyne.Do. Nothing here waits on
// the network.
package ui

// Quiet under the POSIX locale, in every binary that shows the window (its
// doc says why this import must come before Fyne's initialisers, and how).
import _ "github.com/card-catalog/card-catalog/ui/posixlocale"
