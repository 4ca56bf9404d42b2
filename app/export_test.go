package app

import "github.com/card-catalog/card-catalog/app/settings"

// ForgetTokens lets a test drop an entry's tokens, as signing in again does.
func (a *App) ForgetTokens(e settings.Entry) { a.forgetTokens(e) }
