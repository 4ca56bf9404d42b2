package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// Caps on what is read from a registry, so that a lying or broken server
// cannot make the program hold unbounded memory.
const (
	maxManifestBytes = 8 << 20  // manifests and indexes
	maxConfigBytes   = 16 << 20 // image configs (long histories make them big)
	maxPageBytes     = 16 << 20 // one page of tags or catalog
)

// errOverCap is returned by readCapped; callers wrap it with ErrTooLarge and
// the name of what they read.
type errOverCap struct{ limit int64 }

func (e errOverCap) Error() string { return fmt.Sprintf("more than %d bytes", e.limit) }

// readCapped reads r to the end, failing once more than limit bytes arrive.
func readCapped(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return b, err
	}
	if int64(len(b)) > limit {
		return nil, errOverCap{limit}
	}
	return b, nil
}

// readBody reads a success response's body under limit and names what it
// was in any error.
func readBody(body io.Reader, limit int64, what string) ([]byte, error) {
	b, err := readCapped(body, limit)
	if err != nil {
		if cap, ok := err.(errOverCap); ok {
			return nil, fmt.Errorf("%s: %w: %v", what, ErrTooLarge, cap)
		}
		return nil, readError(what, int64(len(b)), err)
	}
	return b, nil
}

// readError names a failure in the middle of what's body, after read
// bytes: a stall or a cancellation says so; anything else is a dropped
// connection.
func readError(what string, read int64, err error) error {
	switch {
	case errors.Is(err, ErrStalled), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w", what, err)
	}
	return fmt.Errorf("%s: %w: the connection dropped after %d bytes: %v", what, ErrUnreachable, read, err)
}
