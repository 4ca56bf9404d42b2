// Package app is the window's asynchronous layer over the engine: App holds
// the program's state (the sidebar's registries and their settings, the
// demo registry, the logins' status, which registries are kept on this
// computer) and runs every piece of registry and disk work in the worker
// pool (package pool), answering through callbacks on pool goroutines,
// which ui hands to the UI goroutine with fyne.Do. The work itself lives in
// the packages below: image (reading images), listing, kinds, settings,
// cache, trust and manage. It has no widgets.
package app
