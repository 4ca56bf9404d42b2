package registry_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/card-catalog/card-catalog/registry"
)

// blobServer serves one blob of n bytes at /v2/x/blobs/<digest>: with Range
// (http.ServeContent), or ignoring it; served counts the bytes sent.
func blobServer(t *testing.T, content []byte, honourRange bool, served *atomic.Int64) (registry.Registry, string) {
	sum := sha256.Sum256(content)
	digest := fmt.Sprintf("sha256:%x", sum)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v2/x/blobs/"+digest {
			http.NotFound(w, r)
			return
		}
		cw := &countingWriter{ResponseWriter: w, n: served}
		if honourRange {
			http.ServeContent(cw, r, "", time.Time{}, bytes.NewReader(content))
			return
		}
		cw.Write(content)
	}))
	t.Cleanup(srv.Close)
	return registry.Registry{Host: strings.TrimPrefix(srv.URL, "http://"), PlainHTTP: true}, digest
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	if w.n != nil {
		w.n.Add(int64(len(p)))
	}
	return w.ResponseWriter.Write(p)
}

func content(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}

func TestOpenBlobStreamsAndVerifies(t *testing.T) {
	want := content(3 << 20)
	reg, digest := blobServer(t, want, true, nil)
	c := registry.New(reg)
	ref := registry.Reference{Registry: reg, Repository: "x"}
	r, err := c.OpenBlob(context.Background(), ref, digest, registry.BlobRange{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	r.Close()
	if err != nil || !bytes.Equal(got, want) || r.Size != int64(len(want)) {
		t.Fatalf("%d bytes (size %d), %v", len(got), r.Size, err)
	}
	// A digest the registry does not have.
	wrong := "sha256:" + strings.Repeat("ab", 32)
	r, err = c.OpenBlob(context.Background(), ref, wrong, registry.BlobRange{})
	if err == nil {
		_, err = io.ReadAll(r)
		r.Close()
	}
	if !errors.Is(err, registry.ErrNotFound) {
		t.Fatalf("unknown digest: %v", err)
	}
}

func TestOpenBlobMismatchIsTheLastRead(t *testing.T) {
	blob := content(100 << 10)
	sum := sha256.Sum256([]byte("something else"))
	lying := fmt.Sprintf("sha256:%x", sum)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(blob) }))
	t.Cleanup(srv.Close)
	reg := registry.Registry{Host: strings.TrimPrefix(srv.URL, "http://"), PlainHTTP: true}
	r, err := registry.New(reg).OpenBlob(context.Background(), registry.Reference{Registry: reg, Repository: "x"}, lying, registry.BlobRange{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n, err := io.Copy(io.Discard, r)
	if !errors.Is(err, registry.ErrDigestMismatch) || n != int64(len(blob)) {
		t.Fatalf("%d bytes, %v", n, err)
	}
}

func TestOpenBlobRange(t *testing.T) {
	want := content(1 << 20)
	for _, honour := range []bool{true, false} {
		var served atomic.Int64
		reg, digest := blobServer(t, want, honour, &served)
		c := registry.New(reg)
		r, err := c.OpenBlob(context.Background(), registry.Reference{Registry: reg, Repository: "x"}, digest, registry.BlobRange{Offset: 500_000, Length: 1000})
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		r.Close()
		if err != nil || !bytes.Equal(got, want[500_000:501_000]) || (honour && r.Size != 1000) {
			t.Fatalf("range (honoured %v): %d bytes, size %d, %v", honour, len(got), r.Size, err)
		}
		if honour && served.Load() > 2000 {
			t.Errorf("a range of 1000 bytes sent %d", served.Load())
		}
	}
}

func TestOpenBlobStopsWithItsContext(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for {
			if _, err := w.Write(make([]byte, 32<<10)); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(time.Millisecond):
			}
		}
	}))
	t.Cleanup(srv.Close)
	reg := registry.Registry{Host: strings.TrimPrefix(srv.URL, "http://"), PlainHTTP: true}
	ctx, cancel := context.WithCancel(context.Background())
	r, err := registry.New(reg).OpenBlob(ctx, registry.Reference{Registry: reg, Repository: "x"}, "sha256:"+strings.Repeat("0", 64), registry.BlobRange{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	io.CopyN(io.Discard, r, 1<<20)
	cancel()
	if _, err := io.Copy(io.Discard, r); !errors.Is(err, context.Canceled) {
		t.Fatalf("after cancel: %v", err)
	}
}
