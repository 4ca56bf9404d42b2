package manage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"golang.org/x/sync/errgroup"

	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/registry"
)

// Bounds on a plan's look at the other tags: at most maxTags are asked
// where they point, checkers at a time. A repository with more is said to
// be looked at in part, and the plan says so.
const (
	maxTags  = 10_000
	checkers = 8
)

// Target is one digest a delete plan touches, and what stays on it.
type Target struct {
	Digest    string
	MediaType string
	// Raw is the manifest, kept for Undo.
	Raw []byte
	// Tags are the tags to delete that point at it.
	Tags []string
	// Staying are its other tags: they stay (unless Whole).
	Staying []string
	// Referrers refer to the digest (signatures, SBOMs): they stay,
	// attached to a digest that stays unless Whole.
	Referrers []v1.Descriptor
	// CosignTags are cosign's sha256-<hex>.sig, .att and .sbom tags of
	// the digest: they stay too.
	CosignTags []string
}

// Plan is a delete before it runs.
type Plan struct {
	Repo registry.Reference
	// Whole deletes the manifests and every tag on them; else only Tags.
	Whole   bool
	Targets []Target
	// How says what the registry will be asked.
	How string
	// Refused is set when the registry will not do it, in a sentence:
	// Delete then does nothing.
	Refused string
	// Partial says the other tags were looked at only in part.
	Partial string
	reg     Registry
}

// Progress is how far a plan's look at the tags has come.
type Progress struct{ Done, Total int }

// PlanDelete plans deleting tags of repo, and only them: it reads what
// each points at, asks every other tag of the repository where it points
// (bounded, checkers at a time, progress to fn, which may be nil), and
// lists each digest's referrers. fn is called one call at a time.
func PlanDelete(ctx context.Context, reg Registry, repo registry.Reference, tags []string, fn func(Progress)) (*Plan, error) {
	return plan(ctx, reg, repo, tags, false, fn)
}

// PlanDeleteManifest plans deleting the manifest tag points at, with
// every tag on it: only when that is what was asked for, by name.
func PlanDeleteManifest(ctx context.Context, reg Registry, repo registry.Reference, tag string, fn func(Progress)) (*Plan, error) {
	return plan(ctx, reg, repo, []string{tag}, true, fn)
}

func plan(ctx context.Context, reg Registry, repo registry.Reference, tags []string, whole bool, fn func(Progress)) (*Plan, error) {
	repo.Tag, repo.Digest = "", ""
	if len(tags) == 0 {
		return nil, errors.New("no tag to delete")
	}
	p := &Plan{Repo: repo, Whole: whole, reg: reg, How: reg.how(whole)}
	if r := reg.refusal(repo.Repository, tags[0]); r != "" {
		p.Refused = r
	}
	byDigest := map[string]*Target{}
	var order []string
	deleting := map[string]bool{}
	for _, tag := range tags {
		if deleting[tag] {
			continue
		}
		ref := repo
		ref.Tag = tag
		m, err := reg.Client.Manifest(ctx, ref)
		if err != nil {
			return nil, err
		}
		t, ok := byDigest[m.Digest]
		if !ok {
			t = &Target{Digest: m.Digest, MediaType: m.MediaType, Raw: m.Raw}
			byDigest[m.Digest] = t
			order = append(order, m.Digest)
		}
		t.Tags = append(t.Tags, tag)
		deleting[tag] = true
	}
	others, err := otherTags(ctx, reg.Client, repo, deleting, fn)
	var inc *registry.IncompleteError
	switch {
	case errors.As(err, &inc):
		p.Partial = inc.Short
	case err != nil:
		return nil, err
	}
	if len(others.names) > maxTags {
		p.Partial = fmt.Sprintf("only %d of the repository's %d tags were looked at", maxTags, len(others.names))
	}
	for _, digest := range order {
		t := byDigest[digest]
		t.Staying = others.at[digest]
		t.CosignTags = cosignTags(others.names, digest)
		refs, err := reg.Client.Referrers(ctx, repo, digest)
		if err != nil {
			p.Partial = strings.TrimPrefix(p.Partial+"; the referrers could not be listed: "+err.Error(), "; ")
		}
		t.Referrers = refs
		p.Targets = append(p.Targets, *t)
	}
	return p, nil
}

// tagsAt is where a repository's other tags point.
type tagsAt struct {
	names []string
	at    map[string][]string
}

// otherTags lists repo's tags and asks where each not being deleted
// points, checkers at a time.
func otherTags(ctx context.Context, c *registry.Client, repo registry.Reference, deleting map[string]bool, fn func(Progress)) (tagsAt, error) {
	var names []string
	err := c.Tags(ctx, repo, func(page []string) error {
		for _, n := range page {
			if !deleting[n] {
				names = append(names, n)
			}
		}
		return nil
	})
	var inc *registry.IncompleteError
	if err != nil && !errors.As(err, &inc) {
		return tagsAt{}, err
	}
	out := tagsAt{names: names, at: map[string][]string{}}
	ask := names[:min(len(names), maxTags)]
	var mu, report sync.Mutex
	var done atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(checkers)
	for _, tag := range ask {
		g.Go(func() error {
			ref := repo
			ref.Tag = tag
			d, herr := c.Head(gctx, ref)
			if errors.Is(herr, registry.ErrNotFound) {
				herr = nil // deleted meanwhile
			} else if herr == nil {
				mu.Lock()
				out.at[d.Digest.String()] = append(out.at[d.Digest.String()], tag)
				mu.Unlock()
			}
			if fn != nil {
				// One call at a time, in order: fn need not lock.
				report.Lock()
				fn(Progress{Done: int(done.Add(1)), Total: len(ask)})
				report.Unlock()
			}
			return herr
		})
	}
	if werr := g.Wait(); werr != nil {
		return tagsAt{}, fmt.Errorf("asking where the other tags of %s point: %w", repo.Repository, werr)
	}
	for _, v := range out.at {
		slices.Sort(v)
	}
	return out, err
}

// cosignTags are cosign's tags of digest among names.
func cosignTags(names []string, digest string) []string {
	base := strings.Replace(digest, ":", "-", 1)
	var out []string
	for _, n := range names {
		if n == base+".sig" || n == base+".att" || n == base+".sbom" {
			out = append(out, n)
		}
	}
	return out
}

// Words says what the delete will do, a line each.
func (p *Plan) Words() []string {
	var out []string
	for _, t := range p.Targets {
		if p.Whole {
			out = append(out, fmt.Sprintf("Delete the manifest %s of %s and every tag on it: %s.", t.Digest, p.Repo.Repository,
				strings.Join(append(slices.Clone(t.Tags), t.Staying...), ", ")))
		} else {
			out = append(out, fmt.Sprintf("Delete the tag %s of %s (at %s).", strings.Join(t.Tags, ", "), p.Repo.Repository, t.Digest))
			switch {
			case len(t.Staying) > 0:
				out = append(out, fmt.Sprintf("These tags stay on %s: %s.", t.Digest, strings.Join(t.Staying, ", ")))
			default:
				out = append(out, fmt.Sprintf("No other tag points at %s: it stays in the registry untagged, until its garbage collection.", t.Digest))
			}
		}
		if n := len(t.Referrers) + len(t.CosignTags); n > 0 {
			var what []string
			for _, r := range t.Referrers {
				what = append(what, referrerWords(r))
			}
			what = append(what, t.CosignTags...)
			verb := "stay attached to the digest"
			if p.Whole {
				verb = "stay, attached to a digest that is gone"
			}
			out = append(out, fmt.Sprintf("%d referrers %s: %s.", n, verb, strings.Join(what, ", ")))
		}
	}
	out = append(out, "How: "+p.How+".")
	if p.Partial != "" {
		out = append(out, "Looked at in part: "+p.Partial+".")
	}
	if p.Refused != "" {
		out = append(out, "Refused: "+p.Refused+".")
	}
	return printable.Lines(out)
}

func referrerWords(d v1.Descriptor) string {
	t := d.ArtifactType
	if t == "" {
		t = string(d.MediaType)
	}
	return fmt.Sprintf("%s (%s)", d.Digest, t)
}
