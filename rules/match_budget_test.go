package rules

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

// A rule whose pattern runs out of its matching budget on any record, in
// any run, is disabled for the whole analysis: none of its findings is
// reported for any run (not even for runs matched before the budget ran
// out), one message says so without naming the record (which record is
// first to run out may depend on the machine's load), and the result is
// the same every time.
func TestBudgetDisablesRuleEverywhere(t *testing.T) {
	old := MatchTimeout
	MatchTimeout = 20 * time.Millisecond
	t.Cleanup(func() { MatchTimeout = old })
	s := mustRules(t, ruleHead+"match:\n  message: '^(a+)+$'\n")
	good := &correlate.Run{Name: "first", Events: correlate.EventsOf(ev(parsers.Event{Source: "django", File: "a.log", Line: 1, Message: "aaaa"}))}
	bad := &correlate.Run{Name: "second", Events: correlate.EventsOf(
		ev(parsers.Event{Source: "django", File: "b.log", Line: 1, Message: "aaaa"}),
		ev(parsers.Event{Source: "django", File: "b.log", Line: 2, Message: strings.Repeat("a", 5000) + "b"}),
	)}
	a := &correlate.Analysis{Runs: []*correlate.Run{good, bad}}
	var first []RunResult
	for i := 0; i < 3; i++ {
		res := s.Evaluate(a, DefaultTargets)
		for _, rr := range res {
			if len(rr.Findings) > 0 {
				t.Errorf("run %q: %d findings of a disabled rule", rr.Run, len(rr.Findings))
			}
		}
		last := res[len(res)-1]
		if last.Run != "" || len(last.Errors) != 1 || !strings.Contains(last.Errors[0], "test-rule: disabled for the whole analysis") ||
			!strings.Contains(last.Errors[0], "^(a+)+$") || strings.Contains(last.Errors[0], "b.log") {
			t.Fatalf("results %+v: want one message disabling test-rule, naming its pattern, not a record", res)
		}
		for _, rr := range res[:len(res)-1] {
			if len(rr.Errors) > 0 {
				t.Errorf("run %q: per-run errors %v: the disabling message is the only one", rr.Run, rr.Errors)
			}
		}
		if i == 0 {
			first = res
		} else if !reflect.DeepEqual(res, first) {
			t.Errorf("evaluation %d differs from the first:\n%+v\n%+v", i, res, first)
		}
	}
	// Without a pattern out of budget, the same rule fires on both runs.
	fine := &correlate.Run{Name: "second", Events: bad.Events.Slice(0, 1)}
	res := s.Evaluate(&correlate.Analysis{Runs: []*correlate.Run{good, fine}}, DefaultTargets)
	if len(res) != 2 || len(res[0].Findings) != 1 || len(res[1].Findings) != 1 {
		t.Errorf("healthy evaluation: %+v", res)
	}
}

// Each pattern sees at most MaxMatchInput bytes of a field, cut at a rune
// boundary, so its work is bounded by the input it is given, not by a
// record's size.
func TestMatchInputBounded(t *testing.T) {
	long := "start " + strings.Repeat("é", MaxMatchInput) + " needle-at-the-end"
	for _, c := range []struct {
		pattern string
		fires   bool
	}{{"^start", true}, {"needle-at-the-end", false}} {
		s := mustRules(t, ruleHead+fmt.Sprintf("match:\n  message: '%s'\n", c.pattern))
		run := &correlate.Run{Name: "r", Events: correlate.EventsOf(ev(parsers.Event{Source: "django", File: "x.log", Line: 1, Message: long}))}
		res := s.EvaluateRun(&correlate.Analysis{}, run, DefaultTargets)
		if got := len(res.Findings) == 1; got != c.fires || len(res.Errors) > 0 {
			t.Errorf("%s on a %d-byte message: fired %v, errors %v; want fired %v", c.pattern, len(long), got, res.Errors, c.fires)
		}
	}
	cut := boundInput(long)
	if len(cut) > MaxMatchInput || !strings.HasPrefix(long, cut) || strings.ContainsRune(cut, '\uFFFD') || len(cut) < MaxMatchInput-4 {
		t.Errorf("boundInput: %d bytes, not a prefix cut at a rune boundary", len(cut))
	}
}
