package registrytest

import (
	"encoding/base64"
	"io"
	"log"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"

	ggcr "github.com/google/go-containerregistry/pkg/registry"

	"github.com/card-catalog/card-catalog/registry/demo"
)

// Writes says how a test registry answers pushes and deletes; the zero
// value stores what it is sent and deletes what it is asked to, as
// go-containerregistry's registry does (a DELETE by tag removes that tag
// only).
type Writes struct {
	// DeleteStatus answers every manifest DELETE with this status and
	// UNSUPPORTED "The operation is unsupported." (405: GHCR, Docker
	// Hub's registry, distribution without delete enabled).
	DeleteStatus int
	// NoTagDelete answers a DELETE by tag 400 DIGEST_INVALID, as
	// distribution 2.8 does; a DELETE by digest then also removes every
	// tag on the digest, as distribution does.
	NoTagDelete bool
	// DeleteTakesAll: a DELETE by tag removes the manifest and every tag
	// on it (a registry whose tag delete is a manifest delete).
	DeleteTakesAll bool
	// RefuseManifestTypes answers pushes of manifests of these media
	// types 400 MANIFEST_INVALID "manifest invalid", as zot answers a
	// type it does not take.
	RefuseManifestTypes []string
	// WrongDigest answers manifest and blob pushes with a
	// Docker-Content-Digest of other content (the push is kept).
	WrongDigest bool
	// SwallowBlobs answers the PUT that closes a blob upload 201 Created
	// with the right digest, and keeps nothing.
	SwallowBlobs bool
	// StallUploads reads the first bytes of an upload's body, then
	// nothing, until the client gives up.
	StallUploads bool
	// FailBlobsAfter answers 500 to the upload of every blob after this
	// many were stored (0: none fails).
	FailBlobsAfter int
}

// contentHandler is the registry's content: the demo's, or an empty
// registry.
func contentHandler(blank bool) (http.Handler, error) {
	if !blank {
		return demo.Handler()
	}
	return ggcr.New(ggcr.Logger(log.New(io.Discard, "", 0)), ggcr.WithReferrersSupport(true)), nil
}

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// actionOf is the token action a request needs, as distribution names it.
func actionOf(method string) string {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		return "pull,push"
	case http.MethodDelete:
		return "delete"
	}
	return "pull"
}

// mountFrom is the repository a mount request mounts from, or "".
func mountFrom(r *http.Request, repo, kind string) string {
	if kind != "blobs" || r.Method != http.MethodPost {
		return ""
	}
	if from := r.URL.Query().Get("from"); from != repo {
		return from
	}
	return ""
}

// countLogin counts a request by the user whose login it carried: the
// Basic user, or the user a bearer token was issued to.
func (s *Server) countLogin(r *http.Request) {
	user := loginUser(r.Header.Get("Authorization"))
	if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		_, _, user = s.Tokens.check(token, "")
		if user == "" {
			user = "(a token of no user)"
		}
	}
	if user == "" {
		return
	}
	s.mu.Lock()
	s.logins[user]++
	s.mu.Unlock()
}

// loginUser is the user of a Basic Authorization header.
func loginUser(header string) string {
	b64, ok := strings.CutPrefix(header, "Basic ")
	if !ok {
		return ""
	}
	raw, _ := base64.StdEncoding.DecodeString(b64)
	user, _, _ := strings.Cut(string(raw), ":")
	return user
}

// Logins counts the requests that carried a login, by its user.
func (s *Server) Logins() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.logins)
}

// BlobBytesIn counts the bytes of blob uploads the registry received.
func (s *Server) BlobBytesIn() int64 { return s.blobBytesIn.Load() }

// BlobsStored counts the blob uploads it completed.
func (s *Server) BlobsStored() int64 { return s.blobsStored.Load() }

// WriteRequests counts the requests that would change it: POST, PUT,
// PATCH and DELETE.
func (s *Server) WriteRequests() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return writesOf(s.byKind)
}

// writesOf adds up the writes of counts by "METHOD kind".
func writesOf(byKind map[string]int64) int64 {
	var n int64
	for k, v := range byKind {
		if method, _, _ := strings.Cut(k, " "); isWrite(method) {
			n += v
		}
	}
	return n
}

// write answers the pushes and deletes Writes changes; true means it
// answered.
func (s *Server) write(w http.ResponseWriter, r *http.Request, repo, kind string) bool {
	wr := s.Writes
	switch {
	case kind == "manifests" && r.Method == http.MethodDelete:
		return s.deleteManifest(w, r, repo)
	case kind == "manifests" && r.Method == http.MethodPut:
		if slices.Contains(wr.RefuseManifestTypes, r.Header.Get("Content-Type")) {
			writeJSON(w, http.StatusBadRequest, errorsBody("MANIFEST_INVALID", "manifest invalid"))
			return true
		}
		if wr.WrongDigest {
			s.withWrongDigest(w, r)
			return true
		}
	case kind == "blobs" && (r.Method == http.MethodPatch || r.Method == http.MethodPut):
		closing := r.Method == http.MethodPut
		switch {
		case wr.StallUploads:
			io.CopyN(io.Discard, r.Body, 1024)
			waitForClient(r, s.closing)
			return true
		case closing && wr.FailBlobsAfter > 0 && s.blobsStored.Load() >= int64(wr.FailBlobsAfter):
			io.Copy(io.Discard, r.Body)
			writeJSON(w, http.StatusInternalServerError, errorsBody("UNKNOWN", "unknown error"))
			return true
		case closing && wr.SwallowBlobs:
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Docker-Content-Digest", r.URL.Query().Get("digest"))
			w.WriteHeader(http.StatusCreated)
			return true
		case closing && wr.WrongDigest:
			s.withWrongDigest(w, r)
			return true
		case closing:
			sw := &statusWriter{ResponseWriter: w}
			s.content.ServeHTTP(sw, r)
			if sw.status == http.StatusCreated {
				s.blobsStored.Add(1)
			}
			return true
		}
	}
	return false
}

// withWrongDigest serves a push, then says it stored other content.
func (s *Server) withWrongDigest(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	s.content.ServeHTTP(rec, r)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	if rec.Code < 300 {
		w.Header().Set("Docker-Content-Digest", "sha256:"+strings.Repeat("5", 64))
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// deleteManifest answers a manifest DELETE as Writes says.
func (s *Server) deleteManifest(w http.ResponseWriter, r *http.Request, repo string) bool {
	wr := s.Writes
	ref := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	byDigest := strings.HasPrefix(ref, "sha256:")
	switch {
	case wr.DeleteStatus != 0:
		writeJSON(w, wr.DeleteStatus, errorsBody("UNSUPPORTED", "The operation is unsupported."))
	case wr.NoTagDelete && !byDigest:
		writeJSON(w, http.StatusBadRequest, errorsBody("DIGEST_INVALID", "provided digest did not match uploaded content"))
	case wr.NoTagDelete || wr.DeleteTakesAll:
		digest := ref
		if !byDigest {
			digest = s.digestOf(repo, ref)
		}
		if digest == "" {
			writeJSON(w, http.StatusNotFound, errorsBody("MANIFEST_UNKNOWN", "manifest unknown"))
			return true
		}
		s.DeleteEverywhere(repo, digest)
		w.WriteHeader(http.StatusAccepted)
	default:
		return false
	}
	return true
}

// digestOf is the digest repo:tag points at, or "".
func (s *Server) digestOf(repo, tag string) string {
	rec := httptest.NewRecorder()
	s.content.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, "/v2/"+repo+"/manifests/"+tag, nil))
	if rec.Code != http.StatusOK {
		return ""
	}
	return rec.Header().Get("Docker-Content-Digest")
}

// TagsOf lists repo's tags as the content holds them.
func (s *Server) TagsOf(repo string) []string {
	return s.demoList(httpGet("/v2/"+repo+"/tags/list"), "tags")
}

// DeleteEverywhere removes digest's manifest from repo with every tag on
// it, as distribution deletes a manifest.
func (s *Server) DeleteEverywhere(repo, digest string) {
	for _, tag := range s.TagsOf(repo) {
		if s.digestOf(repo, tag) == digest {
			s.content.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodDelete, "/v2/"+repo+"/manifests/"+tag, nil))
		}
	}
	s.content.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodDelete, "/v2/"+repo+"/manifests/"+digest, nil))
}

// DeleteTag removes one tag from the content, as a registry's own API
// does.
func (s *Server) DeleteTag(repo, tag string) bool {
	rec := httptest.NewRecorder()
	s.content.ServeHTTP(rec, httptest.NewRequest(http.MethodDelete, "/v2/"+repo+"/manifests/"+tag, nil))
	return rec.Code == http.StatusAccepted
}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
