package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// writeTimeout bounds a write whose body is in memory (a manifest, a
// DELETE, the start of an upload): its answer must come within it,
// whatever the registry does. A streamed upload has the stall window
// instead (stallTransport): it may take as long as it keeps moving.
const writeTimeout = 2 * time.Minute

// request sends method to u with body (nil for none) and the headers
// given, and returns the answer whatever its status. A body of bytes can
// be sent again (GetBody), a streamed one cannot.
func (c *Client) request(ctx context.Context, method string, u *url.URL, header http.Header, body io.Reader, size int64, what string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", what, ErrInvalidReference, err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", userAgent)
	if body != nil && size >= 0 {
		req.ContentLength = size
		if size == 0 {
			req.Body, req.GetBody = http.NoBody, func() (io.ReadCloser, error) { return http.NoBody, nil }
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.requestError(ctx, err, what)
	}
	if rl, ok := parseRateLimit(resp.Header); ok {
		c.rate.Store(&rl)
	}
	return resp, nil
}

// writeError turns a write's non-success answer into a *StatusError whose
// sentinel says what the refusal means for a write: 405 is ErrNotAllowed
// (delete switched off, or not offered at all); a manifest refused for
// its type (415, or 400 MANIFEST_INVALID or UNSUPPORTED) is
// ErrManifestRefused; the rest as for reads (401 and 403 a missing
// permission, 404, 429, 5xx).
func writeError(resp *http.Response, what string, manifestPut bool) error {
	err := statusError(resp, what)
	var se *StatusError
	if !errors.As(err, &se) {
		return err
	}
	switch {
	case se.Status == http.StatusMethodNotAllowed:
		se.sentinel = ErrNotAllowed
	case manifestPut && (se.Status == http.StatusUnsupportedMediaType ||
		se.Status == http.StatusBadRequest && (se.Code == "MANIFEST_INVALID" || se.Code == "UNSUPPORTED")):
		se.sentinel = ErrManifestRefused
	}
	return se
}

// success reports whether a write's status is one of want.
func success(status int, want ...int) bool {
	for _, w := range want {
		if status == w {
			return true
		}
	}
	return false
}

// PutManifest pushes raw as the manifest ref names (a tag, or a digest:
// then raw must hash to it), of mediaType, and checks that it landed: the
// answer must be 201 with a Docker-Content-Digest, when there is one, of
// raw's digest, and a HEAD of ref must then give that digest. A push by
// digest is idempotent and retried like a read; a push by tag moves the
// tag and goes once.
func (c *Client) PutManifest(ctx context.Context, ref Reference, raw []byte, mediaType string) (v1.Descriptor, error) {
	digest := sha256Digest(raw)
	what := fmt.Sprintf("pushing %s to %s", mediaTypeWords(mediaType), ref)
	if ref.Digest != "" && ref.Digest != digest {
		return v1.Descriptor{}, fmt.Errorf("%s: %w: the manifest hashes to %s", what, ErrDigestMismatch, digest)
	}
	if ref.Identifier() == "" {
		return v1.Descriptor{}, fmt.Errorf("%s: %w: no tag or digest", what, ErrInvalidReference)
	}
	if len(raw) > maxManifestBytes {
		return v1.Descriptor{}, fmt.Errorf("%s: %w: %d bytes", what, ErrTooLarge, len(raw))
	}
	ctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	if ref.Digest != "" {
		ctx = idempotentWrite(ctx)
	}
	header := http.Header{"Content-Type": {mediaType}}
	u := c.url("/v2/"+ref.Repository+"/manifests/"+ref.Identifier(), nil)
	resp, err := c.request(ctx, http.MethodPut, u, header, bytes.NewReader(raw), int64(len(raw)), what)
	if err != nil {
		return v1.Descriptor{}, err
	}
	if !success(resp.StatusCode, http.StatusCreated, http.StatusOK, http.StatusAccepted) {
		defer resp.Body.Close()
		return v1.Descriptor{}, writeError(resp, what, true)
	}
	drain(resp)
	if said := resp.Header.Get("Docker-Content-Digest"); said != "" && said != digest {
		return v1.Descriptor{}, fmt.Errorf("%s: %w: the registry says it stored %s; the manifest sent hashes to %s",
			what, ErrDigestMismatch, clampWords(said), digest)
	}
	desc, err := c.Head(ctx, ref)
	switch {
	case errors.Is(err, ErrNotFound):
		return v1.Descriptor{}, fmt.Errorf("%s: %w: it answered HTTP %d, then did not have it", what, ErrNotStored, resp.StatusCode)
	case err != nil:
		return v1.Descriptor{}, fmt.Errorf("%s: reading it back: %w", what, err)
	case desc.Digest.String() != digest:
		return v1.Descriptor{}, fmt.Errorf("%s: %w: read back, %s points at %s, not %s", what, ErrDigestMismatch, ref, desc.Digest, digest)
	}
	return v1.Descriptor{MediaType: desc.MediaType, Digest: desc.Digest, Size: int64(len(raw))}, nil
}

// DeleteManifest deletes what ref names: a tag (the OCI tag DELETE; many
// registries refuse it, distribution 2.8 with HTTP 400 DIGEST_INVALID) or
// a manifest by digest (which on distribution takes every tag on it). The
// answer must be 202 (200 and 204 pass too); the caller reads back what
// the delete should have left. It goes once.
func (c *Client) DeleteManifest(ctx context.Context, ref Reference) error {
	what := "deleting " + ref.String()
	if ref.Identifier() == "" {
		return fmt.Errorf("%s: %w: no tag or digest", what, ErrInvalidReference)
	}
	ctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	u := c.url("/v2/"+ref.Repository+"/manifests/"+ref.Identifier(), nil)
	resp, err := c.request(ctx, http.MethodDelete, u, nil, nil, 0, what)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if !success(resp.StatusCode, http.StatusAccepted, http.StatusOK, http.StatusNoContent) {
		return writeError(resp, what, false)
	}
	drain(resp)
	return nil
}

// SendJSON sends a web API write (Docker Hub's, Harbor's, GitLab's,
// GitHub's): method to u with body as JSON (nil for none) and the extra
// headers given; a 2xx answer is decoded into out (nil: ignored). It goes
// once, within writeTimeout.
func (c *Client) SendJSON(ctx context.Context, method string, u *url.URL, header http.Header, body, out any, what string) error {
	ctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	h := http.Header{"Accept": {"application/json"}}
	for k, v := range header {
		h[k] = v
	}
	var r io.Reader
	size := int64(0)
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		r, size = bytes.NewReader(b), int64(len(b))
		h.Set("Content-Type", "application/json")
	}
	resp, err := c.request(ctx, method, u, h, r, size, what)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return writeError(resp, what, false)
	}
	if out == nil {
		drain(resp)
		return nil
	}
	b, err := readBody(resp.Body, maxPageBytes, what)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s: %w: %s", what, ErrMalformed, jsonProblem(err))
	}
	return nil
}

// mediaTypeWords names a manifest's media type for a sentence.
func mediaTypeWords(mt string) string {
	switch {
	case mt == "":
		return "a manifest"
	case mediaTypeKind(mt) == "index":
		return "an index (" + mt + ")"
	case mediaTypeKind(mt) == "image":
		return "a manifest (" + mt + ")"
	}
	return "a manifest (" + strings.TrimSpace(clampWords(mt)) + ")"
}
