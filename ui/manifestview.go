package ui

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/app/image"
	"github.com/card-catalog/card-catalog/app/imagefs"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/registry"
)

// configForm shows the config's entrypoint, command, environment and so on.
func configForm(cfg *v1.ConfigFile) fyne.CanvasObject {
	c := cfg.Config
	platform := cfg.OS + "/" + cfg.Architecture
	if cfg.Variant != "" {
		platform += "/" + cfg.Variant
	}
	var ports []string
	for p := range c.ExposedPorts {
		ports = append(ports, printable.Line(p))
	}
	sort.Strings(ports)
	var labels []string
	for k, v := range c.Labels {
		labels = append(labels, printable.Line(k+" = "+v)) // one line each, whatever a value holds
	}
	sort.Strings(labels)
	created := ""
	if !cfg.Created.IsZero() {
		created = cfg.Created.UTC().Format("2006-01-02 15:04 MST") + " (" + ago(cfg.Created.Time) + ")"
	}
	form := widget.NewForm()
	for _, row := range [][2]string{
		{"Platform", platform},
		{"Created", created},
		{"Entrypoint", jsonList(c.Entrypoint)},
		{"Command", jsonList(c.Cmd)},
		{"Working dir", c.WorkingDir},
		{"User", c.User},
		{"Ports", strings.Join(ports, ", ")},
		{"Environment", strings.Join(lines(c.Env), "\n")},
		{"Labels", strings.Join(labels, "\n")},
	} {
		value := widget.NewLabel(printable.Text(row[1]))
		value.Wrapping = fyne.TextWrapBreak
		value.TextStyle.Monospace = row[0] != "Platform" && row[0] != "Created"
		if row[1] == "" {
			value.SetText("—")
			value.Importance = widget.LowImportance
		}
		form.Append(row[0], value)
	}
	return form
}

// lines escapes each of vs into one line of its own.
func lines(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = printable.Line(v)
	}
	return out
}

func jsonList(v []string) string {
	if v == nil {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// historyText writes the history like a Dockerfile, one step a line with
// the size of the layer it made; steps that made no layer are dimmed.
func historyText(cfg *v1.ConfigFile, m *registry.Manifest) fyne.CanvasObject {
	var sizes []int64
	for _, l := range m.Layers() {
		sizes = append(sizes, l.Size)
	}
	var segs []widget.RichTextSegment
	layer := 0
	for _, h := range cfg.History {
		step := image.DockerfileLine(h.CreatedBy)
		style := widget.RichTextStyleCodeBlock
		style.Inline = false
		note := ""
		if h.EmptyLayer {
			style.ColorName = theme.ColorNamePlaceHolder
		} else {
			if layer < len(sizes) {
				note = "    # " + humanSize(sizes[layer])
			}
			layer++
		}
		segs = append(segs, &widget.TextSegment{Text: printable.Line(step) + note, Style: style})
	}
	if len(segs) == 0 {
		segs = append(segs, &widget.TextSegment{Text: "This image has no history.", Style: widget.RichTextStyleParagraph})
	}
	return widget.NewRichText(segs...)
}

// layerList lists layers with their sizes and the total; a layer opens
// to its files, and a button opens the image's merged filesystem.
func (p *detailPage) layerList(m *registry.Manifest, steps []string) (*keyedList, fyne.CanvasObject) {
	layers := m.Layers()
	total := registry.TotalSize(layers)
	k := p.u.keyedList(len(layers), false, func(id int, cells [3]*widget.Label) {
		l := layers[id]
		size := "size unknown"
		if l.Size >= 0 {
			size = humanSize(l.Size)
		}
		cells[0].SetText(fmt.Sprintf("layer %d · %s · %s", id, size, image.ShortDigest(l.Digest.String())))
		cells[1].SetText(printable.Line(strings.TrimPrefix(string(l.MediaType), "application/vnd.")))
		cells[2].SetText(printable.Line(steps[id]))
	}, func(id int) { p.u.push(newFilesPage(p.u, p.entry, p.ref, m, steps, id)) })
	browse := widget.NewButtonWithIcon("Browse the image's files", theme.FolderOpenIcon(), p.browseFiles)
	p.browseButton = browse
	summary := bold(fmt.Sprintf("%s · %s compressed · open one to see its files", plural(len(layers), "layer"), humanSize(total)))
	summary.Truncation = fyne.TextTruncateEllipsis
	head := container.NewBorder(nil, nil, nil, browse, summary)
	return k, container.NewBorder(head, nil, nil, nil, k.list)
}

// contentList lists an artifact's blobs (its "layers", which are content,
// not filesystems) with their media types; one opens to read it, as JSON
// when it is JSON.
func (p *detailPage) contentList(m *registry.Manifest) (*keyedList, fyne.CanvasObject) {
	blobs := m.Layers()
	k := p.u.keyedList(len(blobs), false, func(id int, cells [3]*widget.Label) {
		b := blobs[id]
		cells[0].SetText(fmt.Sprintf("%s · %s", humanSize(b.Size), image.ShortDigest(b.Digest.String())))
		cells[1].SetText(printable.Line(image.ArtifactName(string(b.MediaType))))
		cells[2].SetText(printable.Line(b.Annotations["org.opencontainers.image.title"]))
	}, func(id int) { p.openBlob(m, id) })
	head := bold(fmt.Sprintf("%s · open one to read it", plural(len(blobs), "blob")))
	head.Wrapping = fyne.TextWrapWord
	return k, container.NewBorder(head, nil, nil, nil, k.list)
}

// openBlob opens an artifact's blob i: a filesystem layer's files, or the
// content of any other.
func (p *detailPage) openBlob(m *registry.Manifest, i int) {
	if _, err := imagefs.CompressionOf(string(m.Layers()[i].MediaType)); err == nil {
		p.u.push(newFilesPage(p.u, p.entry, p.ref, m, p.steps, i))
		return
	}
	p.u.push(newBlobPage(p.u, p.entry, p.ref, m.Layers()[i], i))
}

func annotations(m *registry.Manifest) fyne.CanvasObject {
	ann := m.Annotations()
	if len(ann) == 0 {
		return widget.NewLabel("No annotations.")
	}
	keys := make([]string, 0, len(ann))
	for k := range ann {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	form := widget.NewForm()
	for _, k := range keys {
		v := widget.NewLabel(printable.Text(ann[k]))
		v.Wrapping = fyne.TextWrapBreak
		form.Append(printable.Line(k), v)
	}
	return form
}
