// Package logfile keeps the window's log on disk for a bug report: one
// file in the user's cache directory, rotated at a size, with a few old
// ones kept.
package logfile

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// Name is the log's file name in its folder; the old ones end .1, .2, ….
const Name = "card-catalog.log"

// Writer appends to the log and rotates it.
type Writer struct {
	mu   sync.Mutex
	dir  string
	f    *os.File
	size int64
	// Max is the size at which the log starts again; Keep, how many old
	// ones stay.
	Max  int64
	Keep int
}

// Dir is where the log lives: the user's cache directory.
func Dir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "card-catalog", "logs"), nil
}

// Open opens (or starts) the log in dir, private to the user.
func Open(dir string) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, err
	}
	w := &Writer{dir: dir, Max: 1 << 20, Keep: 3}
	if err := w.open(); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *Writer) path(n int) string {
	if n == 0 {
		return filepath.Join(w.dir, Name)
	}
	return filepath.Join(w.dir, fmt.Sprintf("%s.%d", Name, n))
}

func (w *Writer) open() error {
	f, err := os.OpenFile(w.path(0), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	w.f, w.size = f, st.Size()
	return nil
}

// Write appends p, first moving a full log aside. A log that cannot be
// written loses the line, never the program.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return len(p), nil
	}
	if w.size+int64(len(p)) > w.Max {
		w.rotate()
	}
	n, err := w.f.Write(p)
	w.size += int64(n)
	if err != nil {
		return len(p), nil
	}
	return n, nil
}

// rotate shifts card-catalog.log to .1, .1 to .2, …, dropping the oldest.
func (w *Writer) rotate() {
	w.f.Close()
	w.f = nil
	os.Remove(w.path(w.Keep))
	for n := w.Keep - 1; n >= 0; n-- {
		os.Rename(w.path(n), w.path(n+1))
	}
	if err := w.open(); err != nil {
		w.f = nil
	}
}

// Close closes the log.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}
