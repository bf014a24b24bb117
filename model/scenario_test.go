package model

import (
	"slices"
	"testing"

	"github.com/logcorr/logcorr/correlate"
)

// AllSiblings, which judges runs of equal facts once, gives every run the
// siblings the pairwise definition (Siblings) gives it, in the same
// order: on the user's real runs, and on them repeated as a nightly
// folder repeats its scenarios (each run three times, so that classes of
// equal facts hold several runs).
func TestAllSiblingsIsSiblingsOfEachRun(t *testing.T) {
	a := ahsp(t)
	var runs []*correlate.Run
	for range 3 {
		for _, r := range a.Runs {
			c := *r
			runs = append(runs, &c)
		}
	}
	for name, rs := range map[string][]*correlate.Run{"ahsp": a.Runs, "ahsp x3": runs} {
		all := AllSiblings(rs)
		withSiblings := 0
		for _, r := range rs {
			want := Siblings(rs, r)
			if got := all[r]; !slices.Equal(got, want) {
				t.Fatalf("%s: %s: %d siblings, want %d", name, r.Name, len(got), len(want))
			}
			if len(want) > 0 {
				withSiblings++
			}
		}
		// Not a vacuous check: the corpus has runs of one scenario.
		if withSiblings == 0 {
			t.Errorf("%s: no run has a sibling", name)
		}
		t.Logf("%s: %d runs, %d with siblings", name, len(rs), withSiblings)
	}
}
