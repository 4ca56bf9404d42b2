package registry

// Lifetime exposes how long a token with this expires_in is used.
var Lifetime = lifetime
