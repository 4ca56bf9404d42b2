package transfer

import (
	"context"
	"errors"
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"golang.org/x/sync/errgroup"

	"github.com/card-catalog/card-catalog/app/humane"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/registry"
)

// Bounds on what one copy takes in, so that a hostile source cannot make
// it hold unbounded memory or run for ever: manifests (an index's
// children, referrers and theirs), distinct blobs, and how deep indexes
// nest.
const (
	maxManifests = 2000
	maxBlobs     = 20000
	maxDepth     = 4
	// checkers is how many HEADs a plan sends at once.
	checkers = 8
)

// Options say what a copy takes along.
type Options struct {
	// Referrers copies what refers to the image and to each manifest of
	// an index (signatures, SBOMs, attestations: OCI referrers, and
	// cosign's sha256-<hex>.sig, .att and .sbom tags).
	Referrers bool
	// Jobs is how many blobs go at once (default 4).
	Jobs int
}

// Action is what a blob will take.
type Action int

const (
	// Present: the target has it; nothing is sent.
	Present Action = iota
	// Mount: it is mounted from the source's repository on the same
	// registry; nothing is sent (unless the registry does not mount).
	Mount
	// Send: its bytes are streamed from source to target.
	Send
)

// Blob is one blob of the copy.
type Blob struct {
	Desc   v1.Descriptor
	Action Action
	// Of is the digest of the first manifest that names it.
	Of string
}

// Manifest is one manifest of the copy, in the order they are pushed:
// children before their index, referrers after their subject.
type Manifest struct {
	M *registry.Manifest
	// Role says what it is: "image", "index", "image linux/arm64 of the
	// index", "referrer of sha256:…", "cosign tag sha256-….sig".
	Role string
	// Tag is the tag it goes under too (cosign's tags), else "".
	Tag string
	// Present: the target has it by digest already.
	Present bool
	// Subject is the digest it refers to, for a referrer.
	Subject string
}

// Plan is a copy before it runs: what it reads, what the target has, and
// what will be sent.
type Plan struct {
	Source, Target string
	src            Source
	dst            Target
	opts           Options
	Root           *registry.Manifest
	// Manifests in push order: children before their index, referrers
	// after their subject.
	Manifests []Manifest
	// Blobs, each once.
	Blobs []Blob
	// Tag is the target's tag, and what it points at now ("" when new).
	Tag, TagNow string
	// Skipped says what is left out, in words (a foreign layer, a referrer
	// that could not be read).
	Skipped []string
}

// NewPlan reads what src's root names (every manifest under an index,
// and with Options.Referrers what refers to them) and asks dst what it
// has. Nothing is written.
func NewPlan(ctx context.Context, src Source, dst Target, o Options) (*Plan, error) {
	if o.Jobs <= 0 {
		o.Jobs = 4
	}
	root, err := src.Root(ctx)
	if err != nil {
		return nil, err
	}
	p := &Plan{Source: src.String(), Target: dst.String(), src: src, dst: dst, opts: o, Root: root}
	w := &walker{plan: p, src: src, seenManifest: map[string]bool{}, seenBlob: map[string]bool{}}
	if err := w.walk(ctx, root, "", 0); err != nil {
		return nil, err
	}
	if o.Referrers {
		w.referrers(ctx)
	}
	if err := p.check(ctx); err != nil {
		return nil, err
	}
	p.Tag, p.TagNow, err = dst.Tag(ctx)
	return p, err
}

// walker gathers a plan's manifests and blobs.
type walker struct {
	plan         *Plan
	src          Source
	seenManifest map[string]bool
	seenBlob     map[string]bool
	// subjects are the digests whose referrers are copied.
	subjects []string
}

// walk adds m and what it names, children first.
func (w *walker) walk(ctx context.Context, m *registry.Manifest, role string, depth int) error {
	if w.seenManifest[m.Digest] {
		return nil
	}
	if len(w.seenManifest) >= maxManifests {
		return fmt.Errorf("%s: %w: more than %d manifests", w.src, registry.ErrTooLarge, maxManifests)
	}
	w.seenManifest[m.Digest] = true
	if role == "" {
		role = kindOf(m)
	}
	switch {
	case m.Schema1 != nil:
		return fmt.Errorf("%s is a schema 1 manifest, which registries no longer take: it cannot be copied", m.Digest)
	case m.Index != nil:
		if depth >= maxDepth {
			return fmt.Errorf("%s: %w: indexes nested more than %d deep", w.src, registry.ErrMalformed, maxDepth)
		}
		for _, d := range m.Index.Manifests {
			if !d.MediaType.IsImage() && !d.MediaType.IsIndex() && d.MediaType != "" {
				w.plan.Skipped = append(w.plan.Skipped, fmt.Sprintf("%s in the index is not a manifest (%s): it is not copied, and the registry may refuse the index", d.Digest, d.MediaType))
				continue
			}
			child, err := w.src.Manifest(ctx, d.Digest.String())
			if err != nil {
				return fmt.Errorf("manifest %s of the index: %w", d.Digest, err)
			}
			if err := w.walk(ctx, child, childRole(child, d), depth+1); err != nil {
				return err
			}
		}
	case m.Image != nil:
		w.blob(m.Image.Config, m.Digest)
		for _, l := range m.Image.Layers {
			if !l.MediaType.IsDistributable() || len(l.URLs) > 0 {
				w.plan.Skipped = append(w.plan.Skipped, fmt.Sprintf("layer %s is foreign (%s): registries keep its URL, not its bytes, so it is not copied", l.Digest, l.MediaType))
				continue
			}
			w.blob(l, m.Digest)
		}
	}
	if len(w.plan.Blobs) > maxBlobs {
		return fmt.Errorf("%s: %w: more than %d blobs", w.src, registry.ErrTooLarge, maxBlobs)
	}
	w.plan.Manifests = append(w.plan.Manifests, Manifest{M: m, Role: role})
	w.subjects = append(w.subjects, m.Digest)
	return nil
}

func (w *walker) blob(d v1.Descriptor, of string) {
	if w.seenBlob[d.Digest.String()] {
		return
	}
	w.seenBlob[d.Digest.String()] = true
	w.plan.Blobs = append(w.plan.Blobs, Blob{Desc: d, Action: Send, Of: of})
}

// referrers adds what refers to each manifest walked: OCI referrers, and
// cosign's tags. What cannot be read is said in Skipped.
func (w *walker) referrers(ctx context.Context) {
	for i := 0; i < len(w.subjects); i++ {
		subject := w.subjects[i]
		ds, err := w.src.Referrers(ctx, subject)
		if err != nil {
			w.plan.Skipped = append(w.plan.Skipped, fmt.Sprintf("the referrers of %s could not be listed: %v", subject, err))
		}
		for _, d := range ds {
			m, err := w.src.Manifest(ctx, d.Digest.String())
			if err == nil {
				before := len(w.plan.Manifests)
				err = w.walk(ctx, m, "referrer ("+artifactWords(m, d)+") of "+subject, 0)
				if len(w.plan.Manifests) > before {
					w.plan.Manifests[len(w.plan.Manifests)-1].Subject = subject
				}
			}
			if err != nil {
				w.plan.Skipped = append(w.plan.Skipped, fmt.Sprintf("the referrer %s of %s: %v", d.Digest, subject, err))
			}
		}
		base, ok := strings.CutPrefix(subject, "sha256:")
		if !ok {
			continue
		}
		for _, suffix := range []string{".sig", ".att", ".sbom"} {
			tag := "sha256-" + base + suffix
			m, err := w.src.Tagged(ctx, tag)
			if errors.Is(err, registry.ErrNotFound) {
				continue
			}
			if err == nil && !w.seenManifest[m.Digest] {
				err = w.walk(ctx, m, "cosign tag "+tag, 0)
			}
			if err != nil {
				w.plan.Skipped = append(w.plan.Skipped, fmt.Sprintf("cosign's tag %s: %v", tag, err))
				continue
			}
			w.tagManifest(m.Digest, tag)
		}
	}
}

// tagManifest marks the manifest of digest to go under tag as well.
func (w *walker) tagManifest(digest, tag string) {
	for i := range w.plan.Manifests {
		if w.plan.Manifests[i].M.Digest == digest {
			w.plan.Manifests[i].Tag = tag
		}
	}
}

// check asks the target what it has, a few HEADs at a time, and marks
// what mounts.
func (p *Plan) check(ctx context.Context) error {
	from, mountable := mountSource(p.src, p.dst)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(checkers)
	for i := range p.Blobs {
		g.Go(func() error {
			has, err := p.dst.HasBlob(gctx, p.Blobs[i].Desc)
			switch {
			case err != nil:
				return fmt.Errorf("asking %s for blob %s: %w", p.dst, p.Blobs[i].Desc.Digest, err)
			case has:
				p.Blobs[i].Action = Present
			case mountable && from != "":
				p.Blobs[i].Action = Mount
			}
			return nil
		})
	}
	for i := range p.Manifests {
		g.Go(func() error {
			has, err := p.dst.HasManifest(gctx, p.Manifests[i].M.Digest)
			p.Manifests[i].Present = has
			if err != nil {
				return fmt.Errorf("asking %s for manifest %s: %w", p.dst, p.Manifests[i].M.Digest, err)
			}
			return nil
		})
	}
	return g.Wait()
}

// mountSource is the repository blobs are mounted from: the source's,
// when source and target are repositories of the same registry.
func mountSource(src Source, dst Target) (string, bool) {
	s, ok1 := src.Location()
	d, ok2 := dst.Location()
	if !ok1 || !ok2 || !strings.EqualFold(s.Registry.Host, d.Registry.Host) || s.Registry.Scheme() != d.Registry.Scheme() {
		return "", false
	}
	return s.Repository, s.Repository != d.Repository
}

// Count says how many blobs take each action, and their bytes.
func (p *Plan) Count(a Action) (blobs int, bytes int64) {
	for _, b := range p.Blobs {
		if b.Action == a {
			blobs++
			bytes += max(b.Desc.Size, 0)
		}
	}
	return blobs, bytes
}

// Words says what the copy will do, a line each.
func (p *Plan) Words() []string {
	out := []string{fmt.Sprintf("Copy %s (%s, %s) to %s.", p.Source, kindOf(p.Root), p.Root.Digest, p.Target)}
	n := len(p.Manifests)
	present := 0
	for _, m := range p.Manifests {
		if m.Present {
			present++
		}
	}
	out = append(out, fmt.Sprintf("%s, %d of them there already.", humane.Plural(n, "manifest", "manifests"), present))
	for _, a := range []struct {
		a     Action
		words string
	}{{Present, "there already"}, {Mount, "mounted from the source's repository, no bytes sent"}, {Send, "sent"}} {
		if blobs, bytes := p.Count(a.a); blobs > 0 {
			out = append(out, fmt.Sprintf("%d blobs (%s) %s.", blobs, humane.Size(bytes), a.words))
		}
	}
	switch {
	case p.Tag == "":
	case p.TagNow == "":
		out = append(out, fmt.Sprintf("The tag %s is new; it is set last.", p.Tag))
	case p.TagNow == p.Root.Digest:
		out = append(out, fmt.Sprintf("The tag %s points at this digest already.", p.Tag))
	default:
		out = append(out, fmt.Sprintf("The tag %s moves from %s to %s, last.", p.Tag, p.TagNow, p.Root.Digest))
	}
	for _, s := range p.Skipped {
		out = append(out, "Left out: "+s+".")
	}
	return printable.Lines(out)
}

// kindOf names a manifest's kind.
func kindOf(m *registry.Manifest) string {
	switch {
	case m.Index != nil:
		return "index"
	case m.ArtifactType() != "":
		return "artifact " + m.ArtifactType()
	}
	return "image"
}

func childRole(m *registry.Manifest, d v1.Descriptor) string {
	role := kindOf(m)
	if d.Platform != nil {
		role += " " + d.Platform.String()
	}
	return role + " of the index"
}

func artifactWords(m *registry.Manifest, d v1.Descriptor) string {
	if t := m.ArtifactType(); t != "" {
		return t
	}
	if d.ArtifactType != "" {
		return d.ArtifactType
	}
	return kindOf(m)
}
