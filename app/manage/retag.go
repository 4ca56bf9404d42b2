package manage

import (
	"context"
	"errors"
	"fmt"

	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/registry"
)

// Retag is a new tag for a manifest within its repository, before it
// runs: the same manifest bytes go under the new tag, and no blob moves.
type Retag struct {
	From registry.Reference
	Tag  string
	// Digest, MediaType and Raw are the manifest's.
	Digest, MediaType string
	Raw               []byte
	// Now is what the new tag points at before ("" when it is new).
	Now string
}

// PlanRetag reads the manifest from names and what tag points at now.
func PlanRetag(ctx context.Context, c *registry.Client, from registry.Reference, tag string) (*Retag, error) {
	if !registry.ValidTag(tag) {
		return nil, fmt.Errorf("%w: %q is not a tag", registry.ErrInvalidReference, tag)
	}
	m, err := c.Manifest(ctx, from)
	if err != nil {
		return nil, err
	}
	r := &Retag{From: from, Tag: tag, Digest: m.Digest, MediaType: m.MediaType, Raw: m.Raw}
	to := from
	to.Tag, to.Digest = tag, ""
	now, err := c.Head(ctx, to)
	switch {
	case err == nil:
		r.Now = now.Digest.String()
	case !errors.Is(err, registry.ErrNotFound):
		return nil, err
	}
	return r, nil
}

// Words says what the retag will do.
func (r *Retag) Words() string { return printable.Line(r.words()) }

func (r *Retag) words() string {
	switch r.Now {
	case "":
		return fmt.Sprintf("Tag %s (%s) as %s in %s: the manifest only, no blob is sent.", r.From, r.Digest, r.Tag, r.From.Repository)
	case r.Digest:
		return fmt.Sprintf("%s points at %s already: nothing to do.", r.Tag, r.Digest)
	}
	return fmt.Sprintf("Move the tag %s of %s from %s to %s (%s): the manifest only, no blob is sent.", r.Tag, r.From.Repository, r.Now, r.Digest, r.From)
}

// Run puts the manifest under the new tag and reads it back (PutManifest
// does). The tag must still point where the plan saw it.
func (r *Retag) Run(ctx context.Context, c *registry.Client) error {
	to := r.From
	to.Tag, to.Digest = r.Tag, ""
	now, err := c.Head(ctx, to)
	switch {
	case err == nil && now.Digest.String() == r.Digest:
		return nil
	case err == nil && now.Digest.String() != r.Now:
		return fmt.Errorf("tagging %s: the tag moved since the preview (to %s): preview again", to, now.Digest)
	case err != nil && !errors.Is(err, registry.ErrNotFound):
		return err
	case err != nil && r.Now != "":
		return fmt.Errorf("tagging %s: the tag was deleted since the preview: preview again", to)
	}
	_, err = c.PutManifest(ctx, to, r.Raw, r.MediaType)
	return err
}
