package ui

import (
	"context"
	"io"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/trust"
)

// trustSettings is Settings › Trust: the trust roots, keys and
// certificates this computer verifies with (an imported one can be
// removed), buttons that import a root, a key or a certificate from a
// file or refresh Sigstore's root through TUF, and the policy's rules,
// saved with the settings.
type trustSettings struct {
	u        *UI
	ctx      context.Context
	material *fyne.Container
	status   *widget.Label
	refresh  *escButton
	rules    []*ruleRow
	rulesBox *fyne.Container
	// saved is the policy as loaded, to save only a changed one.
	saved  trust.Policy
	loaded bool
	// changed says material was imported, refreshed or removed: the badges shown
	// are asked again when the dialog closes.
	changed bool
	box     fyne.CanvasObject
}

// ruleRow is one rule's fields.
type ruleRow struct {
	scope, identity, issuer, key *dialogEntry
	box                          fyne.CanvasObject
}

func (u *UI) newTrustSettings(ctx context.Context) *trustSettings {
	v := &trustSettings{u: u, ctx: ctx, material: container.NewVBox(widget.NewLabel("Reading the trust material…")),
		status: wrapping(widget.NewLabel("")), rulesBox: container.NewVBox()}
	v.status.Hide()
	v.refresh = u.dialogButton("Refresh Sigstore's root", theme.ViewRefreshIcon(), widget.MediumImportance, v.refreshRoot)
	imports := container.NewHBox(
		u.dialogButton("Import root…", theme.FolderOpenIcon(), widget.MediumImportance, func() { v.chooseFile(app.TrustRoot) }),
		u.dialogButton("Import key…", theme.FolderOpenIcon(), widget.MediumImportance, func() { v.chooseFile(app.TrustKey) }),
		u.dialogButton("Import certificate…", theme.FolderOpenIcon(), widget.MediumImportance, func() { v.chooseFile(app.TrustCertificate) }),
		v.refresh)
	addRule := u.dialogButton("Add rule", theme.ContentAddIcon(), widget.MediumImportance, func() { v.addRule(trust.Rule{}) })
	intro := wrapping(widget.NewLabel("Images are verified on this computer against these trust roots (a Sigstore trusted_root.json), public keys (cosign.pub) and certificates (Notation)."))
	rulesIntro := wrapping(widget.NewLabel("A rule says whose signature the images of a registry (ghcr.io) or of repositories (ghcr.io/acme/*) need: cards and tags there get a green or red badge."))
	v.box = container.NewVBox(intro, v.material, imports, v.status, sectionHead("Policy"), rulesIntro, v.rulesBox, container.NewHBox(layout.NewSpacer(), addRule))
	if u.core.Settings().ShowDemo {
		demo := wrapping(widget.NewLabel("The demo registry also trusts its publisher's key (" + app.DemoKeyName + ") and asks for it there, unless a rule here names the demo registry; that key vouches for nothing else."))
		demo.Importance = widget.LowImportance
		v.box.(*fyne.Container).Add(demo)
	}
	v.load()
	return v
}

// load lists the material, and the rules the first time.
func (v *trustSettings) load() {
	v.u.core.TrustMaterial(v.ctx, func(m *trust.Material, p trust.Policy, err error) {
		v.u.do(func() {
			if !wanted(v.ctx) {
				return
			}
			if err != nil {
				v.say("Some trust material is left out: "+err.Error(), widget.WarningImportance)
			}
			v.showMaterial(m)
			if !v.loaded {
				v.loaded, v.saved = true, p
				for _, r := range p.Rules {
					v.addRule(r)
				}
			}
		})
	})
}

func (v *trustSettings) say(text string, importance widget.Importance) {
	v.status.Text, v.status.Importance = printable.Line(text), importance
	v.status.Refresh()
	v.status.Show()
}

// showMaterial lists every root, key and certificate, the imported ones
// with a Remove button.
func (v *trustSettings) showMaterial(m *trust.Material) {
	var rows []fyne.CanvasObject
	row := func(text string, kind app.TrustKind, name string) {
		l := wrapping(widget.NewLabel(printable.Line(text)))
		if kind == "" {
			rows = append(rows, l)
			return
		}
		remove := v.u.dialogButton("Remove", theme.DeleteIcon(), widget.LowImportance, func() { v.remove(kind, name) })
		rows = append(rows, container.NewBorder(nil, nil, nil, remove, l))
	}
	if m != nil {
		for _, r := range m.Roots {
			kind := app.TrustKind("")
			if r.Source == trust.SourceImported {
				kind = app.TrustRoot
			}
			row("Root: "+r.Name+" — "+r.Source+", of "+r.Date.UTC().Format(time.DateOnly), kind, r.Name)
		}
		for _, k := range m.Keys {
			row("Key: "+k.Name+" — SHA-256 "+shortFingerprint(k.Fingerprint), app.TrustKey, k.Name)
		}
		var seen []string
		for _, c := range m.Certificates {
			if slices.Contains(seen, c.Name) {
				continue
			}
			seen = append(seen, c.Name)
			row("Certificate: "+c.Name+" — "+c.Cert.Subject.String(), app.TrustCertificate, c.Name)
		}
	}
	if len(rows) == 0 {
		rows = append(rows, widget.NewLabel("No trust material."))
	}
	v.material.Objects = rows
	v.material.Refresh()
}

func shortFingerprint(f string) string {
	if len(f) > 16 {
		return f[:16] + "…"
	}
	return f
}

// chooseFile asks for a file of kind to import.
func (v *trustSettings) chooseFile(kind app.TrustKind) {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		name := importName(r.URI().Name())
		go func() { // the file is read off the UI goroutine
			defer r.Close()
			raw, err := io.ReadAll(io.LimitReader(r, 4<<20))
			v.u.do(func() {
				if err != nil {
					v.say("Could not read "+name+": "+err.Error(), widget.DangerImportance)
					return
				}
				v.importFile(kind, name, raw)
			})
		}()
	}, v.u.win)
	fd.Show()
}

var notInName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// importName is the name a file is kept under: its name without its
// extension, in the characters the store takes.
func importName(file string) string {
	name := strings.TrimSuffix(file, path.Ext(file))
	name = strings.Trim(notInName.ReplaceAllString(name, "-"), "-._")
	if len(name) > 64 {
		name = name[:64]
	}
	if name == "" {
		name = "imported"
	}
	return name
}

// importFile keeps raw as kind under name, in the background.
func (v *trustSettings) importFile(kind app.TrustKind, name string, raw []byte) {
	v.u.core.ImportTrust(v.ctx, kind, name, raw, v.changeAnswer("Not imported: ", "Imported "+name+"; images are verified again with it.", widget.SuccessImportance))
}

// refreshRoot fetches Sigstore's public-good root through TUF, in the
// background.
func (v *trustSettings) refreshRoot() {
	v.say("Refreshing Sigstore's public-good root through TUF…", widget.LowImportance)
	v.u.core.RefreshTrustRoot(v.ctx, func(r trust.Root, err error) {
		v.changeAnswer("Sigstore's root could not be refreshed (is this computer online?); the one kept is still used. ",
			"Sigstore's public-good root refreshed through TUF, of "+r.Date.UTC().Format(time.DateOnly)+"; images are verified again with it.", widget.SuccessImportance)(err)
	})
}

// remove forgets an imported root, key or certificate, in the background.
func (v *trustSettings) remove(kind app.TrustKind, name string) {
	v.u.core.RemoveTrust(v.ctx, kind, name, v.changeAnswer("Not removed: ", "Removed "+name+".", widget.MediumImportance))
}

// changeAnswer is what a change to the trust material does once it is
// done: the error after refused, or done said and the material listed
// again (the badges shown are asked again when the dialog closes).
func (v *trustSettings) changeAnswer(refused, done string, importance widget.Importance) func(error) {
	return func(err error) {
		v.u.do(func() {
			if !wanted(v.ctx) {
				return
			}
			if err != nil {
				v.say(refused+err.Error(), widget.DangerImportance)
				return
			}
			v.changed = true
			v.say(done, importance)
			v.load()
		})
	}
}

// addRule adds a row of fields for r.
func (v *trustSettings) addRule(r trust.Rule) {
	field := func(text, hint string) *dialogEntry {
		e := v.u.dialogEntry(false)
		e.SetPlaceHolder(hint)
		e.SetText(text)
		return e
	}
	row := &ruleRow{
		scope:    field(r.Scope, "registry or repository: ghcr.io/acme/*"),
		identity: field(r.Identity, "signer: https://github.com/acme/*"),
		issuer:   field(r.Issuer, "issuer: https://token.actions.githubusercontent.com"),
		key:      field(r.Key, "or the name of an imported key"),
	}
	remove := v.u.dialogButton("", theme.DeleteIcon(), widget.LowImportance, nil)
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel("Scope"), row.scope, widget.NewLabel("Identity"), row.identity,
		widget.NewLabel("Issuer"), row.issuer, widget.NewLabel("Key"), row.key)
	row.box = container.NewVBox(container.NewBorder(nil, nil, nil, remove, form), widget.NewSeparator())
	remove.OnTapped = func() {
		v.rules = slices.DeleteFunc(v.rules, func(x *ruleRow) bool { return x == row })
		v.rulesBox.Remove(row.box)
	}
	v.rules = append(v.rules, row)
	v.rulesBox.Add(row.box)
}

// policy is the rules as the fields say, leaving out rows with no scope
// and nothing else.
func (v *trustSettings) policy() trust.Policy {
	var p trust.Policy
	for _, r := range v.rules {
		rule := trust.Rule{Scope: strings.TrimSpace(r.scope.Text), Identity: strings.TrimSpace(r.identity.Text),
			Issuer: strings.TrimSpace(r.issuer.Text), Key: strings.TrimSpace(r.key.Text)}
		if rule == (trust.Rule{}) {
			continue
		}
		p.Rules = append(p.Rules, rule)
	}
	return p
}

// save saves the rules when they changed, in the background; done is
// called only then, with what went wrong.
func (v *trustSettings) save(done func(error)) {
	p := v.policy()
	if !v.loaded || slices.Equal(p.Rules, v.saved.Rules) {
		return
	}
	v.u.core.SavePolicy(context.Background(), p, func(err error) { v.u.do(func() { done(err) }) })
}
