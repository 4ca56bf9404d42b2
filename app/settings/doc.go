// Package settings is what Card Catalog keeps across restarts, never a
// secret: the sidebar's registries (Entry), the demo registry's switch and
// port, pins, the window's place and look; and what an entry says of its
// registry (its address, its kind, whether a copy of it is kept).
package settings
