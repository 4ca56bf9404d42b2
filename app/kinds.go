package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
	"github.com/card-catalog/card-catalog/registry/host"
)

// Kind is the service a registry is: each has its address pattern, its way
// of signing in, and its own way of listing repositories.
type Kind string

const (
	KindOther     Kind = ""
	KindDockerHub Kind = "dockerhub"
	KindGitHub    Kind = "github"
	KindQuay      Kind = "quay"
	KindECR       Kind = "ecr"
	KindGoogle    Kind = "google" // Artifact Registry, REGION-docker.pkg.dev
	KindGCR       Kind = "gcr"
	KindAzure     Kind = "azure"
	KindHarbor    Kind = "harbor"
	KindGitLab    Kind = "gitlab"
)

// KindField is a part of the address a kind asks for (an ECR account and
// region, an Azure registry's name).
type KindField struct {
	Label, Placeholder string
	// Valid reports whether a value may go into the address.
	Valid func(string) bool
}

// KindInfo is what Card Catalog knows of one kind of registry.
type KindInfo struct {
	Kind  Kind
	Label string
	// Address is the fixed address ("ghcr.io"), or the default one.
	Address string
	// Fields make the address with Compose; none: the address is typed.
	Fields  []KindField
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

// Kinds are the kinds the add dialog offers, in its order.
var Kinds = []KindInfo{
	{Kind: KindDockerHub, Label: "Docker Hub", Address: "docker.io",
		SignIn:  "Your Docker ID and a personal access token (Account settings → Personal access tokens) rather than your password.",
		matches: func(h string) bool { return h == host.DockerHub }},
	{Kind: KindGitHub, Label: "GitHub (ghcr.io)", Address: "ghcr.io",
		SignIn:  "Your GitHub user name and a personal access token (classic) with the read:packages scope.",
		matches: func(h string) bool { return h == "ghcr.io" }},
	{Kind: KindQuay, Label: "Quay", Address: "quay.io",
		SignIn:  "Your Quay user name and an encrypted password, or a robot account: namespace+robotname with the robot's token.",
		matches: func(h string) bool { return h == "quay.io" || strings.HasSuffix(h, ".quay.io") }},
	{Kind: KindECR, Label: "Amazon ECR",
		Fields: []KindField{
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
	{Kind: KindGoogle, Label: "Google Artifact Registry",
		Fields:      []KindField{{Label: "Location", Placeholder: "europe-west1", Valid: cloudRegion.MatchString}},
		Compose:     func(v []string) string { return v[0] + "-docker.pkg.dev" },
		Placeholder: "LOCATION-docker.pkg.dev",
		SignIn:      googleSignIn, User: "oauth2accesstoken", Helpers: googleHelpers, LoginLife: time.Hour, Renew: googleRenew,
		HelperRenew: googleHelperRenew,
		matches:     func(h string) bool { return strings.HasSuffix(h, "-docker.pkg.dev") }},
	{Kind: KindGCR, Label: "Google Container Registry", Address: "gcr.io",
		Placeholder: "gcr.io, eu.gcr.io, us.gcr.io, asia.gcr.io",
		SignIn:      googleSignIn, User: "oauth2accesstoken", Helpers: googleHelpers, LoginLife: time.Hour, Renew: googleRenew,
		HelperRenew: googleHelperRenew,
		matches:     func(h string) bool { return h == "gcr.io" || strings.HasSuffix(h, ".gcr.io") }},
	{Kind: KindAzure, Label: "Azure Container Registry",
		Fields:      []KindField{{Label: "Registry name", Placeholder: "myregistry", Valid: azureName.MatchString}},
		Compose:     func(v []string) string { return v[0] + ".azurecr.io" },
		Placeholder: "NAME.azurecr.io",
		SignIn:      "The admin user and its password, a token's name and password, or user " + azureTokenUser + " with what `az acr login --name NAME --expose-token` prints (an identity token, about 3 hours).",
		Helpers:     []string{"acr-env"}, LoginLife: 3 * time.Hour,
		Renew:       "Azure identity tokens last about 3 hours: run `az acr login --expose-token` and sign in again, or check the token's or admin user's password.",
		HelperRenew: "The helper signs in with the AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and AZURE_TENANT_ID it reads: check them, then Retry.",
		matches:     func(h string) bool { return strings.HasSuffix(h, ".azurecr.io") || strings.HasSuffix(h, ".azurecr.cn") }},
	{Kind: KindHarbor, Label: "Harbor", Placeholder: "harbor.example.com",
		SignIn: "A Harbor user and password (the CLI secret when Harbor signs in through OIDC), or a robot account: robot$project+name with its secret. Card Catalog lists the projects you may see."},
	{Kind: KindGitLab, Label: "GitLab", Address: "registry.gitlab.com",
		Fields: []KindField{
			{Label: "Project", Placeholder: "group/project or its ID (to list its repositories)", Valid: validGitLabProject},
			{Label: "GitLab", Placeholder: "gitlab.example.com (default: the registry's address without registry.)", Valid: validAddress},
		},
		Placeholder: "registry.gitlab.com",
		SignIn:      "Your GitLab user name and a personal access token with read_registry (and read_api to list the project's repositories), or a deploy token.",
		matches:     func(h string) bool { return h == "registry.gitlab.com" }},
	{Kind: KindOther, Label: "Other", Placeholder: "registry.example.com, localhost:5000",
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

// KindOf is what Card Catalog knows of kind k.
func KindOf(k Kind) KindInfo {
	for _, info := range Kinds {
		if info.Kind == k {
			return info
		}
	}
	return KindOf(KindOther)
}

// DetectKind tells a registry's kind by its host; Harbor and registries
// of other kinds on hosts of their own are KindOther.
func DetectKind(h string) Kind {
	h = host.Canonical(strings.ToLower(h))
	for _, info := range Kinds {
		if info.matches != nil && info.matches(h) {
			return info.Kind
		}
	}
	return KindOther
}

// KindInfo is e's kind: the one chosen when it was added, else the one
// its host tells.
func (e Entry) KindInfo() KindInfo {
	if e.Kind != "" {
		return KindOf(e.Kind)
	}
	if reg, err := e.Registry(); err == nil {
		return KindOf(DetectKind(reg.Host))
	}
	return KindOf(KindOther)
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

// kindHelpers asks the credential helpers of each kind for the logins of
// that kind's hosts, without any config naming them; kindOf says a host's
// kind. (A helper two kinds share, gcloud, stands once for each: a host is
// of one kind only.)
func kindHelpers(kindOf func(host string) Kind) credential.Chain {
	var out credential.Chain
	for _, info := range Kinds {
		for _, name := range info.Helpers {
			out = append(out, credential.Helper{Name: name, For: func(h string) bool { return kindOf(h) == info.Kind }})
		}
	}
	return out
}

// HeadlessCredentials are the logins of the headless commands: the
// keychain, Podman's and Docker's files, then the helpers of each host's
// kind, as the window's settings s know it.
func HeadlessCredentials(s Settings) credential.Source {
	return credential.Chain{credential.Default(), kindHelpers(s.kindOfHost)}
}

// HelperLogin says which of a kind's credential helpers is installed and
// whether it gives a login for e: found is the helper's program ("" when
// none is installed), user the login's user when it gives one. It runs
// the helper: call it from the pool.
func HelperLogin(ctx context.Context, e Entry) (found, user string, err error) {
	reg, err := e.Registry()
	if err != nil {
		return "", "", err
	}
	for _, name := range e.KindInfo().Helpers {
		h := credential.Helper{Name: name}
		if !h.Installed() {
			continue
		}
		cred, ok, err := h.Ask(ctx, reg.Host)
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

// loginExpired reports whether err means e's login has run out: the
// registry said so, or refused a kept login of a kind whose logins last
// hours. (A login is tested before it is kept, so a kept one refused is
// one that expired.)
func loginExpired(e Entry, err error) bool {
	if errors.Is(err, registry.ErrLoginExpired) {
		return true
	}
	return errors.Is(err, registry.ErrLoginRejected) && e.KindInfo().LoginLife > 0
}

// EntryStatus is StatusOf, with what e's kind knows: a refused login of a
// kind whose logins run out is said to have expired.
func EntryStatus(e Entry, err error) Status {
	s := StatusOf(err)
	if loginExpired(e, err) {
		s.State, s.Detail = Rejected, "login expired"
	}
	return s
}

// ExplainEntry is Explain for a sidebar entry: an expired login says how
// to renew it.
func ExplainEntry(e Entry, err error) string {
	if loginExpired(e, err) {
		info := e.KindInfo()
		var helper *registry.HelperLoginError
		if errors.As(err, &helper) {
			// Asked again, the helper gave the same login: what it signs in
			// with has run out, not the helper.
			return fmt.Sprintf("The login %s gives for %s has expired, and it gave no fresh one when asked again. %s",
				helper.Helper, e.Name, cmp.Or(info.HelperRenew, "Renew the login the helper uses, then Retry."))
		}
		if info.Renew != "" {
			return fmt.Sprintf("The login for %s has expired. %s", e.Name, info.Renew)
		}
		return fmt.Sprintf("The login for %s has expired: sign in again.", e.Name)
	}
	return Explain(e.Name, err)
}

// kindOfHost is the kind of the sidebar entry with that host (as chosen
// when it was added), else the one the host tells.
func (s Settings) kindOfHost(h string) Kind {
	for _, e := range s.Registries {
		if reg, err := e.Registry(); err == nil && reg.Host == h && e.Kind != "" {
			return e.Kind
		}
	}
	return DetectKind(h)
}

// kindOfHost is kindOfHost of the entries now in the sidebar.
func (a *App) kindOfHost(h string) Kind { return Settings{Registries: a.Entries()}.kindOfHost(h) }

// AskHelper runs HelperLogin in the background; done gets its answer on a
// pool goroutine.
func (a *App) AskHelper(ctx context.Context, e Entry, done func(found, user string, err error)) {
	type answer struct{ found, user string }
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{Kind: "helper", Name: e.ID}, pool.PriorityUser, func(ctx context.Context) (answer, error) {
		found, user, err := HelperLogin(ctx, e)
		return answer{found, user}, err
	}, func(r answer, err error) { done(r.found, r.user, err) })
}

// probeFor bounds how long a probe waits for an address to answer.
const probeFor = 10 * time.Second

// Probe asks, in the background, whether a registry not yet in the sidebar
// answers at e's address as e says it speaks (HTTPS or plain HTTP): nil,
// or a refusal of anonymous users, means it answers as a registry. No login
// is looked up and nothing is kept of it.
func (a *App) Probe(ctx context.Context, e Entry, done func(error)) {
	pool.Submit(a.jobs, ctx, "probe", pool.Key{}, pool.PriorityUser, func(ctx context.Context) (struct{}, error) {
		reg, err := e.Registry()
		if err != nil {
			return struct{}{}, err
		}
		ctx, cancel := context.WithTimeout(ctx, probeFor)
		defer cancel()
		return struct{}{}, registry.New(reg, append([]registry.Option{registry.WithLogger(a.log)}, a.options...)...).Ping(ctx)
	}, func(_ struct{}, err error) { done(err) })
}

// Answers reports whether err, from Probe, still means that a registry
// answered: it asks for a login, or refuses anonymous users.
func Answers(err error) bool {
	return err == nil || errors.Is(err, registry.ErrAuthRequired) || errors.Is(err, registry.ErrDenied) ||
		errors.Is(err, registry.ErrLoginService)
}
