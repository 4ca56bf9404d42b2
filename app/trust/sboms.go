package trust

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/card-catalog/card-catalog/app/trust/provenance"
	"github.com/card-catalog/card-catalog/app/trust/sbom"
	"github.com/card-catalog/card-catalog/registry"
)

// SBOMRef is where an SBOM is kept: one layer of an attachment.
type SBOMRef struct {
	Attachment Attachment
	Layer      Layer
}

// Where says it in words: "SPDX SBOM from OCI referrers".
func (s SBOMRef) Where() string {
	return s.Layer.What + " from " + s.Attachment.Found
}

// SBOMs lists the SBOMs in t: SPDX and CycloneDX referrers, cosign's
// .sbom tag, and attestations (cosign's, BuildKit's, bundles) whose
// predicate is an SBOM. Those for image come first (an index's platform
// image, whose BuildKit SBOM is its own), then those for the subject.
func SBOMs(t *Tree, image string) []SBOMRef {
	var first, rest []SBOMRef
	for _, a := range t.Attachments {
		for _, l := range a.Layers {
			if l.Kind != KindSBOM && !(l.Format == FormatBundle && provenance.IsSBOM(a.bundlePredicate())) {
				continue
			}
			ref := SBOMRef{Attachment: a, Layer: l}
			if a.For == image {
				first = append(first, ref)
			} else {
				rest = append(rest, ref)
			}
		}
	}
	return append(first, rest...)
}

// ReadSBOM reads one SBOM's package list. A bare document or a BuildKit
// statement is decoded as it streams in; a DSSE envelope or a bundle is
// read whole under the signature bound first, its payload being base64
// inside it. Reading an SBOM verifies nothing: Verify says whether the
// attestation that holds it is signed.
func ReadSBOM(ctx context.Context, src Source, s SBOMRef, lim sbom.Limits) (*sbom.Document, error) {
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = sbom.DefaultLimits.MaxBytes
	}
	switch s.Layer.Format {
	case FormatCosignAtt, FormatBundle:
		raw, err := readBlob(ctx, src, s.Attachment.Repo, s.Layer.Desc, min(lim.MaxBytes, maxSignatureBytes*4))
		if err != nil {
			return nil, err
		}
		payload, err := envelopePayload(raw, s.Layer.Format)
		if err != nil {
			return nil, err
		}
		return sbom.Decode(bytes.NewReader(payload), lim)
	}
	if s.Layer.Desc.Size > lim.MaxBytes {
		return nil, fmt.Errorf("%w: the SBOM is %d bytes, over the %d read", sbom.ErrTooLarge, s.Layer.Desc.Size, lim.MaxBytes)
	}
	if _, ok := src.(smallBlobs); ok && s.Layer.Desc.Size > 0 && s.Layer.Desc.Size <= maxSignatureBytes {
		// Most SBOMs are small: read whole through the Source's cache, so
		// that they are there offline.
		raw, err := readBlob(ctx, src, s.Attachment.Repo, s.Layer.Desc, maxSignatureBytes)
		if err != nil {
			return nil, err
		}
		return sbom.Decode(bytes.NewReader(raw), lim)
	}
	r, err := src.OpenBlob(ctx, s.Attachment.Repo, s.Layer.Desc.Digest.String(), registry.BlobRange{})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	doc, err := sbom.Decode(r, lim)
	if err != nil {
		return nil, err
	}
	// The decoder stops at the document's end: read on to the blob's, so
	// that its digest is checked (a digest mismatch is the last read's
	// error), under the same bound.
	if _, err := io.Copy(io.Discard, io.LimitReader(r, lim.MaxBytes-doc.Bytes+1)); err != nil {
		return nil, err
	}
	return doc, nil
}

// envelopePayload is the statement inside a DSSE envelope, or inside a
// bundle's.
func envelopePayload(raw []byte, f Format) ([]byte, error) {
	if f == FormatBundle {
		var b struct {
			DSSE json.RawMessage `json:"dsseEnvelope"`
		}
		if err := json.Unmarshal(raw, &b); err != nil || len(b.DSSE) == 0 {
			return nil, errors.New("the bundle holds no DSSE envelope")
		}
		raw = b.DSSE
	}
	e, err := provenance.ParseEnvelope(raw)
	if err != nil {
		return nil, err
	}
	return e.Payload, nil
}

// ImageSBOM is the first SBOM of ref (see SBOMs), read.
func ImageSBOM(ctx context.Context, src Source, ref registry.Reference, image string, lim sbom.Limits) (*sbom.Document, *SBOMRef, error) {
	t, err := Discover(ctx, src, ref)
	if err != nil {
		return nil, nil, err
	}
	refs := SBOMs(t, image)
	if len(refs) == 0 {
		return nil, nil, ErrNoSBOM
	}
	doc, err := ReadSBOM(ctx, src, refs[0], lim)
	if err != nil {
		return nil, &refs[0], err
	}
	return doc, &refs[0], nil
}

// ErrNoSBOM says that nothing attached to the image is an SBOM.
var ErrNoSBOM = errors.New("no SBOM is attached to the image")

// SBOMSide is one image of an SBOM comparison: its source, the reference
// as asked (an index's SBOMs hang on the index) and the digest of the
// image compared (a platform's).
type SBOMSide struct {
	Src   Source
	Ref   registry.Reference
	Image string
}

// SBOMDiff is how two images' package lists differ.
type SBOMDiff struct {
	A, B       *sbom.Document
	WhereA     string
	WhereB     string
	Changes    sbom.Changes
	MissingA   error
	MissingB   error
	Comparable bool
}

// Missing says which image has no SBOM, and why: "the first: …" or "the
// second: …"; "" when both have one.
func (d *SBOMDiff) Missing() string {
	switch {
	case d.MissingA != nil:
		return "the first: " + d.MissingA.Error()
	case d.MissingB != nil:
		return "the second: " + d.MissingB.Error()
	}
	return ""
}

// Summary is the comparison in one line: the counts on each side and of
// each kind of change.
func (d *SBOMDiff) Summary() string {
	c := d.Changes
	return fmt.Sprintf("%d → %d; %d added, %d removed, %d upgraded or downgraded", len(d.A.Packages), len(d.B.Packages), len(c.Added), len(c.Removed), len(c.Upgraded))
}

// CompareSBOMs reads both images' SBOMs and compares their packages. An
// image without one is said in MissingA or MissingB, not as an error:
// the rest of a comparison stands without it.
func CompareSBOMs(ctx context.Context, a, b SBOMSide, lim sbom.Limits) (*SBOMDiff, error) {
	d := &SBOMDiff{}
	var refA, refB *SBOMRef
	d.A, refA, d.MissingA = ImageSBOM(ctx, a.Src, a.Ref, a.Image, lim)
	d.B, refB, d.MissingB = ImageSBOM(ctx, b.Src, b.Ref, b.Image, lim)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if refA != nil {
		d.WhereA = refA.Where()
	}
	if refB != nil {
		d.WhereB = refB.Where()
	}
	if d.MissingA == nil && d.MissingB == nil {
		d.Comparable = true
		d.Changes = sbom.Compare(d.A.Packages, d.B.Packages)
	}
	return d, nil
}
