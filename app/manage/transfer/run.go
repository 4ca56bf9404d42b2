package transfer

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"golang.org/x/sync/errgroup"

	"github.com/card-catalog/card-catalog/app/humane"
	"github.com/card-catalog/card-catalog/registry"
)

// progressEvery is how often a running copy reports its progress.
const progressEvery = 100 * time.Millisecond

// Progress is how far a copy has come.
type Progress struct {
	// Blobs is how many blobs the copy has; BlobsDone how many are in
	// the target (there already, mounted or sent).
	Blobs, BlobsDone int
	// Present were there already; Mounted were mounted; Sent were sent.
	Present, Mounted, Sent int
	// Bytes is what the blobs to send weigh; BytesSent what has gone.
	Bytes, BytesSent int64
	// Manifests and how many are in the target.
	Manifests, ManifestsDone int
	// Tagged: the tag was set (the last step).
	Tagged  bool
	Elapsed time.Duration
}

// Speed is the bytes sent per second so far.
func (p Progress) Speed() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.BytesSent) / p.Elapsed.Seconds()
}

// Words says the progress in a line: "3 of 10 blobs · 12.0 MB of 40.0 MB ·
// 6.1 MB/s".
func (p Progress) Words() string {
	return fmt.Sprintf("%d of %d blobs · %s of %s · %s/s · %d of %d manifests", p.BlobsDone, p.Blobs,
		humane.Size(p.BytesSent), humane.Size(p.Bytes), humane.Size(int64(p.Speed())), p.ManifestsDone, p.Manifests)
}

// Error is a copy that stopped: what was done, and why it stopped. What
// arrived stays, and running the copy again does not send it again.
type Error struct {
	Done Progress
	Tag  string
	Err  error
}

func (e *Error) Error() string {
	tag := "no tag was set"
	if e.Tag != "" {
		tag = "the tag " + e.Tag + " was not moved"
	}
	return fmt.Sprintf("pushed %d of %d blobs and %d of %d manifests; %s: %v", e.Done.BlobsDone, e.Done.Blobs,
		e.Done.ManifestsDone, e.Done.Manifests, tag, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// run holds a running copy's counters.
type run struct {
	plan  *Plan
	start time.Time
	mu    sync.Mutex
	p     Progress
	sent  atomic.Int64
}

func (r *run) snapshot() Progress {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.p
	p.BytesSent = r.sent.Load()
	p.Elapsed = time.Since(r.start)
	return p
}

func (r *run) update(f func(*Progress)) {
	r.mu.Lock()
	f(&r.p)
	r.mu.Unlock()
}

// Run copies what the plan says: the blobs (a few at a time; each asked
// for again first, so that a copy run again sends nothing that arrived),
// then the manifests by digest, children first, then the referrers made
// findable, then the tag. progress (nil for none) is called from one
// goroutine, every progressEvery and once at the end. A failure stops the
// copy with an *Error that says what was done; the tag is then not moved.
func (p *Plan) Run(ctx context.Context, progress func(Progress)) (Progress, error) {
	r := &run{plan: p, start: time.Now()}
	_, bytes := p.Count(Send)
	_, mountBytes := p.Count(Mount)
	r.p = Progress{Blobs: len(p.Blobs), Bytes: bytes + mountBytes, Manifests: len(p.Manifests)}
	stop := make(chan struct{})
	var reporting sync.WaitGroup
	if progress != nil {
		reporting.Add(1)
		go func() {
			defer reporting.Done()
			t := time.NewTicker(progressEvery)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					progress(r.snapshot())
				}
			}
		}()
	}
	err := r.copy(ctx)
	close(stop)
	reporting.Wait()
	done := r.snapshot()
	if progress != nil {
		progress(done)
	}
	if err != nil {
		return done, &Error{Done: done, Tag: p.Tag, Err: err}
	}
	return done, nil
}

func (r *run) copy(ctx context.Context) error {
	p := r.plan
	if err := r.blobs(ctx); err != nil {
		return err
	}
	for _, m := range p.Manifests {
		if err := r.manifest(ctx, m); err != nil {
			return err
		}
	}
	if err := r.findReferrers(ctx); err != nil {
		return err
	}
	if p.Tag != "" {
		if err := p.dst.PutManifest(ctx, p.Root, p.Tag); err != nil {
			return err
		}
		r.update(func(p *Progress) { p.Tagged = true })
	}
	return p.dst.Finish(ctx, p.Root)
}

// blobs puts every blob into the target, Jobs at a time; the first
// failure stops the rest.
func (r *run) blobs(ctx context.Context) error {
	p := r.plan
	from, _ := mountSource(p.src, p.dst)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(p.opts.Jobs)
	for _, b := range p.Blobs {
		if err := gctx.Err(); err != nil {
			break
		}
		g.Go(func() error { return r.blob(gctx, b, from) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}

func (r *run) blob(ctx context.Context, b Blob, from string) error {
	p := r.plan
	if b.Action == Present {
		r.update(func(p *Progress) { p.BlobsDone++; p.Present++ })
		return nil
	}
	has, err := p.dst.HasBlob(ctx, b.Desc)
	if err != nil {
		return fmt.Errorf("asking %s for blob %s: %w", p.dst, b.Desc.Digest, err)
	}
	if has {
		r.update(func(p *Progress) { p.BlobsDone++; p.Present++; p.Bytes -= max(b.Desc.Size, 0) })
		return nil
	}
	mountFrom := ""
	if b.Action == Mount {
		mountFrom = from
	}
	open := func() (io.ReadCloser, error) {
		rc, err := p.src.OpenBlob(ctx, b.Desc)
		if err != nil {
			return nil, fmt.Errorf("reading blob %s from %s: %w", b.Desc.Digest, p.src, err)
		}
		return &registry.Counting{ReadCloser: rc, N: &r.sent}, nil
	}
	push, err := p.dst.PushBlob(ctx, b.Desc, open, mountFrom)
	if err != nil {
		return err
	}
	r.update(func(p *Progress) {
		p.BlobsDone++
		if push.Mounted {
			p.Mounted++
			p.Bytes -= max(b.Desc.Size, 0)
		} else {
			p.Sent++
		}
	})
	return nil
}

// manifest puts one manifest into the target by digest (unless it is
// there), and under its own tag when it has one (cosign's).
func (r *run) manifest(ctx context.Context, m Manifest) error {
	p := r.plan
	has := m.Present
	if !has {
		var err error
		if has, err = p.dst.HasManifest(ctx, m.M.Digest); err != nil {
			return fmt.Errorf("asking %s for manifest %s: %w", p.dst, m.M.Digest, err)
		}
	}
	if !has {
		if err := p.dst.PutManifest(ctx, m.M, ""); err != nil {
			return err
		}
	}
	if m.Tag != "" {
		if err := p.dst.PutManifest(ctx, m.M, m.Tag); err != nil {
			return err
		}
	}
	r.update(func(p *Progress) { p.ManifestsDone++ })
	return nil
}

// findReferrers makes the referrers copied findable from their subjects.
func (r *run) findReferrers(ctx context.Context) error {
	p := r.plan
	bySubject := map[string][]v1.Descriptor{}
	var order []string
	for _, m := range p.Manifests {
		if m.Subject == "" {
			continue
		}
		if bySubject[m.Subject] == nil {
			order = append(order, m.Subject)
		}
		bySubject[m.Subject] = append(bySubject[m.Subject], descriptorOf(m.M))
	}
	for _, s := range order {
		if err := p.dst.FindReferrers(ctx, s, bySubject[s]); err != nil {
			return fmt.Errorf("listing the referrers of %s on %s: %w", s, p.dst, err)
		}
	}
	return nil
}

// descriptorOf is the descriptor an index of referrers lists m under.
func descriptorOf(m *registry.Manifest) v1.Descriptor {
	h, _ := v1.NewHash(m.Digest)
	d := v1.Descriptor{MediaType: types.MediaType(m.MediaType), Digest: h, Size: m.Size, ArtifactType: m.ArtifactType()}
	switch {
	case m.Image != nil:
		d.Annotations = m.Image.Annotations
	case m.Index != nil:
		d.Annotations = m.Index.Annotations
	}
	return d
}
