package trust

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/app/trust/provenance"
	"github.com/card-catalog/card-catalog/registry"
)

// Media and artifact types of what is attached to images.
const (
	MediaBundle       = "application/vnd.dev.sigstore.bundle.v0.3+json"
	MediaSimpleSign   = "application/vnd.dev.cosign.simplesigning.v1+json"
	MediaDSSE         = "application/vnd.dsse.envelope.v1+json"
	MediaInToto       = "application/vnd.in-toto+json"
	MediaNotation     = "application/vnd.cncf.notary.signature"
	MediaSPDX         = "application/spdx+json"
	MediaCycloneDX    = "application/vnd.cyclonedx+json"
	mediaSPDXText     = "text/spdx+json"
	mediaBundlePrefix = "application/vnd.dev.sigstore.bundle"
	// cosign's artifact types when it stores its signatures, attestations
	// and SBOMs as OCI 1.1 referrers instead of tags.
	mediaCosignSigArtifact  = "application/vnd.dev.cosign.artifact.sig.v1+json"
	mediaCosignAttArtifact  = "application/vnd.dev.cosign.artifact.att.v1+json"
	mediaCosignSBOMArtifact = "application/vnd.dev.cosign.artifact.sbom.v1+json"
)

// BuildKit's annotations on the attestation manifests it puts in an index.
const (
	annotationRefType   = "vnd.docker.reference.type"
	annotationRefDigest = "vnd.docker.reference.digest"
	refTypeAttestation  = "attestation-manifest"
	// AnnotationPredicateType names an in-toto layer's predicate
	// (BuildKit, cosign).
	AnnotationPredicateType = "in-toto.io/predicate-type"
	annotationCreated       = "org.opencontainers.image.created"
	// annotationBundlePredicate is set by cosign and GitHub's attest
	// action on a bundle referrer that holds an attestation.
	annotationBundlePredicate = "dev.sigstore.bundle.predicateType"
)

// Kind is what an attachment is for.
type Kind string

const (
	KindSignature   Kind = "signature"
	KindAttestation Kind = "attestation"
	KindSBOM        Kind = "SBOM"
	KindOther       Kind = "other"
)

// Format is how an attachment is written.
type Format string

const (
	FormatBundle     Format = "Sigstore bundle"
	FormatCosign     Format = "cosign signature"
	FormatCosignAtt  Format = "cosign attestation"
	FormatInToto     Format = "in-toto statement"
	FormatNotation   Format = "Notation signature"
	FormatSPDX       Format = "SPDX"
	FormatCycloneDX  Format = "CycloneDX"
	FormatUnknownFmt Format = "unknown"
)

// Subject is the image the tree is about.
type Subject struct {
	Ref       registry.Reference
	Digest    string
	MediaType string
	// Manifest is what Ref points at (an index, an image).
	Manifest *registry.Manifest
}

// Tree is everything found attached to an image.
type Tree struct {
	Subject     Subject
	Attachments []Attachment
	// Problems says what could not be looked at, in words (the
	// referrers API failed, a tag could not be read): the tree may be
	// missing things, and an empty tree is then not "unsigned".
	Problems []string
}

// Attachment is one thing attached to the subject: a signature, an
// attestation, an SBOM.
type Attachment struct {
	Kind   Kind
	Format Format
	// What says it in words: "Sigstore bundle: SLSA provenance v1".
	What string
	// Maker is the tool that wrote it, as far as its form tells
	// ("cosign", "Notation", "BuildKit"); who signed it is the verdict's.
	Maker string
	// Found says where: "OCI referrers API", "cosign tag sha256-….sig",
	// "BuildKit attestation in the index".
	Found string
	// For is the digest it is attached to: the subject, or one image of
	// the subject's index.
	For          string
	Digest       string
	MediaType    string
	ArtifactType string
	Size         int64
	Created      time.Time
	Layers       []Layer
	// Annotations are its manifest's.
	Annotations map[string]string
	// Repo is where its blobs are read.
	Repo registry.Reference
}

// Layer is one blob of an attachment: one signature, statement or SBOM.
type Layer struct {
	Desc          v1.Descriptor
	Kind          Kind
	Format        Format
	What          string
	PredicateType string
}

// Count is how many attachments are of kind k.
func (t *Tree) Count(k Kind) int {
	n := 0
	for _, a := range t.Attachments {
		if a.Kind == k {
			n++
		}
	}
	return n
}

// Discover finds what is attached to ref: its OCI referrers (or the
// referrers tag where the API is missing: registry.Client.Referrers), the
// cosign tags of its digest, and, for an index, BuildKit's attestation
// manifests. What cannot be looked at is said in Problems, not returned as
// an error: only the subject's own manifest failing is one.
func Discover(ctx context.Context, src Source, ref registry.Reference) (*Tree, error) {
	m, err := src.Manifest(ctx, ref)
	if err != nil {
		return nil, err
	}
	t := &Tree{Subject: Subject{Ref: ref, Digest: m.Digest, MediaType: m.MediaType, Manifest: m}}
	repo := ref
	repo.Tag, repo.Digest = "", ""
	d := discoverer{src: src, repo: repo, tree: t}
	d.referrers(ctx, m.Digest)
	d.cosignTags(ctx, m.Digest)
	if m.Index != nil {
		d.buildKit(ctx, m.Index)
	}
	return t, ctx.Err()
}

type discoverer struct {
	src  Source
	repo registry.Reference
	tree *Tree
	seen map[string]bool
}

func (d *discoverer) problem(format string, a ...any) {
	d.tree.Problems = append(d.tree.Problems, fmt.Sprintf(format, a...))
}

func (d *discoverer) referrers(ctx context.Context, digest string) {
	ds, err := d.src.Referrers(ctx, d.repo, digest)
	if err != nil {
		d.problem("the referrers of %s could not be listed: %v", digest, err)
		return
	}
	if len(ds) > maxAttachments {
		d.problem("%d referrers; the first %d are looked at", len(ds), maxAttachments)
		ds = ds[:maxAttachments]
	}
	for _, desc := range ds {
		d.add(ctx, desc, digest, "OCI referrers")
	}
}

// cosignTags reads cosign's sha256-<hex>.sig, .att and .sbom tags: where
// cosign keeps what it attaches on registries without referrers.
func (d *discoverer) cosignTags(ctx context.Context, digest string) {
	base, ok := cosignTagBase(digest)
	if !ok {
		return
	}
	for _, suffix := range []string{".sig", ".att", ".sbom"} {
		ref := d.repo
		ref.Tag = base + suffix
		m, err := d.src.Manifest(ctx, ref)
		switch {
		case errors.Is(err, registry.ErrNotFound):
			continue
		case err != nil:
			d.problem("cosign's tag %s could not be read: %v", ref.Tag, err)
			continue
		case m.Image == nil:
			d.problem("cosign's tag %s is not an image manifest", ref.Tag)
			continue
		}
		a := d.attachment(m, v1.Descriptor{MediaType: "", Digest: mustHash(m.Digest), Size: m.Size}, digest, "cosign tag "+ref.Tag)
		a.Maker = "cosign"
		switch suffix {
		case ".sig":
			a.Kind, a.Format, a.What = KindSignature, FormatCosign, "cosign signature"
		case ".att":
			a.Kind, a.Format, a.What = KindAttestation, FormatCosignAtt, "cosign attestation"
		case ".sbom":
			a.Kind, a.What = KindSBOM, "SBOM attached by cosign"
			if len(a.Layers) > 0 {
				a.Format = a.Layers[0].Format
			}
		}
		if a.Kind != KindSBOM && len(a.Layers) > 0 && a.Layers[0].PredicateType != "" {
			a.What += ": " + provenance.PredicateName(a.Layers[0].PredicateType)
		}
		d.tree.Attachments = append(d.tree.Attachments, a)
	}
}

// cosignTagBase is "sha256-<hex>" for "sha256:<hex>".
func cosignTagBase(digest string) (string, bool) {
	alg, hex, ok := strings.Cut(digest, ":")
	return alg + "-" + hex, ok && alg != "" && hex != ""
}

// buildKit finds the attestation manifests BuildKit puts in an index
// beside the images: platform unknown/unknown, annotated with the digest of
// the image they describe. Their statements are not signed.
func (d *discoverer) buildKit(ctx context.Context, idx *v1.IndexManifest) {
	for _, desc := range idx.Manifests {
		if desc.Annotations[annotationRefType] != refTypeAttestation {
			continue
		}
		for_ := desc.Annotations[annotationRefDigest]
		if _, err := v1.NewHash(for_); err != nil {
			d.problem("a BuildKit attestation (%s) names no image it is for", desc.Digest)
			continue
		}
		m, err := d.manifest(ctx, desc)
		if err != nil {
			d.problem("the BuildKit attestation %s could not be read: %v", desc.Digest, err)
			continue
		}
		a := d.attachment(m, desc, for_, "BuildKit attestation in the index")
		a.Kind, a.Format, a.Maker = KindAttestation, FormatInToto, "BuildKit"
		var names []string
		for _, l := range a.Layers {
			names = append(names, l.What)
		}
		a.What = "BuildKit attestation: " + strings.Join(names, ", ")
		if len(names) == 0 {
			a.What = "BuildKit attestation (empty)"
		}
		d.tree.Attachments = append(d.tree.Attachments, a)
	}
}

// add reads a referrer's manifest and classifies it.
func (d *discoverer) add(ctx context.Context, desc v1.Descriptor, for_, found string) {
	if d.seen[desc.Digest.String()] {
		return
	}
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	d.seen[desc.Digest.String()] = true
	m, err := d.manifest(ctx, desc)
	if err != nil {
		d.problem("the referrer %s could not be read: %v", desc.Digest, err)
		return
	}
	a := d.attachment(m, desc, for_, found)
	classifyReferrer(&a)
	d.tree.Attachments = append(d.tree.Attachments, a)
}

func (d *discoverer) manifest(ctx context.Context, desc v1.Descriptor) (*registry.Manifest, error) {
	ref := d.repo
	ref.Digest = desc.Digest.String()
	return d.src.Manifest(ctx, ref)
}

func (d *discoverer) attachment(m *registry.Manifest, desc v1.Descriptor, for_, found string) Attachment {
	a := Attachment{
		For: for_, Found: found, Digest: m.Digest, MediaType: m.MediaType, ArtifactType: m.ArtifactType(),
		Size: m.Size, Repo: d.repo, Kind: KindOther, Format: FormatUnknownFmt,
	}
	if a.ArtifactType == "" {
		a.ArtifactType = desc.ArtifactType
	}
	var annotations map[string]string
	if m.Image != nil {
		annotations = m.Image.Annotations
		a.Annotations = annotations
		layers := m.Image.Layers
		if len(layers) > maxLayers {
			d.problem("%s has %d layers; the first %d are looked at", m.Digest, len(layers), maxLayers)
			layers = layers[:maxLayers]
		}
		for _, l := range layers {
			a.Layers = append(a.Layers, classifyLayer(l))
		}
	}
	if t, err := time.Parse(time.RFC3339, annotations[annotationCreated]); err == nil {
		a.Created = t
	} else if t, err := time.Parse(time.RFC3339, desc.Annotations[annotationCreated]); err == nil {
		a.Created = t
	}
	return a
}

func classifyLayer(d v1.Descriptor) Layer {
	l := Layer{Desc: d, Kind: KindOther, Format: FormatUnknownFmt, What: string(d.MediaType), PredicateType: d.Annotations[AnnotationPredicateType]}
	if l.PredicateType == "" {
		l.PredicateType = d.Annotations["predicateType"] // cosign's .att layers
	}
	mt := string(d.MediaType)
	switch {
	case strings.HasPrefix(mt, mediaBundlePrefix):
		l.Kind, l.Format, l.What = KindSignature, FormatBundle, "Sigstore bundle"
	case mt == MediaSimpleSign:
		l.Kind, l.Format, l.What = KindSignature, FormatCosign, "cosign signature"
	case mt == MediaDSSE:
		l.Kind, l.Format, l.What = KindAttestation, FormatCosignAtt, "signed in-toto attestation"
	case mt == MediaInToto:
		l.Kind, l.Format, l.What = KindAttestation, FormatInToto, "in-toto statement"
	case mt == "application/jose+json" || mt == "application/cose":
		l.Kind, l.Format, l.What = KindSignature, FormatNotation, "Notation signature"
	case isSPDX(mt):
		l.Kind, l.Format, l.What = KindSBOM, FormatSPDX, "SPDX SBOM"
	case isCycloneDX(mt):
		l.Kind, l.Format, l.What = KindSBOM, FormatCycloneDX, "CycloneDX SBOM"
	}
	if l.PredicateType != "" {
		l.What = provenance.PredicateName(l.PredicateType)
		if provenance.IsSBOM(l.PredicateType) {
			l.Kind = KindSBOM
		}
	}
	return l
}

// classifyReferrer names a referrer by its artifact type, else by its
// first layer.
func classifyReferrer(a *Attachment) {
	first := Layer{Kind: KindOther, Format: FormatUnknownFmt}
	if len(a.Layers) > 0 {
		first = a.Layers[0]
	}
	at := a.ArtifactType
	switch {
	case strings.HasPrefix(at, mediaBundlePrefix) || first.Format == FormatBundle:
		a.Kind, a.Format, a.Maker = KindSignature, FormatBundle, "Sigstore (cosign, GitHub)"
		a.What = "Sigstore bundle"
		if pt := a.bundlePredicate(); pt != "" {
			a.Kind, a.What = KindAttestation, "Sigstore bundle: "+provenance.PredicateName(pt)
		}
	case at == MediaNotation:
		a.Kind, a.Format, a.Maker, a.What = KindSignature, FormatNotation, "Notation", "Notation signature"
	case at == mediaCosignSigArtifact:
		a.Kind, a.Format, a.Maker, a.What = KindSignature, FormatCosign, "cosign", "cosign signature"
	case at == mediaCosignAttArtifact:
		a.Kind, a.Format, a.Maker, a.What = KindAttestation, FormatCosignAtt, "cosign", "cosign attestation"
	case isSPDX(at) || isCycloneDX(at) || at == mediaCosignSBOMArtifact || first.Kind == KindSBOM:
		a.Kind, a.Format, a.What = KindSBOM, first.Format, "SBOM"
		if isSPDX(at) {
			a.Format = FormatSPDX
		} else if isCycloneDX(at) {
			a.Format = FormatCycloneDX
		}
		if a.Format != FormatUnknownFmt {
			a.What = string(a.Format) + " SBOM"
		}
	case at == MediaInToto || first.Format == FormatInToto || first.Format == FormatCosignAtt:
		a.Kind, a.Format, a.What = KindAttestation, first.Format, "attestation: "+first.What
	default:
		a.What = "artifact " + at
		if at == "" {
			a.What = "artifact of no declared type"
		}
	}
}

// bundlePredicate is the predicate type a bundle referrer declares in its
// annotations (cosign and GitHub's attest action set it), if any.
func (a *Attachment) bundlePredicate() string {
	if pt := a.Annotations[annotationBundlePredicate]; pt != "" {
		return pt
	}
	for _, l := range a.Layers {
		if l.PredicateType != "" {
			return l.PredicateType
		}
	}
	return ""
}

func isSPDX(mt string) bool {
	return mt == MediaSPDX || mt == mediaSPDXText || mt == "text/spdx"
}

func isCycloneDX(mt string) bool {
	return strings.HasPrefix(mt, "application/vnd.cyclonedx")
}

func mustHash(digest string) v1.Hash {
	h, _ := v1.NewHash(digest)
	return h
}
