package provenance_test

import (
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/card-catalog/card-catalog/app/trust/provenance"
)

func statement(pt, predicate string) []byte {
	return []byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"img","digest":{"sha256":"` + strings.Repeat("a", 64) + `"}}],"predicateType":"` + pt + `","predicate":` + predicate + `}`)
}

func TestSummarize(t *testing.T) {
	cases := []struct {
		name, pt, predicate string
		want                provenance.Provenance
	}{
		{
			name: "GitHub artifact attestation (SLSA v1)", pt: provenance.PredicateSLSAv1,
			predicate: `{"buildDefinition":{"buildType":"https://actions.github.io/buildtypes/workflow/v1","externalParameters":{"workflow":{"ref":"refs/tags/v1.2.0","repository":"https://github.com/acme/app","path":".github/workflows/release.yml"}},
				"resolvedDependencies":[{"uri":"git+https://github.com/acme/app@refs/tags/v1.2.0","digest":{"gitCommit":"c0ffee"}}]},
				"runDetails":{"builder":{"id":"https://github.com/actions/runner/github-hosted"},"metadata":{"invocationId":"https://github.com/acme/app/actions/runs/9/attempts/1","startedOn":"2025-01-06T09:00:00Z","finishedOn":"2025-01-06T09:07:00Z"}}}`,
			want: provenance.Provenance{Version: "SLSA provenance v1", Builder: "https://github.com/actions/runner/github-hosted", Repository: "https://github.com/acme/app",
				Commit: "c0ffee", Ref: "refs/tags/v1.2.0", Workflow: ".github/workflows/release.yml", Invocation: "https://github.com/acme/app/actions/runs/9/attempts/1",
				Started: time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC), Finished: time.Date(2025, 1, 6, 9, 7, 0, 0, time.UTC)},
		},
		{
			name: "BuildKit (SLSA v0.2, mode=max)", pt: provenance.PredicateSLSAv02,
			predicate: `{"builder":{"id":""},"buildType":"https://mobyproject.org/buildkit@v1","invocation":{"configSource":{"entryPoint":"Dockerfile"}},
				"metadata":{"buildStartedOn":"2025-01-06T09:00:00Z","buildFinishedOn":"2025-01-06T09:01:00Z","https://mobyproject.org/buildkit@v1#metadata":{"vcs":{"source":"https://github.com/acme/app","revision":"beef"}}},
				"materials":[{"uri":"pkg:docker/alpine@3.20","digest":{"sha256":"00"}}]}`,
			want: provenance.Provenance{Version: "SLSA provenance v0.2", Repository: "https://github.com/acme/app", Commit: "beef", Workflow: "Dockerfile",
				Started: time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC), Finished: time.Date(2025, 1, 6, 9, 1, 0, 0, time.UTC)},
		},
		{
			name: "SLSA v0.2 from a git config source", pt: provenance.PredicateSLSAv02,
			predicate: `{"builder":{"id":"https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v1.9.0"},
				"invocation":{"configSource":{"uri":"git+https://github.com/acme/app@refs/heads/main","digest":{"sha1":"abc"},"entryPoint":".github/workflows/build.yml"}}}`,
			want: provenance.Provenance{Version: "SLSA provenance v0.2", Builder: "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v1.9.0",
				Repository: "https://github.com/acme/app", Ref: "refs/heads/main", Commit: "abc", Workflow: ".github/workflows/build.yml"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, err := provenance.ParseStatement(statement(c.pt, c.predicate))
			if err != nil {
				t.Fatal(err)
			}
			p, err := provenance.Summarize(st)
			if err != nil {
				t.Fatal(err)
			}
			got := *p
			got.BuildType, got.Materials = "", nil
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
			if !st.Covers("sha256:"+strings.Repeat("a", 64)) || st.Covers("sha256:"+strings.Repeat("b", 64)) {
				t.Error("Covers is wrong")
			}
		})
	}
}

func envelope(payloadType string, payload []byte, sigs string) []byte {
	return []byte(`{"payloadType":"` + payloadType + `","payload":"` + base64.StdEncoding.EncodeToString(payload) + `","signatures":` + sigs + `}`)
}

func TestParseEnvelopeRefusesMalformed(t *testing.T) {
	good := envelope(provenance.PayloadTypeInToto, statement(provenance.PredicateSLSAv1, "{}"), `[{"sig":"AAAA"}]`)
	if _, err := provenance.ParseEnvelope(good); err != nil {
		t.Fatalf("a good envelope: %v", err)
	}
	cases := map[string][]byte{
		"nested":        envelope(provenance.PayloadTypeInToto, good, `[{"sig":"AAAA"}]`),
		"no signatures": envelope(provenance.PayloadTypeInToto, []byte("{}"), `[]`),
		"empty sig":     envelope(provenance.PayloadTypeInToto, []byte("{}"), `[{"sig":""}]`),
		"not base64":    []byte(`{"payloadType":"x","payload":"%%%","signatures":[{"sig":"AAAA"}]}`),
		"no payload":    []byte(`{"payloadType":"x","signatures":[{"sig":"AAAA"}]}`),
		"not JSON":      []byte(`{"payloadType":`),
		"many sigs":     envelope(provenance.PayloadTypeInToto, []byte("{}"), "["+strings.Repeat(`{"sig":"AAAA"},`, 20)+`{"sig":"AAAA"}]`),
	}
	for name, raw := range cases {
		if _, err := provenance.ParseEnvelope(raw); !errors.Is(err, provenance.ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestStatementFieldsAreClamped(t *testing.T) {
	long := strings.Repeat("é", 5000)
	st, err := provenance.ParseStatement(statement(provenance.PredicateSLSAv1, `{"runDetails":{"builder":{"id":"`+long+`"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := provenance.Summarize(st)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Builder) > provenance.MaxField+len("…") || !strings.HasSuffix(p.Builder, "é…") {
		t.Errorf("builder of %d bytes: %q…", len(p.Builder), p.Builder[:20])
	}
	if _, err := provenance.ParseStatement([]byte(`{"_type":"https://example.com/not-in-toto","predicateType":"x"}`)); !errors.Is(err, provenance.ErrMalformed) {
		t.Errorf("a non-statement: %v", err)
	}
}
