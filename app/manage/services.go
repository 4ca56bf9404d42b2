// Package manage deletes tags (exactly the ones named, and only those),
// puts deleted tags back, and tags a manifest anew within a repository.
// Each is planned first (a preview that names the digest, the tags that
// stay on it, its referrers and what the registry will be asked) and run
// by an explicit call; each run reads back what it did.
//
// A tag is deleted with the OCI tag DELETE where the registry has it;
// where it deletes by digest only, the way regctl does it keeps the other
// tags safe (a unique placeholder manifest is pushed to the tag, then
// deleted by its digest); Docker Hub, Harbor, GitLab and GHCR are asked
// through their own APIs, and ECR, which only the AWS API deletes from, is
// refused in a sentence that says what to run. Copies and archives are in
// packages transfer and archive.
package manage

import (
	"context"
	"fmt"

	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/registry"
)

// TagAPI is a registry's own web API for deleting, signed in: Docker
// Hub's (hub.docker.com), Harbor's (/api/v2.0), GitLab's (/api/v4),
// GitHub's packages API. Adapters for the clients of packages hub,
// harbor, gitlab and ghcr are in api.go.
type TagAPI interface {
	// Name says which API it is, for the preview: "Docker Hub's API".
	Name() string
	// DeleteTag deletes tag of repo, which points at digest.
	DeleteTag(ctx context.Context, repo, tag, digest string) error
	// DeleteManifest deletes digest's manifest and every tag on it.
	DeleteManifest(ctx context.Context, repo, digest string, tags []string) error
}

// Registry is a registry to manage: its client (signed in), its kind,
// and its own API where it has one.
type Registry struct {
	Client *registry.Client
	Kind   kinds.Kind
	// API is the kind's own API (nil: none configured; Docker Hub,
	// Harbor and GitLab then say so, GHCR falls back to the packages
	// API's absence).
	API TagAPI
}

// refusal says in one sentence why a kind deletes nothing here, or "".
func (r Registry) refusal(repo, tag string) string {
	switch {
	case r.Kind == kinds.ECR:
		return fmt.Sprintf("ECR deletes only through the AWS API: aws ecr batch-delete-image --repository-name %s --image-ids imageTag=%s", repo, tag)
	case r.Kind == kinds.DockerHub && r.API == nil:
		return "Docker Hub's registry does not delete (HTTP 405); tags are deleted through Docker Hub's API (hub.docker.com), which needs your Docker ID and a personal access token with delete rights"
	case r.Kind == kinds.Harbor && r.API == nil:
		return "Harbor deletes a single tag only through its API (/api/v2.0), which needs a login with delete rights in the project"
	case r.Kind == kinds.GitLab && r.API == nil:
		return "GitLab deletes tags through its API (/api/v4), which needs an access token with the api scope"
	case r.Kind == kinds.GitHub && r.API == nil:
		return "GHCR does not delete through the registry API (HTTP 405); it deletes through GitHub's packages API, which needs a token with delete:packages"
	}
	return ""
}

// how says what the registry will be asked, for the preview.
func (r Registry) how(whole bool) string {
	switch {
	case r.refusal("", "") != "":
		return "nothing: the registry refuses"
	case r.Kind == kinds.GitHub && whole:
		return "the package version is deleted through " + r.API.Name()
	case r.Kind == kinds.GitHub:
		return "a unique placeholder manifest is pushed to the tag (GHCR deletes nothing through its registry API), and its package version is deleted through " + r.API.Name() + ": the other tags keep the digest"
	case r.API != nil:
		return "deleted through " + r.API.Name()
	case whole:
		return "the manifest is deleted by digest (DELETE /v2/…/manifests/DIGEST), and any tag the registry leaves on it by tag"
	}
	return "the OCI tag DELETE; where the registry deletes by digest only, a unique placeholder manifest is pushed to the tag and deleted by its digest, so the other tags keep theirs"
}
