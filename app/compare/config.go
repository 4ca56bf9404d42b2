package compare

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Field is one config setting in both images; Old and New are empty where
// an image does not have it.
type Field struct {
	Name     string
	Old, New string
}

// Changed says whether the two images differ in it.
func (f Field) Changed() bool { return f.Old != f.New }

// Config lists the settings people compare, each environment variable,
// label and port on its own row, in both images.
func Config(a, b *v1.ConfigFile) []Field {
	if a == nil {
		a = &v1.ConfigFile{}
	}
	if b == nil {
		b = &v1.ConfigFile{}
	}
	fields := []Field{
		{"platform", platform(a), platform(b)},
		{"created", created(a), created(b)},
		{"entrypoint", list(a.Config.Entrypoint), list(b.Config.Entrypoint)},
		{"cmd", list(a.Config.Cmd), list(b.Config.Cmd)},
		{"workdir", a.Config.WorkingDir, b.Config.WorkingDir},
		{"user", a.Config.User, b.Config.User},
	}
	fields = append(fields, keyed("env ", env(a.Config.Env), env(b.Config.Env))...)
	fields = append(fields, keyed("port ", set(a.Config.ExposedPorts), set(b.Config.ExposedPorts))...)
	fields = append(fields, keyed("label ", a.Config.Labels, b.Config.Labels)...)
	return fields
}

func platform(c *v1.ConfigFile) string {
	if c.OS == "" {
		return ""
	}
	p := c.OS + "/" + c.Architecture
	if c.Variant != "" {
		p += "/" + c.Variant
	}
	return p
}

func created(c *v1.ConfigFile) string {
	if c.Created.IsZero() {
		return ""
	}
	return c.Created.UTC().Format(time.RFC3339)
}

func list(v []string) string {
	if v == nil {
		return ""
	}
	return fmt.Sprintf("%q", v)
}

func env(vars []string) map[string]string {
	m := map[string]string{}
	for _, v := range vars {
		k, val, _ := strings.Cut(v, "=")
		m[k] = val
	}
	return m
}

func set(s map[string]struct{}) map[string]string {
	m := map[string]string{}
	for k := range s {
		m[k] = k
	}
	return m
}

// keyed makes a row per key of either map, in key order.
func keyed(prefix string, a, b map[string]string) []Field {
	keys := slices.Sorted(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := make([]Field, 0, len(keys))
	for _, k := range keys {
		out = append(out, Field{prefix + k, a[k], b[k]})
	}
	return out
}

// History is each image's history as Dockerfile lines, diffed.
func History(a, b []string) []Line {
	lines, _ := Lines(a, b, maxHistoryEdits)
	return lines
}

const maxHistoryEdits = 1000
