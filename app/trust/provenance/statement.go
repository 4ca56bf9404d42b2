package provenance

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Statement is an in-toto statement: what it is about (its subjects) and
// what it says (its predicate, kept raw).
type Statement struct {
	Type          string
	PredicateType string
	Subjects      []Subject
	Predicate     json.RawMessage
}

// Subject is one artifact a statement is about.
type Subject struct {
	Name   string
	Digest map[string]string
}

// ParseStatement decodes an in-toto statement (v0.1 or v1).
func ParseStatement(payload []byte) (*Statement, error) {
	var wire struct {
		Type          string          `json:"_type"`
		PredicateType string          `json:"predicateType"`
		Subject       []Subject       `json:"subject"`
		Predicate     json.RawMessage `json:"predicate"`
	}
	if err := json.Unmarshal(payload, &wire); err != nil {
		return nil, fmt.Errorf("%w: not an in-toto statement: %v", ErrMalformed, err)
	}
	if wire.Type != StatementV01 && wire.Type != StatementV1 {
		return nil, fmt.Errorf("%w: not an in-toto statement (_type %q)", ErrMalformed, clamp(wire.Type))
	}
	if wire.PredicateType == "" {
		return nil, fmt.Errorf("%w: the statement has no predicateType", ErrMalformed)
	}
	if len(wire.Subject) > maxSubjects {
		return nil, fmt.Errorf("%w: the statement has %d subjects, more than %d", ErrMalformed, len(wire.Subject), maxSubjects)
	}
	s := &Statement{Type: wire.Type, PredicateType: clamp(wire.PredicateType), Predicate: wire.Predicate}
	for _, sub := range wire.Subject {
		d := map[string]string{}
		for alg, v := range sub.Digest {
			if len(d) < 8 {
				d[clamp(alg)] = clamp(v)
			}
		}
		s.Subjects = append(s.Subjects, Subject{Name: clamp(sub.Name), Digest: d})
	}
	return s, nil
}

// Covers says whether one of the statement's subjects is digest
// ("sha256:<hex>").
func (s *Statement) Covers(digest string) bool {
	alg, hex, ok := strings.Cut(digest, ":")
	if !ok {
		return false
	}
	for _, sub := range s.Subjects {
		if strings.EqualFold(sub.Digest[alg], hex) {
			return true
		}
	}
	return false
}
