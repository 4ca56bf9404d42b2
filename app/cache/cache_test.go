package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func open(t *testing.T, limit int64) *Store {
	t.Helper()
	s, err := Open(t.TempDir(), limit)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBlobsAreCheckedAgainstTheirDigest(t *testing.T) {
	s := open(t, 0)
	c := s.Scope("registry.example")
	body := []byte(`{"schemaVersion":2}`)
	d := digestOf(body)
	before := time.Now()
	if err := c.PutBlob(d, []byte("application/vnd.oci.image.manifest.v1+json"), body); err != nil {
		t.Fatal(err)
	}
	e, err := c.Blob(d)
	if err != nil || !bytes.Equal(e.Payload, body) || string(e.Meta) != "application/vnd.oci.image.manifest.v1+json" {
		t.Fatalf("%q %q %v", e.Payload, e.Meta, err)
	}
	if e.Written.Before(before) || e.Written.After(time.Now()) {
		t.Errorf("written %v, not between %v and now", e.Written, before)
	}
	// Another registry's scope does not see it.
	if _, err := s.Scope("other.example").Blob(d); !errors.Is(err, ErrMissing) {
		t.Errorf("another scope: %v", err)
	}
	// Content kept under the wrong digest (a bug, or a disk that lies) is
	// not believed, and is dropped.
	wrong := digestOf([]byte("something else"))
	c.PutBlob(wrong, nil, body)
	if _, err := c.Blob(wrong); !errors.Is(err, ErrMissing) {
		t.Fatalf("a blob under another digest was read: %v", err)
	}
	if p, _ := c.blobPath(wrong); exists(p) {
		t.Error("the bad entry was kept")
	}
	// Names that are no sha256 digest are neither kept nor read.
	for _, d := range []string{"sha512:abc", "sha256:../../etc/passwd", "sha256:" + strings.Repeat("z", 64)} {
		if err := c.PutBlob(d, nil, body); err != nil {
			t.Error(err)
		}
		if _, err := c.Blob(d); !errors.Is(err, ErrMissing) {
			t.Errorf("%s: %v", d, err)
		}
	}
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func TestDamagedEntriesAreDroppedNeverShown(t *testing.T) {
	s := open(t, 0)
	c := s.Scope("r")
	payload := []byte(`["a","b","c"]`)
	damage := map[string]func([]byte) []byte{
		"a flipped byte":            func(b []byte) []byte { b[len(b)-2] ^= 1; return b },
		"truncated":                 func(b []byte) []byte { return b[:len(b)-3] },
		"truncated in the header":   func(b []byte) []byte { return b[:10] },
		"empty":                     func([]byte) []byte { return nil },
		"a future format":           func(b []byte) []byte { b[3] = 9; return b },
		"not an entry":              func([]byte) []byte { return []byte("hello, world, this is no cache entry at all....") },
		"metadata longer than file": func(b []byte) []byte { b[12], b[13] = 0, 0x7f; return b },
	}
	for name, f := range damage {
		key := "tags " + name
		if err := c.PutSnapshot(key, nil, payload); err != nil {
			t.Fatal(err)
		}
		p := c.snapshotPath(key)
		b, _ := os.ReadFile(p)
		os.WriteFile(p, f(b), 0o600)
		if e, err := c.Snapshot(key); !errors.Is(err, ErrMissing) {
			t.Errorf("%s: read %q, %v", name, e.Payload, err)
		}
		if name != "a future format" && exists(p) {
			t.Errorf("%s: kept", name)
		}
	}
	if e, err := c.Snapshot("never written"); !errors.Is(err, ErrMissing) || e.Payload != nil {
		t.Errorf("%v", err)
	}
}

func TestLeastRecentlyUsedGoesFirst(t *testing.T) {
	s := open(t, 100*1024)
	c := s.Scope("r")
	chunk := bytes.Repeat([]byte("x"), 20*1024)
	for i := range 4 {
		c.PutSnapshot(fmt.Sprint(i), nil, chunk)
		// Mark times apart: file systems keep them to the second on some.
		past := time.Now().Add(time.Duration(i-10) * time.Minute)
		os.Chtimes(c.snapshotPath(fmt.Sprint(i)), past, past)
	}
	if _, err := c.Snapshot("0"); err != nil { // 0 is now the most recent
		t.Fatal(err)
	}
	c.PutSnapshot("4", nil, chunk) // 5 × 20 KiB and headers: over 100 KiB
	c.PutSnapshot("5", nil, chunk)
	if size := s.Size(); size > 100*1024 {
		t.Errorf("%d bytes kept over a cap of %d", size, 100*1024)
	}
	for key, want := range map[string]bool{"0": true, "1": false, "5": true} {
		if _, err := c.Snapshot(key); (err == nil) != want {
			t.Errorf("entry %s: %v, want kept %v", key, err, want)
		}
	}
}

func TestAnUnwritableCacheOnlyDoesNotFill(t *testing.T) {
	s := open(t, 0)
	c := s.Scope("r")
	if err := c.PutSnapshot("kept", nil, []byte("1")); err != nil {
		t.Fatal(err)
	}
	// A file where the blob directory should be stands for a read-only or
	// full disk (root ignores permissions, so chmod would not do).
	os.WriteFile(filepath.Join(c.dir, "blobs"), nil, 0o600)
	body := []byte("b")
	if err := c.PutBlob(digestOf(body), nil, body); err == nil || s.WriteError() == nil {
		t.Fatalf("no error: %v", err)
	}
	if _, err := c.Snapshot("kept"); err != nil {
		t.Errorf("what was kept is lost: %v", err)
	}
	// The directory vanishes (a disk unplugged, a cleaner): reads miss,
	// the next write makes it again.
	os.RemoveAll(s.Dir())
	if _, err := c.Snapshot("kept"); !errors.Is(err, ErrMissing) {
		t.Errorf("%v", err)
	}
	if err := c.PutSnapshot("again", nil, []byte("2")); err != nil || s.WriteError() != nil {
		t.Errorf("%v", err)
	}
	if e, err := c.Snapshot("again"); err != nil || string(e.Payload) != "2" {
		t.Errorf("%q %v", e.Payload, err)
	}
}

// TestTwoWritersNeverShowHalfAnEntry: the window and a headless command
// write and read the same entries at once.
func TestTwoWritersNeverShowHalfAnEntry(t *testing.T) {
	dir := t.TempDir()
	a, _ := Open(dir, 0)
	b, _ := Open(dir, 0)
	big := [2][]byte{bytes.Repeat([]byte("a"), 1<<20), bytes.Repeat([]byte("b"), 1<<20)}
	var wg sync.WaitGroup
	for i, s := range []*Store{a, b} {
		wg.Go(func() {
			for range 20 {
				s.Scope("r").PutSnapshot("catalog", nil, big[i])
			}
		})
	}
	bad := 0
	wg.Go(func() {
		for range 200 {
			e, err := a.Scope("r").Snapshot("catalog")
			if err == nil && !bytes.Equal(e.Payload, big[0]) && !bytes.Equal(e.Payload, big[1]) {
				bad++
			}
		}
	})
	wg.Wait()
	if bad > 0 {
		t.Errorf("%d reads saw a mixed or half entry", bad)
	}
	leftovers, _ := filepath.Glob(filepath.Join(a.root, "*", "lists", ".new-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestTheDirectoryIsPrivateAndForgettable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cc")
	s, err := Open(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Errorf("mode %v", info.Mode())
	}
	s.Scope("a").PutSnapshot("k", nil, []byte("a"))
	s.Scope("b").PutSnapshot("k", nil, []byte("b"))
	if s.Size() == 0 {
		t.Fatal("size 0")
	}
	s.Scope("a").Forget()
	if _, err := s.Scope("a").Snapshot("k"); !errors.Is(err, ErrMissing) {
		t.Error("forgotten scope still read")
	}
	if _, err := s.Scope("b").Snapshot("k"); err != nil {
		t.Error("another scope was forgotten too")
	}
	s.Clear()
	if _, err := s.Scope("b").Snapshot("k"); !errors.Is(err, ErrMissing) || s.Size() != 0 {
		t.Errorf("after Clear: %v, %d bytes", err, s.Size())
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		t.Error("Clear removed the directory itself")
	}
}

// TestASnapshotWrittenAsItArrives: what NewSnapshot's writer commits reads
// back as PutSnapshot's would; an aborted one, or one whose scope stopped
// keeping, leaves nothing, not even its temporary file.
func TestASnapshotWrittenAsItArrives(t *testing.T) {
	s := open(t, 0)
	c := s.Scope("r")
	w := c.NewSnapshot("catalog")
	var want []byte
	for i := range 20000 {
		line := fmt.Appendf(nil, "team/repository-%05d\n", i)
		want = append(want, line...)
		if _, err := w.Write(line); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Snapshot("catalog"); !errors.Is(err, ErrMissing) {
		t.Fatalf("before Commit: %v", err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	e, err := c.Snapshot("catalog")
	if err != nil || !bytes.Equal(e.Payload, want) || len(e.Meta) != 0 || time.Since(e.Written) > time.Minute {
		t.Fatalf("%d bytes of %d, %v", len(e.Payload), len(want), err)
	}
	if s.Size() < int64(len(want)) {
		t.Errorf("the cache counts %d bytes", s.Size())
	}
	if err := c.NewSnapshot("empty").Commit(); err != nil {
		t.Fatal(err)
	}
	if e, err := c.Snapshot("empty"); err != nil || len(e.Payload) != 0 {
		t.Errorf("empty: %q %v", e.Payload, err)
	}

	aborted := c.NewSnapshot("catalog")
	aborted.Write([]byte("half\n"))
	aborted.Abort()
	if err := aborted.Commit(); err == nil {
		t.Error("an aborted snapshot committed")
	}
	off := c.While(func() bool { return false }).NewSnapshot("catalog")
	off.Write([]byte("not kept\n"))
	off.Commit()
	if e, _ := c.Snapshot("catalog"); !bytes.Equal(e.Payload, want) {
		t.Errorf("the kept snapshot became %q", e.Payload[:min(len(e.Payload), 20)])
	}
	if leftovers, _ := filepath.Glob(filepath.Join(s.root, "*", "lists", ".new-*")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}
