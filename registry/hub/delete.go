package hub

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
	"github.com/card-catalog/card-catalog/registry/host"
)

// SignIn signs in to Docker Hub's web API at api (APIHost) with the
// Docker Hub login creds has (a Docker ID and a personal access token):
// POST /v2/auth/token, whose short-lived access token then goes with
// every request of the client it returns. The registry's login is sent to the web API of the
// same service, and nowhere else.
func SignIn(ctx context.Context, api registry.Registry, creds registry.CredentialSource, log *slog.Logger, opts ...registry.Option) (*Client, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cred, ok, err := creds.Credential(ctx, host.DockerHub)
	if err != nil || !ok || cred.Password == "" {
		return nil, fmt.Errorf("signing in to Docker Hub's API: %w: no Docker Hub login (sign in to docker.io first)", registry.ErrAuthRequired)
	}
	anon := registry.New(api, append([]registry.Option{registry.WithLogger(log)}, opts...)...)
	var answer struct {
		Token string `json:"access_token"`
	}
	u := &url.URL{Scheme: api.Scheme(), Host: api.Host, Path: "/v2/auth/token"}
	body := map[string]string{"identifier": cred.Username, "secret": cred.Password}
	if err := anon.SendJSON(ctx, http.MethodPost, u, nil, body, &answer, "signing in to Docker Hub's API"); err != nil {
		return nil, err
	}
	if answer.Token == "" {
		return nil, fmt.Errorf("signing in to Docker Hub's API: %w: no token in its answer", registry.ErrMalformed)
	}
	token := credential.Static{api.Host: {Password: answer.Token, Source: "Docker Hub's API"}}
	return &Client{c: registry.NewWebAPI(api, token, log, "bearer", opts...), log: log}, nil
}

// DeleteTag deletes one tag of a repository ("namespace/name") through
// the web API: DELETE /v2/repositories/NS/NAME/tags/TAG/. The manifest and
// its other tags stay.
func (h *Client) DeleteTag(ctx context.Context, repo, tag string) error {
	ns, name, ok := strings.Cut(repo, "/")
	if !ok {
		ns, name = "library", repo
	}
	u := h.url("/v2/repositories/"+url.PathEscape(ns)+"/"+url.PathEscape(name)+"/tags/"+url.PathEscape(tag)+"/", nil)
	return h.c.SendJSON(ctx, http.MethodDelete, u, nil, nil, nil, "deleting the tag "+tag+" of "+repo+" through Docker Hub's API")
}
