package registry

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Media types a registry may answer a manifest request with.
const (
	mediaTypeSchema1       = "application/vnd.docker.distribution.manifest.v1+json"
	mediaTypeSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws"
)

var manifestAccept = []string{
	string(types.OCIImageIndex), string(types.OCIManifestSchema1),
	string(types.DockerManifestList), string(types.DockerManifestSchema2),
	mediaTypeSchema1Signed, mediaTypeSchema1,
}

// Manifest is what a reference points at. Exactly one of Index, Image and
// Schema1 is set.
type Manifest struct {
	Ref       Reference
	Digest    string
	MediaType string
	Size      int64
	// Raw is the manifest as the registry sent it.
	Raw []byte

	// Index is an OCI image index or a Docker manifest list.
	Index *v1.IndexManifest
	// Image is an OCI or Docker schema 2 manifest (images and artifacts).
	Image *v1.Manifest
	// Schema1 is a legacy Docker schema 1 manifest (read only).
	Schema1 *Schema1
}

// EmptyMediaType is OCI's empty descriptor's: an artifact's config that
// holds nothing ("{}").
const EmptyMediaType = "application/vnd.oci.empty.v1+json"

// ArtifactType is the OCI artifact type: the manifest's artifactType, else
// its config's media type when that is not an image config; "" for images.
// An artifact whose config is the empty descriptor and that names no type
// (as tools wrote them before OCI 1.1 asked for artifactType) is of its
// first layer's type: the empty config says nothing of what it is.
func (m *Manifest) ArtifactType() string {
	switch {
	case m.Image != nil:
		if m.Image.ArtifactType != "" {
			return m.Image.ArtifactType
		}
		mt := m.Image.Config.MediaType
		if mt == EmptyMediaType && len(m.Image.Layers) > 0 {
			return string(m.Image.Layers[0].MediaType)
		}
		if mt != "" && !mt.IsConfig() {
			return string(mt)
		}
	case m.Index != nil:
		return m.Index.ArtifactType
	}
	return ""
}

// Schema1 is the part of a legacy schema 1 manifest worth showing.
type Schema1 struct {
	Name         string `json:"name"`
	Tag          string `json:"tag"`
	Architecture string `json:"architecture"`
	FSLayers     []struct {
		BlobSum string `json:"blobSum"`
	} `json:"fsLayers"`
	History []struct {
		V1Compatibility string `json:"v1Compatibility"`
	} `json:"history"`
}

// Config returns the image config kept in the newest history entry, and
// that entry as it is written.
func (s *Schema1) Config() (*v1.ConfigFile, []byte, error) {
	if len(s.History) == 0 {
		return nil, nil, fmt.Errorf("%w: schema 1 manifest has no history", ErrMalformed)
	}
	raw := []byte(s.History[0].V1Compatibility)
	var cfg v1.ConfigFile
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return nil, nil, fmt.Errorf("%w: schema 1 history: %s", ErrMalformed, jsonProblem(err))
	}
	if cfg.Architecture == "" {
		cfg.Architecture = s.Architecture
	}
	return &cfg, raw, nil
}

// Manifest fetches the manifest ref points at. The body is read under an
// 8 MiB cap and checked: fetched by digest, it must hash to that digest;
// fetched by tag, to the Docker-Content-Digest the registry announced.
func (c *Client) Manifest(ctx context.Context, ref Reference) (*Manifest, error) {
	what := "manifest of " + ref.String()
	resp, err := c.get(ctx, c.url("/v2/"+ref.Repository+"/manifests/"+ref.Identifier(), nil), manifestAccept, what)
	if err != nil {
		return nil, err
	}
	raw, err := readAll(resp, maxManifestBytes, what)
	if err != nil {
		return nil, err
	}
	digest := sha256Digest(raw)
	if ref.Digest != "" && ref.Digest != digest {
		return nil, fmt.Errorf("%s: %w: asked for %s, content hashes to %s", what, ErrDigestMismatch, ref.Digest, digest)
	}
	if h := resp.Header.Get("Docker-Content-Digest"); h != "" && h != digest && strings.HasPrefix(h, "sha256:") {
		return nil, fmt.Errorf("%s: %w: the registry says %s, content hashes to %s", what, ErrDigestMismatch, h, digest)
	}
	m, err := DecodeManifest(raw, resp.Header.Get("Content-Type"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	m.Ref, m.Digest, m.Size = ref, digest, int64(len(raw))
	return m, nil
}

// Head asks for a manifest's digest, media type and size without its body.
func (c *Client) Head(ctx context.Context, ref Reference) (v1.Descriptor, error) {
	what := "manifest of " + ref.String()
	resp, err := c.do(ctx, http.MethodHead, c.url("/v2/"+ref.Repository+"/manifests/"+ref.Identifier(), nil), manifestAccept, what)
	if err != nil {
		return v1.Descriptor{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return v1.Descriptor{}, statusError(resp, what)
	}
	h, err := v1.NewHash(resp.Header.Get("Docker-Content-Digest"))
	if err != nil {
		return v1.Descriptor{}, fmt.Errorf("%s: %w: no usable Docker-Content-Digest header", what, ErrMalformed)
	}
	return v1.Descriptor{Digest: h, Size: resp.ContentLength, MediaType: types.MediaType(baseMediaType(resp.Header.Get("Content-Type")))}, nil
}

// DecodeManifest parses a manifest of any kind. The body decides what it
// is: "manifests" makes an index, "layers" or "config" an image, "fsLayers"
// a schema 1 manifest. A body of no such shape, of two shapes, or whose own
// mediaType names another kind is malformed, whatever contentType claims;
// contentType only names the media type of a body that names none.
func DecodeManifest(raw []byte, contentType string) (*Manifest, error) {
	var probe struct {
		SchemaVersion int             `json:"schemaVersion"`
		MediaType     string          `json:"mediaType"`
		Manifests     json.RawMessage `json:"manifests"`
		Layers        json.RawMessage `json:"layers"`
		Config        json.RawMessage `json:"config"`
		FSLayers      json.RawMessage `json:"fsLayers"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, fmt.Errorf("%w: expected a JSON manifest: %s", ErrMalformed, jsonProblem(err))
	}
	present := func(m json.RawMessage) bool { return len(m) > 0 && string(m) != "null" }
	shapes := []struct {
		kind string
		ok   bool
	}{
		{"index", present(probe.Manifests)},
		{"image", present(probe.Layers) || present(probe.Config)},
		{"schema 1", present(probe.FSLayers) || probe.SchemaVersion == 1},
	}
	var shape string
	for _, s := range shapes {
		if !s.ok {
			continue
		}
		if shape != "" {
			return nil, fmt.Errorf("%w: the manifest is shaped both as %s and as %s", ErrMalformed, article(shape), article(s.kind))
		}
		shape = s.kind
	}
	if shape == "" {
		return nil, fmt.Errorf("%w: expected an image manifest or index, found none of manifests, layers or fsLayers", ErrMalformed)
	}
	if probe.MediaType != "" && mediaTypeKind(probe.MediaType) != "" && mediaTypeKind(probe.MediaType) != shape {
		return nil, fmt.Errorf("%w: the manifest says it is %s (%s) but is shaped as %s", ErrMalformed,
			article(mediaTypeKind(probe.MediaType)), probe.MediaType, article(shape))
	}
	mt := probe.MediaType
	if header := baseMediaType(contentType); mt == "" && mediaTypeKind(header) == shape {
		mt = header
	}
	m := &Manifest{MediaType: mt, Raw: raw}
	switch shape {
	case "schema 1":
		var s Schema1
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("%w: schema 1 manifest: %s", ErrMalformed, jsonProblem(err))
		}
		if !strings.Contains(m.MediaType, "manifest.v1") {
			m.MediaType = mediaTypeSchema1
		}
		m.Schema1 = &s
	case "index":
		idx, err := v1.ParseIndexManifest(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("%w: image index: %s", ErrMalformed, jsonProblem(err))
		}
		if m.MediaType == "" {
			m.MediaType = string(types.OCIImageIndex)
		}
		if len(idx.Manifests) == 0 {
			return nil, fmt.Errorf("%w: the index lists no manifests", ErrMalformed)
		}
		if err := checkSizes(idx.Manifests); err != nil {
			return nil, err
		}
		m.Index = idx
	case "image":
		img, err := v1.ParseManifest(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("%w: image manifest: %s", ErrMalformed, jsonProblem(err))
		}
		if m.MediaType == "" {
			m.MediaType = string(types.OCIManifestSchema1)
		}
		if err := checkSizes(append([]v1.Descriptor{img.Config}, img.Layers...)); err != nil {
			return nil, err
		}
		m.Image = img
	}
	return m, nil
}

// mediaTypeKind is the shape a media type names: "index", "image",
// "schema 1", or "" for one it does not know.
func mediaTypeKind(mt string) string {
	switch {
	case mt == mediaTypeSchema1 || mt == mediaTypeSchema1Signed:
		return "schema 1"
	case types.MediaType(mt).IsIndex():
		return "index"
	case types.MediaType(mt).IsImage():
		return "image"
	}
	return ""
}

func article(kind string) string {
	if kind == "schema 1" {
		return "a schema 1 manifest"
	}
	return "an " + kind
}

// checkSizes refuses descriptors with a negative size: sizes are added up
// and shown, and a registry's lie must not turn into nonsense there.
func checkSizes(ds []v1.Descriptor) error {
	for _, d := range ds {
		if d.Size < 0 {
			return fmt.Errorf("%w: %s has a negative size (%d)", ErrMalformed, d.Digest, d.Size)
		}
	}
	return nil
}

// maxReferrerPages bounds the pages of referrers followed: a registry's
// Link headers may go on for ever, or round in a loop.
const maxReferrerPages = 16

// referrerPages reads the referrers API's first page (resp, from u) and
// the pages its Link headers name after it.
func (c *Client) referrerPages(ctx context.Context, resp *http.Response, u *url.URL, what string) ([]v1.Descriptor, error) {
	var all []v1.Descriptor
	seen := map[string]bool{u.String(): true}
	for page := 1; ; page++ {
		raw, err := readAll(resp, maxManifestBytes, what)
		if err != nil {
			return nil, err
		}
		idx, err := v1.ParseIndexManifest(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("%s: %w: expected an index of referrers: %s", what, ErrMalformed, jsonProblem(err))
		}
		all = append(all, idx.Manifests...)
		next, err := nextLink(resp.Header.Values("Link"), u)
		switch {
		case err != nil:
			return nil, fmt.Errorf("%s: %w", what, err)
		case next == nil:
			return all, nil
		case seen[next.String()] || page == maxReferrerPages:
			c.log.Warn("the referrers' pages go on; the first are kept", "what", what, "pages", page)
			return all, nil
		}
		seen[next.String()] = true
		u = next
		if resp, err = c.get(ctx, u, []string{string(types.OCIImageIndex)}, what); err != nil {
			return nil, err
		}
	}
}

// TotalSize adds up descriptor sizes, stopping at the largest int64 rather
// than overflowing.
func TotalSize(ds []v1.Descriptor) int64 {
	var total int64
	for _, d := range ds {
		if d.Size > 0 {
			if total > math.MaxInt64-d.Size {
				return math.MaxInt64
			}
			total += d.Size
		}
	}
	return total
}

func baseMediaType(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return mt
}

func sha256Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Config fetches and parses an image's config blob, checking its digest.
func (c *Client) Config(ctx context.Context, repo Reference, desc v1.Descriptor) (*v1.ConfigFile, []byte, error) {
	what := "config of " + repo.Repository + "@" + desc.Digest.String()
	raw, err := c.Blob(ctx, repo, desc.Digest.String(), maxConfigBytes, what)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(raw))
	if err != nil {
		return nil, raw, fmt.Errorf("%s: %w: expected an image config: %s", what, ErrMalformed, jsonProblem(err))
	}
	return cfg, raw, nil
}

// Blob fetches a small blob under limit, checking its digest: OpenBlob,
// read whole.
func (c *Client) Blob(ctx context.Context, repo Reference, digest string, limit int64, what string) ([]byte, error) {
	r, err := c.openBlob(ctx, repo, digest, BlobRange{}, what)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	raw, err := readCapped(r, limit)
	var over errOverCap
	if errors.As(err, &over) {
		return nil, fmt.Errorf("%s: %w: %v", what, ErrTooLarge, over)
	}
	return raw, err
}

// Referrers lists the manifests that refer to digest (signatures, SBOMs,
// attestations): the OCI 1.1 referrers API, its pages followed through
// their Link headers (up to maxReferrerPages), else the sha256-<hex> tag
// that older registries keep instead.
func (c *Client) Referrers(ctx context.Context, repo Reference, digest string) ([]v1.Descriptor, error) {
	what := "referrers of " + repo.Repository + "@" + digest
	u := c.url("/v2/"+repo.Repository+"/referrers/"+digest, nil)
	resp, err := c.do(ctx, http.MethodGet, u, []string{string(types.OCIImageIndex)}, what)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusOK && types.MediaType(baseMediaType(resp.Header.Get("Content-Type"))).IsIndex() {
		return c.referrerPages(ctx, resp, u, what)
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotFound {
		defer resp.Body.Close()
		return nil, statusError(resp, what)
	}
	drain(resp)
	fallback := repo
	fallback.Tag, fallback.Digest = strings.Replace(digest, ":", "-", 1), ""
	m, err := c.Manifest(ctx, fallback)
	if errorsIsAny(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if m.Index == nil {
		return nil, fmt.Errorf("%s: %w: tag %s is not an index", what, ErrMalformed, fallback.Tag)
	}
	return m.Index.Manifests, nil
}
