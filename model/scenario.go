package model

import (
	"maps"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/logcorr/logcorr/correlate"
)

// Two runs are the same scenario when a reader could compare their
// figures: the same peak user count, run times within a factor of two
// (a run stopped early is still its scenario), and mostly the same request names (at least half of the union of
// names with requests). Parameters the user varies between runs (pool
// size, an excluded tag) leave most names in place; a run that only logged
// in, or one with five times the users, is another scenario. Facts the
// files lack (no history: no user count or duration) are not held against
// a pair.
const (
	scenarioDurationRatio = 2.0
	scenarioMinShared     = 0.5
)

// SameScenario reports whether runs a and b are the same scenario.
func SameScenario(a, b *correlate.Run) bool {
	return sameScenario(a, b, requestNames(a), requestNames(b))
}

func sameScenario(a, b *correlate.Run, na, nb map[string]bool) bool {
	if a == b {
		return false
	}
	if ua, ub := UsersMax(a), UsersMax(b); ua > 0 && ub > 0 && ua != ub {
		return false
	}
	return sameScenarioOf(Duration(a), Duration(b), na, nb)
}

// sameScenarioOf is sameScenario past the user counts.
func sameScenarioOf(da, db time.Duration, na, nb map[string]bool) bool {
	if da > 0 && db > 0 {
		if math.Max(da.Seconds(), db.Seconds()) > scenarioDurationRatio*math.Min(da.Seconds(), db.Seconds()) {
			return false
		}
	}
	if len(na) == 0 || len(nb) == 0 {
		return false
	}
	shared := 0
	for k := range na {
		if nb[k] {
			shared++
		}
	}
	union := len(na) + len(nb) - shared
	return float64(shared) >= scenarioMinShared*float64(union)
}

// Siblings are the other runs of the analysis that are r's scenario, in
// the analysis' order (start time).
func Siblings(runs []*correlate.Run, r *correlate.Run) []*correlate.Run {
	var out []*correlate.Run
	for _, o := range runs {
		if SameScenario(r, o) {
			out = append(out, o)
		}
	}
	return out
}

// AllSiblings is Siblings of every run, each run's facts (peak users,
// duration, request names) read once, not once per pair. Whether two runs
// are one scenario depends on those facts alone, so runs of equal facts
// (a folder of nightly runs of a few scenarios: 2,815 runs, a few dozen
// distinct facts) are judged once per pair of distinct facts; only the
// lists are made per run.
func AllSiblings(runs []*correlate.Run) map[*correlate.Run][]*correlate.Run {
	type facts struct {
		users int64
		dur   time.Duration
		names map[string]bool
	}
	var distinct []facts
	classOf := make([]int, len(runs))
	index := map[string]int{}
	var key []byte
	for i, r := range runs {
		f := facts{UsersMax(r), Duration(r), requestNames(r)}
		key = factsKey(key[:0], f.users, f.dur, f.names)
		c, ok := index[string(key)]
		if !ok {
			c = len(distinct)
			index[string(key)] = c
			distinct = append(distinct, f)
		}
		classOf[i] = c
	}
	related := make([][]bool, len(distinct))
	for a, fa := range distinct {
		related[a] = make([]bool, len(distinct))
		for b, fb := range distinct {
			if fa.users > 0 && fb.users > 0 && fa.users != fb.users {
				continue // what sameScenario would decide first, without the call
			}
			related[a][b] = sameScenarioOf(fa.dur, fb.dur, fa.names, fb.names)
		}
	}
	out := make(map[*correlate.Run][]*correlate.Run, len(runs))
	for i, r := range runs {
		rel := related[classOf[i]]
		var sib []*correlate.Run
		for j, o := range runs {
			if i != j && rel[classOf[j]] {
				sib = append(sib, o)
			}
		}
		out[r] = sib
	}
	return out
}

// factsKey appends to dst what AllSiblings compares of a run: its peak
// users, its duration and its request names, sorted.
func factsKey(dst []byte, users int64, dur time.Duration, names map[string]bool) []byte {
	dst = strconv.AppendInt(dst, users, 10)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, int64(dur), 10)
	for _, n := range slices.Sorted(maps.Keys(names)) {
		// Length-prefixed: no name can make two sets one key.
		dst = append(dst, ' ')
		dst = strconv.AppendInt(dst, int64(len(n)), 10)
		dst = append(dst, ':')
		dst = append(dst, n...)
	}
	return dst
}

// PreviousSibling is the latest run before r (in runs' order) of r's
// scenario, nil when r is the first of its scenario.
func PreviousSibling(runs []*correlate.Run, r *correlate.Run) *correlate.Run {
	idx := -1
	for i, o := range runs {
		if o == r {
			idx = i
		}
	}
	for i := idx - 1; i >= 0; i-- {
		if SameScenario(r, runs[i]) {
			return runs[i]
		}
	}
	return nil
}

// Duration is the run's length from its window, 0 when unknown.
func Duration(r *correlate.Run) time.Duration {
	if r.Start.IsZero() || r.End.IsZero() {
		return 0
	}
	return r.End.Sub(r.Start)
}

func requestNames(r *correlate.Run) map[string]bool {
	out := map[string]bool{}
	for _, s := range RequestRows(r) {
		if s.Requests > 0 {
			out[s.Type+" "+s.Name] = true
		}
	}
	return out
}
