package kinds_test

import (
	"testing"

	"github.com/card-catalog/card-catalog/app/kinds"
)

func TestDetect(t *testing.T) {
	for host, want := range map[string]kinds.Kind{
		"123456789012.dkr.ecr.eu-west-1.amazonaws.com":      kinds.ECR,
		"123456789012.dkr.ecr-fips.us-east-1.amazonaws.com": kinds.ECR,
		"12345.dkr.ecr.eu-west-1.amazonaws.com":             kinds.Other,
		"europe-west1-docker.pkg.dev":                       kinds.Google,
		"gcr.io":                                            kinds.GCR,
		"eu.gcr.io":                                         kinds.GCR,
		"myregistry.azurecr.io":                             kinds.Azure,
		"registry.gitlab.com":                               kinds.GitLab,
		"docker.io":                                         kinds.DockerHub,
		"ghcr.io":                                           kinds.GitHub,
		"harbor.example.com":                                kinds.Other,
		"evil.azurecr.io.example.com":                       kinds.Other,
	} {
		if got := kinds.Detect(host); got != want {
			t.Errorf("%s: %q, want %q", host, got, want)
		}
	}
	ecr := kinds.Of(kinds.ECR)
	if got := ecr.Compose([]string{"123456789012", "eu-west-1"}); kinds.Detect(got) != kinds.ECR {
		t.Errorf("ECR's composed address %s is not ECR", got)
	}
	if ecr.Fields[0].Valid("12345") || !ecr.Fields[1].Valid("eu-west-1") || ecr.Fields[1].Valid("eu west") {
		t.Error("ECR's fields accept the wrong values")
	}
}
