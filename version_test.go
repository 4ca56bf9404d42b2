package main

import (
	"strings"
	"testing"
)

func TestVersionLine(t *testing.T) {
	if got := versionLine(); !strings.HasPrefix(got, "card-catalog dev (commit ") {
		t.Errorf("%q", got)
	}
	version, commit = "1.2.3", "abcdef"
	defer func() { version, commit = "dev", "" }()
	if got := versionLine(); got != "card-catalog 1.2.3 (commit abcdef)" {
		t.Errorf("%q", got)
	}
}
