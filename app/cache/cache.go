// Package cache keeps what was read from registries on disk, so that
// nothing is fetched twice and what was seen opens offline: content by
// digest (checked against its digest when read) and snapshots of lists
// (with the time they were taken and a checksum of their own). Each
// registry has a scope of its own, which can be forgotten at once.
//
// Every entry is written to a temporary file and renamed into place, so a
// killed process never leaves half an entry, and two processes can share
// the directory. The total is kept under a cap by removing the entries
// read least recently. An entry that fails to read or check is removed and
// reported as missing; a cache that cannot be written is only not filled.
package cache

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// DefaultLimit is the size cap when none is given: 1 GiB.
const DefaultLimit = 1 << 30

// formatDir is the directory of this version of the entry format: a later
// format lives beside it and never reads or evicts these entries.
const formatDir = "v1"

// magic opens every entry; its last byte is the entry format's version.
var magic = [4]byte{'C', 'C', 'A', 1}

// headerSize: magic, the time written (Unix nanoseconds), the length of
// the metadata, and the SHA-256 of metadata and payload.
const headerSize = 4 + 8 + 4 + sha256.Size

// maxMeta bounds the metadata an entry may claim.
const maxMeta = 64 << 10

// ErrMissing says that the cache holds no usable entry for the key (never written,
// evicted, or dropped because it failed to check).
var ErrMissing = errors.New("not on this computer")

// Dir is where the cache lives by default: card-catalog under the user's
// cache directory (~/.cache, ~/Library/Caches, %LocalAppData%).
func Dir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "card-catalog"), nil
}

// Store is a cache directory.
type Store struct {
	root  string
	limit int64

	mu sync.Mutex
	// size is the total as last counted, plus what this process wrote
	// since; -1 until counted.
	size     int64
	evicting sync.Mutex
	// writeErr is the last failure to write, for the settings to show.
	writeErr error
	// forgetting is held by Forget, and shared by each write's asking
	// whether it is still kept and its writing: a write that was asked
	// before a Forget cannot land after it.
	forgetting sync.RWMutex
}

// OpenDefault opens the cache the window and the commands share, in the
// user's cache directory (Dir), with the default cap.
func OpenDefault() (*Store, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	return Open(dir, 0)
}

// Open makes (or opens) a cache under dir, private to the user, holding
// at most limit bytes (DefaultLimit when limit <= 0).
func Open(dir string, limit int64) (*Store, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	root := filepath.Join(dir, formatDir)
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, fmt.Errorf("the cache directory: %w", err)
	}
	// A directory made by an older version, or by hand, is made private.
	os.Chmod(dir, 0o700)
	return &Store{root: root, limit: limit, size: -1}, nil
}

// Entry is what a snapshot or a blob holds.
type Entry struct {
	// Meta is a few bytes the writer keeps beside the payload (a manifest's
	// media type).
	Meta    []byte
	Payload []byte
	// Written is when the entry was written, by this computer's clock.
	Written time.Time
}

// Scope is the part of the cache of one registry.
type Scope struct {
	s   *Store
	dir string
	// keep, when set, is asked before each write: a registry switched off
	// while its work runs writes nothing more.
	keep func() bool
}

// While returns the scope that writes only while keep says so.
func (c Scope) While(keep func() bool) Scope {
	c.keep = keep
	return c
}

func (c Scope) write(p string, meta, payload []byte) error {
	c.s.forgetting.RLock()
	defer c.s.forgetting.RUnlock()
	if c.keep != nil && !c.keep() {
		return nil
	}
	return c.s.write(p, meta, payload)
}

// Scope returns the part of the cache for name (a registry's address).
func (s *Store) Scope(name string) Scope {
	return Scope{s: s, dir: filepath.Join(s.root, hashName(name))}
}

func hashName(name string) string {
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:16])
}

// PutBlob keeps content under its digest ("sha256:…"); other algorithms
// are not kept.
func (c Scope) PutBlob(digest string, meta, payload []byte) error {
	p, ok := c.blobPath(digest)
	if !ok {
		return nil
	}
	return c.write(p, meta, payload)
}

// Blob reads content by digest and checks that it hashes to it.
func (c Scope) Blob(digest string) (Entry, error) {
	p, ok := c.blobPath(digest)
	if !ok {
		return Entry{}, ErrMissing
	}
	e, err := c.s.read(p)
	if err != nil {
		return e, err
	}
	if sum := sha256.Sum256(e.Payload); "sha256:"+hex.EncodeToString(sum[:]) != digest {
		c.s.drop(p)
		return Entry{}, fmt.Errorf("%w: the copy of %s did not hash to it", ErrMissing, digest)
	}
	return e, nil
}

func (c Scope) blobPath(digest string) (string, bool) {
	hexPart, ok := strings.CutPrefix(digest, "sha256:")
	if !ok || len(hexPart) != 64 {
		return "", false
	}
	if _, err := hex.DecodeString(hexPart); err != nil {
		return "", false
	}
	return filepath.Join(c.dir, "blobs", hexPart[:2], hexPart), true
}

// PutSnapshot keeps a list (or anything mutable) under key, with the time.
func (c Scope) PutSnapshot(key string, meta, payload []byte) error {
	return c.write(c.snapshotPath(key), meta, payload)
}

// Snapshot reads what PutSnapshot kept under key.
func (c Scope) Snapshot(key string) (Entry, error) {
	return c.s.read(c.snapshotPath(key))
}

func (c Scope) snapshotPath(key string) string {
	return filepath.Join(c.dir, "lists", hashName(key))
}

// Forget removes everything of the scope.
func (c Scope) Forget() error {
	c.s.forgetting.Lock()
	defer c.s.forgetting.Unlock()
	err := os.RemoveAll(c.dir)
	c.s.recount()
	return err
}

// Size is the bytes the cache holds.
func (s *Store) Size() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.size < 0 {
		s.size, _ = s.count(nil)
	}
	return s.size
}

// Limit is the cap.
func (s *Store) Limit() int64 { return s.limit }

// Dir is the directory the store keeps its entries in.
func (s *Store) Dir() string { return filepath.Dir(s.root) }

// WriteError is why the last write failed (read-only, full, gone), or nil.
func (s *Store) WriteError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writeErr
}

// Clear removes every entry.
func (s *Store) Clear() error {
	entries, err := os.ReadDir(s.root)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		errs = append(errs, os.RemoveAll(filepath.Join(s.root, e.Name())))
	}
	s.recount()
	return errors.Join(errs...)
}

func (s *Store) recount() {
	s.mu.Lock()
	s.size = -1
	s.mu.Unlock()
}

func (s *Store) write(p string, meta, payload []byte) error {
	if len(meta) > maxMeta {
		return fmt.Errorf("cache: %d bytes of metadata", len(meta))
	}
	err := s.writeFile(p, header(meta, payload, time.Now()), meta, payload)
	s.wrote(int64(headerSize+len(meta)+len(payload)), err)
	return err
}

// wrote counts an entry of size bytes written, or the failure to write
// one, and evicts when the cache is over its cap.
func (s *Store) wrote(size int64, err error) {
	s.mu.Lock()
	s.writeErr = err
	over := false
	if err == nil && s.size >= 0 {
		s.size += size
		over = s.size > s.limit
	}
	unknown := s.size < 0
	s.mu.Unlock()
	if over || unknown {
		s.evict()
	}
}

// writeFile writes the parts to a temporary file and renames it to p (the
// payload is not copied: a catalog's is megabytes).
func (s *Store) writeFile(p string, parts ...[]byte) error {
	f, err := createTemp(p)
	if err != nil {
		return err
	}
	for _, b := range parts {
		if err == nil {
			_, err = f.Write(b)
		}
	}
	return renameTemp(f, p, err)
}

// createTemp makes the temporary file an entry for p is written to.
func createTemp(p string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return nil, err
	}
	return os.CreateTemp(filepath.Dir(p), ".new-*")
}

// renameTemp closes the temporary file f and, when it was written without
// error, puts it in p's place; otherwise it goes.
func renameTemp(f *os.File, p string, err error) error {
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// header is an entry's header: magic, time, the metadata's length, and
// the SHA-256 of metadata and payload.
func header(meta, payload []byte, t time.Time) []byte {
	h := sha256.New()
	h.Write(meta)
	h.Write(payload)
	return headerOf(len(meta), h, t)
}

func headerOf(metaLen int, sum hash.Hash, t time.Time) []byte {
	b := make([]byte, headerSize)
	copy(b, magic[:])
	binary.BigEndian.PutUint64(b[4:], uint64(t.UnixNano()))
	binary.BigEndian.PutUint32(b[12:], uint32(metaLen))
	sum.Sum(b[16:16])
	return b
}

// SnapshotWriter writes a snapshot as it arrives, for a list too long to
// be held whole first: none of it stays in memory, and nothing is under
// its key until Commit.
type SnapshotWriter struct {
	c    Scope
	path string
	f    *os.File
	buf  *bufio.Writer
	sum  hash.Hash
	n    int64
	err  error
}

// errSnapshotDone: the snapshot was committed or aborted.
var errSnapshotDone = errors.New("cache: the snapshot is done")

// NewSnapshot starts a snapshot of key (without metadata), written a part
// at a time, then committed or aborted.
func (c Scope) NewSnapshot(key string) *SnapshotWriter {
	return &SnapshotWriter{c: c, path: c.snapshotPath(key), sum: sha256.New()}
}

// Write appends p to the snapshot. After a failure every write fails, and
// so does Commit.
func (w *SnapshotWriter) Write(p []byte) (int, error) {
	if w.f == nil && w.err == nil {
		if w.f, w.err = createTemp(w.path); w.err == nil {
			w.buf = bufio.NewWriterSize(w.f, 64<<10)
			_, w.err = w.buf.Write(make([]byte, headerSize)) // the header goes in at Commit
		}
	}
	if w.err != nil {
		return 0, w.err
	}
	n, err := w.buf.Write(p)
	w.sum.Write(p[:n])
	w.n += int64(n)
	w.err = err
	return n, err
}

// Commit puts what was written under the snapshot's key, dated now; a
// scope no longer kept (While) writes nothing.
func (w *SnapshotWriter) Commit() error {
	w.Write(nil) // an empty snapshot is one too
	if w.err == errSnapshotDone {
		return w.err
	}
	w.c.s.forgetting.RLock()
	defer w.c.s.forgetting.RUnlock()
	if w.err == nil && w.c.keep != nil && !w.c.keep() {
		w.Abort()
		return nil
	}
	if w.err == nil {
		w.err = w.buf.Flush()
	}
	if w.err == nil {
		_, w.err = w.f.WriteAt(headerOf(0, w.sum, time.Now()), 0)
	}
	err := w.err
	if w.f != nil {
		err = renameTemp(w.f, w.path, w.err)
	}
	w.c.s.wrote(headerSize+w.n, err)
	w.f, w.err = nil, errSnapshotDone
	return err
}

// Abort drops what was written.
func (w *SnapshotWriter) Abort() {
	if w.f != nil {
		renameTemp(w.f, w.path, errSnapshotDone)
	}
	w.f, w.err = nil, errSnapshotDone
}

// read reads and checks an entry, dropping it when it does not check, and
// marks it used.
func (s *Store) read(p string) (Entry, error) {
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return Entry{}, ErrMissing
	}
	if err != nil {
		return Entry{}, fmt.Errorf("%w: %v", ErrMissing, err)
	}
	e, err := decode(b)
	if err != nil {
		s.drop(p)
		return Entry{}, fmt.Errorf("%w: %s: %v", ErrMissing, filepath.Base(p), err)
	}
	now := time.Now()
	os.Chtimes(p, now, now) // least recently used goes first
	return e, nil
}

func decode(b []byte) (Entry, error) {
	switch {
	case len(b) < headerSize:
		return Entry{}, errors.New("truncated")
	case !bytes.Equal(b[:3], magic[:3]):
		return Entry{}, errors.New("not an entry")
	case b[3] != magic[3]:
		return Entry{}, fmt.Errorf("written by another version of the format (%d)", b[3])
	}
	n := binary.BigEndian.Uint32(b[12:])
	if n > maxMeta || int(n) > len(b)-headerSize {
		return Entry{}, errors.New("truncated")
	}
	if sum := sha256.Sum256(b[headerSize:]); !bytes.Equal(sum[:], b[16:headerSize]) {
		return Entry{}, errors.New("checksum does not match")
	}
	body := b[headerSize:]
	return Entry{
		Written: time.Unix(0, int64(binary.BigEndian.Uint64(b[4:]))),
		Meta:    body[:n:n],
		Payload: body[n:],
	}, nil
}

func (s *Store) drop(p string) {
	if os.Remove(p) == nil {
		s.recount()
	}
}

type file struct {
	path string
	size int64
	used time.Time
}

// count totals the entries, listing them into files when it is not nil.
func (s *Store) count(files *[]file) (int64, error) {
	var total int64
	err := filepath.WalkDir(s.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // vanished under another process's eviction
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		total += info.Size()
		if files != nil {
			*files = append(*files, file{p, info.Size(), info.ModTime()})
		}
		return nil
	})
	return total, err
}

// evict recounts, and when over the cap removes the entries used least
// recently until the cache is at 90% of it.
func (s *Store) evict() {
	if !s.evicting.TryLock() {
		return // another goroutine is at it
	}
	defer s.evicting.Unlock()
	var files []file
	total, _ := s.count(&files)
	if total > s.limit {
		sort.Slice(files, func(i, j int) bool { return files[i].used.Before(files[j].used) })
		for _, f := range files {
			if total <= s.limit/10*9 {
				break
			}
			os.Remove(f.path) // or another process did
			total -= f.size
		}
	}
	s.mu.Lock()
	s.size = total
	s.mu.Unlock()
}
