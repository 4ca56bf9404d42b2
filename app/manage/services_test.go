package manage_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/app/manage"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
	"github.com/card-catalog/card-catalog/registry/ghcr"
	"github.com/card-catalog/card-catalog/registry/gitlab"
	"github.com/card-catalog/card-catalog/registry/harbor"
	"github.com/card-catalog/card-catalog/registry/host"
	"github.com/card-catalog/card-catalog/registry/hub"
	rt "github.com/card-catalog/card-catalog/registry/registrytest"
)

func signedIn(reg registry.Registry, user, password string) *registry.Client {
	return registry.New(reg, registry.WithCredentials(credential.Static{reg.Host: {Username: user, Password: password}}))
}

func deleteV2(t *testing.T, reg manage.Registry, f three) *manage.Result {
	t.Helper()
	plan, err := manage.PlanDelete(context.Background(), reg, f.repo, []string{"v2"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(strings.Join(plan.Words(), "\n"))
	return manage.Delete(context.Background(), plan, nil)
}

// Docker Hub's registry answers DELETE with 405; its web API deletes one
// tag, signed in with the Docker Hub login.
func TestDeleteOnDockerHub(t *testing.T) {
	cfg := rt.HubConfig(map[string]string{"alice": "pat"})
	cfg.Blank = true
	s := rt.Serve(t, cfg)
	c := signedIn(s.Registry, "alice", "pat")
	f := pushThreeTo(t, c, s.Registry, "alice/app", &authn.Basic{Username: "alice", Password: "pat"})

	res := deleteV2(t, manage.Registry{Client: c, Kind: kinds.DockerHub}, f)
	if err := res.Err(); err == nil || !strings.Contains(err.Error(), "Docker Hub's API") {
		t.Fatalf("without the web API: %v", err)
	}
	api := rt.StartHubAPI(nil)
	defer api.Close()
	api.Manage(s, map[string]string{"alice": "pat"})
	hc, err := hub.SignIn(context.Background(), api.Registry, credential.Static{host.DockerHub: {Username: "alice", Password: "pat"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := deleteV2(t, manage.Registry{Client: c, Kind: kinds.DockerHub, API: manage.HubAPI(hc)}, f).Err(); err != nil {
		t.Fatal(err)
	}
	checkTwoStay(t, c, f)
	if api.Deletes.Load() != 1 {
		t.Errorf("%d deletes through the web API", api.Deletes.Load())
	}
}

// GHCR answers DELETE with 405; the tag is moved to a placeholder, whose
// package version is deleted through GitHub's packages API. A token
// without delete:packages is told so, and the tag is put back.
func TestDeleteOnGHCR(t *testing.T) {
	cfg := rt.GHCRConfig(map[string]string{"octocat": "pat", "reader": "read-only"}, 5*time.Minute)
	cfg.Blank = true
	cfg.Packages = &rt.Packages{Tokens: map[string]bool{"pat": true, "read-only": true}, Delete: map[string]bool{"pat": true}}
	s := rt.Serve(t, cfg)
	c := signedIn(s.Registry, "octocat", "pat")
	f := pushThreeTo(t, c, s.Registry, "octocat/app", &authn.Basic{Username: "octocat", Password: "pat"})

	if err := deleteV2(t, manage.Registry{Client: c, Kind: kinds.GitHub}, f).Err(); err == nil || !strings.Contains(err.Error(), "delete:packages") {
		t.Fatalf("without the packages API: %v", err)
	}
	readOnly := ghcr.New(s.Registry, credential.Static{s.Registry.Host: {Username: "reader", Password: "read-only"}}, s.Registry.Host, nil)
	err := deleteV2(t, manage.Registry{Client: c, Kind: kinds.GitHub, API: manage.GHCRAPI(readOnly)}, f).Err()
	if !errors.Is(err, registry.ErrDenied) || !strings.Contains(err.Error(), "delete:packages") || !strings.Contains(err.Error(), "the tag was put back") {
		t.Fatalf("with a token that may not delete: %v", err)
	}
	if at(t, c, f.repo, "v2") != f.digest {
		t.Fatal("v2 was not put back")
	}
	api := ghcr.New(s.Registry, credential.Static{s.Registry.Host: {Username: "octocat", Password: "pat"}}, s.Registry.Host, nil)
	if err := deleteV2(t, manage.Registry{Client: c, Kind: kinds.GitHub, API: manage.GHCRAPI(api)}, f).Err(); err != nil {
		t.Fatal(err)
	}
	checkTwoStay(t, c, f)
}

// Harbor deletes one tag through its API, for a member of the project.
func TestDeleteOnHarbor(t *testing.T) {
	robot := "robot$team+ci"
	cfg := rt.HarborConfig(map[string]string{robot: "secret"}, &rt.Harbor{Members: map[string][]string{"team": {robot}}})
	cfg.Blank = true
	s := rt.Serve(t, cfg)
	c := signedIn(s.Registry, robot, "secret")
	f := pushThreeTo(t, c, s.Registry, "team/app", &authn.Basic{Username: robot, Password: "secret"})
	h := harbor.New(s.Registry, credential.Static{s.Registry.Host: {Username: robot, Password: "secret"}}, nil)
	if err := deleteV2(t, manage.Registry{Client: c, Kind: kinds.Harbor, API: manage.HarborAPI(h)}, f).Err(); err != nil {
		t.Fatal(err)
	}
	checkTwoStay(t, c, f)
}

// GitLab deletes one tag through its API, the project found from the
// repository's path.
func TestDeleteOnGitLab(t *testing.T) {
	cfg := rt.GitLabConfig(map[string]string{"dev": "glpat"}, &rt.GitLab{
		Projects: map[string][]string{"group/project": {"group/project/app"}}, Tokens: map[string]bool{"glpat": true}})
	cfg.Blank = true
	s := rt.Serve(t, cfg)
	c := signedIn(s.Registry, "dev", "glpat")
	f := pushThreeTo(t, c, s.Registry, "group/project/app", &authn.Basic{Username: "dev", Password: "glpat"})
	g := gitlab.New(s.Registry, credential.Static{s.Registry.Host: {Username: "dev", Password: "glpat"}}, nil)
	if err := deleteV2(t, manage.Registry{Client: c, Kind: kinds.GitLab, API: manage.GitLabAPI(g, "")}, f).Err(); err != nil {
		t.Fatal(err)
	}
	checkTwoStay(t, c, f)
}

// ECR is refused in a sentence that says what to run; nothing is asked.
func TestDeleteOnECR(t *testing.T) {
	s := rt.Serve(t, rt.Config{Blank: true})
	c := registry.New(s.Registry)
	f := pushThree(t, c, s.Registry)
	writes := s.WriteRequests()
	err := deleteV2(t, manage.Registry{Client: c, Kind: kinds.ECR}, f).Err()
	if err == nil || !strings.Contains(err.Error(), "aws ecr batch-delete-image --repository-name team/app --image-ids imageTag=v2") {
		t.Fatalf("%v", err)
	}
	if s.WriteRequests() != writes {
		t.Error("a refused delete wrote to the registry")
	}
}

// A login that may read but not delete is told so; nothing moves.
func TestDeleteWithoutPermission(t *testing.T) {
	s := rt.Serve(t, rt.Config{Blank: true, Ping: rt.Bearer, Default: rt.Bearer,
		Users: map[string]string{"writer": "w", "reader": "r"}, PullOnly: map[string]bool{"reader": true}})
	f := pushThreeTo(t, signedIn(s.Registry, "writer", "w"), s.Registry, "team/app", &authn.Basic{Username: "writer", Password: "w"})
	c := signedIn(s.Registry, "reader", "r")
	err := deleteV2(t, manage.Registry{Client: c}, f).Err()
	if !errors.Is(err, registry.ErrDenied) || !strings.Contains(err.Error(), "repository:team/app:delete") {
		t.Fatalf("%v", err)
	}
	t.Log(err)
	for _, tag := range []string{"v1", "v2", "v3"} {
		if at(t, c, f.repo, tag) != f.digest {
			t.Errorf("%s moved", tag)
		}
	}
}
