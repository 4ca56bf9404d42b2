package ui

import (
	"bytes"
	"encoding/json"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/printable"
)

// maxColouredJSON: larger documents are shown plain, to stay fluid.
const maxColouredJSON = 256 << 10

// jsonText shows JSON indented, with keys, strings and other values in
// their own colours.
func jsonText(raw []byte) fyne.CanvasObject {
	var buf bytes.Buffer
	if json.Indent(&buf, raw, "", "  ") != nil {
		buf.Reset()
		buf.Write(raw)
	}
	text := printable.Text(string(printable.JSON(buf.Bytes())))
	if len(text) > maxColouredJSON {
		l := widget.NewLabel(text)
		l.TextStyle.Monospace = true
		return l
	}
	var segs []widget.RichTextSegment
	var line []widget.RichTextSegment
	add := func(s string, color fyne.ThemeColorName) {
		st := widget.RichTextStyleCodeInline
		st.ColorName = color
		line = append(line, &widget.TextSegment{Text: s, Style: st})
	}
	endLine := func() {
		if len(line) == 0 {
			add("", theme.ColorNameForeground)
		}
		last := line[len(line)-1].(*widget.TextSegment)
		last.Style.Inline = false
		segs = append(segs, line...)
		line = nil
	}
	for _, l := range strings.Split(text, "\n") {
		colourLine(l, add)
		endLine()
	}
	return widget.NewRichText(segs...)
}

// colourLine splits one line of indented JSON into coloured pieces.
func colourLine(l string, add func(string, fyne.ThemeColorName)) {
	for i := 0; i < len(l); {
		c := l[i]
		switch {
		case c == '"':
			j := i + 1
			for j < len(l) && l[j] != '"' {
				if l[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(l))
			color := theme.ColorNameSuccess
			if strings.HasPrefix(strings.TrimLeft(l[j:], " "), ":") {
				color = theme.ColorNamePrimary
			}
			add(l[i:j], color)
			i = j
		case c == '-' || c >= '0' && c <= '9' || c == 't' || c == 'f' || c == 'n':
			j := i
			for j < len(l) && !strings.ContainsRune(",]} ", rune(l[j])) {
				j++
			}
			add(l[i:j], theme.ColorNameWarning)
			i = j
		default:
			j := i
			for j < len(l) && l[j] != '"' && !(l[j] == '-' || l[j] >= '0' && l[j] <= '9' || l[j] == 't' || l[j] == 'f' || l[j] == 'n') {
				j++
			}
			if j == i {
				j++
			}
			add(l[i:j], theme.ColorNameForeground)
			i = j
		}
	}
}
