package archive

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/card-catalog/card-catalog/registry"
)

// Bounds on what an archive may make the reader hold: a manifest or an
// index, a config, and how many entries a tar may list.
const (
	maxManifest   = 8 << 20
	maxConfig     = 16 << 20
	maxTarEntries = 200_000
	maxLinkHops   = 8
)

// ErrWhichImage is Root's answer for an archive that holds several images
// when none was named, or not one of them.
var ErrWhichImage = errors.New("name the one to import")

// Archive is an archive opened for reading: a transfer.Source. It reads
// an OCI layout (directory or tar) through its index.json, byte for byte;
// a docker-archive without one (docker save before Docker 25) through
// its manifest.json, its image manifest made anew from the config and
// layers (their digests are the archive's; the manifest's is new).
type Archive struct {
	path string
	name string
	f    *os.File
	// entries of a tar: its regular files, by cleaned name.
	entries map[string]span
	links   map[string]string
	index   *v1.IndexManifest
	// made is the manifest made for a docker-archive without an index,
	// and madeFiles the files of its blobs, by digest.
	made      *registry.Manifest
	madeFiles map[string]string
	// subjects caches which manifest of the index refers to which.
	subjects map[string][]v1.Descriptor
}

// Open opens the archive at path: a directory holding an OCI layout, or
// a tar (not compressed) of an OCI layout or a docker-archive. name picks
// the image when it holds several: a ref.name ("v1") or a docker-archive
// RepoTag ("team/app:v1"); "" for the only one.
func Open(path, name string) (*Archive, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	a := &Archive{path: path, name: name}
	if !info.IsDir() {
		if err := a.scan(); err != nil {
			a.Close()
			return nil, err
		}
	}
	raw, err := a.readFile(indexFile, maxManifest)
	switch {
	case err == nil:
		var idx v1.IndexManifest
		if err := json.Unmarshal(raw, &idx); err != nil {
			a.Close()
			return nil, fmt.Errorf("%s: index.json is not an index: %w", path, err)
		}
		a.index = &idx
	case errors.Is(err, os.ErrNotExist) && a.f != nil:
		if err := a.dockerImage(); err != nil {
			a.Close()
			return nil, err
		}
	default:
		a.Close()
		return nil, fmt.Errorf("%s: not an OCI image layout or a docker-archive: %w", path, err)
	}
	return a, nil
}

// Close releases the archive.
func (a *Archive) Close() error {
	if a.f == nil {
		return nil
	}
	return a.f.Close()
}

func (a *Archive) String() string { return a.path }

// scan lists a tar's entries and where their content lies: the content
// is then read in place, in any order, without unpacking.
func (a *Archive) scan() error {
	f, err := os.Open(a.path)
	if err != nil {
		return err
	}
	a.f, a.entries, a.links = f, map[string]span{}, map[string]string{}
	var head [2]byte
	if _, err := io.ReadFull(f, head[:]); err == nil && head == [2]byte{0x1f, 0x8b} {
		return fmt.Errorf("%s is compressed (gzip): unpack it first (gunzip), then import the tar", a.path)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	pos := &position{r: f}
	tr := tar.NewReader(pos)
	for n := 0; ; n++ {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s is not a tar it can read: %v", a.path, err)
		}
		if n >= maxTarEntries {
			return fmt.Errorf("%s: more than %d entries", a.path, maxTarEntries)
		}
		name := clean(h.Name)
		switch h.Typeflag {
		case tar.TypeReg:
			// The reader stands at the entry's content: archive/tar reads
			// headers a block at a time and no further.
			a.entries[name] = span{offset: pos.n, size: h.Size}
		case tar.TypeSymlink:
			a.links[name] = clean(path.Join(path.Dir(name), h.Linkname))
		case tar.TypeLink:
			a.links[name] = clean(h.Linkname)
		}
	}
}

// position counts what was read through it.
type position struct {
	r io.Reader
	n int64
}

func (p *position) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	return n, err
}

func clean(name string) string { return strings.TrimPrefix(path.Clean("/"+name), "/") }

// open opens a file of the archive by its name inside it ("blobs/sha256/…").
func (a *Archive) open(name string) (io.ReadCloser, int64, error) {
	name = clean(name)
	if a.f == nil {
		// A directory: the name is made of a digest's parts or a fixed
		// file name, or comes from a manifest.json, which a directory
		// layout is not read through; it cannot leave the directory.
		if !filepath.IsLocal(filepath.FromSlash(name)) {
			return nil, 0, fmt.Errorf("%s: %q leaves the archive", a.path, name)
		}
		f, err := os.Open(filepath.Join(a.path, filepath.FromSlash(name)))
		if err != nil {
			return nil, 0, err
		}
		info, err := f.Stat()
		if err != nil || !info.Mode().IsRegular() {
			f.Close()
			return nil, 0, fmt.Errorf("%s: %s is not a file", a.path, name)
		}
		return f, info.Size(), nil
	}
	for hops := 0; ; hops++ {
		target, ok := a.links[name]
		if !ok || hops == maxLinkHops {
			break
		}
		name = target
	}
	s, ok := a.entries[name]
	if !ok {
		return nil, 0, fmt.Errorf("%s: %s: %w", a.path, name, os.ErrNotExist)
	}
	return io.NopCloser(io.NewSectionReader(a.f, s.offset, s.size)), s.size, nil
}

// readFile reads a small file of the archive whole.
func (a *Archive) readFile(name string, limit int64) ([]byte, error) {
	rc, size, err := a.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if size > limit {
		return nil, fmt.Errorf("%s: %s: %w: %d bytes", a.path, name, registry.ErrTooLarge, size)
	}
	return io.ReadAll(io.LimitReader(rc, limit))
}

func readCapped(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: %w", path, registry.ErrTooLarge)
	}
	return b, err
}

// Root is the image the archive holds, or the one named.
func (a *Archive) Root(ctx context.Context) (*registry.Manifest, error) {
	if a.made != nil {
		return a.made, nil
	}
	var named, all []v1.Descriptor
	var names []string
	for _, d := range a.index.Manifests {
		n := d.Annotations[refName]
		if n == "" {
			continue // a referrer, listed unnamed
		}
		all = append(all, d)
		names = append(names, n)
		if a.name != "" && (n == a.name || d.Annotations[containerdName] == a.name || strings.HasSuffix(d.Annotations[containerdName], "/"+a.name)) {
			named = append(named, d)
		}
	}
	switch {
	case a.name == "" && len(all) == 0 && len(a.index.Manifests) == 1:
		named = a.index.Manifests
	case a.name == "" && len(all) == 1:
		named = all
	}
	if len(named) != 1 {
		if a.name != "" {
			return nil, fmt.Errorf("%s holds no image named %q (it holds %s): %w", a.path, a.name, strings.Join(names, ", "), ErrWhichImage)
		}
		return nil, fmt.Errorf("%s holds %d images (%s): %w", a.path, len(all), strings.Join(names, ", "), ErrWhichImage)
	}
	return a.Manifest(ctx, named[0].Digest.String())
}

// Manifest reads a manifest of the archive, checked against its digest.
func (a *Archive) Manifest(_ context.Context, digest string) (*registry.Manifest, error) {
	if a.made != nil && digest == a.made.Digest {
		return a.made, nil
	}
	h, err := v1.NewHash(digest)
	if err != nil || !validHash(h) {
		return nil, fmt.Errorf("%w: %q", registry.ErrInvalidReference, digest)
	}
	raw, err := a.readFile(blobPath(h), maxManifest)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("manifest %s: %w in %s", digest, registry.ErrNotFound, a.path)
	}
	if err != nil {
		return nil, err
	}
	if got := sha256Of(raw); got != digest {
		return nil, fmt.Errorf("manifest %s in %s: %w: it hashes to %s", digest, a.path, registry.ErrDigestMismatch, got)
	}
	m, err := registry.DecodeManifest(raw, "")
	if err != nil {
		return nil, fmt.Errorf("manifest %s in %s: %w", digest, a.path, err)
	}
	m.Digest, m.Size = digest, int64(len(raw))
	return m, nil
}

// OpenBlob streams a blob of the archive; the stream fails at its end
// when it does not hash to its digest.
func (a *Archive) OpenBlob(_ context.Context, d v1.Descriptor) (io.ReadCloser, error) {
	if !validHash(d.Digest) {
		return nil, fmt.Errorf("%w: %q", registry.ErrInvalidReference, d.Digest)
	}
	name := blobPath(d.Digest)
	if a.made != nil {
		name = a.madeFiles[d.Digest.String()]
	}
	rc, _, err := a.open(name)
	if err != nil {
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{&checked{r: rc, h: sha256.New(), want: d}, rc}, nil
}

// Referrers lists the manifests of the index that refer to digest.
func (a *Archive) Referrers(ctx context.Context, digest string) ([]v1.Descriptor, error) {
	if a.index == nil {
		return nil, nil
	}
	if a.subjects == nil {
		a.subjects = map[string][]v1.Descriptor{}
		for _, d := range a.index.Manifests {
			m, err := a.Manifest(ctx, d.Digest.String())
			if err != nil || m.Image == nil || m.Image.Subject == nil {
				continue
			}
			s := m.Image.Subject.Digest.String()
			a.subjects[s] = append(a.subjects[s], d)
		}
	}
	return a.subjects[digest], nil
}

// Tagged reads the manifest the index names tag.
func (a *Archive) Tagged(ctx context.Context, tag string) (*registry.Manifest, error) {
	if a.index != nil {
		for _, d := range a.index.Manifests {
			if d.Annotations[refName] == tag {
				return a.Manifest(ctx, d.Digest.String())
			}
		}
	}
	return nil, fmt.Errorf("%s in %s: %w", tag, a.path, registry.ErrNotFound)
}

func (a *Archive) Location() (registry.Reference, bool) { return registry.Reference{}, false }

func sha256Of(b []byte) string {
	sum := sha256.Sum256(b)
	return fmt.Sprintf("sha256:%x", sum)
}

// dockerImage makes the image manifest of a docker-archive without an
// OCI index: its config and layers as the archive holds them (each layer
// hashed once, as it lies), in a Docker schema 2 manifest.
func (a *Archive) dockerImage() error {
	raw, err := a.readFile(dockerManifest, maxManifest)
	if err != nil {
		return fmt.Errorf("%s: neither index.json nor manifest.json: not an OCI image layout or a docker-archive", a.path)
	}
	var entries []struct {
		Config   string
		RepoTags []string
		Layers   []string
	}
	if err := json.Unmarshal(raw, &entries); err != nil {
		return fmt.Errorf("%s: manifest.json: %v", a.path, err)
	}
	var e *struct {
		Config   string
		RepoTags []string
		Layers   []string
	}
	for i := range entries {
		if a.name == "" && len(entries) == 1 || slices.ContainsFunc(entries[i].RepoTags, func(t string) bool {
			return t == a.name || strings.HasSuffix(t, "/"+a.name)
		}) {
			e = &entries[i]
			break
		}
	}
	if e == nil {
		return fmt.Errorf("%s holds %d images: name the one to import by its tag", a.path, len(entries))
	}
	a.madeFiles = map[string]string{}
	cfg, err := a.readFile(e.Config, maxConfig)
	if err != nil {
		return err
	}
	m := v1.Manifest{SchemaVersion: 2, MediaType: types.DockerManifestSchema2,
		Config: v1.Descriptor{MediaType: types.DockerConfigJSON, Size: int64(len(cfg)), Digest: mustHash(sha256Of(cfg))}}
	a.madeFiles[m.Config.Digest.String()] = e.Config
	for _, l := range e.Layers {
		d, err := a.hashLayer(l)
		if err != nil {
			return err
		}
		a.madeFiles[d.Digest.String()] = l
		m.Layers = append(m.Layers, d)
	}
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	made, err := registry.DecodeManifest(body, string(types.DockerManifestSchema2))
	if err != nil {
		return err
	}
	made.Digest, made.Size = sha256Of(body), int64(len(body))
	a.made = made
	return nil
}

// hashLayer reads a layer of a docker-archive once: its digest, size and
// compression (the media type says which).
func (a *Archive) hashLayer(name string) (v1.Descriptor, error) {
	rc, _, err := a.open(name)
	if err != nil {
		return v1.Descriptor{}, err
	}
	defer rc.Close()
	h := sha256.New()
	var head bytes.Buffer
	n, err := io.Copy(io.MultiWriter(h, &limitedBuffer{b: &head, left: 4}), rc)
	if err != nil {
		return v1.Descriptor{}, err
	}
	mt := types.DockerUncompressedLayer
	if bytes.HasPrefix(head.Bytes(), []byte{0x1f, 0x8b}) {
		mt = types.DockerLayer
	} else if bytes.HasPrefix(head.Bytes(), []byte{0x28, 0xb5, 0x2f, 0xfd}) {
		mt = types.OCILayerZStd
	}
	return v1.Descriptor{MediaType: mt, Size: n, Digest: mustHash(fmt.Sprintf("sha256:%x", h.Sum(nil)))}, nil
}

// limitedBuffer keeps the first bytes written to it.
type limitedBuffer struct {
	b    *bytes.Buffer
	left int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if l.left > 0 {
		k := min(l.left, len(p))
		l.b.Write(p[:k])
		l.left -= k
	}
	return len(p), nil
}

func mustHash(s string) v1.Hash {
	h, _ := v1.NewHash(s)
	return h
}
