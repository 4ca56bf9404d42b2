package cli

import (
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
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/card-catalog/card-catalog/app/cache"
	"github.com/card-catalog/card-catalog/app/engine"
	"github.com/card-catalog/card-catalog/app/humane"
	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
)

// commandEnv is what a command runs with.
type commandEnv struct {
	plainHTTP, insecure, verbose bool
	user                         string
	passwordStdin                bool
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
	// write, del, copying and archive are the flags of the commands
	// that write (manage.go).
	write   writeFlags
	del     deleteFlags
	copying copyFlags
	archive archiveFlags
	// args are the arguments after the first (cat's PATH).
	args  []string
	stdin io.Reader
	out   io.Writer
	// errOut gets what is said beside the answer: a copy's progress.
	errOut io.Writer
	log    *slog.Logger
}

// command is a headless command: its name, the arguments it takes and
// what it does (for the usage), its flags, and how it runs.
type command struct {
	name string
	// args name the arguments, a word each: "REFERENCE PATH".
	args string
	// does says what it does, for the usage.
	does string
	// flags register the command's flags, each with its usage.
	flags []flags
	run   func(context.Context, commandEnv, string) error
	// exitTwoOnError: an error exits 2, for 1 means an answer ("they
	// differ", "not verified").
	exitTwoOnError bool
	// argsFit, when set, says whether n arguments fit the flags given
	// (delete takes several, tag --restore one); else there are as many
	// as args names.
	argsFit func(env *commandEnv, n int) bool
}

// flags registers a group of flags on a command's flag set.
type flags func(*flag.FlagSet, *commandEnv)

func connectFlags(fs *flag.FlagSet, e *commandEnv) {
	fs.BoolVar(&e.plainHTTP, "plain-http", false, "talk http (a registry on a loopback port)")
	fs.BoolVar(&e.insecure, "insecure", false, "do not verify the registry's TLS certificate")
	fs.BoolVar(&e.verbose, "v", false, "log each request to stderr (secrets redacted)")
}

func cacheFlags(fs *flag.FlagSet, e *commandEnv) {
	fs.BoolVar(&e.offline, "offline", false, "answer from this computer's copy alone; what was never fetched is an error")
	fs.BoolVar(&e.noCache, "no-cache", false, "neither read nor fill this computer's copy")
}

func platformFlag(fs *flag.FlagSet, e *commandEnv) {
	fs.StringVar(&e.platform, "platform", "", "the image of an index to read: `OS/ARCH[/VARIANT]` (default: the host's, linux/"+runtime.GOARCH+")")
}

func jsonFlag(fs *flag.FlagSet, e *commandEnv) {
	fs.BoolVar(&e.asJSON, "json", false, "print JSON")
}

func layerFlag(fs *flag.FlagSet, e *commandEnv) {
	fs.StringVar(&e.layer, "layer", "", "list one layer as stored, whiteouts and opaque markers said in words: its `DIGEST`")
}

func listingFlags(fs *flag.FlagSet, e *commandEnv) {
	fs.StringVar(&e.project, "project", "", "list a GitLab project's repositories: its `PATH` or ID")
	fs.StringVar(&e.namespace, "namespace", "", "list this Docker Hub `NAMESPACE` (default: yours, else library)")
}

func loginFlags(fs *flag.FlagSet, e *commandEnv) {
	fs.StringVar(&e.user, "u", "", "the `USER` to sign in as")
	fs.BoolVar(&e.passwordStdin, "password-stdin", false, "read the password from standard input (it is never taken as an argument)")
}

var commands = []command{
	{name: "catalog", args: "REGISTRY", flags: []flags{connectFlags, cacheFlags, listingFlags}, run: catalogCommand,
		does: "repository names, one a line, as pages arrive, listed as the window lists them: a Harbor that refuses its catalog lists the projects you may see, GitLab a project's repositories, Docker Hub a namespace (the window's project or namespace for the registry, unless given)"},
	{name: "tags", args: "REPOSITORY", flags: []flags{connectFlags, cacheFlags}, run: tagsCommand, does: "tags, one a line"},
	{name: "inspect", args: "REFERENCE", flags: []flags{connectFlags, cacheFlags}, run: inspectCommand,
		does: "the manifest, platforms, layers and config as JSON"},
	{name: "files", args: "REFERENCE", flags: []flags{connectFlags, cacheFlags, platformFlag, jsonFlag, layerFlag}, run: filesCommand,
		does: "the image's merged filesystem (or one layer as stored), one entry a line: mode, size, layer, path"},
	{name: "cat", args: "REFERENCE PATH", flags: []flags{connectFlags, cacheFlags, platformFlag}, run: catCommand,
		does: "one file's bytes, symlinks followed inside the image, printed once they are checked"},
	{name: "diff", args: "REFERENCE1 REFERENCE2", flags: []flags{connectFlags, cacheFlags, platformFlag, jsonFlag}, run: diffCommand, exitTwoOnError: true,
		does: "what changed: config, layers, history, files (+ added, - removed, ~ changed) and SBOM packages; exit 0 same, 1 differ, 2 error"},
	{name: "verify", args: "REFERENCE", flags: []flags{connectFlags, cacheFlags, jsonFlag, func(fs *flag.FlagSet, e *commandEnv) { e.trust.register(fs) }},
		run: verifyCommand, exitTwoOnError: true,
		does: "who signed the image, how it was built, verified on this computer; exit 0 verified, 1 not verified or unsigned, 2 error"},
	{name: "sbom", args: "REFERENCE", flags: []flags{connectFlags, cacheFlags, platformFlag, jsonFlag, func(fs *flag.FlagSet, e *commandEnv) { e.sbom.register(fs) }},
		run: sbomCommand, exitTwoOnError: true,
		does: "the packages of the image's SBOM: name, version, type, licence, PURL; exit 1 when it has none, 2 error"},
	{name: "delete", args: "REFERENCE [REFERENCE…]", flags: []flags{connectFlags, writeFlagSet, deleteFlagSet}, run: deleteCommand, exitTwoOnError: true,
		argsFit: func(_ *commandEnv, n int) bool { return n >= 1 },
		does:    "delete exactly the tags named (of one repository, one preview for them all): the other tags on their digests stay; with --manifest the manifest one tag names and every tag on it; exit 0 done, 1 refused, declined or not done, 2 error"},
	{name: "tag", args: "SOURCE NEWTAG", flags: []flags{connectFlags, writeFlagSet, restoreFlag}, run: tagCommand, exitTwoOnError: true,
		argsFit: func(e *commandEnv, n int) bool { return n == 2 || e.del.restore && n == 1 },
		does:    "put SOURCE's manifest under NEWTAG in its repository, no blob sent; with --restore and one REFERENCE, put a deleted tag back from this computer's copy; exit 0 done, 1 refused, declined or not done, 2 error"},
	{name: "copy", args: "SOURCE DESTINATION", flags: []flags{connectFlags, writeFlagSet, copyFlagSet}, run: copyCommand, exitTwoOnError: true,
		does: "copy an image or a whole index to a repository of any registry, each signed in with its own login: blobs there are skipped, blobs of the same registry mounted, progress on stderr; stopped (Ctrl+C) or broken, run it again to resume; DESTINATION without a tag gets SOURCE's; exit 0 done, 1 declined or stopped, 2 error"},
	{name: "export", args: "REFERENCE FILE", flags: []flags{connectFlags, writeFlagSet, archiveFlagSet, platformFlag}, run: exportCommand, exitTwoOnError: true,
		does: "write an image or a whole index, with its referrers, to an archive: an OCI layout directory, a tar of one, or a docker-archive that docker load reads; exit 0 done, 1 declined or stopped, 2 error"},
	{name: "import", args: "FILE REFERENCE", flags: []flags{connectFlags, writeFlagSet, importFlagSet}, run: importCommand, exitTwoOnError: true,
		does: "push what an archive holds (an OCI layout directory or tar, a docker-archive) to REFERENCE, digests unchanged; exit 0 done, 1 declined or stopped, 2 error"},
	{name: "login", args: "REGISTRY", flags: []flags{connectFlags, loginFlags}, run: loginCommand,
		does: "check the login, then keep it in the OS keychain"},
	{name: "logout", args: "REGISTRY", flags: []flags{connectFlags}, run: logoutCommand, does: "remove the login from the OS keychain"},
}

// flagSet is cmd's flags, registered on env.
func (cmd command) flagSet(env *commandEnv) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	for _, register := range cmd.flags {
		register(fs, env)
	}
	return fs
}

// Run runs a headless command (args are the program's arguments after its
// name) and returns its exit status.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	name, args := args[0], args[1:]
	i := slices.IndexFunc(commands, func(c command) bool { return c.name == name })
	if i < 0 {
		if name == "help" || name == "-h" || name == "--help" {
			fmt.Fprint(stdout, usage())
			return 0
		}
		fmt.Fprintf(stderr, "card-catalog: unknown command %q\n%s", name, usage())
		return 2
	}
	cmd := commands[i]
	env := commandEnv{stdin: stdin, out: stdout, errOut: stderr}
	fs := cmd.flagSet(&env)
	want := len(strings.Fields(cmd.args))
	err := fs.Parse(args)
	if cmd.argsFit == nil && (err != nil || fs.NArg() != want) {
		fmt.Fprintf(stderr, "card-catalog %s: expected flags, then %s\n%s", name, [...]string{"", "one argument", "two arguments"}[want], usage())
		return 2
	}
	if cmd.argsFit != nil && (err != nil || !cmd.argsFit(&env, fs.NArg())) {
		fmt.Fprintf(stderr, "card-catalog %s: expected flags, then %s\n%s", name, cmd.args, usage())
		return 2
	}
	if env.offline && env.noCache {
		fmt.Fprintf(stderr, "card-catalog %s: --offline reads only the cache that --no-cache leaves out: give one of them\n", name)
		return 2
	}
	env.args = fs.Args()[1:]
	env.log = slog.New(&warningHandler{prefix: "card-catalog " + name + ": warning: ", w: stderr})
	if env.verbose {
		env.log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	env.notes = &notes{prefix: "card-catalog " + name + ": ", w: stderr}
	env.settings = windowSettings()
	if fs.Lookup("no-cache") != nil && !env.noCache {
		var err error
		if env.cache, err = cache.OpenDefault(); err != nil {
			env.log.Warn("what is read cannot be kept on this computer: " + err.Error())
		}
		if env.offline && env.cache == nil {
			fmt.Fprintf(stderr, "card-catalog %s: --offline reads this computer's copy, which cannot be opened\n", name)
			return failed(cmd, nil)
		}
	}
	env.engine = engine.New(engine.Options{Credentials: engine.HeadlessCredentials(env.settings), Logger: env.log, ClientOptions: clientOptions, Cache: env.cache})
	err = cmd.run(ctx, env, fs.Arg(0))
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errDiffers), errors.Is(err, errNotVerified), errors.Is(err, errNoSBOM):
		return 1
	}
	fmt.Fprintln(stderr, errorLine(name, err))
	if errors.Is(err, errNotDone) {
		return 1
	}
	return failed(cmd, err)
}

// usage is the usage text, made from the commands and their flags.
func usage() string {
	var b strings.Builder
	b.WriteString("usage: card-catalog [COMMAND [FLAGS] ARGUMENTS]\n\nWith no command, card-catalog opens its window. Commands:\n")
	type shown struct {
		f    *flag.Flag
		used []string
	}
	var all []*shown
	for _, cmd := range commands {
		line := "  " + cmd.name
		cmd.flagSet(&commandEnv{}).VisitAll(func(f *flag.Flag) {
			value, _ := flag.UnquoteUsage(f)
			line += " [-" + dashes(f.Name) + strings.TrimSuffix(" "+value, " ") + "]"
			i := slices.IndexFunc(all, func(s *shown) bool { return s.f.Name == f.Name })
			if i < 0 {
				all = append(all, &shown{f: f})
				i = len(all) - 1
			}
			all[i].used = append(all[i].used, cmd.name)
		})
		b.WriteString(line + " " + cmd.args + "\n")
		b.WriteString(wrapped(cmd.does, "      ", 100))
	}
	b.WriteString("\nFlags:\n")
	for _, s := range all {
		value, words := flag.UnquoteUsage(s.f)
		if value == "bool" {
			value = ""
		}
		if len(s.used) < len(commands) {
			words += " (" + strings.Join(s.used, ", ") + ")"
		}
		b.WriteString("  -" + dashes(s.f.Name) + strings.TrimSuffix(" "+value, " ") + "\n")
		b.WriteString(wrapped(words, "      ", 100))
	}
	return b.String()
}

// dashes writes a long flag's name with two dashes, as the usage gives
// them: -v, --plain-http.
func dashes(name string) string {
	if len(name) > 1 {
		return "-" + name
	}
	return name
}

// wrapped breaks text into lines of at most width columns, each after
// indent.
func wrapped(text, indent string, width int) string {
	var b strings.Builder
	line := indent
	for _, w := range strings.Fields(text) {
		if len(line) > len(indent) && len(line)+1+len(w) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if len(line) > len(indent) {
			line += " "
		}
		line += w
	}
	return b.String() + line + "\n"
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

// client is reg's client, signed in with reg's own login.
func (e commandEnv) client(reg registry.Registry) *registry.Client { return e.engine.Client(reg) }

// source is where a command reads reg's content: through the cache the
// window shares, from it alone with --offline, around it with --no-cache.
func (e commandEnv) source(reg registry.Registry) image.Source {
	return e.engine.Source(reg, e.keeping(reg))
}

func (e commandEnv) keptSource(reg registry.Registry) *image.KeptSource {
	return e.engine.KeptSource(reg, e.keeping(reg))
}

// keeping is how reg's content is kept: as the window's settings say.
func (e commandEnv) keeping(reg registry.Registry) *engine.Keeping {
	keeps := e.settings.Keeps(reg)
	return &engine.Keeping{Keep: func() bool { return keeps }, Offline: e.offline, Noted: e.notes.fromKept}
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
	raw, err := os.ReadFile(filepath.Join(dir, "fyne", settings.AppID, "preferences.json"))
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

// notes says once, on stderr, that an answer came from this computer's
// copy and how old it is; standard output stays what it is online.
type notes struct {
	prefix string
	w      io.Writer
	once   sync.Once
}

func (n *notes) fromKept(s image.FromKept) {
	n.once.Do(func() {
		why := "offline"
		if s.Err != nil {
			why = "the registry could not be asked (" + printable.Line(s.Err.Error()) + ")"
		}
		fmt.Fprintf(n.w, "%s%s: from this computer's copy, as of %s\n", n.prefix, why, humane.Ago(s.AsOf, time.Now()))
	})
}
