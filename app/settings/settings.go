package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/card-catalog/card-catalog/app/kinds"
	"github.com/card-catalog/card-catalog/registry"
	"github.com/card-catalog/card-catalog/registry/hub"
)

// Prefs is where settings are kept: fyne.Preferences in the window, a map in
// tests. Never a secret.
type Prefs interface {
	String(key string) string
	SetString(key, value string)
}

// MemoryPrefs is a Prefs in memory, for tests and headless use.
type MemoryPrefs map[string]string

func (m MemoryPrefs) String(key string) string    { return m[key] }
func (m MemoryPrefs) SetString(key, value string) { m[key] = value }

// AppID names the app to the operating system: Fyne keeps its preferences
// (these settings) under it.
const AppID = "io.github.cardcatalog.CardCatalog"

// DemoID is the sidebar ID of the built-in demo registry.
const DemoID = "demo"

// Entry is one registry in the sidebar.
type Entry struct {
	// ID is stable across restarts: "demo", or the address.
	ID string `json:"id"`
	// Name is what the sidebar shows.
	Name string `json:"name"`
	// Address is what the person typed: "ghcr.io", "localhost:5000".
	Address   string `json:"address"`
	PlainHTTP bool   `json:"plainHTTP,omitempty"`
	Insecure  bool   `json:"insecure,omitempty"`
	// HubAPI is set for Docker Hub: the host of the web API that lists a
	// namespace's repositories ("hub.docker.com"; "http://..." in tests).
	HubAPI string `json:"hubAPI,omitempty"`
	// Namespace is the Hub namespace listed; default: the signed-in user's,
	// else "library".
	Namespace string `json:"namespace,omitempty"`
	// Kind is the kind chosen when it was added; "" lets the host tell.
	Kind kinds.Kind `json:"kind,omitempty"`
	// Project is the GitLab project whose repositories are listed (its
	// path or ID); GitLabAPI the web API's address when it is not the
	// registry's host without "registry." ("http://..." in tests).
	Project   string `json:"project,omitempty"`
	GitLabAPI string `json:"gitlabAPI,omitempty"`
	// NoCache: nothing of this registry is kept on this computer (the
	// "keep a copy on this computer" switch, off).
	NoCache bool `json:"noCache,omitempty"`
}

// IsDemo reports whether e is the built-in demo registry.
func (e Entry) IsDemo() bool { return e.ID == DemoID }

// IsLocal reports whether e is on this computer (the demo registry, or a
// loopback address), which answers with the network down.
func (e Entry) IsLocal() bool {
	if e.IsDemo() {
		return true
	}
	reg, err := e.Registry()
	if err != nil {
		return false
	}
	host := reg.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Settings are what survives a restart.
type Settings struct {
	// ShowDemo shows the demo registry first in the sidebar.
	ShowDemo bool `json:"showDemo"`
	// Registries are the sidebar's entries after the demo, in order.
	Registries []Entry `json:"registries"`
	// LastSelected is the ID of the entry shown last.
	LastSelected string `json:"lastSelected,omitempty"`
	// Pinned repositories show first, by entry ID.
	Pinned map[string][]string `json:"pinned,omitempty"`
	// WindowWidth and WindowHeight are the window's last size; WindowX and
	// WindowY its position, when WindowPlaced (the platform could tell).
	WindowWidth  float32 `json:"windowWidth,omitempty"`
	WindowHeight float32 `json:"windowHeight,omitempty"`
	WindowX      int     `json:"windowX,omitempty"`
	WindowY      int     `json:"windowY,omitempty"`
	WindowPlaced bool    `json:"windowPlaced,omitempty"`
	// DemoPort is the demo registry's port, kept so its address (and a
	// pull line copied from it) stays the same across runs.
	DemoPort int `json:"demoPort,omitempty"`
	// Theme is the window's look: light, dark, or (empty) the system's.
	Theme ThemeChoice `json:"theme,omitempty"`
}

// ThemeChoice is the look the window takes.
type ThemeChoice string

const (
	ThemeSystem ThemeChoice = ""
	ThemeLight  ThemeChoice = "light"
	ThemeDark   ThemeChoice = "dark"
)

// ThemeChoices are the looks the settings offer, with their names.
var ThemeChoices = []struct {
	Choice ThemeChoice
	Label  string
}{{ThemeSystem, "As the system"}, {ThemeLight, "Light"}, {ThemeDark, "Dark"}}

const settingsKey = "settings.v1"

// Presets are the registries a new installation lists.
var Presets = []Entry{
	{ID: "docker.io", Name: "Docker Hub", Address: "docker.io", HubAPI: hub.APIHost, Kind: kinds.DockerHub},
	{ID: "ghcr.io", Name: "GitHub (ghcr.io)", Address: "ghcr.io", Kind: kinds.GitHub},
	{ID: "quay.io", Name: "Quay", Address: "quay.io", Kind: kinds.Quay},
}

// Default is a new installation's: the demo registry and the presets.
func Default() Settings {
	return Settings{ShowDemo: true, Registries: append([]Entry(nil), Presets...), LastSelected: DemoID}
}

// Load reads settings from prefs; missing or unreadable settings give the
// defaults (and the reason, for the log).
func Load(prefs Prefs) (Settings, error) {
	raw := prefs.String(settingsKey)
	if raw == "" {
		return Default(), nil
	}
	var s Settings
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return Default(), fmt.Errorf("settings unreadable, using defaults: %w", err)
	}
	return s, nil
}

// Save writes settings to prefs.
func Save(prefs Prefs, s Settings) {
	raw, _ := json.Marshal(s)
	prefs.SetString(settingsKey, string(raw))
}

// Registry parses the entry's address.
func (e Entry) Registry() (registry.Registry, error) {
	addr := e.Address
	if e.PlainHTTP && !strings.Contains(addr, "://") {
		addr = "http://" + addr
	}
	r, err := registry.ParseRegistry(addr)
	if err != nil {
		return registry.Registry{}, err
	}
	r.Insecure = e.Insecure
	return r, nil
}

// ErrDuplicateEntry says that the sidebar lists that registry already.
var ErrDuplicateEntry = errors.New("this registry is in the sidebar already")

// NewEntry makes a sidebar entry from what a person typed, or says plainly
// what is wrong with it.
func NewEntry(name, address string, plainHTTP, insecure bool) (Entry, error) {
	address = strings.TrimSpace(address)
	if strings.HasPrefix(strings.ToLower(address), "http://") {
		plainHTTP = true
	}
	e := Entry{Name: strings.TrimSpace(name), Address: address, PlainHTTP: plainHTTP, Insecure: insecure}
	reg, err := e.Registry()
	if err != nil {
		return Entry{}, err
	}
	e.Address = reg.String()
	e.ID = reg.Host
	if e.Name == "" {
		e.Name = reg.String()
	}
	if reg.IsDockerHub() {
		e.HubAPI = hub.APIHost
	}
	return e, nil
}

// SameRegistry reports whether e and o are the same registry: the same
// host, however it was written (the Docker Hub preset's "docker.io" is
// registry-1.docker.io, as an address typed as docker.io is).
func (e Entry) SameRegistry(o Entry) bool {
	if e.ID == o.ID {
		return true
	}
	a, err := e.Registry()
	b, errB := o.Registry()
	return err == nil && errB == nil && a.Host == b.Host
}

// KindInfo is e's kind: the one chosen when it was added, else the one
// its host tells.
func (e Entry) KindInfo() kinds.Info {
	if e.Kind != "" {
		return kinds.Of(e.Kind)
	}
	if reg, err := e.Registry(); err == nil {
		return kinds.Of(kinds.Detect(reg.Host))
	}
	return kinds.Of(kinds.Other)
}

// KindOfHost is the kind of the entry with that host (as chosen when it
// was added), else the one the host tells.
func (s Settings) KindOfHost(h string) kinds.Kind {
	for _, e := range s.Registries {
		if reg, err := e.Registry(); err == nil && reg.Host == h && e.Kind != "" {
			return e.Kind
		}
	}
	return kinds.Detect(h)
}

// Keeps tells whether the window keeps a copy of reg's content: not
// when an entry for it has "keep a copy on this computer" off. The
// headless commands follow it.
func (s Settings) Keeps(reg registry.Registry) bool {
	e, ok := s.EntryOf(reg)
	return !ok || !e.NoCache
}

// EntryOf is the sidebar entry for reg, when the window has one: the kind
// chosen for it, its GitLab project, its Docker Hub namespace.
func (s Settings) EntryOf(reg registry.Registry) (Entry, bool) {
	for _, e := range s.Registries {
		if r, err := e.Registry(); err == nil && r.String() == reg.String() {
			return e, true
		}
	}
	return Entry{}, false
}
