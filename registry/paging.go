package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// maxPages caps one walk whatever its pages hold.
const maxPages = 10000

// Bounds on one paged list (catalog, tags, a Hub namespace), so that a
// registry that pages for ever cannot grow memory without end: at most
// defaultMaxListNames names and defaultMaxListBytes of page bodies. The
// window holds what a catalog brings, about 1.4 times the names' length,
// and the heap grows to about twice what is live before a collection: the
// bytes stop a catalog of the longest names at about 530,000 of them and
// 160 MiB live, not a gigabyte.
const (
	defaultMaxListNames = 1_000_000
	defaultMaxListBytes = 128 << 20
)

// listGuard keeps one paged list honest: it drops names that break the
// grammar (counting them), drops names already listed, and stops the list
// at its bounds on names and bytes.
type listGuard struct {
	what, kind string
	valid      func(string) bool
	maxNames   int
	maxBytes   int64

	// seen holds a hash of each name listed, not the name: about 14 bytes
	// a name whatever its length, where the names were a second copy of
	// all a list hands on (and the window's cards walk 8 tag lists at
	// once). Two names of a list of a million share a hash about once in
	// 37 million lists (n²/2⁶⁵); the seed is the list's own, so a registry
	// cannot choose names that do.
	seen    map[uint64]struct{}
	seed    maphash.Seed
	bytes   int64
	invalid int
	example string
}

func (c *Client) newListGuard(what, kind string, valid func(string) bool) *listGuard {
	return &listGuard{what: what, kind: kind, valid: valid, maxNames: c.maxListNames, maxBytes: c.maxListBytes,
		seen: map[uint64]struct{}{}, seed: maphash.MakeSeed()}
}

// page takes one page's names (from a body of n bytes) and returns those
// to hand on, packed. A non-nil error means the list has reached a bound:
// fresh is then still to be handed on, and the walk ends there.
func (g *listGuard) page(names []string, n int) (fresh []string, err error) {
	fresh, err = g.take(names, n)
	return packed(fresh), err
}

func (g *listGuard) take(names []string, n int) (fresh []string, err error) {
	g.bytes += int64(n)
	for _, name := range names {
		if !g.valid(name) {
			if g.invalid == 0 {
				g.example = name
			}
			g.invalid++
			continue
		}
		k := maphash.String(g.seed, name)
		if _, dup := g.seen[k]; dup {
			continue
		}
		if len(g.seen) >= g.maxNames {
			return fresh, &IncompleteError{What: g.what, Short: fmt.Sprintf("stopped at %d names", g.maxNames),
				Detail: fmt.Sprintf("stopped at %d names; the registry kept sending more", g.maxNames)}
		}
		g.seen[k] = struct{}{}
		fresh = append(fresh, name)
	}
	if g.bytes > g.maxBytes {
		return fresh, &IncompleteError{What: g.what, Short: fmt.Sprintf("stopped after %d MiB", g.maxBytes>>20),
			Detail: fmt.Sprintf("stopped after %d MiB of pages; the registry kept sending more", g.maxBytes>>20)}
	}
	return fresh, nil
}

// packed puts names in one string: what is kept of a page is then its
// names' bytes and no more (a decoded name is an allocation of its own,
// rounded up to the allocator's next size), and the page's body and the
// decoder's strings can go.
func packed(names []string) []string {
	total := 0
	for _, n := range names {
		total += len(n)
	}
	var b strings.Builder
	b.Grow(total)
	for _, n := range names {
		b.WriteString(n)
	}
	all := b.String()
	for i, n := range names {
		names[i], all = all[:len(n)], all[len(n):]
	}
	return names
}

// end is the list's verdict once its last page is in: names that broke the
// grammar make it incomplete.
func (g *listGuard) end() error {
	if g.invalid == 0 {
		return nil
	}
	example := g.example
	if len(example) > 80 {
		example = example[:80] + "…"
	}
	return &IncompleteError{What: g.what, Short: fmt.Sprintf("%d invalid %s left out", g.invalid, g.kind),
		Detail: fmt.Sprintf("left out %d of the registry's names: not valid %s (such as %q)", g.invalid, g.kind, example)}
}

// smallPageSize is asked when a registry refuses the configured page size.
const smallPageSize = 100

// PageFetch fetches the page of a list at u: its names, the next page's
// URL (nil at the end) and the size of its body. With an error it may
// still give the page's names, which are kept.
type PageFetch func(ctx context.Context, u *url.URL) (names []string, next *url.URL, size int, err error)

// WalkPages reads a paged list from first, a page at a time, handing each
// page's new names to fn as it arrives: the one loop-proof pager of every
// paged list (catalogs, tags, Docker Hub's and other registries' web
// APIs). It ends when a page URL comes round again, a page adds no new
// name, maxPages is reached, the client's bounds on names and bytes are
// reached (ErrIncomplete), or ctx is cancelled. Names are deduplicated;
// those valid refuses are left out and reported at the end (ErrIncomplete;
// kind names them: "tags").
func (c *Client) WalkPages(ctx context.Context, first *url.URL, what, kind string, valid func(string) bool, fetch PageFetch, fn func([]string) error) error {
	guard := c.newListGuard(what, kind, valid)
	visited := map[string]bool{}
	u := first
	for page := 1; ; page++ {
		if page > maxPages {
			return fmt.Errorf("%s: %w: still paging after %d pages", what, ErrMalformed, maxPages)
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		visited[u.String()] = true
		// A page whose next link is refused (another host) still counts:
		// fetch then gives its names and the error.
		names, next, size, err := fetch(ctx, u)
		fresh, bound := guard.page(names, size)
		if len(fresh) > 0 {
			if err := fn(fresh); err != nil {
				return err
			}
		}
		switch {
		case err != nil:
			return err
		case bound != nil:
			return bound
		case next == nil:
			return guard.end()
		case visited[next.String()]:
			c.log.Debug("the next page is one already read; stopping", "what", what, "link", next.String())
			return guard.end()
		case len(fresh) == 0:
			c.log.Debug("page added no new names; stopping", "what", what, "page", page)
			return guard.end()
		}
		u = next
	}
}

// walk reads a distribution list (catalog or tags) at path: JSON
// {field: [...]} pages linked by Link headers on the same host and scheme.
// A registry that refuses the page size on the first page (distribution's
// maximum) is asked for fewer.
func (c *Client) walk(ctx context.Context, path, field, what, kind string, valid func(string) bool, fn func([]string) error) error {
	sizes := []int{c.pageSize, smallPageSize, 0}
	if c.pageSize <= smallPageSize {
		sizes = []int{c.pageSize, 0}
	}
	pageURL := func() *url.URL {
		q := url.Values{}
		if sizes[0] > 0 {
			q.Set("n", strconv.Itoa(sizes[0]))
		}
		return c.url(path, q)
	}
	first := true
	fetch := func(ctx context.Context, u *url.URL) ([]string, *url.URL, int, error) {
		for {
			resp, err := c.do(ctx, http.MethodGet, u, []string{"application/json"}, what)
			if err != nil {
				return nil, nil, 0, err
			}
			if resp.StatusCode == http.StatusBadRequest && first && len(sizes) > 1 {
				drain(resp)
				sizes = sizes[1:]
				c.log.Debug("registry refused the page size; asking for fewer", "what", what, "n", sizes[0])
				u = pageURL()
				continue
			}
			first = false
			if resp.StatusCode != http.StatusOK {
				defer resp.Body.Close()
				return nil, nil, 0, statusError(resp, what)
			}
			body, err := readAll(resp, maxPageBytes, what)
			if err != nil {
				return nil, nil, 0, err
			}
			names, err := decodeNames(body, field)
			if err != nil {
				return nil, nil, 0, fmt.Errorf("%s: %w", what, err)
			}
			next, err := nextLink(resp.Header.Values("Link"), u)
			if err != nil {
				return names, nil, len(body), fmt.Errorf("%s: %w", what, err)
			}
			return names, next, len(body), nil
		}
	}
	return c.WalkPages(ctx, pageURL(), what, kind, valid, fetch, fn)
}

// decodeNames reads {"<field>": ["a", "b"]} (a null list is empty).
func decodeNames(body []byte, field string) ([]string, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("%w: expected JSON {%q: [...]}: %s", ErrMalformed, field, jsonProblem(err))
	}
	raw, ok := doc[field]
	if !ok {
		return nil, fmt.Errorf("%w: expected JSON {%q: [...]}, found no %q", ErrMalformed, field, field)
	}
	var names []string
	if err := json.Unmarshal(raw, &names); err != nil {
		return nil, fmt.Errorf("%w: %q is not a list of names: %s", ErrMalformed, field, jsonProblem(err))
	}
	return names, nil
}

// nextLink finds rel="next" in Link headers (RFC 8288) and resolves it
// against the page it came with (SameOrigin).
func nextLink(headers []string, base *url.URL) (*url.URL, error) {
	for _, h := range headers {
		for _, link := range splitLinks(h) {
			target, params, ok := parseLinkValue(link)
			if !ok || !relIsNext(params["rel"]) {
				continue
			}
			return SameOrigin(base, target)
		}
	}
	return nil, nil
}

// splitLinks splits a Link header at the commas between link-values, not at
// commas inside <...> or quotes.
func splitLinks(h string) []string {
	var out []string
	depth, quoted, start := false, false, 0
	for i := 0; i < len(h); i++ {
		switch c := h[i]; {
		case c == '"' && !depth:
			quoted = !quoted
		case c == '<' && !quoted:
			depth = true
		case c == '>' && !quoted:
			depth = false
		case c == ',' && !depth && !quoted:
			out = append(out, h[start:i])
			start = i + 1
		}
	}
	return append(out, h[start:])
}

// parseLinkValue reads `<target>; name=value; name="value"`.
func parseLinkValue(s string) (string, map[string]string, bool) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "<") {
		return "", nil, false
	}
	end := strings.IndexByte(s, '>')
	if end < 0 {
		return "", nil, false
	}
	target := s[1:end]
	params := map[string]string{}
	for _, p := range strings.Split(s[end+1:], ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if k = strings.ToLower(strings.TrimSpace(k)); k != "" {
			params[k] = strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return target, params, true
}

func relIsNext(rel string) bool {
	for _, r := range strings.Fields(rel) {
		if strings.EqualFold(r, "next") {
			return true
		}
	}
	return false
}

// Catalog lists the registry's repositories, a page at a time, to fn.
// Registries that do not list their repositories (Docker Hub, or a catalog
// that is switched off or refused) give ErrNoCatalog.
func (c *Client) Catalog(ctx context.Context, fn func(page []string) error) error {
	what := "catalog of " + c.reg.String()
	if c.reg.IsDockerHub() {
		return fmt.Errorf("%s: %w: open a repository by name instead", what, ErrNoCatalog)
	}
	err := c.walk(ctx, "/v2/_catalog", "repositories", what, "repository names", ValidRepositoryName, fn)
	if isNoCatalog(err) {
		return fmt.Errorf("%w: %w", ErrNoCatalog, err)
	}
	return err
}

// isNoCatalog: the catalog is refused, switched off or not implemented.
func isNoCatalog(err error) bool {
	var se *StatusError
	if errors.As(err, &se) && se.Status == http.StatusMethodNotAllowed {
		return true
	}
	return errorsIsAny(err, ErrDenied, ErrNotFound)
}

// Tags lists a repository's tags, a page at a time, to fn.
func (c *Client) Tags(ctx context.Context, repo Reference, fn func(page []string) error) error {
	what := "tags of " + repo.Repository
	return c.walk(ctx, "/v2/"+repo.Repository+"/tags/list", "tags", what, "tags", ValidTag, fn)
}

// SameOrigin resolves a next-page reference against the page it came
// with, refusing another host or scheme: following it would send this
// registry's credentials elsewhere.
func SameOrigin(base *url.URL, ref string) (*url.URL, error) {
	r, err := url.Parse(ref)
	if err != nil {
		return nil, fmt.Errorf("%w: next page %q", ErrMalformed, ref)
	}
	next := base.ResolveReference(r)
	if next.Scheme != base.Scheme || !strings.EqualFold(next.Host, base.Host) {
		return nil, fmt.Errorf("%w: the next page is on another host (%s://%s)", ErrMalformed, next.Scheme, next.Host)
	}
	return next, nil
}

// GetJSON reads a JSON document at u (a page of a registry's or service's
// web API) under the page limit into v, and says how large it was.
func (c *Client) GetJSON(ctx context.Context, u *url.URL, what string, v any) (int, error) {
	size, _, err := c.GetJSONPage(ctx, u, what, v)
	return size, err
}

// GetJSONPage is GetJSON that also gives the answer's headers, for APIs
// that page with them (Link, X-Total-Count, X-Next-Page).
func (c *Client) GetJSONPage(ctx context.Context, u *url.URL, what string, v any) (int, http.Header, error) {
	resp, err := c.get(ctx, u, []string{"application/json"}, what)
	if err != nil {
		return 0, nil, err
	}
	body, err := readAll(resp, maxPageBytes, what)
	if err != nil {
		return 0, nil, err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return 0, nil, fmt.Errorf("%s: %w: %s", what, ErrMalformed, jsonProblem(err))
	}
	return len(body), resp.Header, nil
}

// NextLink finds rel="next" in an answer's Link headers, on the same host
// as the page (SameOrigin); nil when there is none.
func NextLink(header http.Header, page *url.URL) (*url.URL, error) {
	return nextLink(header.Values("Link"), page)
}
