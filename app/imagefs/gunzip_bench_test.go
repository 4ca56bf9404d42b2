package imagefs

import (
	"archive/tar"
	"bytes"
	stdgzip "compress/gzip"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/card-catalog/card-catalog/app/imagefs/zran"
)

// BenchmarkGunzip compares the standard library's gzip reader with
// klauspost/compress's on the same layer (48 MiB of tar: text-like files),
// the measurement behind Walk's choice, and with package zran's, which
// Walk uses.
func BenchmarkGunzip(b *testing.B) {
	blob := benchLayer(b, 48<<20)
	for _, c := range []struct {
		name string
		open func(io.Reader) (io.Reader, error)
	}{
		{"stdlib", func(r io.Reader) (io.Reader, error) { return stdgzip.NewReader(r) }},
		{"klauspost", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
		// What Walk reads gzip with: klauspost's inflater in package zran,
		// without and with checkpoints.
		{"zran", func(r io.Reader) (io.Reader, error) { return zran.NewReader(r, CheckpointEvery, nil) }},
		{"zran-checkpoints", func(r io.Reader) (io.Reader, error) {
			return zran.NewReader(r, CheckpointEvery, func(zran.Checkpoint) {})
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(48 << 20)
			for b.Loop() {
				z, err := c.open(bytes.NewReader(blob))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, z); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchLayer makes a gzip tar of about size bytes of text-like files.
func benchLayer(b *testing.B, size int) []byte {
	var out bytes.Buffer
	z := gzip.NewWriter(&out)
	tw := tar.NewWriter(z)
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := make([]string, 2000)
	for i := range vocab {
		vocab[i] = strings.Repeat(string(rune('a'+rng.IntN(26))), 1+rng.IntN(3)) + string(rune('a'+rng.IntN(26)))
	}
	for i, written := 0, 0; written < size; i++ {
		var body strings.Builder
		n := 1000 + rng.IntN(9000)
		for body.Len() < n {
			body.WriteString(vocab[rng.IntN(len(vocab))])
			body.WriteByte(' ')
		}
		tw.WriteHeader(&tar.Header{Name: "f/" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + "/" + strings.Repeat("y", 1+i%5) + "-" + string(rune('0'+i%10)), Size: int64(body.Len()), Mode: 0644, Typeflag: tar.TypeReg})
		io.WriteString(tw, body.String())
		written += body.Len()
	}
	tw.Close()
	z.Close()
	return out.Bytes()
}

// BenchmarkWalk lists the same layer as BenchmarkGunzip: headers only.
func BenchmarkWalk(b *testing.B) {
	blob := benchLayer(b, 48<<20)
	for _, c := range []struct {
		name string
		fn   func(Entry, Body) error
	}{
		{"headers", func(Entry, Body) error { return nil }},
		// What a listing does: every file's content hashed as it passes.
		{"hashed", func(e Entry, body Body) error {
			if e.Type == File {
				HashBody(body)
			}
			return nil
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(48 << 20)
			for b.Loop() {
				if _, err := Walk(b.Context(), bytes.NewReader(blob), Gzip, Limits{}, c.fn); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
