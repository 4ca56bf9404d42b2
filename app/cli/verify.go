package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/card-catalog/card-catalog/app/printable"
	"github.com/card-catalog/card-catalog/app/trust"
	"github.com/card-catalog/card-catalog/registry"
)

// errNotVerified is verify's answer when the image is not verified or
// not signed: exit status 1.
var errNotVerified = errors.New("not verified")

// trustFlags are verify's: a key, an identity and issuer to require, a
// trusted root to use instead of this computer's.
type trustFlags struct {
	key, identity, issuer, trustedRoot string
	// refresh fetches the public-good root through TUF first.
	refresh bool
}

func (f *trustFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.key, "key", "", "the signer's public key (PEM) in `FILE`, instead of the keys imported")
	fs.StringVar(&f.identity, "identity", "", "the `SIGNER` a certificate must name (a trailing * takes any continuation: github.com/org/*)")
	fs.StringVar(&f.issuer, "issuer", "", "the OIDC issuer (`URL`) that must vouch for the signer")
	fs.StringVar(&f.trustedRoot, "trusted-root", "", "a Sigstore trusted_root.json `FILE` to use instead of this computer's roots")
	fs.BoolVar(&f.refresh, "refresh-root", false, "first fetch Sigstore's public-good root through TUF into the cache (online)")
}

// material is the trust material verify uses: this computer's (the
// shipped or refreshed public-good root, what was imported), with
// --trusted-root instead of its roots and --key instead of its keys.
func (f trustFlags) material(env commandEnv) (*trust.Material, trust.Store, error) {
	store, err := trust.DefaultStore()
	if err != nil {
		env.log.Warn("no config directory: only the shipped trust material is used: " + err.Error())
	}
	if f.refresh {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		r, err := store.Refresh(ctx, trust.RefreshOptions{})
		if err != nil {
			return nil, store, fmt.Errorf("refreshing the public-good root: %w", err)
		}
		fmt.Fprintln(env.notes.w, env.notes.prefix+"the public-good root was refreshed through TUF, "+r.Date.Format(time.RFC3339))
	}
	m, err := store.Load()
	if err != nil {
		env.log.Warn("some imported trust material is left out: " + err.Error())
	}
	if f.trustedRoot != "" {
		raw, err := os.ReadFile(f.trustedRoot)
		if err != nil {
			return nil, store, fmt.Errorf("%w: --trusted-root: %v", errUsage, err)
		}
		info, _ := os.Stat(f.trustedRoot)
		if m.Roots, err = trust.ParseRoot(filepath.Base(f.trustedRoot), trust.SourceFile, info.ModTime().UTC(), raw); err != nil {
			return nil, store, fmt.Errorf("%w: --trusted-root: %v", errUsage, err)
		}
	}
	if f.key != "" {
		raw, err := os.ReadFile(f.key)
		if err != nil {
			return nil, store, fmt.Errorf("%w: --key: %v", errUsage, err)
		}
		k, err := trust.ParseKey(filepath.Base(f.key), raw)
		if err != nil {
			return nil, store, fmt.Errorf("%w: --key: %v", errUsage, err)
		}
		m.Keys = []trust.Key{k}
	}
	return m, store, nil
}

// policy is the policy for ref: a rule of the flags' when they name a
// signer, else the saved policy.
func (f trustFlags) policy(store trust.Store, ref registry.Reference) (trust.Policy, error) {
	if f.key != "" || f.identity != "" || f.issuer != "" {
		r := trust.Rule{Scope: ref.Registry.Host + "/" + ref.Repository, Identity: f.identity, Issuer: f.issuer}
		if f.key != "" {
			r.Key = filepath.Base(f.key)
		}
		return trust.Policy{Rules: []trust.Rule{r}}, r.Check()
	}
	return store.Policy()
}

// verifyCommand finds what is attached to the image and verifies it on
// this computer; exit 0 verified (and as the policy asks), 1 not.
func verifyCommand(ctx context.Context, env commandEnv, arg string) error {
	ref, err := registry.ParseReference(arg, env.plainHTTP, env.insecure)
	if err != nil {
		return err
	}
	m, store, err := env.trust.material(env)
	if err != nil {
		return err
	}
	policy, err := env.trust.policy(store, ref)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	res, err := trust.Check(ctx, env.source(ref.Registry), ref, m, policy)
	if err != nil {
		return err
	}
	if env.asJSON {
		err = writeJSON(env, verifyJSON(ref, res, m))
	} else {
		err = printReport(env, ref, res, m)
	}
	if err != nil {
		return err
	}
	if !res.Passed() {
		return errNotVerified
	}
	return nil
}

func printReport(env commandEnv, ref registry.Reference, res *trust.Result, m *trust.Material) error {
	tree, r, b := res.Tree, res.Report, res.Badge
	w := bufio.NewWriter(env.out)
	line := func(format string, a ...any) { w.WriteString(printable.Line(fmt.Sprintf(format, a...)) + "\n") }
	line("%s (%s)", ref, tree.Subject.Digest)
	line("%s", b.Reason)
	if b.State == trust.BadgeNone && r.Outcome() == trust.OutcomeVerified {
		line("No policy names a signer for %s/%s: any signer the trust material vouches for is taken (give --identity and --issuer, or --key).", ref.Registry.Host, ref.Repository)
	}
	for _, a := range tree.Attachments {
		if a.Kind == trust.KindSBOM {
			line("· %s (%s)", a.What, a.Found)
		}
	}
	for _, v := range r.Verdicts {
		line("%s %s (%s)", v.Mark(), v.What, v.Found)
		for _, d := range v.Details() {
			line("    %-16s %s", d.Label+":", d.Value)
		}
	}
	for _, p := range r.Problems {
		line("! %s", p)
	}
	for _, root := range m.Roots {
		line("# trust root: %s, %s, of %s", root.Name, root.Source, root.Date.Format(time.DateOnly))
	}
	for _, k := range m.Keys {
		line("# trusted key: %s (SHA-256 %s)", k.Name, k.Fingerprint)
	}
	return w.Flush()
}

type verifyDoc struct {
	Reference   string          `json:"reference"`
	Digest      string          `json:"digest"`
	Outcome     trust.Outcome   `json:"outcome"`
	Summary     string          `json:"summary"`
	Badge       badgeJSON       `json:"badge"`
	Attachments []attachJSON    `json:"attachments"`
	Verdicts    []trust.Verdict `json:"verdicts"`
	Problems    []string        `json:"problems"`
	TrustRoots  []rootJSON      `json:"trustRoots"`
}

type badgeJSON struct {
	State  trust.BadgeState `json:"state"`
	Reason string           `json:"reason"`
	Rule   *trust.Rule      `json:"rule,omitempty"`
}

type attachJSON struct {
	Kind   trust.Kind   `json:"kind"`
	Format trust.Format `json:"format"`
	What   string       `json:"what"`
	Maker  string       `json:"maker,omitempty"`
	Found  string       `json:"found"`
	For    string       `json:"for"`
	Digest string       `json:"digest"`
}

type rootJSON struct {
	Name   string    `json:"name"`
	Source string    `json:"source"`
	Date   time.Time `json:"date"`
}

func verifyJSON(ref registry.Reference, res *trust.Result, m *trust.Material) verifyDoc {
	tree, r, b := res.Tree, res.Report, res.Badge
	doc := verifyDoc{Reference: ref.String(), Digest: tree.Subject.Digest, Outcome: r.Outcome(), Summary: r.Summary(),
		Badge: badgeJSON{State: b.State, Reason: b.Reason}, Attachments: []attachJSON{}, Verdicts: r.Verdicts, Problems: r.Problems, TrustRoots: []rootJSON{}}
	if b.State != trust.BadgeNone {
		doc.Badge.Rule = &b.Rule
	}
	if doc.Verdicts == nil {
		doc.Verdicts = []trust.Verdict{}
	}
	if doc.Problems == nil {
		doc.Problems = []string{}
	}
	for _, a := range tree.Attachments {
		doc.Attachments = append(doc.Attachments, attachJSON{a.Kind, a.Format, a.What, a.Maker, a.Found, a.For, a.Digest})
	}
	for _, root := range m.Roots {
		doc.TrustRoots = append(doc.TrustRoots, rootJSON{root.Name, root.Source, root.Date})
	}
	return doc
}

// writeJSON writes doc indented, escaped as every command's JSON is.
func writeJSON(env commandEnv, doc any) error {
	raw, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = env.out.Write(append(printable.JSON(raw), '\n'))
	return err
}
