// Package posixlocale keeps Fyne quiet under the POSIX locale. Package ui
// imports it for its side effect, which takes place before Fyne runs.
//
// Fyne 2.7.1 (the newest release) reads the language from LC_ALL,
// LC_MESSAGES or LANG in a package initialiser, and a value such as
// "C.UTF-8" (the default of Debian and of most containers) is not a
// language tag: every run, window or headless command, printed "Fyne error:
// Error parsing user locale C" on stderr before main started. The POSIX
// locale means untranslated messages, which is English, so this package
// sets LANGUAGE=en for the process when the locale is a C or POSIX variant
// and LANGUAGE is unset: the lookup Fyne uses (jeandeaual/go-locale) then
// reads "en". gettext gives LANGUAGE no weight under the C locale, so the
// programs Card Catalog starts (credential helpers) are not changed.
//
// Why this runs before Fyne's initialiser: Go initialises packages in the
// order of their import paths, each once its own imports are done, and this
// package imports only os and strings. Its path,
// github.com/card-catalog/..., sorts before the packages Fyne's lang package
// waits on (github.com/jeandeaual/go-locale, github.com/nicksnyder/go-i18n),
// so it is done before lang can start. TestHeadlessStderrIsQuiet holds this
// in place.
package posixlocale

import (
	"os"
	"strings"
)

func init() {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(name); v != "" {
			if isPOSIX(v) {
				os.Setenv("LANGUAGE", "en")
			}
			return
		}
	}
}

// isPOSIX: "C.UTF-8", "C.utf8", "POSIX.UTF-8". Plain "C" and "POSIX" are
// understood by the lookup already.
func isPOSIX(v string) bool {
	base, _, _ := strings.Cut(v, ".")
	base, _, _ = strings.Cut(base, "@")
	return (base == "C" || base == "POSIX") && v != base
}
