package app

import (
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/registry"
)

// ParseOtherReference reads what a person typed to name an image on reg:
// "team/app:1.2", "team/app@sha256:…", or a repository alone (its
// latest). Its errors say in words what is wrong with the text, not with
// the address it would make.
func ParseOtherReference(reg registry.Registry, text string) (registry.Reference, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return registry.Reference{}, invalid("Type a repository and its tag (library/python:3.12) or digest (…@sha256:…).")
	}
	ref := registry.Reference{Registry: reg}
	repo, digest, byDigest := strings.Cut(text, "@")
	tag := ""
	if i := strings.LastIndexByte(repo, ':'); !byDigest && i > strings.LastIndexByte(repo, '/') {
		repo, tag = repo[:i], repo[i+1:]
		if tag == "" {
			return ref, invalid(fmt.Sprintf("Type a tag after “%s:”.", repo))
		}
	}
	if reg.IsDockerHub() && !strings.Contains(repo, "/") {
		repo = "library/" + repo
	}
	switch {
	case !registry.ValidRepositoryName(repo):
		return ref, invalid(fmt.Sprintf("“%s” is not a repository name: lower-case letters and digits, with . _ or - between them, in parts joined by /.", repo))
	case byDigest:
		if _, err := v1.NewHash(digest); err != nil {
			return ref, invalid("After @ comes a digest: sha256: and its 64 hexadecimal digits.")
		}
		ref.Digest = digest
	case tag == "":
		ref.Tag = "latest"
	case !registry.ValidTag(tag):
		return ref, invalid(fmt.Sprintf("“%s” is not a tag: up to 128 letters, digits, _ . and -, not starting with . or -.", tag))
	default:
		ref.Tag = tag
	}
	ref.Repository = repo
	return ref, nil
}

// invalid is an ErrInvalidReference that says only words.
func invalid(words string) error { return &wordsError{words: words} }

type wordsError struct{ words string }

func (e *wordsError) Error() string { return e.words }
func (e *wordsError) Unwrap() error { return registry.ErrInvalidReference }
