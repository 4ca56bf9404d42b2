package trust_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/app/trust/sbom"
	"github.com/card-catalog/card-catalog/app/trust/trusttest"
	"github.com/card-catalog/card-catalog/registry"
)

const buildKitProvenance = `{"builder":{"id":""},"buildType":"https://mobyproject.org/buildkit@v1","invocation":{"configSource":{"entryPoint":"Dockerfile"}},
"metadata":{"buildStartedOn":"2025-01-06T09:00:00Z","buildFinishedOn":"2025-01-06T09:01:00Z","https://mobyproject.org/buildkit@v1#metadata":{"vcs":{"source":"https://github.com/acme/app","revision":"beef"}}}}`

// An index as docker buildx pushes it with --provenance and --sbom: the
// image, and beside it an attestation manifest for it (platform
// unknown/unknown) of two in-toto statements, unsigned.
func TestBuildKitAttestations(t *testing.T) {
	f := newFixture(t)
	att := trusttest.Push(t, f.host, f.repo, "", []trusttest.Blob{
		{Data: trusttest.Statement(f.digest, "https://slsa.dev/provenance/v0.2", buildKitProvenance), MediaType: trust.MediaInToto,
			Annotations: map[string]string{trust.AnnotationPredicateType: "https://slsa.dev/provenance/v0.2"}},
		{Data: trusttest.Statement(f.digest, "https://spdx.dev/Document", `{"spdxVersion":"SPDX-2.3","packages":[{"name":"busybox","versionInfo":"1.36.1"}]}`), MediaType: trust.MediaInToto,
			Annotations: map[string]string{trust.AnnotationPredicateType: "https://spdx.dev/Document"}},
	}, "", nil)
	image := f.desc
	image.Platform = &v1.Platform{OS: "linux", Architecture: "amd64"}
	att.Platform = &v1.Platform{OS: "unknown", Architecture: "unknown"}
	att.Annotations = map[string]string{"vnd.docker.reference.type": "attestation-manifest", "vnd.docker.reference.digest": f.digest}
	raw, _ := json.Marshal(v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex, Manifests: []v1.Descriptor{image, att}})
	tag, _ := name.NewTag(f.host+"/"+f.repo+":multi", name.Insecure)
	if err := remote.Put(tag, rawIndex(raw)); err != nil {
		t.Fatal(err)
	}
	ref, _ := registry.ParseReference(f.host+"/"+f.repo+":multi", true, false)
	tree, err := trust.Discover(context.Background(), f.client, ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(tree.Attachments) != 1 {
		t.Fatalf("%+v", tree.Attachments)
	}
	a := tree.Attachments[0]
	if a.Kind != trust.KindAttestation || a.Maker != "BuildKit" || a.For != f.digest || a.What != "BuildKit attestation: SLSA provenance v0.2, SPDX SBOM" {
		t.Errorf("%+v", a)
	}
	offline(t)
	r := (&trust.Verifier{Material: &trust.Material{}}).Verify(context.Background(), f.client, tree)
	if r.Outcome() != trust.OutcomeUnsigned || len(r.Verdicts) != 2 {
		t.Fatalf("%s: %+v", r.Outcome(), r.Verdicts)
	}
	p := r.Verdicts[0]
	if p.Signed || p.Verified || p.Provenance == nil || p.Provenance.Repository != "https://github.com/acme/app" || !strings.Contains(p.What, "attached, not signed") {
		t.Errorf("%+v", p)
	}
	refs := trust.SBOMs(tree, f.digest)
	if len(refs) != 1 {
		t.Fatalf("%d SBOMs", len(refs))
	}
	doc, err := trust.ReadSBOM(context.Background(), f.client, refs[0], sbom.DefaultLimits)
	if err != nil || len(doc.Packages) != 1 || doc.Packages[0].Name != "busybox" {
		t.Fatalf("%v %+v", err, doc)
	}
}

// streamOnly hides a Source's Blob: SBOMs are then streamed.
type streamOnly struct{ trust.Source }

// A streamed SBOM is read to the blob's end, so that a blob that is not
// what its digest says is refused even when its JSON ended well.
func TestStreamedSBOMIsCheckedAgainstItsDigest(t *testing.T) {
	doc := []byte(`{"spdxVersion":"SPDX-2.3","packages":[{"name":"busybox","versionInfo":"1.36.1"}]}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(append(doc, "\n\n"...)) // not the bytes the digest names
	}))
	t.Cleanup(srv.Close)
	c := registry.New(registry.Registry{Host: strings.TrimPrefix(srv.URL, "http://"), PlainHTTP: true})
	h, _, _ := v1.SHA256(bytes.NewReader(doc))
	s := trust.SBOMRef{
		Attachment: trust.Attachment{Repo: registry.Reference{Registry: c.Registry(), Repository: "acme/app"}},
		Layer:      trust.Layer{Desc: v1.Descriptor{MediaType: trust.MediaSPDX, Digest: h, Size: int64(len(doc))}, Kind: trust.KindSBOM, Format: trust.FormatSPDX},
	}
	if _, err := trust.ReadSBOM(context.Background(), streamOnly{c}, s, sbom.DefaultLimits); !errors.Is(err, registry.ErrDigestMismatch) {
		t.Fatalf("err = %v", err)
	}
}
