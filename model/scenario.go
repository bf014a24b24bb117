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

// SiblingIndex answers Siblings for every run of an analysis, each run's
// facts (peak users, duration, request names) read once, not once per
// pair. Whether two runs are one scenario depends on those facts alone, so
// runs of equal facts (a folder of nightly runs of a few scenarios: 2,815
// runs, a few dozen distinct facts) are judged once per pair of distinct
// facts, and a question over a run's siblings can be answered per class
// of equal facts (Has, Tops) instead of by walking every run's list: a
// folder of thousands of runs of one scenario has millions of sibling
// pairs.
type SiblingIndex struct {
	runs    []*correlate.Run
	pos     map[*correlate.Run]int
	classOf []int    // by run position
	related [][]bool // class × class: one scenario
	others  []int    // per class: how many runs of a related class, the class' own included
}

// NewSiblingIndex indexes runs (the analysis' runs, in its order).
func NewSiblingIndex(runs []*correlate.Run) *SiblingIndex {
	type facts struct {
		users int64
		dur   time.Duration
		names map[string]bool
	}
	x := &SiblingIndex{runs: runs, pos: make(map[*correlate.Run]int, len(runs)), classOf: make([]int, len(runs))}
	var distinct []facts
	index := map[string]int{}
	var key []byte
	for i, r := range runs {
		x.pos[r] = i
		f := facts{UsersMax(r), Duration(r), requestNames(r)}
		key = factsKey(key[:0], f.users, f.dur, f.names)
		c, ok := index[string(key)]
		if !ok {
			c = len(distinct)
			index[string(key)] = c
			distinct = append(distinct, f)
		}
		x.classOf[i] = c
	}
	size := make([]int, len(distinct))
	for _, c := range x.classOf {
		size[c]++
	}
	x.related = make([][]bool, len(distinct))
	x.others = make([]int, len(distinct))
	for a, fa := range distinct {
		x.related[a] = make([]bool, len(distinct))
		for b, fb := range distinct {
			if fa.users > 0 && fb.users > 0 && fa.users != fb.users {
				continue // what sameScenario would decide first, without the call
			}
			if x.related[a][b] = sameScenarioOf(fa.dur, fb.dur, fa.names, fb.names); x.related[a][b] {
				x.others[a] += size[b]
			}
		}
	}
	return x
}

// Of is Siblings(runs, r) for a run of the index (ok false for another).
func (x *SiblingIndex) Of(r *correlate.Run) (sib []*correlate.Run, ok bool) {
	i, ok := x.pos[r]
	if !ok {
		return nil, false
	}
	rel := x.related[x.classOf[i]]
	for j, o := range x.runs {
		if i != j && rel[x.classOf[j]] {
			sib = append(sib, o)
		}
	}
	return sib, true
}

// Has reports whether r, a run of the index, has a sibling.
func (x *SiblingIndex) Has(r *correlate.Run) (has, ok bool) {
	i, ok := x.pos[r]
	if !ok {
		return false, false
	}
	c := x.classOf[i]
	n := x.others[c]
	if x.related[c][c] {
		n-- // r itself
	}
	return n > 0, true
}

// SiblingTops is, for one score of every run, each run's best sibling:
// the first in the analysis' order with the highest score.
type SiblingTops struct {
	x          *SiblingIndex
	score      []int
	top1, top2 []int // per class: the first best run of its related classes, and the first best of the others
}

// Tops indexes score (by run position, as the index's runs) for Best.
// It costs one pass over the runs per class of facts.
func (x *SiblingIndex) Tops(score []int) *SiblingTops {
	t := &SiblingTops{x: x, score: score, top1: make([]int, len(x.related)), top2: make([]int, len(x.related))}
	best := func(rel []bool, skip int) int {
		b := -1
		for j := range x.runs {
			if j != skip && rel[x.classOf[j]] && (b < 0 || score[j] > score[b]) {
				b = j
			}
		}
		return b
	}
	for c, rel := range x.related {
		t.top1[c] = best(rel, -1)
		t.top2[c] = best(rel, t.top1[c])
	}
	return t
}

// Best is r's sibling with the highest score, the first of them in the
// analysis' order, and its score; nil and 0 when no sibling scores above
// 0. ok is false for a run outside the index.
func (t *SiblingTops) Best(r *correlate.Run) (best *correlate.Run, score int, ok bool) {
	i, ok := t.x.pos[r]
	if !ok {
		return nil, 0, false
	}
	c := t.x.classOf[i]
	b := t.top1[c]
	if b == i {
		b = t.top2[c]
	}
	if b < 0 || t.score[b] <= 0 {
		return nil, 0, true
	}
	return t.x.runs[b], t.score[b], true
}

// Len is the number of runs indexed.
func (x *SiblingIndex) Len() int { return len(x.runs) }

// Runs are the runs indexed, in order.
func (x *SiblingIndex) Runs() []*correlate.Run { return x.runs }

// factsKey appends to dst what SiblingIndex compares of a run: its peak
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
