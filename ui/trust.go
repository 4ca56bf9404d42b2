package ui

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app/humane"
	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/app/trust/sbom"
	"github.com/card-catalog/card-catalog/registry"
)

// trustView is an image's Trust tab: whether it is signed and by whom,
// how it was built, what is attached to it, and the packages its SBOM
// lists. It is read in the background when the image opens; the count of
// packages goes in the image's header.
type trustView struct {
	u   *UI
	tab *container.TabItem
	// inner holds the verdicts and the packages.
	inner       *container.AppTabs
	verdictsTab *container.TabItem
	packagesTab *container.TabItem
	verdicts    *fyne.Container
	badge       *trustBadge
	summary     *widget.Label
	reason      *widget.Label
	// note says the verdict is the index's.
	note         *widget.Label
	packageCount *widget.Label
	packages     *packageTable
	result       *trust.Result
	// sbomErr says why there is no package table.
	sbomErr error
}

func newTrustView(u *UI) *trustView {
	v := &trustView{u: u, badge: newTrustBadge(), summary: wrapping(widget.NewLabel("Looking for signatures, attestations and SBOMs…")),
		reason: wrapping(widget.NewLabel("")), note: wrapping(widget.NewLabel("")), packageCount: widget.NewLabel("")}
	v.note.Importance = widget.LowImportance
	v.note.Hide()
	v.summary.TextStyle.Bold = true
	v.reason.Hide()
	v.packageCount.Importance = widget.LowImportance
	v.packageCount.Hide()
	v.verdicts = container.NewVBox()
	v.verdictsTab = container.NewTabItem("Verdicts", container.NewVScroll(container.NewVBox(
		container.NewBorder(nil, nil, v.badge.box, nil, v.summary), v.reason, v.note, v.verdicts)))
	v.packagesTab = container.NewTabItem("Packages", container.NewCenter(widget.NewLabel("Reading the SBOM…")))
	v.inner = container.NewAppTabs(v.verdictsTab, v.packagesTab)
	v.tab = container.NewTabItem("Trust", v.inner)
	return v
}

// fromIndex says that what is shown is what signs the index: nothing is
// attached to the platform's image itself.
func (v *trustView) fromIndex(digest string) {
	v.note.SetText("Nothing is attached to this platform's image itself: this is what is attached to its index (" + image.ShortDigest(digest) + "), which names this image by its digest, so a signature of the index vouches for it too.")
	v.note.Show()
}

// failed says the check could not run.
func (v *trustView) failed(err error) {
	v.summary.SetText("Could not look at what is attached: " + printable.Line(err.Error()))
	v.summary.Importance = widget.DangerImportance
	v.summary.Refresh()
}

// show draws a result.
func (v *trustView) show(r *trust.Result, ref registry.Reference) {
	v.result = r
	v.badge.set(r)
	v.summary.SetText(printable.Line(r.Report.Summary()))
	reason := ""
	switch r.Badge.State {
	case trust.BadgeNone:
		if r.Report.Outcome() == trust.OutcomeVerified {
			reason = "No policy names a signer for " + ref.Registry.Host + "/" + ref.Repository + ": any signer the trust material vouches for is taken. Settings › Trust adds a rule."
		}
	default:
		reason = "Policy: " + r.Badge.Reason
	}
	v.reason.SetText(printable.Line(reason))
	v.reason.Hidden = reason == ""
	var objs []fyne.CanvasObject
	for _, p := range r.Report.Problems {
		objs = append(objs, wrapping(&widget.Label{Text: "Not looked at: " + printable.Line(p), Importance: widget.WarningImportance}))
	}
	var provenance []fyne.CanvasObject
	if len(r.Report.Verdicts) > 0 {
		objs = append(objs, sectionHead("Signatures and attestations"))
	}
	for _, verdict := range inReadingOrder(r.Report.Verdicts) {
		own, built := splitDetails(verdict.Details())
		title := &widget.Label{Text: printable.Line(verdict.Mark() + " " + verdict.What + " (" + verdict.Found + ")"), TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}
		switch {
		case verdict.Verified:
			title.Importance = widget.SuccessImportance
		case verdict.Signed:
			title.Importance = widget.DangerImportance
		}
		objs = append(objs, title, detailsForm(own))
		if len(built) > 0 {
			provenance = append(provenance, &widget.Label{Text: printable.Line(verdict.What), TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}, detailsForm(built))
		}
	}
	if len(provenance) > 0 {
		objs = append(objs, sectionHead("Provenance: how it was built"))
		objs = append(objs, provenance...)
	}
	objs = append(objs, sectionHead("Attached to this image"))
	objs = append(objs, attachmentTree(r.Tree)...)
	v.verdicts.Objects = objs
	v.verdicts.Refresh()
}

// inReadingOrder is the verdicts signatures first, then attestations,
// then the rest, each by what it is: the same every time, whatever order
// the registry listed them in.
func inReadingOrder(vs []trust.Verdict) []trust.Verdict {
	rank := map[trust.Kind]int{trust.KindSignature: 0, trust.KindAttestation: 1, trust.KindSBOM: 2}
	out := slices.Clone(vs)
	slices.SortStableFunc(out, func(a, b trust.Verdict) int {
		ra, oka := rank[a.Kind]
		rb, okb := rank[b.Kind]
		if !oka {
			ra = 3
		}
		if !okb {
			rb = 3
		}
		return cmp.Or(cmp.Compare(ra, rb), strings.Compare(a.What, b.What))
	})
	return out
}

// provenanceLabels are the details of a verdict that say how the image
// was built (Verdict.Details).
var provenanceLabels = []string{"Built by", "Source", "Source commit", "Source ref", "Build file", "Build run", "Build started", "Build finished", "Provenance"}

func splitDetails(ds []trust.Detail) (own, built []trust.Detail) {
	for _, d := range ds {
		if slices.Contains(provenanceLabels, d.Label) {
			built = append(built, d)
		} else {
			own = append(own, d)
		}
	}
	return own, built
}

func sectionHead(s string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return container.NewVBox(widget.NewSeparator(), l)
}

// detailsForm lays labelled lines out as a form, the values of one label
// in a row ("Checked": each check a line); the values are escaped
// (identities, names: text from outside).
func detailsForm(ds []trust.Detail) fyne.CanvasObject {
	form := widget.NewForm()
	var last *widget.Label
	for i, d := range ds {
		if i > 0 && ds[i-1].Label == d.Label {
			last.SetText(last.Text + "\n" + printable.Line(d.Value))
			continue
		}
		last = widget.NewLabel(printable.Line(d.Value))
		last.Wrapping = fyne.TextWrapBreak
		last.Selectable = true
		form.Append(d.Label, last)
	}
	return form
}

// attachmentTree says what is attached, one line each, with its blobs
// under it: what it is, its kind and format in words, who made it, where
// it was found and for which image.
func attachmentTree(t *trust.Tree) []fyne.CanvasObject {
	if len(t.Attachments) == 0 {
		return []fyne.CanvasObject{widget.NewLabel("Nothing: no signature, attestation or SBOM refers to this image.")}
	}
	var out []fyne.CanvasObject
	for _, a := range t.Attachments {
		parts := []string{string(a.Kind), string(a.Format)}
		if a.Maker != "" {
			parts = append(parts, "made by "+a.Maker)
		}
		parts = append(parts, "found in "+a.Found)
		if a.For != "" && a.For != t.Subject.Digest {
			parts = append(parts, "for image "+image.ShortDigest(a.For))
		}
		if a.Size > 0 {
			parts = append(parts, humanSize(a.Size))
		}
		if !a.Created.IsZero() {
			parts = append(parts, a.Created.UTC().Format(time.DateOnly))
		}
		head := &widget.Label{Text: printable.Line("▸ " + a.What), TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}
		line := wrapping(&widget.Label{Text: printable.Line("   " + strings.Join(parts, " · ") + " · " + image.ShortDigest(a.Digest)), Importance: widget.LowImportance})
		out = append(out, container.NewVBox(head, line))
		for _, l := range a.Layers {
			text := "      └ " + l.What
			if l.PredicateType != "" && !strings.Contains(l.What, l.PredicateType) {
				text += " (" + l.PredicateType + ")"
			}
			text += " · " + humanSize(l.Desc.Size)
			out = append(out, wrapping(widget.NewLabel(printable.Line(text))))
		}
	}
	return out
}

// showSBOM fills the package tab and the header's count.
func (v *trustView) showSBOM(doc *sbom.Document, where *trust.SBOMRef, err error) {
	if err != nil {
		v.sbomErr = err
		text := "Could not read the SBOM: " + printable.Line(err.Error())
		if errors.Is(err, trust.ErrNoSBOM) {
			text = "No SBOM is attached to this image, so its packages are not known."
		}
		v.packagesTab.Content = container.NewCenter(wrapping(widget.NewLabel(text)))
		v.inner.Refresh()
		return
	}
	v.packages = newPackageTable(doc)
	from := ""
	if where != nil {
		from = ", " + where.Where()
	}
	count := humane.Plural(len(doc.Packages), "package", "packages")
	if doc.Truncated {
		count = "more than " + count
	}
	v.packagesTab.Text = "Packages (" + fmt.Sprint(len(doc.Packages)) + ")"
	v.packagesTab.Content = container.NewBorder(wrapping(widget.NewLabel(printable.Line(count+" in the "+doc.Format+" SBOM"+from))), nil, nil, nil, v.packages.box)
	v.inner.Refresh()
	v.packageCount.SetText(printable.Line(count + " (" + doc.Format + " SBOM)"))
	v.packageCount.Show()
}
