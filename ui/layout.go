package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// titleAndSearch lays out the header's breadcrumb and search box side by
// side: the search box is 320 wide when there is room, and gives way down
// to 140 so that the breadcrumb keeps at least 90; in a small window
// neither covers the other.
type titleAndSearch struct {
	// fitTitle is told the breadcrumb's width at each layout.
	fitTitle func(width float32)
}

const (
	searchWidest, searchNarrowest = 320, 140
	titleNarrowest                = 90
)

func (*titleAndSearch) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := max(objs[0].MinSize().Height, objs[1].MinSize().Height)
	return fyne.NewSize(titleNarrowest+searchNarrowest+theme.Padding(), h)
}

func (l *titleAndSearch) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	search := min(searchWidest, max(searchNarrowest, size.Width-titleNarrowest-theme.Padding()))
	title := max(0, size.Width-search-theme.Padding())
	if l.fitTitle != nil {
		l.fitTitle(title)
	}
	for i, o := range objs {
		h := o.MinSize().Height
		y := (size.Height - h) / 2
		if i == 0 {
			o.Move(fyne.NewPos(0, y))
			o.Resize(fyne.NewSize(title, h))
		} else {
			o.Move(fyne.NewPos(size.Width-search, y))
			o.Resize(fyne.NewSize(search, h))
		}
	}
}

// crumbSeparator joins the breadcrumb's parts.
const crumbSeparator = "  ›  "

// fitCrumbs joins parts into a breadcrumb of at most width: when the whole
// path does not fit, the first parts give way ("…  ›  library/python"), so
// the page shown is always named.
func fitCrumbs(parts []string, width float32, style fyne.TextStyle) string {
	text := strings.Join(parts, crumbSeparator)
	room := width - 2*theme.InnerPadding()
	for i := 1; i < len(parts) && fyne.MeasureText(text, theme.TextSize(), style).Width > room; i++ {
		text = "…" + crumbSeparator + strings.Join(parts[i:], crumbSeparator)
	}
	return text
}
