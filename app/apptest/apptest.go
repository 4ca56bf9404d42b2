// Package apptest makes the App of a test: with the settings it is given
// (kept in opts.Prefs, in memory when there are none), started, and
// closed when the test ends.
package apptest

import (
	"testing"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/settings"
)

// New starts an App with settings s and opts.
func New(t testing.TB, s settings.Settings, opts app.Options) *app.App {
	t.Helper()
	if opts.Prefs == nil {
		opts.Prefs = settings.MemoryPrefs{}
	}
	settings.Save(opts.Prefs, s)
	a, err := app.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	return a
}
