package rules

import (
	"fmt"
	"math"
	"sort"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// locustRounding lists figures that differ from the previous run only
// within Locust's rounding.
var locustRounding = &Check[locustRoundingParams]{
	ID:    "locust-rounding",
	Doc:   "differences within Locust's rounding",
	Needs: []Need{{SrcStats}},
	Run:   runLocustRounding,
}

func init() { register(locustRounding) }

type locustRoundingParams struct {
	MinShared   float64 `yaml:"min_shared"`   // share of request names a previous run must share
	MinRequests int64   `yaml:"min_requests"` // requests a row needs in both runs
}

// Locust's response-time rounding (locust/stats.py, StatsEntry.
// _log_response_time): before a response time is counted in the
// response_times histogram it is rounded — below 100 ms to the whole
// millisecond, 100–999 ms to 10 ms, 1,000–9,999 ms to 100 ms, from 10 s on
// to 1,000 ms ("147 becomes 150, 3432 becomes 3400 and 58760 becomes
// 59000"): two significant digits above 100 ms. Medians and percentiles
// (median_from_dict, calculate_response_time_percentile) are read from that
// histogram, so they are rounded values (the median is clamped to the exact
// min/max, which is why a 1- or 2-request row shows an exact median).
// Min, max and average are exact.

// RoundingStep is the histogram step Locust uses for a response time of
// ms milliseconds.
func RoundingStep(ms float64) float64 {
	switch a := math.Abs(ms); {
	case a < 100:
		return 1
	case a < 1000:
		return 10
	case a < 10000:
		return 100
	}
	return 1000
}

// WithinRounding reports whether two response-time figures Locust printed
// (median or percentiles) may come from the same true value: they differ by
// no more than one rounding step of the larger. 120,000 vs 121,000 ms or
// 2,100 vs 2,200 ms is no evidence of a change.
func WithinRounding(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return false
	}
	return math.Abs(a-b) <= RoundingStep(math.Max(math.Abs(a), math.Abs(b)))+1e-9
}

// previousRun is the latest run before r (analysis order: start time) that
// recorded at least min_shared of r's request names.
func previousRun(a *correlate.Analysis, r *correlate.Run, minShared float64) *correlate.Run {
	if a == nil {
		return nil
	}
	idx := -1
	for i, o := range a.Runs {
		if o == r {
			idx = i
		}
	}
	mine := map[string]bool{}
	for _, s := range model.RequestRows(r) {
		mine[s.Type+" "+s.Name] = true
	}
	if len(mine) == 0 {
		return nil
	}
	for i := idx - 1; i >= 0; i-- {
		o := a.Runs[i]
		n := 0
		for _, s := range model.RequestRows(o) {
			if mine[s.Type+" "+s.Name] {
				n++
			}
		}
		if float64(n) >= minShared*float64(len(mine)) {
			return o
		}
	}
	return nil
}

func runLocustRounding(ctx *Context, p *locustRoundingParams) []Finding {
	r := ctx.Run
	prev := previousRun(ctx.Analysis, r, p.MinShared)
	if prev == nil {
		return nil
	}
	minReq := p.MinRequests
	old := map[string]*parsers.StatRow{}
	for i := range prev.Stats {
		old[prev.Stats[i].Type+" "+prev.Stats[i].Name] = &prev.Stats[i]
	}
	type diff struct {
		label    string
		col      string
		a, b     float64
		now, was *parsers.StatRow
	}
	var diffs []diff
	for i := range r.Stats {
		s := &r.Stats[i]
		o := old[s.Type+" "+s.Name]
		if o == nil || s.Requests < minReq || o.Requests < minReq {
			continue
		}
		for _, c := range []struct {
			col  string
			x, y *float64
		}{{"median", o.Median, s.Median}, {"p95", o.P95, s.P95}, {"p99", o.P99, s.P99}} {
			if c.x == nil || c.y == nil || *c.x == *c.y || !WithinRounding(*c.x, *c.y) {
				continue
			}
			// Only steps Locust's rounding can explain; tiny sub-100 ms
			// wobbles are not what anyone would call a change.
			if math.Max(*c.x, *c.y) < 100 {
				continue
			}
			diffs = append(diffs, diff{rowLabel(s), c.col, *c.x, *c.y, s, o})
		}
	}
	if len(diffs) == 0 {
		return nil
	}
	sort.SliceStable(diffs, func(i, j int) bool { return math.Max(diffs[i].a, diffs[i].b) > math.Max(diffs[j].a, diffs[j].b) })
	f := Finding{
		Confidence: 0.95,
		Summary: fmt.Sprintf("%d figure(s) differ from run %s only within Locust's rounding, e.g. %s %s %s → %s ms: not a change.",
			len(diffs), prev.Name, diffs[0].label, diffs[0].col, fmtNum(diffs[0].a), fmtNum(diffs[0].b)),
		Interpretation: "Locust rounds each response time before counting it (two significant digits from 100 ms: 10 ms steps below 1 s, 100 ms below 10 s, 1 s above), and medians and percentiles come from those rounded values. Two figures one step apart can come from nearly the same true latency.",
		Recommendation: "Compare averages (exact) or request counts instead, or report these as unchanged.",
		Metrics:        map[string]float64{"figures": float64(len(diffs))},
	}
	for _, d := range diffs {
		f.Evidence = append(f.Evidence, noted(StatEvidence(d.now), fmt.Sprintf("%s %s ms here vs %s ms in %s (step %s ms)", d.col, fmtNum(d.b), fmtNum(d.a), prev.Name, fmtNum(RoundingStep(math.Max(d.a, d.b))))))
	}
	return []Finding{f}
}
