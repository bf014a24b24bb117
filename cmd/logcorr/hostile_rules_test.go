package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// hostileRule is a rule file of testdata/hostile.
func hostileRule(name string) string { return filepath.Join("..", "..", "testdata", "hostile", name) }

// A user rule whose summary nests templates is refused by rules lint and
// by every command that loads it, at once, before any template runs.
func TestTemplateBombRule(t *testing.T) {
	dir := secretArtifacts(t)
	for _, args := range [][]string{
		{"rules", "lint", "--rules", hostileRule("template_bomb_rule.yaml")},
		{"analyze", "--rules", hostileRule("template_bomb_rule.yaml"), dir},
	} {
		_, stderr, code := runWithin(t, 30*time.Second, args...)
		if code != exitUsage || !strings.Contains(stderr, "template expands to more than 2000 nodes") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}
