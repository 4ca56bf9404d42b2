package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/card-catalog/card-catalog/app/manage/archive"
	"github.com/card-catalog/card-catalog/app/manage/transfer"
	"github.com/card-catalog/card-catalog/app/printable"
)

// archiveFlags are export's and import's own.
type archiveFlags struct{ format, image string }

func importFlagSet(fs *flag.FlagSet, e *commandEnv) {
	fs.StringVar(&e.archive.image, "image", "", "the image to import when the archive holds several: its `NAME` in the archive (an OCI layout's ref.name such as v1, a docker-archive's team/app:v1)")
}

func archiveFlagSet(fs *flag.FlagSet, e *commandEnv) {
	fs.StringVar(&e.archive.format, "format", "", "the archive's `FORMAT`: oci-dir (an OCI layout directory), oci-tar (a tar of one) or docker (a docker-archive, also an OCI layout, that docker load reads; of an index it loads the --platform image, and keeps the whole index) (default: docker for a FILE ending in .tar, else oci-dir)")
}

// formats are export's --format values, and what reads each.
var formats = map[string]struct {
	format archive.Format
	reads  string
}{
	"oci-dir": {archive.LayoutDir, "skopeo copy oci:FILE:TAG, podman pull oci:FILE:TAG, crane and regctl read it; card-catalog import puts it back"},
	"oci-tar": {archive.LayoutTar, "skopeo copy oci-archive:FILE:TAG and podman load read it; card-catalog import puts it back"},
	"docker":  {archive.DockerTar, "docker load -i FILE and podman load read it, skopeo as docker-archive:FILE and as oci-archive:FILE; card-catalog import puts it back"},
}

func exportCommand(ctx context.Context, env commandEnv, arg string) error {
	ref, err := env.reference(arg)
	if err != nil {
		return err
	}
	path := env.args[0]
	name := env.archive.format
	if name == "" {
		name = "oci-dir"
		if info, err := os.Stat(path); strings.HasSuffix(path, ".tar") && (err != nil || !info.IsDir()) {
			name = "docker"
		}
	}
	f, ok := formats[name]
	if !ok {
		return fmt.Errorf("%w: --format is oci-dir, oci-tar or docker, not %q", errUsage, printable.Line(name))
	}
	tag := ref.Tag
	if tag == "" {
		tag = "latest"
	}
	_, statErr := os.Stat(path)
	w, err := archive.Create(path, f.format, archive.Options{Name: ref.Registry.Host + "/" + ref.Repository + ":" + tag, Platform: env.platform})
	if err != nil {
		return fmt.Errorf("writing the archive %s: %w", path, err)
	}
	// A tar not finished is removed on Close; so is the empty directory a
	// dry run made.
	defer w.Close()
	if env.write.dryRun && f.format == archive.LayoutDir && os.IsNotExist(statErr) {
		defer func() {
			for _, d := range []string{"blobs/sha256", "blobs", ""} {
				os.Remove(filepath.Join(path, d))
			}
		}()
	}
	from := transfer.FromRegistry(env.client(ref.Registry), ref)
	return env.runTransfer(ctx, from, w, transfer.Options{Referrers: true}, func() []string {
		out := []string{"The archive is " + name + ": " + strings.ReplaceAll(f.reads, "FILE", path) + "."}
		if l := w.Loads(); l != "" {
			out = append(out, strings.ToUpper(l[:1])+l[1:]+".")
		}
		return out
	})
}
