package registrytest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
)

// Hostile says how a test registry misbehaves on purpose, one class of
// hostile input each. The zero value behaves.
type Hostile struct {
	// ControlNames lists, beside valid names, names and tags that carry
	// terminal controls: an escape that clears the screen, one that sets
	// the window title, a newline that forges a line, a bidi override.
	ControlNames bool
	// ErrorText is the message of every error body (404s and 401s), as a
	// registry's JSON errors array.
	ErrorText string
	// Stall makes the answers to this kind of request ("catalog", "tags",
	// "manifests", "blobs", "ping") send their headers and a few bytes,
	// then nothing, until the client gives up.
	Stall string
	// Trickle sends those answers a byte at a time, TrickleEvery apart
	// (default 50 ms).
	Trickle      string
	TrickleEvery time.Duration
	// EndlessPages: catalog and tag pages never end; every page links to
	// one more, with new names: PageNames of them (default 100), each
	// padded to NameBytes (at most 255; default as short as they come).
	EndlessPages bool
	PageNames    int
	NameBytes    int
	// StallAtPage stalls page N of the endless pages (the first is 0), as
	// Stall does; BeforePage is called before each is served: a test looks
	// at the client while its walk waits.
	StallAtPage int
	BeforePage  func(page int)
	// SwapContentType serves an image under an index's Content-Type and an
	// index under an image's, with no mediaType in the body.
	SwapContentType bool
	// ImageAsEmptyIndex answers every manifest with an image's body that
	// also claims, in its own mediaType, to be an index.
	ImageAsEmptyIndex bool
	// BadSchema1 serves a schema 1 manifest whose fsLayers is a string.
	BadSchema1 bool
	// NegativeSizes gives every layer a size of -1 and the config one of
	// 2^62, in a manifest that still hashes right.
	NegativeSizes bool
}

// ControlNames are the hostile names ControlNames adds; the tests check
// that none reaches a terminal as it is.
var ControlNames = []string{
	"evil/clear\x1b[2J\x1b[H",
	"evil/title\x1b]0;pwned\x07",
	"evil/forged\ncard-catalog: all clear",
	"evil/bidi\u202egnp.exe",
	"evil/c1\u009b31m",
}

// hostile serves what the Hostile settings ask for; true means it answered.
func (s *Server) hostile(w http.ResponseWriter, r *http.Request, repo, kind string) bool {
	h := s.Hostile
	if h.Stall == kind {
		s.stall(w, r)
		return true
	}
	if h.Trickle == kind {
		rec := httptest.NewRecorder()
		s.serveContent(rec, r, repo, kind)
		every := h.TrickleEvery
		if every == 0 {
			every = 50 * time.Millisecond
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		for _, b := range rec.Body.Bytes() {
			select {
			case <-r.Context().Done():
				return true
			case <-time.After(every):
			}
			w.Write([]byte{b})
			w.(http.Flusher).Flush()
		}
		return true
	}
	if h.EndlessPages && (kind == "catalog" || kind == "tags") {
		s.endlessPage(w, r, kind)
		return true
	}
	if kind == "manifests" && (h.SwapContentType || h.ImageAsEmptyIndex || h.BadSchema1 || h.NegativeSizes) {
		s.hostileManifest(w, r)
		return true
	}
	return false
}

// stall sends an answer's headers and a few bytes, then nothing, until the
// client gives up.
func (s *Server) stall(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", "100000")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(`{"`))
	w.(http.Flusher).Flush()
	waitForClient(r, s.closing)
}

// endlessPage serves page ?page=N of a list that never ends.
func (s *Server) endlessPage(w http.ResponseWriter, r *http.Request, kind string) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if s.Hostile.BeforePage != nil {
		s.Hostile.BeforePage(page)
	}
	if page > 0 && page == s.Hostile.StallAtPage {
		s.stall(w, r)
		return
	}
	field := "repositories"
	if kind == "tags" {
		field = "tags"
	}
	w.Header().Set("Link", fmt.Sprintf(`<%s?page=%d>; rel="next"`, r.URL.Path, page+1))
	writeJSON(w, http.StatusOK, map[string]any{field: s.Hostile.EndlessPage(kind, page)})
}

// EndlessPage is the names EndlessPages serves on page N of a list of kind
// ("catalog" or "tags").
func (h Hostile) EndlessPage(kind string, page int) []string {
	longest := 255
	if kind == "tags" {
		longest = 128
	}
	names := make([]string, cmp.Or(h.PageNames, 100))
	for i := range names {
		names[i] = fmt.Sprintf("page%07d/name%06d", page, i)
		if kind == "tags" {
			names[i] = fmt.Sprintf("p%07d-%06d", page, i)
		}
		if pad := min(h.NameBytes, longest) - len(names[i]); pad > 0 {
			names[i] += strings.Repeat("x", pad)
		}
	}
	return names
}

// hostileManifest serves the demo's manifest, changed as configured.
func (s *Server) hostileManifest(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	s.content.ServeHTTP(rec, r)
	if rec.Code != http.StatusOK {
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
		return
	}
	body := rec.Body.Bytes()
	contentType := rec.Header().Get("Content-Type")
	h := s.Hostile
	var doc map[string]any
	json.Unmarshal(body, &doc)
	isIndex := doc["manifests"] != nil
	switch {
	case h.SwapContentType:
		// The body names no media type (OCI allows that), so only the
		// header speaks, and it lies.
		contentType = "application/vnd.oci.image.index.v1+json"
		if isIndex {
			contentType = "application/vnd.oci.image.manifest.v1+json"
		}
		delete(doc, "mediaType")
		body, _ = json.Marshal(doc)
	case h.ImageAsEmptyIndex:
		if isIndex {
			// An index whose manifests vanished, left as an image's layers.
			doc["layers"] = doc["manifests"]
			delete(doc, "manifests")
		}
		doc["mediaType"] = "application/vnd.oci.image.index.v1+json"
		contentType = "application/vnd.oci.image.index.v1+json"
		body, _ = json.Marshal(doc)
	case h.BadSchema1:
		body = []byte(`{"schemaVersion":1,"name":"x","tag":"y","architecture":"amd64","fsLayers":"sha256:0","history":[]}`)
		contentType = "application/vnd.docker.distribution.manifest.v1+json"
	case h.NegativeSizes:
		if layers, ok := doc["layers"].([]any); ok {
			for _, l := range layers {
				l.(map[string]any)["size"] = -1
			}
		}
		body, _ = json.Marshal(doc)
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// waitForClient holds a request open until the client gives up or the
// server closes.
func waitForClient(r *http.Request, closing <-chan struct{}) {
	select {
	case <-r.Context().Done():
	case <-closing:
	}
}

// withControlNames adds the hostile names to a list of valid ones.
func withControlNames(names []string, kind string) []string {
	out := append([]string(nil), names...)
	for _, n := range ControlNames {
		if kind == "tags" {
			n = strings.TrimPrefix(n, "evil/")
		}
		out = append(out, n)
	}
	return out
}

// Pauses holds a walk of endless pages before each of the pages given
// (set Hostile.BeforePage to its Before) until the test lets it go on:
// the test looks at the client in between.
type Pauses struct {
	at      []int
	reached chan int
	release chan struct{}
	done    sync.Once
}

func NewPauses(pages ...int) *Pauses {
	return &Pauses{at: pages, reached: make(chan int), release: make(chan struct{})}
}

// Before holds page, when it is one of the pauses, until Release.
func (p *Pauses) Before(page int) {
	if slices.Contains(p.at, page) {
		select {
		case p.reached <- page:
			<-p.release
		case <-p.release: // released for good
		}
	}
}

// Wait waits for the walk to ask for the next page held, and says which.
func (p *Pauses) Wait(t testing.TB) int {
	t.Helper()
	select {
	case page := <-p.reached:
		return page
	case <-time.After(10 * time.Second):
		t.Fatal("no page held within 10 s")
		return 0
	}
}

// Release lets the walk held go on.
func (p *Pauses) Release() { p.release <- struct{}{} }

// ReleaseAll lets this and every later pause go.
func (p *Pauses) ReleaseAll() { p.done.Do(func() { close(p.release) }) }

// ControlFree fails the test when what (stdout, a label) shows anything a
// terminal or a text layout acts on: a control (newlines aside: lines are
// how text comes) or a bidi control. It is written apart from package
// printable, which it checks.
func ControlFree(t testing.TB, what, s string) {
	t.Helper()
	for _, r := range s {
		if r == '\n' {
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			t.Errorf("%s holds the control %U: %q", what, r, s)
			return
		}
	}
}
