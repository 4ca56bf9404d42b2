package registry

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseChallenges(t *testing.T) {
	cases := []struct {
		in   []string
		want []Challenge
	}{
		{[]string{`Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull"`},
			[]Challenge{{Scheme: "bearer", Params: map[string]string{"realm": "https://auth.docker.io/token", "service": "registry.docker.io", "scope": "repository:library/python:pull"}}}},
		{[]string{`Basic realm="Registry Realm", Bearer realm="https://x/token",service="x,y",scope="a b"`},
			[]Challenge{{Scheme: "basic", Params: map[string]string{"realm": "Registry Realm"}},
				{Scheme: "bearer", Params: map[string]string{"realm": "https://x/token", "service": "x,y", "scope": "a b"}}}},
		{[]string{`BEARER Realm="a\"b", error=insufficient_scope`},
			[]Challenge{{Scheme: "bearer", Params: map[string]string{"realm": `a"b`, "error": "insufficient_scope"}}}},
		{[]string{`Negotiate abc==`, `Basic realm=x`},
			[]Challenge{{Scheme: "negotiate", Params: map[string]string{}, Token68: "abc=="}, {Scheme: "basic", Params: map[string]string{"realm": "x"}}}},
		{[]string{``, `,, ,`}, nil},
		{[]string{`Bearer realm="unterminated`}, []Challenge{{Scheme: "bearer", Params: map[string]string{"realm": "unterminated"}}}},
	}
	for _, tc := range cases {
		if got := ParseChallenges(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %#v\nwant %#v", tc.in, got, tc.want)
		}
	}
}

func FuzzParseChallenges(f *testing.F) {
	f.Add(`Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull"`)
	f.Add(`Basic realm="x", Bearer realm="y",service="z"`)
	f.Add(`Negotiate abc==, Basic`)
	f.Fuzz(func(t *testing.T, h string) {
		cs := ParseChallenges([]string{h})
		for _, c := range cs {
			if c.Scheme == "" || c.Scheme != strings.ToLower(c.Scheme) {
				t.Fatalf("scheme %q", c.Scheme)
			}
			for k := range c.Params {
				if k == "" || k != strings.ToLower(k) {
					t.Fatalf("param name %q", k)
				}
			}
		}
		// What a server writes with quoted values parses back to itself.
		for _, c := range cs {
			if c.Token68 != "" || len(c.Params) == 0 {
				continue
			}
			var parts []string
			for k, v := range c.Params {
				parts = append(parts, k+`="`+strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v)+`"`)
			}
			again := ParseChallenges([]string{c.Scheme + " " + strings.Join(parts, ", ")})
			if len(again) != 1 || !reflect.DeepEqual(again[0].Params, c.Params) {
				t.Fatalf("%q: round trip %#v -> %#v", h, c, again)
			}
		}
	})
}

func TestNextLink(t *testing.T) {
	base, _ := url.Parse("https://ghcr.io/v2/_catalog?n=100")
	cases := []struct {
		in, want string
		bad      bool
	}{
		{`</v2/_catalog?last=0b2ce%2Fcoreutils&n=0>; rel="next"`, "https://ghcr.io/v2/_catalog?last=0b2ce%2Fcoreutils&n=0", false},
		{`<https://ghcr.io/v2/_catalog?last=b>; rel=next`, "https://ghcr.io/v2/_catalog?last=b", false},
		{`<https://ghcr.io/p?a=1,2>; rel="prev", </v2/_catalog?last=c>; rel="next last"`, "https://ghcr.io/v2/_catalog?last=c", false},
		{`<http://ghcr.io/v2/_catalog?last=b>; rel="next"`, "", true},
		{`<https://evil.example/v2/_catalog>; rel="next"`, "", true},
		{`</v2/_catalog?last=b>; rel="prev"`, "", false},
		{`garbage`, "", false},
	}
	for _, tc := range cases {
		got, err := nextLink([]string{tc.in}, base)
		if tc.bad != (err != nil) {
			t.Errorf("%q: error %v", tc.in, err)
			continue
		}
		s := ""
		if got != nil {
			s = got.String()
		}
		if s != tc.want {
			t.Errorf("%q: got %q want %q", tc.in, s, tc.want)
		}
	}
}

func FuzzNextLink(f *testing.F) {
	f.Add(`</v2/_catalog?last=a&n=100>; rel="next"`)
	f.Add(`<https://r.example/v2/x/tags/list?last=b>; rel=next, <y>; rel=prev`)
	f.Add(`<//other.example/v2/>; rel="next"`)
	base, _ := url.Parse("https://r.example/v2/x/tags/list?n=100")
	f.Fuzz(func(t *testing.T, h string) {
		u, err := nextLink([]string{h}, base)
		if err == nil && u != nil && (u.Scheme != base.Scheme || !strings.EqualFold(u.Host, base.Host)) {
			t.Fatalf("%q: followed to %s", h, u)
		}
	})
}

func FuzzDecodeManifest(f *testing.F) {
	f.Add([]byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":1,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}}]}`), "")
	f.Add([]byte(`{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":2,"digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000"},"layers":[]}`), "application/vnd.docker.distribution.manifest.v2+json")
	f.Add([]byte(`{"schemaVersion":1,"name":"library/python","tag":"2","architecture":"amd64","fsLayers":[{"blobSum":"sha256:a"}],"history":[{"v1Compatibility":"{\"os\":\"linux\"}"}]}`), "application/vnd.docker.distribution.manifest.v1+prettyjws")
	f.Add([]byte(`{"schemaVersion":2,"artifactType":"application/spdx+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","size":2,"digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000"},"layers":[]}`), "")
	f.Add([]byte(`{"schemaVersion":2,"manifests":`), "application/json")
	f.Fuzz(func(t *testing.T, raw []byte, contentType string) {
		m, err := DecodeManifest(raw, contentType)
		if err != nil {
			if !strings.Contains(err.Error(), ErrMalformed.Error()) {
				t.Fatalf("error %v does not say malformed", err)
			}
			return
		}
		kinds := 0
		for _, set := range []bool{m.Index != nil, m.Image != nil, m.Schema1 != nil} {
			if set {
				kinds++
			}
		}
		if kinds != 1 || m.MediaType == "" {
			t.Fatalf("%d kinds, media type %q", kinds, m.MediaType)
		}
		m.ArtifactType()
	})
}

func TestScopeForPath(t *testing.T) {
	for path, want := range map[string]string{
		"/v2/":                                   "",
		"/v2/_catalog":                           "registry:catalog:*",
		"/v2/library/python/tags/list":           "repository:library/python:pull",
		"/v2/a/b/c/manifests/latest":             "repository:a/b/c:pull",
		"/v2/x/blobs/sha256:abc":                 "repository:x:pull",
		"/v2/team/tags/list/manifests/tags/list": "repository:team/tags/list/manifests:pull",
		"/other":                                 "",
	} {
		if got := scopeForPath(path); got != want {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
}

func TestParseRegistry(t *testing.T) {
	for in, want := range map[string]Registry{
		"ghcr.io":                 {Host: "ghcr.io"},
		"https://quay.io":         {Host: "quay.io"},
		"https://quay.io/":        {Host: "quay.io"},
		"localhost:5000":          {Host: "localhost:5000"},
		"http://localhost:5000":   {Host: "localhost:5000", PlainHTTP: true},
		"docker.io":               {Host: "registry-1.docker.io"},
		"index.docker.io":         {Host: "registry-1.docker.io"},
		"registry.hub.docker.com": {Host: "registry-1.docker.io"},
		"  GHCR.IO ":              {Host: "ghcr.io"},
	} {
		got, err := ParseRegistry(in)
		if err != nil || got != want {
			t.Errorf("%q: %+v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "ftp://x", "ghcr.io/owner", "https://quay.io/repository/x", "exa mple.com", "host:port:x"} {
		if _, err := ParseRegistry(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestParseReference(t *testing.T) {
	ref, err := ParseReference("python", false, false)
	if err != nil || ref.Registry.Host != dockerHubHost || ref.Repository != "library/python" || ref.Tag != "latest" || ref.String() != "docker.io/library/python:latest" {
		t.Errorf("%+v %v", ref, err)
	}
	ref, err = ParseReference("localhost:5000/team/app@sha256:"+strings.Repeat("a", 64), true, false)
	if err != nil || ref.Digest == "" || ref.Tag != "" || !ref.Registry.PlainHTTP {
		t.Errorf("%+v %v", ref, err)
	}
	if _, err := ParseRepository("ghcr.io/o/i:tag", false, false); err == nil {
		t.Error("a tag was accepted as a repository")
	}
}

func TestRetryAfterAndRateLimit(t *testing.T) {
	if d, ok := retryAfter("7"); !ok || d != 7*time.Second {
		t.Error(d, ok)
	}
	if d, ok := retryAfter(time.Now().Add(time.Minute).UTC().Format(http.TimeFormat)); !ok || d < 58*time.Second {
		t.Error(d, ok)
	}
	if _, ok := retryAfter("soon"); ok {
		t.Error("accepted")
	}
	h := http.Header{}
	h.Set("RateLimit-Limit", "100;w=21600")
	h.Set("RateLimit-Remaining", "76;w=21600")
	rl, ok := parseRateLimit(h)
	if !ok || rl.Limit != 100 || rl.Remaining != 76 || rl.Window != 6*time.Hour {
		t.Errorf("%+v %v", rl, ok)
	}
}

func TestTokenLifetime(t *testing.T) {
	if got := lifetime(0); got != 50*time.Second {
		t.Errorf("no expires_in: used for %s", got)
	}
	if got := lifetime(300); got != 290*time.Second {
		t.Errorf("300 s: %s", got)
	}
	if got := lifetime(5); got != 4*time.Second {
		t.Errorf("5 s: %s", got)
	}
}

func TestDecodeSchema1(t *testing.T) {
	raw := []byte(`{"schemaVersion":1,"name":"library/python","tag":"2","architecture":"amd64",
		"fsLayers":[{"blobSum":"sha256:aa"},{"blobSum":"sha256:bb"}],
		"history":[{"v1Compatibility":"{\"os\":\"linux\",\"architecture\":\"amd64\",\"config\":{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"python2\"]}}"}],
		"signatures":[{"header":{"alg":"ES256"}}]}`)
	m, err := DecodeManifest(raw, "application/vnd.docker.distribution.manifest.v1+prettyjws")
	if err != nil || m.Schema1 == nil || len(m.Schema1.FSLayers) != 2 || m.MediaType != mediaTypeSchema1Signed {
		t.Fatalf("%+v %v", m, err)
	}
	cfg, _, err := m.Schema1.Config()
	if err != nil || cfg.Config.Cmd[0] != "python2" || cfg.OS != "linux" {
		t.Errorf("%+v %v", cfg, err)
	}
}

func TestScopeCandidates(t *testing.T) {
	cases := []struct {
		challenge, path string
		want            []string
	}{
		{"repository:a:pull", "repository:a:pull", []string{"repository:a:pull", ""}},
		{"repository:user/image:pull", "repository:o/real:pull", []string{"repository:user/image:pull", "repository:o/real:pull", ""}},
		{"registry:catalog:*", "registry:catalog:*", []string{"registry:catalog:*", ""}},
		{"", "", []string{""}},
	}
	for _, tc := range cases {
		if got := scopeCandidates(tc.challenge, tc.path); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q %q: %q", tc.challenge, tc.path, got)
		}
	}
}

func TestScopeForRequest(t *testing.T) {
	for _, tc := range []struct{ method, url, want string }{
		{"GET", "/v2/team/app/manifests/v1", "repository:team/app:pull"},
		{"HEAD", "/v2/team/app/blobs/sha256:abc", "repository:team/app:pull"},
		{"PUT", "/v2/team/app/manifests/v1", "repository:team/app:pull,push"},
		{"POST", "/v2/team/app/blobs/uploads/", "repository:team/app:pull,push"},
		{"PATCH", "/v2/team/app/blobs/uploads/123", "repository:team/app:pull,push"},
		{"POST", "/v2/team/app/blobs/uploads/?mount=sha256:abc&from=team/other", "repository:team/app:pull,push repository:team/other:pull"},
		{"POST", "/v2/team/app/blobs/uploads/?mount=sha256:abc&from=Not+Valid", "repository:team/app:pull,push"},
		{"DELETE", "/v2/team/app/manifests/v1", "repository:team/app:delete"},
		{"GET", "/v2/_catalog", "registry:catalog:*"},
	} {
		u, _ := url.Parse(tc.url)
		if got := scopeForRequest(tc.method, u); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.method, tc.url, got, tc.want)
		}
	}
}
