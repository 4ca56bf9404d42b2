// Package cli is Card Catalog's headless commands (catalog, tags, inspect,
// files, cat, diff, verify, sbom, login, logout), for scripts, tests and
// bug reports: one file each, their flags with their usage, and the usage
// text made from them. They read registries through the engine the window
// uses, and share its cache and settings.
package cli
