package correlate

// The estimator as it was before series became sparse (dense per-second
// arrays over the whole span), kept as the oracle the sparse EstimateOffset
// must agree with to the last bit: the same offsets, lags, scores and
// confidences, so every clock decision stays as it was. Its series, scores
// and match counts are the old code verbatim; the ranking and verdict
// (bestLag, judge) are shared, as they were not changed.

import (
	"fmt"
	"math"
)

// denseSeries is an event count per second: Counts[i] is the count in second
// Start+i (Unix seconds). For a file with naive time the seconds are its
// wall clock read as UTC; for a reference they are real UTC.
type denseSeries struct {
	Start  int64
	Counts []float64
}

// Events is the total count in the series.
func (s denseSeries) Events() float64 {
	t := 0.0
	for _, c := range s.Counts {
		t += c
	}
	return t
}

// denseBuilder collects counts per second and turns them into a Series.
type denseBuilder map[int64]float64

func (b denseBuilder) add(sec int64, v float64) { b[sec] += v }

// denseMaxSpan bounds a dense series (60 days of seconds, ~41 MB of
// float64) so a stray far-off timestamp cannot make the estimator allocate
// without limit. Longer spans are not estimated: the file's clock is then
// reported unknown.
const denseMaxSpan = 60 * 86400

func (b denseBuilder) series() (denseSeries, bool) {
	if len(b) == 0 {
		return denseSeries{}, false
	}
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for k := range b {
		lo, hi = min(lo, k), max(hi, k)
	}
	if hi-lo >= denseMaxSpan {
		return denseSeries{}, false
	}
	s := denseSeries{Start: lo, Counts: make([]float64, hi-lo+1)}
	for k, v := range b {
		s.Counts[k-lo] = v
	}
	return s, true
}

// denseEstimateOffset finds the clock offset of target (naive wall-clock
// seconds) against ref (UTC seconds): the shift d = offset + lag that
// maximises the Pearson correlation of target[k+d] and ref[k] over the
// reference's (padded) domain. Cost is O(grid × lags × (non-zero ref
// seconds)) plus O(len(target)).
func denseEstimateOffset(target, ref denseSeries, s OffsetSearch) OffsetEstimate {
	est := OffsetEstimate{Events: int(math.Round(target.Events()))}
	if est.Events < s.MinEvents {
		est.Reason = fmt.Sprintf("too few events (%d < %d)", est.Events, s.MinEvents)
		return est
	}
	if len(ref.Counts) == 0 || ref.Events() == 0 {
		est.Reason = "empty reference"
		return est
	}
	// Prefix sums of the target for Σx and Σx² over any window.
	px := make([]float64, len(target.Counts)+1)
	pxx := make([]float64, len(target.Counts)+1)
	for i, v := range target.Counts {
		px[i+1] = px[i] + v
		pxx[i+1] = pxx[i] + v*v
	}
	tEnd := target.Start + int64(len(target.Counts))      // exclusive
	sumRange := func(p []float64, lo, hi int64) float64 { // over target seconds [lo, hi)
		lo, hi = max(lo, target.Start), min(hi, tEnd)
		if hi <= lo {
			return 0
		}
		return p[hi-target.Start] - p[lo-target.Start]
	}
	dLo := ref.Start - s.PadS
	dHi := ref.Start + int64(len(ref.Counts)) + s.PadS // exclusive
	// Prefix sums of the reference, for Σy and Σy² over the overlap.
	py := make([]float64, len(ref.Counts)+1)
	pyy := make([]float64, len(ref.Counts)+1)
	type nz struct {
		sec int64
		v   float64
	}
	var nzs []nz
	for i, v := range ref.Counts {
		py[i+1] = py[i] + v
		pyy[i+1] = pyy[i] + v*v
		if v != 0 {
			nzs = append(nzs, nz{ref.Start + int64(i), v})
		}
	}
	rEnd := ref.Start + int64(len(ref.Counts))
	refRange := func(p []float64, lo, hi int64) float64 {
		lo, hi = max(lo, ref.Start), min(hi, rEnd)
		if hi <= lo {
			return 0
		}
		return p[hi-ref.Start] - p[lo-ref.Start]
	}
	// The correlation runs over the seconds both series observe: the
	// reference's padded domain and the shifted target's span. A target
	// that only partly overlaps is judged on the overlap alone.
	score := func(d int64) float64 {
		lo, hi := max(dLo, target.Start-d), min(dHi, tEnd-d)
		if hi-lo < 2 {
			return 0
		}
		n := float64(hi - lo)
		sx := sumRange(px, lo+d, hi+d)
		if sx == 0 {
			return 0
		}
		sxx := sumRange(pxx, lo+d, hi+d)
		sy, syy := refRange(py, lo, hi), refRange(pyy, lo, hi)
		var sxy float64
		for _, p := range nzs {
			k := p.sec + d - target.Start
			if k >= 0 && k < int64(len(target.Counts)) {
				sxy += p.v * target.Counts[k]
			}
		}
		vx, vy := n*sxx-sx*sx, n*syy-sy*sy
		if vx <= 0 || vy <= 0 {
			return 0
		}
		return (n*sxy - sx*sy) / math.Sqrt(vx*vy)
	}
	var perOffset []offsetScore
	for off := s.MinOffsetS; off <= s.MaxOffsetS; off += s.StepS {
		perOffset = append(perOffset, bestLag(off, s, func(lag int64) float64 { return score(off + lag) }))
	}
	// Matched: target events within 1 s of a non-zero reference second.
	active := map[int64]bool{}
	for _, p := range nzs {
		active[p.sec-1], active[p.sec], active[p.sec+1] = true, true, true
	}
	matched := func(d int64) float64 {
		m := 0.0
		for i, v := range target.Counts {
			if v != 0 && active[target.Start+int64(i)-d] {
				m += v
			}
		}
		return m
	}
	return judge(est, perOffset, matched, s)
}
