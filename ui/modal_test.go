package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/card-catalog/card-catalog/app/settings"
)

// Dialogs own the keyboard: keys typed while one is open go to it alone.

func (h *harness) windowKey(name fyne.KeyName) {
	h.win.Canvas().(interface{ OnTypedKey() func(*fyne.KeyEvent) }).OnTypedKey()(&fyne.KeyEvent{Name: name})
}

func (h *harness) windowRune(r rune) {
	h.win.Canvas().(interface{ OnTypedRune() func(rune) }).OnTypedRune()(r)
}

func TestEscAndEnterGoToTheHelpNotThePageUnderIt(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	test.Type(h.ui.search, "library/python")
	h.key(fyne.KeyReturn)
	repo, ok := h.ui.top().(*repositoryPage)
	if !ok {
		t.Fatalf("top page %T", h.ui.top())
	}
	h.until("the tags", func() bool { return repo.list.Length() > 0 })
	h.ui.showHelp()
	h.windowKey(fyne.KeyReturn)
	if h.ui.top() != repo || h.ui.inDialog() {
		t.Fatalf("Enter on the help: top %T, dialog open %v", h.ui.top(), h.ui.inDialog())
	}
	h.ui.showHelp()
	h.windowKey(fyne.KeyEscape)
	if h.ui.top() != repo || h.ui.inDialog() {
		t.Fatalf("Esc on the help: top %T, dialog open %v", h.ui.top(), h.ui.inDialog())
	}
	if h.ui.search.Disabled() || h.win.Canvas().Focused() != h.ui.search {
		t.Errorf("the search box did not get the keyboard back")
	}
}

func TestTypingWithSettingsOpenDoesNotSearch(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	h.ui.showSettings()
	if !h.ui.search.Disabled() {
		t.Error("the search box can take the focus behind the dialog")
	}
	h.windowRune('x')
	h.windowRune(' ')
	h.ui.search.TypedRune('y') // even if it had the focus
	if h.ui.search.Text != "" || h.ui.catalog.summary.Text != "40 repositories" {
		t.Errorf("search %q, summary %q", h.ui.search.Text, h.ui.catalog.summary.Text)
	}
	h.windowKey(fyne.KeyEscape)
	if h.ui.inDialog() || h.ui.search.Disabled() {
		t.Error("Esc did not close the settings")
	}
}

func TestOpenARepositoryTakesEnterAndEsc(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	h.ui.showOpenByName()
	name := h.win.Canvas().Focused().(*dialogEntry)
	test.Type(name, "library/redis")
	name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if p, ok := h.ui.top().(*repositoryPage); !ok || p.repo != "library/redis" || h.ui.inDialog() {
		t.Fatalf("Enter: top %T, dialog open %v", h.ui.top(), h.ui.inDialog())
	}
	h.ui.showOpenByName()
	h.win.Canvas().Focused().(*dialogEntry).TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.ui.inDialog() {
		t.Error("Esc in the name did not close the dialog")
	}
}

func TestEscCancelsTheRemoveConfirmation(t *testing.T) {
	cfg := settings.Default()
	h := newHarness(t, cfg)
	demoLoaded(h)
	h.ui.sidebar.Select(1) // Docker Hub
	h.ui.confirmRemove()
	h.windowKey(fyne.KeyEscape)
	if h.ui.inDialog() || len(h.ui.core.Entries()) != len(h.ui.entries) || h.ui.core.Entries()[1].ID != cfg.Registries[0].ID {
		t.Fatalf("Esc removed the registry, or left the dialog open")
	}
	// Shortcuts of the window wait while a dialog is open.
	h.ui.confirmRemove()
	before := len(h.ui.pages)
	for _, sc := range shortcuts(h.ui) {
		if sc.keys == "Ctrl+N" {
			h.ui.unlessInDialog(sc.action)
		}
	}
	if len(h.ui.modals) != 1 || len(h.ui.pages) != before {
		t.Errorf("Ctrl+N opened over the confirmation: %d dialogs", len(h.ui.modals))
	}
	h.windowKey(fyne.KeyReturn)
	if h.ui.inDialog() || len(h.ui.core.Entries()) != len(cfg.Registries) {
		t.Errorf("Enter did not remove: %d entries", len(h.ui.core.Entries()))
	}
}

// Tab puts the focus on a dialog's check box or button, which then gets
// every key: Esc must still close the dialog.
func TestEscClosesADialogWhateverHasTheFocus(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	for _, open := range []func(){h.ui.showSettings, h.ui.showHelp, h.ui.showOpenByName, h.ui.showAddRegistry} {
		open()
		c := h.win.Canvas()
		for range 8 { // Tab round the dialog, trying Esc on each stop
			c.FocusNext()
			if f := c.Focused(); f != nil && f != fyne.Focusable(h.ui.search) {
				if _, isEntry := f.(*dialogEntry); !isEntry {
					break
				}
			}
		}
		f := c.Focused()
		if f == nil {
			t.Fatal("Tab found nothing to focus in the dialog")
		}
		f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		if h.ui.inDialog() {
			t.Errorf("Esc on a focused %T left the dialog open", f)
			for h.ui.inDialog() {
				h.ui.modalKey(fyne.KeyEscape)
			}
		}
	}
}

// TestTypingGoesOnAfterAFilledInText: the text a field is filled with
// (Compare with…'s repository, a page's kept search) has the cursor after
// it, so that typing goes on from there.
func TestTypingGoesOnAfterAFilledInText(t *testing.T) {
	h := newHarness(t, settings.Default())
	demoLoaded(h)
	test.Type(h.ui.search, "python")
	h.key(fyne.KeyReturn)
	repo := h.ui.top().(*repositoryPage)
	h.until("the tags", func() bool { return repo.list.Length() > 0 })
	h.ui.back()
	test.Type(h.ui.search, "w")
	if h.ui.search.Text != "pythonw" {
		t.Errorf("the kept search and a w: %q", h.ui.search.Text)
	}
	h.ui.search.SetText("")
	detail := h.openFirstTag("library/python")
	detail.compareWith()
	ref := h.ui.win.Canvas().Focused().(*dialogEntry)
	test.Type(ref, "3.11")
	if ref.Text != "library/python:3.11" {
		t.Errorf("Compare with… and 3.11: %q", ref.Text)
	}
}
