package registry

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors. Every error the engine returns wraps one of these, so
// callers decide with errors.Is and show Error() to people.
var (
	ErrInvalidReference = errors.New("not a valid registry, repository or reference")
	ErrUnreachable      = errors.New("registry not reachable")
	ErrAuthRequired     = errors.New("this needs a login")
	ErrLoginRejected    = errors.New("login rejected")
	// ErrLoginExpired: the registry said the login has run out (ECR's
	// 12-hour passwords). It comes with ErrLoginRejected.
	ErrLoginExpired   = errors.New("the login has expired")
	ErrDenied         = errors.New("permission denied")
	ErrNotFound       = errors.New("not found")
	ErrNoCatalog      = errors.New("this registry does not list its repositories")
	ErrRateLimited    = errors.New("rate limited by the registry")
	ErrServer         = errors.New("the registry answered with an error")
	ErrTooLarge       = errors.New("response too large")
	ErrDigestMismatch = errors.New("digest does not match content")
	ErrMalformed      = errors.New("malformed response")
	ErrBadChallenge   = errors.New("unusable authentication challenge")
	ErrStalled        = errors.New("the registry stopped sending")
	ErrIncomplete     = errors.New("the list is incomplete")
	ErrLoginService   = errors.New("the login service failed")
	// ErrPlainHTTP: an https request was answered in plain HTTP: the
	// registry speaks http only. It answered, so it is not ErrUnreachable.
	ErrPlainHTTP = errors.New("the registry speaks plain HTTP, not HTTPS")
	// ErrNoSuchHost: the host's name did not resolve (a typo, or no
	// network). It comes with ErrUnreachable.
	ErrNoSuchHost = errors.New("no such host")
	// ErrNotAllowed: the registry does not do this at all (HTTP 405): a
	// distribution without delete enabled, GHCR's and Docker Hub's
	// registry API asked to delete.
	ErrNotAllowed = errors.New("the registry does not allow this")
	// ErrManifestRefused: the registry refused a manifest for its type
	// (zot's "manifest invalid" for a type it does not take, a 415).
	ErrManifestRefused = errors.New("the registry does not accept this manifest type")
	// ErrNotStored: the registry said it stored something it then did not
	// have when asked (a 201 without the blob).
	ErrNotStored = errors.New("the registry did not keep what it said it stored")
)

// IncompleteError says that a paged list stopped at a bound, or left out names
// outside the grammar. The names listed before it are good.
type IncompleteError struct {
	// What names the list: "catalog of ghcr.io".
	What string
	// Short says what is missing in a few words, for a status line:
	// "5 invalid tags left out", "stopped at 1000000 names".
	Short string
	// Detail says it in full.
	Detail string
}

func (e *IncompleteError) Error() string {
	return e.What + ": " + ErrIncomplete.Error() + ": " + e.Detail
}

func (e *IncompleteError) Unwrap() error { return ErrIncomplete }

// LoginServiceError says that the token service a registry sent us to did not give
// a token. It is not the registry that failed, and people should hear so.
type LoginServiceError struct {
	// Host is the token service's host.
	Host string
	// Problem says what it did: "did not answer", "answered ...".
	Problem string
}

func (e *LoginServiceError) Error() string { return "the login service at " + e.Host + " " + e.Problem }

func (e *LoginServiceError) Unwrap() error { return ErrLoginService }

// maxErrorBody caps how much of an error response is read for its message.
const maxErrorBody = 64 << 10

// StatusError is a registry's non-success answer. It wraps the sentinel for
// its status (ErrAuthRequired, ErrDenied, ErrNotFound, ...).
type StatusError struct {
	// What names the thing asked for: "tags of library/python".
	What   string
	Status int
	// Detail is the registry's own words, if any.
	Detail string
	// Code is the first error code of a distribution error body
	// ("UNSUPPORTED", "DIGEST_INVALID", "MANIFEST_INVALID"), if any.
	Code string
	// RetryAfter is set for a 429 that asked for a wait.
	RetryAfter time.Duration
	sentinel   error
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("%s: %v (HTTP %d", e.What, e.sentinel, e.Status)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	s += ")"
	if e.RetryAfter > 0 {
		s += fmt.Sprintf("; try again in %s", e.RetryAfter.Round(time.Second))
	}
	return s
}

func (e *StatusError) Unwrap() error { return e.sentinel }

// statusError turns a non-success response into a *StatusError. The body is
// read (capped) for the registry's own words.
func statusError(resp *http.Response, what string) error {
	detail, code := registryWords(resp)
	e := &StatusError{What: what, Status: resp.StatusCode, Detail: detail, Code: code}
	switch code := resp.StatusCode; {
	case sentLogin(resp) && saysExpired(e.Detail) && (code == http.StatusUnauthorized || code == http.StatusForbidden):
		e.sentinel = errExpired
	case code == http.StatusUnauthorized:
		e.sentinel = ErrAuthRequired
		if sentLogin(resp) {
			e.sentinel = ErrLoginRejected
		}
	case code == http.StatusForbidden:
		e.sentinel = ErrDenied
	case code == http.StatusNotFound:
		e.sentinel = ErrNotFound
	case code == http.StatusTooManyRequests:
		e.sentinel = ErrRateLimited
		e.RetryAfter, _ = retryAfter(resp.Header.Get("Retry-After"))
	default:
		e.sentinel = ErrServer
	}
	return e
}

// HelperLoginError is a refusal of a login a credential helper gave, and
// gave again when asked: what has run out is what the helper signs in
// with.
type HelperLoginError struct {
	Helper string // "docker-credential-ecr-login"
	Err    error
}

func (e *HelperLoginError) Error() string {
	return e.Err.Error() + " (the login " + e.Helper + " gave)"
}
func (e *HelperLoginError) Unwrap() error { return e.Err }

// errExpired is ErrLoginExpired with ErrLoginRejected, for errors.Is.
var errExpired = fmt.Errorf("%w (%w)", ErrLoginExpired, ErrLoginRejected)

// sentLogin reports whether the request that got resp carried a login.
func sentLogin(resp *http.Response) bool {
	return resp.Request != nil && resp.Request.Header.Get("Authorization") != ""
}

// saysExpired reports whether a registry's words say a login ran out:
// ECR's 403 "Your authorization token has expired. Reauthenticate and try
// again.", a token service's "token expired".
func saysExpired(detail string) bool {
	return strings.Contains(strings.ToLower(detail), "expired")
}

// registryMessage extracts the "errors" array of a distribution error body,
// or a short plain-text body, for error messages.
func registryMessage(resp *http.Response) string {
	detail, _ := registryWords(resp)
	return detail
}

// registryWords is registryMessage and the first error code. Web APIs say
// it in "message" (GitLab, Docker Hub) or "detail" (Docker Hub).
func registryWords(resp *http.Response) (detail, code string) {
	if resp.Body == nil {
		return "", ""
	}
	body, _ := readCapped(resp.Body, maxErrorBody)
	var env struct {
		Errors []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"errors"`
		Details string `json:"details"`
		Message any    `json:"message"`
		Detail  string `json:"detail"`
	}
	if json.Unmarshal(body, &env) == nil {
		var parts []string
		for _, e := range env.Errors {
			parts = append(parts, strings.TrimSpace(e.Code+" "+e.Message))
			if code == "" {
				code = e.Code
			}
		}
		if msg, ok := env.Message.(string); ok && msg != "" {
			parts = append(parts, msg)
		}
		for _, s := range []string{env.Details, env.Detail} {
			if s != "" {
				parts = append(parts, s)
			}
		}
		if len(parts) > 0 {
			return clampWords(strings.Join(parts, "; ")), clampWords(code)
		}
	}
	text := strings.TrimSpace(string(body))
	if len(text) > 200 || strings.ContainsAny(text, "<{") {
		return "", ""
	}
	return text, ""
}

// maxWords caps what of a registry's own words goes into an error.
const maxWords = 300

// clampWords cuts s to maxWords bytes, at a character's start.
func clampWords(s string) string {
	if len(s) <= maxWords {
		return s
	}
	cut := maxWords
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func errorsIsAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}
