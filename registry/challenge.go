package registry

import "strings"

// Challenge is one challenge of a WWW-Authenticate header (RFC 7235).
type Challenge struct {
	// Scheme is lower case: "basic", "bearer", ...
	Scheme string
	// Params holds the auth-params with lower-case names.
	Params map[string]string
	// Token68 holds a token68 credential form, which registries do not use.
	Token68 string
}

// ParseChallenges parses the values of every WWW-Authenticate header of a
// response. A header may hold several challenges separated by commas, and
// quoted values may hold commas and escaped quotes. Malformed parts are
// skipped; it never fails.
func ParseChallenges(headers []string) []Challenge {
	var out []Challenge
	for _, h := range headers {
		out = append(out, parseChallengeHeader(h)...)
	}
	return out
}

func parseChallengeHeader(s string) []Challenge {
	var out []Challenge
	p := &headerScanner{s: s}
	for {
		p.skip(" \t,")
		if p.done() {
			return out
		}
		scheme := p.token()
		if scheme == "" {
			p.pos++ // not a token character: skip it
			continue
		}
		ch := Challenge{Scheme: strings.ToLower(scheme), Params: map[string]string{}}
		// Auth-params (or one token68) follow until the next scheme.
		for {
			p.skip(" \t")
			mark := p.pos
			p.skip(",")
			p.skip(" \t,")
			if p.done() {
				break
			}
			name := p.token()
			if name == "" {
				p.pos++
				continue
			}
			p.skip(" \t")
			if p.peek() != '=' {
				// A bare token: the next challenge's scheme.
				p.pos = mark
				break
			}
			// name= may be a token68 ("abc==") or a parameter.
			eq := p.pos
			for p.peek() == '=' {
				p.pos++
			}
			p.skip(" \t")
			if p.done() || p.peek() == ',' || p.pos-eq > 1 {
				if len(ch.Params) == 0 && ch.Token68 == "" {
					ch.Token68 = name + strings.Repeat("=", p.pos-eq)
				}
				continue
			}
			var value string
			if p.peek() == '"' {
				value = p.quoted()
			} else {
				value = p.token()
			}
			ch.Params[strings.ToLower(name)] = value
		}
		out = append(out, ch)
	}
}

type headerScanner struct {
	s   string
	pos int
}

func (p *headerScanner) done() bool { return p.pos >= len(p.s) }

func (p *headerScanner) peek() byte {
	if p.done() {
		return 0
	}
	return p.s[p.pos]
}

func (p *headerScanner) skip(set string) {
	for !p.done() && strings.IndexByte(set, p.s[p.pos]) >= 0 {
		p.pos++
	}
}

// token reads an RFC 7230 token, plus the '/' that token68 values use.
func (p *headerScanner) token() string {
	start := p.pos
	for !p.done() && isTokenChar(p.s[p.pos]) {
		p.pos++
	}
	return p.s[start:p.pos]
}

func isTokenChar(c byte) bool {
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~/:", c) >= 0
}

// quoted reads a quoted-string starting at '"', unescaping backslashes. An
// unterminated string runs to the end of the header.
func (p *headerScanner) quoted() string {
	p.pos++ // opening quote
	var b strings.Builder
	for !p.done() {
		c := p.s[p.pos]
		p.pos++
		switch {
		case c == '\\' && !p.done():
			b.WriteByte(p.s[p.pos])
			p.pos++
		case c == '"':
			return b.String()
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
