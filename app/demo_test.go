package app

import (
	"testing"

	"github.com/card-catalog/card-catalog/app/settings"
)

func TestTheDemoRegistryKeepsItsPort(t *testing.T) {
	prefs := settings.MemoryPrefs{}
	settings.Save(prefs, settings.Default())
	first, err := New(Options{Prefs: prefs})
	if err != nil {
		t.Fatal(err)
	}
	addr := first.Entries()[0].Address
	first.Close()
	again, err := New(Options{Prefs: prefs})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if got := again.Entries()[0].Address; got != addr {
		t.Errorf("the demo registry moved from %s to %s", addr, got)
	}
}
