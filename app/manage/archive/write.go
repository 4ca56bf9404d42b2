// Package archive writes images and indexes to archives and reads them
// back, as the two ends (transfer.Target, transfer.Source) of a copy: an
// OCI image layout, as a directory or a tar of one, and a docker-archive
// that `docker load` reads. The docker-archive is an OCI layout too (as
// `docker save` writes them since Docker 25), so it keeps every manifest
// byte for byte; its manifest.json, which docker load reads, names one
// image: an index's image for the platform asked for (ChooseForDocker),
// while the layout keeps the whole index.
//
// Blobs stream through: a layer is never held in memory. Each is checked
// against its digest as it is written; a directory's blob goes in under
// its name only once checked (a directory export run again skips what it
// has), and a tar is written beside its name and renamed into place when
// complete.
package archive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/card-catalog/card-catalog/app/manage/transfer"
	"github.com/card-catalog/card-catalog/registry"
)

// Format is the kind of archive.
type Format int

const (
	// LayoutDir is an OCI image layout in a directory.
	LayoutDir Format = iota
	// LayoutTar is a tar of an OCI image layout (skopeo's oci-archive).
	LayoutTar
	// DockerTar is a docker-archive (docker load, skopeo's
	// docker-archive) that is also an OCI image layout.
	DockerTar
)

// Layout file names, and the annotation that names a manifest in it.
const (
	layoutFile     = "oci-layout"
	indexFile      = "index.json"
	dockerManifest = "manifest.json"
	refName        = "org.opencontainers.image.ref.name"
	// containerdName is the full name docker save writes beside refName.
	containerdName = "io.containerd.image.name"
	layoutVersion  = `{"imageLayoutVersion":"1.0.0"}`
)

// Options say what an archive is written as.
type Options struct {
	// Name is the image's name in the archive: a tag ("v1"), kept as
	// the layout's ref.name; for a docker-archive also the repository
	// ("team/app:v1"), which docker load tags the image with.
	Name string
	// Platform is the image of an index a docker-archive's manifest.json
	// names ("linux/arm64"); default: this computer's, else the first.
	Platform string
}

// Writer writes an archive: a transfer.Target. Close it when done: a tar
// that was not finished is removed.
type Writer struct {
	format Format
	path   string
	opts   Options

	mu sync.Mutex
	// For a directory: what it held when opened, and the entries added.
	index v1.IndexManifest
	// For a tar: the file being written beside path, and what is in it.
	tmp     *os.File
	tw      *tarWriter
	written map[string]bool
	// tagged are the manifests named in the index, by name ("" for
	// referrers, listed unnamed).
	tagged   []v1.Descriptor
	finished bool
	loads    string
}

// Create starts an archive at path. A directory may hold a layout
// already (an export run again, or another image beside it): its index
// is kept and added to.
func Create(path string, f Format, o Options) (*Writer, error) {
	w := &Writer{format: f, path: path, opts: o, written: map[string]bool{},
		index: v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex}}
	if f == LayoutDir {
		if err := os.MkdirAll(filepath.Join(path, "blobs", "sha256"), 0o755); err != nil {
			return nil, err
		}
		if raw, err := readCapped(filepath.Join(path, indexFile), maxManifest); err == nil {
			if err := json.Unmarshal(raw, &w.index); err != nil {
				return nil, fmt.Errorf("%s holds an index.json that is not an index: %s", path, err)
			}
		}
		return w, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".partial-*")
	if err != nil {
		return nil, err
	}
	w.tmp, w.tw = tmp, newTarWriter(tmp)
	if err := w.tw.file(layoutFile, []byte(layoutVersion)); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// Close releases the writer; a tar not finished is removed.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.tmp == nil {
		return nil
	}
	err := w.tmp.Close()
	if !w.finished {
		os.Remove(w.tmp.Name())
	}
	w.tmp = nil
	return err
}

// Loads says, once finished, what docker load gets from a docker-archive.
func (w *Writer) Loads() string { return w.loads }

func (w *Writer) String() string { return w.path }

func blobPath(d v1.Hash) string { return "blobs/" + d.Algorithm + "/" + d.Hex }

// HasBlob says whether the archive holds the blob: a directory has it when its file is there at its size
// (files go in only once checked); a tar when it was written in this run.
func (w *Writer) HasBlob(_ context.Context, d v1.Descriptor) (bool, error) {
	if !validHash(d.Digest) {
		return false, fmt.Errorf("%w: %q is not a digest an archive can hold", registry.ErrMalformed, d.Digest)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.format != LayoutDir {
		return w.written[d.Digest.String()], nil
	}
	info, err := os.Stat(filepath.Join(w.path, filepath.FromSlash(blobPath(d.Digest))))
	return err == nil && info.Mode().IsRegular() && info.Size() == d.Size, nil
}

func (w *Writer) HasManifest(ctx context.Context, digest string) (bool, error) {
	h, err := v1.NewHash(digest)
	if err != nil {
		return false, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.format != LayoutDir {
		return w.written[digest], nil
	}
	info, err := os.Stat(filepath.Join(w.path, filepath.FromSlash(blobPath(h))))
	return err == nil && info.Mode().IsRegular(), nil
}

// PushBlob writes a blob from open's stream, checked against its digest
// and size.
func (w *Writer) PushBlob(_ context.Context, d v1.Descriptor, open func() (io.ReadCloser, error), _ string) (registry.BlobPush, error) {
	if !validHash(d.Digest) || d.Size < 0 {
		return registry.BlobPush{}, fmt.Errorf("%w: %q (%d bytes) is not a blob an archive can hold", registry.ErrMalformed, d.Digest, d.Size)
	}
	rc, err := open()
	if err != nil {
		return registry.BlobPush{}, err
	}
	defer rc.Close()
	c := &checked{r: rc, h: sha256.New(), want: d}
	err = w.put(d.Digest, d.Size, c)
	return registry.BlobPush{Sent: c.n}, err
}

// PutManifest writes a manifest as a blob, and names it in the index when
// tag is not "".
func (w *Writer) PutManifest(_ context.Context, m *registry.Manifest, tag string) error {
	h, err := v1.NewHash(m.Digest)
	if err != nil || !validHash(h) {
		return fmt.Errorf("%w: manifest digest %q", registry.ErrMalformed, m.Digest)
	}
	if tag == "" {
		done, _ := w.HasManifest(context.Background(), m.Digest)
		if done {
			return nil
		}
		d := v1.Descriptor{Digest: h, Size: int64(len(m.Raw))}
		return w.put(h, d.Size, &checked{r: strings.NewReader(string(m.Raw)), h: sha256.New(), want: d})
	}
	d := descriptorOf(m)
	d.Annotations = map[string]string{refName: tag}
	w.mu.Lock()
	w.tagged = append(w.tagged, d)
	w.mu.Unlock()
	return nil
}

// put writes one blob, under the writer's lock: a tar is one stream.
func (w *Writer) put(d v1.Hash, size int64, c *checked) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.format != LayoutDir {
		if err := w.tw.stream(blobPath(d), size, c); err != nil {
			return err
		}
		w.written[d.String()] = true
		return nil
	}
	dir := filepath.Join(w.path, "blobs", d.Algorithm)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".partial-*")
	if err != nil {
		return err
	}
	_, err = io.Copy(f, c)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, d.Hex))
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// Tag is the name the root goes under, and what the directory's index
// names so now.
func (w *Writer) Tag(context.Context) (string, string, error) {
	tag := w.tag()
	for _, d := range w.index.Manifests {
		if tag != "" && d.Annotations[refName] == tag {
			return tag, d.Digest.String(), nil
		}
	}
	return tag, "", nil
}

// tag is the ref.name part of Options.Name ("team/app:v1" → "v1").
func (w *Writer) tag() string {
	n := w.opts.Name
	if i := strings.LastIndex(n, ":"); i >= 0 && !strings.Contains(n[i:], "/") {
		return n[i+1:]
	}
	if w.format == DockerTar {
		return "latest"
	}
	return n
}

// FindReferrers lists the referrers in the index, unnamed: a layout's
// referrers are the manifests it lists with a subject.
func (w *Writer) FindReferrers(_ context.Context, _ string, referrers []v1.Descriptor) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tagged = append(w.tagged, referrers...)
	return nil
}

func (w *Writer) Location() (registry.Reference, bool) { return registry.Reference{}, false }

// Finish writes the index (and a docker-archive's manifest.json) and puts
// a tar in its place.
func (w *Writer) Finish(ctx context.Context, root *registry.Manifest) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	idx := w.index
	for _, d := range w.tagged {
		idx.Manifests = replaceEntry(idx.Manifests, d)
	}
	raw, err := json.Marshal(idx)
	if err != nil {
		return err
	}
	if w.format == LayoutDir {
		if err := writeFile(filepath.Join(w.path, layoutFile), []byte(layoutVersion)); err != nil {
			return err
		}
		return writeFile(filepath.Join(w.path, indexFile), raw)
	}
	if err := w.tw.file(indexFile, raw); err != nil {
		return err
	}
	if w.format == DockerTar {
		if err := w.dockerManifest(root); err != nil {
			return err
		}
	}
	if err := w.tw.close(); err != nil {
		return err
	}
	if err := w.tmp.Sync(); err != nil {
		return err
	}
	if err := os.Rename(w.tmp.Name(), w.path); err != nil {
		return err
	}
	w.finished = true
	return nil
}

// replaceEntry puts d into an index's list: an entry of the same name
// (or, unnamed, the same digest) gives way.
func replaceEntry(list []v1.Descriptor, d v1.Descriptor) []v1.Descriptor {
	name := d.Annotations[refName]
	out := list[:0:0]
	for _, e := range list {
		if (name != "" && e.Annotations[refName] == name) || (name == "" && e.Digest == d.Digest && e.Annotations[refName] == "") {
			continue
		}
		out = append(out, e)
	}
	return append(out, d)
}

// dockerManifest writes manifest.json for the image docker load gets.
func (w *Writer) dockerManifest(root *registry.Manifest) error {
	img, words, err := w.dockerImage(root)
	if err != nil {
		return err
	}
	entry := struct {
		Config   string
		RepoTags []string
		Layers   []string
	}{Config: blobPath(img.Image.Config.Digest), Layers: []string{}}
	if w.opts.Name != "" {
		name := w.opts.Name
		if !strings.Contains(name[strings.LastIndex(name, "/")+1:], ":") {
			name += ":latest"
		}
		entry.RepoTags = []string{name}
	}
	for _, l := range img.Image.Layers {
		if !w.written[l.Digest.String()] {
			return fmt.Errorf("docker load needs every layer of %s, and %s is not in the archive (a foreign layer?)", img.Digest, l.Digest)
		}
		entry.Layers = append(entry.Layers, blobPath(l.Digest))
	}
	raw, err := json.Marshal([]any{entry})
	if err != nil {
		return err
	}
	w.loads = words
	return w.tw.file(dockerManifest, raw)
}

// dockerImage is the image of root docker load gets, read back from the
// archive being written.
func (w *Writer) dockerImage(root *registry.Manifest) (*registry.Manifest, string, error) {
	if root.Image != nil {
		if root.ArtifactType() != "" {
			return nil, "", fmt.Errorf("%s is an artifact (%s), not an image: docker load cannot take it", root.Digest, root.ArtifactType())
		}
		return root, "docker load gets the image " + root.Digest, nil
	}
	if root.Index == nil {
		return nil, "", fmt.Errorf("%s is neither an image nor an index", root.Digest)
	}
	d, platform, ok := ChooseForDocker(root.Index, w.opts.Platform)
	if !ok {
		return nil, "", fmt.Errorf("the index %s has no image for %s for docker load", root.Digest, platformOrDefault(w.opts.Platform))
	}
	raw, err := w.tw.read(blobPath(d.Digest))
	if err != nil {
		return nil, "", err
	}
	m, err := registry.DecodeManifest(raw, string(d.MediaType))
	if err != nil || m.Image == nil {
		return nil, "", fmt.Errorf("the index's image %s: %v", d.Digest, err)
	}
	m.Digest = d.Digest.String()
	return m, fmt.Sprintf("docker load gets the %s image (%s) of the index; the archive's OCI layout keeps the whole index", platform, d.Digest), nil
}

// ChooseForDocker picks the image of an index that a docker-archive
// names: the platform asked for ("linux/arm64"; "" for this computer's),
// else, when none was asked for, the first image of a real platform.
func ChooseForDocker(idx *v1.IndexManifest, platform string) (v1.Descriptor, string, bool) {
	want := platformOrDefault(platform)
	var first *v1.Descriptor
	for i, d := range idx.Manifests {
		if !d.MediaType.IsImage() || d.Platform == nil || d.Platform.OS == "unknown" {
			continue
		}
		if d.Platform.OS+"/"+d.Platform.Architecture == want || d.Platform.String() == want {
			return d, d.Platform.String(), true
		}
		if first == nil {
			first = &idx.Manifests[i]
		}
	}
	if platform == "" && first != nil {
		return *first, first.Platform.String(), true
	}
	return v1.Descriptor{}, "", false
}

func platformOrDefault(p string) string {
	if p == "" {
		return runtime.GOOS + "/" + runtime.GOARCH
	}
	return p
}

// descriptorOf is the descriptor of a manifest, as an index lists it.
func descriptorOf(m *registry.Manifest) v1.Descriptor {
	h, _ := v1.NewHash(m.Digest)
	return v1.Descriptor{MediaType: types.MediaType(m.MediaType), Digest: h, Size: int64(len(m.Raw)), ArtifactType: m.ArtifactType()}
}

// validHash: a sha256 digest of 64 hex digits, the only kind a layout's
// path is made from (nothing else may reach the file system).
func validHash(h v1.Hash) bool {
	if h.Algorithm != "sha256" || len(h.Hex) != 64 {
		return false
	}
	_, err := hex.DecodeString(h.Hex)
	return err == nil
}

// checked passes a blob on, hashing it, and fails the read that ends it
// when it is not what its descriptor says.
type checked struct {
	r    io.Reader
	h    hash.Hash
	want v1.Descriptor
	n    int64
}

func (c *checked) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	if c.n > c.want.Size {
		return n, fmt.Errorf("%w: %s runs past its %d bytes", registry.ErrDigestMismatch, c.want.Digest, c.want.Size)
	}
	if errors.Is(err, io.EOF) {
		if got := "sha256:" + hex.EncodeToString(c.h.Sum(nil)); c.n != c.want.Size || got != c.want.Digest.String() {
			return n, fmt.Errorf("%w: %s: %d bytes hashing to %s", registry.ErrDigestMismatch, c.want.Digest, c.n, got)
		}
	}
	return n, err
}

// writeFile writes a small file through a temporary one, renamed.
func writeFile(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".partial-*")
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// epoch is every tar entry's time: the same image makes the same archive.
var epoch = time.Unix(0, 0)

var (
	_ transfer.Target = (*Writer)(nil)
	_ transfer.Source = (*Archive)(nil)
)
