package transfer_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/card-catalog/card-catalog/app/manage"
	"github.com/card-catalog/card-catalog/app/manage/transfer"
	"github.com/card-catalog/card-catalog/registry"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

// peer is crane's or regctl's binary from CARD_CATALOG_PEERS (make bench
// installs them there at pinned versions), or "".
func peer(name string) string {
	dir := os.Getenv("CARD_CATALOG_PEERS")
	if dir == "" {
		return ""
	}
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

func timed(b *testing.B, f func() error) time.Duration {
	b.Helper()
	start := time.Now()
	if err := f(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// BenchmarkCopyBesidePeers copies a 10-layer image (10 × 2 MiB, random,
// so incompressible) between two loopback docker-registry processes, each
// time to a new repository (which distribution answers 404 for every blob
// of, so every byte is sent), with Card Catalog (plan and run), and with
// crane copy and regctl image copy when make bench installed them, in the
// same loop. ms/copy is Card Catalog's; crane-ms and regctl-ms the
// peers'; x-crane and x-regctl the ratios (below 1: faster).
func BenchmarkCopyBesidePeers(b *testing.B) {
	src, dst := rt.StartDistribution(b, ""), rt.StartDistribution(b, "")
	img, err := random.Image(2<<20, 10)
	if err != nil {
		b.Fatal(err)
	}
	tag, _ := name.NewTag(src.Host+"/bench/app:v1", name.Insecure)
	if err := remote.Write(tag, img); err != nil {
		b.Fatal(err)
	}
	mf, _ := img.Manifest()
	size := mf.Config.Size
	for _, l := range mf.Layers {
		size += l.Size
	}
	crane, regctl := peer("crane"), peer("regctl")
	srcClient, dstClient := registry.New(src), registry.New(dst)
	var ours, craneTime, regctlTime time.Duration
	n := 0
	for b.Loop() {
		n++
		target := registry.Reference{Registry: dst, Repository: fmt.Sprintf("bench/ours-%d", n), Tag: "v1"}
		ours += timed(b, func() error {
			plan, err := transfer.NewPlan(context.Background(), transfer.FromRegistry(srcClient, registry.Reference{Registry: src, Repository: "bench/app", Tag: "v1"}),
				transfer.ToRegistry(dstClient, target, registry.PushOptions{}), transfer.Options{})
			if err != nil {
				return err
			}
			_, err = plan.Run(context.Background(), nil)
			return err
		})
		if crane != "" {
			craneTime += timed(b, func() error {
				out, err := exec.Command(crane, "copy", "--insecure", tag.String(), fmt.Sprintf("%s/bench/crane-%d:v1", dst.Host, n)).CombinedOutput()
				if err != nil {
					return fmt.Errorf("crane copy: %v\n%s", err, out)
				}
				return nil
			})
		}
		if regctl != "" {
			regctlTime += timed(b, func() error {
				out, err := exec.Command(regctl, "--host", "reg="+src.Host+",tls=disabled", "--host", "reg="+dst.Host+",tls=disabled",
					"image", "copy", tag.String(), fmt.Sprintf("%s/bench/regctl-%d:v1", dst.Host, n)).CombinedOutput()
				if err != nil {
					return fmt.Errorf("regctl image copy: %v\n%s", err, out)
				}
				return nil
			})
		}
	}
	per := func(d time.Duration) float64 { return float64(d.Milliseconds()) / float64(n) }
	b.ReportMetric(per(ours), "ms/copy")
	b.ReportMetric(float64(size)/1e6, "MB/image")
	if crane != "" {
		b.ReportMetric(per(craneTime), "crane-ms/copy")
		b.ReportMetric(float64(ours)/float64(craneTime), "x-crane")
	}
	if regctl != "" {
		b.ReportMetric(per(regctlTime), "regctl-ms/copy")
		b.ReportMetric(float64(ours)/float64(regctlTime), "x-regctl")
	}
}

// BenchmarkRetagAndMount retags within a repository and copies to another
// repository of the same registry (mounts), counting the blob bytes that
// reach the registry: 0 both.
func BenchmarkRetagAndMount(b *testing.B) {
	m := rt.StartMeter(b, rt.StartDistribution(b, ""))
	img, _ := random.Image(1<<20, 10)
	tag, _ := name.NewTag(m.Registry.Host+"/bench/app:v1", name.Insecure)
	if err := remote.Write(tag, img); err != nil {
		b.Fatal(err)
	}
	c := registry.New(m.Registry)
	from := registry.Reference{Registry: m.Registry, Repository: "bench/app", Tag: "v1"}
	before := m.BlobBytesIn()
	n := 0
	for b.Loop() {
		n++
		r, err := manage.PlanRetag(context.Background(), c, from, fmt.Sprintf("retag-%d", n))
		if err == nil {
			err = r.Run(context.Background(), c)
		}
		if err != nil {
			b.Fatal(err)
		}
		plan, err := transfer.NewPlan(context.Background(), transfer.FromRegistry(c, from),
			transfer.ToRegistry(c, registry.Reference{Registry: m.Registry, Repository: fmt.Sprintf("bench/mount-%d", n), Tag: "v1"}, registry.PushOptions{}),
			transfer.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := plan.Run(context.Background(), nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(m.BlobBytesIn()-before)/float64(n), "blob-bytes/op")
}
