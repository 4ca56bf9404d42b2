package registry_test

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/registry"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// The engine against registries that misbehave on purpose; the headless
// commands' side of the same classes is in the repository's hostile_test.go.

func TestAbsurdExpiresInKeepsTheTokenCache(t *testing.T) {
	for _, expiresIn := range []int{math.MaxInt64, 1 << 62, 1 << 40, -5} {
		s := start(t, rt.Config{Default: rt.Bearer, ExpiresIn: expiresIn})
		c := registry.New(s.Registry)
		for range 3 {
			if _, err := tags(t, c, repo(s, "library/python")); err != nil {
				t.Fatal(err)
			}
		}
		if n := s.Tokens.TotalExchanges(); n != 1 {
			t.Errorf("expires_in %d: %d token exchanges for 3 requests, want 1", expiresIn, n)
		}
	}
	if life := registry.Lifetime(math.MaxInt64); life <= 0 || life > 24*time.Hour {
		t.Errorf("lifetime of the largest expires_in: %s", life)
	}
}

func TestTotalSizeDoesNotOverflow(t *testing.T) {
	ds := []v1.Descriptor{{Size: math.MaxInt64 - 1}, {Size: 10}, {Size: -4}}
	if got := registry.TotalSize(ds); got != math.MaxInt64 {
		t.Errorf("TotalSize = %d", got)
	}
}

// stallingServer sends headers and a little of a body, then, after
// pause, the rest in one go.
func stallingServer(t *testing.T, pause time.Duration) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `{"name":"x","tags":[`)
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
			return
		case <-time.After(pause):
		}
		io.WriteString(w, `"latest"]}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestStallDeadlineCountsOnlyWaiting(t *testing.T) {
	srv := stallingServer(t, 50*time.Millisecond)
	reg := registry.Registry{Host: strings.TrimPrefix(srv.URL, "http://"), PlainHTTP: true}
	// The window is twenty times the pause: beside two CPU hogs a 200 ms
	// window was once spent on a 50 ms pause and the goroutines' turns.
	c := registry.New(reg, registry.WithStallTimeout(time.Second))
	ref := registry.Reference{Registry: reg, Repository: "x"}
	// A reader slower than the window is not a stalled registry.
	err := c.Tags(context.Background(), ref, func([]string) error { time.Sleep(1500 * time.Millisecond); return nil })
	if err != nil {
		t.Fatalf("a slow reader failed the walk: %v", err)
	}

	stalled := stallingServer(t, time.Hour)
	reg.Host = strings.TrimPrefix(stalled.URL, "http://")
	c = registry.New(reg, registry.WithStallTimeout(200*time.Millisecond))
	// The server holds its answer for an hour: only the stall timeout ends
	// the call, with these words.
	_, err = tags(t, c, registry.Reference{Registry: reg, Repository: "x"})
	if !errors.Is(err, registry.ErrStalled) || !strings.Contains(err.Error(), "tags of x: the registry stopped sending: less than 1 KiB in 200ms") {
		t.Fatalf("err %v", err)
	}
}

// streamingServer sends 10 KiB in 1 KiB pieces, every apart.
func streamingServer(t *testing.T, every time.Duration) registry.Registry {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		for range 10 {
			w.Write(make([]byte, 1<<10))
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(every):
			}
		}
	}))
	t.Cleanup(srv.Close)
	return registry.Registry{Host: strings.TrimPrefix(srv.URL, "http://"), PlainHTTP: true}
}

func readThrough(t *testing.T, c *registry.Client, reg registry.Registry, pause time.Duration) (int64, error) {
	req, _ := http.NewRequest(http.MethodGet, "http://"+reg.Host+"/v2/x/blobs/sha256:0", nil)
	resp, err := c.Transport().RoundTrip(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var n int64
	buf := make([]byte, 4<<10)
	for {
		m, err := resp.Body.Read(buf)
		n += int64(m)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		time.Sleep(pause) // a reader busy elsewhere
	}
}

func TestAStreamThatKeepsComingNeverStalls(t *testing.T) {
	reg := streamingServer(t, 30*time.Millisecond)
	c := registry.New(reg, registry.WithStallTimeout(100*time.Millisecond))
	// 10 KiB over 300 ms: longer than the window, but never a window
	// without a KiB.
	if n, err := readThrough(t, c, reg, 0); err != nil || n != 10<<10 {
		t.Fatalf("%d bytes, %v", n, err)
	}
	// A reader that pauses longer than the window between reads.
	if n, err := readThrough(t, c, reg, 120*time.Millisecond); err != nil || n != 10<<10 {
		t.Fatalf("slow reader: %d bytes, %v", n, err)
	}
	// A registry that sends less than a KiB a window stalls.
	slow := streamingServer(t, time.Second)
	c = registry.New(slow, registry.WithStallTimeout(100*time.Millisecond))
	if _, err := readThrough(t, c, slow, 0); !errors.Is(err, registry.ErrStalled) {
		t.Fatalf("trickle: %v", err)
	}
}

func TestHeadersThatNeverComeStall(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	reg := registry.Registry{Host: strings.TrimPrefix(srv.URL, "http://"), PlainHTTP: true}
	c := registry.New(reg, registry.WithStallTimeout(100*time.Millisecond), registry.WithRetry(1, 0))
	err := c.Ping(context.Background())
	if !errors.Is(err, registry.ErrStalled) || !strings.Contains(err.Error(), "no answer within 200ms") {
		t.Fatalf("err %v", err)
	}
}
