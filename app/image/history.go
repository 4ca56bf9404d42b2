package image

import (
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// LayerSteps is the Dockerfile step that made each layer, base first
// (empty where the history does not say).
func LayerSteps(cfg *v1.ConfigFile, layers int) []string {
	steps := make([]string, layers)
	if cfg == nil {
		return steps
	}
	i := 0
	for _, h := range cfg.History {
		if h.EmptyLayer {
			continue
		}
		if i < layers {
			steps[i] = DockerfileLine(h.CreatedBy)
		}
		i++
	}
	return steps
}

// DockerfileLine turns a history entry's created_by into the Dockerfile
// step it came from.
func DockerfileLine(createdBy string) string {
	s := strings.TrimSpace(createdBy)
	s = strings.TrimSuffix(s, " # buildkit")
	switch {
	case strings.HasPrefix(s, "/bin/sh -c #(nop) "):
		s = strings.TrimSpace(strings.TrimPrefix(s, "/bin/sh -c #(nop) "))
	case strings.HasPrefix(s, "/bin/sh -c "):
		s = "RUN " + strings.TrimPrefix(s, "/bin/sh -c ")
	case strings.HasPrefix(s, "|"):
		// buildkit's "|2 ARG=x /bin/sh -c ..." form
		if i := strings.Index(s, "/bin/sh -c "); i > 0 {
			s = "RUN " + s[i+len("/bin/sh -c "):]
		}
	}
	if s == "" {
		return "# (no command recorded)"
	}
	return s
}

// HistoryLines is an image's history as Dockerfile lines, one a step.
func HistoryLines(cfg *v1.ConfigFile) []string {
	if cfg == nil {
		return nil
	}
	out := make([]string, 0, len(cfg.History))
	for _, h := range cfg.History {
		out = append(out, DockerfileLine(h.CreatedBy))
	}
	return out
}
