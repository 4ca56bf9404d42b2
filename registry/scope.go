package registry

import "strings"

// Scopes as the token specification names them.
const catalogScope = "registry:catalog:*"

// scopeForPath derives the token scope a request needs from its path:
// /v2/<name>/{tags,manifests,blobs,referrers}/... needs repository:<name>:pull,
// /v2/_catalog needs registry:catalog:*, /v2/ needs none.
func scopeForPath(path string) string {
	rest, ok := strings.CutPrefix(path, "/v2/")
	if !ok || rest == "" {
		return ""
	}
	if rest == "_catalog" {
		return catalogScope
	}
	for _, kind := range []string{"/tags/", "/manifests/", "/blobs/", "/referrers/"} {
		if i := strings.LastIndex(rest, kind); i > 0 {
			return "repository:" + rest[:i] + ":pull"
		}
	}
	return ""
}
