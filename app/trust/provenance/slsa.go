package provenance

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Predicate types of build provenance.
const (
	PredicateSLSAv02 = "https://slsa.dev/provenance/v0.2"
	PredicateSLSAv1  = "https://slsa.dev/provenance/v1"
)

// Provenance is what a build provenance claims, in fields a person reads.
// Empty fields were not in the statement.
type Provenance struct {
	// Version is "SLSA provenance v0.2" or "SLSA provenance v1".
	Version string `json:"version,omitempty"`
	// Builder is who ran the build: a GitHub Actions runner, BuildKit.
	Builder   string `json:"builder,omitempty"`
	BuildType string `json:"buildType,omitempty"`
	// Repository and Commit are the source built; Ref the branch or tag.
	Repository string `json:"repository,omitempty"`
	Commit     string `json:"commit,omitempty"`
	Ref        string `json:"ref,omitempty"`
	// Workflow is the CI file that ran (.github/workflows/release.yml),
	// or BuildKit's Dockerfile.
	Workflow string `json:"workflow,omitempty"`
	// Invocation identifies the run (a GitHub Actions run URL).
	Invocation string    `json:"invocation,omitempty"`
	Started    time.Time `json:"started,omitzero"`
	Finished   time.Time `json:"finished,omitzero"`
	// Materials are the inputs the build names (sources, base images).
	Materials []Material `json:"materials,omitempty"`
}

// Material is one input of a build.
type Material struct {
	URI    string            `json:"uri"`
	Digest map[string]string `json:"digest,omitempty"`
}

// IsProvenance says whether a predicate type is a build provenance.
func IsProvenance(pt string) bool {
	return pt == PredicateSLSAv02 || pt == PredicateSLSAv1
}

// Summarize reads a provenance statement's predicate.
func Summarize(s *Statement) (*Provenance, error) {
	switch s.PredicateType {
	case PredicateSLSAv02:
		return summarizeV02(s.Predicate)
	case PredicateSLSAv1:
		return summarizeV1(s.Predicate)
	}
	return nil, fmt.Errorf("%w: %s is not a build provenance", ErrMalformed, PredicateName(s.PredicateType))
}

type digestSet map[string]string

type materialWire struct {
	URI    string    `json:"uri"`
	Digest digestSet `json:"digest"`
}

type buildKitMeta struct {
	VCS struct {
		Source   string `json:"source"`
		Revision string `json:"revision"`
	} `json:"vcs"`
}

func summarizeV02(raw json.RawMessage) (*Provenance, error) {
	var p struct {
		Builder    struct{ ID string } `json:"builder"`
		BuildType  string              `json:"buildType"`
		Invocation struct {
			ConfigSource struct {
				URI        string    `json:"uri"`
				Digest     digestSet `json:"digest"`
				EntryPoint string    `json:"entryPoint"`
			} `json:"configSource"`
			Environment map[string]any `json:"environment"`
		} `json:"invocation"`
		Metadata struct {
			BuildInvocationID string       `json:"buildInvocationID"`
			BuildStartedOn    *time.Time   `json:"buildStartedOn"`
			BuildFinishedOn   *time.Time   `json:"buildFinishedOn"`
			BuildKit          buildKitMeta `json:"https://mobyproject.org/buildkit@v1#metadata"`
		} `json:"metadata"`
		Materials []materialWire `json:"materials"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("%w: SLSA provenance v0.2: %v", ErrMalformed, err)
	}
	out := &Provenance{
		Version: "SLSA provenance v0.2", Builder: clamp(p.Builder.ID), BuildType: clamp(p.BuildType),
		Workflow: clamp(p.Invocation.ConfigSource.EntryPoint), Invocation: clamp(p.Metadata.BuildInvocationID),
		Started: timeOf(p.Metadata.BuildStartedOn), Finished: timeOf(p.Metadata.BuildFinishedOn),
		Materials: materials(p.Materials),
	}
	repo, ref := splitGitURI(p.Invocation.ConfigSource.URI)
	out.Repository, out.Ref = repo, ref
	out.Commit = firstDigest(p.Invocation.ConfigSource.Digest, "sha1", "gitCommit")
	if vcs := p.Metadata.BuildKit.VCS; vcs.Source != "" {
		out.Repository, out.Commit = clamp(vcs.Source), clamp(vcs.Revision)
	}
	// GitHub's v0.2 generators put the repository and ref in the
	// environment too.
	if env := p.Invocation.Environment; out.Repository == "" && env != nil {
		if r, ok := env["github_repository"].(string); ok {
			out.Repository = "https://github.com/" + clamp(r)
		}
		if sha, ok := env["github_sha1"].(string); ok {
			out.Commit = clamp(sha)
		}
	}
	return out, nil
}

func summarizeV1(raw json.RawMessage) (*Provenance, error) {
	var p struct {
		BuildDefinition struct {
			BuildType          string                     `json:"buildType"`
			ExternalParameters map[string]json.RawMessage `json:"externalParameters"`
			ResolvedDeps       []materialWire             `json:"resolvedDependencies"`
		} `json:"buildDefinition"`
		RunDetails struct {
			Builder  struct{ ID string } `json:"builder"`
			Metadata struct {
				InvocationID string       `json:"invocationId"`
				StartedOn    *time.Time   `json:"startedOn"`
				FinishedOn   *time.Time   `json:"finishedOn"`
				BuildKit     buildKitMeta `json:"https://mobyproject.org/buildkit@v1#metadata"`
			} `json:"metadata"`
		} `json:"runDetails"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("%w: SLSA provenance v1: %v", ErrMalformed, err)
	}
	bd, rd := p.BuildDefinition, p.RunDetails
	out := &Provenance{
		Version: "SLSA provenance v1", Builder: clamp(rd.Builder.ID), BuildType: clamp(bd.BuildType),
		Invocation: clamp(rd.Metadata.InvocationID),
		Started:    timeOf(rd.Metadata.StartedOn), Finished: timeOf(rd.Metadata.FinishedOn),
		Materials: materials(bd.ResolvedDeps),
	}
	if raw, ok := bd.ExternalParameters["workflow"]; ok {
		// GitHub Actions: {"ref", "repository", "path"}.
		var w struct{ Ref, Repository, Path string }
		if json.Unmarshal(raw, &w) == nil {
			out.Workflow, out.Ref, out.Repository = clamp(w.Path), clamp(w.Ref), clamp(w.Repository)
		}
	}
	if raw, ok := bd.ExternalParameters["configSource"]; ok && out.Workflow == "" {
		// BuildKit: {"uri", "digest", "path"}.
		var c struct {
			URI    string    `json:"uri"`
			Digest digestSet `json:"digest"`
			Path   string    `json:"path"`
		}
		if json.Unmarshal(raw, &c) == nil {
			out.Workflow = clamp(c.Path)
			if repo, ref := splitGitURI(c.URI); repo != "" {
				out.Repository, out.Ref = repo, ref
			}
			if commit := firstDigest(c.Digest, "sha1", "gitCommit"); commit != "" {
				out.Commit = commit
			}
		}
	}
	for _, m := range out.Materials {
		// The source checkout is the dependency the repository names.
		if repo, ref := splitGitURI(m.URI); repo != "" && out.Commit == "" {
			if out.Repository == "" || sameRepo(repo, out.Repository) {
				out.Repository, out.Commit = repo, firstDigest(m.Digest, "gitCommit", "sha1")
				if out.Ref == "" {
					out.Ref = ref
				}
			}
		}
	}
	if vcs := rd.Metadata.BuildKit.VCS; vcs.Source != "" {
		out.Repository, out.Commit = clamp(vcs.Source), clamp(vcs.Revision)
	}
	return out, nil
}

func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func materials(ms []materialWire) []Material {
	if len(ms) > maxMaterials {
		ms = ms[:maxMaterials]
	}
	out := make([]Material, 0, len(ms))
	for _, m := range ms {
		d := map[string]string{}
		for alg, v := range m.Digest {
			if len(d) < 8 {
				d[clamp(alg)] = clamp(v)
			}
		}
		out = append(out, Material{URI: clamp(m.URI), Digest: d})
	}
	return out
}

func firstDigest(d digestSet, algs ...string) string {
	for _, a := range algs {
		if v := d[a]; v != "" {
			return clamp(v)
		}
	}
	return ""
}

// splitGitURI reads "git+https://github.com/org/repo@refs/heads/main" into
// the repository and the ref; "" for a URI that names no git source.
func splitGitURI(uri string) (repo, ref string) {
	rest, ok := strings.CutPrefix(uri, "git+")
	if !ok {
		return "", ""
	}
	repo, ref, _ = strings.Cut(rest, "@")
	return clamp(strings.TrimSuffix(repo, ".git")), clamp(ref)
}

// sameRepo compares "https://github.com/org/repo" with "org/repo" or the
// same URL.
func sameRepo(url, name string) bool {
	return url == name || strings.HasSuffix(url, "/"+strings.Trim(name, "/"))
}
