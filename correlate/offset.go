package correlate

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
)

// Series is a sparse per-second count series: Counts[i] events in the
// second Secs[i] (Unix seconds), Secs ascending and unique. Only seconds
// that were observed are held, so a series costs what its events cost,
// whatever the calendar span between them. A second may be held with a
// zero count (Locust wrote a history row with 0 requests/s): it still
// bounds the series' domain. For a file with naive time the seconds are
// its wall clock read as UTC; for a reference they are real UTC.
type Series struct {
	Secs   []int64
	Counts []float64
}

// Events is the total count in the series.
func (s Series) Events() float64 {
	t := 0.0
	for _, c := range s.Counts {
		t += c
	}
	return t
}

// first and end are the domain [first, end) of a non-empty series.
func (s Series) first() int64 { return s.Secs[0] }
func (s Series) end() int64   { return s.Secs[len(s.Secs)-1] + 1 }

// CountSeconds is the series of a time column in one pass: ts are Unix
// times in units of 1/perSecond s (1 for seconds, 1e6 for Arrow's
// timestamp[us]) in ascending order, as a sorted column holds them; each
// second counts the values in it. Unsorted input is sorted once its
// seconds are counted (seriesBuilder).
func CountSeconds(ts []int64, perSecond int64) Series {
	return secondsOf(ts, perSecond, false)
}

// MarkSeconds is CountSeconds with every held second counting 1: "a line
// was written in that second", whatever the number of lines.
func MarkSeconds(ts []int64, perSecond int64) Series {
	return secondsOf(ts, perSecond, true)
}

func secondsOf(ts []int64, perSecond int64, mark bool) Series {
	if perSecond <= 0 {
		perSecond = 1
	}
	b := seriesBuilder{mark: mark}
	for _, t := range ts {
		b.add(floorDiv(t, perSecond))
	}
	return b.series()
}

// seriesBuilder makes the series CountSeconds (or, with mark,
// MarkSeconds) makes of the seconds added, in any order, without keeping
// them: a second equal to the last one added only counts, and when a
// second goes back in time the series is sorted and merged once at the
// end. Its cost is the distinct runs of equal seconds, not the values.
type seriesBuilder struct {
	s        Series
	mark     bool
	n        int  // values added
	unsorted bool // some second was less than the one before it
}

func (b *seriesBuilder) add(sec int64) {
	b.n++
	if n := len(b.s.Secs); n > 0 {
		switch last := b.s.Secs[n-1]; {
		case sec == last:
			if !b.mark {
				b.s.Counts[n-1]++
			}
			return
		case sec < last:
			b.unsorted = true
		}
	}
	b.s.Secs = append(b.s.Secs, sec)
	b.s.Counts = append(b.s.Counts, 1)
}

// series is the series of every second added.
func (b *seriesBuilder) series() Series {
	if !b.unsorted {
		return b.s
	}
	type held struct {
		sec   int64
		count float64
	}
	hs := make([]held, len(b.s.Secs))
	for i := range hs {
		hs[i] = held{b.s.Secs[i], b.s.Counts[i]}
	}
	// Equal seconds are merged whatever their order: their counts are
	// whole numbers, so the sum is exact.
	slices.SortFunc(hs, func(x, y held) int { return cmp.Compare(x.sec, y.sec) })
	var s Series
	for _, h := range hs {
		if n := len(s.Secs); n > 0 && s.Secs[n-1] == h.sec {
			if !b.mark {
				s.Counts[n-1] += h.count
			}
			continue
		}
		s.Secs = append(s.Secs, h.sec)
		s.Counts = append(s.Counts, h.count)
	}
	return s
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// weightedSeconds collects (second, value) pairs in any order and sums
// the values of each second in the order they were added.
type weightedSeconds struct {
	secs []int64
	vals []float64
}

func (w *weightedSeconds) add(sec int64, v float64) {
	w.secs = append(w.secs, sec)
	w.vals = append(w.vals, v)
}

func (w *weightedSeconds) series() Series {
	idx := make([]int32, len(w.secs))
	for i := range idx {
		idx[i] = int32(i)
	}
	if !slices.IsSorted(w.secs) {
		slices.SortStableFunc(idx, func(a, b int32) int { return cmp.Compare(w.secs[a], w.secs[b]) })
	}
	var s Series
	for _, i := range idx {
		sec, v := w.secs[i], w.vals[i]
		if n := len(s.Secs); n > 0 && s.Secs[n-1] == sec {
			s.Counts[n-1] += v
			continue
		}
		s.Secs = append(s.Secs, sec)
		s.Counts = append(s.Counts, v)
	}
	return s
}

// OffsetSearch is the grid of candidate clock offsets.
type OffsetSearch struct {
	MinOffsetS, MaxOffsetS, StepS int64 // candidate offsets (local − UTC)
	MaxLagS                       int64 // residual lag searched at 1 s steps around each offset
	MinEvents                     int   // fewer matched target events → unknown
	MinScore                      float64
	MinMargin                     float64 // (best − runner-up)/best below it → ambiguous
	// PadS widens the reference's domain on both sides with zeros, so a
	// target shifted just beside the reference activity scores low.
	PadS int64
}

// DefaultSearch covers every zone in use (−12h … +14h) on the 15-minute
// grid, with ±5 s of residual lag.
var DefaultSearch = OffsetSearch{
	MinOffsetS: -12 * 3600, MaxOffsetS: 14 * 3600, StepS: 900,
	MaxLagS: 5, MinEvents: 5, MinScore: 0.2, MinMargin: 0.25, PadS: 900,
}

// OffsetEstimate is the outcome of EstimateOffset.
type OffsetEstimate struct {
	OK              bool
	OffsetS         int64   // local − UTC, on the grid
	LagS            int64   // residual: target time − reference time after the offset
	Score           float64 // normalized cross-correlation at the best shift
	RunnerUp        float64 // best score at any other grid offset
	RunnerUpOffsetS int64
	Matched         int // target events within 1 s of reference activity at the best shift
	Events          int // target events in total
	Confidence      float64
	Reason          string // why not OK, or a short summary
}

// prefix holds running sums of a series' counts and squares: sums over any
// range of seconds by two binary searches.
type prefix struct {
	secs    []int64
	sum, sq []float64 // sum[i] = Σ Counts[:i]
}

func newPrefix(s Series) prefix {
	p := prefix{secs: s.Secs, sum: make([]float64, len(s.Counts)+1), sq: make([]float64, len(s.Counts)+1)}
	for i, v := range s.Counts {
		p.sum[i+1] = p.sum[i] + v
		p.sq[i+1] = p.sq[i] + v*v
	}
	return p
}

// over returns Σv and Σv² over the seconds [lo, hi).
func (p prefix) over(lo, hi int64) (sum, sq float64) {
	if hi <= lo {
		return 0, 0
	}
	i, _ := slices.BinarySearch(p.secs, lo)
	j, _ := slices.BinarySearch(p.secs, hi)
	return p.sum[j] - p.sum[i], p.sq[j] - p.sq[i]
}

// EstimateOffset finds the clock offset of target (naive wall-clock
// seconds) against ref (UTC seconds): the shift d = offset + lag that
// maximises the Pearson correlation of target[k+d] and ref[k] over the
// seconds both observe (the reference's domain padded by PadS, and the
// shifted target's span; absent seconds count zero). Cost is
// O(offsets × (held ref seconds + held target seconds + coincidences)):
// linear in the events, independent of the span they cover.
func EstimateOffset(target, ref Series, s OffsetSearch) OffsetEstimate {
	est := OffsetEstimate{Events: int(math.Round(target.Events()))}
	if est.Events < s.MinEvents {
		est.Reason = fmt.Sprintf("too few events (%d < %d)", est.Events, s.MinEvents)
		return est
	}
	if len(ref.Secs) == 0 || ref.Events() == 0 {
		est.Reason = "empty reference"
		return est
	}
	tp, rp := newPrefix(target), newPrefix(ref)
	tFirst, tEnd := target.first(), target.end()
	dLo, dHi := ref.first()-s.PadS, ref.end()+s.PadS // exclusive
	// The reference's non-zero seconds, for Σxy.
	var nzSec []int64
	var nzVal []float64
	for i, v := range ref.Counts {
		if v != 0 {
			nzSec, nzVal = append(nzSec, ref.Secs[i]), append(nzVal, v)
		}
	}
	lags := 2*s.MaxLagS + 1
	sxy := make([]float64, lags)
	// crossAt fills sxy[lag+MaxLag] = Σ ref[k]·target[k+off+lag] for every
	// lag in one merge of the two sorted second lists. Each sum adds its
	// terms in ascending k, skipping zero terms.
	crossAt := func(off int64) {
		clear(sxy)
		j := 0
		for i, k := range nzSec {
			lo := k + off - s.MaxLagS
			for j < len(target.Secs) && target.Secs[j] < lo {
				j++
			}
			for q := j; q < len(target.Secs) && target.Secs[q] <= k+off+s.MaxLagS; q++ {
				sxy[target.Secs[q]-lo] += nzVal[i] * target.Counts[q]
			}
		}
	}
	// The correlation runs over the seconds both series observe: the
	// reference's padded domain and the shifted target's span. A target
	// that only partly overlaps is judged on the overlap alone.
	score := func(d, lag int64) float64 {
		lo, hi := max(dLo, tFirst-d), min(dHi, tEnd-d)
		if hi-lo < 2 {
			return 0
		}
		n := float64(hi - lo)
		sx, sxx := tp.over(lo+d, hi+d)
		if sx == 0 {
			return 0
		}
		sy, syy := rp.over(lo, hi)
		vx, vy := n*sxx-sx*sx, n*syy-sy*sy
		if vx <= 0 || vy <= 0 {
			return 0
		}
		return (n*sxy[lag+s.MaxLagS] - sx*sy) / math.Sqrt(vx*vy)
	}
	var perOffset []offsetScore
	for off := s.MinOffsetS; off <= s.MaxOffsetS; off += s.StepS {
		crossAt(off)
		perOffset = append(perOffset, bestLag(off, s, func(lag int64) float64 { return score(off+lag, lag) }))
	}
	return judge(est, perOffset, func(d int64) float64 { return matched(target, nzSec, d) }, s)
}

// offsetScore is the best correlation found at one grid offset, and the
// residual lag it was found at.
type offsetScore struct {
	off, lag int64
	r        float64
}

// bestLag scores the lags around off; ties go to the smaller |lag|, then
// the earlier lag.
func bestLag(off int64, s OffsetSearch, score func(lag int64) float64) offsetScore {
	best := offsetScore{off: off, r: math.Inf(-1)}
	for lag := -s.MaxLagS; lag <= s.MaxLagS; lag++ {
		r := score(lag)
		if r > best.r+1e-12 || (math.Abs(r-best.r) <= 1e-12 && abs64(lag) < abs64(best.lag)) {
			best.r, best.lag = r, lag
		}
	}
	return best
}

// judge ranks the grid offsets and turns the best into the estimate: the
// score and match thresholds, the margin over the runner-up offset, the
// confidence. matched counts the target events near reference activity
// at a shift.
func judge(est OffsetEstimate, perOffset []offsetScore, matched func(d int64) float64, s OffsetSearch) OffsetEstimate {
	sort.SliceStable(perOffset, func(i, j int) bool { return perOffset[i].r > perOffset[j].r+1e-12 })
	b := perOffset[0]
	est.OffsetS, est.LagS, est.Score = b.off, b.lag, round3(b.r)
	if len(perOffset) > 1 {
		est.RunnerUp, est.RunnerUpOffsetS = round3(perOffset[1].r), perOffset[1].off
	}
	est.Matched = int(math.Round(matched(b.off + b.lag)))
	switch {
	case b.r < s.MinScore:
		est.Reason = fmt.Sprintf("no correlation (best r=%.2f < %.2f)", b.r, s.MinScore)
		return est
	case est.Matched < s.MinEvents:
		est.Reason = fmt.Sprintf("too few events matched (%d < %d)", est.Matched, s.MinEvents)
		return est
	}
	margin := (b.r - max(est.RunnerUp, 0)) / b.r
	if margin < s.MinMargin {
		est.Reason = fmt.Sprintf("ambiguous: r=%.2f at %s vs %.2f at %s", b.r, offsetZone(b.off), est.RunnerUp, offsetZone(est.RunnerUpOffsetS))
		return est
	}
	support := math.Min(1, float64(est.Matched)/30)
	est.Confidence = round3(margin * (0.5 + 0.5*support) * math.Min(1, b.r/0.5))
	est.OK = true
	est.Reason = fmt.Sprintf("r=%.2f at %s lag %+ds (runner-up %.2f at %s), %d of %d events matched",
		b.r, offsetZone(b.off), b.lag, est.RunnerUp, offsetZone(est.RunnerUpOffsetS), est.Matched, est.Events)
	return est
}

// matched counts the target events within 1 s of a non-zero reference
// second (refSecs, ascending) once the target is shifted back by d.
func matched(target Series, refSecs []int64, d int64) float64 {
	m := 0.0
	j := 0
	for i, sec := range target.Secs {
		v := target.Counts[i]
		if v == 0 {
			continue
		}
		k := sec - d
		for j < len(refSecs) && refSecs[j] < k-1 {
			j++
		}
		if j < len(refSecs) && refSecs[j] <= k+1 {
			m += v
		}
	}
	return m
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }
