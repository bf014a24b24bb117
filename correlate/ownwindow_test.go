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
			}
			runs[i] = r
		}
		idx := newRunIndex(runs)
		for i, r := range runs {
			f1, t1, ok1 := ownWindow(r, runs)
			f2, t2, ok2 := idx.ownWindow(r)
			if !f1.Equal(f2) || !t1.Equal(t2) || ok1 != ok2 {
				t.Fatalf("round %d run %d: scan [%v, %v) %v, index [%v, %v) %v", round, i, f1, t1, ok1, f2, t2, ok2)
			}
		}
	}
}
