package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// maxPages caps one walk: at 1000 names a page, ten million names.
const maxPages = 10000

// smallPageSize is asked when a registry refuses the configured page size.
const smallPageSize = 100

// walk reads a paged list (catalog or tags) from path, handing each page's
// new names to fn as it arrives. It follows Link headers on the same host and
// scheme only, and ends when a page URL comes round again, a page adds no new
// name, maxPages is reached, or ctx is cancelled. Names are deduplicated.
func (c *Client) walk(ctx context.Context, path, field, what string, fn func([]string) error) error {
	seen := map[string]struct{}{}
	visited := map[string]bool{}
	sizes := []int{c.pageSize, smallPageSize, 0}
	if c.pageSize <= smallPageSize {
		sizes = []int{c.pageSize, 0}
	}
	query := url.Values{}
	if sizes[0] > 0 {
		query.Set("n", strconv.Itoa(sizes[0]))
	}
	u := c.url(path, query)
	for page := 1; ; page++ {
		if page > maxPages {
			return fmt.Errorf("%s: %w: still paging after %d pages", what, ErrMalformed, maxPages)
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		visited[u.String()] = true
		resp, err := c.do(ctx, http.MethodGet, u, []string{"application/json"}, what)
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusBadRequest && page == 1 && len(sizes) > 1 {
			// distribution refuses n above its maximum: ask for less.
			drain(resp)
			sizes = sizes[1:]
			q := url.Values{}
			if sizes[0] > 0 {
				q.Set("n", strconv.Itoa(sizes[0]))
			}
			c.log.Debug("registry refused the page size; asking for fewer", "what", what, "n", sizes[0])
			u = c.url(path, q)
			page--
			continue
		}
		if resp.StatusCode != http.StatusOK {
			defer resp.Body.Close()
			return statusError(resp, what)
		}
		body, err := readAll(resp, maxPageBytes, what)
		if err != nil {
			return err
		}
		names, err := decodeNames(body, field)
		if err != nil {
			return fmt.Errorf("%s (page %d): %w", what, page, err)
		}
		fresh := names[:0]
		for _, n := range names {
			if _, dup := seen[n]; !dup {
				seen[n] = struct{}{}
				fresh = append(fresh, n)
			}
		}
		if len(fresh) > 0 {
			if err := fn(fresh); err != nil {
				return err
			}
		}
		next, err := nextLink(resp.Header.Values("Link"), u)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		switch {
		case next == nil:
			return nil
		case visited[next.String()]:
			c.log.Debug("Link points back to a page already read; stopping", "what", what, "link", next.String())
			return nil
		case len(fresh) == 0:
			c.log.Debug("page added no new names; stopping", "what", what, "page", page)
			return nil
		}
		u = next
	}
}

// decodeNames reads {"<field>": ["a", "b"]} (a null list is empty).
func decodeNames(body []byte, field string) ([]string, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("%w: expected JSON {%q: [...]}: %v", ErrMalformed, field, err)
	}
	raw, ok := doc[field]
	if !ok {
		return nil, fmt.Errorf("%w: expected JSON {%q: [...]}, found no %q", ErrMalformed, field, field)
	}
	var names []string
	if err := json.Unmarshal(raw, &names); err != nil {
		return nil, fmt.Errorf("%w: %q is not a list of names: %v", ErrMalformed, field, err)
	}
	return names, nil
}

// nextLink finds rel="next" in Link headers (RFC 8288) and resolves it
// against the page it came with. A next page on another host or scheme is an
// error: following it would send this registry's credentials elsewhere.
func nextLink(headers []string, base *url.URL) (*url.URL, error) {
	for _, h := range headers {
		for _, link := range splitLinks(h) {
			target, params, ok := parseLinkValue(link)
			if !ok || !relIsNext(params["rel"]) {
				continue
			}
			ref, err := url.Parse(target)
			if err != nil {
				return nil, fmt.Errorf("%w: Link header %q: %v", ErrMalformed, target, err)
			}
			next := base.ResolveReference(ref)
			if next.Scheme != base.Scheme || !strings.EqualFold(next.Host, base.Host) {
				return nil, fmt.Errorf("%w: Link header points to another host (%s://%s)", ErrMalformed, next.Scheme, next.Host)
			}
			return next, nil
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
	err := c.walk(ctx, "/v2/_catalog", "repositories", what, fn)
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
	return c.walk(ctx, "/v2/"+repo.Repository+"/tags/list", "tags", "tags of "+repo.Repository, fn)
}
