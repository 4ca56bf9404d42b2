package registry

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RateLimit is what a registry says of its pull quota (Docker Hub:
// "RateLimit-Limit: 100;w=21600", "RateLimit-Remaining: 76;w=21600").
type RateLimit struct {
	Limit, Remaining int
	// Window is the quota's period, when given.
	Window time.Duration
}

func parseRateLimit(h http.Header) (RateLimit, bool) {
	limit, window, okL := parseQuota(h.Get("RateLimit-Limit"))
	remaining, _, okR := parseQuota(h.Get("RateLimit-Remaining"))
	if !okL || !okR {
		return RateLimit{}, false
	}
	return RateLimit{Limit: limit, Remaining: remaining, Window: window}, true
}

// maxQuotaWindow caps a quota's announced period, in seconds (a year), so
// that no value overflows a time.Duration.
const maxQuotaWindow = 365 * 24 * 3600

// parseQuota reads "100;w=21600".
func parseQuota(v string) (int, time.Duration, bool) {
	if v == "" {
		return 0, 0, false
	}
	parts := strings.Split(v, ";")
	n, err := strconv.Atoi(strings.TrimSpace(parts[0]))
	if err != nil || n < 0 {
		return 0, 0, false
	}
	var window time.Duration
	for _, p := range parts[1:] {
		if w, ok := strings.CutPrefix(strings.TrimSpace(p), "w="); ok {
			if s, err := strconv.Atoi(w); err == nil && s > 0 {
				window = time.Duration(min(s, maxQuotaWindow)) * time.Second
			}
		}
	}
	return n, window, true
}
