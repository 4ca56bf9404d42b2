// Package kinds knows the kinds of registry (Docker Hub, GitHub, Quay,
// ECR, Google, Azure, Harbor, GitLab, any other): how each is addressed,
// how one signs in to it and which credential helpers give its logins, and
// tells a registry's kind by its host.
package kinds
