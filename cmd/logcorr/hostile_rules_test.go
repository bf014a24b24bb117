package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/logcorr/logcorr/rules"
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

// A user rule whose pattern backtracks exponentially on rows of graded
// length gives the same report every time, however busy the machine: the
// rule is disabled for the whole analysis, whichever row ran out of the
// budget first. (With a per-record timeout, the same input gave a
// different report from one run to the next.)
func TestBacktrackingRuleDeterministicUnderLoad(t *testing.T) {
	old := rules.MatchTimeout
	rules.MatchTimeout = 50 * time.Millisecond
	t.Cleanup(func() { rules.MatchTimeout = old })
	dir := t.TempDir()
	b, err := os.ReadFile(hostileRule("backtracking_failures.csv"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "backtracking_failures.csv"), b, 0o644)
	// Load: busy goroutines, one more than there are processors.
	var stop atomic.Bool
	defer stop.Store(true)
	for i := 0; i <= runtime.GOMAXPROCS(0); i++ {
		go func() {
			x := uint64(i + 1)
			for !stop.Load() {
				x ^= x << 13
				x ^= x >> 7
				x ^= x << 17
			}
		}()
	}
	var first string
	for i := 0; i < 5; i++ {
		stdout, stderr, code := runCLI("analyze", "--rules", hostileRule("backtracking_rule.yaml"), "--format", "json", "--min-parsed", "0", "--fail-on", "none", dir)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if !strings.Contains(stdout, "backtracking-rule: disabled for the whole analysis") {
			t.Fatalf("the rule is not reported disabled:\n%.2000s", stdout)
		}
		if i == 0 {
			first = stdout
		} else if stdout != first {
			t.Fatalf("run %d gave a different report than the first", i)
		}
	}
}
