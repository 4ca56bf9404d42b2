package ui

import (
	"cmp"
	"context"
	"errors"
	"fmt"
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
	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
)

// registryDialog adds or edits a sidebar entry: the kind of registry
// first, which fills in its address from the parts it asks for and says
// how to sign in; the address is checked as it is typed.
type registryDialog struct {
	dialog dialog.Dialog
	kind   *escSelect
	// fields are the kind's parts (an ECR account and region, a GitLab
	// project); form holds them with the address and name, in a form made
	// again for each kind (a Form lays its items out once).
	fields    []*dialogEntry
	form      *fyne.Container
	name      *dialogEntry
	address   *dialogEntry
	plainHTTP *escCheck
	// plainTyped: the address says http://, and so the box is ticked.
	plainTyped bool
	insecure   *escCheck
	keep       *escCheck
	namespace  *dialogEntry
	// signIn says how to sign in to the kind; helper what its credential
	// helper gives.
	signIn  *widget.Label
	helper  *widget.Label
	verdict *widget.Label
	save    *escButton
	entry   settings.Entry // what Save would store

	// helperFor is the registry the helper line is about; stopHelper
	// stops asking for another.
	helperFor  string
	stopHelper context.CancelFunc
	// probing is the question whether the address answers, under way.
	probing latest
}

func (u *UI) showAddRegistry() { u.showRegistryDialog(nil) }

func (u *UI) showEditRegistry() {
	if u.current.IsDemo() || u.current.ID == "" {
		u.inform("Demo registry", "The demo registry is built in: turn it off in the settings.")
		return
	}
	e := u.current
	u.showRegistryDialog(&e)
}

func (u *UI) showRegistryDialog(editing *settings.Entry) {
	d := &registryDialog{
		plainHTTP:  u.dialogCheck("Plain HTTP (no TLS: a registry on this machine or a trusted network)", nil),
		insecure:   u.dialogCheck("Do not verify the TLS certificate (self-signed)", nil),
		keep:       u.dialogCheck("Keep a copy on this computer (what was seen opens again offline)", nil),
		signIn:     widget.NewLabel(""),
		helper:     widget.NewLabel(""),
		verdict:    widget.NewLabel(""),
		stopHelper: func() {},
	}
	labels := make([]string, len(kinds.All))
	for i, k := range kinds.All {
		labels[i] = k.Label
	}
	d.kind = u.dialogSelect(labels, nil)
	d.name, d.address, d.namespace = u.dialogEntry(false), u.dialogEntry(false), u.dialogEntry(false)
	d.name.SetPlaceHolder("Name in the sidebar (optional)")
	d.namespace.SetPlaceHolder("Docker Hub namespace to list (default: yours, else library)")
	for _, l := range []*widget.Label{d.signIn, d.helper, d.verdict} {
		l.Wrapping = fyne.TextWrapWord
	}
	d.signIn.Importance = widget.LowImportance
	d.form = container.NewStack()
	title, action := "Add a registry", "Add"
	validate := func() { u.validateRegistry(d, editing) }
	d.kind.OnChanged = func(string) {
		d.showKind(u, editing, validate)
		validate()
	}
	if editing != nil {
		title, action = "Edit "+editing.Name, "Save"
		fill(&d.name.Entry, editing.Name)
		fill(&d.address.Entry, editing.Address)
		d.plainHTTP.SetChecked(editing.PlainHTTP)
		d.insecure.SetChecked(editing.Insecure)
		fill(&d.namespace.Entry, editing.Namespace)
	}
	d.keep.SetChecked(editing == nil || !editing.NoCache)
	d.save = u.dialogButton(action, theme.ConfirmIcon(), widget.HighImportance, func() {
		var err error
		if editing != nil {
			err = u.core.UpdateEntry(editing.ID, d.entry)
		} else {
			err = u.core.AddEntry(d.entry)
		}
		if err != nil {
			d.setVerdict(err.Error(), widget.DangerImportance)
			d.save.Disable()
			return
		}
		d.dialog.Hide()
		if editing != nil && !editing.NoCache && d.entry.NoCache {
			u.forgetKept(*editing)
		}
		delete(u.status, d.entry.ID)
		u.core.Select(d.entry.ID)
		u.sidebar.UnselectAll()
		u.current = settings.Entry{}
		u.reloadEntries()
	})
	for _, e := range []*dialogEntry{d.name, d.address, d.namespace} {
		e.OnChanged = func(string) { validate() }
	}
	d.plainHTTP.OnChanged = func(bool) { validate() }
	d.insecure.OnChanged = func(bool) { validate() }
	d.keep.OnChanged = func(bool) { validate() }
	submit := func(string) {
		if !d.save.Disabled() {
			d.save.OnTapped()
		}
	}
	d.address.OnSubmitted, d.name.OnSubmitted = submit, submit
	cancel := u.dialogButton("Cancel", nil, widget.MediumImportance, func() { d.dialog.Hide() })
	content := container.NewVBox(d.form, d.signIn, d.plainHTTP, d.insecure, d.keep, d.namespace, d.helper, d.verdict,
		container.NewHBox(layout.NewSpacer(), cancel, d.save))
	kind := kinds.Other
	if editing != nil {
		kind = editing.KindInfo().Kind
	}
	d.kind.SetSelectedIndex(slices.IndexFunc(kinds.All, func(k kinds.Info) bool { return k.Kind == kind }))
	d.dialog = dialog.NewCustomWithoutButtons(title, content, u.win)
	d.dialog.Resize(fyne.NewSize(600, 0))
	u.registryDlg = d
	u.openDialog(d.dialog, func() {
		if !d.save.Disabled() {
			d.save.OnTapped()
		}
	})
	d.dialog.SetOnClosed(func() { d.stopHelper(); d.probing.stop(); u.closedDialog(d.dialog) })
	if len(d.fields) > 0 {
		u.win.Canvas().Focus(d.fields[0])
	} else {
		u.win.Canvas().Focus(d.address)
	}
}

// kindInfo is the kind chosen.
func (d *registryDialog) kindInfo() kinds.Info {
	if i := d.kind.SelectedIndex(); i >= 0 {
		return kinds.All[i]
	}
	return kinds.Of(kinds.Other)
}

// showKind lays the form out for the kind chosen: its parts, the address
// (filled with the kind's own), the name.
func (d *registryDialog) showKind(u *UI, editing *settings.Entry, validate func()) {
	info := d.kindInfo()
	d.fields = nil
	items := []*widget.FormItem{widget.NewFormItem("Kind", d.kind)}
	for _, f := range info.Fields {
		entry := u.dialogEntry(false)
		entry.SetPlaceHolder(f.Placeholder)
		if editing != nil && info.Kind == kinds.GitLab {
			fill(&entry.Entry, []string{editing.Project, editing.GitLabAPI}[len(d.fields)])
		}
		entry.OnChanged = func(string) { d.compose(); validate() }
		d.fields = append(d.fields, entry)
		items = append(items, widget.NewFormItem(f.Label, entry))
	}
	items = append(items, widget.NewFormItem("Address", d.address), widget.NewFormItem("Name", d.name))
	d.form.Objects = []fyne.CanvasObject{widget.NewForm(items...)}
	d.form.Refresh()
	d.address.SetPlaceHolder(cmp.Or(info.Placeholder, info.Address))
	if editing == nil {
		fill(&d.address.Entry, info.Address)
	}
	d.signIn.SetText("Signing in: " + info.SignIn)
}

// compose fills the address from the kind's parts once they are all good.
func (d *registryDialog) compose() {
	info := d.kindInfo()
	if info.Compose == nil {
		return
	}
	values := make([]string, len(d.fields))
	for i, f := range d.fields {
		values[i] = strings.ToLower(strings.TrimSpace(f.Text))
		if !info.Fields[i].Valid(values[i]) {
			return
		}
	}
	fill(&d.address.Entry, info.Compose(values))
}

// validateRegistry checks what the dialog holds and says what it thinks.
func (u *UI) validateRegistry(d *registryDialog, editing *settings.Entry) {
	d.probing.stop() // an answer about another address is not wanted
	info := d.kindInfo()
	d.namespace.Hide()
	var parts []string
	for i, f := range info.Fields {
		parts = append(parts, strings.ToLower(f.Label))
		if text := strings.TrimSpace(d.fields[i].Text); text != "" && !f.Valid(strings.ToLower(text)) {
			d.setVerdict(fmt.Sprintf("That is not a %s: it looks like %s.", strings.ToLower(f.Label), strings.Fields(f.Placeholder)[0]), widget.DangerImportance)
			d.save.Disable()
			return
		}
	}
	if typed := strings.HasPrefix(strings.ToLower(strings.TrimSpace(d.address.Text)), "http://"); typed != d.plainTyped {
		// The box follows an address typed with http://, and lets go
		// when that goes (set without OnChanged: this is the validation
		// it would run).
		d.plainTyped = typed
		d.plainHTTP.Checked = typed
		d.plainHTTP.Refresh()
	}
	e, err := settings.NewEntry(d.name.Text, d.address.Text, d.plainHTTP.Checked, d.insecure.Checked)
	switch {
	case strings.TrimSpace(d.address.Text) == "" && info.Compose != nil:
		d.setVerdict("Type the "+strings.Join(parts, " and ")+" (or the address).", widget.MediumImportance)
		d.save.Disable()
		return
	case strings.TrimSpace(d.address.Text) == "":
		d.setVerdict("Type the registry's address.", widget.MediumImportance)
		d.save.Disable()
		return
	case err != nil:
		d.setVerdict(strings.TrimPrefix(err.Error(), registry.ErrInvalidReference.Error()+": "), widget.DangerImportance)
		d.save.Disable()
		return
	}
	reg, _ := e.Registry()
	e.Kind = info.Kind
	e.NoCache = !d.keep.Checked
	if info.Kind == kinds.GitLab {
		e.Project = strings.Trim(strings.TrimSpace(d.fields[0].Text), "/")
		e.GitLabAPI = strings.TrimSpace(d.fields[1].Text)
	}
	var notes string
	shown := e.KindInfo()
	d.signIn.SetText("Signing in: " + shown.SignIn)
	if e.HubAPI != "" {
		notes += "; Docker Hub has no catalog, so Card Catalog lists a namespace"
		e.Namespace = strings.TrimSpace(d.namespace.Text)
		d.namespace.Show()
	}
	if e.Kind == kinds.GitLab && e.Project == "" {
		notes += "; GitLab lists its repositories by project: name one to list it"
	}
	if info.Kind == kinds.Other && shown.Kind != kinds.Other {
		notes += " (" + shown.Label + ")"
	}
	d.entry = e
	u.askHelper(d, e)
	if dup := u.duplicateOf(e, editing); dup != "" {
		d.setVerdict("This registry is in the sidebar already, as "+dup+".", widget.DangerImportance)
		d.save.Disable()
		return
	}
	d.save.Enable()
	u.probeAddress(d, e, reg, notes)
}

// spokenOver says how the dialog would talk to reg: "over HTTPS".
func spokenOver(reg registry.Registry) string {
	switch {
	case reg.PlainHTTP:
		return "over plain HTTP"
	case reg.Insecure:
		return "over HTTPS without checking its certificate"
	}
	return "over HTTPS"
}

// probeAddress asks, once the address rests, whether a registry answers
// there as the dialog says it speaks, and says so; the ✓ waits for its
// answer. notes end the verdict (the kind's remarks).
func (u *UI) probeAddress(d *registryDialog, e settings.Entry, reg registry.Registry, notes string) {
	how := spokenOver(reg)
	d.setVerdict("Asking "+reg.String()+" "+how+"…"+notes, widget.MediumImportance)
	ctx := d.probing.start(context.Background())
	pause := time.AfterFunc(addressRest, func() {
		u.core.Probe(ctx, e, func(err error) {
			u.do(func() {
				if wanted(ctx) {
					d.setVerdict(probeVerdict(reg, err)+notes, probeImportance(err))
				}
			})
		})
	})
	context.AfterFunc(ctx, func() { pause.Stop() })
}

// probeVerdict says what the address answered.
func probeVerdict(reg registry.Registry, err error) string {
	how := spokenOver(reg)
	switch {
	case err == nil:
		return "✓ " + reg.String() + " answers " + how
	case app.Answers(err):
		return "✓ " + reg.String() + " answers " + how + ", and asks for a login: sign in once it is added"
	case errors.Is(err, registry.ErrPlainHTTP):
		return reg.String() + " speaks plain HTTP, not HTTPS: switch on Plain HTTP, if the network to it is yours"
	case reg.PlainHTTP && errors.Is(err, registry.ErrServer):
		return reg.String() + " does not answer as a registry over plain HTTP: if it speaks HTTPS, switch Plain HTTP off"
	}
	return "No registry answers at " + reg.String() + " " + how + " yet (" + statusOf(err).Detail + "); it can still be added"
}

func probeImportance(err error) widget.Importance {
	switch {
	case app.Answers(err):
		return widget.SuccessImportance
	case errors.Is(err, registry.ErrPlainHTTP), errors.Is(err, registry.ErrServer):
		return widget.DangerImportance
	}
	return widget.WarningImportance
}

// askHelper says whether a credential helper of e's kind is installed and
// gives a login for it, asked in the background (a helper is a program
// that may take seconds).
func (u *UI) askHelper(d *registryDialog, e settings.Entry) {
	helpers := e.KindInfo().Helpers
	if d.helperFor == e.ID {
		return
	}
	d.stopHelper()
	d.helperFor = e.ID
	if len(helpers) == 0 {
		d.helper.SetText("")
		d.helper.Hide()
		return
	}
	d.helper.Show()
	d.helper.Importance = widget.MediumImportance
	d.helper.SetText("Looking for docker-credential-" + helpers[0] + "…")
	ctx, stop := context.WithCancel(context.Background())
	answer := func(found, user string, err error) {
		u.do(func() {
			if !wanted(ctx) {
				return
			}
			d.helper.Importance = widget.MediumImportance
			switch {
			case err != nil:
				d.helper.SetText(printable.Line(err.Error()) + ": sign in after adding it.")
			case user != "":
				d.helper.Importance = widget.SuccessImportance
				d.helper.SetText("✓ " + found + " gives a login as " + printable.Line(user) + ": Card Catalog uses it, with no password to type, and asks it again when the login runs out.")
			case found != "":
				d.helper.SetText(found + " is installed but has no login for this registry: sign in after adding it.")
			default:
				d.helper.SetText("With docker-credential-" + helpers[0] + " installed, Card Catalog would sign in by itself.")
			}
			d.helper.Refresh()
		})
	}
	// Asked once the address rests: a helper is a program that may call
	// its cloud, not one to run for every prefix typed.
	pause := time.AfterFunc(addressRest, func() { u.core.AskHelper(ctx, e, answer) })
	d.stopHelper = func() { pause.Stop(); stop() }
}

// addressRest is how long the address rests before its helper is asked.
const addressRest = 400 * time.Millisecond

// setVerdict shows what the dialog thinks of the address, in the colour of
// its importance (set before the text, so the colour changes with it).
func (d *registryDialog) setVerdict(text string, importance widget.Importance) {
	d.verdict.Importance = importance
	d.verdict.SetText(printable.Line(text))
}

// duplicateOf names the sidebar entry that already has e's registry, other
// than the one being edited; "" when none does.
func (u *UI) duplicateOf(e settings.Entry, editing *settings.Entry) string {
	for _, o := range u.entries {
		if e.SameRegistry(o) && (editing == nil || o.ID != editing.ID) {
			return o.Name
		}
	}
	return ""
}

func (u *UI) confirmRemove() {
	e := u.current
	if e.IsDemo() || e.ID == "" {
		u.inform("Demo registry", "The demo registry is built in: turn it off in the settings.")
		return
	}
	var d dialog.Dialog
	remove := func() {
		d.Hide()
		u.core.RemoveEntry(e.ID)
		u.sidebar.UnselectAll()
		u.current = settings.Entry{}
		u.core.Select(settings.DemoID)
		u.reloadEntries()
	}
	text := widget.NewLabel("It leaves the sidebar. A login in the keychain stays until you sign out.")
	text.Wrapping = fyne.TextWrapWord
	d = u.showDialog("Remove "+e.Name+"?", text, remove,
		u.dialogButton("Cancel", theme.CancelIcon(), widget.MediumImportance, func() { d.Hide() }),
		u.dialogButton("Remove", theme.DeleteIcon(), widget.DangerImportance, remove))
	d.Resize(fyne.NewSize(420, 0))
}

func (u *UI) moveEntry(delta int) {
	if u.current.IsDemo() {
		return
	}
	u.core.MoveEntry(u.current.ID, delta)
	u.entries = u.core.Entries()
	u.sidebar.Refresh()
	if i := slices.IndexFunc(u.entries, func(e settings.Entry) bool { return e.ID == u.current.ID }); i >= 0 {
		u.sidebar.Select(i)
	}
}

// showOpenByName opens a repository of the current registry by its name,
// for registries that do not list them.
func (u *UI) showOpenByName() {
	if u.current.ID == "" {
		return
	}
	var d dialog.Dialog
	name := u.dialogEntry(false)
	name.SetPlaceHolder("library/python, team/app")
	if u.current.HubAPI != "" {
		name.SetPlaceHolder("python, bitnami/redis")
	}
	var repo string
	check := func(text string) error {
		text = strings.Trim(strings.TrimSpace(text), "/")
		if text == "" {
			return errors.New("type a repository name")
		}
		ref, err := registry.ParseRepository(u.current.Address+"/"+text, u.current.PlainHTTP, u.current.Insecure)
		if err != nil {
			return errors.New(strings.TrimPrefix(err.Error(), registry.ErrInvalidReference.Error()+": "))
		}
		repo = ref.Repository
		return nil
	}
	name.Validator = check
	open := func() {
		if check(name.Text) != nil {
			return
		}
		d.Hide()
		u.backTo(1) // a repository opened by name follows its registry's grid, not the trail shown
		u.push(newRepositoryPage(u, u.current, repo))
	}
	name.OnSubmitted = func(string) { open() }
	form := widget.NewForm(widget.NewFormItem("Repository", name))
	d = u.showDialog("Open a repository of "+u.current.Name, form, open,
		u.dialogButton("Cancel", theme.CancelIcon(), widget.MediumImportance, func() { d.Hide() }),
		u.dialogButton("Open", theme.ConfirmIcon(), widget.HighImportance, open))
	d.Resize(fyne.NewSize(480, 0))
	u.win.Canvas().Focus(name)
}

// togglePin pins or unpins the repository shown, or the card under the
// cursor.
func (u *UI) togglePin() {
	switch p := u.top().(type) {
	case *repositoryPage:
		p.togglePin()
	case *catalogPage:
		if name := p.cursorName(); name != "" {
			pinned := !p.pinned[name]
			u.core.SetPinned(p.entry.ID, name, pinned)
			u.show(u.current)
		}
	}
}
