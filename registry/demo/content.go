package demo

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"time"

	ggcr "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// kind is how a demo repository's tags are built.
type kind int

const (
	ociIndex    kind = iota // OCI image index over several platforms
	dockerList              // Docker manifest list over several platforms
	ociImage                // single-platform OCI image
	dockerImage             // single-platform Docker schema 2 image
	richImage               // single-platform OCI image with thousands of files (inside.go)
)

type repoSpec struct {
	name string
	kind kind
	tags []string
	port string // exposed port, if any
}

// Repositories lists the demo repositories, in the order they are filled.
var repos = []repoSpec{
	{"library/python", ociIndex, []string{"3.11", "3.12", "3.13", "latest"}, ""},
	{"library/node", dockerList, []string{"20", "22", "lts", "latest"}, ""},
	{"library/golang", ociIndex, []string{"1.24", "1.25", "latest"}, ""},
	{"library/alpine", dockerList, []string{"3.19", "3.20", "3.21", "latest"}, ""},
	{"library/debian", ociIndex, []string{"bookworm", "trixie", "latest"}, ""},
	{"library/nginx", dockerList, []string{"1.26", "1.27", "mainline", "latest"}, "80/tcp"},
	{"library/redis", ociIndex, []string{"7.2", "7.4", "latest"}, "6379/tcp"},
	{"library/postgres", dockerList, []string{"15", "16", "17", "latest"}, "5432/tcp"},
	{"library/busybox", ociImage, []string{"1.36", "1.37", "latest"}, ""},
	{"library/ubuntu", dockerList, []string{"22.04", "24.04", "latest"}, ""},
	{"team-a/payments-api", ociIndex, []string{"v1.4.0", "v1.5.0", "v1.5.1", "v2.0.0-rc.1", "main"}, "8080/tcp"},
	{"team-a/ledger", dockerImage, []string{"2024.11.02", "2025.01.15", "latest"}, "9000/tcp"},
	{"team-a/web", richImage, []string{"v3.2.0", "v3.3.0", "latest"}, "3000/tcp"},
	{"team-a/worker", dockerImage, []string{"v1.0.0", "v1.1.0"}, ""},
	{"team-a/batch/nightly-report", ociImage, []string{"20250101", "20250102", "20250103"}, ""},
	{"team-b/search", ociIndex, []string{"v0.9.0", "v1.0.0", "latest"}, "9200/tcp"},
	{"team-b/recommender", dockerImage, []string{"v2.1.0", "v2.2.0"}, "8501/tcp"},
	{"team-b/gateway", dockerList, []string{"v5.0.0", "v5.1.0", "stable"}, "8443/tcp"},
	{"team-b/feature-flags", ociImage, []string{"v0.3.0", "v0.4.0"}, "7070/tcp"},
	{"platform/base/debian", ociIndex, []string{"12", "12-slim", "latest"}, ""},
	{"platform/base/alpine", dockerList, []string{"3.20", "3.21"}, ""},
	{"platform/ci/runner", ociIndex, []string{"v2.318.0", "v2.319.1", "latest"}, ""},
	{"platform/ci/cache", dockerImage, []string{"v1.2.3", "latest"}, "8000/tcp"},
	{"platform/observability/otel-collector", ociIndex, []string{"0.110.0", "0.111.0"}, "4317/tcp"},
	{"platform/observability/grafana-agent", dockerImage, []string{"v0.43.0", "v0.44.0"}, "12345/tcp"},
	{"tools/crane", ociImage, []string{"v0.22.0", "v0.22.1", "latest"}, ""},
	{"tools/skopeo", dockerImage, []string{"v1.16.0", "v1.17.0"}, ""},
	{"tools/regctl", ociIndex, []string{"v0.7.0", "v0.8.0"}, ""},
	{"tools/jq", ociImage, []string{"1.7", "1.7.1"}, ""},
	{"ml/trainer", dockerList, []string{"cuda12-v1", "cuda12-v2", "cpu-v2"}, ""},
	{"ml/inference-server", ociIndex, []string{"v0.5.0", "v0.6.0", "latest"}, "8001/tcp"},
	{"ml/notebooks", dockerImage, []string{"2025.01", "2025.02"}, "8888/tcp"},
	{"data/kafka-connect", dockerImage, []string{"7.6.0", "7.7.0"}, "8083/tcp"},
	{"data/airflow", ociIndex, []string{"2.9.3", "2.10.0", "latest"}, "8080/tcp"},
	{"data/etl/loader", ociImage, []string{"v1", "v2", "v3"}, ""},
	{"security/scanner", dockerList, []string{"v0.50.0", "v0.51.0"}, ""},
	{"security/signer", ociImage, []string{"v2.4.0"}, ""},
	{"edge/firmware-builder", ociIndex, []string{"2025.1", "2025.2"}, ""},
	{"edge/agent", dockerList, []string{"v1.0.0", "v1.0.1", "latest"}, "9100/tcp"},
	{"sandbox/hello-world", ociImage, []string{"latest"}, ""},
}

var platforms = []v1.Platform{
	{OS: "linux", Architecture: "amd64"},
	{OS: "linux", Architecture: "arm64", Variant: "v8"},
	{OS: "linux", Architecture: "arm", Variant: "v7"},
	{OS: "linux", Architecture: "ppc64le"},
	{OS: "linux", Architecture: "s390x"},
}

// epoch is the demo's fixed clock: every date is derived from it.
var epoch = time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)

// filler builds and stores the demo content.
type filler struct {
	h     http.Handler
	blobs ggcr.BlobPutHandler
	gz    *gzip.Writer
	buf   bytes.Buffer
	// rich waits for the rich image's layers.
	rich func() (*richBlobs, error)
}

func fill(h http.Handler, blobs ggcr.BlobPutHandler) error {
	f := &filler{h: h, blobs: blobs}
	f.gz, _ = gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	ready := make(chan struct{})
	var rb *richBlobs
	var rbErr error
	go func() {
		rb, rbErr = makeRichBlobs()
		close(ready)
	}()
	f.rich = func() (*richBlobs, error) {
		<-ready
		return rb, rbErr
	}
	// The rich image goes last: its layers are made meanwhile.
	order := make([]int, 0, len(repos))
	for ri, r := range repos {
		if r.kind != richImage {
			order = append(order, ri)
		}
	}
	for ri, r := range repos {
		if r.kind == richImage {
			order = append(order, ri)
		}
	}
	for _, ri := range order {
		r := repos[ri]
		for ti, tag := range r.tags {
			created := epoch.Add(time.Duration(ri*7+ti*31) * time.Hour)
			desc, err := f.tag(r, ri, ti, tag, created)
			if err != nil {
				return fmt.Errorf("demo %s:%s: %w", r.name, tag, err)
			}
			if err := f.attach(r.name, tag, desc, created); err != nil {
				return fmt.Errorf("demo %s:%s: %w", r.name, tag, err)
			}
			if r.name == "library/python" && tag == "3.12" {
				if err := f.sbom(r.name, desc, created); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// tag builds and pushes one tag and returns its descriptor.
func (f *filler) tag(r repoSpec, ri, ti int, tag string, created time.Time) (v1.Descriptor, error) {
	switch r.kind {
	case ociIndex, dockerList:
		n := 3 + (ri+ti)%3 // 3 to 5 platforms
		var children []v1.Descriptor
		for pi := range n {
			p := platforms[pi]
			d, err := f.image(r, tag, &p, r.kind == dockerList, created, "")
			if err != nil {
				return v1.Descriptor{}, err
			}
			d.Platform = &p
			children = append(children, d)
		}
		mt := types.OCIImageIndex
		if r.kind == dockerList {
			mt = types.DockerManifestList
		}
		idx := v1.IndexManifest{SchemaVersion: 2, MediaType: mt, Manifests: children}
		if r.kind == ociIndex {
			idx.Annotations = map[string]string{"org.opencontainers.image.created": created.Format(time.RFC3339)}
		}
		return f.putManifest(r.name, tag, mt, idx)
	case richImage:
		version := tag
		if tag == "latest" {
			// latest is the same image as the newest version.
			version = r.tags[len(r.tags)-2]
			created = epoch.Add(time.Duration(ri*7+(len(r.tags)-2)*31) * time.Hour)
		}
		return f.richImage(r, strings.TrimPrefix(version, "v"), created, tag)
	default:
		p := platforms[0]
		return f.image(r, tag, &p, r.kind == dockerImage, created, tag)
	}
}

// image builds one single-platform image; with asTag it is pushed under
// that tag, else by digest only (an index child).
func (f *filler) image(r repoSpec, tag string, p *v1.Platform, docker bool, created time.Time, asTag string) (v1.Descriptor, error) {
	short := r.name[strings.LastIndex(r.name, "/")+1:]
	base, err := f.layer(r.name, map[string]string{
		"etc/os-release":        "NAME=\"Demo Linux\"\nVERSION_ID=\"1\"\nID=demo\n",
		"etc/hostname":          "demo\n",
		"bin/sh":                "#!/demo/sh\n# a stand-in shell for the demo registry\n",
		"usr/share/doc/README":  "Card Catalog demo image base layer.\n",
		"usr/lib/demo/arch.txt": p.Architecture + p.Variant + "\n",
	}, docker)
	if err != nil {
		return v1.Descriptor{}, err
	}
	app, err := f.layer(r.name, map[string]string{
		"app/" + short + "/VERSION":              tag + "\n",
		"app/" + short + "/main.txt":             fmt.Sprintf("%s %s for %s/%s%s\n%s", r.name, tag, p.OS, p.Architecture, variantSuffix(p), strings.Repeat(short+" ", 200)),
		"app/" + short + "/config/settings.toml": "[server]\nlisten = \"0.0.0.0\"\n",
	}, docker)
	if err != nil {
		return v1.Descriptor{}, err
	}
	cfg := v1.ConfigFile{
		Architecture: p.Architecture, Variant: p.Variant, OS: p.OS,
		Created: v1.Time{Time: created},
		Config: v1.Config{
			Env:        []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "APP_VERSION=" + tag, "LANG=C.UTF-8"},
			Entrypoint: []string{"/app/" + short + "/entrypoint.sh"},
			Cmd:        []string{"--serve"},
			WorkingDir: "/app/" + short,
			User:       "10001:10001",
			Labels: map[string]string{
				"org.opencontainers.image.title":   short,
				"org.opencontainers.image.version": tag,
				"org.opencontainers.image.source":  "https://example.com/" + r.name,
				"org.opencontainers.image.vendor":  "Card Catalog demo",
			},
		},
		RootFS: v1.RootFS{Type: "layers", DiffIDs: []v1.Hash{base.diffID, app.diffID}},
		History: []v1.History{
			{Created: v1.Time{Time: created.Add(-2 * time.Hour)}, CreatedBy: "/bin/sh -c #(nop) ADD file:demo-base in / "},
			{Created: v1.Time{Time: created.Add(-2 * time.Hour)}, CreatedBy: "/bin/sh -c #(nop)  CMD [\"/bin/sh\"]", EmptyLayer: true},
			{Created: v1.Time{Time: created.Add(-time.Hour)}, CreatedBy: "ENV APP_VERSION=" + tag, Comment: "buildkit.dockerfile.v0", EmptyLayer: true},
			{Created: v1.Time{Time: created.Add(-time.Hour)}, CreatedBy: "WORKDIR /app/" + short, Comment: "buildkit.dockerfile.v0", EmptyLayer: true},
			{Created: v1.Time{Time: created}, CreatedBy: "COPY app/ /app/" + short + "/ # buildkit", Comment: "buildkit.dockerfile.v0"},
			{Created: v1.Time{Time: created}, CreatedBy: "USER 10001:10001", Comment: "buildkit.dockerfile.v0", EmptyLayer: true},
			{Created: v1.Time{Time: created}, CreatedBy: "ENTRYPOINT [\"/app/" + short + "/entrypoint.sh\"]", Comment: "buildkit.dockerfile.v0", EmptyLayer: true},
		},
	}
	if r.port != "" {
		cfg.Config.ExposedPorts = map[string]struct{}{r.port: {}}
	}
	cfgRaw, err := json.Marshal(cfg)
	if err != nil {
		return v1.Descriptor{}, err
	}
	cfgMT, layerMT, mt := types.OCIConfigJSON, types.OCILayer, types.OCIManifestSchema1
	if docker {
		cfgMT, layerMT, mt = types.DockerConfigJSON, types.DockerLayer, types.DockerManifestSchema2
	}
	cfgDesc, err := f.putBlob(r.name, cfgRaw, cfgMT)
	if err != nil {
		return v1.Descriptor{}, err
	}
	base.desc.MediaType, app.desc.MediaType = layerMT, layerMT
	m := v1.Manifest{SchemaVersion: 2, MediaType: mt, Config: cfgDesc, Layers: []v1.Descriptor{base.desc, app.desc}}
	if !docker {
		m.Annotations = map[string]string{"org.opencontainers.image.created": created.Format(time.RFC3339)}
	}
	return f.putManifest(r.name, asTag, mt, m)
}

func variantSuffix(p *v1.Platform) string {
	if p.Variant == "" {
		return ""
	}
	return "/" + p.Variant
}

type builtLayer struct {
	desc   v1.Descriptor
	diffID v1.Hash
}

// layer makes a gzip tar of files (sorted, fixed times) and stores it.
func (f *filler) layer(repo string, files map[string]string, docker bool) (builtLayer, error) {
	var tarBuf bytes.Buffer
	tw := tar.NewWriter(&tarBuf)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	dirs := map[string]bool{}
	for _, n := range names {
		for i := 0; i < len(n); i++ {
			if n[i] == '/' && !dirs[n[:i]] {
				dirs[n[:i]] = true
				if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: n[:i+1], Mode: 0o755, ModTime: epoch, Format: tar.FormatPAX}); err != nil {
					return builtLayer{}, err
				}
			}
		}
		mode := int64(0o644)
		if strings.HasPrefix(n, "bin/") {
			mode = 0o755
		}
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: n, Mode: mode, Size: int64(len(files[n])), ModTime: epoch, Format: tar.FormatPAX}); err != nil {
			return builtLayer{}, err
		}
		io.WriteString(tw, files[n])
	}
	if err := tw.Close(); err != nil {
		return builtLayer{}, err
	}
	diffID, _, _ := v1.SHA256(bytes.NewReader(tarBuf.Bytes()))
	f.buf.Reset()
	f.gz.Reset(&f.buf)
	f.gz.Write(tarBuf.Bytes())
	if err := f.gz.Close(); err != nil {
		return builtLayer{}, err
	}
	desc, err := f.putBlob(repo, bytes.Clone(f.buf.Bytes()), types.OCILayer)
	return builtLayer{desc: desc, diffID: diffID}, err
}

func (f *filler) putBlob(repo string, b []byte, mt types.MediaType) (v1.Descriptor, error) {
	h, size, _ := v1.SHA256(bytes.NewReader(b))
	err := f.blobs.Put(context.Background(), repo, h, io.NopCloser(bytes.NewReader(b)))
	return v1.Descriptor{MediaType: mt, Size: size, Digest: h}, err
}

// putManifest stores a manifest by digest and, when tag is set, under tag.
func (f *filler) putManifest(repo, tag string, mt types.MediaType, m any) (v1.Descriptor, error) {
	raw, err := json.Marshal(m)
	if err != nil {
		return v1.Descriptor{}, err
	}
	h, size, _ := v1.SHA256(bytes.NewReader(raw))
	refs := []string{h.String()}
	if tag != "" {
		refs = append(refs, tag)
	}
	for _, ref := range refs {
		req := httptest.NewRequest(http.MethodPut, "/v2/"+repo+"/manifests/"+ref, bytes.NewReader(raw))
		req.Header.Set("Content-Type", string(mt))
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			return v1.Descriptor{}, fmt.Errorf("storing manifest %s: HTTP %d: %s", ref, rec.Code, rec.Body.String())
		}
	}
	return v1.Descriptor{MediaType: mt, Size: size, Digest: h}, nil
}

// sbom attaches an SPDX SBOM artifact to subject, so the referrers view has
// something to show.
func (f *filler) sbom(repo string, subject v1.Descriptor, created time.Time) error {
	doc := fmt.Sprintf(`{"spdxVersion":"SPDX-2.3","name":"%s","packages":[{"name":"demo-base","versionInfo":"1"}]}`, repo)
	layer, err := f.putBlob(repo, []byte(doc), "application/spdx+json")
	if err != nil {
		return err
	}
	empty, err := f.putBlob(repo, []byte("{}"), "application/vnd.oci.empty.v1+json")
	if err != nil {
		return err
	}
	subj := subject
	subj.Platform = nil
	m := v1.Manifest{
		SchemaVersion: 2, MediaType: types.OCIManifestSchema1, ArtifactType: "application/spdx+json",
		Config: empty, Layers: []v1.Descriptor{layer}, Subject: &subj,
		Annotations: map[string]string{"org.opencontainers.image.created": created.Format(time.RFC3339)},
	}
	_, err = f.putManifest(repo, "", types.OCIManifestSchema1, m)
	return err
}
