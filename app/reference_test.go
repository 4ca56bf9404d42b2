package app

import (
	"errors"
	"strings"
	"testing"

	"github.com/card-catalog/card-catalog/registry"
)

func TestParseOtherReferenceSpeaksWords(t *testing.T) {
	reg := registry.Registry{Host: "127.0.0.1:5000", PlainHTTP: true}
	for text, want := range map[string]string{
		"library/python:3.12": "library/python:3.12",
		" team/app ":          "team/app:latest",
		"team/app@sha256:" + strings.Repeat("a", 64): "team/app@sha256:" + strings.Repeat("a", 64),
	} {
		ref, err := ParseOtherReference(reg, text)
		if err != nil || ref.Registry != reg || strings.TrimPrefix(ref.String(), reg.String()+"/") != want {
			t.Errorf("%q: %v, %v", text, ref, err)
		}
	}
	for text, want := range map[string]string{
		"":                      "Type a repository and its tag",
		"library/python:":       "Type a tag after “library/python:”.",
		"Library/Python:3":      "“Library/Python” is not a repository name",
		"library/python:3 11":   "“3 11” is not a tag",
		"library/python@sha256": "After @ comes a digest",
	} {
		_, err := ParseOtherReference(reg, text)
		if !errors.Is(err, registry.ErrInvalidReference) || !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "127.0.0.1") {
			t.Errorf("%q: %v", text, err)
		}
	}
	hub := registry.Registry{Host: "registry-1.docker.io"}
	if ref, err := ParseOtherReference(hub, "python:3"); err != nil || ref.Repository != "library/python" {
		t.Errorf("Docker Hub's python: %v %v", ref, err)
	}
}
