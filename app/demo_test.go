package app

import "testing"

func TestTheDemoRegistryKeepsItsPort(t *testing.T) {
	prefs := MemoryPrefs{}
	SaveSettings(prefs, DefaultSettings())
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
