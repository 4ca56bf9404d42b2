package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry/credential"
)

// loginDialog is the sign-in dialog of one registry; its widgets are fields
// so tests can drive it.
type loginDialog struct {
	entry  settings.Entry
	dialog dialog.Dialog
	// ctx lives while the dialog is open.
	ctx context.Context
	// hint says what to type, for the registry's kind.
	hint      *widget.Label
	user      *dialogEntry
	pass      *dialogEntry
	result    *widget.Label
	testLogin *escButton
	signIn    *escButton
	signOut   *escButton
	// keepForSession and giveUp answer "the keychain is not available".
	keepForSession, giveUp *escButton
	keychainProblem        *fyne.Container
}

// showLogin opens the sign-in dialog for the registry shown.
func (u *UI) showLogin() {
	e := u.current
	if e.IsDemo() {
		u.inform("Demo registry", "The demo registry needs no login.")
		return
	}
	if _, err := e.Registry(); err != nil {
		u.inform("Sign in", err.Error())
		return
	}
	d := &loginDialog{entry: e}
	var closed context.CancelFunc
	d.ctx, closed = context.WithCancel(context.Background())
	d.user = u.dialogEntry(false)
	d.user.SetPlaceHolder("User name")
	d.pass = u.dialogEntry(true)
	d.pass.SetPlaceHolder("Password or access token")
	d.result = widget.NewLabel("")
	d.result.Wrapping = fyne.TextWrapWord
	kind := e.KindInfo()
	d.hint = widget.NewLabel(kind.SignIn)
	d.hint.Wrapping = fyne.TextWrapWord

	d.testLogin = u.dialogButton("Test login", nil, widget.MediumImportance, func() { u.testLogin(d, nil) })
	d.signIn = u.dialogButton("Sign in", theme.LoginIcon(), widget.HighImportance, func() {
		u.testLogin(d, func() { u.saveLogin(d, false) })
	})
	d.pass.OnSubmitted = func(string) { d.signIn.OnTapped() }
	d.signOut = u.dialogButton("Sign out", theme.LogoutIcon(), widget.MediumImportance, func() { u.logout(d) })
	if u.statusOf(e).User == "" {
		d.signOut.Hide()
		fill(&d.user.Entry, kind.User)
	} else {
		fill(&d.user.Entry, u.statusOf(e).User)
	}
	cancel := u.dialogButton("Cancel", nil, widget.MediumImportance, func() { d.dialog.Hide() })

	problem := widget.NewLabel("")
	problem.Wrapping = fyne.TextWrapWord
	d.keepForSession = u.dialogButton("Keep for this session only", nil, widget.MediumImportance, func() { u.saveLogin(d, true) })
	d.giveUp = u.dialogButton("Do not keep it", nil, widget.MediumImportance, func() { d.keychainProblem.Hide() })
	d.keychainProblem = container.NewVBox(widget.NewSeparator(), problem, container.NewHBox(d.keepForSession, d.giveUp))
	d.keychainProblem.Hide()

	form := widget.NewForm(widget.NewFormItem("User", d.user), widget.NewFormItem("Password", d.pass))
	buttons := container.NewHBox(d.signOut, layout.NewSpacer(), cancel, d.testLogin, d.signIn)
	content := container.NewVBox(d.hint, form, d.result, d.keychainProblem, buttons)
	d.dialog = dialog.NewCustomWithoutButtons("Sign in to "+e.Name, content, u.win)
	d.dialog.Resize(fyne.NewSize(560, 0))
	u.login = d
	u.openDialog(d.dialog, func() {
		if !d.signIn.Disabled() {
			d.signIn.OnTapped()
		}
	})
	d.dialog.SetOnClosed(closed) // answers that come later are not wanted
	if d.user.Text != "" {
		u.win.Canvas().Focus(d.pass) // the user the kind always takes, or the one signed in
	} else {
		u.win.Canvas().Focus(d.user)
	}
}

// testLogin checks the typed login against the registry and says how it
// went; then runs next when it may be saved.
func (u *UI) testLogin(d *loginDialog, next func()) {
	user, pass := strings.TrimSpace(d.user.Text), d.pass.Text
	if user == "" || pass == "" {
		d.result.SetText("Type a user name and a password or token.")
		return
	}
	d.result.SetText("Checking with " + d.entry.Name + "…")
	d.testLogin.Disable()
	d.signIn.Disable()
	u.core.TestLogin(d.ctx, d.entry, user, pass, func(r app.LoginResult) {
		u.do(func() {
			if !wanted(d.ctx) {
				return // the dialog has closed
			}
			d.testLogin.Enable()
			d.signIn.Enable()
			d.result.SetText(loginWords(r))
			if r.OK() && next != nil {
				next()
			}
		})
	})
}

// saveLogin keeps the login and reloads the registry with it. When the
// keychain cannot take it, the person chooses: this session only, or not at
// all. Nothing is ever written to a file instead. The keychain is asked in
// the background: a locked one may wait on its unlock prompt.
func (u *UI) saveLogin(d *loginDialog, sessionOnly bool) {
	d.setBusy(true)
	// The save itself is not cancelled with the dialog: a keychain write
	// cannot be taken back half way.
	u.core.SaveLogin(context.Background(), d.entry, strings.TrimSpace(d.user.Text), d.pass.Text, sessionOnly, func(err error) {
		u.do(func() {
			if !wanted(d.ctx) {
				if err == nil {
					u.check(d.entry) // saved after the dialog closed
				}
				return
			}
			d.setBusy(false)
			if errors.Is(err, credential.ErrKeychainUnavailable) {
				d.result.SetText("The login works.")
				label := d.keychainProblem.Objects[1].(*widget.Label)
				label.SetText("But " + printable.Line(keychainWords(err)) + ", so it cannot keep the login. Card Catalog can keep it in memory until it closes; it never writes a password to a file.")
				d.keychainProblem.Show()
				return
			}
			if err != nil {
				d.result.SetText(printable.Line(err.Error()))
				return
			}
			d.dialog.Hide()
			u.check(d.entry)
			u.show(d.entry)
		})
	})
}

// keychainWords is why the keychain failed, as the rest of a sentence:
// "the keychain is locked".
func keychainWords(err error) string {
	msg := strings.TrimPrefix(err.Error(), credential.ErrKeychainUnavailable.Error()+": ")
	if strings.HasPrefix(msg, "the ") {
		return msg
	}
	return "the OS keychain is not available (" + msg + ")"
}

// setBusy disables the dialog's actions while the keychain is asked.
func (d *loginDialog) setBusy(busy bool) {
	for _, b := range []*escButton{d.testLogin, d.signIn, d.signOut, d.keepForSession} {
		if busy {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

func (u *UI) logout(d *loginDialog) {
	d.setBusy(true)
	u.core.Logout(context.Background(), d.entry, func(err error) {
		u.do(func() {
			if !wanted(d.ctx) {
				u.check(d.entry)
				return
			}
			d.setBusy(false)
			var readOnly *credential.ReadOnlyLoginError
			if err != nil && !errors.As(err, &readOnly) {
				d.result.SetText(printable.Line(err.Error()))
				return
			}
			d.dialog.Hide()
			if readOnly != nil {
				u.inform("Signed out", readOnly.Error())
			} else if !d.entry.NoCache && u.core.Cache() != nil && !d.entry.IsDemo() {
				u.offerToForget(d.entry)
			}
			u.check(d.entry)
			u.show(d.entry)
		})
	})
}

// offerToForget asks, after signing out, whether what this computer kept
// of the registry goes too (a shared computer, a login that saw private
// repositories).
func (u *UI) offerToForget(e settings.Entry) {
	text := widget.NewLabel("Signed out of " + printable.Line(e.Name) + ". This computer still keeps what was seen there " +
		"(repository names, tags, manifests, file listings), so that it opens offline. Forget it too?")
	text.Wrapping = fyne.TextWrapWord
	var d dialog.Dialog
	forget := func() {
		d.Hide()
		u.forgetKept(e)
	}
	u.forgetButton = u.dialogButton("Forget", theme.DeleteIcon(), widget.HighImportance, forget)
	d = u.showDialog("Signed out", text, forget,
		u.dialogButton("Keep it", nil, widget.MediumImportance, func() { d.Hide() }), u.forgetButton)
	d.Resize(fyne.NewSize(460, 0))
}
