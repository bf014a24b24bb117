package parsers

import (
	"fmt"
	"math"
	"strconv"
)

// checkFigures reads as null the Locust figures no load test can produce:
// a response time, size, rate or percentile that is negative, infinite or
// NaN (a corrupt CSV cell, "-9000", "inf"). Left in, such a value would
// "meet" every target: a p95 of -9000 ms is below 2 s. The row stays; the
// first impossible value is named in a message and a warning, with how
// many there were.
func checkFigures(r *Result) {
	n := 0
	var first string
	flag := func(line int64, col string, p **float64) {
		v := *p
		if v == nil {
			return
		}
		var why string
		switch {
		case math.IsNaN(*v) || math.IsInf(*v, 0):
			why = "is not a finite number"
		case *v < 0:
			why = "is negative"
		default:
			return
		}
		if n == 0 {
			first = fmt.Sprintf("%s:%d: %s = %s %s, an impossible figure; read as null, so it is compared with no target", r.Audit.Path, line, col, strconv.FormatFloat(*v, 'g', -1, 64), why)
		}
		n++
		*p = nil
	}
	pct := func(line int64, pc *Percentiles) {
		for i, p := range pc.Ptrs() {
			flag(line, percentileColumns[i], p)
		}
	}
	for i := range r.Stats {
		s := &r.Stats[i]
		for _, f := range []struct {
			col string
			p   **float64
		}{{"median_ms", &s.Median}, {"average_ms", &s.Average}, {"min_ms", &s.Min}, {"max_ms", &s.Max},
			{"avg_content_size", &s.AvgContentSize}, {"rps", &s.RPS}, {"failures_per_s", &s.FPS}} {
			flag(s.Line, f.col, f.p)
		}
		pct(s.Line, &s.Percentiles)
	}
	for i := range r.History {
		h := &r.History[i]
		for _, f := range []struct {
			col string
			p   **float64
		}{{"rps", &h.RPS}, {"failures_per_s", &h.FPS}, {"total_median_ms", &h.TotalMedian}, {"total_average_ms", &h.TotalAverage},
			{"total_min_ms", &h.TotalMin}, {"total_max_ms", &h.TotalMax}, {"total_avg_content_size", &h.TotalAvgContentSize}} {
			flag(h.Line, f.col, f.p)
		}
		pct(h.Line, &h.Percentiles)
	}
	if n > 0 {
		msg := first
		if n > 1 {
			msg += fmt.Sprintf(" (%d such values)", n)
		}
		r.Audit.Warn(msg)
	}
}

// percentileColumns are the Arrow names of the Percentiles fields, in
// Ptrs order.
var percentileColumns = []string{"p50", "p66", "p75", "p80", "p90", "p95", "p98", "p99", "p99_9", "p99_99", "p100"}
