package main

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

	"github.com/card-catalog/card-catalog/registry"
)

const usage = `usage: card-catalog [COMMAND [FLAGS] ARGUMENT]

With no command, card-catalog opens its window. Commands:
  catalog  [--plain-http] [--insecure] [-v] REGISTRY     repository names, one a line, as pages arrive
  tags     [--plain-http] [--insecure] [-v] REPOSITORY   tags, one a line
  inspect  [--plain-http] [--insecure] [-v] REFERENCE    the manifest, platforms, layers and config as JSON

  --plain-http  talk http (a registry on a loopback port)
  --insecure    do not verify the registry's TLS certificate
  -v            log each request to stderr (secrets redacted)
`

// runCommand runs a headless command and returns the exit code.
func runCommand(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cmd, args := args[0], args[1:]
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	plainHTTP := fs.Bool("plain-http", false, "")
	insecure := fs.Bool("insecure", false, "")
	verbose := fs.Bool("v", false, "")
	run, ok := commands[cmd]
	if !ok {
		if cmd == "help" || cmd == "-h" || cmd == "--help" {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "card-catalog: unknown command %q\n%s", cmd, usage)
		return 2
	}
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fmt.Fprintf(stderr, "card-catalog %s: expected flags, then one argument\n%s", cmd, usage)
		return 2
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	env := commandEnv{
		plainHTTP: *plainHTTP, insecure: *insecure, out: stdout,
		log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})),
	}
	if err := run(ctx, env, fs.Arg(0)); err != nil {
		fmt.Fprintf(stderr, "card-catalog %s: %v\n", cmd, err)
		if errors.Is(err, registry.ErrInvalidReference) {
			return 2
		}
		return 1
	}
	return 0
}

type commandEnv struct {
	plainHTTP, insecure bool
	out                 io.Writer
	log                 *slog.Logger
}

func (e commandEnv) client(reg registry.Registry) *registry.Client {
	return registry.New(reg, registry.WithLogger(e.log), registry.WithCredentials(registry.DefaultCredentials()))
}

var commands = map[string]func(context.Context, commandEnv, string) error{
	"catalog": catalogCommand,
	"tags":    tagsCommand,
	"inspect": inspectCommand,
}

func catalogCommand(ctx context.Context, env commandEnv, arg string) error {
	reg, err := registry.ParseRegistry(arg)
	if err != nil {
		return err
	}
	reg.PlainHTTP = reg.PlainHTTP || env.plainHTTP
	reg.Insecure = env.insecure
	return env.client(reg).Catalog(ctx, env.printLines)
}

func tagsCommand(ctx context.Context, env commandEnv, arg string) error {
	ref, err := registry.ParseRepository(arg, env.plainHTTP, env.insecure)
	if err != nil {
		return err
	}
	return env.client(ref.Registry).Tags(ctx, ref, env.printLines)
}

func (e commandEnv) printLines(lines []string) error {
	for _, l := range lines {
		if _, err := fmt.Fprintln(e.out, l); err != nil {
			return err
		}
	}
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

func inspectCommand(ctx context.Context, env commandEnv, arg string) error {
	ref, err := registry.ParseReference(arg, env.plainHTTP, env.insecure)
	if err != nil {
		return err
	}
	c := env.client(ref.Registry)
	m, err := c.Manifest(ctx, ref)
	if err != nil {
		return err
	}
	out := inspection{Reference: ref.String(), Digest: m.Digest, MediaType: m.MediaType, Size: m.Size, ArtifactType: m.ArtifactType()}
	switch {
	case m.Index != nil:
		out.Platforms = []platform{}
		for _, d := range m.Index.Manifests {
			p := platform{Digest: d.Digest.String(), Size: d.Size}
			if d.Platform != nil {
				p.OS, p.Architecture, p.Variant = d.Platform.OS, d.Platform.Architecture, d.Platform.Variant
			}
			out.Platforms = append(out.Platforms, p)
		}
	case m.Image != nil:
		out.Layers = []layer{}
		for _, d := range m.Image.Layers {
			out.Layers = append(out.Layers, layer{Digest: d.Digest.String(), Size: d.Size, MediaType: string(d.MediaType)})
		}
		if m.ArtifactType() == "" {
			_, raw, err := c.Config(ctx, ref, m.Image.Config)
			if err != nil {
				return err
			}
			msg := json.RawMessage(raw)
			out.Config = &msg
		}
	case m.Schema1 != nil:
		out.Layers = []layer{}
		for _, l := range m.Schema1.FSLayers {
			out.Layers = append(out.Layers, layer{Digest: l.BlobSum, Size: -1, MediaType: "application/vnd.docker.container.image.rootfs.diff+x-gtar"})
		}
		if len(m.Schema1.History) > 0 {
			msg := json.RawMessage(m.Schema1.History[0].V1Compatibility)
			out.Config = &msg
		}
	}
	enc := json.NewEncoder(env.out)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
