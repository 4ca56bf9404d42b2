package image

import (
	"bytes"
	"io"
	"os"
)

// Rewinder is a writer that can take back what it was given. ReadFile
// writes a file's bytes into one as they come and rewinds it when they
// turn out not to be the file's: a range the registry answered with other
// bytes (then the file is read again from its layer), a layer whose digest
// fails at its end.
type Rewinder interface {
	io.Writer
	Rewind() error
}

// spoolInMemory is how much a Spool holds in memory before it moves to a
// temporary file: a large file costs disk, not memory.
const spoolInMemory = 4 << 20

// Spool is a Rewinder for a writer that cannot take bytes back (a
// terminal, a file being saved): it holds what it is given, in memory up
// to 4 MiB and then in a temporary file, until Commit hands it on. Close
// removes the temporary file.
type Spool struct {
	to   io.Writer
	mem  bytes.Buffer
	file *os.File
}

// NewSpool holds bytes for to.
func NewSpool(to io.Writer) *Spool { return &Spool{to: to} }

func (s *Spool) Write(p []byte) (int, error) {
	if s.file == nil && s.mem.Len()+len(p) > spoolInMemory {
		f, err := os.CreateTemp("", "card-catalog-file-*")
		if err != nil {
			return 0, err
		}
		os.Remove(f.Name()) // on Unix: gone when closed, whatever ends the process
		if _, err := s.mem.WriteTo(f); err != nil {
			f.Close()
			return 0, err
		}
		s.file = f
	}
	if s.file != nil {
		return s.file.Write(p)
	}
	return s.mem.Write(p)
}

// Rewind forgets what was written.
func (s *Spool) Rewind() error {
	s.mem.Reset()
	if s.file == nil {
		return nil
	}
	if err := s.file.Truncate(0); err != nil {
		return err
	}
	_, err := s.file.Seek(0, io.SeekStart)
	return err
}

// Commit writes what was held to the writer, once.
func (s *Spool) Commit() error {
	if s.file == nil {
		_, err := s.mem.WriteTo(s.to)
		return err
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(s.to, s.file)
	return err
}

// Close lets go of the temporary file.
func (s *Spool) Close() error {
	if s.file == nil {
		return nil
	}
	err := s.file.Close()
	os.Remove(s.file.Name()) // on Windows, an open file stays until now
	return err
}
