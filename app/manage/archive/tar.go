package archive

import (
	"archive/tar"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

// tarWriter writes a tar to a file, an entry at a time, and can take back
// an entry whose content failed its check: the file is cut back to where
// the entry began, so the tar never holds a blob that is not its digest.
type tarWriter struct {
	f       *os.File
	tw      *tar.Writer
	offset  int64
	entries map[string]span
	dirs    map[string]bool
}

// span is where an entry's content lies in the file.
type span struct{ offset, size int64 }

func newTarWriter(f *os.File) *tarWriter {
	return &tarWriter{f: f, tw: tar.NewWriter(f), entries: map[string]span{}, dirs: map[string]bool{}}
}

func (t *tarWriter) header(name string, size int64, typ byte) error {
	mode := int64(0o644)
	if typ == tar.TypeDir {
		mode = 0o755
	}
	return t.tw.WriteHeader(&tar.Header{Typeflag: typ, Name: name, Size: size, Mode: mode, ModTime: epoch, Format: tar.FormatPAX})
}

// parents writes the directory entries above name not yet written.
func (t *tarWriter) parents(name string) error {
	dir := path.Dir(name)
	if dir == "." || t.dirs[dir] {
		return nil
	}
	if err := t.parents(dir); err != nil {
		return err
	}
	t.dirs[dir] = true
	if err := t.header(dir+"/", 0, tar.TypeDir); err != nil {
		return err
	}
	return t.sync()
}

// sync learns where the file stands (the tar writer writes through).
func (t *tarWriter) sync() error {
	if err := t.tw.Flush(); err != nil {
		return err
	}
	off, err := t.f.Seek(0, io.SeekCurrent)
	t.offset = off
	return err
}

// file writes a small entry.
func (t *tarWriter) file(name string, b []byte) error {
	return t.stream(name, int64(len(b)), strings.NewReader(string(b)))
}

// stream writes an entry of size bytes from r; when r fails (a blob that
// does not check), the entry is taken back out.
func (t *tarWriter) stream(name string, size int64, r io.Reader) error {
	if err := t.parents(name); err != nil {
		return err
	}
	start := t.offset
	err := t.header(name, size, tar.TypeReg)
	var dataAt int64
	if err == nil {
		dataAt, err = t.f.Seek(0, io.SeekCurrent)
	}
	if err == nil {
		var n int64
		n, err = io.Copy(t.tw, r)
		if err == nil && n != size {
			err = fmt.Errorf("%s: %d bytes of %d", name, n, size)
		}
	}
	if err == nil {
		err = t.sync()
	}
	if err != nil {
		// Cut the file back and start a tar writer there: the failed
		// entry is gone, the ones before it stand.
		if terr := t.f.Truncate(start); terr != nil {
			return fmt.Errorf("%w (and taking it back out of the tar: %v)", err, terr)
		}
		if _, serr := t.f.Seek(start, io.SeekStart); serr != nil {
			return fmt.Errorf("%w (and taking it back out of the tar: %v)", err, serr)
		}
		t.tw, t.offset = tar.NewWriter(t.f), start
		return err
	}
	t.entries[name] = span{offset: dataAt, size: size}
	return nil
}

// read reads back a small entry written already.
func (t *tarWriter) read(name string) ([]byte, error) {
	s, ok := t.entries[name]
	if !ok || s.size > maxManifest {
		return nil, fmt.Errorf("%s is not in the archive being written", name)
	}
	b := make([]byte, s.size)
	_, err := t.f.ReadAt(b, s.offset)
	return b, err
}

// close ends the tar.
func (t *tarWriter) close() error { return t.tw.Close() }
