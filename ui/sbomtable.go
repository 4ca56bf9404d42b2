package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/trust/sbom"
)

// packageColumns are the package table's columns, in order, and how wide
// each starts.
var packageColumns = []struct {
	name  string
	by    sbom.Column
	width float32
}{
	{"Name", sbom.ByName, 220},
	{"Version", sbom.ByVersion, 140},
	{"Type", sbom.ByType, 90},
	{"Licence", sbom.ByLicense, 160},
	{"PURL", sbom.ByPURL, 420},
}

// packageTable is an SBOM's packages: a search over every field, and a
// virtualised table whose column heads sort it (again: the other way).
type packageTable struct {
	all, shown []sbom.Package
	by         sbom.Column
	descending bool
	search     *widget.Entry
	matches    *widget.Label
	table      *widget.Table
	box        fyne.CanvasObject
}

func newPackageTable(doc *sbom.Document) *packageTable {
	t := &packageTable{all: doc.Packages, by: sbom.ByName}
	t.search = widget.NewEntry()
	t.search.SetPlaceHolder("Search the packages: name, version, type, licence or PURL")
	t.matches = widget.NewLabel("")
	t.matches.Importance = widget.LowImportance
	t.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(t.shown), len(packageColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(t.cell(id.Row, id.Col))
		})
	t.table.ShowHeaderColumn = false
	t.table.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		return b
	}
	t.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Col < 0 || id.Col >= len(packageColumns) {
			b.SetText("")
			return
		}
		c := packageColumns[id.Col]
		text := c.name
		if c.by == t.by {
			text += map[bool]string{false: " ▲", true: " ▼"}[t.descending]
		}
		b.SetText(text)
		b.OnTapped = func() { t.sortBy(c.by) }
	}
	for i, c := range packageColumns {
		t.table.SetColumnWidth(i, c.width)
	}
	t.search.OnChanged = t.filter
	t.keep("")
	t.box = container.NewBorder(container.NewBorder(nil, nil, nil, t.matches, t.search), nil, nil, nil, t.table)
	return t
}

// cell is what row and col show: escaped (a package name is the SBOM's
// text), "-" when empty.
func (t *packageTable) cell(row, col int) string {
	if row >= len(t.shown) {
		return ""
	}
	p := t.shown[row]
	s := [...]string{p.Name, p.Version, p.Type, p.License, p.PURL}[col]
	if s == "" {
		return "-"
	}
	return printable.Line(s)
}

// filter shows the packages that hold query, sorted, from the top.
func (t *packageTable) filter(query string) {
	t.keep(query)
	t.table.Refresh()
	t.table.ScrollToTop()
}

// keep keeps the packages that hold query, sorted.
func (t *packageTable) keep(query string) {
	if query == "" {
		t.shown = append(t.shown[:0:0], t.all...)
	} else {
		t.shown = sbom.Search(t.all, query)
	}
	sbom.Sort(t.shown, t.by, t.descending)
	t.matches.SetText("")
	if query != "" {
		t.matches.SetText(fmt.Sprintf("%d of %d", len(t.shown), len(t.all)))
	}
}

// sortBy sorts by column c; by it already, the other way.
func (t *packageTable) sortBy(c sbom.Column) {
	if t.by == c {
		t.descending = !t.descending
	} else {
		t.by, t.descending = c, false
	}
	sbom.Sort(t.shown, t.by, t.descending)
	t.table.Refresh()
}
