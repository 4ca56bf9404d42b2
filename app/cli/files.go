package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/imagefs"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/registry"
)

// fileJSON is one entry of files --json.
type fileJSON struct {
	Path   string `json:"path"`
	Type   string `json:"type"`
	Size   int64  `json:"size"`
	Mode   string `json:"mode"`
	Layer  int    `json:"layer"`
	Target string `json:"target,omitempty"`
}

// entryJSON is an entry as files --json and diff --json give it; nil for
// none.
func entryJSON(e *imagefs.Entry) *fileJSON {
	if e == nil {
		return nil
	}
	return &fileJSON{Path: e.Path, Type: e.Type.String(), Size: e.Size, Mode: e.OctalMode(), Layer: e.Layer, Target: e.Target}
}

// image resolves the command's reference to one image.
func (e commandEnv) image(ctx context.Context, arg string) (image.Source, registry.Reference, *registry.Manifest, error) {
	ref, err := registry.ParseReference(arg, e.plainHTTP, e.insecure)
	if err != nil {
		return nil, ref, nil, err
	}
	src := e.source(ref.Registry)
	ref, m, err := image.ResolveImage(ctx, src, ref, e.platform)
	if err != nil {
		return nil, ref, nil, err
	}
	if m.ArtifactType() != "" || len(m.Layers()) == 0 {
		return nil, ref, nil, fmt.Errorf("%s is %s: it has no filesystem layers", ref, m.Kind())
	}
	return src, ref, m, nil
}

func filesCommand(ctx context.Context, env commandEnv, arg string) error {
	src, ref, m, err := env.image(ctx, arg)
	if err != nil {
		return err
	}
	out := newEntryPrinter(env.out, env.asJSON)
	layers := m.Layers()
	if env.layer != "" {
		for i, d := range layers {
			if d.Digest.String() == env.layer {
				st, err := image.WalkLayer(ctx, src, ref, i, d, nil, func(e imagefs.Entry, _ imagefs.Body) error { return out.print(e) })
				if st.Unterminated {
					warnUnterminated(env, i)
				}
				return out.end(err)
			}
		}
		return fmt.Errorf("%w: %s has no layer %s", errUsage, ref, printable.Line(env.layer))
	}
	tree := imagefs.NewTree(false)
	var last image.Progress
	if err := image.ReadImage(ctx, src, ref, layers, tree, func(p image.Progress) { last = p }); err != nil {
		return out.end(err)
	}
	for _, i := range last.Unterminated {
		warnUnterminated(env, i)
	}
	var printErr error
	tree.Walk(0, func(n imagefs.Node) bool {
		if printErr == nil && n.ID != 0 {
			printErr = out.print(n.Entry)
		}
		return printErr == nil
	})
	return out.end(printErr)
}

// warnUnterminated says, as tar does, that layer i's tar was cut off.
func warnUnterminated(env commandEnv, i int) {
	env.log.Warn(image.UnterminatedNote(i))
}

// entryPrinter writes entries as lines or as one JSON array, as they come.
type entryPrinter struct {
	w     *bufio.Writer
	json  bool
	count int
}

func newEntryPrinter(w io.Writer, asJSON bool) *entryPrinter {
	return &entryPrinter{w: bufio.NewWriterSize(w, 64<<10), json: asJSON}
}

func (p *entryPrinter) print(e imagefs.Entry) error {
	if p.json {
		sep := ",\n  "
		if p.count == 0 {
			sep = "[\n  "
		}
		doc, err := json.Marshal(entryJSON(&e))
		if err != nil {
			return err
		}
		p.w.WriteString(sep)
		p.w.Write(printable.JSON(doc))
	} else {
		p.w.WriteString(plainLine(e))
		p.w.WriteByte('\n')
	}
	p.count++
	if p.w.Buffered() > 48<<10 {
		return p.w.Flush()
	}
	return nil
}

// plainLine is an entry as a reader of tar -tv reads it: mode, size, layer
// and path, then what a link points at ("-> target", "link to path"), or
// what a whiteout or an opaque marker does, in words. Those two are stored
// as empty regular files, and their mode says so.
func plainLine(e imagefs.Entry) string {
	mode := e.ModeString()
	if e.Type.Effect() != "" {
		mode = "-" + mode[1:]
	}
	line := mode + " " + strconv.FormatInt(e.Size, 10) + " " + strconv.Itoa(e.Layer) + " " + printable.Line(e.Path)
	switch e.Type {
	case imagefs.Symlink:
		line += " -> " + printable.Line(e.Target)
	case imagefs.Hardlink:
		line += " link to " + printable.Line(e.Target)
	case imagefs.Whiteout:
		line += "  whiteout: " + e.Type.Effect()
	case imagefs.Opaque:
		line += "  opaque: " + e.Type.Effect()
	}
	return line
}

// end closes the JSON array (even after an error: what was printed stays
// valid) and flushes.
func (p *entryPrinter) end(err error) error {
	if p.json {
		if p.count == 0 {
			p.w.WriteString("[")
		}
		p.w.WriteString("\n]\n")
	}
	if ferr := p.w.Flush(); err == nil {
		err = ferr
	}
	return err
}
