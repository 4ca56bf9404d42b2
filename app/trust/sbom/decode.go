package sbom

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/card-catalog/card-catalog/app/printable"
)

// Package is one package an SBOM lists.
type Package struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	// Type is the package's ecosystem as its PURL says (deb, apk, npm,
	// golang), else what the SBOM calls it (library, application).
	Type    string `json:"type,omitempty"`
	License string `json:"license,omitempty"`
	PURL    string `json:"purl,omitempty"`
}

// Document is what was read of an SBOM.
type Document struct {
	// Format is "SPDX 2.3" or "CycloneDX 1.5".
	Format   string
	Name     string
	Packages []Package
	// Truncated says the package list stopped at Limits.MaxPackages.
	Truncated bool
	// Bytes is how much was read.
	Bytes int64
}

// Limits bound what one SBOM may cost.
type Limits struct {
	// MaxBytes is the most read of one document.
	MaxBytes int64
	// MaxPackages is the most packages kept; past it the list is
	// Truncated and the rest are read past, not kept.
	MaxPackages int
}

// DefaultLimits fit the largest real SBOMs (tens of MB, tens of thousands
// of packages) with room to spare.
var DefaultLimits = Limits{MaxBytes: 256 << 20, MaxPackages: 200_000}

// maxField is the longest text kept of a name, version, licence or PURL.
const maxField = 512

// maxDepth bounds nesting (CycloneDX components within components, JSON
// skipped past): deeper input is refused, not recursed into.
const maxDepth = 64

var (
	// ErrTooLarge: the SBOM is over Limits.MaxBytes.
	ErrTooLarge = errors.New("the SBOM is too large")
	// ErrNotSBOM: the document is JSON but neither SPDX nor CycloneDX.
	ErrNotSBOM = errors.New("not an SPDX or CycloneDX SBOM")
	// ErrMalformed: the document is not well-formed.
	ErrMalformed = errors.New("malformed SBOM")
)

// Decode reads an SBOM from r as a stream: SPDX or CycloneDX JSON, or an
// in-toto statement whose predicate is one.
func Decode(r io.Reader, lim Limits) (*Document, error) {
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = DefaultLimits.MaxBytes
	}
	if lim.MaxPackages <= 0 {
		lim.MaxPackages = DefaultLimits.MaxPackages
	}
	cr := &cappedReader{r: r, left: lim.MaxBytes}
	dec := json.NewDecoder(cr)
	d := &decoder{dec: dec, lim: lim, doc: &Document{}}
	err := d.document(0)
	d.doc.Bytes = lim.MaxBytes - cr.left
	if cr.over {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, lim.MaxBytes)
	}
	if err != nil {
		return nil, err
	}
	if d.doc.Format == "" {
		return nil, ErrNotSBOM
	}
	return d.doc, nil
}

// cappedReader ends the stream past left bytes, remembering why.
type cappedReader struct {
	r    io.Reader
	left int64
	over bool
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		c.over = true
		return 0, ErrTooLarge
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

type decoder struct {
	dec *json.Decoder
	lim Limits
	doc *Document
	// spdx and cdx say which format's keys were seen.
	spdxVersion, cdxVersion string
	bomFormat               string
}

// document reads one object: an SBOM, or a statement around one.
func (d *decoder) document(depth int) error {
	if err := d.expectDelim('{'); err != nil {
		return err
	}
	for d.dec.More() {
		key, err := d.key()
		if err != nil {
			return err
		}
		switch key {
		case "spdxVersion":
			d.spdxVersion, err = d.text()
			d.setFormat()
		case "specVersion":
			d.cdxVersion, err = d.text()
			d.setFormat()
		case "bomFormat":
			d.bomFormat, err = d.text()
			d.setFormat()
		case "name":
			if depth == 0 || d.doc.Name == "" {
				var n string
				n, err = d.text()
				d.doc.Name = n
			} else {
				err = d.skip(0)
			}
		case "packages":
			err = d.array(func() error { return d.spdxPackage() })
			if err == nil && d.doc.Format == "" {
				d.doc.Format = "SPDX"
			}
		case "components":
			err = d.array(func() error { return d.component(0) })
			if err == nil && d.doc.Format == "" {
				d.doc.Format = "CycloneDX"
			}
		case "predicate":
			if depth > 0 {
				return fmt.Errorf("%w: a statement inside a statement", ErrMalformed)
			}
			err = d.document(depth + 1)
		default:
			err = d.skip(0)
		}
		if err != nil {
			return err
		}
	}
	_, err := d.dec.Token() // '}'
	return d.jsonErr(err)
}

func (d *decoder) setFormat() {
	switch {
	case d.spdxVersion != "":
		d.doc.Format = "SPDX " + strings.TrimPrefix(d.spdxVersion, "SPDX-")
	case d.bomFormat == "CycloneDX" || (d.bomFormat == "" && d.cdxVersion != "" && d.doc.Format == "CycloneDX"):
		d.doc.Format = strings.TrimSpace("CycloneDX " + d.cdxVersion)
	}
}

func (d *decoder) add(p Package) {
	if len(d.doc.Packages) >= d.lim.MaxPackages {
		d.doc.Truncated = true
		return
	}
	if p.Type == "" {
		p.Type = purlType(p.PURL)
	}
	d.doc.Packages = append(d.doc.Packages, p)
}

type spdxPackage struct {
	Name             string `json:"name"`
	VersionInfo      string `json:"versionInfo"`
	LicenseConcluded string `json:"licenseConcluded"`
	LicenseDeclared  string `json:"licenseDeclared"`
	Purpose          string `json:"primaryPackagePurpose"`
	ExternalRefs     []struct {
		Type    string `json:"referenceType"`
		Locator string `json:"referenceLocator"`
	} `json:"externalRefs"`
}

func (d *decoder) spdxPackage() error {
	var p spdxPackage
	if err := d.dec.Decode(&p); err != nil {
		return d.jsonErr(err)
	}
	pkg := Package{Name: clamp(p.Name), Version: clamp(p.VersionInfo), License: spdxLicense(p.LicenseConcluded, p.LicenseDeclared)}
	for _, r := range p.ExternalRefs {
		if r.Type == "purl" {
			pkg.PURL = clamp(r.Locator)
			break
		}
	}
	pkg.Type = purlType(pkg.PURL)
	if pkg.Type == "" {
		pkg.Type = strings.ToLower(clamp(p.Purpose))
	}
	d.add(pkg)
	return nil
}

func spdxLicense(concluded, declared string) string {
	for _, l := range []string{concluded, declared} {
		if l != "" && l != "NOASSERTION" && l != "NONE" {
			return clamp(l)
		}
	}
	return ""
}

// component reads one CycloneDX component and the components inside it,
// token by token: a component nests, and its depth is bounded here rather
// than by the decoder's stack.
func (d *decoder) component(depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("%w: components nested deeper than %d", ErrMalformed, maxDepth)
	}
	if err := d.expectDelim('{'); err != nil {
		return err
	}
	var p Package
	var group, kind string
	for d.dec.More() {
		key, err := d.key()
		if err != nil {
			return err
		}
		switch key {
		case "name":
			p.Name, err = d.text()
		case "version":
			p.Version, err = d.text()
		case "group":
			group, err = d.text()
		case "type":
			kind, err = d.text()
		case "purl":
			p.PURL, err = d.text()
		case "licenses":
			var ls []struct {
				License struct {
					ID   string `json:"id"`
					Name string `json:"name"`
				} `json:"license"`
				Expression string `json:"expression"`
			}
			if err = d.jsonErr(d.dec.Decode(&ls)); err == nil {
				var names []string
				for _, l := range ls {
					for _, n := range []string{l.Expression, l.License.ID, l.License.Name} {
						if n != "" {
							names = append(names, n)
							break
						}
					}
				}
				p.License = clamp(strings.Join(names, " OR "))
			}
		case "components":
			err = d.array(func() error { return d.component(depth + 1) })
		default:
			err = d.skip(0)
		}
		if err != nil {
			return err
		}
	}
	if _, err := d.dec.Token(); err != nil {
		return d.jsonErr(err)
	}
	if group != "" {
		p.Name = clamp(group + "/" + p.Name)
	}
	p.Type = purlType(p.PURL)
	if p.Type == "" {
		p.Type = clamp(kind)
	}
	d.add(p)
	return nil
}

// array calls each for every element of the array that comes next; null
// is an empty array.
func (d *decoder) array(each func() error) error {
	t, err := d.dec.Token()
	if err != nil {
		return d.jsonErr(err)
	}
	if t == nil {
		return nil
	}
	if t != json.Delim('[') {
		return fmt.Errorf("%w: expected a list, found %v", ErrMalformed, t)
	}
	for d.dec.More() {
		if err := each(); err != nil {
			return err
		}
	}
	_, err = d.dec.Token()
	return d.jsonErr(err)
}

func (d *decoder) expectDelim(want json.Delim) error {
	t, err := d.dec.Token()
	if err != nil {
		return d.jsonErr(err)
	}
	if t != want {
		return fmt.Errorf("%w: expected %v, found %v", ErrMalformed, want, t)
	}
	return nil
}

func (d *decoder) key() (string, error) {
	t, err := d.dec.Token()
	if err != nil {
		return "", d.jsonErr(err)
	}
	k, ok := t.(string)
	if !ok {
		return "", fmt.Errorf("%w: expected a key, found %v", ErrMalformed, t)
	}
	return k, nil
}

// text reads a string value (a number or null becomes text too; an
// object or list is skipped as "").
func (d *decoder) text() (string, error) {
	t, err := d.dec.Token()
	if err != nil {
		return "", d.jsonErr(err)
	}
	switch v := t.(type) {
	case string:
		return clamp(v), nil
	case json.Number, float64, bool:
		return clamp(fmt.Sprint(v)), nil
	case json.Delim:
		return "", d.skip(1)
	}
	return "", nil
}

// skip reads past one value token by token, holding nothing of it;
// depth is how many containers are already open.
func (d *decoder) skip(depth int) error {
	for {
		t, err := d.dec.Token()
		if err != nil {
			return d.jsonErr(err)
		}
		if delim, ok := t.(json.Delim); ok {
			switch delim {
			case '{', '[':
				depth++
				if depth > maxDepth {
					return fmt.Errorf("%w: nested deeper than %d", ErrMalformed, maxDepth)
				}
			default:
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}

func (d *decoder) jsonErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrTooLarge):
		return err
	case err == io.EOF:
		return fmt.Errorf("%w: the document ends early", ErrMalformed)
	}
	return fmt.Errorf("%w: %v", ErrMalformed, err)
}

// purlType is the type of "pkg:deb/debian/bash@5.2": "deb".
func purlType(purl string) string {
	rest, ok := strings.CutPrefix(purl, "pkg:")
	if !ok {
		return ""
	}
	t, _, ok := strings.Cut(rest, "/")
	if !ok {
		return ""
	}
	return strings.ToLower(t)
}

func clamp(s string) string { return printable.Clamp(s, maxField) }
