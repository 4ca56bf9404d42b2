package manage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/app/cache"
	"github.com/card-catalog/card-catalog/registry"
)

// deletedKey is where a deleted tag's manifest is kept in the registry's
// cache scope.
func deletedKey(repo, tag string) string { return "deleted\x00" + repo + "\x00" + tag }

// kept is what is kept beside a deleted tag's manifest.
type kept struct {
	Digest    string    `json:"digest"`
	MediaType string    `json:"mediaType"`
	Deleted   time.Time `json:"deleted"`
}

// keepDeleted keeps a tag's manifest for Undo, and reads it back: false
// when the cache did not keep it (none, switched off, full).
func keepDeleted(keep *cache.Scope, repo, tag string, t Target) bool {
	if keep == nil {
		return false
	}
	meta, _ := json.Marshal(kept{Digest: t.Digest, MediaType: t.MediaType, Deleted: time.Now().UTC()})
	if keep.PutSnapshot(deletedKey(repo, tag), meta, t.Raw) != nil {
		return false
	}
	e, err := keep.Snapshot(deletedKey(repo, tag))
	return err == nil && string(e.Payload) == string(t.Raw)
}

// Deleted is a deleted tag kept on this computer.
type Deleted struct {
	Repo      registry.Reference
	Tag       string
	Digest    string
	MediaType string
	Raw       []byte
	When      time.Time
}

// FindDeleted reads the kept copy of repo:tag.
func FindDeleted(keep cache.Scope, repo registry.Reference, tag string) (*Deleted, error) {
	e, err := keep.Snapshot(deletedKey(repo.Repository, tag))
	if err != nil {
		return nil, fmt.Errorf("%s:%s: %w (no deleted copy of it is kept)", repo.Repository, tag, err)
	}
	var k kept
	if err := json.Unmarshal(e.Meta, &k); err != nil {
		return nil, fmt.Errorf("%s:%s: the kept copy is unreadable: %v", repo.Repository, tag, err)
	}
	repo.Tag, repo.Digest = "", ""
	return &Deleted{Repo: repo, Tag: tag, Digest: k.Digest, MediaType: k.MediaType, Raw: e.Payload, When: k.Deleted}, nil
}

// ErrNotHeld: the registry no longer holds what a kept manifest names,
// so Undo cannot put it back. It adds no words to the error's.
var ErrNotHeld = notHeld{}

type notHeld struct{}

func (notHeld) Error() string { return "" }

// Undo pushes a deleted tag back from its kept manifest, once it has
// checked that the registry still holds everything the manifest names
// (an image's config and layers, an index's manifests) and that the tag
// has not come back elsewhere.
func Undo(ctx context.Context, c *registry.Client, d *Deleted) error {
	what := fmt.Sprintf("putting back %s:%s", d.Repo.Repository, d.Tag)
	m, err := registry.DecodeManifest(d.Raw, d.MediaType)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	ref := d.Repo
	ref.Tag = d.Tag
	now, err := c.Head(ctx, ref)
	switch {
	case err == nil && now.Digest.String() == d.Digest:
		return nil // back already
	case err == nil:
		return fmt.Errorf("%s: the tag exists again, at %s; Undo does not move it", what, now.Digest)
	case !errors.Is(err, registry.ErrNotFound):
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := stillHeld(ctx, c, d.Repo, m); err != nil {
		return fmt.Errorf("%s: %w; the tag cannot be put back from this computer's copy (copy the image back from another registry)", what, err)
	}
	_, err = c.PutManifest(ctx, ref, d.Raw, d.MediaType)
	return err
}

// stillHeld checks that repo holds what m names.
func stillHeld(ctx context.Context, c *registry.Client, repo registry.Reference, m *registry.Manifest) error {
	switch {
	case m.Image != nil:
		for _, b := range append([]v1.Descriptor{m.Image.Config}, m.Image.Layers...) {
			if !b.MediaType.IsDistributable() {
				continue
			}
			_, ok, err := c.HeadBlob(ctx, repo, b.Digest.String())
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("the registry no longer has the blob %s (its garbage collection removed it)%w", b.Digest, ErrNotHeld)
			}
		}
	case m.Index != nil:
		for _, child := range m.Index.Manifests {
			r := repo
			r.Digest = child.Digest.String()
			if _, err := c.Head(ctx, r); errors.Is(err, registry.ErrNotFound) {
				return fmt.Errorf("the registry no longer has the index's manifest %s%w", child.Digest, ErrNotHeld)
			} else if err != nil {
				return err
			}
		}
	}
	return nil
}
