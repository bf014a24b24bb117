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

// RoundingStep is model.RoundingStep (the rules' name for it).
func RoundingStep(ms float64) float64 { return model.RoundingStep(ms) }

// WithinRounding is model.WithinRounding.
func WithinRounding(a, b float64) bool { return model.WithinRounding(a, b) }

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
