package registry

import (
	"net/http"
	"net/url"
	"strings"
)

// Scopes as the token specification names them.
const catalogScope = "registry:catalog:*"

// scopeForPath derives the token scope a read needs from its path:
// /v2/<name>/{tags,manifests,blobs,referrers}/... needs repository:<name>:pull,
// /v2/_catalog needs registry:catalog:*, /v2/ needs none.
func scopeForPath(path string) string {
	repo, ok := repositoryOfPath(path)
	switch {
	case ok:
		return "repository:" + repo + ":pull"
	case path == "/v2/_catalog":
		return catalogScope
	}
	return ""
}

// repositoryOfPath is the repository a /v2/<name>/... path is about.
func repositoryOfPath(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, "/v2/")
	if !ok || rest == "" || rest == "_catalog" {
		return "", false
	}
	for _, kind := range []string{"/tags/", "/manifests/", "/blobs/", "/referrers/"} {
		if i := strings.LastIndex(rest, kind); i > 0 {
			return rest[:i], true
		}
	}
	return "", false
}

// scopeForRequest is the scope a request needs, by its method as well as
// its path: a push (POST, PUT, PATCH) needs repository:<name>:pull,push, a
// DELETE repository:<name>:delete (distribution's and Docker Hub's name
// for it), and a cross-repository mount (POST ...?mount=&from=OTHER) also
// repository:OTHER:pull. Reads need what scopeForPath says.
func scopeForRequest(method string, u *url.URL) string {
	repo, ok := repositoryOfPath(u.Path)
	if !ok {
		return scopeForPath(u.Path)
	}
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		scope := "repository:" + repo + ":pull,push"
		if from := u.Query().Get("from"); from != "" && from != repo && ValidRepositoryName(from) {
			scope += " repository:" + from + ":pull"
		}
		return scope
	case http.MethodDelete:
		return "repository:" + repo + ":delete"
	}
	return "repository:" + repo + ":pull"
}
