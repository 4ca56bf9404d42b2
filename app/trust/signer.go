package trust

import (
	"cmp"
	"crypto/x509"
	"strings"

	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"
)

func summarize(cert *x509.Certificate) (certificate.Summary, error) {
	return certificate.SummarizeCertificate(cert)
}

// summarySigner reads a Fulcio certificate's identity: its subject
// alternative name, OIDC issuer, and for GitHub Actions the repository,
// ref, commit, workflow and run.
func summarySigner(s certificate.Summary) Signer {
	x := s.Extensions
	sg := Signer{
		Keyless: true, Identity: s.SubjectAlternativeName, Issuer: x.Issuer,
		Repository: cmp.Or(x.SourceRepositoryURI, x.GithubWorkflowRepository),
		Ref:        cmp.Or(x.SourceRepositoryRef, x.GithubWorkflowRef),
		Commit:     cmp.Or(x.SourceRepositoryDigest, x.GithubWorkflowSHA),
		Workflow:   cmp.Or(workflowPath(x.BuildConfigURI), x.GithubWorkflowName),
		Trigger:    cmp.Or(x.BuildTrigger, x.GithubWorkflowTrigger),
		RunURL:     x.RunInvocationURI,
	}
	return sg
}

// workflowPath is ".github/workflows/release.yml" of
// "https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1".
func workflowPath(uri string) string {
	i := strings.Index(uri, "/.github/workflows/")
	if i < 0 {
		return uri
	}
	p, _, _ := strings.Cut(uri[i+1:], "@")
	return p
}
