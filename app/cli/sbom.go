package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/card-catalog/card-catalog/app/humane"
	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/app/trust/sbom"
	"github.com/card-catalog/card-catalog/registry"
)

// errNoSBOM is sbom's answer when nothing attached is an SBOM: exit 1.
var errNoSBOM = errors.New("no SBOM")

// sbomFlags are sbom's: a search and a column to sort by.
type sbomFlags struct {
	search, sort string
	descending   bool
}

func (f *sbomFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.search, "search", "", "only the packages whose name or PURL holds `TEXT`")
	fs.StringVar(&f.sort, "sort", "name", "sort by `COLUMN`: name, version, type, license or purl")
	fs.BoolVar(&f.descending, "desc", false, "sort the other way")
}

var sortColumns = map[string]sbom.Column{"name": sbom.ByName, "version": sbom.ByVersion, "type": sbom.ByType, "license": sbom.ByLicense, "purl": sbom.ByPURL}

// sbomCommand lists the packages of the image's SBOM (the platform
// image's own first, for an index built by BuildKit).
func sbomCommand(ctx context.Context, env commandEnv, arg string) error {
	col, ok := sortColumns[env.sbom.sort]
	if !ok {
		return fmt.Errorf("%w: --sort takes name, version, type, license or purl", errUsage)
	}
	ref, err := registry.ParseReference(arg, env.plainHTTP, env.insecure)
	if err != nil {
		return err
	}
	src := env.source(ref.Registry)
	_, image, err := image.ResolveImage(ctx, src, ref, env.platform)
	if err != nil {
		return err
	}
	doc, where, err := trust.ImageSBOM(ctx, src, ref, image.Digest, sbom.DefaultLimits)
	if errors.Is(err, trust.ErrNoSBOM) {
		fmt.Fprintln(env.out, printable.Line(ref.String()+": "+err.Error()))
		return errNoSBOM
	}
	if err != nil {
		return err
	}
	pkgs := sbom.Search(doc.Packages, env.sbom.search)
	sbom.Sort(pkgs, col, env.sbom.descending)
	if env.asJSON {
		if pkgs == nil {
			pkgs = []sbom.Package{}
		}
		return writeJSON(env, sbomDoc{Reference: ref.String(), Format: doc.Format, Name: doc.Name, From: where.Where(),
			Count: len(doc.Packages), Shown: len(pkgs), Truncated: doc.Truncated, Packages: pkgs})
	}
	w := bufio.NewWriter(env.out)
	fmt.Fprintln(w, printable.Line(fmt.Sprintf("# %s: %s, %s (%s)", ref, humane.Plural(len(doc.Packages), "package", "packages"), doc.Format, where.Where())))
	if doc.Truncated {
		fmt.Fprintln(w, "# the SBOM lists more packages; the first are shown")
	}
	if env.sbom.search != "" {
		fmt.Fprintln(w, printable.Line(fmt.Sprintf("# %d match %q", len(pkgs), env.sbom.search)))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVERSION\tTYPE\tLICENSE\tPURL")
	for _, p := range pkgs {
		fmt.Fprintln(tw, strings.Join([]string{cell(p.Name), cell(p.Version), cell(p.Type), cell(p.License), cell(p.PURL)}, "\t"))
	}
	tw.Flush()
	return w.Flush()
}

// cell is a field as a table shows it: escaped (a tab in a name would
// break the columns), "-" when empty.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return printable.Line(s)
}

type sbomDoc struct {
	Reference string         `json:"reference"`
	Format    string         `json:"format"`
	Name      string         `json:"name,omitempty"`
	From      string         `json:"from"`
	Count     int            `json:"count"`
	Shown     int            `json:"shown"`
	Truncated bool           `json:"truncated"`
	Packages  []sbom.Package `json:"packages"`
}
