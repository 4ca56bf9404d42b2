// Package demo is the built-in demo registry: an in-process
// go-containerregistry registry on a loopback port, filled the same way every
// run (same digests) with about forty repositories of multi-platform indexes,
// manifest lists, OCI and Docker images, SBOM artifacts, and signatures and
// provenance (trust.go), one image signed by someone else. The app shows it
// with no network, and UI tests use it as their fixture.
package demo

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"time"

	ggcr "github.com/google/go-containerregistry/pkg/registry"
)

// Server is a running demo registry.
type Server struct {
	// Addr is host:port on the loopback interface; talk plain HTTP to it.
	Addr string
	srv  *http.Server
}

// Start fills a demo registry and serves it on 127.0.0.1 at port, or at a
// free port when port is 0 or taken: a pull line copied from one run then
// works in the next.
func Start(port int) (*Server, error) {
	h, err := Handler()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil && port != 0 {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return nil, err
	}
	s := &Server{Addr: ln.Addr().String(), srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("demo registry stopped: %v", err)
		}
	}()
	return s, nil
}

// Port is the port the demo registry listens on.
func (s *Server) Port() int {
	_, p, _ := net.SplitHostPort(s.Addr)
	n, _ := strconv.Atoi(p)
	return n
}

// Close stops the server.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}

// Handler returns a filled demo registry as an http.Handler (for httptest).
func Handler() (http.Handler, error) {
	blobs := ggcr.NewInMemoryBlobHandler()
	h := ggcr.New(
		ggcr.Logger(log.New(io.Discard, "", 0)),
		ggcr.WithBlobHandler(blobs),
		ggcr.WithReferrersSupport(true),
	)
	if err := fill(h, blobs.(ggcr.BlobPutHandler)); err != nil {
		return nil, err
	}
	return h, nil
}
