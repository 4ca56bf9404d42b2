package ui

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/settings"
)

func TestAboutSaysWhichAndWhere(t *testing.T) {
	h := newHarness(t, settings.Default())
	h.ui.version, h.ui.logDir = "card-catalog 9.9.9 (commit abc)", t.TempDir()
	h.ui.showAbout()
	if !h.ui.inDialog() {
		t.Fatal("no About dialog")
	}
	text := h.ui.aboutText()
	for _, want := range []string{"card-catalog 9.9.9 (commit abc)", "Apache-2.0", "preferences.json", h.ui.logDir, "OS keychain"} {
		if !strings.Contains(text, want) {
			t.Errorf("About does not say %q:\n%s", want, text)
		}
	}
}

// TestPathsBreakBetweenTheirParts: in a 640-wide window About and the
// settings show their paths whole, broken only after a /, each line within
// the dialog; the cache's limit reads as the README says, 1 GiB.
func TestPathsBreakBetweenTheirParts(t *testing.T) {
	h := newHarness(t, settings.Default())
	h.win.Resize(fyne.NewSize(640, 420))
	h.ui.logDir = "/home/someone-with-a-long-name/.local/state/card-catalog/logs/and/deeper/still"
	path := func(l *widget.Label) {
		t.Helper()
		lines := strings.Split(l.Text, "\n")
		for i, line := range lines[:len(lines)-1] {
			if !strings.HasSuffix(line, "/") {
				t.Errorf("line %d of %q breaks inside a name", i, l.Text)
			}
		}
		if l.MinSize().Width > h.ui.dialogWidth(600) {
			t.Errorf("%q is %v wide, in a dialog of %v", l.Text, l.MinSize().Width, h.ui.dialogWidth(600))
		}
	}
	logs := pathLabel(h.ui.logDir, h.ui.dialogWidth(560)-formLabelRoom)
	if strings.Count(logs.Text, "\n") == 0 || strings.ReplaceAll(logs.Text, "\n", "") != h.ui.logDir {
		t.Errorf("the log's path %q", logs.Text)
	}
	path(logs)
	if got := breakPath("/a/b", 1000, fyne.TextStyle{}); got != "/a/b" {
		t.Errorf("a path that fits is broken: %q", got)
	}
	if got, want := binarySize(1<<30), "1 GiB"; got != want {
		t.Errorf("binarySize(1 GiB) = %q", got)
	}
	if got := binarySize(1536 << 10); got != "1.5 MiB" {
		t.Errorf("binarySize(1.5 MiB) = %q", got)
	}
}

// TestOpenLogFolderSaysWhereItIs: with no file manager to open it, About
// says where the log folder is and copies its path.
func TestOpenLogFolderSaysWhereItIs(t *testing.T) {
	h := newHarness(t, settings.Default())
	h.ui.logDir = t.TempDir()
	if got := h.ui.openedLogs(errors.New("exec: \"xdg-open\": executable file not found in $PATH")); !strings.Contains(got, "No file manager") || !strings.Contains(got, h.ui.logDir) {
		t.Errorf("no file manager: %q", got)
	}
	if got := h.ui.openedLogs(nil); !strings.Contains(got, "If none opens, the log folder is "+h.ui.logDir) {
		t.Errorf("asked: %q", got)
	}
}

func TestSizesInBothUnits(t *testing.T) {
	for n, want := range map[int64]string{999: "999 B", 1500: "1.5 kB", 34_500_000: "34.5 MB", 2_000_000_000: "2.0 GB"} {
		if got := humanSize(n); got != want {
			t.Errorf("humanSize(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int64]string{1023: "1023 B", 64 << 10: "64 KiB", 1 << 30: "1 GiB", 1536 << 20: "1.5 GiB"} {
		if got := binarySize(n); got != want {
			t.Errorf("binarySize(%d) = %q, want %q", n, got, want)
		}
	}
}
