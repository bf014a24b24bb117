package rules

import (
	"fmt"

	"github.com/dlclark/regexp2/v2"
	"gopkg.in/yaml.v3"
)

// Pattern is a regexp2 parameter: compiled (with the size cap and the
// match timeout) when the rule's YAML is decoded, so a bad pattern is a
// load error naming the rule, never a failure in the middle of a run.
type Pattern struct {
	src string
	re  *regexp2.Regexp
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (p *Pattern) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil {
		return err
	}
	re, err := cachedPattern(s)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	p.src, p.re = s, re
	return nil
}

// MarshalYAML implements yaml.Marshaler.
func (p Pattern) MarshalYAML() (any, error) { return p.src, nil }

// MatchString reports whether s matches; a timeout counts as no match.
func (p Pattern) MatchString(s string) bool {
	if p.re == nil {
		return false
	}
	return matches(p.re, s)
}

func (p Pattern) String() string { return p.src }
