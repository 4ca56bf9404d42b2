package kinds

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
	"github.com/card-catalog/card-catalog/registry/host"
)

// Kind is the service a registry is: each has its address pattern, its way
// of signing in, and its own way of listing repositories.
type Kind string

const (
	Other     Kind = ""
	DockerHub Kind = "dockerhub"
	GitHub    Kind = "github"
	Quay      Kind = "quay"
	ECR       Kind = "ecr"
	Google    Kind = "google" // Artifact Registry, REGION-docker.pkg.dev
	GCR       Kind = "gcr"
	Azure     Kind = "azure"
	Harbor    Kind = "harbor"
	GitLab    Kind = "gitlab"
)

// Field is a part of the address a kind asks for (an ECR account and
// region, an Azure registry's name).
type Field struct {
	Label, Placeholder string
	// Valid reports whether a value may go into the address.
	Valid func(string) bool
}

// Info is what Card Catalog knows of one kind of registry.
type Info struct {
	Kind  Kind
	Label string
	// Address is the fixed address ("ghcr.io"), or the default one.
	Address string
	// Fields make the address with Compose; none: the address is typed.
	Fields  []Field
	Compose func(values []string) string
	// Placeholder is the address field's example.
	Placeholder string
	// SignIn says in a sentence what to type to sign in; User is the user
	// name the kind always uses ("AWS"), filled in for the person.
	SignIn, User string
	// Helpers are the docker-credential-* helpers that give its logins.
	Helpers []string
	// LoginLife is how long its logins last, when they run out by design
	// (ECR's 12 hours); Renew says what to do then, and HelperRenew what to
	// do when its helper gives no fresh one.
	LoginLife   time.Duration
	Renew       string
	HelperRenew string
	// matches reports whether a host is of this kind.
	matches func(host string) bool
}

var (
	ecrHost     = regexp.MustCompile(`^(\d{12})\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$`)
	awsAccount  = regexp.MustCompile(`^\d{12}$`)
	cloudRegion = regexp.MustCompile(`^[a-z]{2,}(-[a-z0-9]+){1,3}$`)
	azureName   = regexp.MustCompile(`^[a-z0-9]{5,50}$`)
)

// All are the kinds the add dialog offers, in its order.
var All = []Info{
	{Kind: DockerHub, Label: "Docker Hub", Address: "docker.io",
		SignIn:  "Your Docker ID and a personal access token (Account settings → Personal access tokens) rather than your password.",
		matches: func(h string) bool { return h == host.DockerHub }},
	{Kind: GitHub, Label: "GitHub (ghcr.io)", Address: "ghcr.io",
		SignIn:  "Your GitHub user name and a personal access token (classic) with the read:packages scope.",
		matches: func(h string) bool { return h == "ghcr.io" }},
	{Kind: Quay, Label: "Quay", Address: "quay.io",
		SignIn:  "Your Quay user name and an encrypted password, or a robot account: namespace+robotname with the robot's token.",
		matches: func(h string) bool { return h == "quay.io" || strings.HasSuffix(h, ".quay.io") }},
	{Kind: ECR, Label: "Amazon ECR",
		Fields: []Field{
			{Label: "Account", Placeholder: "123456789012", Valid: awsAccount.MatchString},
			{Label: "Region", Placeholder: "eu-west-1", Valid: cloudRegion.MatchString},
		},
		Compose:     func(v []string) string { return v[0] + ".dkr.ecr." + v[1] + ".amazonaws.com" },
		Placeholder: "ACCOUNT.dkr.ecr.REGION.amazonaws.com",
		SignIn:      "User AWS; the password is what `aws ecr get-login-password --region REGION` prints. It lasts 12 hours.",
		User:        "AWS", Helpers: []string{"ecr-login"}, LoginLife: 12 * time.Hour,
		Renew:       "ECR logins last 12 hours: run `aws ecr get-login-password` and sign in again with its output, or install docker-credential-ecr-login to renew it by itself.",
		HelperRenew: "The helper signs in with your AWS credentials: renew them (`aws sso login`, or the keys in ~/.aws), then Retry.",
		matches:     ecrHost.MatchString},
	{Kind: Google, Label: "Google Artifact Registry",
		Fields:      []Field{{Label: "Location", Placeholder: "europe-west1", Valid: cloudRegion.MatchString}},
		Compose:     func(v []string) string { return v[0] + "-docker.pkg.dev" },
		Placeholder: "LOCATION-docker.pkg.dev",
		SignIn:      googleSignIn, User: "oauth2accesstoken", Helpers: googleHelpers, LoginLife: time.Hour, Renew: googleRenew,
		HelperRenew: googleHelperRenew,
		matches:     func(h string) bool { return strings.HasSuffix(h, "-docker.pkg.dev") }},
	{Kind: GCR, Label: "Google Container Registry", Address: "gcr.io",
		Placeholder: "gcr.io, eu.gcr.io, us.gcr.io, asia.gcr.io",
		SignIn:      googleSignIn, User: "oauth2accesstoken", Helpers: googleHelpers, LoginLife: time.Hour, Renew: googleRenew,
		HelperRenew: googleHelperRenew,
		matches:     func(h string) bool { return h == "gcr.io" || strings.HasSuffix(h, ".gcr.io") }},
	{Kind: Azure, Label: "Azure Container Registry",
		Fields:      []Field{{Label: "Registry name", Placeholder: "myregistry", Valid: azureName.MatchString}},
		Compose:     func(v []string) string { return v[0] + ".azurecr.io" },
		Placeholder: "NAME.azurecr.io",
		SignIn:      "The admin user and its password, a token's name and password, or user " + azureTokenUser + " with what `az acr login --name NAME --expose-token` prints (an identity token, about 3 hours).",
		Helpers:     []string{"acr-env"}, LoginLife: 3 * time.Hour,
		Renew:       "Azure identity tokens last about 3 hours: run `az acr login --expose-token` and sign in again, or check the token's or admin user's password.",
		HelperRenew: "The helper signs in with the AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and AZURE_TENANT_ID it reads: check them, then Retry.",
		matches:     func(h string) bool { return strings.HasSuffix(h, ".azurecr.io") || strings.HasSuffix(h, ".azurecr.cn") }},
	{Kind: Harbor, Label: "Harbor", Placeholder: "harbor.example.com",
		SignIn: "A Harbor user and password (the CLI secret when Harbor signs in through OIDC), or a robot account: robot$project+name with its secret. Card Catalog lists the projects you may see."},
	{Kind: GitLab, Label: "GitLab", Address: "registry.gitlab.com",
		Fields: []Field{
			{Label: "Project", Placeholder: "group/project or its ID (to list its repositories)", Valid: validGitLabProject},
			{Label: "GitLab", Placeholder: "gitlab.example.com (default: the registry's address without registry.)", Valid: validAddress},
		},
		Placeholder: "registry.gitlab.com",
		SignIn:      "Your GitLab user name and a personal access token with read_registry (and read_api to list the project's repositories), or a deploy token.",
		matches:     func(h string) bool { return h == "registry.gitlab.com" }},
	{Kind: Other, Label: "Other", Placeholder: "registry.example.com, localhost:5000",
		SignIn: "The user name and password (or access token) of this registry."},
}

// Artifact Registry and GCR sign in alike.
const (
	googleSignIn = "User oauth2accesstoken with what `gcloud auth print-access-token` prints (it lasts an hour), or user _json_key with a service account's JSON key."
	googleRenew  = "Google access tokens last an hour: run `gcloud auth print-access-token` and sign in again with user oauth2accesstoken, or install docker-credential-gcloud (`gcloud auth configure-docker`)."

	googleHelperRenew = "The helper signs in as gcloud's account: run `gcloud auth login`, then Retry."
)

var googleHelpers = []string{"gcloud", "gcr"}

// azureTokenUser is the user name that says the password is an identity
// token (a refresh token), not a password.
const azureTokenUser = "00000000-0000-0000-0000-000000000000"

func validGitLabProject(s string) bool {
	s = strings.Trim(s, "/")
	return s == "" || registry.ValidRepositoryName(strings.ToLower(s)) || strings.Trim(s, "0123456789") == ""
}

// validAddress: empty, or a registry address.
func validAddress(s string) bool {
	_, err := registry.ParseRegistry(s)
	return s == "" || err == nil
}

// Of is what Card Catalog knows of kind k.
func Of(k Kind) Info {
	for _, info := range All {
		if info.Kind == k {
			return info
		}
	}
	return Of(Other)
}

// Detect tells a registry's kind by its host; Harbor and registries
// of other kinds on hosts of their own are Other.
func Detect(h string) Kind {
	h = host.Canonical(strings.ToLower(h))
	for _, info := range All {
		if info.matches != nil && info.matches(h) {
			return info.Kind
		}
	}
	return Other
}

// LoginName is how a login's user is shown: Azure's token user as what it
// stands for.
func LoginName(user string) string {
	if user == azureTokenUser {
		return "identity token"
	}
	return user
}

// LoginCredential is the credential a login typed for e stands for: for
// Azure's token user the password is an identity token.
func LoginCredential(user, password string) credential.Credential {
	if user == azureTokenUser {
		return credential.Credential{Username: user, IdentityToken: password}
	}
	return credential.Credential{Username: user, Password: password}
}

// Helpers asks the credential helpers of each kind for the logins of that
// kind's hosts, without any config naming them; kindOf says a host's kind. (A helper two kinds share, gcloud, stands once for each: a host is
// of one kind only.)
func Helpers(kindOf func(host string) Kind) credential.Chain {
	var out credential.Chain
	for _, info := range All {
		for _, name := range info.Helpers {
			out = append(out, credential.Helper{Name: name, For: func(h string) bool { return kindOf(h) == info.Kind }})
		}
	}
	return out
}

// HelperLogin says which of a kind's credential helpers is installed and
// whether it gives a login for host: found is the helper's program (""
// when none is installed), user the login's user when it gives one. It
// runs the helper: call it from the pool.
func HelperLogin(ctx context.Context, info Info, host string) (found, user string, err error) {
	for _, name := range info.Helpers {
		h := credential.Helper{Name: name}
		if !h.Installed() {
			continue
		}
		cred, ok, err := h.Ask(ctx, host)
		if err != nil {
			return h.Program(), "", err
		}
		if ok {
			return h.Program(), cred.Username, nil
		}
		found = h.Program()
	}
	return found, "", nil
}

// LoginExpired reports whether err means a login of this kind has run
// out: the registry said so, or refused a kept login of a kind whose
// logins last hours. (A login is tested before it is kept, so a kept one
// refused is one that expired.)
func LoginExpired(info Info, err error) bool {
	if errors.Is(err, registry.ErrLoginExpired) {
		return true
	}
	return errors.Is(err, registry.ErrLoginRejected) && info.LoginLife > 0
}
