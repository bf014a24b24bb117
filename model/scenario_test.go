package model

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/logcorr/logcorr/correlate"
)

// SiblingIndex, which judges runs of equal facts once, gives every run the
// siblings the pairwise definition (Siblings) gives it, in the same
// order: on the user's real runs, and on them repeated as a nightly
// folder repeats its scenarios (each run three times, so that classes of
// equal facts hold several runs).
func TestSiblingIndexIsSiblingsOfEachRun(t *testing.T) {
	a := ahsp(t)
	runs := thrice(a.Runs)
	for name, rs := range map[string][]*correlate.Run{"ahsp": a.Runs, "ahsp x3": runs} {
		x := NewSiblingIndex(rs)
		withSiblings := 0
		for _, r := range rs {
			want := Siblings(rs, r)
			if got, _ := x.Of(r); !slices.Equal(got, want) {
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

// The index's answers per class of facts are those a walk over each run's
// siblings gives: Has is a sibling exists, and Best the first sibling in
// order with the highest score above 0, for scores with many ties and
// zeros (as request-name counts are), on the same runs as above.
func TestSiblingIndexAnswersAsTheSiblingsDo(t *testing.T) {
	a := ahsp(t)
	runs := thrice(a.Runs)
	rng := rand.New(rand.NewPCG(3, 4))
	for name, rs := range map[string][]*correlate.Run{"ahsp": a.Runs, "ahsp x3": runs} {
		x := NewSiblingIndex(rs)
		for trial := range 20 {
			score := make([]int, len(rs))
			for i := range score {
				score[i] = rng.IntN(4) // ties and zeros
			}
			tops := x.Tops(score)
			for i, r := range rs {
				sib := Siblings(rs, r)
				if trial == 0 {
					if got, ok := x.Of(r); !ok || !slices.Equal(got, sib) {
						t.Fatalf("%s: %s: Of gives %d siblings, want %d", name, r.Name, len(got), len(sib))
					}
					if has, ok := x.Has(r); !ok || has != (len(sib) > 0) {
						t.Fatalf("%s: %s: Has %v, %d siblings", name, r.Name, has, len(sib))
					}
				}
				var want *correlate.Run
				wantN := 0
				for _, o := range sib {
					if n := score[slices.Index(rs, o)]; n > wantN {
						want, wantN = o, n
					}
				}
				got, n, ok := tops.Best(r)
				if !ok || got != want || n != wantN {
					t.Fatalf("%s trial %d: run %d %s: best %v (%d), want %v (%d)", name, trial, i, r.Name, got, n, want, wantN)
				}
			}
		}
	}
	if _, ok := NewSiblingIndex(a.Runs).Of(&correlate.Run{Name: "elsewhere"}); ok {
		t.Error("a run outside the index was answered")
	}
}

// thrice is runs repeated three times, as copies: a nightly folder's
// classes of equal facts hold several runs.
func thrice(runs []*correlate.Run) []*correlate.Run {
	var out []*correlate.Run
	for range 3 {
		for _, r := range runs {
			c := *r
			out = append(out, &c)
		}
	}
	return out
}
