package imagefs

import (
	"archive/tar"
	"fmt"
	"path"
	"strings"
	"time"
)

// Type is what kind of entry a path is.
type Type uint8

const (
	File Type = iota
	Dir
	Symlink
	Hardlink
	Char
	Block
	FIFO
	// Whiteout deletes the path from the layers below (a ".wh.NAME" entry).
	Whiteout
	// Opaque hides everything the layers below put in a directory (its
	// ".wh..wh..opq" entry).
	Opaque
)

var typeNames = [...]string{"file", "dir", "symlink", "hardlink", "char", "block", "fifo", "whiteout", "opaque"}

// String is the type's name in the JSON of the files command.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "unknown"
}

// Effect says in words what a whiteout or an opaque marker does to the
// layers below; "" for the other types, which are what they say.
func (t Type) Effect() string {
	switch t {
	case Whiteout:
		return "deleted by this layer"
	case Opaque:
		return "hides what lower layers put here"
	}
	return ""
}

// Entry is one tar header of a layer, or one path of a merged filesystem.
type Entry struct {
	// Path is clean and absolute as the container sees it ("/etc/passwd");
	// "/" is the root. For a whiteout it is the path deleted; for an opaque
	// marker, the directory.
	Path string
	Type Type
	// Size is a file's length; for a directory of a merged tree, the total
	// of what is under it.
	Size int64
	// Mode holds the permission bits with setuid, setgid and sticky (07777).
	Mode     uint32
	UID, GID int
	ModTime  time.Time
	// Target is where a symlink points (as written) or the path a hard
	// link shares its content with (clean and absolute).
	Target string
	// Layer is the index of the layer the entry came from, base first.
	Layer int
	// Digest is a file's content digest ("sha256:…") when the walk hashed
	// it (a comparison does).
	Digest string
	// Offset is where a file's bytes start in its layer's tar (the
	// uncompressed stream); -1 when they are not stored as one run.
	Offset int64
}

// ModeString is the mode as ls shows it: "-rwxr-xr-x", "drwxr-xr-x".
func (e Entry) ModeString() string {
	b := []byte("?---------")
	b[0] = "-dlhcbpwo"[e.Type]
	const rwx = "rwxrwxrwx"
	for i := range 9 {
		if e.Mode&(1<<(8-i)) != 0 {
			b[1+i] = rwx[i]
		}
	}
	set := func(at int, bit uint32, lower, upper byte) {
		if e.Mode&bit == 0 {
			return
		}
		if b[at] == '-' {
			b[at] = upper
		} else {
			b[at] = lower
		}
	}
	set(3, 04000, 's', 'S')
	set(6, 02000, 's', 'S')
	set(9, 01000, 't', 'T')
	return string(b)
}

// OctalMode is the mode as the JSON gives it: "0644".
func (e Entry) OctalMode() string { return fmt.Sprintf("%04o", e.Mode&07777) }

// maxName bounds a path's length in bytes (Linux's PATH_MAX).
const maxName = 4096

// EntryOf turns a tar header (or a table of contents' entry made into one)
// into an entry; ok is false for a header that is not a path (aufs's own
// ".wh..wh." files, a PAX global header).
func EntryOf(h *tar.Header) (e Entry, ok bool, err error) {
	if len(h.Name) > maxName || len(h.Linkname) > maxName {
		return e, false, fmt.Errorf("%w: an entry's name is %d bytes long", ErrCorrupt, max(len(h.Name), len(h.Linkname)))
	}
	e = Entry{
		Path:    Clean(h.Name),
		Size:    h.Size,
		Mode:    uint32(h.Mode) & 07777,
		UID:     h.Uid,
		GID:     h.Gid,
		ModTime: h.ModTime,
	}
	switch h.Typeflag {
	//lint:ignore SA1019 old archives still carry the pre-POSIX flag, which this reader sees raw
	case tar.TypeReg, tar.TypeRegA, tar.TypeCont:
		e.Type = File
	case tar.TypeGNUSparse:
		e.Type, e.Offset = File, -1
	case tar.TypeDir:
		e.Type = Dir
	case tar.TypeSymlink:
		e.Type, e.Target = Symlink, h.Linkname
	case tar.TypeLink:
		e.Type, e.Target, e.Size = Hardlink, Clean(h.Linkname), 0
	case tar.TypeChar:
		e.Type = Char
	case tar.TypeBlock:
		e.Type = Block
	case tar.TypeFifo:
		e.Type = FIFO
	default:
		return e, false, nil
	}
	if e.Type != File {
		e.Size = 0
	}
	dir, base := path.Split(e.Path)
	switch {
	case base == opaqueMarker:
		e.Type, e.Path, e.Size = Opaque, Clean(dir), 0
	case strings.HasPrefix(base, whiteoutMeta):
		return e, false, nil
	case strings.HasPrefix(base, whiteoutPrefix):
		e.Type, e.Path, e.Size = Whiteout, path.Join(dir, base[len(whiteoutPrefix):]), 0
	}
	return e, e.Path != "/" || e.Type == Dir, nil
}

const (
	whiteoutPrefix = ".wh."
	whiteoutMeta   = ".wh..wh."
	opaqueMarker   = ".wh..wh..opq"
)

// Clean makes a tar name the absolute path the container sees: "./etc/"
// and "etc" are "/etc", and "../../x" stays inside the root as "/x".
func Clean(name string) string { return path.Clean("/" + name) }
