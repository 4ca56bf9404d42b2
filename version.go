package main

import (
	"fmt"
	"runtime/debug"
)

// version and commit are set by `make release` (-ldflags -X); a plain
// build says "dev" and takes the commit from Go's build information.
var (
	version = "dev"
	commit  = ""
)

// versionLine is what --version prints: "card-catalog 0.2.0 (commit 1a2b3c4d5e6f)".
func versionLine() string {
	c := commit
	if c == "" {
		c = buildCommit()
	}
	return fmt.Sprintf("card-catalog %s (commit %s)", version, c)
}

// buildCommit is the VCS revision go build recorded, "+dirty" when the
// tree had changes; "unknown" without one.
func buildCommit() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	rev, dirty := "unknown", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	return rev
}
