// Package assets holds Card Catalog's icon and other bundled resources.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon (512 px PNG, rendered from icon.svg).
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
