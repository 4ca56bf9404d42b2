package image

import "io"

// readAhead reads r on a goroutine of its own, a few buffers ahead of the
// reader, so that the network and the digest run on one core while the
// decompressor runs on another. Close stops the goroutine; it does not
// close r.
type readAhead struct {
	full  chan chunk
	free  chan []byte
	stop  chan struct{}
	ended chan struct{}
	cur   chunk
	off   int
}

type chunk struct {
	b   []byte
	err error
}

const (
	aheadBuffers = 4
	aheadSize    = 256 << 10
)

func newReadAhead(r io.Reader) *readAhead {
	a := &readAhead{
		full:  make(chan chunk, aheadBuffers),
		free:  make(chan []byte, aheadBuffers),
		stop:  make(chan struct{}),
		ended: make(chan struct{}),
	}
	for range aheadBuffers {
		a.free <- make([]byte, aheadSize)
	}
	go a.fill(r)
	return a
}

func (a *readAhead) fill(r io.Reader) {
	defer close(a.ended)
	for {
		var buf []byte
		select {
		case buf = <-a.free:
		case <-a.stop:
			return
		}
		// One read: what has arrived goes on at once, however little.
		n, err := r.Read(buf)
		select {
		case a.full <- chunk{b: buf[:n], err: err}:
		case <-a.stop:
			return
		}
		if err != nil {
			return
		}
	}
}

func (a *readAhead) Read(p []byte) (int, error) {
	for a.off == len(a.cur.b) {
		if a.cur.err != nil {
			return 0, a.cur.err
		}
		if a.cur.b != nil {
			a.free <- a.cur.b[:cap(a.cur.b)]
		}
		a.cur, a.off = <-a.full, 0
	}
	n := copy(p, a.cur.b[a.off:])
	a.off += n
	return n, nil
}

// Close stops the goroutine and waits for it: the caller closes the
// source first, so that a read in flight returns.
func (a *readAhead) Close() {
	close(a.stop)
	<-a.ended
}
