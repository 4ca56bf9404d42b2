package manage

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/card-catalog/card-catalog/app/cache"
	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/registry"
)

// Done is what became of one tag (or, for a whole delete, one manifest).
type Done struct {
	Tag    string
	Digest string
	// Deleted: it is gone, read back.
	Deleted bool
	// How it was deleted, in words.
	How string
	// Kept: its manifest is on this computer for Undo.
	Kept bool
	// Repaired are other tags the registry took along and that were put
	// back.
	Repaired []string
	Err      error
}

// Result is what a delete did, tag by tag.
type Result struct{ Done []Done }

// Err is the first failure, or nil.
func (r *Result) Err() error {
	for _, d := range r.Done {
		if d.Err != nil {
			return d.Err
		}
	}
	return nil
}

// Words says what was done, a line per tag.
func (r *Result) Words() []string {
	var out []string
	for _, d := range r.Done {
		switch {
		case d.Err != nil:
			out = append(out, fmt.Sprintf("%s: not deleted: %v", d.Tag, d.Err))
		default:
			line := fmt.Sprintf("%s: deleted (%s)", d.Tag, d.How)
			if len(d.Repaired) > 0 {
				line += "; the registry took " + strings.Join(d.Repaired, ", ") + " along, which were put back"
			}
			if d.Kept {
				line += "; Undo can put it back"
			}
			out = append(out, line+".")
		}
	}
	return printable.Lines(out)
}

// Delete runs a plan: each tag (or manifest) in turn, first checked to
// point where the plan saw it, its manifest kept in keep for Undo, then
// deleted as the plan says, then read back: the tag gone, every tag that
// was to stay still at its digest (put back if the registry took it
// along). A refused plan deletes nothing.
func Delete(ctx context.Context, p *Plan, keep *cache.Scope) *Result {
	res := &Result{}
	for _, t := range p.Targets {
		if p.Whole {
			res.Done = append(res.Done, p.deleteWhole(ctx, t, keep))
			continue
		}
		for _, tag := range t.Tags {
			res.Done = append(res.Done, p.deleteTag(ctx, t, tag, keep))
			if ctx.Err() != nil {
				return res
			}
		}
	}
	return res
}

func (p *Plan) deleteTag(ctx context.Context, t Target, tag string, keep *cache.Scope) Done {
	d := Done{Tag: tag, Digest: t.Digest}
	fail := func(err error) Done { d.Err = naming(p.Repo.Repository+":"+tag, err); return d }
	if p.Refused != "" {
		return fail(errors.New(p.Refused))
	}
	ref := p.Repo
	ref.Tag = tag
	if err := p.stillAt(ctx, ref, t.Digest); err != nil {
		return fail(err)
	}
	d.Kept = keepDeleted(keep, p.Repo.Repository, tag, t)
	c := p.reg.Client
	switch {
	case p.reg.Kind == kinds.GitHub:
		d.How = "a placeholder pushed to the tag, its version deleted through " + p.reg.API.Name()
		if err := p.throughPlaceholder(ctx, ref, t, func(placeholder string) error {
			return p.reg.API.DeleteManifest(ctx, p.Repo.Repository, placeholder, []string{tag})
		}); err != nil {
			return fail(err)
		}
	case p.reg.API != nil:
		d.How = "through " + p.reg.API.Name()
		if err := p.reg.API.DeleteTag(ctx, p.Repo.Repository, tag, t.Digest); err != nil {
			return fail(err)
		}
	default:
		d.How = "the OCI tag DELETE"
		err := c.DeleteManifest(ctx, ref)
		var se *registry.StatusError
		switch {
		case errors.Is(err, registry.ErrNotAllowed):
			return fail(fmt.Errorf("%w; a distribution registry deletes only with delete enabled in its config (storage: delete: enabled: true)", err))
		case errors.As(err, &se) && se.Status == 400:
			// Distribution 2.8 and Harbor delete by digest only: the
			// other tags are kept safe behind a placeholder.
			d.How = "a unique placeholder pushed to the tag and deleted by its digest (the registry deletes by digest only)"
			if err := p.throughPlaceholder(ctx, ref, t, func(placeholder string) error {
				r := p.Repo
				r.Digest = placeholder
				return c.DeleteManifest(ctx, r)
			}); err != nil {
				return fail(err)
			}
		case err != nil:
			return fail(err)
		}
	}
	if _, err := c.Head(ctx, ref); !errors.Is(err, registry.ErrNotFound) {
		return fail(fmt.Errorf("read back, the tag is still there (%v)", err))
	}
	d.Deleted = true
	d.Repaired, d.Err = p.keepStaying(ctx, t)
	return d
}

// naming makes err say what it was deleting, unless the registry's own
// words say so already: one sentence, not the same name twice.
func naming(what string, err error) error {
	if strings.Contains(err.Error(), what) {
		return err
	}
	return fmt.Errorf("deleting %s: %w", what, err)
}

// stillAt refuses a tag that moved since the plan saw it.
func (p *Plan) stillAt(ctx context.Context, ref registry.Reference, digest string) error {
	now, err := p.reg.Client.Head(ctx, ref)
	switch {
	case err != nil:
		return err
	case now.Digest.String() != digest:
		return fmt.Errorf("the tag moved since the preview (from %s to %s): preview again", digest, now.Digest)
	}
	return nil
}

// keepStaying reads back the tags that were to stay and puts back at the
// digest any the registry took along (one that deletes whole manifests
// for a tag DELETE).
func (p *Plan) keepStaying(ctx context.Context, t Target) ([]string, error) {
	var repaired []string
	for _, tag := range t.Staying {
		ref := p.Repo
		ref.Tag = tag
		now, err := p.reg.Client.Head(ctx, ref)
		if err == nil && now.Digest.String() == t.Digest {
			continue
		}
		if err != nil && !errors.Is(err, registry.ErrNotFound) {
			return repaired, fmt.Errorf("reading back %s, which was to stay: %w", tag, err)
		}
		if err == nil {
			continue // moved by someone else meanwhile: not ours to put back
		}
		if _, err := p.reg.Client.PutManifest(ctx, ref, t.Raw, t.MediaType); err != nil {
			return repaired, fmt.Errorf("the registry took %s along, and putting it back failed: %w", tag, err)
		}
		repaired = append(repaired, tag)
	}
	return repaired, nil
}

// placeholderAnnotation makes each placeholder manifest unique: no other
// tag can point at it, so deleting it by digest takes only the tag.
const placeholderAnnotation = "io.github.cardcatalog.placeholder"

// emptyJSON is OCI's empty descriptor's content, of emptyDigest.
var (
	emptyJSON   = []byte("{}")
	emptyDigest = v1.Hash{Algorithm: "sha256", Hex: "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"}
)

// throughPlaceholder moves tag to a unique placeholder manifest, then
// deletes the placeholder with del (by its digest). When that fails, the
// tag is put back where it was.
func (p *Plan) throughPlaceholder(ctx context.Context, ref registry.Reference, t Target, del func(placeholder string) error) error {
	c := p.reg.Client
	raw, err := placeholder()
	if err != nil {
		return err
	}
	if _, ok, err := c.HeadBlob(ctx, p.Repo, emptyDigest.String()); err != nil {
		return err
	} else if !ok {
		open := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(emptyJSON)), nil }
		if _, err := c.PushBlob(ctx, p.Repo, emptyDigest.String(), 2, open, registry.PushOptions{}); err != nil {
			return fmt.Errorf("the placeholder's empty config: %w", err)
		}
	}
	desc, err := c.PutManifest(ctx, ref, raw, string(types.OCIManifestSchema1))
	if err != nil {
		return fmt.Errorf("pushing the placeholder to the tag: %w", err)
	}
	if err := del(desc.Digest.String()); err != nil {
		if _, rerr := c.PutManifest(ctx, ref, t.Raw, t.MediaType); rerr != nil {
			return fmt.Errorf("deleting the placeholder %s: %w; putting the tag back at %s failed too: %v", desc.Digest, err, t.Digest, rerr)
		}
		return fmt.Errorf("deleting the placeholder %s: %w; the tag was put back at %s", desc.Digest, err, t.Digest)
	}
	return nil
}

// placeholder is an empty OCI image manifest, made unique by an
// annotation of random bytes.
func placeholder() ([]byte, error) {
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	empty := v1.Descriptor{MediaType: registry.EmptyMediaType, Size: int64(len(emptyJSON)), Digest: emptyDigest}
	m := v1.Manifest{SchemaVersion: 2, MediaType: types.OCIManifestSchema1, Config: empty, Layers: []v1.Descriptor{empty},
		Annotations: map[string]string{placeholderAnnotation: hex.EncodeToString(nonce)}}
	return json.Marshal(m)
}

// deleteWhole deletes a manifest and every tag on it.
func (p *Plan) deleteWhole(ctx context.Context, t Target, keep *cache.Scope) Done {
	tags := append(append([]string(nil), t.Tags...), t.Staying...)
	d := Done{Tag: strings.Join(tags, ", "), Digest: t.Digest}
	fail := func(err error) Done { d.Err = naming(p.Repo.Repository+"@"+t.Digest, err); return d }

	if p.Refused != "" {
		return fail(errors.New(p.Refused))
	}
	ref := p.Repo
	ref.Tag = t.Tags[0]
	if err := p.stillAt(ctx, ref, t.Digest); err != nil {
		return fail(err)
	}
	for _, tag := range tags {
		d.Kept = keepDeleted(keep, p.Repo.Repository, tag, t) || d.Kept
	}
	c := p.reg.Client
	if p.reg.API != nil {
		d.How = "through " + p.reg.API.Name()
		if err := p.reg.API.DeleteManifest(ctx, p.Repo.Repository, t.Digest, tags); err != nil {
			return fail(err)
		}
	} else {
		d.How = "by digest"
		byDigest := p.Repo
		byDigest.Digest = t.Digest
		if err := c.DeleteManifest(ctx, byDigest); err != nil {
			if errors.Is(err, registry.ErrNotAllowed) {
				err = fmt.Errorf("%w; a distribution registry deletes only with delete enabled in its config (storage: delete: enabled: true)", err)
			}
			return fail(err)
		}
	}
	// A registry that keeps tags whose manifest went (go-containerregistry's)
	// has them deleted one by one.
	for _, tag := range tags {
		r := p.Repo
		r.Tag = tag
		_, err := c.Head(ctx, r)
		if errors.Is(err, registry.ErrNotFound) {
			continue
		}
		if err != nil {
			return fail(err)
		}
		if err := c.DeleteManifest(ctx, r); err != nil {
			return fail(fmt.Errorf("the manifest went, but the tag %s stays: %w", tag, err))
		}
	}
	d.Deleted = true
	return d
}
