package sbom_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/card-catalog/card-catalog/app/trust/sbom"
)

const spdx = `{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","name":"acme/app","creationInfo":{"creators":["Tool: syft"]},
"packages":[
 {"name":"bash","versionInfo":"5.2.15-2","licenseConcluded":"NOASSERTION","licenseDeclared":"GPL-3.0-or-later","externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl","referenceLocator":"pkg:deb/debian/bash@5.2.15-2"}]},
 {"name":"openssl","versionInfo":"3.0.11","licenseConcluded":"Apache-2.0","externalRefs":[{"referenceType":"purl","referenceLocator":"pkg:deb/debian/openssl@3.0.11"}]},
 {"name":"app","versionInfo":"1.0","primaryPackagePurpose":"APPLICATION"}
]}`

const cyclonedx = `{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"component":{"name":"acme/app","type":"container"}},
"components":[
 {"type":"library","name":"bash","version":"5.2.21","purl":"pkg:deb/debian/bash@5.2.21","licenses":[{"license":{"id":"GPL-3.0-or-later"}}]},
 {"type":"library","group":"@acme","name":"left-pad","version":"1.3.0","purl":"pkg:npm/%40acme/left-pad@1.3.0","licenses":[{"expression":"MIT OR Apache-2.0"}],
  "components":[{"type":"library","name":"inner","version":"0.1"}]}
]}`

func decode(t *testing.T, doc string) *sbom.Document {
	t.Helper()
	d, err := sbom.Decode(strings.NewReader(doc), sbom.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDecodeSPDX(t *testing.T) {
	d := decode(t, spdx)
	if d.Format != "SPDX 2.3" || d.Name != "acme/app" || len(d.Packages) != 3 {
		t.Fatalf("%s %q %d packages", d.Format, d.Name, len(d.Packages))
	}
	want := sbom.Package{Name: "bash", Version: "5.2.15-2", Type: "deb", License: "GPL-3.0-or-later", PURL: "pkg:deb/debian/bash@5.2.15-2"}
	if d.Packages[0] != want {
		t.Errorf("%+v", d.Packages[0])
	}
	if d.Packages[2].Type != "application" {
		t.Errorf("%+v", d.Packages[2])
	}
}

func TestDecodeCycloneDX(t *testing.T) {
	d := decode(t, cyclonedx)
	if d.Format != "CycloneDX 1.5" || len(d.Packages) != 3 {
		t.Fatalf("%s %d packages: %+v", d.Format, len(d.Packages), d.Packages)
	}
	names := map[string]sbom.Package{}
	for _, p := range d.Packages {
		names[p.Name] = p
	}
	if p := names["@acme/left-pad"]; p.Type != "npm" || p.License != "MIT OR Apache-2.0" {
		t.Errorf("%+v", p)
	}
	if _, ok := names["inner"]; !ok {
		t.Error("a nested component is missing")
	}
}

func TestDecodeStatement(t *testing.T) {
	doc := `{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://spdx.dev/Document","subject":[],"predicate":` + spdx + `}`
	if d := decode(t, doc); d.Format != "SPDX 2.3" || len(d.Packages) != 3 {
		t.Fatalf("%s %d", d.Format, len(d.Packages))
	}
}

func TestDecodeRefuses(t *testing.T) {
	cases := map[string]struct {
		doc  string
		want error
	}{
		"not an SBOM":        {`{"hello":"world"}`, sbom.ErrNotSBOM},
		"truncated":          {spdx[:200], sbom.ErrMalformed},
		"not JSON":           {`<spdx/>`, sbom.ErrMalformed},
		"deep components":    {`{"bomFormat":"CycloneDX","components":[` + strings.Repeat(`{"name":"x","components":[`, 100) + strings.Repeat(`]}`, 100) + `]}`, sbom.ErrMalformed},
		"deep skipped value": {`{"spdxVersion":"SPDX-2.3","x":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`, sbom.ErrMalformed},
		"nested statements":  {`{"predicate":{"predicate":` + spdx + `}}`, sbom.ErrMalformed},
	}
	for name, c := range cases {
		if _, err := sbom.Decode(strings.NewReader(c.doc), sbom.DefaultLimits); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
}

func TestControlCharactersAreKeptForTheCallerToEscape(t *testing.T) {
	d := decode(t, `{"spdxVersion":"SPDX-2.3","packages":[{"name":"evil\u001b[31m\u202e","versionInfo":"1"}]}`)
	if d.Packages[0].Name != "evil\x1b[31m\u202e" {
		t.Errorf("%q", d.Packages[0].Name)
	}
}

// packages streams an SPDX document of n packages without holding it.
func packages(n int) io.Reader {
	var i int
	var pending bytes.Buffer
	pending.WriteString(`{"spdxVersion":"SPDX-2.3","name":"big","packages":[`)
	return readerFunc(func(p []byte) (int, error) {
		for pending.Len() < len(p) && i <= n {
			switch {
			case i == n:
				pending.WriteString(`]}`)
			case i > 0:
				pending.WriteByte(',')
				fallthrough
			default:
				fmt.Fprintf(&pending, `{"name":"package-%d","versionInfo":"1.%d.0","licenseConcluded":"MIT","externalRefs":[{"referenceType":"purl","referenceLocator":"pkg:npm/package-%d@1.%d.0"}]}`, i, i%100, i, i%100)
			}
			i++
		}
		if pending.Len() == 0 {
			return 0, io.EOF
		}
		return pending.Read(p)
	})
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// A 2 GB SBOM costs its bounds: the decoder stops at MaxBytes, having
// kept at most MaxPackages, with memory bounded by them, not by the
// document.
func TestHugeSBOMIsBounded(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	lim := sbom.Limits{MaxBytes: 64 << 20, MaxPackages: 10_000}
	_, err := sbom.Decode(packages(2<<30/150), lim) // about 2 GB of packages
	runtime.ReadMemStats(&after)
	if !errors.Is(err, sbom.ErrTooLarge) {
		t.Fatalf("err = %v", err)
	}
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 64<<20 {
		t.Errorf("the heap grew by %d MB", grew>>20)
	}
	d, err := sbom.Decode(packages(50_000), sbom.Limits{MaxPackages: 10_000})
	if err != nil {
		t.Fatal(err)
	}
	if !d.Truncated || len(d.Packages) != 10_000 {
		t.Errorf("%d packages, truncated %v", len(d.Packages), d.Truncated)
	}
}

func TestSearchAndSort(t *testing.T) {
	pkgs := decode(t, spdx).Packages
	if got := sbom.Search(pkgs, "APACHE"); len(got) != 1 || got[0].Name != "openssl" {
		t.Errorf("search: %+v", got)
	}
	if got := sbom.Search(pkgs, "pkg:deb"); len(got) != 2 {
		t.Errorf("search by purl: %+v", got)
	}
	sbom.Sort(pkgs, sbom.ByName, true)
	if pkgs[0].Name != "openssl" || pkgs[2].Name != "app" {
		t.Errorf("sort: %+v", pkgs)
	}
	vs := []sbom.Package{{Name: "a", Version: "1.10"}, {Name: "b", Version: "1.9"}, {Name: "c", Version: "1.9.1"}}
	sbom.Sort(vs, sbom.ByVersion, false)
	if vs[0].Version != "1.9" || vs[1].Version != "1.9.1" || vs[2].Version != "1.10" {
		t.Errorf("versions: %+v", vs)
	}
}

func TestCompare(t *testing.T) {
	old := decode(t, spdx).Packages
	new := []sbom.Package{
		{Name: "bash", Version: "5.2.21", Type: "deb"},
		{Name: "openssl", Version: "3.0.9", Type: "deb"},
		{Name: "curl", Version: "8.5.0", Type: "deb"},
	}
	c := sbom.Compare(old, new)
	if len(c.Added) != 1 || c.Added[0].Name != "curl" || len(c.Removed) != 1 || c.Removed[0].Name != "app" || len(c.Upgraded) != 2 {
		t.Fatalf("%+v", c)
	}
	if u := c.Upgraded[0]; u.Name != "bash" || u.From != "5.2.15-2" || u.To != "5.2.21" || u.Downgrade {
		t.Errorf("%+v", u)
	}
	if u := c.Upgraded[1]; u.Name != "openssl" || !u.Downgrade {
		t.Errorf("%+v", u)
	}
	if c.Count() != 4 {
		t.Errorf("count %d", c.Count())
	}
}

// BenchmarkDecode10MB parses a 10 MB SPDX SBOM (about 60,000 packages).
func BenchmarkDecode10MB(b *testing.B) {
	var doc bytes.Buffer
	io.Copy(&doc, packages(60_000))
	b.SetBytes(int64(doc.Len()))
	for b.Loop() {
		d, err := sbom.Decode(bytes.NewReader(doc.Bytes()), sbom.DefaultLimits)
		if err != nil || len(d.Packages) != 60_000 {
			b.Fatal(err)
		}
	}
}
