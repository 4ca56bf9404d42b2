package ui

import (
	"errors"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/registry"
)

// registryDialog adds or edits a sidebar entry, checking the address as it
// is typed.
type registryDialog struct {
	dialog    dialog.Dialog
	name      *dialogEntry
	address   *dialogEntry
	plainHTTP *escCheck
	insecure  *escCheck
	namespace *dialogEntry
	verdict   *widget.Label
	save      *escButton
	entry     app.Entry // what Save would store
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

func (u *UI) showRegistryDialog(editing *app.Entry) {
	d := &registryDialog{
		plainHTTP: u.dialogCheck("Plain HTTP (no TLS: a registry on this machine or a trusted network)", nil),
		insecure:  u.dialogCheck("Do not verify the TLS certificate (self-signed)", nil),
		verdict:   widget.NewLabel(""),
	}
	d.name, d.address, d.namespace = u.dialogEntry(false), u.dialogEntry(false), u.dialogEntry(false)
	d.name.SetPlaceHolder("Name in the sidebar (optional)")
	d.address.SetPlaceHolder("ghcr.io, https://quay.io, localhost:5000, docker.io")
	d.namespace.SetPlaceHolder("Docker Hub namespace to list (default: yours, else library)")
	d.verdict.Wrapping = fyne.TextWrapWord
	title, action := "Add a registry", "Add"
	if editing != nil {
		title, action = "Edit "+editing.Name, "Save"
		d.name.SetText(editing.Name)
		d.address.SetText(editing.Address)
		d.plainHTTP.SetChecked(editing.PlainHTTP)
		d.insecure.SetChecked(editing.Insecure)
		d.namespace.SetText(editing.Namespace)
	}
	validate := func() {
		e, err := app.NewEntry(d.name.Text, d.address.Text, d.plainHTTP.Checked, d.insecure.Checked)
		switch {
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
		how := "over HTTPS"
		switch {
		case reg.PlainHTTP:
			how = "over plain HTTP"
		case reg.Insecure:
			how = "over HTTPS without checking its certificate"
		}
		verdict := "✓ " + reg.String() + " " + how
		if e.HubAPI != "" {
			verdict += "; Docker Hub has no catalog, so Card Catalog lists a namespace"
			e.Namespace = strings.TrimSpace(d.namespace.Text)
			d.namespace.Show()
		} else {
			d.namespace.Hide()
		}
		d.entry = e
		if dup := u.duplicateOf(e, editing); dup != "" {
			d.setVerdict("This registry is in the sidebar already, as "+dup+".", widget.DangerImportance)
			d.save.Disable()
			return
		}
		d.setVerdict(verdict, widget.SuccessImportance)
		d.save.Enable()
	}
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
		delete(u.status, d.entry.ID)
		u.core.Select(d.entry.ID)
		u.sidebar.UnselectAll()
		u.current = app.Entry{}
		u.reloadEntries()
	})
	for _, e := range []*dialogEntry{d.name, d.address, d.namespace} {
		e.OnChanged = func(string) { validate() }
	}
	d.plainHTTP.OnChanged = func(bool) { validate() }
	d.insecure.OnChanged = func(bool) { validate() }
	d.address.OnSubmitted = func(string) {
		if !d.save.Disabled() {
			d.save.OnTapped()
		}
	}
	form := widget.NewForm(widget.NewFormItem("Address", d.address), widget.NewFormItem("Name", d.name))
	cancel := u.dialogButton("Cancel", nil, widget.MediumImportance, func() { d.dialog.Hide() })
	content := container.NewVBox(form, d.plainHTTP, d.insecure, d.namespace, d.verdict,
		container.NewHBox(layout.NewSpacer(), cancel, d.save))
	validate()
	d.dialog = dialog.NewCustomWithoutButtons(title, content, u.win)
	d.dialog.Resize(fyne.NewSize(580, 0))
	u.registryDlg = d
	u.openDialog(d.dialog, func() {
		if !d.save.Disabled() {
			d.save.OnTapped()
		}
	})
	u.win.Canvas().Focus(d.address)
}

// setVerdict shows what the dialog thinks of the address, in the colour of
// its importance (set before the text, so the colour changes with it).
func (d *registryDialog) setVerdict(text string, importance widget.Importance) {
	d.verdict.Importance = importance
	d.verdict.SetText(printable.Line(text))
}

// duplicateOf names the sidebar entry that already has e's registry, other
// than the one being edited; "" when none does.
func (u *UI) duplicateOf(e app.Entry, editing *app.Entry) string {
	for _, o := range u.entries {
		if o.ID == e.ID && (editing == nil || o.ID != editing.ID) {
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
		u.current = app.Entry{}
		u.core.Select(app.DemoID)
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
	if i := slices.IndexFunc(u.entries, func(e app.Entry) bool { return e.ID == u.current.ID }); i >= 0 {
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
