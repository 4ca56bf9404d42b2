package ui

import (
	"cmp"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/printable"
)

// cardSize is one repository card in the grid.
var cardSize = fyne.NewSize(290, 118)

// repoCard shows one repository: namespace (dimmed) and name, then what its
// newest tag holds once loaded: a skeleton before, an error with a retry
// after a failure.
type repoCard struct {
	widget.BaseWidget
	bg        *canvas.Rectangle
	namespace *widget.RichText
	name      *widget.RichText
	details   *widget.Label
	platforms *widget.Label
	skeleton  *fyne.Container
	retry     *widget.Button
	pin       *widget.Label
	badge     *trustBadge
	onRetry   func()
	// what the texts show now: Fyne re-shapes a truncated text on every
	// refresh, and a grid rebinds every visible card whenever it grows.
	shownPath    string
	shownOffsets []int
	// hoverTip shows the whole name when the card had to cut it.
	hoverTip
}

func newRepoCard() *repoCard {
	c := &repoCard{
		bg:        canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground)),
		namespace: widget.NewRichText(),
		name:      widget.NewRichText(),
		details:   widget.NewLabel(""),
		platforms: widget.NewLabel(""),
		pin:       widget.NewLabel("pinned"),
		badge:     newTrustBadge(),
	}
	c.bg.CornerRadius = theme.InputRadiusSize()
	c.bg.StrokeWidth = 2
	for _, l := range []*widget.Label{c.details, c.platforms} {
		l.SizeName = theme.SizeNameCaptionText
		l.Truncation = fyne.TextTruncateEllipsis
	}
	c.namespace.Truncation = fyne.TextTruncateEllipsis
	c.name.Truncation = fyne.TextTruncateEllipsis
	bar := func(w float32) fyne.CanvasObject {
		r := canvas.NewRectangle(theme.Color(theme.ColorNameDisabledButton))
		r.CornerRadius = 4
		r.SetMinSize(fyne.NewSize(w, 10))
		return container.NewHBox(container.NewCenter(r), layout.NewSpacer())
	}
	c.skeleton = container.NewVBox(bar(170), bar(110))
	c.retry = widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), func() {
		if c.onRetry != nil {
			c.onRetry()
		}
	})
	c.retry.Importance = widget.LowImportance
	c.pin.Importance = widget.HighImportance
	c.pin.SizeName = theme.SizeNameCaptionText
	c.pin.Hide()
	c.ExtendBaseWidget(c)
	return c
}

// set shows a repository. path is its name, offsets the matched bytes of
// the search, state its loaded summary (nil before it is asked for).
func (c *repoCard) set(path string, offsets []int, state *lazyState, cursor, pinned bool, retry func()) {
	if path != c.shownPath || !slices.Equal(offsets, c.shownOffsets) || len(c.name.Segments) == 0 {
		ns, name := splitRepository(path)
		c.namespace.Segments = highlighted(ns, 0, offsets, inline(theme.ColorNamePlaceHolder, theme.SizeNameCaptionText, false))
		c.name.Segments = highlighted(name, len(path)-len(name), offsets, inline(theme.ColorNameForeground, theme.SizeNameSubHeadingText, true))
		c.namespace.Refresh()
		c.name.Refresh()
		c.shownPath, c.shownOffsets = path, slices.Clone(offsets)
	}
	c.onRetry = retry
	c.pin.Hidden = !pinned
	c.bg.StrokeColor = theme.Color(theme.ColorNameInputBackground)
	if cursor {
		c.bg.StrokeColor = theme.Color(theme.ColorNamePrimary)
	}
	switch {
	case state == nil || !state.loaded:
		c.skeleton.Show()
		c.details.Hide()
		c.platforms.Hide()
		c.retry.Hide()
	case state.err != nil:
		c.skeleton.Hide()
		setLabel(c.details, "Could not load: "+statusOf(state.err).Detail, widget.DangerImportance)
		c.details.Show()
		c.platforms.Hide()
		c.retry.Show()
	default:
		c.skeleton.Hide()
		c.retry.Hide()
		setLabel(c.details, cardLine(state.summary), widget.MediumImportance)
		c.details.Show()
		setLabel(c.platforms, platformBadges(state.summary.Platforms), c.platforms.Importance)
		c.platforms.Show()
	}
	c.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	if cursor {
		c.bg.FillColor = theme.Color(theme.ColorNameSelection) // the keyboard cursor, seen at a glance
	}
	c.bg.Refresh()
}

// setLabel changes a label only when it would look different.
func setLabel(l *widget.Label, text string, importance widget.Importance) {
	if l.Text == text && l.Importance == importance {
		return
	}
	l.Text, l.Importance = text, importance
	l.Refresh()
}

// cardLine is "12 tags · newest v2.0.0 · 34.5 MB · 3 days ago".
func cardLine(s image.Summary) string {
	if s.Tags == 0 {
		return "no tags"
	}
	parts := []string{plural(s.Tags, "tag"), "newest " + s.Newest}
	if s.Size > 0 {
		parts = append(parts, humanSize(s.Size))
	}
	if a := ago(s.Updated); a != "" {
		parts = append(parts, a)
	}
	if s.Artifact != "" {
		parts = append(parts, cmp.Or(image.ArtifactKind(s.Artifact), s.Artifact))
	}
	return printable.Line(strings.Join(parts, " · ")) // an artifact type is the registry's words
}

// platformBadges is "amd64  arm64/v8  arm/v7", leaving out the OS when it
// is linux.
func platformBadges(ps []string) string {
	var out []string
	for _, p := range ps {
		out = append(out, strings.TrimPrefix(p, "linux/"))
	}
	return printable.Line(strings.Join(out, "  ·  "))
}

func splitRepository(path string) (namespace, name string) {
	i := strings.LastIndex(path, "/")
	if i < 0 {
		return "", path
	}
	return path[:i], path[i+1:]
}

// MinSize is fixed: the grid sizes every cell from it.
func (c *repoCard) MinSize() fyne.Size { return cardSize }

func (c *repoCard) CreateRenderer() fyne.WidgetRenderer {
	top := container.NewBorder(nil, nil, nil, container.NewHBox(c.badge.box, c.pin), c.namespace)
	body := container.NewStack(c.skeleton, container.NewVBox(c.details, c.platforms), container.NewHBox(layout.NewSpacer(), c.retry))
	content := container.New(&cardLayout{}, top, c.name, body)
	return widget.NewSimpleRenderer(container.NewStack(c.bg, content))
}

// cardLayout stacks the namespace, the name and the details tightly,
// overlapping the rich texts' own padding.
type cardLayout struct{}

func (cardLayout) MinSize([]fyne.CanvasObject) fyne.Size { return cardSize }

func (cardLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	y := float32(0)
	heights := []float32{objs[0].MinSize().Height - pad, objs[1].MinSize().Height - 2*pad}
	for i, o := range objs[:2] {
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, heights[i]+pad))
		y += heights[i]
	}
	objs[2].Move(fyne.NewPos(pad, y))
	objs[2].Resize(fyne.NewSize(size.Width-2*pad, size.Height-y))
}

func (c *repoCard) MouseIn(*desktop.MouseEvent)    { c.in(c, c.wholeNameIfCut) }
func (c *repoCard) MouseMoved(*desktop.MouseEvent) {}
func (c *repoCard) MouseOut()                      { c.out(c) }

// wholeNameIfCut is the card's repository when its namespace or name does
// not fit the card; "" when both show whole.
func (c *repoCard) wholeNameIfCut() string {
	ns, name := splitRepository(c.shownPath)
	if textCut(name, c.name, theme.SizeNameSubHeadingText, fyne.TextStyle{Bold: true}) ||
		textCut(ns, c.namespace, theme.SizeNameCaptionText, fyne.TextStyle{}) {
		return c.shownPath
	}
	return ""
}

// textCut reports whether s, drawn in a rich text of that size and style,
// is wider than the room it has.
func textCut(s string, in fyne.CanvasObject, size fyne.ThemeSizeName, style fyne.TextStyle) bool {
	return fyne.MeasureText(s, theme.Size(size), style).Width > in.Size().Width-2*theme.InnerPadding()
}
