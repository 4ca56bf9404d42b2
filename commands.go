package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/app/cache"
	"github.com/card-catalog/card-catalog/app/engine"
	"github.com/card-catalog/card-catalog/app/humane"
	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/app/listing"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/credential"
)

const usage = `usage: card-catalog [COMMAND [FLAGS] ARGUMENT]

With no command, card-catalog opens its window. Commands:
  catalog  [--plain-http] [--insecure] [-v] [--project GITLAB-PROJECT] [--namespace HUB-NAMESPACE] REGISTRY
                                                         repository names, one a line, as pages arrive, listed as
                                                         the window lists them: a Harbor that refuses its catalog
                                                         lists the projects you may see, GitLab a project's
                                                         repositories, Docker Hub a namespace (the window's
                                                         project or namespace for the registry, unless given)
  tags     [--plain-http] [--insecure] [-v] REPOSITORY   tags, one a line
  inspect  [--plain-http] [--insecure] [-v] REFERENCE    the manifest, platforms, layers and config as JSON
  files    [--plain-http] [--insecure] [-v] [--platform OS/ARCH[/VARIANT]] [--json] [--layer DIGEST] REFERENCE
                                                         the image's merged filesystem (or one layer as stored),
                                                         one entry a line: mode, size, layer, path
  cat      [--plain-http] [--insecure] [-v] [--platform OS/ARCH[/VARIANT]] REFERENCE PATH
                                                         one file's bytes, symlinks followed inside the image
  diff     [--plain-http] [--insecure] [-v] [--platform OS/ARCH[/VARIANT]] [--json] REFERENCE1 REFERENCE2
                                                         what changed: config, layers, history, then files
                                                         (+ added, - removed, ~ changed); exit 0 same, 1 differ, 2 error
  verify   [--plain-http] [--insecure] [-v] [--json] [--key FILE] [--identity SIGNER] [--issuer URL] [--trusted-root FILE] [--refresh-root] REFERENCE
                                                         who signed the image, how it was built, verified on this
                                                         computer; exit 0 verified, 1 not verified or unsigned, 2 error
  sbom     [--plain-http] [--insecure] [-v] [--platform OS/ARCH[/VARIANT]] [--json] [--search TEXT] [--sort COLUMN] [--desc] REFERENCE
                                                         the packages of the image's SBOM: name, version, type,
                                                         licence, PURL; exit 1 when it has none, 2 error
  login    [--plain-http] [--insecure] [-v] -u USER --password-stdin REGISTRY
                                                         check the login, then keep it in the OS keychain
  logout   REGISTRY                                      remove the login from the OS keychain

  --offline     answer from this computer's copy alone (catalog, tags, inspect, files, cat, diff, verify, sbom); what was never
                fetched is an error
  --no-cache    neither read nor fill this computer's copy
  --plain-http  talk http (a registry on a loopback port)
  --insecure    do not verify the registry's TLS certificate
  -v            log each request to stderr (secrets redacted)
  --platform    the image of an index to read (default: the host's, linux/` + runtime.GOARCH + `)
  --key         verify: the signer's public key (PEM), instead of the keys imported
  --identity    verify: the signer a certificate must name (a trailing * takes any continuation:
                github.com/org/*); --issuer the OIDC issuer that must vouch for it
  --trusted-root  verify: a Sigstore trusted_root.json to use instead of this computer's roots
  --refresh-root  verify: first fetch Sigstore's public-good root through TUF into the cache (online)
`

// commandEnv is what a command runs with.
type commandEnv struct {
	plainHTTP, insecure bool
	user                string
	passwordStdin       bool
	// platform, asJSON and layer are the files and cat flags.
	platform string
	asJSON   bool
	layer    string
	// project and namespace are catalog's GitLab project and Docker Hub
	// namespace.
	project, namespace string
	// offline answers from the cache alone; noCache neither reads nor
	// fills it.
	offline, noCache bool
	cache            *cache.Store
	// engine makes the clients and sources, as the window's does.
	engine *engine.Engine
	// settings are the window's: a registry whose copy it does not keep
	// is not written to by a command either, and a registry's entry there
	// (its kind, its project) is how a command lists and signs in to it.
	settings settings.Settings
	// notes gets what is said beside the answer ("as of 10 min ago").
	notes *notes
	// trust and sbom are verify's and sbom's own flags.
	trust trustFlags
	sbom  sbomFlags
	// args are the arguments after the first (cat's PATH).
	args  []string
	stdin io.Reader
	out   io.Writer
	log   *slog.Logger
}

type command struct {
	run func(context.Context, commandEnv, string) error
	// login takes -u and --password-stdin.
	login bool
	// image takes --platform; json takes --json; files takes --layer;
	// project takes --project and --namespace; cached takes --offline and
	// --no-cache.
	image, json, files, project, cached bool
	// args is how many arguments it takes (default 1).
	args int
	// flags registers the command's own flags.
	flags func(*flag.FlagSet, *commandEnv)
	// exitTwoOnError: an error exits 2, for 1 means an answer ("they
	// differ", "not verified").
	exitTwoOnError bool
}

var commands = map[string]command{
	"catalog": {run: catalogCommand, project: true, cached: true},
	"tags":    {run: tagsCommand, cached: true},
	"inspect": {run: inspectCommand, cached: true},
	"files":   {run: filesCommand, image: true, json: true, files: true, cached: true},
	"cat":     {run: catCommand, image: true, args: 2, cached: true},
	"diff":    {run: diffCommand, image: true, json: true, args: 2, cached: true, exitTwoOnError: true},
	"verify":  {run: verifyCommand, json: true, cached: true, exitTwoOnError: true, flags: func(fs *flag.FlagSet, e *commandEnv) { e.trust.register(fs) }},
	"sbom":    {run: sbomCommand, image: true, json: true, cached: true, exitTwoOnError: true, flags: func(fs *flag.FlagSet, e *commandEnv) { e.sbom.register(fs) }},
	"login":   {run: loginCommand, login: true},
	"logout":  {run: logoutCommand},
}

// runCommand runs a headless command and returns the exit code.
func runCommand(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	name, args := args[0], args[1:]
	cmd, ok := commands[name]
	if !ok {
		if name == "help" || name == "-h" || name == "--help" {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "card-catalog: unknown command %q\n%s", name, usage)
		return 2
	}
	env := commandEnv{stdin: stdin, out: stdout}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&env.plainHTTP, "plain-http", false, "")
	fs.BoolVar(&env.insecure, "insecure", false, "")
	verbose := fs.Bool("v", false, "")
	if cmd.login {
		fs.StringVar(&env.user, "u", "", "")
		fs.BoolVar(&env.passwordStdin, "password-stdin", false, "")
	}
	if cmd.image {
		fs.StringVar(&env.platform, "platform", "", "")
	}
	if cmd.json {
		fs.BoolVar(&env.asJSON, "json", false, "")
	}
	if cmd.files {
		fs.StringVar(&env.layer, "layer", "", "")
	}
	if cmd.project {
		fs.StringVar(&env.project, "project", "", "")
		fs.StringVar(&env.namespace, "namespace", "", "")
	}
	if cmd.cached {
		fs.BoolVar(&env.offline, "offline", false, "")
		fs.BoolVar(&env.noCache, "no-cache", false, "")
	}
	if cmd.flags != nil {
		cmd.flags(fs, &env)
	}
	want := max(cmd.args, 1)
	if err := fs.Parse(args); err != nil || fs.NArg() != want {
		fmt.Fprintf(stderr, "card-catalog %s: expected flags, then %s\n%s", name, [...]string{"", "one argument", "two arguments"}[want], usage)
		return 2
	}
	if env.offline && env.noCache {
		fmt.Fprintf(stderr, "card-catalog %s: --offline reads only the cache that --no-cache leaves out: give one of them\n", name)
		return 2
	}
	env.args = fs.Args()[1:]
	env.log = slog.New(&warningHandler{prefix: "card-catalog " + name + ": warning: ", w: stderr})
	if *verbose {
		env.log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	env.notes = &notes{prefix: "card-catalog " + name + ": ", w: stderr}
	env.settings = windowSettings()
	if cmd.cached && !env.noCache {
		env.cache = openCache(env.log)
		if env.offline && env.cache == nil {
			fmt.Fprintf(stderr, "card-catalog %s: --offline reads this computer's copy, which cannot be opened\n", name)
			return failed(cmd, nil)
		}
	}
	env.engine = engine.New(engine.Options{Credentials: engine.HeadlessCredentials(env.settings), Logger: env.log, ClientOptions: clientOptions, Cache: env.cache})
	err := cmd.run(ctx, env, fs.Arg(0))
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errDiffers), errors.Is(err, errNotVerified), errors.Is(err, errNoSBOM):
		return 1
	}
	fmt.Fprintln(stderr, errorLine(name, err))
	return failed(cmd, err)
}

// failed is the exit status of a command that failed with err: 2 for a
// usage error, and for every error of a command whose 1 is an answer
// (diff's "they differ", verify's "not verified").
func failed(cmd command, err error) int {
	if errors.Is(err, registry.ErrInvalidReference) || errors.Is(err, errUsage) || cmd.exitTwoOnError {
		return 2
	}
	return 1
}

var errUsage = errors.New("usage")

// errorLine is how a command reports its error: one line, whatever the
// registry's words in it hold, with what would mend it when that is known.
func errorLine(command string, err error) string {
	line := "card-catalog " + command + ": " + printable.Line(err.Error())
	if errors.Is(err, registry.ErrPlainHTTP) {
		line += "; if the network to it is yours, give --plain-http"
	}
	return line
}

// warningHandler prints warnings as one plain line each (escaped: their
// words may come from a registry); -v replaces it with the full log.
type warningHandler struct {
	prefix string
	w      io.Writer
}

func (h *warningHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }
func (h *warningHandler) WithAttrs([]slog.Attr) slog.Handler           { return h }
func (h *warningHandler) WithGroup(string) slog.Handler                { return h }

func (h *warningHandler) Handle(_ context.Context, r slog.Record) error {
	_, err := fmt.Fprintln(h.w, h.prefix+printable.Line(r.Message))
	return err
}

func (e commandEnv) registry(arg string) (registry.Registry, error) {
	reg, err := registry.ParseRegistry(arg)
	if err != nil {
		return reg, err
	}
	reg.PlainHTTP = reg.PlainHTTP || e.plainHTTP
	reg.Insecure = e.insecure
	return reg, nil
}

// clientOptions are added to every command's client; tests shorten the
// deadlines and bounds with them.
var clientOptions []registry.Option

func (e commandEnv) client(reg registry.Registry) *registry.Client { return e.engine.Client(reg) }

// source is where a command reads reg's content: through the cache the
// window shares, from it alone with --offline, around it with --no-cache.
func (e commandEnv) source(reg registry.Registry) image.Source {
	return e.engine.Source(reg, e.copyOf(reg))
}

func (e commandEnv) cachedSource(reg registry.Registry) *image.CachedSource {
	return e.engine.CachedSource(reg, e.copyOf(reg))
}

// copyOf is how reg's content is kept: as the window's settings say.
func (e commandEnv) copyOf(reg registry.Registry) *engine.Copy {
	keeps := e.settings.KeepsCopyOf(reg)
	return &engine.Copy{Keep: func() bool { return keeps }, Offline: e.offline, Noted: e.notes.stale}
}

// windowSettings reads the window's settings from Fyne's preferences file,
// where Fyne keeps it on each system; none when there are none.
func windowSettings() settings.Settings {
	dir, err := os.UserConfigDir()
	if runtime.GOOS == "darwin" {
		var home string
		home, err = os.UserHomeDir()
		dir = filepath.Join(home, "Library", "Preferences")
	}
	if err != nil {
		return settings.Settings{}
	}
	raw, err := os.ReadFile(filepath.Join(dir, "fyne", appID, "preferences.json"))
	if err != nil {
		return settings.Settings{}
	}
	var prefs map[string]any
	if json.Unmarshal(raw, &prefs) != nil {
		return settings.Settings{}
	}
	kept := settings.MemoryPrefs{}
	for k, v := range prefs {
		if text, ok := v.(string); ok {
			kept[k] = text
		}
	}
	s, _ := settings.Load(kept)
	return s
}

// openCache opens the cache the window uses; without one (no home, a
// read-only disk) commands ask the registry.
func openCache(log *slog.Logger) *cache.Store {
	dir, err := cache.Dir()
	if err == nil {
		var s *cache.Store
		if s, err = cache.Open(dir, 0); err == nil {
			return s
		}
	}
	log.Warn("what is read cannot be kept on this computer: " + err.Error())
	return nil
}

// notes says once, on stderr, that an answer came from this computer's
// copy and how old it is; standard output stays what it is online.
type notes struct {
	prefix string
	w      io.Writer
	once   sync.Once
}

func (n *notes) stale(s image.Stale) {
	n.once.Do(func() {
		why := "offline"
		if s.Err != nil {
			why = "the registry could not be asked (" + printable.Line(s.Err.Error()) + ")"
		}
		fmt.Fprintf(n.w, "%s%s: from this computer's copy, as of %s\n", n.prefix, why, humane.Ago(s.AsOf, time.Now()))
	})
}

// catalogCommand lists as the window does (listing.Lister), from the window's
// entry for the registry when it has one: the catalog, a Harbor's projects
// when it refuses its catalog, a GitLab project's repositories, a Docker
// Hub namespace.
func catalogCommand(ctx context.Context, env commandEnv, arg string) error {
	reg, err := env.registry(arg)
	if err != nil {
		return err
	}
	e, ok := env.settings.EntryOf(reg)
	if !ok {
		if e, err = settings.NewEntry("", reg.String(), reg.PlainHTTP, reg.Insecure); err != nil {
			return err
		}
	}
	if env.project != "" {
		e.Kind, e.Project = kinds.GitLab, env.project
	}
	if env.namespace != "" {
		if e.HubAPI == "" {
			return fmt.Errorf("%w: --namespace lists a Docker Hub namespace, and %s is not Docker Hub", errUsage, reg)
		}
		e.Namespace = env.namespace
	}
	creds := env.engine.Credentials()
	e = listing.WithHubNamespace(ctx, e, creds)
	l := env.engine.Lister(reg)
	src := env.cachedSource(reg)
	if src == nil {
		return l.Repositories(ctx, e, env.printLines)
	}
	return src.List(ctx, listing.EntryCatalogKey(ctx, e, creds), func(ctx context.Context, fn func([]string) error) error {
		return l.Repositories(ctx, e, fn)
	}, env.printLines)
}

func tagsCommand(ctx context.Context, env commandEnv, arg string) error {
	ref, err := registry.ParseRepository(arg, env.plainHTTP, env.insecure)
	if err != nil {
		return err
	}
	return env.source(ref.Registry).Tags(ctx, ref, env.printLines)
}

// printLines writes a page of names, one a line, in one write: a catalog
// of 10,000 names is not 10,000 system calls. Each page goes out as it
// arrives. The engine passes only names of the distribution grammar; they
// are escaped all the same, as everything printed is.
func (e commandEnv) printLines(lines []string) error {
	w := bufio.NewWriterSize(e.out, 64<<10)
	for _, l := range lines {
		w.WriteString(printable.Line(l))
		w.WriteByte('\n')
	}
	return w.Flush()
}

func loginCommand(ctx context.Context, env commandEnv, arg string) error {
	if env.user == "" || !env.passwordStdin {
		return fmt.Errorf("%w: login needs -u USER and --password-stdin (the password is never taken as an argument)", errUsage)
	}
	reg, err := env.registry(arg)
	if err != nil {
		return err
	}
	line, err := bufio.NewReader(env.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("reading the password from stdin: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return fmt.Errorf("%w: no password on stdin", errUsage)
	}
	cred := kinds.LoginCredential(env.user, password)
	verified, err := registry.CheckLogin(ctx, reg, cred, registry.WithLogger(env.log))
	if err != nil {
		return fmt.Errorf("%w; nothing was stored", err)
	}
	if err := (credential.Keychain{}).Save(reg.Host, cred); err != nil {
		return fmt.Errorf("%w; nothing was stored", err)
	}
	if verified {
		fmt.Fprintf(env.out, "Signed in to %s as %s; the login is in the OS keychain.\n", reg, env.user)
	} else {
		fmt.Fprintf(env.out, "%s did not ask for a login, so the password could not be checked; it is in the OS keychain.\n", reg)
	}
	return nil
}

func logoutCommand(_ context.Context, env commandEnv, arg string) error {
	reg, err := env.registry(arg)
	if err != nil {
		return err
	}
	if err := (credential.Keychain{}).Delete(reg.Host); err != nil {
		return err
	}
	fmt.Fprintf(env.out, "Signed out of %s: no login for it remains in the OS keychain.\n", reg)
	return nil
}

// inspection is inspect's JSON.
type inspection struct {
	Reference    string           `json:"reference"`
	Digest       string           `json:"digest"`
	MediaType    string           `json:"mediaType"`
	Size         int64            `json:"size"`
	ArtifactType string           `json:"artifactType,omitempty"`
	Platforms    []platform       `json:"platforms,omitempty"`
	Layers       []layer          `json:"layers,omitempty"`
	Config       *json.RawMessage `json:"config,omitempty"`
}

type platform struct {
	OS           string `json:"os"`
	Architecture string `json:"architecture"`
	Variant      string `json:"variant,omitempty"`
	Digest       string `json:"digest"`
	Size         int64  `json:"size"`
}

type layer struct {
	Digest    string `json:"digest"`
	Size      int64  `json:"size"`
	MediaType string `json:"mediaType"`
}

// layerJSON is a layer as inspect and diff give it.
func layerJSON(d v1.Descriptor) layer {
	return layer{Digest: d.Digest.String(), Size: d.Size, MediaType: string(d.MediaType)}
}

func inspectCommand(ctx context.Context, env commandEnv, arg string) error {
	ref, err := registry.ParseReference(arg, env.plainHTTP, env.insecure)
	if err != nil {
		return err
	}
	in, err := image.InspectReference(ctx, env.source(ref.Registry), ref, false)
	if err != nil {
		return err
	}
	m := in.Manifest
	out := inspection{Reference: ref.String(), Digest: m.Digest, MediaType: m.MediaType, Size: m.Size, ArtifactType: m.ArtifactType()}
	if m.IsIndex() {
		out.Platforms = []platform{}
		for _, d := range m.Children() {
			p := platform{Digest: d.Digest.String(), Size: d.Size}
			if d.Platform != nil {
				p.OS, p.Architecture, p.Variant = d.Platform.OS, d.Platform.Architecture, d.Platform.Variant
			}
			out.Platforms = append(out.Platforms, p)
		}
	} else {
		out.Layers = []layer{}
		for _, d := range m.Layers() {
			out.Layers = append(out.Layers, layerJSON(d))
		}
	}
	if in.ConfigRaw != nil {
		msg := json.RawMessage(in.ConfigRaw)
		out.Config = &msg
	}
	doc, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = env.out.Write(append(printable.JSON(doc), '\n'))
	return err
}
