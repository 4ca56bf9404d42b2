package demo_test

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/demo"
)

// digests lists every tag's digest of a demo registry.
func digests(t *testing.T) (map[string]string, time.Duration) {
	t.Helper()
	start := time.Now()
	h, err := demo.Handler()
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	srv := httptest.NewServer(h)
	defer srv.Close()
	reg := registry.Registry{Host: strings.TrimPrefix(srv.URL, "http://"), PlainHTTP: true}
	c := registry.New(reg)
	ctx := context.Background()
	var repos []string
	if err := c.Catalog(ctx, func(p []string) error { repos = append(repos, p...); return nil }); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range repos {
		ref := registry.Reference{Registry: reg, Repository: r}
		var tags []string
		if err := c.Tags(ctx, ref, func(p []string) error { tags = append(tags, p...); return nil }); err != nil {
			t.Fatal(err)
		}
		for _, tag := range tags {
			ref.Tag = tag
			m, err := c.Manifest(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			out[r+":"+tag] = m.Digest
		}
	}
	return out, took
}

func TestDemoIsDeterministicAndRich(t *testing.T) {
	first, took := digests(t)
	second, _ := digests(t)
	if len(first) < 100 {
		t.Fatalf("only %d tags in the demo registry", len(first))
	}
	for k, d := range first {
		if second[k] != d {
			t.Errorf("%s: digest %s, then %s", k, d, second[k])
		}
	}
	t.Logf("filled %d tags in %s", len(first), took)
	repos := map[string]bool{}
	for k := range first {
		repos[k[:strings.LastIndex(k, ":")]] = true
	}
	if len(repos) < 35 {
		t.Errorf("%d repositories, want about 40", len(repos))
	}
	for _, want := range []string{"library/python", "team-a/payments-api", "platform/observability/otel-collector"} {
		if !repos[want] {
			t.Errorf("missing %s", want)
		}
	}
}

func TestDemoHasEveryKindOfManifest(t *testing.T) {
	srv := httptest.NewServer(must(demo.Handler()))
	defer srv.Close()
	reg := registry.Registry{Host: strings.TrimPrefix(srv.URL, "http://"), PlainHTTP: true}
	c := registry.New(reg)
	ctx := context.Background()
	get := func(s string) *registry.Manifest {
		t.Helper()
		ref, err := registry.ParseReference(reg.Host+"/"+s, true, false)
		if err != nil {
			t.Fatal(err)
		}
		m, err := c.Manifest(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	idx := get("library/python:3.12")
	if idx.Index == nil || len(idx.Index.Manifests) < 3 || idx.MediaType != "application/vnd.oci.image.index.v1+json" {
		t.Fatalf("python:3.12 = %s with %v", idx.MediaType, idx.Index)
	}
	var variants []string
	for _, d := range idx.Index.Manifests {
		variants = append(variants, d.Platform.Architecture+"/"+d.Platform.Variant)
	}
	if !slices.Contains(variants, "arm64/v8") || !slices.Contains(variants, "arm/v7") {
		t.Errorf("platforms %v lack arm64/v8 or arm/v7", variants)
	}
	if list := get("library/node:22"); list.MediaType != "application/vnd.docker.distribution.manifest.list.v2+json" {
		t.Errorf("node:22 is %s", list.MediaType)
	}
	if img := get("team-a/ledger:latest"); img.MediaType != "application/vnd.docker.distribution.manifest.v2+json" {
		t.Errorf("ledger is %s", img.MediaType)
	}
	img := get("team-a/web:latest")
	if img.Image == nil || img.MediaType != "application/vnd.oci.image.manifest.v1+json" {
		t.Fatalf("web is %s", img.MediaType)
	}
	cfg, _, err := c.Config(ctx, img.Ref, img.Image.Config)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Config.Env) == 0 || len(cfg.Config.Entrypoint) == 0 || cfg.Config.WorkingDir == "" || cfg.Config.User == "" ||
		len(cfg.Config.ExposedPorts) == 0 || len(cfg.Config.Labels) == 0 || len(cfg.History) < 4 {
		t.Errorf("config lacks fields: %+v", cfg.Config)
	}
	empty := 0
	for _, h := range cfg.History {
		if h.EmptyLayer {
			empty++
		}
	}
	if empty == 0 || empty == len(cfg.History) {
		t.Errorf("history has %d empty layers of %d", empty, len(cfg.History))
	}
	refs, err := c.Referrers(ctx, idx.Ref, idx.Digest)
	if err != nil || len(refs) != 1 {
		t.Fatalf("referrers of python:3.12 = %v, %v", refs, err)
	}
	sbom := get("library/python@" + refs[0].Digest.String())
	if sbom.ArtifactType() != "application/spdx+json" {
		t.Errorf("referrer's artifact type is %q", sbom.ArtifactType())
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func BenchmarkFill(b *testing.B) {
	for b.Loop() {
		must(demo.Handler())
	}
}

// The signatures, provenance and SBOMs are the same every run: their
// keys come from seeds and ECDSA signs deterministically.
func TestDemoSignaturesAreDeterministic(t *testing.T) {
	referrers := func() []string {
		srv := httptest.NewServer(must(demo.Handler()))
		defer srv.Close()
		reg := registry.Registry{Host: strings.TrimPrefix(srv.URL, "http://"), PlainHTTP: true}
		c := registry.New(reg)
		var out []string
		for ref := range demo.Signed {
			r, err := registry.ParseReference(reg.Host+"/"+ref, true, false)
			if err != nil {
				t.Fatal(err)
			}
			m, err := c.Manifest(context.Background(), r)
			if err != nil {
				t.Fatal(err)
			}
			ds, err := c.Referrers(context.Background(), r, m.Digest)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range ds {
				out = append(out, ref+" "+d.ArtifactType+" "+d.Digest.String())
			}
		}
		slices.Sort(out)
		return out
	}
	first, second := referrers(), referrers()
	if len(first) != 7 {
		t.Fatalf("%d referrers of the signed images, want 7 (3 + 3 + 1): %v", len(first), first)
	}
	if !slices.Equal(first, second) {
		t.Errorf("the referrers changed between runs:\n%v\n%v", first, second)
	}
}
