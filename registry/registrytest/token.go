package registrytest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// TokenService is a token server as the specification describes it: GET
// ?service=&scope= with optional Basic credentials, and POST with
// grant_type=password or refresh_token (OAuth).
type TokenService struct {
	// Service is the name the token service answers to.
	Service string
	// Users maps user names to passwords.
	Users map[string]string
	// RefreshTokens maps OAuth refresh (identity) tokens to user names.
	RefreshTokens map[string]string
	// Life is how long tokens really work.
	Life time.Duration
	// ExpiresIn is what the response claims (seconds); 0 omits expires_in.
	ExpiresIn int
	// RefuseScope answers 400 "unknown resource type" for these scopes.
	RefuseScope map[string]bool
	// LoginOnlyScopes are refused (403) to anonymous users; "" stands for a
	// request without scope, "*" for every request.
	LoginOnlyScopes map[string]bool
	// Private repositories get no access for users other than their owners
	// (the token is issued, with nothing in it, as Docker Hub does).
	Private map[string]bool
	// Signer issues JWTs for the real distribution server; nil issues opaque tokens.
	Signer *Signer
	// Hang never answers (until the client gives up); Nonsense answers 200
	// with a body that is no token.
	Hang, Nonsense bool
	// Issued are short-lived passwords it also takes, until they run out.
	Issued *IssuedLogins
	// PullOnly users ("" for anonymous) get pull and nothing more, whatever
	// they ask for.
	PullOnly map[string]bool

	closing chan struct{} // closed when the server closes: hung answers end

	mu     sync.Mutex
	tokens map[string]grant
	counts map[string]int
}

type grant struct {
	user    string
	scopes  map[string]bool
	expires time.Time
}

// Exchanges returns how many tokens were asked for, by scope ("" for none).
func (ts *TokenService) Exchanges() map[string]int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	out := map[string]int{}
	for k, v := range ts.counts {
		out[k] = v
	}
	return out
}

// TotalExchanges counts every token request.
func (ts *TokenService) TotalExchanges() int {
	n := 0
	for _, v := range ts.Exchanges() {
		n += v
	}
	return n
}

func (ts *TokenService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	scopes := r.Form["scope"]
	var expanded []string
	for _, s := range scopes {
		expanded = append(expanded, strings.Fields(s)...)
	}
	ts.mu.Lock()
	if ts.counts == nil {
		ts.counts = map[string]int{}
		ts.tokens = map[string]grant{}
	}
	ts.counts[strings.Join(expanded, " ")]++
	ts.mu.Unlock()

	switch {
	case ts.Hang:
		waitForClient(r, ts.closing)
		return
	case ts.Nonsense:
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body>\x1b]0;pwned\x07 Service Unavailable</body></html>"))
		return
	}
	if r.Form.Get("service") != ts.Service {
		writeJSON(w, http.StatusBadRequest, map[string]string{"details": "invalid service"})
		return
	}
	user, ok := ts.identify(r)
	if !ok {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"details": "incorrect username or password"})
		return
	}
	if user == "" && (ts.LoginOnlyScopes["*"] || (len(expanded) == 0 && ts.LoginOnlyScopes[""])) {
		writeJSON(w, http.StatusForbidden, errorsBody("DENIED", "requested access to the resource is denied"))
		return
	}
	g := grant{user: user, scopes: map[string]bool{}, expires: time.Now().Add(ts.Life)}
	for _, s := range expanded {
		switch {
		case ts.RefuseScope[s]:
			writeJSON(w, http.StatusBadRequest, map[string]string{"details": "unknown resource type"})
			return
		case ts.LoginOnlyScopes[s] && user == "":
			writeJSON(w, http.StatusForbidden, errorsBody("DENIED", "requested access to the resource is denied"))
			return
		}
		typ, repo, actions := parseScope(s)
		if typ == "repository" && ts.Private[repo] && (user == "" || !strings.HasPrefix(repo, strings.Split(user, "+")[0]+"/")) {
			continue // issued without this access
		}
		if typ == "repository" && ts.PullOnly[user] {
			if !slices.Contains(actions, "pull") {
				continue
			}
			s = "repository:" + repo + ":pull"
		}
		g.scopes[s] = true
	}
	value := ts.newToken(g, slices.Sorted(maps.Keys(g.scopes)))
	resp := map[string]any{"token": value, "access_token": value, "issued_at": time.Now().UTC().Format(time.RFC3339)}
	if ts.ExpiresIn > 0 {
		resp["expires_in"] = ts.ExpiresIn
	}
	writeJSON(w, http.StatusOK, resp)
}

// identify returns the user ("" for anonymous), false for bad credentials.
func (ts *TokenService) identify(r *http.Request) (string, bool) {
	if r.Method == http.MethodPost {
		switch r.Form.Get("grant_type") {
		case "refresh_token":
			u, ok := ts.RefreshTokens[r.Form.Get("refresh_token")]
			return u, ok
		case "password":
			u, p := r.Form.Get("username"), r.Form.Get("password")
			if known, expired := ts.Issued.check(u, p); known {
				return u, !expired
			}
			return u, u != "" && ts.Users[u] == p
		}
	}
	u, p, has := r.BasicAuth()
	if !has {
		return "", true
	}
	if known, expired := ts.Issued.check(u, p); known {
		return u, !expired
	}
	want, known := ts.Users[u]
	return u, known && want == p
}

func (ts *TokenService) newToken(g grant, scopes []string) string {
	var value string
	if ts.Signer != nil {
		value = ts.Signer.Sign(ts.Service, g.user, g.expires, scopes)
	} else {
		b := make([]byte, 16)
		rand.Read(b)
		value = hex.EncodeToString(b)
	}
	ts.mu.Lock()
	ts.tokens[value] = g
	ts.mu.Unlock()
	return value
}

// check reports whether token is live and grants scope ("" needs any live
// token), and whether it was known at all.
func (ts *TokenService) check(token, scope string) (ok bool, expired bool, user string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	g, known := ts.tokens[token]
	if !known {
		return false, false, ""
	}
	if time.Now().After(g.expires) {
		return false, true, g.user
	}
	return scope == "" || grantsScope(g.scopes, scope), false, g.user
}

// parseScope reads "repository:team/app:pull,push".
func parseScope(s string) (typ, name string, actions []string) {
	first, rest, _ := strings.Cut(s, ":")
	i := strings.LastIndexByte(rest, ':')
	if i < 0 {
		return first, rest, nil
	}
	return first, rest[:i], strings.Split(rest[i+1:], ",")
}

// grantsScope reports whether the granted scopes cover need: the same
// resource with every action need names (or "*").
func grantsScope(granted map[string]bool, need string) bool {
	if granted[need] {
		return true
	}
	typ, name, want := parseScope(need)
	have := map[string]bool{}
	for g := range granted {
		if t, n, actions := parseScope(g); t == typ && n == name {
			for _, a := range actions {
				have[a] = true
			}
		}
	}
	for _, a := range want {
		if !have[a] && !have["*"] {
			return false
		}
	}
	return len(want) > 0
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func errorsBody(code, msg string) map[string]any {
	return map[string]any{"errors": []map[string]string{{"code": code, "message": msg}}}
}
