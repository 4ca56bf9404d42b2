package registrytest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// This file makes the test registry behave like the hosted kinds, as the
// seeds record them or their documentation describes them:
//
//   - Docker Hub, GHCR and Quay: as seed 001 traces them (below).
//   - Amazon ECR: Basic with user AWS and a password that works for a set
//     time (12 hours there), then is answered 403 "Your authorization
//     token has expired".
//   - Google Artifact Registry and GCR: Bearer through a token service that
//     takes user oauth2accesstoken with an access token (an hour there).
//   - Azure Container Registry: the token service at /oauth2/token on the
//     registry's own host, which takes an identity (refresh) token for user
//     00000000-0000-0000-0000-000000000000, or the admin user's password.
//   - Harbor: the catalog for system administrators only, answered to
//     everyone else, signed in or not, as Harbor's v2 middleware does: 401,
//     a Basic challenge and "unauthorized to list catalog". They list their
//     projects' repositories through /api/v2.0, paged with Link and
//     X-Total-Count, signed in with Basic (robot$project+name accounts).
//   - GitLab: no catalog; /api/v4/projects/ID/registry/repositories, paged
//     with X-Next-Page, for a personal access token in PRIVATE-TOKEN or as
//     a bearer token.

// ECRUser is the user name of every ECR login.
const ECRUser = "AWS"

// ECRExpired is what ECR answers a request whose password has run out.
const ECRExpired = "Your authorization token has expired. Reauthenticate and try again."

// GoogleUser is the user name of a Google access-token login; GoogleKeyUser
// that of a service account's JSON key.
const (
	GoogleUser    = "oauth2accesstoken"
	GoogleKeyUser = "_json_key"
)

// AzureTokenUser is the user name that goes with an identity token.
const AzureTokenUser = "00000000-0000-0000-0000-000000000000"

// IssuedLogins are short-lived passwords: ECR's 12-hour ones, Google's
// hour-long access tokens.
type IssuedLogins struct {
	mu     sync.Mutex
	issued map[string]issuedLogin // by password
}

type issuedLogin struct {
	user    string
	expires time.Time
}

// Issue makes a password for user that works for life.
func (l *IssuedLogins) Issue(user string, life time.Duration) string {
	b := make([]byte, 24)
	rand.Read(b)
	password := hex.EncodeToString(b)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.issued == nil {
		l.issued = map[string]issuedLogin{}
	}
	l.issued[password] = issuedLogin{user: user, expires: time.Now().Add(life)}
	return password
}

// Expire makes an issued password run out now: a test says when rather
// than waiting out a short life, which a busy machine can spend before
// the password is first used.
func (l *IssuedLogins) Expire(password string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if i, ok := l.issued[password]; ok {
		i.expires = time.Now()
		l.issued[password] = i
	}
}

// check reports whether user and password were issued, and whether they
// have run out.
func (l *IssuedLogins) check(user, password string) (known, expired bool) {
	if l == nil {
		return false, false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	i, ok := l.issued[password]
	if !ok || i.user != user {
		return false, false
	}
	return true, time.Now().After(i.expires)
}

// HubConfig behaves as Docker Hub's registry (seed 001): its token service
// is registry.docker.io, the catalog's scope an unknown resource type,
// tokens say they last 300 s, and a DELETE is answered 405 UNSUPPORTED
// (tags are deleted through the web API: HubAPI.Manage).
func HubConfig(users map[string]string) Config {
	return Config{Ping: Bearer, Catalog: Bearer, Default: Bearer, Service: "registry.docker.io", ExpiresIn: 300,
		RefuseScope: map[string]bool{"registry:catalog:*": true}, NoCatalog: true, Users: users,
		Writes: Writes{DeleteStatus: http.StatusMethodNotAllowed}}
}

// GHCRConfig behaves as GHCR (seed 001): /v2/ and the catalog name a
// placeholder scope, repository:user/image:pull, refused to anonymous
// users; /v2/ answers an empty body; the catalog is listed to any login;
// tokens carry no expires_in and last life; a DELETE is answered 405
// UNSUPPORTED (GitHub deletes through its packages API: GHCRPackages).
func GHCRConfig(users map[string]string, life time.Duration) Config {
	return Config{Ping: Bearer, Catalog: Bearer, Default: Bearer, EmptyPingBody: true,
		PlaceholderScope:   "repository:user/image:pull",
		LoginOnlyScopes:    map[string]bool{"repository:user/image:pull": true, "": true},
		CatalogForAnyLogin: true, TokenLife: life, Users: users,
		Writes: Writes{DeleteStatus: http.StatusMethodNotAllowed}}
}

// QuayConfig behaves as Quay: its token service is quay.io, the catalog's
// scope is refused, and the catalog is listed to any login (robot accounts
// are namespace+name).
func QuayConfig(users map[string]string) Config {
	return Config{Ping: Bearer, Catalog: Bearer, Default: Bearer, Service: "quay.io",
		RefuseScope: map[string]bool{"registry:catalog:*": true}, CatalogForAnyLogin: true, Users: users}
}

// ECRConfig behaves as Amazon ECR, with the passwords issued holds.
func ECRConfig(issued *IssuedLogins) Config {
	return Config{Ping: Basic, Catalog: Basic, Default: Basic, Issued: issued, ExpiredMessage: ECRExpired}
}

// GoogleConfig behaves as Google Artifact Registry: access tokens issued by
// issued for GoogleUser, and one JSON key.
func GoogleConfig(issued *IssuedLogins, jsonKey string) Config {
	return Config{Ping: Bearer, Catalog: Bearer, Default: Bearer, Issued: issued,
		Users: map[string]string{GoogleKeyUser: jsonKey}, LoginOnlyScopes: map[string]bool{"*": true}}
}

// AzureConfig behaves as Azure Container Registry: an admin user, and
// identity tokens (refresh tokens) for AzureTokenUser, exchanged at
// /oauth2/token on the registry itself.
func AzureConfig(admin, adminPassword, identityToken string) Config {
	return Config{Ping: Bearer, Catalog: Bearer, Default: Bearer, Users: map[string]string{admin: adminPassword},
		RefreshTokens: map[string]string{identityToken: AzureTokenUser}, TokenOnRegistry: true,
		LoginOnlyScopes: map[string]bool{"*": true}}
}

// Harbor is Harbor's web API: projects, who may see them, and their
// repositories (the demo's, by first path segment, unless Repositories is
// set).
type Harbor struct {
	// Public projects are listed to everyone; the others to their members.
	Public  map[string]bool
	Members map[string][]string
	// NoLink leaves Link out: only X-Total-Count says more pages remain.
	NoLink bool
	// Admins are the system administrators, who may read the catalog.
	Admins []string
	// Forbidden answers the catalog 403 rather than 401, as Harbors behind
	// some proxies do.
	Forbidden bool
}

// HarborVersion is what the test Harbor says it runs.
const HarborVersion = "v2.11.1-6b7ecba1"

// HarborConfig behaves as Harbor: users (robot accounts too) sign in with
// Basic to the API and through the token service to the registry, and
// only the administrators among them may read the catalog.
func HarborConfig(users map[string]string, h *Harbor) Config {
	return Config{Ping: Bearer, Catalog: Bearer, Default: Bearer, Users: users, Harbor: h}
}

// GitLab is GitLab's web API for a project's container repositories.
type GitLab struct {
	// Projects are the repositories of each project, by ID or path.
	Projects map[string][]string
	// Tokens are the personal access tokens that may read them.
	Tokens map[string]bool
}

// GitLabConfig behaves as GitLab's registry: Bearer through the token
// service for a user and personal access token, and no catalog.
func GitLabConfig(users map[string]string, g *GitLab) Config {
	return Config{Ping: Bearer, Catalog: Bearer, Default: Bearer, Users: users, NoCatalog: true, GitLab: g}
}

// serveKind answers the paths of a kind's own API; false when the request
// is not for one.
func (s *Server) serveKind(w http.ResponseWriter, r *http.Request) bool {
	switch p := r.URL.Path; {
	case s.TokenOnRegistry && p == "/oauth2/token":
		s.Tokens.ServeHTTP(w, r)
	case s.Harbor != nil && strings.HasPrefix(p, "/api/v2.0/"):
		s.harborAPI(w, r)
	case s.Harbor != nil && p == "/v2/_catalog":
		s.harborCatalog(w, r)
	case s.GitLab != nil && strings.HasPrefix(p, "/api/v4/"):
		s.gitLabAPI(w, r)
	case s.Packages != nil && (strings.HasPrefix(p, "/orgs/") || strings.HasPrefix(p, "/users/")):
		s.packagesAPI(w, r)
	default:
		return false
	}
	return true
}

// harborAPI serves systeminfo, projects and a project's repositories.
func (s *Server) harborAPI(w http.ResponseWriter, r *http.Request) {
	user := ""
	if u, p, ok := r.BasicAuth(); ok {
		if s.Users[u] != p || p == "" {
			writeJSON(w, http.StatusUnauthorized, errorsBody("UNAUTHORIZED", "unauthorized"))
			return
		}
		user = u
	}
	byProject := map[string][]string{}
	for _, repo := range s.demoList(httpGet("/v2/_catalog"), "catalog") {
		project, _, _ := strings.Cut(repo, "/")
		byProject[project] = append(byProject[project], repo)
	}
	visible := func(project string) bool {
		return s.Harbor.Public[project] || (user != "" && slices.Contains(s.Harbor.Members[project], user))
	}
	rest := strings.TrimPrefix(r.URL.Path, "/api/v2.0/")
	if r.Method == http.MethodDelete {
		s.harborDelete(w, r, user)
		return
	}
	switch {
	case rest == "systeminfo":
		writeJSON(w, http.StatusOK, map[string]any{"auth_mode": "db_auth", "harbor_version": HarborVersion, "self_registration": false})
	case rest == "projects":
		var names []string
		for p := range byProject {
			if visible(p) {
				names = append(names, p)
			}
		}
		slices.Sort(names)
		s.harborPage(w, r, names, func(i int, name string) map[string]any {
			return map[string]any{"project_id": i + 1, "name": name, "repo_count": len(byProject[name]),
				"metadata": map[string]string{"public": strconv.FormatBool(s.Harbor.Public[name])}}
		})
	case strings.HasPrefix(rest, "projects/") && strings.HasSuffix(rest, "/repositories"):
		project := strings.TrimSuffix(strings.TrimPrefix(rest, "projects/"), "/repositories")
		if !visible(project) {
			writeJSON(w, http.StatusForbidden, errorsBody("FORBIDDEN", "forbidden"))
			return
		}
		repos := slices.Sorted(slices.Values(byProject[project]))
		s.harborPage(w, r, repos, func(i int, name string) map[string]any {
			return map[string]any{"id": i + 1, "name": name, "artifact_count": 2, "pull_count": 10}
		})
	default:
		writeJSON(w, http.StatusNotFound, errorsBody("NOT_FOUND", "not found"))
	}
}

// harborDelete deletes an artifact's tag
// (projects/P/repositories/R/artifacts/REF/tags/TAG), or the artifact, as
// Harbor's API does, for a member of the project or an administrator.
func (s *Server) harborDelete(w http.ResponseWriter, r *http.Request, user string) {
	parts := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/api/v2.0/"), "/")
	for i := range parts {
		for range 2 {
			parts[i], _ = url.PathUnescape(parts[i])
		}
	}
	if (len(parts) != 6 && len(parts) != 8) || parts[0] != "projects" || parts[2] != "repositories" || parts[4] != "artifacts" ||
		(len(parts) == 8 && parts[6] != "tags") {
		writeJSON(w, http.StatusNotFound, errorsBody("NOT_FOUND", "not found"))
		return
	}
	project, repo, ref := parts[1], parts[1]+"/"+parts[3], parts[5]
	member := user != "" && (slices.Contains(s.Harbor.Members[project], user) || slices.Contains(s.Harbor.Admins, user))
	switch {
	case user == "":
		writeJSON(w, http.StatusUnauthorized, errorsBody("UNAUTHORIZED", "unauthorized"))
		return
	case !member:
		writeJSON(w, http.StatusForbidden, errorsBody("FORBIDDEN", "forbidden"))
		return
	}
	digest := ref
	if !strings.HasPrefix(ref, "sha256:") {
		digest = s.digestOf(repo, ref)
	}
	if digest == "" {
		writeJSON(w, http.StatusNotFound, errorsBody("NOT_FOUND", "artifact not found"))
		return
	}
	if len(parts) == 8 {
		if s.digestOf(repo, parts[7]) != digest || !s.DeleteTag(repo, parts[7]) {
			writeJSON(w, http.StatusNotFound, errorsBody("NOT_FOUND", "tag not found"))
			return
		}
	} else {
		s.DeleteEverywhere(repo, digest)
	}
	w.WriteHeader(http.StatusOK)
}

// harborCatalog answers the catalog as Harbor does: to a system
// administrator (Basic, or a token issued to one), the list; to everyone
// else, whatever they sent, 401 with a Basic challenge.
func (s *Server) harborCatalog(w http.ResponseWriter, r *http.Request) {
	user, password, basic := r.BasicAuth()
	if !basic || s.Users[user] != password || password == "" {
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		_, _, user = s.Tokens.check(token, "")
	}
	if user != "" && slices.Contains(s.Harbor.Admins, user) {
		s.serveContent(w, r, "", "catalog")
		return
	}
	if s.Harbor.Forbidden {
		writeJSON(w, http.StatusForbidden, errorsBody("FORBIDDEN", "unauthorized to list catalog"))
		return
	}
	w.Header().Set("Www-Authenticate", `Basic realm="harbor"`)
	writeJSON(w, http.StatusUnauthorized, errorsBody("UNAUTHORIZED", "unauthorized to list catalog: unauthorized to list catalog"))
}

// harborPage serves page=&page_size= of items as Harbor does: a JSON
// array, X-Total-Count, and Link with rel="prev" and rel="next".
func (s *Server) harborPage(w http.ResponseWriter, r *http.Request, items []string, describe func(int, string) map[string]any) {
	page, size, lo, hi := s.pageOf(r, "page_size", 10, len(items))
	out := []map[string]any{}
	for i, name := range items[lo:hi] {
		out = append(out, describe(lo+i, name))
	}
	link := func(p int, rel string) string {
		v := url.Values{"page": {strconv.Itoa(p)}, "page_size": {strconv.Itoa(size)}}
		return fmt.Sprintf(`<%s?%s>; rel="%s"`, r.URL.Path, v.Encode(), rel)
	}
	var links []string
	if page > 1 {
		links = append(links, link(page-1, "prev"))
	}
	if hi < len(items) {
		links = append(links, link(page+1, "next"))
	}
	if len(links) > 0 && !s.Harbor.NoLink {
		w.Header().Set("Link", strings.Join(links, " , "))
	}
	w.Header().Set("X-Total-Count", strconv.Itoa(len(items)))
	writeJSON(w, http.StatusOK, out)
}

// gitLabAPI serves /api/v4/projects/ID/registry/repositories.
func (s *Server) gitLabAPI(w http.ResponseWriter, r *http.Request) {
	token := r.Header.Get("PRIVATE-TOKEN")
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		token = bearer
	}
	if token != "" && !s.GitLab.Tokens[token] {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "401 Unauthorized"})
		return
	}
	rest := strings.TrimPrefix(r.URL.EscapedPath(), "/api/v4/projects/")
	id, tail, _ := strings.Cut(rest, "/")
	id, _ = url.PathUnescape(id)
	repos, ok := s.GitLab.Projects[id]
	if r.Method == http.MethodDelete && ok && token != "" {
		// registry/repositories/N/tags/TAG: N counts from 1 in Projects.
		var n int
		var tag string
		if _, err := fmt.Sscanf(tail, "registry/repositories/%d/tags/%s", &n, &tag); err != nil || n < 1 || n > len(repos) ||
			!s.DeleteTag(repos[n-1], tag) {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "404 Tag Not Found"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{})
		return
	}
	if tail != "registry/repositories" || !ok || token == "" {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "404 Project Not Found"})
		return
	}
	page, _, lo, hi := s.pageOf(r, "per_page", 20, len(repos))
	out := []map[string]any{}
	for i, path := range repos[lo:hi] {
		out = append(out, map[string]any{"id": lo + i + 1, "name": path[strings.LastIndex(path, "/")+1:], "path": path,
			"location": r.Host + "/" + path})
	}
	w.Header().Set("X-Total", strconv.Itoa(len(repos)))
	w.Header().Set("X-Page", strconv.Itoa(page))
	if hi < len(repos) {
		w.Header().Set("X-Next-Page", strconv.Itoa(page+1))
	} else {
		w.Header().Set("X-Next-Page", "")
	}
	writeJSON(w, http.StatusOK, out)
}

// pageOf reads a web API's page=N and page-size query (at most 100 and
// MaxPage, def when missing): the page, its size, and the bounds of its
// items among n.
func (s *Server) pageOf(r *http.Request, sizeParam string, def, n int) (page, size, lo, hi int) {
	q := r.URL.Query()
	page, _ = strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	size, _ = strconv.Atoi(q.Get(sizeParam))
	if size <= 0 || size > 100 {
		size = def
	}
	if s.MaxPage > 0 {
		size = min(size, s.MaxPage)
	}
	return page, size, min((page-1)*size, n), min(page*size, n)
}

// httpGet is a bare GET request for path, to ask the demo content.
func httpGet(path string) *http.Request {
	r, _ := http.NewRequest(http.MethodGet, path, nil)
	return r
}

// Packages is GitHub's packages API for container packages: a version
// per digest of a repository's tags, listed and deleted with a token.
type Packages struct {
	// Tokens may list versions; those also in Delete may delete them
	// (delete:packages).
	Tokens, Delete map[string]bool
	// Orgs are the owners that are organisations; others are users.
	Orgs map[string]bool
}

// packagesAPI serves /orgs/O/packages/container/P/versions[/ID] and the
// same under /users/.
func (s *Server) packagesAPI(w http.ResponseWriter, r *http.Request) {
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !s.Packages.Tokens[token] {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Requires authentication"})
		return
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	if len(parts) < 6 || parts[2] != "packages" || parts[3] != "container" || parts[5] != "versions" ||
		(parts[0] == "orgs") != s.Packages.Orgs[parts[1]] {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return
	}
	pkg, _ := url.PathUnescape(parts[4])
	repo := parts[1] + "/" + pkg
	byDigest := map[string][]string{}
	var digests []string
	for _, tag := range s.TagsOf(repo) {
		d := s.digestOf(repo, tag)
		if d != "" && byDigest[d] == nil {
			digests = append(digests, d)
		}
		byDigest[d] = append(byDigest[d], tag)
	}
	id := func(d string) int64 { n, _ := strconv.ParseInt(d[len("sha256:"):][:12], 16, 64); return n }
	if len(parts) == 6 && r.Method == http.MethodGet {
		var out []map[string]any
		for _, d := range digests {
			out = append(out, map[string]any{"id": id(d), "name": d,
				"metadata": map[string]any{"package_type": "container", "container": map[string]any{"tags": byDigest[d]}}})
		}
		writeJSON(w, http.StatusOK, out)
		return
	}
	if len(parts) == 7 && r.Method == http.MethodDelete {
		if !s.Packages.Delete[token] {
			writeJSON(w, http.StatusForbidden, map[string]string{"message": "You need at least delete:packages scope"})
			return
		}
		for _, d := range digests {
			if strconv.FormatInt(id(d), 10) == parts[6] {
				s.DeleteEverywhere(repo, d)
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
	}
	writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
}
