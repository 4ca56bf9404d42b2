package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/humane"
	"github.com/card-catalog/card-catalog/app/printable"
)

// highlighted makes rich-text segments of s with the bytes at offsets (from
// search.Highlights, counted from base) in the primary colour.
func highlighted(s string, base int, offsets []int, style widget.RichTextStyle) []widget.RichTextSegment {
	marked := map[int]bool{}
	for _, o := range offsets {
		marked[o-base] = true
	}
	var segs []widget.RichTextSegment
	var run strings.Builder
	runMarked := false
	flush := func() {
		if run.Len() == 0 {
			return
		}
		st := style
		if runMarked {
			st.ColorName = theme.ColorNamePrimary
			st.TextStyle.Bold = true
		}
		segs = append(segs, &widget.TextSegment{Text: run.String(), Style: st})
		run.Reset()
	}
	for i, r := range s {
		if marked[i] != runMarked {
			flush()
			runMarked = marked[i]
		}
		run.WriteRune(r)
	}
	flush()
	if len(segs) == 0 {
		segs = append(segs, &widget.TextSegment{Text: "", Style: style})
	}
	return segs
}

func inline(color fyne.ThemeColorName, size fyne.ThemeSizeName, bold bool) widget.RichTextStyle {
	return widget.RichTextStyle{Inline: true, ColorName: color, SizeName: size, TextStyle: fyne.TextStyle{Bold: bold}}
}

// humanSize writes bytes as people read them: "34.5 MB".
var humanSize = humane.Size

// binarySize writes a size set in powers of two as it was set: "1 GiB".
var binarySize = humane.BinarySize

// ago writes a time as "3 days ago".
func ago(t time.Time) string { return humane.Ago(t, time.Now()) }

// plural is "1 tag" or "3 tags".
func plural(n int, word string) string { return pluralOf(n, word, word+"s") }

// pluralOf is "1 repository" or "3 repositories".
var pluralOf = humane.Plural

// newNoMatch is the line that says a search found nothing; hidden until it
// does.
func newNoMatch() *widget.Label {
	l := widget.NewLabel("")
	l.Alignment = fyne.TextAlignCenter
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// showNoMatch shows l when a search for query found nothing.
func showNoMatch(l *widget.Label, query string, found int, what string) {
	if found > 0 {
		l.Hide()
		return
	}
	l.SetText("No " + what + " matches “" + printable.Line(query) + "”. Esc clears the search.")
	l.Show()
}

// textLines splits a file's text into its lines (a last newline ends the
// last line; it does not start an empty one).
func textLines(text string) []string {
	return strings.Split(strings.TrimSuffix(text, "\n"), "\n")
}

// shownLine is a line of a file as a label shows it: tabs as spaces, a
// CRLF's CR dropped, controls escaped.
func shownLine(l string) string {
	return printable.Line(strings.ReplaceAll(strings.TrimSuffix(l, "\r"), "\t", "    "))
}

// wrapping makes l wrap its text at words, and returns it.
func wrapping(l *widget.Label) *widget.Label {
	l.Wrapping = fyne.TextWrapWord
	return l
}
