package credential

import "time"

// SetHelperTimeout shortens the credential helpers' time limit for a test
// and returns the function that puts it back.
func SetHelperTimeout(d time.Duration) (restore func()) {
	saved := helperTimeout
	helperTimeout = d
	return func() { helperTimeout = saved }
}
