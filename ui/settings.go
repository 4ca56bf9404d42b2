package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/card-catalog/card-catalog/app"
	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/settings"
)

// showSettings opens the settings dialog. The look applies at once, and
// goes back if the dialog is cancelled.
func (u *UI) showSettings() {
	demo := u.dialogCheck("Show the built-in demo registry", nil)
	demo.SetChecked(u.core.Settings().ShowDemo)
	was := u.core.Settings().Theme
	look := u.themeChoice(was)
	u.settingsLook = look
	width := u.dialogWidth(600)
	ctx, cancel := context.WithCancel(context.Background())
	u.cacheView = u.newCacheView(ctx, width)
	u.trustSettings = u.newTrustSettings(ctx)
	trusting := u.trustSettings
	var d dialog.Dialog
	saved := false
	save := func() {
		saved = true
		d.Hide()
		off, changed := u.saveKeeps(u.cacheView.keeps)
		if demo.Checked != u.core.Settings().ShowDemo {
			if err := u.core.SetShowDemo(demo.Checked); err != nil {
				u.inform("Settings", err.Error())
				return
			}
			delete(u.status, settings.DemoID)
			changed = true
		}
		if changed {
			u.sidebar.UnselectAll()
			u.current = settings.Entry{} // its page opens again, as the entry is now
			u.reloadEntries()
		}
		for _, e := range off {
			u.forgetKept(e)
		}
		trusting.save(func(err error) {
			if err != nil {
				u.inform("Settings", "The trust policy was not saved: "+err.Error())
				return
			}
			u.trustChanged()
		})
	}
	form := widget.NewForm(widget.NewFormItem("Look", look))
	trustScroll := container.NewVScroll(trusting.box)
	trustScroll.SetMinSize(fyne.NewSize(0, 360))
	tabs := container.NewAppTabs(
		container.NewTabItem("General", container.NewVBox(form, demo, widget.NewSeparator(), u.cacheView.box)),
		container.NewTabItem("Trust", trustScroll))
	d = u.showDialog("Settings", tabs, save,
		u.dialogButton("Cancel", theme.CancelIcon(), widget.MediumImportance, func() { d.Hide() }),
		u.dialogButton("Save", theme.ConfirmIcon(), widget.HighImportance, save))
	d.Resize(fyne.NewSize(width, 0))
	d.SetOnClosed(func() {
		cancel()
		if trusting.changed {
			u.trustChanged()
		}
		if !saved {
			u.applyTheme(was) // cancelled: the look it had
		}
	})
}

// themeChoice is the drop-down of the window's looks: choosing one
// applies and keeps it at once.
func (u *UI) themeChoice(current settings.ThemeChoice) *escSelect {
	var labels []string
	at := 0
	for i, c := range settings.ThemeChoices {
		labels = append(labels, c.Label)
		if c.Choice == current {
			at = i
		}
	}
	look := u.dialogSelect(labels, nil)
	look.SetSelectedIndex(at)
	look.OnChanged = func(string) { u.applyTheme(settings.ThemeChoices[look.SelectedIndex()].Choice) }
	return look
}

// applyTheme shows the window in choice's look and keeps the choice.
func (u *UI) applyTheme(choice settings.ThemeChoice) {
	if choice == u.core.Settings().Theme {
		return
	}
	u.core.SetTheme(choice)
	fyne.CurrentApp().Settings().SetTheme(newAppTheme(choice))
}

// cacheView says how much this computer keeps and where, with a button
// that clears it (the count runs in the background), and each registry's
// "keep a copy" switch.
type cacheView struct {
	usage *widget.Label
	clear *escButton
	keeps []keepSwitch
	box   fyne.CanvasObject
}

// keepSwitch is a registry's "keep a copy on this computer".
type keepSwitch struct {
	entry settings.Entry
	check *escCheck
}

// saveKeeps saves the switches that changed, and says which registries
// were switched off (what was kept of them is to be forgotten) and whether
// any changed.
func (u *UI) saveKeeps(keeps []keepSwitch) (off []settings.Entry, changed bool) {
	for _, k := range keeps {
		if k.check.Checked != k.entry.NoCache {
			continue
		}
		e := k.entry
		e.NoCache = !k.check.Checked
		if err := u.core.UpdateEntry(e.ID, e); err != nil {
			u.inform("Settings", err.Error())
			continue
		}
		changed = true
		if e.NoCache {
			off = append(off, e)
		}
	}
	return off, changed
}

func (u *UI) newCacheView(ctx context.Context, width float32) *cacheView {
	usage := widget.NewLabel("Counting what this computer keeps…")
	usage.Wrapping = fyne.TextWrapWord
	place := pathLabel("", 0)
	place.Hide()
	var clear *escButton
	show := func(c app.CacheUsage, err error) {
		switch {
		case err != nil:
			usage.SetText("The copy on this computer cannot be read: " + printable.Line(err.Error()))
		case c.Dir == "":
			usage.SetText("Nothing is kept on this computer: there is no cache directory.")
			clear.Disable()
		default:
			text := fmt.Sprintf("This computer keeps %s of what registries sent (at most %s, the least used goes first), in:",
				humanSize(c.Size), binarySize(c.Limit))
			if c.WriteErr != nil {
				text = "It could not keep more: " + printable.Line(c.WriteErr.Error()) + "\n" + text
			}
			usage.SetText(text)
			place.SetText(breakPath(printable.Line(c.Dir), width-clearRoom, place.TextStyle))
			place.Show()
		}
	}
	count := func() {
		u.core.CacheUsage(ctx, func(c app.CacheUsage, err error) { u.do(func() { show(c, err) }) })
	}
	clear = u.dialogButton("Clear", theme.DeleteIcon(), widget.MediumImportance, func() {
		clear.Disable()
		u.core.ClearCache(ctx, func(err error) {
			u.do(func() {
				clear.Enable()
				if err != nil {
					usage.SetText("Clearing failed: " + printable.Line(err.Error()))
					return
				}
				count()
			})
		})
	})
	count()
	v := &cacheView{usage: usage, clear: clear}
	box := container.NewVBox(container.NewBorder(nil, nil, nil, clear, container.NewVBox(usage, place)))
	for _, e := range u.core.Entries() {
		if e.IsDemo() {
			continue // on this computer already
		}
		k := keepSwitch{entry: e, check: u.dialogCheck("Keep a copy of "+printable.Line(e.Name)+" on this computer", nil)}
		k.check.SetChecked(!e.NoCache)
		v.keeps = append(v.keeps, k)
		box.Add(k.check)
	}
	v.box = box
	return v
}

// clearRoom is what the Clear button and the dialog's padding take of the
// settings' width, beside the cache's place.
const clearRoom = 150

// forgetKept forgets what this computer kept of e, in the background, and
// says so if it could not.
func (u *UI) forgetKept(e settings.Entry) {
	u.core.ForgetKept(context.Background(), e, func(err error) {
		if err != nil {
			u.log.Warn("forgetting the kept copy", "registry", e.Name, "error", err.Error())
			u.do(func() { u.inform("Forget", "What was kept of "+e.Name+" could not all be removed: "+err.Error()) })
		}
	})
}
