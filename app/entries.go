package app

import (
	"context"
	"fmt"
	"slices"

	"github.com/card-catalog/card-catalog/app/pool"
	"github.com/card-catalog/card-catalog/app/settings"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/hub"
)

// AddEntry appends an entry to the sidebar and saves it.
func (a *App) AddEntry(e settings.Entry) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if slices.ContainsFunc(a.settings.Registries, e.SameRegistry) {
		return fmt.Errorf("%w: %s", settings.ErrDuplicateEntry, e.Address)
	}
	a.settings.Registries = append(a.settings.Registries, e)
	settings.Save(a.prefs, a.settings)
	return nil
}

// UpdateEntry replaces the entry with ID id (its address may change).
func (a *App) UpdateEntry(id string, e settings.Entry) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	i := slices.IndexFunc(a.settings.Registries, func(o settings.Entry) bool { return o.ID == id })
	if i < 0 {
		return fmt.Errorf("no registry %s in the sidebar", id)
	}
	if slices.ContainsFunc(a.settings.Registries, func(o settings.Entry) bool { return o.ID != id && e.SameRegistry(o) }) {
		return fmt.Errorf("%w: %s", settings.ErrDuplicateEntry, e.Address)
	}
	a.drop(id)
	a.settings.Registries[i] = e
	if pins, ok := a.settings.Pinned[id]; ok && e.ID != id {
		delete(a.settings.Pinned, id)
		a.settings.Pinned[e.ID] = pins
	}
	settings.Save(a.prefs, a.settings)
	return nil
}

// RemoveEntry takes an entry out of the sidebar (its keychain login stays
// until signed out).
func (a *App) RemoveEntry(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.drop(id)
	a.settings.Registries = slices.DeleteFunc(a.settings.Registries, func(o settings.Entry) bool { return o.ID == id })
	delete(a.settings.Pinned, id)
	if a.settings.LastSelected == id {
		a.settings.LastSelected = settings.DemoID
	}
	settings.Save(a.prefs, a.settings)
}

// MoveEntry moves an entry up (-1) or down (+1) the sidebar.
func (a *App) MoveEntry(id string, delta int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	r := a.settings.Registries
	i := slices.IndexFunc(r, func(o settings.Entry) bool { return o.ID == id })
	j := i + delta
	if i < 0 || j < 0 || j >= len(r) {
		return
	}
	r[i], r[j] = r[j], r[i]
	settings.Save(a.prefs, a.settings)
}

// Pinned lists an entry's pinned repositories.
func (a *App) Pinned(id string) []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.settings.Pinned[id])
}

// SetPinned pins or unpins a repository of an entry.
func (a *App) SetPinned(id, repository string, pinned bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	pins := slices.DeleteFunc(slices.Clone(a.settings.Pinned[id]), func(r string) bool { return r == repository })
	if pinned {
		pins = append(pins, repository)
	}
	if a.settings.Pinned == nil {
		a.settings.Pinned = map[string][]string{}
	}
	a.settings.Pinned[id] = pins
	settings.Save(a.prefs, a.settings)
}

// SetWindowGeometry remembers the window's size, and its position when
// placed is true.
func (a *App) SetWindowGeometry(w, h float32, x, y int, placed bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.settings.WindowWidth, a.settings.WindowHeight = w, h
	a.settings.WindowX, a.settings.WindowY, a.settings.WindowPlaced = x, y, placed
	settings.Save(a.prefs, a.settings)
}

// SetTheme keeps the window's look.
func (a *App) SetTheme(choice settings.ThemeChoice) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.settings.Theme = choice
	settings.Save(a.prefs, a.settings)
}

// RateLimit says what a registry last announced of its pull quota
// ("76 of 100 pulls left"), or "".
func (a *App) RateLimit(id string) string {
	i := slices.IndexFunc(a.Entries(), func(e settings.Entry) bool { return e.ID == id })
	if i < 0 {
		return ""
	}
	c, err := a.client(a.Entries()[i])
	if err != nil {
		return ""
	}
	rl, ok := c.RateLimit()
	if !ok {
		return ""
	}
	return fmt.Sprintf("%d of %d pulls left", rl.Remaining, rl.Limit)
}

// hubClient is the client of e's Hub web API, one per entry.
func (a *App) hubClient(e settings.Entry) (*hub.Client, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c, ok := a.hubs[e.ID]; ok {
		return c, nil
	}
	api, err := registry.ParseRegistry(e.HubAPI)
	if err != nil {
		return nil, err
	}
	c := hub.New(api, a.log, a.options...)
	a.hubs[e.ID] = c
	return c, nil
}

// HubSearch searches Docker Hub in the background.
func (a *App) HubSearch(ctx context.Context, e settings.Entry, query string, done func([]hub.Repository, error)) {
	pool.Submit(a.jobs, ctx, e.ID, pool.Key{Kind: "hubsearch", Name: query}, pool.PriorityUser, func(ctx context.Context) ([]hub.Repository, error) {
		c, err := a.hubClient(e)
		if err != nil {
			return nil, err
		}
		return c.Search(ctx, query, 50)
	}, done)
}
