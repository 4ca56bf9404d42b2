package cli

import (
	"bufio"
	"context"
	"fmt"

	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/app/trust/sbom"
	"github.com/card-catalog/card-catalog/registry"
)

// diffSBOMs compares the two images' SBOMs (trust.CompareSBOMs); nil
// when the images are the same or neither has one.
func diffSBOMs(ctx context.Context, env commandEnv, d *image.ImageDiff, refA, refB registry.Reference) (*trust.SBOMDiff, error) {
	if d.Same {
		return nil, nil
	}
	p, err := trust.CompareSBOMs(ctx,
		trust.SBOMSide{Src: env.source(refA.Registry), Ref: refA, Image: d.A.Manifest.Digest},
		trust.SBOMSide{Src: env.source(refB.Registry), Ref: refB, Image: d.B.Manifest.Digest}, sbom.DefaultLimits)
	if err != nil || (p.A == nil && p.B == nil) {
		return nil, err
	}
	return p, nil
}

func printPackages(w *bufio.Writer, p *trust.SBOMDiff) {
	if p == nil {
		return
	}
	line := func(format string, a ...any) { w.WriteString(printable.Line(fmt.Sprintf(format, a...)) + "\n") }
	if !p.Comparable {
		line("# packages: only one image has an SBOM (%s)", p.Missing())
		return
	}
	line("# packages: %s", p.Summary())
	for _, l := range p.Changes.Lines() {
		line("%c %s", l.Op, l.Text)
	}
}

type packagesDoc struct {
	CountA   int            `json:"countA"`
	CountB   int            `json:"countB"`
	Missing  string         `json:"missing,omitempty"`
	Added    []sbom.Package `json:"added"`
	Removed  []sbom.Package `json:"removed"`
	Upgraded []sbom.Upgrade `json:"upgraded"`
}

func packagesJSON(p *trust.SBOMDiff) *packagesDoc {
	if p == nil {
		return nil
	}
	doc := &packagesDoc{Added: []sbom.Package{}, Removed: []sbom.Package{}, Upgraded: []sbom.Upgrade{}}
	if p.A != nil {
		doc.CountA = len(p.A.Packages)
	}
	if p.B != nil {
		doc.CountB = len(p.B.Packages)
	}
	if !p.Comparable {
		doc.Missing = p.Missing()
		return doc
	}
	doc.Added = append(doc.Added, p.Changes.Added...)
	doc.Removed = append(doc.Removed, p.Changes.Removed...)
	doc.Upgraded = append(doc.Upgraded, p.Changes.Upgraded...)
	return doc
}
