package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/card-catalog/card-catalog/app/compare"
	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/registry"
)

// errDiffers is diff's answer when the images differ: exit status 1, as
// diff(1) has it.
var errDiffers = errors.New("the images differ")

func diffCommand(ctx context.Context, env commandEnv, arg string) error {
	refA, err := registry.ParseReference(arg, env.plainHTTP, env.insecure)
	if err != nil {
		return err
	}
	refB, err := registry.ParseReference(env.args[0], env.plainHTTP, env.insecure)
	if err != nil {
		return err
	}
	d, err := image.DiffHeads(ctx, env.source(refA.Registry), refA, env.source(refB.Registry), refB, env.platform)
	if err != nil {
		return err
	}
	if err := image.DiffFiles(ctx, d, nil); err != nil {
		return err
	}
	pkgs, err := diffSBOMs(ctx, env, d, refA, refB)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(env.out, 64<<10)
	if env.asJSON {
		doc := diffJSON(d)
		doc.Packages = packagesJSON(pkgs)
		raw, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			return err
		}
		w.Write(append(printable.JSON(raw), '\n'))
	} else {
		printDiff(w, d)
		printPackages(w, pkgs)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if d.Differs() {
		return errDiffers
	}
	return nil
}

// printDiff writes the report: config, layers, history, files, one change
// a line.
func printDiff(w *bufio.Writer, d *image.ImageDiff) {
	line := func(format string, a ...any) { w.WriteString(printable.Line(fmt.Sprintf(format, a...)) + "\n") }
	line("# %s", d.A.Ref)
	line("# %s", d.B.Ref)
	if d.Same {
		line("# the same image: %s", d.A.Manifest.Digest)
		return
	}
	line("# config")
	for _, f := range d.Config {
		switch {
		case !f.Changed():
		case f.Old == "":
			line("+ %s: %s", f.Name, f.New)
		case f.New == "":
			line("- %s: %s", f.Name, f.Old)
		default:
			line("~ %s: %s → %s", f.Name, f.Old, f.New)
		}
	}
	l := d.Layers
	line("# layers: %d shared, %d removed, %d added; %d → %d bytes", len(l.Shared), len(l.Removed), len(l.Added), l.SizeA, l.SizeB)
	for _, r := range l.Removed {
		line("- %s %d", r.Digest, r.Size)
	}
	for _, a := range l.Added {
		line("+ %s %d", a.Digest, a.Size)
	}
	line("# history")
	for _, h := range d.History {
		if h.Op != compare.Same {
			line("%c %s", h.Op, h.Text)
		}
	}
	f := d.Files
	line("# files: %s; %d bytes added, %d removed", image.ChangedWords(compare.KindsOf(f.Changes)), f.BytesAdded, f.BytesRemoved)
	line("# %s", image.DiffCost(d))
	for _, c := range f.Changes {
		notes := slices.Clone(c.What)
		if c.Inside > 0 {
			notes = append(notes, fmt.Sprintf("%d inside", c.Inside))
		}
		if len(notes) > 0 {
			line("%c %s  %s", c.Op, c.Path, strings.Join(notes, ", "))
		} else {
			line("%c %s", c.Op, c.Path)
		}
	}
}

type diffDoc struct {
	A       diffImage     `json:"a"`
	B       diffImage     `json:"b"`
	Same    bool          `json:"same"`
	Config  []configJSON  `json:"config"`
	Layers  layersJSON    `json:"layers"`
	History []historyJSON `json:"history"`
	Files   []fileChange  `json:"files"`
	// BytesRead of the layers not shared; SharedBytesRead of the shared
	// ones, when their listings were needed (SharedListed).
	BytesRead       int64 `json:"bytesRead"`
	SharedListed    bool  `json:"sharedListed"`
	SharedBytesRead int64 `json:"sharedBytesRead"`
	// Packages compares the images' SBOMs, when either has one.
	Packages *packagesDoc `json:"packages,omitempty"`
}

type diffImage struct {
	Reference string `json:"reference"`
	Digest    string `json:"digest"`
}

type configJSON struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

type layersJSON struct {
	Shared  int     `json:"shared"`
	Removed []layer `json:"removed"`
	Added   []layer `json:"added"`
}

type historyJSON struct {
	Op   string `json:"op"`
	Line string `json:"line"`
}

type fileChange struct {
	Op     string    `json:"op"`
	Path   string    `json:"path"`
	What   []string  `json:"what,omitempty"`
	Inside int       `json:"inside,omitempty"`
	Old    *fileJSON `json:"old,omitempty"`
	New    *fileJSON `json:"new,omitempty"`
}

func diffJSON(d *image.ImageDiff) diffDoc {
	doc := diffDoc{
		A: diffImage{d.A.Ref.String(), d.A.Manifest.Digest}, B: diffImage{d.B.Ref.String(), d.B.Manifest.Digest},
		Same: d.Same, Config: []configJSON{}, History: []historyJSON{}, Files: []fileChange{},
		BytesRead: d.Read, SharedListed: d.SharedListed, SharedBytesRead: d.SharedRead,
		Layers: layersJSON{Shared: len(d.Layers.Shared), Removed: []layer{}, Added: []layer{}},
	}
	for _, f := range d.Config {
		if f.Changed() {
			doc.Config = append(doc.Config, configJSON{f.Name, f.Old, f.New})
		}
	}
	for _, r := range d.Layers.Removed {
		doc.Layers.Removed = append(doc.Layers.Removed, layerJSON(r))
	}
	for _, a := range d.Layers.Added {
		doc.Layers.Added = append(doc.Layers.Added, layerJSON(a))
	}
	for _, h := range d.History {
		if h.Op != compare.Same {
			doc.History = append(doc.History, historyJSON{string(h.Op), h.Text})
		}
	}
	for _, c := range d.Files.Changes {
		doc.Files = append(doc.Files, fileChange{Op: string(c.Op), Path: c.Path, What: c.What, Inside: c.Inside, Old: entryJSON(c.Old), New: entryJSON(c.New)})
	}
	return doc
}
