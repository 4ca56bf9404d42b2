package registry

import (
	"context"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Defaults of a blob push: blobs up to monolithicMax go in one PUT; larger
// ones in PATCH chunks of defaultChunk (registries behind proxies refuse
// bodies of gigabytes), each streamed.
const (
	monolithicMax = 512 << 20
	defaultChunk  = 128 << 20
)

// HeadBlob asks whether repo has digest's blob, and its size (-1 when
// the registry does not say).
func (c *Client) HeadBlob(ctx context.Context, repo Reference, digest string) (size int64, ok bool, err error) {
	what := "blob " + repo.Repository + "@" + digest
	resp, err := c.do(ctx, http.MethodHead, c.url("/v2/"+repo.Repository+"/blobs/"+digest, nil), nil, what)
	if err != nil {
		return 0, false, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return max(resp.ContentLength, -1), true, nil
	case http.StatusNotFound:
		return 0, false, nil
	}
	return 0, false, statusError(resp, what)
}

// BlobPush is how a blob reached the target.
type BlobPush struct {
	// Mounted: the registry linked it from another repository; no byte
	// was sent.
	Mounted bool
	// Sent is the bytes sent.
	Sent int64
}

// PushOptions say how PushBlob goes about it.
type PushOptions struct {
	// MountFrom is a repository of the same registry that holds the blob:
	// it is mounted from there (POST ?mount=&from=) when the registry
	// does, else uploaded.
	MountFrom string
	// ChunkSize: blobs larger go in PATCH chunks of this size (default:
	// monolithicMax, in chunks of defaultChunk).
	ChunkSize int64
}

// PushBlob puts digest's blob of size bytes into repo: mounted from
// MountFrom when the registry mounts it, else streamed from open (called
// only then, and its stream closed) in one PUT or in PATCH chunks, its
// digest and size checked as it goes: the last part of a blob that does
// not hash to digest is never sent. The answer must be 201 with a
// Docker-Content-Digest, when there is one, of digest, and a HEAD must
// then find the blob, of its size. Nothing of it is sent twice: the POST
// that starts an upload is not retried, and a stream cannot be.
func (c *Client) PushBlob(ctx context.Context, repo Reference, digest string, size int64, open func() (io.ReadCloser, error), o PushOptions) (BlobPush, error) {
	what := "pushing blob " + digest + " to " + repo.Registry.String() + "/" + repo.Repository
	h := digestHash(digest)
	if h == nil {
		return BlobPush{}, fmt.Errorf("%s: %w: not a sha256 or sha512 digest", what, ErrInvalidReference)
	}
	if size < 0 {
		return BlobPush{}, fmt.Errorf("%s: %w: the size is not known", what, ErrInvalidReference)
	}
	var push BlobPush
	loc, mounted, err := c.startUpload(ctx, repo, digest, o.MountFrom, what)
	if err != nil {
		return push, err
	}
	if !mounted {
		body, err := open()
		if err != nil {
			return push, err
		}
		v := &verifyingReader{r: body, h: h, want: digest, size: size}
		if size == 0 {
			// No body goes out: the empty blob is checked here.
			if _, err = v.Read(make([]byte, 1)); err != nil && !errors.Is(err, io.EOF) {
				body.Close()
				return push, fmt.Errorf("%s: %w", what, err)
			}
		}
		err = c.upload(ctx, loc, v, o.ChunkSize, what)
		body.Close()
		push.Sent = v.read
		if err != nil {
			return push, err
		}
	}
	push.Mounted = mounted
	got, ok, err := c.HeadBlob(ctx, repo, digest)
	switch {
	case err != nil:
		return push, fmt.Errorf("%s: reading it back: %w", what, err)
	case !ok:
		return push, fmt.Errorf("%s: %w: it answered 201 Created, then did not have the blob", what, ErrNotStored)
	case got >= 0 && got != size:
		return push, fmt.Errorf("%s: %w: read back, it holds %d bytes, not %d", what, ErrNotStored, got, size)
	}
	return push, nil
}

// startUpload starts an upload session (POST), or mounts the blob from
// another repository: mounted true, or the session the registry opened
// instead (a 202 to a mount: it does not mount, or not this blob).
func (c *Client) startUpload(ctx context.Context, repo Reference, digest, from, what string) (*url.URL, bool, error) {
	q := url.Values{}
	if from != "" && from != repo.Repository {
		q.Set("mount", digest)
		q.Set("from", from)
	}
	u := c.url("/v2/"+repo.Repository+"/blobs/uploads/", q)
	ctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	resp, err := c.request(ctx, http.MethodPost, u, nil, nil, 0, what)
	if err != nil {
		return nil, false, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusCreated:
		if len(q) == 0 {
			return nil, false, fmt.Errorf("%s: %w: it answered 201 to the start of an upload", what, ErrMalformed)
		}
		if said := resp.Header.Get("Docker-Content-Digest"); said != "" && said != digest {
			return nil, false, fmt.Errorf("%s: %w: the registry says it mounted %s", what, ErrDigestMismatch, clampWords(said))
		}
		drain(resp)
		return nil, true, nil
	case http.StatusAccepted:
		loc, err := uploadLocation(u, resp)
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", what, err)
		}
		drain(resp)
		return loc, false, nil
	}
	return nil, false, writeError(resp, what, false)
}

// uploadLocation resolves an upload's Location against the request it
// answered. It may name another host (a registry's upload service): the
// engine's transport sends no login there. It may not turn https into
// http, which would send the image in the clear.
func uploadLocation(base *url.URL, resp *http.Response) (*url.URL, error) {
	raw := resp.Header.Get("Location")
	if raw == "" {
		return nil, fmt.Errorf("%w: the registry gave no Location for the upload", ErrMalformed)
	}
	ref, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: the upload's Location %q", ErrMalformed, clampWords(raw))
	}
	loc := base.ResolveReference(ref)
	if loc.Scheme != "https" && loc.Scheme != "http" || base.Scheme == "https" && loc.Scheme != "https" {
		return nil, fmt.Errorf("%w: the upload's Location is %s://, not %s://", ErrMalformed, clampWords(loc.Scheme), base.Scheme)
	}
	return loc, nil
}

// upload sends v's blob to an upload session at loc: in one PUT, or in
// PATCH chunks past the chunk size, then the closing PUT.
func (c *Client) upload(ctx context.Context, loc *url.URL, v *verifyingReader, chunk int64, what string) error {
	threshold := int64(monolithicMax)
	if chunk > 0 {
		threshold = chunk
	} else {
		chunk = defaultChunk
	}
	if v.size <= threshold {
		return c.finish(ctx, loc, v, v.size, v.want, what)
	}
	var sent int64
	for sent < v.size {
		n := min(chunk, v.size-sent)
		next, err := c.patch(ctx, loc, io.LimitReader(v, n), sent, n, what)
		if err != nil {
			return fmt.Errorf("%w (after %d of %d bytes)", err, sent, v.size)
		}
		loc, sent = next, sent+n
	}
	return c.finish(ctx, loc, nil, 0, v.want, what)
}

// patch sends one chunk, bytes [start, start+n), and returns where the
// next goes.
func (c *Client) patch(ctx context.Context, loc *url.URL, chunk io.Reader, start, n int64, what string) (*url.URL, error) {
	header := http.Header{
		"Content-Type":  {"application/octet-stream"},
		"Content-Range": {fmt.Sprintf("%d-%d", start, start+n-1)},
	}
	resp, err := c.request(ctx, http.MethodPatch, loc, header, chunk, n, what)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted && resp.StatusCode != http.StatusNoContent {
		return nil, writeError(resp, what, false)
	}
	if r := resp.Header.Get("Range"); r != "" {
		if end, ok := rangeEnd(r); !ok || end != start+n-1 {
			return nil, fmt.Errorf("%s: %w: it holds bytes %q after a chunk ending at %d", what, ErrNotStored, clampWords(r), start+n-1)
		}
	}
	next := loc
	if resp.Header.Get("Location") != "" {
		if next, err = uploadLocation(loc, resp); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
	}
	drain(resp)
	return next, nil
}

// rangeEnd reads an upload's Range, "0-1023" (or "bytes=0-1023").
func rangeEnd(v string) (int64, bool) {
	v = strings.TrimPrefix(v, "bytes=")
	_, last, ok := strings.Cut(v, "-")
	n, err := strconv.ParseInt(last, 10, 64)
	return n, ok && err == nil
}

// finish closes an upload with the PUT that names the digest, carrying
// body (nil after chunks).
func (c *Client) finish(ctx context.Context, loc *url.URL, body io.Reader, size int64, digest, what string) error {
	u := *loc
	q := u.Query()
	q.Set("digest", digest)
	u.RawQuery = q.Encode()
	header := http.Header{"Content-Type": {"application/octet-stream"}}
	if body == nil {
		body = http.NoBody
	}
	resp, err := c.request(ctx, http.MethodPut, &u, header, body, size, what)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusOK {
		return writeError(resp, what, false)
	}
	if said := resp.Header.Get("Docker-Content-Digest"); said != "" && said != digest {
		return fmt.Errorf("%s: %w: the registry says it stored %s", what, ErrDigestMismatch, clampWords(said))
	}
	drain(resp)
	return nil
}

// verifyingReader passes a blob on while hashing it, and holds back the
// read that would complete it when the whole does not hash to want: a
// target never receives all of a blob that is not what it claims. It also
// fails a stream that runs longer or shorter than size.
type verifyingReader struct {
	r    io.Reader
	h    hash.Hash
	want string
	size int64
	read int64
}

func (v *verifyingReader) Read(p []byte) (int, error) {
	if left := v.size - v.read; int64(len(p)) > left+1 {
		p = p[:left+1] // one byte more than is due shows a stream too long
	}
	n, err := v.r.Read(p)
	v.h.Write(p[:n])
	switch {
	case v.read+int64(n) > v.size:
		return 0, fmt.Errorf("%w: the blob %s runs past its %d bytes", ErrDigestMismatch, v.want, v.size)
	case v.read+int64(n) == v.size && (n > 0 || v.size == 0):
		if got := v.want[:strings.IndexByte(v.want, ':')+1] + fmt.Sprintf("%x", v.h.Sum(nil)); got != v.want {
			return 0, fmt.Errorf("%w: the blob %s hashes to %s", ErrDigestMismatch, v.want, got)
		}
	case errors.Is(err, io.EOF) && v.read+int64(n) < v.size:
		v.read += int64(n)
		return n, fmt.Errorf("%w: the blob %s ended after %d of its %d bytes", ErrDigestMismatch, v.want, v.read, v.size)
	}
	v.read += int64(n)
	return n, err
}
