package ui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/card-catalog/card-catalog/app/trust/sbom"
)

// tenMBSBOM is an SPDX document of 60,000 packages, about 10 MB.
func tenMBSBOM() []byte {
	var b bytes.Buffer
	b.WriteString(`{"spdxVersion":"SPDX-2.3","name":"big","packages":[`)
	for i := range 60_000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"package-%d","versionInfo":"1.%d.0","licenseConcluded":"MIT","externalRefs":[{"referenceType":"purl","referenceLocator":"pkg:npm/package-%d@1.%d.0"}]}`, i, i%100, i, i%100)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// BenchmarkSBOMTable10MB decodes a 10 MB SBOM, builds its package table
// (every package sorted by name) and draws it once in a window of the test
// driver: what opening a big image's Trust tab costs past the download.
// make bench (app/peerbench) holds it to 300 ms.
func BenchmarkSBOMTable10MB(b *testing.B) {
	raw := tenMBSBOM()
	if len(raw) < 9<<20 {
		b.Fatalf("the SBOM is %d bytes", len(raw))
	}
	test.NewTempApp(b)
	w := test.NewTempWindow(b, nil)
	w.Resize(fyne.NewSize(1100, 700))
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		doc, err := sbom.Decode(bytes.NewReader(raw), sbom.DefaultLimits)
		if err != nil || len(doc.Packages) != 60_000 {
			b.Fatal(err)
		}
		t := newPackageTable(doc)
		w.SetContent(t.box)
		if img := w.Canvas().Capture(); img.Bounds().Dx() == 0 || t.cell(0, 0) != "package-0" {
			b.Fatalf("drew %v, first %q", img.Bounds(), t.cell(0, 0))
		}
	}
}

// The table draws a 10 MB SBOM's first rows, sorted by name, with the
// search narrowing 60,000 packages.
func TestSBOMTableOfTenMB(t *testing.T) {
	test.NewTempApp(t)
	doc, err := sbom.Decode(bytes.NewReader(tenMBSBOM()), sbom.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	pt := newPackageTable(doc)
	w := test.NewTempWindow(t, pt.box)
	w.Resize(fyne.NewSize(1100, 700))
	w.Canvas().Capture()
	if pt.cell(0, 0) != "package-0" || pt.cell(1, 0) != "package-1" || pt.cell(0, 4) != "pkg:npm/package-0@1.0.0" {
		t.Errorf("first rows %q, %q, %q", pt.cell(0, 0), pt.cell(1, 0), pt.cell(0, 4))
	}
	test.Type(pt.search, "package-5999")
	if len(pt.shown) != 11 || pt.matches.Text != "11 of 60000" {
		t.Errorf("%d shown, %q", len(pt.shown), pt.matches.Text)
	}
}

// A package's fields are the SBOM's text: control and bidi characters are
// shown escaped, an empty field as "-".
func TestSBOMTableEscapesWhatTheSBOMSays(t *testing.T) {
	test.NewTempApp(t)
	pt := newPackageTable(&sbom.Document{Packages: []sbom.Package{{Name: "evil\x1b[2J\u202enoisrev", Version: "1.0\n2.0"}}})
	if got := pt.cell(0, 0); strings.ContainsAny(got, "\x1b\u202e") || !strings.Contains(got, "evil") {
		t.Errorf("name shown as %q", got)
	}
	if got := pt.cell(0, 1); strings.Contains(got, "\n") {
		t.Errorf("version shown as %q", got)
	}
	if got := pt.cell(0, 2); got != "-" {
		t.Errorf("an empty type shown as %q", got)
	}
}
