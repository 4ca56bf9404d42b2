package registry

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// BlobRange is the part of a blob to read: from Offset, Length bytes (0:
// to the end). The zero BlobRange is the whole blob.
type BlobRange struct{ Offset, Length int64 }

func (r BlobRange) whole() bool { return r.Offset == 0 && r.Length == 0 }

// BlobReader streams a blob from the registry. Memory does not grow with
// the blob: nothing is kept but a running hash. A whole-blob read checks
// the digest when the stream ends: the last Read returns ErrDigestMismatch
// instead of io.EOF when the content does not hash to it.
type BlobReader struct {
	body io.ReadCloser
	what string
	// hash is nil for a range, or a digest algorithm it does not know.
	hash hash.Hash
	want string
	// Size is the length of what this reader gives (the range, or the
	// whole blob); -1 when the registry did not say.
	Size int64
	read int64
	// left bounds a range the registry answered with the whole blob.
	left int64
}

// OpenBlob starts reading digest's blob in repo: all of it, or the range r
// (HTTP Range; a registry or blob store that answers 200 instead is read
// from the start and the bytes before the range are skipped, said in the
// debug log). The read ends with ctx.
func (c *Client) OpenBlob(ctx context.Context, repo Reference, digest string, r BlobRange) (*BlobReader, error) {
	return c.openBlob(ctx, repo, digest, r, "blob "+repo.Repository+"@"+digest)
}

// openBlob is OpenBlob, its errors naming what.
func (c *Client) openBlob(ctx context.Context, repo Reference, digest string, r BlobRange, what string) (*BlobReader, error) {
	if r.Offset < 0 || r.Length < 0 {
		return nil, fmt.Errorf("%s: %w: a negative range", what, ErrInvalidReference)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url("/v2/"+repo.Repository+"/blobs/"+digest, nil).String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", what, ErrInvalidReference, err)
	}
	req.Header.Set("User-Agent", userAgent)
	if !r.whole() {
		end := ""
		if r.Length > 0 {
			end = strconv.FormatInt(r.Offset+r.Length-1, 10)
		}
		req.Header.Set("Range", "bytes="+strconv.FormatInt(r.Offset, 10)+"-"+end)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.requestError(ctx, err, what)
	}
	br := &BlobReader{body: resp.Body, what: what, Size: resp.ContentLength, left: -1}
	switch {
	case resp.StatusCode == http.StatusPartialContent && !r.whole():
		if start, ok := contentRangeStart(resp.Header.Get("Content-Range")); !ok || start != r.Offset {
			resp.Body.Close()
			return nil, fmt.Errorf("%s: %w: asked for bytes from %d, got %q", what, ErrMalformed, r.Offset, resp.Header.Get("Content-Range"))
		}
	case resp.StatusCode == http.StatusOK && !r.whole():
		c.log.Debug("the blob store ignored Range; reading from the start", "what", what, "offset", r.Offset)
		if _, err := io.CopyN(io.Discard, br, r.Offset); err != nil {
			resp.Body.Close()
			return nil, readError(what, br.read, err)
		}
		br.Size, br.left = -1, r.Length
		if r.Length == 0 {
			br.left = -1
		}
		if resp.ContentLength >= 0 {
			br.Size = resp.ContentLength - r.Offset
			if r.Length > 0 {
				br.Size = min(br.Size, r.Length)
			}
		}
	case resp.StatusCode == http.StatusOK:
		br.hash, br.want = digestHash(digest), digest
	default:
		defer resp.Body.Close()
		return nil, statusError(resp, what)
	}
	return br, nil
}

// digestHash is the hash of digest's algorithm, or nil.
func digestHash(digest string) hash.Hash {
	switch {
	case strings.HasPrefix(digest, "sha256:"):
		return sha256.New()
	case strings.HasPrefix(digest, "sha512:"):
		return sha512.New()
	}
	return nil
}

// contentRangeStart reads "bytes 100-199/1000".
func contentRangeStart(v string) (int64, bool) {
	rest, ok := strings.CutPrefix(v, "bytes ")
	if !ok {
		return 0, false
	}
	first, _, ok := strings.Cut(rest, "-")
	n, err := strconv.ParseInt(first, 10, 64)
	return n, ok && err == nil && n >= 0
}

func (b *BlobReader) Read(p []byte) (int, error) {
	if b.left == 0 {
		return 0, io.EOF
	}
	if b.left > 0 && int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.body.Read(p)
	b.read += int64(n)
	if b.left > 0 {
		b.left -= int64(n)
	}
	if b.hash != nil {
		b.hash.Write(p[:n])
	}
	switch {
	case err == io.EOF && b.hash != nil:
		if got := b.want[:strings.IndexByte(b.want, ':')+1] + fmt.Sprintf("%x", b.hash.Sum(nil)); got != b.want {
			return n, fmt.Errorf("%s: %w: content hashes to %s", b.what, ErrDigestMismatch, got)
		}
		return n, io.EOF
	case err == io.EOF:
		return n, io.EOF
	case err != nil:
		return n, readError(b.what, b.read, err)
	}
	return n, nil
}

// Close ends the stream (and its connection, when not read to the end).
func (b *BlobReader) Close() error { return b.body.Close() }
