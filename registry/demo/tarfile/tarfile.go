// Package tarfile writes the tar of a layer from a list of entries: the
// demo registry's layers, and the test layers of every package's tests.
package tarfile

import (
	"archive/tar"
	"bytes"
	"strings"
	"time"
)

// Entry is one header of a layer, in the order written; Body is a file's
// content.
type Entry struct {
	Name, Body, Link string
	Type             byte
	Mode             int64
	UID, GID         int
}

// File is a regular file, 0644.
func File(name, body string) Entry {
	return Entry{Name: name, Body: body, Type: tar.TypeReg, Mode: 0o644}
}

// Executable is a regular file, 0755.
func Executable(name, body string) Entry {
	e := File(name, body)
	e.Mode = 0o755
	return e
}

// Dir is a directory, 0755; its name ends with "/".
func Dir(name string) Entry { return Entry{Name: name, Type: tar.TypeDir, Mode: 0o755} }

// Symlink points name at target, as written.
func Symlink(name, target string) Entry {
	return Entry{Name: name, Link: target, Type: tar.TypeSymlink, Mode: 0o777}
}

// Hardlink makes name share target's content.
func Hardlink(name, target string) Entry {
	return Entry{Name: name, Link: target, Type: tar.TypeLink, Mode: 0o644}
}

// Whiteout deletes path from the layers below (".wh.NAME").
func Whiteout(path string) Entry {
	i := strings.LastIndexByte(path, '/')
	return File(path[:i+1]+".wh."+path[i+1:], "")
}

// Opaque hides what the layers below put in dir (".wh..wh..opq").
func Opaque(dir string) Entry { return File(strings.TrimSuffix(dir, "/")+"/.wh..wh..opq", "") }

// Tar writes entries as a whole tar (the last file's padding and the
// end-of-archive blocks included), every entry dated modTime.
func Tar(modTime time.Time, entries ...Entry) ([]byte, error) {
	var b bytes.Buffer
	size := 1024
	for _, e := range entries {
		size += 1536 + len(e.Body)
	}
	b.Grow(size)
	tw := tar.NewWriter(&b)
	for _, e := range entries {
		h := &tar.Header{Name: e.Name, Linkname: e.Link, Typeflag: e.Type, Mode: e.Mode, Size: int64(len(e.Body)), ModTime: modTime, Uid: e.UID, Gid: e.GID}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write([]byte(e.Body)); err != nil {
			return nil, err
		}
	}
	// Close writes the last file's padding and the end-of-archive blocks.
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
