package registry

import (
	"context"
	"net/http"
	"net/url"

	"github.com/card-catalog/card-catalog/registry/credential"
)

// CheckLogin makes real requests with cred before anything is saved: /v2/,
// then, if that let everyone in, the catalog's first page. It returns nil if
// the registry accepted the login, and verified reports whether it asked
// for it at all: a registry that never does cannot tell a wrong password.
func CheckLogin(ctx context.Context, reg Registry, cred credential.Credential, opts ...Option) (verified bool, err error) {
	c := New(reg, append(opts, WithCredentials(credential.Static{reg.Host: cred}))...)
	defer c.CloseIdleConnections()
	if err := c.Ping(ctx); err != nil {
		return false, err
	}
	if c.Stats().LoginsSent > 0 {
		return true, nil
	}
	resp, err := c.do(ctx, http.MethodGet, c.url("/v2/_catalog", url.Values{"n": {"1"}}), nil, "catalog of "+reg.String())
	if err != nil {
		return false, err
	}
	defer drain(resp)
	switch resp.StatusCode {
	case http.StatusOK, http.StatusNotFound, http.StatusMethodNotAllowed:
	default:
		if err := statusError(resp, "catalog of "+reg.String()); errorsIsAny(err, ErrLoginRejected, ErrAuthRequired) {
			return false, err
		}
	}
	return c.Stats().LoginsSent > 0, nil
}
