package image

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unsafe"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/app/cache"
	"github.com/card-catalog/card-catalog/app/imagefs"
	"github.com/card-catalog/card-catalog/app/imagefs/zran"
	"github.com/card-catalog/card-catalog/app/listing"
	"github.com/card-catalog/card-catalog/registry"
)

// ErrNotKept says that, working offline, what was asked for was never fetched
// on this computer (or its copy was dropped).
var ErrNotKept = errors.New("never fetched on this computer, and the registry is not asked while offline")

// FromKept says that an answer came from this computer's copy because the
// registry could not be asked: when the copy was taken, and why.
type FromKept struct {
	AsOf time.Time
	Err  error // nil when working offline by choice
}

// KeptSource is a registry read through the disk cache: content by digest
// comes from the cache when it is there, a tag's manifest is checked with a
// HEAD before it is fetched again, and lists are kept as snapshots. When
// the registry cannot be reached (or Offline is set) what was seen before
// is answered from the cache and Noted.
type KeptSource struct {
	Live  *registry.Client
	Cache cache.Scope
	// Offline answers from the cache alone.
	Offline bool
	// Noted hears of each answer given from the cache for want of the
	// registry. Default: none.
	Noted func(FromKept)
	// Log gets the debug log (why a file was read from a layer's start).
	// Default: none.
	Log *slog.Logger
}

var _ Source = (*KeptSource)(nil)

func (c *KeptSource) Registry() registry.Registry { return c.Live.Registry() }

func (c *KeptSource) Ping(ctx context.Context) error {
	if c.Offline {
		return nil
	}
	return c.Live.Ping(ctx)
}

// Catalog lists the repositories as the registry's catalog API does, kept
// as a snapshot.
func (c *KeptSource) Catalog(ctx context.Context, fn func([]string) error) error {
	return c.List(ctx, listing.CatalogKey("", ""), c.Live.Catalog, fn)
}

func (c *KeptSource) Tags(ctx context.Context, repo registry.Reference, fn func([]string) error) error {
	return c.List(ctx, "tags\x00"+repo.Repository, func(ctx context.Context, fn func([]string) error) error {
		return c.Live.Tags(ctx, repo, fn)
	}, fn)
}

// List walks a live list (under key), keeping the whole of it as a
// snapshot, or answers the snapshot when the registry cannot be asked.
func (c *KeptSource) List(ctx context.Context, key string, live func(context.Context, func([]string) error) error, fn func([]string) error) error {
	if c.Offline {
		names, err := c.snapshot(key)
		if err != nil {
			return err
		}
		return fn(names)
	}
	delivered, err := KeepList(ctx, c.Cache, key, live, fn)
	if err == nil || delivered || !Unanswered(err) {
		return err
	}
	names, asOf, cerr := KeptList(c.Cache, key)
	if cerr != nil {
		return noCopy(err)
	}
	c.note(FromKept{AsOf: asOf, Err: err})
	return fn(names)
}

// KeepList walks a live list page by page into fn and keeps it under key
// when the walk is whole. delivered says whether fn got a page. The list
// goes to the cache's file as it arrives, one name a line (names of the
// grammar hold no newline), not into a copy held to the end.
func KeepList(ctx context.Context, scope cache.Scope, key string, live func(context.Context, func([]string) error) error, fn func([]string) error) (delivered bool, err error) {
	kept := scope.NewSnapshot(key)
	defer kept.Abort()
	var line []byte
	err = live(ctx, func(page []string) error {
		for _, n := range page {
			if strings.Contains(n, "\n") {
				kept.Abort()
			}
			line = append(append(line[:0], n...), '\n')
			kept.Write(line)
		}
		delivered = true
		return fn(page)
	})
	if err == nil {
		kept.Commit()
	}
	return delivered, err
}

// KeptList reads the list kept under key, and when it was taken. The
// names are slices of the payload, read for this call alone and never
// written again, so it is made a string without being copied: a list of
// 200 MB is not held twice while it is split.
func KeptList(scope cache.Scope, key string) ([]string, time.Time, error) {
	e, err := scope.Snapshot(key)
	if err != nil {
		return nil, time.Time{}, err
	}
	text := strings.TrimSuffix(unsafe.String(unsafe.SliceData(e.Payload), len(e.Payload)), "\n")
	if text == "" {
		return []string{}, e.Written, nil
	}
	return strings.Split(text, "\n"), e.Written, nil
}

func (c *KeptSource) snapshot(key string) ([]string, error) {
	names, asOf, err := KeptList(c.Cache, key)
	if err != nil {
		return nil, c.missing(err)
	}
	c.note(FromKept{AsOf: asOf})
	return names, nil
}

func (c *KeptSource) missing(err error) error {
	return fmt.Errorf("%s: %w (%v)", c.Registry(), ErrNotKept, err)
}

func (c *KeptSource) note(s FromKept) {
	if c.Noted != nil {
		c.Noted(s)
	}
}

// Unanswered tells whether err means the registry could not be asked now
// (rather than that it answered no): then a kept copy is worth showing.
func Unanswered(err error) bool {
	return errors.Is(err, registry.ErrUnreachable) || errors.Is(err, registry.ErrStalled) ||
		errors.Is(err, registry.ErrRateLimited) || errors.Is(err, registry.ErrServer)
}

// tagKey is where the digest a tag pointed at is kept.
func tagKey(ref registry.Reference) string { return "tag\x00" + ref.Repository + "\x00" + ref.Tag }

// Manifest answers by digest from the cache. By tag, a kept manifest is
// checked with a HEAD (which Docker Hub does not count against its pull
// quota) and fetched again only when the tag moved.
func (c *KeptSource) Manifest(ctx context.Context, ref registry.Reference) (*registry.Manifest, error) {
	if ref.Digest != "" {
		if m, err := c.keptManifest(ref, ref.Digest); err == nil {
			return m, nil
		} else if c.Offline {
			return nil, c.missing(err)
		}
		return c.fetchManifest(ctx, ref)
	}
	kept, keptErr := c.Cache.Snapshot(tagKey(ref))
	if c.Offline {
		if keptErr != nil {
			return nil, c.missing(keptErr)
		}
		m, err := c.keptManifest(ref, string(kept.Payload))
		if err != nil {
			return nil, c.missing(err)
		}
		c.note(FromKept{AsOf: kept.Written})
		return m, nil
	}
	if keptErr == nil {
		desc, err := c.Live.Head(ctx, ref)
		switch {
		case err == nil && desc.Digest.String() == string(kept.Payload):
			if m, err := c.keptManifest(ref, desc.Digest.String()); err == nil {
				c.Cache.PutSnapshot(tagKey(ref), nil, kept.Payload) // checked now
				return m, nil
			}
		case err != nil && Unanswered(err):
			if m, cerr := c.keptManifest(ref, string(kept.Payload)); cerr == nil {
				c.note(FromKept{AsOf: kept.Written, Err: err})
				return m, nil
			}
			return nil, noCopy(err)
		}
		// Moved, or a HEAD the registry answers badly (no digest, an
		// error a GET would not give): the GET decides.
	}
	m, err := c.fetchManifest(ctx, ref)
	if err != nil && Unanswered(err) && keptErr == nil {
		if cm, cerr := c.keptManifest(ref, string(kept.Payload)); cerr == nil {
			c.note(FromKept{AsOf: kept.Written, Err: err})
			return cm, nil
		}
	}
	return m, noCopy(err)
}

// noCopy says of a registry that could not be asked that there is no copy
// to show instead either.
func noCopy(err error) error {
	if err != nil && Unanswered(err) {
		return fmt.Errorf("%w (and it was never fetched on this computer, so there is no copy to show)", err)
	}
	return err
}

func (c *KeptSource) fetchManifest(ctx context.Context, ref registry.Reference) (*registry.Manifest, error) {
	m, err := c.Live.Manifest(ctx, ref)
	if err != nil {
		return nil, err
	}
	c.Cache.PutBlob(m.Digest, []byte(m.MediaType), m.Raw)
	if ref.Digest == "" {
		c.Cache.PutSnapshot(tagKey(ref), nil, []byte(m.Digest))
	}
	return m, nil
}

// keptManifest reads a kept manifest; its digest is checked by the cache.
func (c *KeptSource) keptManifest(ref registry.Reference, digest string) (*registry.Manifest, error) {
	e, err := c.Cache.Blob(digest)
	if err != nil {
		return nil, err
	}
	m, err := registry.DecodeManifest(e.Payload, string(e.Meta))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", cache.ErrMissing, err)
	}
	m.Ref, m.Digest, m.Size = ref, digest, int64(len(e.Payload))
	return m, nil
}

// Config is content by digest: read from the cache when it is there.
func (c *KeptSource) Config(ctx context.Context, repo registry.Reference, desc v1.Descriptor) (*v1.ConfigFile, []byte, error) {
	e, err := c.Cache.Blob(desc.Digest.String())
	if err == nil {
		if cfg, err := v1.ParseConfigFile(bytes.NewReader(e.Payload)); err == nil {
			return cfg, e.Payload, nil
		}
	}
	if c.Offline {
		return nil, nil, c.missing(err)
	}
	cfg, raw, err := c.Live.Config(ctx, repo, desc)
	if err == nil {
		c.Cache.PutBlob(desc.Digest.String(), nil, raw)
	}
	return cfg, raw, noCopy(err)
}

// Blob reads a small blob under limit (a signature, an attestation),
// from the cache when it is there, and keeps it: a verification done once
// is done again offline. Content is by digest, so a kept copy is never
// stale.
func (c *KeptSource) Blob(ctx context.Context, repo registry.Reference, digest string, limit int64, what string) ([]byte, error) {
	if e, err := c.Cache.Blob(digest); err == nil && int64(len(e.Payload)) <= limit {
		return e.Payload, nil
	} else if c.Offline {
		return nil, c.missing(err)
	}
	raw, err := c.Live.Blob(ctx, repo, digest, limit, what)
	if err == nil {
		c.Cache.PutBlob(digest, nil, raw)
	}
	return raw, noCopy(err)
}

// Referrers are asked of the registry (new signatures come), and kept for
// when it cannot be asked.
func (c *KeptSource) Referrers(ctx context.Context, repo registry.Reference, digest string) ([]v1.Descriptor, error) {
	key := "referrers\x00" + repo.Repository + "\x00" + digest
	read := func(err error) ([]v1.Descriptor, error) {
		e, cerr := c.Cache.Snapshot(key)
		var ds []v1.Descriptor
		if cerr != nil || json.Unmarshal(e.Payload, &ds) != nil {
			if c.Offline {
				return nil, c.missing(cerr)
			}
			return nil, noCopy(err)
		}
		c.note(FromKept{AsOf: e.Written, Err: err})
		return ds, nil
	}
	if c.Offline {
		return read(nil)
	}
	ds, err := c.Live.Referrers(ctx, repo, digest)
	switch {
	case err == nil:
		if b, merr := json.Marshal(ds); merr == nil {
			c.Cache.PutSnapshot(key, nil, b)
		}
	case Unanswered(err):
		return read(err)
	}
	return ds, err
}

// OpenBlob streams from the registry: layers are not kept whole, only
// their listings.
func (c *KeptSource) OpenBlob(ctx context.Context, repo registry.Reference, digest string, r registry.BlobRange) (*registry.BlobReader, error) {
	if c.Offline {
		return nil, fmt.Errorf("%s: %w: layer %s", c.Registry(), ErrNotKept, ShortDigest(digest))
	}
	return c.Live.OpenBlob(ctx, repo, digest, r)
}

// Listing is what is kept of a layer read once: its entries, and whether
// its tar was cut off.
type Listing struct {
	Entries      []imagefs.Entry
	Unterminated bool
}

// layerListings keeps the listings of layers: a Source that has them lists
// a layer seen before without reading it.
type layerListings interface {
	// Listing is a layer's kept entries, given the layer's index; its
	// files carry their content digests.
	Listing(digest string, layer int) (Listing, error)
	PutListing(digest string, l Listing)
	// Index is a gzip layer's checkpoints, kept with its listing.
	Index(digest string) (zran.Index, error)
	PutIndex(digest string, index zran.Index)
}

var _ layerListings = (*KeptSource)(nil)

// listingKey is where a layer's listing is kept: one whose files carry
// their digests (listings kept without them, under "files", are not read).
func listingKey(digest string) string { return "files+digests\x00" + digest }

// unterminatedMeta marks a kept listing whose layer's tar was cut off.
const unterminatedMeta = "unterminated"

func (c *KeptSource) Listing(digest string, layer int) (Listing, error) {
	e, err := c.Cache.Snapshot(listingKey(digest))
	if err != nil {
		return Listing{}, err
	}
	entries, err := imagefs.DecodeListing(e.Payload, layer)
	return Listing{Entries: entries, Unterminated: string(e.Meta) == unterminatedMeta}, err
}

func (c *KeptSource) PutListing(digest string, l Listing) {
	var meta []byte
	if l.Unterminated {
		meta = []byte(unterminatedMeta)
	}
	c.Cache.PutSnapshot(listingKey(digest), meta, imagefs.EncodeListing(l.Entries))
}

func indexKey(digest string) string { return "zran\x00" + digest }

func (c *KeptSource) Index(digest string) (zran.Index, error) {
	e, err := c.Cache.Snapshot(indexKey(digest))
	if err != nil {
		return nil, err
	}
	return zran.DecodeIndex(e.Payload)
}

func (c *KeptSource) PutIndex(digest string, index zran.Index) {
	c.Cache.PutSnapshot(indexKey(digest), nil, index.Encode())
}
