package correlate

import (
	"math/rand/v2"
	"testing"
	"time"
)

// The indexed own window gives exactly the scan's answer, on random runs:
// overlapping, touching, equal starts, unknown windows, several folder
// trees and runs named on the command line (root "").
func TestRunIndexOwnWindowMatchesScan(t *testing.T) {
	base := time.Date(2026, 11, 29, 13, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(1, 2))
	trees := []map[string]bool{nil, {"": true}, {"a": true}, {"b": true}, {"a": true, "b": true}}
	for round := range 300 {
		n := 1 + rng.IntN(40)
		runs := make([]*Run, n)
		for i := range runs {
			r := &Run{roots: trees[rng.IntN(len(trees))]}
			if rng.IntN(10) > 0 {
				r.Start = base.Add(time.Duration(rng.IntN(3600)) * time.Second)
				if rng.IntN(8) == 0 && i > 0 && !runs[i-1].Start.IsZero() {
					r.Start = runs[i-1].Start // equal starts
				}
				r.End = r.Start.Add(time.Duration(1+rng.IntN(900)) * time.Second)
				if rng.IntN(20) == 0 {
					r.End = r.Start.Add(4 * time.Hour) // one long run must not hide the others
				}
			}
			runs[i] = r
		}
		idx := newRunIndex(runs)
		for i, r := range runs {
			f1, t1, ok1 := scanOwnWindow(r, runs)
			f2, t2, ok2 := idx.ownWindow(r)
			if !f1.Equal(f2) || !t1.Equal(t2) || ok1 != ok2 {
				t.Fatalf("round %d run %d: scan [%v, %v) %v, index [%v, %v) %v", round, i, f1, t1, ok1, f2, t2, ok2)
			}
		}
	}
}

// scanOwnWindow is the own window by its definition, comparing the run
// with every other: the reference the index is held against.
func scanOwnWindow(run *Run, runs []*Run) (from, to time.Time, ok bool) {
	if run.Start.IsZero() || run.End.IsZero() {
		return time.Time{}, time.Time{}, false
	}
	from, to = run.Start.Add(-ownLead), run.End.Add(ownTail)
	for _, o := range runs {
		if o == run || o.Start.IsZero() || o.End.IsZero() || !sameTree(o, run) {
			continue
		}
		if !o.Start.Before(run.Start) && o.Start.Before(to) {
			to = o.Start
		}
		if o.Start.Before(run.Start) && o.End.After(from) && o.End.Before(run.Start) {
			from = o.End
		}
	}
	return from, to, true
}
