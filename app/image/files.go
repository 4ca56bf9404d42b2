package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"golang.org/x/sync/errgroup"

	"github.com/card-catalog/card-catalog/app/imagefs"
	"github.com/card-catalog/card-catalog/app/imagefs/zran"
	"github.com/card-catalog/card-catalog/registry"
)

// Progress is how far reading an image's files has got.
type Progress struct {
	// Read of Size compressed bytes (Size is 0 when unknown).
	Read, Size int64
	Entries    int
	// Layers done of Layers.
	Done, Layers int
	Elapsed      time.Duration
	// Kept layers of Done came from this computer's copy of their
	// listing, KeptBytes of Read with them: nothing of them was
	// downloaded.
	Kept      int
	KeptBytes int64
	// Unterminated are the layers (by index in the image) whose tar ended
	// without its end-of-archive blocks: cut off, though what they held
	// was read.
	Unterminated []int
}

// Downloaded is how many of the bytes read came from the registry.
func (p Progress) Downloaded() int64 { return p.Read - p.KeptBytes }

// BytesPerSecond is the download's speed so far.
func (p Progress) BytesPerSecond() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Downloaded()) / p.Elapsed.Seconds()
}

// batchSize is how many entries go into the tree at once: few locks,
// and the first entries show within a few milliseconds.
const batchSize = 256

// flushEvery is the longest an entry waits for its batch to fill.
const flushEvery = 50 * time.Millisecond

// readersAtOnce is how many layers of one image stream at a time.
const readersAtOnce = 3

// LayerError says which layer a reading failed in.
type LayerError struct {
	Index  int
	Digest string
	Err    error
}

func (e *LayerError) Error() string {
	return fmt.Sprintf("layer %d (%s): %v", e.Index, ShortDigest(e.Digest), e.Err)
}
func (e *LayerError) Unwrap() error { return e.Err }

// ShortDigest is a digest as people read it: "sha256:1d12eaa626fc".
func ShortDigest(d string) string {
	if i := strings.IndexByte(d, ':'); i > 0 && len(d) > i+13 {
		return d[:i+13]
	}
	return d
}

// ErrForeignLayer says that a layer's bytes are not in the registry.
var ErrForeignLayer = errors.New("this layer's bytes are not in the registry")

// WalkLayer streams one layer of an image (index i of its layers) and
// calls fn with each entry as stored, whiteouts included, and its body.
// The stats say how far it got, and whether its tar was cut off.
func WalkLayer(ctx context.Context, src Source, repo registry.Reference, i int, desc v1.Descriptor, read *atomic.Int64, fn func(imagefs.Entry, imagefs.Body) error) (imagefs.Stats, error) {
	return walkLayer(ctx, src, repo, i, desc, read, nil, fn)
}

// walkLayer is WalkLayer that gives record a gzip layer's checkpoints.
func walkLayer(ctx context.Context, src Source, repo registry.Reference, i int, desc v1.Descriptor, read *atomic.Int64, record func(zran.Checkpoint), fn func(imagefs.Entry, imagefs.Body) error) (imagefs.Stats, error) {
	layerErr := func(err error) error { return &LayerError{Index: i, Digest: desc.Digest.String(), Err: err} }
	comp, err := imagefs.CompressionOf(string(desc.MediaType))
	if err != nil {
		return imagefs.Stats{}, layerErr(err)
	}
	blob, err := src.OpenBlob(ctx, repo, desc.Digest.String(), registry.BlobRange{})
	if err != nil {
		if errors.Is(err, registry.ErrNotFound) && (len(desc.URLs) > 0 || imagefs.Foreign(string(desc.MediaType))) {
			return imagefs.Stats{}, layerErr(fmt.Errorf("%w: it is a foreign (non-distributable) layer, kept at %s", ErrForeignLayer, foreignPlace(desc)))
		}
		return imagefs.Stats{}, layerErr(err)
	}
	var r io.Reader = blob
	if read != nil {
		r = &registry.Counting{ReadCloser: io.NopCloser(blob), N: read}
	}
	ahead := newReadAhead(r)
	defer ahead.Close()
	defer blob.Close()
	r = ahead
	markers := isEStargz(desc)
	st, err := imagefs.WalkIndexed(ctx, r, comp, imagefs.Limits{Size: max(desc.Size, 0)}, record, func(e imagefs.Entry, body imagefs.Body) error {
		if markers && isEStargzMarker(e) {
			return nil
		}
		e.Layer = i
		return fn(e, body)
	})
	if errors.Is(err, registry.ErrDigestMismatch) && desc.Size > 0 && st.Compressed < desc.Size {
		err = fmt.Errorf("the registry sent %d of the layer's %d bytes: %w", st.Compressed, desc.Size, err)
	}
	if err != nil {
		return st, layerErr(err)
	}
	return st, nil
}

// UnterminatedNote says that layer i's tar was cut off, as tar(1) would.
func UnterminatedNote(i int) string {
	return fmt.Sprintf("layer %d ends without the end-of-archive blocks a tar ends with: it may have been cut short (tar says \"Unexpected EOF in archive\"); its files up to there are listed", i)
}

func foreignPlace(desc v1.Descriptor) string {
	if len(desc.URLs) == 0 {
		return "a place the image does not name"
	}
	return strings.Join(desc.URLs, ", ")
}

// ReadLayer streams one layer into tree (a raw tree keeps its whiteouts),
// reporting progress after each batch.
func ReadLayer(ctx context.Context, src Source, repo registry.Reference, i int, desc v1.Descriptor, tree *imagefs.Tree, progress func(Progress)) error {
	return ReadLayers(ctx, src, repo, []v1.Descriptor{desc}, i, tree, progress)
}

// ReadImage streams an image's layers, a few at a time, into tree (a
// merged one), applying them in order as each one's turn comes.
func ReadImage(ctx context.Context, src Source, repo registry.Reference, layers []v1.Descriptor, tree *imagefs.Tree, progress func(Progress)) error {
	return ReadLayers(ctx, src, repo, layers, 0, tree, progress)
}

// entrySink takes the entries of layers, a batch at a time, each layer's
// in the order the layer holds them and the layers in order: a tree, or
// several (sinks).
type entrySink interface {
	Add(layer int, entries []imagefs.Entry)
}

// sinks hands every batch to each of them.
type sinks []entrySink

func (s sinks) Add(layer int, entries []imagefs.Entry) {
	for _, to := range s {
		to.Add(layer, entries)
	}
}

// layerRecord keeps what each layer gave, to be applied to another tree
// later (replay).
type layerRecord map[int][]imagefs.Entry

func (r layerRecord) Add(layer int, entries []imagefs.Entry) {
	r[layer] = append(r[layer], entries...)
}

func (r layerRecord) replay(to entrySink) {
	for _, layer := range slices.Sorted(maps.Keys(r)) {
		to.Add(layer, r[layer])
	}
}

// ReadLayers reads layers (the first of them is the image's layer first)
// into sink, a few at once, each layer's batches in their turn.
func ReadLayers(ctx context.Context, src Source, repo registry.Reference, layers []v1.Descriptor, first int, sink entrySink, progress func(Progress)) error {
	start := time.Now()
	total := registry.TotalSize(layers)
	var (
		mu      sync.Mutex
		read    atomic.Int64
		entries int
		done    int
		// turn is the next layer to go into the sink; pending holds the
		// batches of layers read ahead of their turn.
		turn    int
		pending = make([][][]imagefs.Entry, len(layers))
		ended   = make([]bool, len(layers))
		cut     []int
		// kept layers came from their kept listings, keptBytes with them.
		kept      int
		keptBytes int64
	)
	report := func() {
		if progress != nil {
			progress(Progress{Read: read.Load(), Size: total, Entries: entries, Done: done, Layers: len(layers), Elapsed: time.Since(start),
				Kept: kept, KeptBytes: keptBytes, Unterminated: slices.Clone(cut)})
		}
	}
	// put hands layer k's batch to the sink when it is k's turn, else
	// keeps it; end marks the layer's last batch.
	put := func(k int, batch []imagefs.Entry, end *layerEnd) {
		mu.Lock()
		defer mu.Unlock()
		last := end != nil
		if last && end.kept {
			kept++
			keptBytes += max(layers[k].Size, 0)
		}
		unterminated := last && end.unterminated
		if batch != nil {
			pending[k] = append(pending[k], batch)
		}
		ended[k] = ended[k] || last
		if unterminated {
			cut = append(cut, first+k)
			slices.Sort(cut)
		}
		for turn < len(layers) {
			for _, b := range pending[turn] {
				sink.Add(first+turn, b)
				entries += len(b)
			}
			pending[turn] = nil
			if !ended[turn] {
				break
			}
			turn++
		}
		if last {
			done++
		}
		report()
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(readersAtOnce)
	for k, d := range layers {
		g.Go(func() error {
			return listLayer(ctx, src, repo, first+k, d, &read, func(batch []imagefs.Entry, end *layerEnd) { put(k, batch, end) })
		})
	}
	return g.Wait()
}

// layerEnd is what the last batch of a layer says of it.
type layerEnd struct {
	// kept: the layer came from the listing kept on this computer.
	kept bool
	// unterminated: the layer's tar ended without its end-of-archive
	// blocks.
	unterminated bool
}

// listLayer lists layer i of an image into emit, a batch at a time (end
// marks the last), every file with its content digest: from the listing
// the source kept (its size counted in read), else from the layer's
// table of contents, else by streaming the layer, each file hashed as it
// passes. What was listed is kept, with a compressed layer's checkpoints.
// The digests carry the layer's digest, checked when its stream ended,
// down to each file: a file read later by range is checked against its
// own.
func listLayer(ctx context.Context, src Source, repo registry.Reference, i int, d v1.Descriptor, read *atomic.Int64, emit func(batch []imagefs.Entry, end *layerEnd)) error {
	listings, _ := src.(layerListings)
	if listings != nil {
		if listing, err := listings.Listing(d.Digest.String(), i); err == nil {
			read.Add(max(d.Size, 0))
			emit(listing.Entries, &layerEnd{kept: true, unterminated: listing.Unterminated})
			return nil
		}
	}
	if listed, err := listTOC(ctx, src, repo, i, d, read); err == nil && withDigests(listed) {
		if listings != nil {
			listings.PutListing(d.Digest.String(), Listing{Entries: listed})
		}
		emit(listed, &layerEnd{})
		return nil
	}
	// What the cache keeps: the entries, and a compressed layer's
	// checkpoints.
	var all []imagefs.Entry
	var index zran.Index
	var record func(zran.Checkpoint)
	if listings != nil {
		record = func(cp zran.Checkpoint) { index = append(index, cp) }
	}
	batch := make([]imagefs.Entry, 0, batchSize)
	var flushed time.Time
	st, err := walkLayer(ctx, src, repo, i, d, read, record, func(e imagefs.Entry, body imagefs.Body) error {
		if e.Type == imagefs.File {
			e.Digest = imagefs.HashBody(body)
		}
		if listings != nil {
			all = append(all, e)
		}
		batch = append(batch, e)
		// A full batch goes in, and so does what a slow stream brought
		// (the first entry at once).
		if len(batch) == batchSize || time.Since(flushed) >= flushEvery {
			emit(batch, nil)
			batch = make([]imagefs.Entry, 0, batchSize)
			flushed = time.Now()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if listings != nil {
		listings.PutIndex(d.Digest.String(), index)
		listings.PutListing(d.Digest.String(), Listing{Entries: all, Unterminated: st.Unterminated})
	}
	emit(batch, &layerEnd{unterminated: st.Unterminated})
	return nil
}

// withDigests tells whether every file of a listing from a table of
// contents carries its digest, giving empty files the empty content's
// (a table of contents may leave it out).
func withDigests(entries []imagefs.Entry) bool {
	for i := range entries {
		e := &entries[i]
		switch {
		case e.Type != imagefs.File || e.Digest != "":
		case e.Size == 0:
			e.Digest = emptyDigest
		default:
			return false
		}
	}
	return true
}

// emptyDigest is the digest of no bytes.
const emptyDigest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// ResolveImage reads what ref names, and when it is an index picks the
// image for platform ("os/arch[/variant]"; "" means the host's, on
// Linux). It returns the image's reference by digest and its manifest.
func ResolveImage(ctx context.Context, src Source, ref registry.Reference, platform string) (registry.Reference, *registry.Manifest, error) {
	m, err := src.Manifest(ctx, ref)
	if err != nil {
		return ref, nil, err
	}
	if !m.IsIndex() {
		return ref, m, nil
	}
	want := platform
	if want == "" {
		want = HostPlatform()
	}
	var names []string
	for _, d := range m.Children() {
		if d.Platform == nil {
			continue
		}
		name := registry.PlatformString(d.Platform)
		names = append(names, name)
		if platformMatches(name, want) {
			ref.Tag, ref.Digest = "", d.Digest.String()
			child, err := src.Manifest(ctx, ref)
			return ref, child, err
		}
	}
	return ref, nil, fmt.Errorf("%w: %s has no image for %s; it has %s", registry.ErrNotFound, ref, want, strings.Join(names, ", "))
}

// platformMatches compares "linux/arm64" with "linux/arm64/v8": a wanted
// platform without a variant takes any.
func platformMatches(have, want string) bool {
	return have == want || strings.HasPrefix(have, want+"/")
}

// HostPlatform is the platform an index is read for by default: this
// machine's architecture, on Linux (what containers run).
func HostPlatform() string { return "linux/" + runtime.GOARCH }

// ReadFile writes the content of the file at p in image (whose merged tree
// is tree) to w, following symlinks inside the image and hard links to
// the entry that holds the bytes, and returns the entry. What w holds when
// ReadFile returns without an error is the file's bytes, checked: a file
// read by range against the digest its layer's listing recorded, one read
// from its layer's start by the layer's digest (the layer is read to its
// end for it, even after the file). After an error, w is rewound.
func ReadFile(ctx context.Context, src Source, repo registry.Reference, layers []v1.Descriptor, tree *imagefs.Tree, p string, w Rewinder) (imagefs.Node, error) {
	n, err := readFile(ctx, src, repo, layers, tree, p, w)
	if err != nil {
		w.Rewind()
	}
	return n, err
}

func readFile(ctx context.Context, src Source, repo registry.Reference, layers []v1.Descriptor, tree *imagefs.Tree, p string, w Rewinder) (imagefs.Node, error) {
	id, err := tree.Resolve(p)
	if err != nil {
		return imagefs.Node{}, err
	}
	n := tree.Node(id)
	want, layer := n.Path, n.Layer
	if n.Type == imagefs.Hardlink {
		want = n.Target
	} else if n.Type != imagefs.File {
		return n, fmt.Errorf("%w: %s is a %s, not a file", ErrNotAFile, p, n.Type)
	}
	if layer < 0 || layer >= len(layers) {
		return n, fmt.Errorf("%w: %s", imagefs.ErrNoSuchFile, p)
	}
	found, err := copyEntry(ctx, src, repo, layer, layers[layer], want, w)
	if err == nil && !found && n.Type == imagefs.Hardlink {
		// The bytes are in the layer that wrote the link's target.
		if target, ok := tree.Lookup(want); ok {
			if t := tree.Node(target); t.Type == imagefs.File && t.Layer != layer && t.Layer < len(layers) {
				found, err = copyEntry(ctx, src, repo, t.Layer, layers[t.Layer], want, w)
			}
		}
	}
	if err == nil && !found {
		err = fmt.Errorf("%w: %s: the layer that wrote it does not hold its bytes", imagefs.ErrNoSuchFile, want)
	}
	return n, err
}

// copyEntry copies the body of the file entry at p in one layer to w: with
// one range request when the layer was listed before (CopyFile), else by
// reading the layer.
func copyEntry(ctx context.Context, src Source, repo registry.Reference, i int, desc v1.Descriptor, p string, w Rewinder) (found bool, err error) {
	if kept, ok := src.(indexedFiles); ok {
		found, err := kept.CopyFile(ctx, repo, i, desc, p, w)
		if !errors.Is(err, errNoIndexRead) {
			return found, err
		}
	}
	_, err = WalkLayer(ctx, src, repo, i, desc, nil, func(e imagefs.Entry, body imagefs.Body) error {
		if found || e.Path != p || e.Type != imagefs.File {
			return nil
		}
		found = true
		_, err := io.Copy(w, body)
		return err
	})
	return found, err
}

// ErrNotAFile says that a path names a directory, device or such.
var ErrNotAFile = errors.New("not a file")
