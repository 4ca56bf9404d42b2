package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/color"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/registry"
)

// detailPage shows what a reference holds: an index's platforms, or an
// image's layers, config, history, annotations and referrers, and the raw
// JSON.
type detailPage struct {
	u      *UI
	entry  app.Entry
	ref    registry.Reference
	ctx    context.Context
	cancel context.CancelFunc
	// platform names an index's image in the breadcrumb ("linux/arm64/v8").
	platform string

	Inspection *app.Inspection
	Platforms  *widget.List
	platforms  *lazy
	Tabs       *container.AppTabs
	copies     *fyne.Container
	Message    *messageView
	body       *fyne.Container
	content    fyne.CanvasObject
	cursor     int
}

func newDetailPage(u *UI, e app.Entry, ref registry.Reference) *detailPage {
	p := &detailPage{u: u, entry: e, ref: ref}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.Message = newMessageView(p.load)
	p.body = container.NewStack(container.NewCenter(widget.NewProgressBarInfinite()))
	p.content = container.NewStack(p.body, p.Message.box)
	p.load()
	return p
}

func (p *detailPage) Title() string {
	if p.platform != "" {
		return p.platform
	}
	if p.ref.Digest != "" {
		return shortDigest(p.ref.Digest)
	}
	return p.ref.Tag
}
func (p *detailPage) Content() fyne.CanvasObject { return p.content }
func (p *detailPage) Searchable() bool           { return false }
func (p *detailPage) Search(string)              {}
func (p *detailPage) Close()                     { p.cancel() }

func (p *detailPage) load() {
	p.Message.hide()
	ctx := p.ctx
	p.u.core.Inspect(ctx, p.entry, p.ref, func(in *app.Inspection, err error) {
		p.u.do(func() {
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				p.body.Objects = nil
				p.body.Refresh()
				p.u.noteFailure(p.entry, err)
				p.Message.show(p.u.explain(p.entry, err), err.Error(), true)
				p.u.offerFix(p.Message, p.entry, err)
				return
			}
			p.u.noteSuccess(p.entry)
			p.show(in)
		})
	})
}

func (p *detailPage) show(in *app.Inspection) {
	p.Inspection = in
	m := in.Manifest
	repoDigest := p.ref.Registry.String() + "/" + p.ref.Repository + "@" + m.Digest
	kind := m.Kind()
	facts := widget.NewLabel(fmt.Sprintf("%s · %s · %s", kind, humanSize(m.Size), printable.Line(m.MediaType)))
	facts.Truncation = fyne.TextTruncateEllipsis
	digest := widget.NewLabelWithStyle(m.Digest, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	digest.Truncation = fyne.TextTruncateEllipsis
	// The copy buttons wrap to a second row in a narrow window.
	p.copies = container.NewGridWrap(fyne.NewSize(190, theme.Size(theme.SizeNameInlineIcon)+2*theme.InnerPadding()),
		p.copyButton("Copy digest", m.Digest),
		p.copyButton("Copy repo@digest", repoDigest),
		p.copyButton("Copy docker pull", "docker pull "+repoDigest),
		p.copyButton("Copy podman pull", "podman pull "+repoDigest),
	)
	top := container.NewVBox(fullName(p.Title()), facts, digest, p.copies, widget.NewSeparator())

	p.Tabs = container.NewAppTabs()
	switch {
	case m.IsIndex():
		p.Tabs.Append(container.NewTabItem(fmt.Sprintf("Platforms (%d)", len(m.Children())), p.platformList(m.Children())))
		p.Tabs.Append(container.NewTabItem("Annotations", container.NewVScroll(annotations(m))))
		p.Tabs.Append(container.NewTabItem(fmt.Sprintf("Referrers (%d)", len(in.Referrers)), p.referrerList(in)))
		p.Tabs.Append(container.NewTabItem("Manifest JSON", container.NewScroll(jsonText(m.Raw))))
	default:
		if in.Config != nil {
			p.Tabs.Append(container.NewTabItem("Config", container.NewVScroll(configForm(in.Config))))
			p.Tabs.Append(container.NewTabItem("History", container.NewScroll(historyText(in.Config, m))))
		}
		p.Tabs.Append(container.NewTabItem("Layers", layerList(m)))
		p.Tabs.Append(container.NewTabItem("Annotations", container.NewVScroll(annotations(m))))
		p.Tabs.Append(container.NewTabItem(fmt.Sprintf("Referrers (%d)", len(in.Referrers)), p.referrerList(in)))
		p.Tabs.Append(container.NewTabItem("Manifest JSON", container.NewScroll(jsonText(m.Raw))))
		if len(in.ConfigRaw) > 0 {
			p.Tabs.Append(container.NewTabItem("Config JSON", container.NewScroll(jsonText(in.ConfigRaw))))
		}
	}
	p.body.Objects = []fyne.CanvasObject{container.NewBorder(top, nil, nil, nil, p.Tabs)}
	p.body.Refresh()
}

// copyButton copies text, and says "Copied" for a moment.
func (p *detailPage) copyButton(label, text string) *widget.Button {
	var b *widget.Button
	b = widget.NewButtonWithIcon(label, theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(text)
		b.SetText("Copied")
		b.SetIcon(theme.ConfirmIcon())
		time.AfterFunc(copiedFor, func() {
			p.u.do(func() {
				b.SetText(label)
				b.SetIcon(theme.ContentCopyIcon())
			})
		})
	})
	return b
}

// copiedFor is how long a copy button says "Copied".
const copiedFor = 1500 * time.Millisecond

// platformList lists an index's platforms with each image's compressed
// size (read when its row shows); each opens.
func (p *detailPage) platformList(ds []v1.Descriptor) fyne.CanvasObject {
	p.platforms = newLazy(p.u, func(ctx context.Context, digest string, done func(app.Summary, error)) {
		p.u.core.TagSummary(ctx, p.entry, p.childRef(digest), app.PriorityVisible, done)
	}, func(id int) { p.Platforms.RefreshItem(id) })
	p.Platforms = columnList(len(ds), func(id int, cells [3]*widget.Label) {
		d := ds[id]
		name := "(no platform)"
		if d.Platform != nil {
			name = printable.Line(registry.PlatformString(d.Platform))
		}
		cells[0].SetText(name)
		cells[0].TextStyle.Bold = id == p.cursor
		size := "…"
		if st := p.platforms.bind(id, d.Digest.String()); st.loaded && st.err == nil {
			size = humanSize(st.summary.Size) + " compressed"
		} else if st.loaded {
			size = "could not load: " + app.StatusOf(st.err).Detail
		}
		cells[1].SetText(size)
		cells[2].SetText(shortDigest(d.Digest.String()))
	}, func(id int) bool { return id == p.cursor })
	p.Platforms.OnSelected = func(id widget.ListItemID) {
		p.Platforms.UnselectAll()
		p.cursor = id
		p.Open()
	}
	return container.NewBorder(widget.NewLabel("Open a platform to see its layers, config and history."), nil, nil, nil, p.Platforms)
}

func (p *detailPage) Move(delta int, _ bool) {
	if p.Platforms == nil {
		return
	}
	n := len(p.Inspection.Manifest.Children())
	p.cursor = min(max(p.cursor+delta, 0), n-1)
	p.Platforms.Refresh()
	p.Platforms.ScrollTo(p.cursor)
}

// Open opens the platform under the cursor.
func (p *detailPage) Open() {
	if p.Inspection == nil || !p.Inspection.Manifest.IsIndex() {
		return
	}
	d := p.Inspection.Manifest.Children()[p.cursor]
	child := newDetailPage(p.u, p.entry, p.childRef(d.Digest.String()))
	if d.Platform != nil {
		child.platform = registry.PlatformString(d.Platform)
	}
	p.u.push(child)
}

func (p *detailPage) childRef(digest string) registry.Reference {
	ref := p.ref
	ref.Tag, ref.Digest = "", digest
	return ref
}

func (p *detailPage) referrerList(in *app.Inspection) fyne.CanvasObject {
	if in.ReferrersErr != nil {
		l := widget.NewLabel("Referrers could not be listed: " + printable.Line(in.ReferrersErr.Error()))
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	if len(in.Referrers) == 0 {
		l := widget.NewLabel("Nothing refers to this image: no signatures, SBOMs or attestations.")
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	list := columnList(len(in.Referrers), func(id int, cells [3]*widget.Label) {
		d := in.Referrers[id]
		kind := d.ArtifactType
		if kind == "" {
			kind = string(d.MediaType)
		}
		cells[0].SetText(printable.Line(kind))
		cells[1].SetText(humanSize(d.Size))
		cells[2].SetText(shortDigest(d.Digest.String()))
	}, nil)
	list.OnSelected = func(id widget.ListItemID) {
		list.UnselectAll()
		p.u.push(newDetailPage(p.u, p.entry, p.childRef(in.Referrers[id].Digest.String())))
	}
	return list
}

// columnList is a virtualised list of n rows of three labels.
// columnList is a list of rows of three columns; the row isCursor names
// (nil: none) has the keyboard cursor's background.
func columnList(n int, fill func(id int, cells [3]*widget.Label), isCursor func(id int) bool) *widget.List {
	return widget.NewList(func() int { return n },
		func() fyne.CanvasObject {
			bg := canvas.NewRectangle(color.Transparent)
			bg.CornerRadius = theme.InputRadiusSize()
			return container.NewStack(bg, container.New(layout.NewGridLayoutWithColumns(3), widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container).Objects
			markCursor(row[0].(*canvas.Rectangle), isCursor != nil && isCursor(id))
			objs := row[1].(*fyne.Container).Objects
			fill(id, [3]*widget.Label{objs[0].(*widget.Label), objs[1].(*widget.Label), objs[2].(*widget.Label)})
		})
}

// markCursor gives the keyboard cursor's row the selection background.
func markCursor(bg *canvas.Rectangle, on bool) {
	want := color.Color(color.Transparent)
	if on {
		want = theme.Color(theme.ColorNameSelection)
	}
	if bg.FillColor != want {
		bg.FillColor = want
		bg.Refresh()
	}
}

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
		step := dockerfileLine(h.CreatedBy)
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

// dockerfileLine turns a history entry's created_by into the Dockerfile
// step it came from.
func dockerfileLine(createdBy string) string {
	s := strings.TrimSpace(createdBy)
	s = strings.TrimSuffix(s, " # buildkit")
	switch {
	case strings.HasPrefix(s, "/bin/sh -c #(nop) "):
		s = strings.TrimSpace(strings.TrimPrefix(s, "/bin/sh -c #(nop) "))
	case strings.HasPrefix(s, "/bin/sh -c "):
		s = "RUN " + strings.TrimPrefix(s, "/bin/sh -c ")
	case strings.HasPrefix(s, "|"):
		// buildkit's "|2 ARG=x /bin/sh -c ..." form
		if i := strings.Index(s, "/bin/sh -c "); i > 0 {
			s = "RUN " + s[i+len("/bin/sh -c "):]
		}
	}
	if s == "" {
		return "# (no command recorded)"
	}
	return s
}

// layerList lists layers with their sizes and the total.
func layerList(m *registry.Manifest) fyne.CanvasObject {
	type layerRow struct {
		mediaType, digest string
		size              int64
	}
	var rows []layerRow
	for _, l := range m.Layers() {
		rows = append(rows, layerRow{string(l.MediaType), l.Digest.String(), l.Size})
	}
	total := registry.TotalSize(m.Layers())
	list := columnList(len(rows), func(id int, cells [3]*widget.Label) {
		r := rows[id]
		size := "size unknown"
		if r.size >= 0 {
			size = humanSize(r.size)
		}
		cells[0].SetText(fmt.Sprintf("%d. %s", id+1, size))
		cells[1].SetText(printable.Line(strings.TrimPrefix(r.mediaType, "application/vnd.")))
		cells[2].SetText(shortDigest(r.digest))
	}, nil)
	head := bold(fmt.Sprintf("%d layers · %s compressed", len(rows), humanSize(total)))
	return container.NewBorder(head, nil, nil, nil, list)
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

// maxColouredJSON: larger documents are shown plain, to stay fluid.
const maxColouredJSON = 256 << 10

// jsonText shows JSON indented, with keys, strings and other values in
// their own colours.
func jsonText(raw []byte) fyne.CanvasObject {
	var buf bytes.Buffer
	if json.Indent(&buf, raw, "", "  ") != nil {
		buf.Reset()
		buf.Write(raw)
	}
	text := printable.Text(string(printable.JSON(buf.Bytes())))
	if len(text) > maxColouredJSON {
		l := widget.NewLabel(text)
		l.TextStyle.Monospace = true
		return l
	}
	var segs []widget.RichTextSegment
	var line []widget.RichTextSegment
	add := func(s string, color fyne.ThemeColorName) {
		st := widget.RichTextStyleCodeInline
		st.ColorName = color
		line = append(line, &widget.TextSegment{Text: s, Style: st})
	}
	endLine := func() {
		if len(line) == 0 {
			add("", theme.ColorNameForeground)
		}
		last := line[len(line)-1].(*widget.TextSegment)
		last.Style.Inline = false
		segs = append(segs, line...)
		line = nil
	}
	for _, l := range strings.Split(text, "\n") {
		colourLine(l, add)
		endLine()
	}
	return widget.NewRichText(segs...)
}

// colourLine splits one line of indented JSON into coloured pieces.
func colourLine(l string, add func(string, fyne.ThemeColorName)) {
	for i := 0; i < len(l); {
		c := l[i]
		switch {
		case c == '"':
			j := i + 1
			for j < len(l) && l[j] != '"' {
				if l[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(l))
			color := theme.ColorNameSuccess
			if strings.HasPrefix(strings.TrimLeft(l[j:], " "), ":") {
				color = theme.ColorNamePrimary
			}
			add(l[i:j], color)
			i = j
		case c == '-' || c >= '0' && c <= '9' || c == 't' || c == 'f' || c == 'n':
			j := i
			for j < len(l) && !strings.ContainsRune(",]} ", rune(l[j])) {
				j++
			}
			add(l[i:j], theme.ColorNameWarning)
			i = j
		default:
			j := i
			for j < len(l) && l[j] != '"' && !(l[j] == '-' || l[j] >= '0' && l[j] <= '9' || l[j] == 't' || l[j] == 'f' || l[j] == 'n') {
				j++
			}
			if j == i {
				j++
			}
			add(l[i:j], theme.ColorNameForeground)
			i = j
		}
	}
}
