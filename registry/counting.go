package registry

import (
	"io"
	"sync/atomic"
)

// Counting is a body that adds the bytes read through it to N: the
// progress of a blob another goroutine shows, or what a test server
// counts.
type Counting struct {
	io.ReadCloser
	N *atomic.Int64
}

func (c *Counting) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.N.Add(int64(n))
	return n, err
}
