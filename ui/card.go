package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// cardSize is one repository card in the grid.
var cardSize = fyne.NewSize(250, 76)

// repoCard shows one repository: its namespace dimmed above its name in bold.
type repoCard struct {
	widget.BaseWidget
	bg        *canvas.Rectangle
	namespace *widget.Label
	name      *widget.Label
}

func newRepoCard() *repoCard {
	c := &repoCard{
		bg:        canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground)),
		namespace: widget.NewLabel(""),
		name:      widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
	}
	c.bg.CornerRadius = theme.InputRadiusSize()
	c.namespace.Importance = widget.LowImportance
	c.namespace.SizeName = theme.SizeNameCaptionText
	c.namespace.Truncation = fyne.TextTruncateEllipsis
	c.name.Truncation = fyne.TextTruncateEllipsis
	c.ExtendBaseWidget(c)
	return c
}

// set shows repository path, split at its last slash.
func (c *repoCard) set(path string) {
	ns, name := splitRepository(path)
	c.namespace.SetText(ns)
	c.name.SetText(name)
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
	text := container.New(&cardTextLayout{}, c.namespace, c.name)
	return &cardRenderer{card: c, objects: []fyne.CanvasObject{c.bg, text}}
}

type cardRenderer struct {
	card    *repoCard
	objects []fyne.CanvasObject
}

func (r *cardRenderer) Layout(size fyne.Size) {
	for _, o := range r.objects {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}
func (r *cardRenderer) MinSize() fyne.Size           { return cardSize }
func (r *cardRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *cardRenderer) Destroy()                     {}
func (r *cardRenderer) Refresh() {
	r.card.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	r.card.bg.Refresh()
	r.card.namespace.Refresh()
	r.card.name.Refresh()
}

// cardTextLayout puts the namespace caption at the top and the name right
// under it, overlapping the labels' own padding so they read as one block.
type cardTextLayout struct{}

func (cardTextLayout) MinSize([]fyne.CanvasObject) fyne.Size { return cardSize }

func (cardTextLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	ns, name := objs[0], objs[1]
	nsH := ns.MinSize().Height
	ns.Move(fyne.NewPos(0, theme.Padding()))
	ns.Resize(fyne.NewSize(size.Width, nsH))
	nameH := name.MinSize().Height
	name.Move(fyne.NewPos(0, size.Height-nameH-theme.Padding()))
	name.Resize(fyne.NewSize(size.Width, nameH))
}
