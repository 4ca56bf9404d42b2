package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// textGrid shows lines of text in a monospace grid that scrolls both ways
// and draws only the rows in view, a line to a row of text's height. A drag
// selects; Ctrl+C copies the selection (or, with none, everything), Ctrl+A
// selects all. Other keys and shortcuts are the window's.
type textGrid struct {
	widget.BaseWidget
	u       *UI
	grid    *widget.TextGrid
	catcher *gridCatcher
	// from and to are the selection's ends, from where the drag began;
	// equal: nothing selected. marked is what is drawn as selected.
	from, to   gridPos
	markedFrom gridPos
	markedTo   gridPos
}

// gridPos is a cell: row and column.
type gridPos struct{ row, col int }

func (a gridPos) before(b gridPos) bool { return a.row < b.row || a.row == b.row && a.col < b.col }

func newTextGrid(u *UI) *textGrid {
	g := &textGrid{u: u, grid: widget.NewTextGrid()}
	g.grid.Scroll = fyne.ScrollBoth
	g.catcher = &gridCatcher{g: g}
	g.catcher.ExtendBaseWidget(g.catcher)
	g.ExtendBaseWidget(g)
	return g
}

func (g *textGrid) CreateRenderer() fyne.WidgetRenderer {
	// The catcher lies over the grid: it takes the pointer's drags and
	// taps, and lets the wheel through to the grid's scroll.
	return widget.NewSimpleRenderer(container.NewPadded(container.NewStack(g.grid, g.catcher)))
}

// setLines shows lines, one a row, and forgets the selection.
func (g *textGrid) setLines(lines []string) {
	g.from, g.to, g.markedFrom, g.markedTo = gridPos{}, gridPos{}, gridPos{}, gridPos{}
	g.grid.SetText(strings.Join(lines, "\n"))
}

// setRowColours gives each row its text and background colour (nil: the
// theme's).
func (g *textGrid) setRowColours(colour func(row int) (fg, bg color.Color)) {
	for i := range g.grid.Rows {
		fg, bg := colour(i)
		if fg == nil && bg == nil {
			g.grid.Rows[i].Style = nil
			continue
		}
		g.grid.Rows[i].Style = &widget.CustomTextGridStyle{FGColor: fg, BGColor: bg}
	}
	g.grid.Refresh()
}

// selection is the selected text, lines joined with newlines.
func (g *textGrid) selection() string {
	from, to := g.ordered()
	if from == to {
		return ""
	}
	var b strings.Builder
	g.eachRow(from, to, func(r int, cells []widget.TextGridCell) {
		for _, c := range cells {
			b.WriteRune(c.Rune)
		}
		if r < to.row {
			b.WriteByte('\n')
		}
	})
	return b.String()
}

// eachRow calls fn with each row from from up to to, and its cells in
// that span.
func (g *textGrid) eachRow(from, to gridPos, fn func(row int, cells []widget.TextGridCell)) {
	for r := from.row; r <= to.row && r < len(g.grid.Rows); r++ {
		cells := g.grid.Rows[r].Cells
		start, end := 0, len(cells)
		if r == from.row {
			start = min(from.col, len(cells))
		}
		if r == to.row {
			end = min(to.col, len(cells))
		}
		fn(r, cells[start:max(start, end)])
	}
}

func (g *textGrid) ordered() (from, to gridPos) {
	if g.to.before(g.from) {
		return g.to, g.from
	}
	return g.from, g.to
}

// selectAll selects every row.
func (g *textGrid) selectAll() {
	last := len(g.grid.Rows) - 1
	if last < 0 {
		return
	}
	g.from, g.to = gridPos{}, gridPos{last, len(g.grid.Rows[last].Cells)}
	g.markSelection()
}

// selectTo moves the selection's loose end to p (a position in the grid).
func (g *textGrid) selectTo(p fyne.Position) {
	g.to = g.cellAt(p)
	g.markSelection()
}

func (g *textGrid) cellAt(p fyne.Position) gridPos {
	row, col := g.grid.CursorLocationForPosition(p)
	row = min(max(row, 0), max(len(g.grid.Rows)-1, 0))
	if row < len(g.grid.Rows) {
		col = min(max(col, 0), len(g.grid.Rows[row].Cells))
	}
	return gridPos{row, col}
}

// selectedStyle draws the selected cells.
var selectedStyle = &widget.CustomTextGridStyle{}

// markSelection draws the selection, and nothing else as selected: the
// cells of the last one drawn are cleared, then the new ones marked.
func (g *textGrid) markSelection() {
	g.styleCells(g.markedFrom, g.markedTo, nil)
	from, to := g.ordered()
	selectedStyle.BGColor = theme.Color(theme.ColorNameSelection)
	g.styleCells(from, to, selectedStyle)
	g.markedFrom, g.markedTo = from, to
	g.grid.Refresh()
}

// styleCells gives the cells from from up to to the style.
func (g *textGrid) styleCells(from, to gridPos, style widget.TextGridStyle) {
	g.eachRow(from, to, func(_ int, cells []widget.TextGridCell) {
		for c := range cells {
			cells[c].Style = style
		}
	})
}

// copyText is what a copy takes: the selection, or all the text.
func (g *textGrid) copyText() string {
	if text := g.selection(); text != "" {
		return text
	}
	return g.grid.Text()
}

// copySelection puts copyText on the clipboard.
func (g *textGrid) copySelection() { fyne.CurrentApp().Clipboard().SetContent(g.copyText()) }

// gridCatcher takes the pointer and the keyboard for a textGrid.
type gridCatcher struct {
	widget.BaseWidget
	g *textGrid
}

var (
	_ fyne.Draggable    = (*gridCatcher)(nil)
	_ fyne.Focusable    = (*gridCatcher)(nil)
	_ fyne.Shortcutable = (*gridCatcher)(nil)
	_ desktop.Mouseable = (*gridCatcher)(nil)
)

func (c *gridCatcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

func (c *gridCatcher) MouseDown(e *desktop.MouseEvent) {
	if e.Button != desktop.MouseButtonPrimary {
		return
	}
	c.g.from = c.g.cellAt(e.Position)
	c.g.to = c.g.from
	c.g.markSelection()
	if cv := fyne.CurrentApp().Driver().CanvasForObject(c); cv != nil {
		cv.Focus(c)
	}
}

func (c *gridCatcher) MouseUp(*desktop.MouseEvent)    {}
func (c *gridCatcher) Dragged(e *fyne.DragEvent)      { c.g.selectTo(e.Position) }
func (c *gridCatcher) DragEnd()                       {}
func (c *gridCatcher) FocusGained()                   {}
func (c *gridCatcher) FocusLost()                     {}
func (c *gridCatcher) TypedRune(rune)                 {}
func (c *gridCatcher) Cursor() desktop.StandardCursor { return desktop.TextCursor }

func (c *gridCatcher) TypedKey(e *fyne.KeyEvent) { c.g.u.windowKey(e) }

func (c *gridCatcher) TypedShortcut(s fyne.Shortcut) {
	switch s.(type) {
	case *fyne.ShortcutCopy:
		c.g.copySelection()
	case *fyne.ShortcutSelectAll:
		c.g.selectAll()
	default:
		c.g.u.windowShortcut(s)
	}
}
