package registry

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

const (
	// defaultTokenLife is assumed when a token response has no expires_in
	// (GHCR sends none); the specification's own default is 60 s.
	defaultTokenLife = 60 * time.Second
	// refreshMargin: a token is renewed this long before it expires, so no
	// request goes out with a token about to lapse.
	refreshMargin = 10 * time.Second
	// exchangeTimeout bounds one token exchange, whoever waits on it.
	exchangeTimeout = 30 * time.Second
	// maxTokenLife caps what expires_in may claim: ECR's 12-hour tokens
	// are the longest in use. An absurd value must not overflow into a
	// token that is never cached.
	maxTokenLife = 24 * time.Hour
)

// tokenKey identifies a token: who asked (identity), from which token
// service (realm, service), for what (scope).
type tokenKey struct {
	realm, service, scope, identity string
}

type token struct {
	value string
	// renewAt is when the token stops being used: expiry less a margin.
	renewAt time.Time
}

// tokenCache holds bearer tokens in memory only, and makes concurrent
// requests for the same token share one exchange.
type tokenCache struct {
	now    func() time.Time
	mu     sync.Mutex
	tokens map[tokenKey]token
	flight singleflight.Group
}

func newTokenCache() *tokenCache {
	return &tokenCache{now: time.Now, tokens: map[tokenKey]token{}}
}

// lifetime turns a token response's expires_in (seconds, 0 if absent) into
// how long the token is used.
func lifetime(expiresIn int) time.Duration {
	life := defaultTokenLife
	if expiresIn > 0 {
		life = time.Duration(min(int64(expiresIn), int64(maxTokenLife/time.Second))) * time.Second
	}
	margin := refreshMargin
	if life/5 < margin {
		margin = life / 5
	}
	return life - margin
}

// cached returns a live token for key.
func (c *tokenCache) cached(key tokenKey) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.tokens[key]
	if !ok || !c.now().Before(t.renewAt) {
		return "", false
	}
	return t.value, true
}

// fetch runs exchange once for every caller asking for key at the same time
// and caches its token. A caller that gives up does not cancel the exchange
// the others wait on.
func (c *tokenCache) fetch(ctx context.Context, key tokenKey, exchange func(context.Context) (string, int, error)) (string, error) {
	flightKey := key.realm + "\x00" + key.service + "\x00" + key.scope + "\x00" + key.identity
	ch := c.flight.DoChan(flightKey, func() (any, error) {
		xctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), exchangeTimeout)
		defer cancel()
		value, expiresIn, err := exchange(xctx)
		if err != nil {
			return "", err
		}
		c.mu.Lock()
		c.tokens[key] = token{value: value, renewAt: c.now().Add(lifetime(expiresIn))}
		c.mu.Unlock()
		return value, nil
	})
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case r := <-ch:
		if r.Err != nil {
			return "", r.Err
		}
		return r.Val.(string), nil
	}
}

// forget drops one token (the registry refused it before its time).
func (c *tokenCache) forget(key tokenKey) {
	c.mu.Lock()
	delete(c.tokens, key)
	c.mu.Unlock()
}

// clear drops every token, e.g. at logout.
func (c *tokenCache) clear() {
	c.mu.Lock()
	clear(c.tokens)
	c.mu.Unlock()
}
