package demo

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/card-catalog/card-catalog/registry/demo/tarfile"
)

// The rich image: team-a/web is built like a real one, so that its files
// are worth opening. Four layers:
//
//  0. a Debian-like root filesystem (gzip): a few thousand entries, the
//     usual symlinks (/bin → usr/bin), a hard link, an apt cache;
//  1. packages (gzip): Python's library, apt's lists, a new /etc/passwd;
//  2. a clean-up (gzip): an opaque /var/lib/apt/lists and whiteouts of
//     the cached .deb files, the bytes layer 1 wasted;
//  3. the app (zstd): /srv/web with a README worth reading, a release
//     symlink, and a new /etc/motd.

// elf starts the demo's binaries as an ELF header does: they read as
// binary, not text.
const elf = "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"

// linkE is a hard link to an executable, with its mode.
func linkE(name, to string) tarfile.Entry {
	e := tarfile.Hardlink(name, to)
	e.Mode = 0o755
	return e
}

// words makes n bytes of readable, deterministic text from seed.
func words(seed uint32, n int) string {
	b := make([]byte, 0, n+16)
	x := seed*2654435761 + 1
	for len(b) < n {
		x = x*1664525 + 1013904223
		b = append(b, vocab[int(x>>16)%len(vocab)]...)
		if x>>28 == 0 {
			b = append(b, '.', '\n')
		} else {
			b = append(b, ' ')
		}
	}
	return string(b[:n])
}

var vocab = strings.Fields("the layer registry image file stream tag digest manifest index config blob card catalog " +
	"package library module python debian apt cache index size bytes copy license source binary shared object")

func baseLayer() []tarfile.Entry {
	es := []tarfile.Entry{
		tarfile.Dir("etc/"), tarfile.File("etc/os-release", "PRETTY_NAME=\"Demo GNU/Linux 12 (bookworm)\"\nNAME=\"Demo GNU/Linux\"\nVERSION_ID=\"12\"\nID=demo\nHOME_URL=\"https://example.com/\"\n"),
		tarfile.File("etc/hostname", "web\n"), tarfile.File("etc/motd", "Welcome to the demo base image.\n"),
		tarfile.File("etc/passwd", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"),
		tarfile.File("etc/group", "root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n"),
		tarfile.Dir("usr/"), tarfile.Dir("usr/bin/"), tarfile.Dir("usr/lib/"), tarfile.Dir("usr/lib/x86_64-linux-gnu/"), tarfile.Dir("usr/share/"), tarfile.Dir("usr/share/doc/"),
		tarfile.Symlink("bin", "usr/bin"), tarfile.Symlink("lib", "usr/lib"), tarfile.Symlink("sbin", "usr/sbin"), tarfile.Dir("usr/sbin/"),
		tarfile.Dir("tmp/"), tarfile.Dir("root/"), tarfile.Dir("var/"), tarfile.Dir("var/cache/"), tarfile.Dir("var/cache/apt/"), tarfile.Dir("var/cache/apt/archives/"),
		tarfile.Dir("var/lib/"), tarfile.Dir("var/lib/apt/"), tarfile.Dir("var/lib/apt/lists/"),
	}
	es[len(es)-9].Mode = 0o1777 // /tmp
	tools := strings.Fields("bash cat chmod chown cp date dd df echo env grep gzip head hostname kill ln ls mkdir mv " +
		"perl ps pwd rm sed sh sleep sort tail tar touch tr uname wc xargs apt apt-get dpkg find gawk less")
	for i, t := range tools {
		es = append(es, tarfile.Executable("usr/bin/"+t, elf+words(uint32(i), 2000+i*300)))
	}
	es = append(es, linkE("usr/bin/perl5.36.0", "usr/bin/perl"), tarfile.Symlink("usr/bin/awk", "gawk"))
	for i := range 600 {
		name := fmt.Sprintf("usr/lib/x86_64-linux-gnu/lib%s%d.so.%d", strings.Fields("c m ssl crypto z ffi expat uuid")[i%8], i, i%4)
		es = append(es, tarfile.File(name, elf+words(uint32(100+i), 200+i*7%1600)))
	}
	for i := range 700 {
		pkg := fmt.Sprintf("usr/share/doc/pkg-%03d/", i)
		es = append(es, tarfile.Dir(pkg), tarfile.File(pkg+"copyright", "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"+words(uint32(900+i), 400)))
	}
	for i := range 3 {
		es = append(es, tarfile.File(fmt.Sprintf("var/cache/apt/archives/base-files_%d_amd64.deb", i), "!<arch>\n"+words(uint32(50+i), 40_000)))
	}
	return es
}

func packagesLayer() []tarfile.Entry {
	es := []tarfile.Entry{
		tarfile.File("etc/passwd", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nweb:x:10001:10001:web:/srv/web:/usr/sbin/nologin\n"),
		tarfile.Dir("usr/lib/python3.11/"), tarfile.Executable("usr/bin/python3.11", elf+words(7, 30_000)), tarfile.Symlink("usr/bin/python3", "python3.11"),
	}
	for i := range 1200 {
		mod := fmt.Sprintf("usr/lib/python3.11/%s/", strings.Fields("asyncio email http json logging unittest urllib xml")[i%8])
		if i < 8 {
			es = append(es, tarfile.Dir(mod))
		}
		es = append(es, tarfile.File(fmt.Sprintf("%smodule_%04d.py", mod, i), "# demo module\n"+words(uint32(2000+i), 200+i%900)))
	}
	for i := range 6 {
		es = append(es, tarfile.File(fmt.Sprintf("var/lib/apt/lists/deb.example.com_dists_bookworm_main_binary-amd64_Packages.%d", i), words(uint32(70+i), 40_000)))
	}
	for i := range 4 {
		es = append(es, tarfile.File(fmt.Sprintf("var/cache/apt/archives/python3.11_%d_amd64.deb", i), "!<arch>\n"+words(uint32(80+i), 60_000)))
	}
	return es
}

func cleanupLayer() []tarfile.Entry {
	es := []tarfile.Entry{tarfile.Dir("var/lib/apt/lists/"), tarfile.Opaque("var/lib/apt/lists"), tarfile.File("var/lib/apt/lists/lock", "")}
	for i := range 3 {
		es = append(es, tarfile.Whiteout(fmt.Sprintf("var/cache/apt/archives/base-files_%d_amd64.deb", i)))
	}
	for i := range 4 {
		es = append(es, tarfile.Whiteout(fmt.Sprintf("var/cache/apt/archives/python3.11_%d_amd64.deb", i)))
	}
	return es
}

const readme = `# web

The demo web service of Card Catalog's built-in registry.

This image is built like a real one, so that its inside is worth a look:

- layer 0 is a Debian-like root filesystem, with /bin a symlink to usr/bin;
- layer 1 installs Python and leaves apt's lists and .deb files behind;
- layer 2 deletes them again (a whiteout for each .deb, and an opaque
  /var/lib/apt/lists): the bytes are still pulled, and Card Catalog's
  size view counts them as wasted;
- layer 3 (zstd) adds this service under /srv/web and a new /etc/motd.

Run it with:

    docker run --rm -p 3000:3000 team-a/web:%s
`

func appLayer(version string) []tarfile.Entry {
	es := []tarfile.Entry{
		tarfile.File("etc/motd", "web "+version+": served by the demo registry.\n"),
		tarfile.Dir("srv/"), tarfile.Dir("srv/web/"), tarfile.File("srv/web/README.md", fmt.Sprintf(readme, version)),
		tarfile.File("srv/web/config.yaml", "listen: 0.0.0.0:3000\nlog_level: info\nversion: "+version+"\n"),
		tarfile.Dir("srv/web/bin/"), tarfile.Executable("srv/web/bin/web-server", elf+words(uint32(len(version)), 120_000)),
		linkE("srv/web/bin/web", "srv/web/bin/web-server"),
		tarfile.Dir("srv/web/releases/"), tarfile.Dir("srv/web/releases/" + version + "/"), tarfile.Symlink("srv/web/current", "releases/"+version),
		tarfile.Dir("srv/web/static/"),
	}
	for i := range 400 {
		es = append(es, tarfile.File(fmt.Sprintf("srv/web/static/asset-%03d.js", i), "// "+version+"\n"+words(uint32(5000+i), 300+i*13%1200)))
	}
	return es
}

// tarOfEntries writes entries as a tar, with the demo's fixed time; the
// web app's files belong to its user (10001).
func tarOfEntries(es []tarfile.Entry) ([]byte, error) {
	for i := range es {
		if es[i].Type == tar.TypeReg && strings.HasPrefix(es[i].Name, "srv/") {
			es[i].UID, es[i].GID = 10001, 10001
		}
	}
	return tarfile.Tar(epoch, es...)
}

// richBlob is a layer of the rich image, compressed, not yet stored.
type richBlob struct {
	blob      []byte
	diffID    v1.Hash
	mediaType types.MediaType
}

// richBlobs are the rich image's layers: the three its versions share,
// and each version's app layer.
type richBlobs struct {
	shared [3]richBlob
	app    map[string]richBlob
}

// richVersions are the versions team-a/web has.
var richVersions = []string{"3.2.0", "3.3.0"}

// makeRichBlobs builds the rich image's layers; fill runs it beside the
// rest of the demo, on another core.
func makeRichBlobs() (*richBlobs, error) {
	gz, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(1<<20), zstd.WithLowerEncoderMem(true))
	if err != nil {
		return nil, err
	}
	rb := &richBlobs{app: map[string]richBlob{}}
	compress := func(es []tarfile.Entry, useZstd bool) (richBlob, error) {
		plain, err := tarOfEntries(es)
		if err != nil {
			return richBlob{}, err
		}
		diffID, _, _ := v1.SHA256(bytes.NewReader(plain))
		if useZstd {
			return richBlob{enc.EncodeAll(plain, nil), diffID, types.OCILayerZStd}, nil
		}
		var out bytes.Buffer
		gz.Reset(&out)
		gz.Write(plain)
		err = gz.Close()
		return richBlob{out.Bytes(), diffID, types.OCILayer}, err
	}
	for i, es := range [][]tarfile.Entry{baseLayer(), packagesLayer(), cleanupLayer()} {
		if rb.shared[i], err = compress(es, false); err != nil {
			return nil, err
		}
	}
	for _, v := range richVersions {
		if rb.app[v], err = compress(appLayer(v), true); err != nil {
			return nil, err
		}
	}
	return rb, nil
}

// richImage builds team-a/web at version from the layers made beside.
func (f *filler) richImage(r repoSpec, version string, created time.Time, asTag string) (v1.Descriptor, error) {
	rb, err := f.rich()
	if err != nil {
		return v1.Descriptor{}, err
	}
	app, ok := rb.app[version]
	if !ok {
		return v1.Descriptor{}, fmt.Errorf("no rich layer for version %s", version)
	}
	var layers []builtLayer
	for _, b := range append(rb.shared[:], app) {
		desc, err := f.putBlob(r.name, b.blob, b.mediaType)
		if err != nil {
			return v1.Descriptor{}, err
		}
		layers = append(layers, builtLayer{desc: desc, diffID: b.diffID})
	}
	cfg := v1.ConfigFile{
		Architecture: "amd64", OS: "linux", Created: v1.Time{Time: created},
		Config: v1.Config{
			Env:          []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "WEB_VERSION=" + version},
			Entrypoint:   []string{"/srv/web/bin/web"},
			WorkingDir:   "/srv/web",
			User:         "10001:10001",
			ExposedPorts: map[string]struct{}{r.port: {}},
			Labels:       map[string]string{"org.opencontainers.image.title": "web", "org.opencontainers.image.version": version},
		},
		History: []v1.History{
			{Created: v1.Time{Time: created.Add(-3 * time.Hour)}, CreatedBy: "/bin/sh -c #(nop) ADD file:demo-rootfs in / "},
			{Created: v1.Time{Time: created.Add(-2 * time.Hour)}, CreatedBy: "RUN apt-get update && apt-get install -y python3.11 # buildkit", Comment: "buildkit.dockerfile.v0"},
			{Created: v1.Time{Time: created.Add(-2 * time.Hour)}, CreatedBy: "RUN rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb # buildkit", Comment: "buildkit.dockerfile.v0"},
			{Created: v1.Time{Time: created}, CreatedBy: "COPY web/ /srv/web/ # buildkit", Comment: "buildkit.dockerfile.v0"},
			{Created: v1.Time{Time: created}, CreatedBy: "USER 10001:10001", Comment: "buildkit.dockerfile.v0", EmptyLayer: true},
		},
	}
	cfg.RootFS.Type = "layers"
	var descs []v1.Descriptor
	for _, l := range layers {
		cfg.RootFS.DiffIDs = append(cfg.RootFS.DiffIDs, l.diffID)
		descs = append(descs, l.desc)
	}
	cfgRaw, err := json.Marshal(cfg)
	if err != nil {
		return v1.Descriptor{}, err
	}
	cfgDesc, err := f.putBlob(r.name, cfgRaw, types.OCIConfigJSON)
	if err != nil {
		return v1.Descriptor{}, err
	}
	m := v1.Manifest{SchemaVersion: 2, MediaType: types.OCIManifestSchema1, Config: cfgDesc, Layers: descs,
		Annotations: map[string]string{"org.opencontainers.image.created": created.Format(time.RFC3339)}}
	return f.putManifest(r.name, asTag, types.OCIManifestSchema1, m)
}
