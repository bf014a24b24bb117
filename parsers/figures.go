package parsers

import (
	"fmt"
	"math"
	"strconv"

	"github.com/logcorr/logcorr/model/schema"
)

// Impossible figures: a Locust response time, size, rate or percentile
// that is negative, infinite or NaN (a corrupt CSV cell, "-9000", "inf")
// no load test can produce. Left in, such a value would "meet" every
// target: a p95 of -9000 ms is below 2 s. The row stays, the value reads
// as null; the first is named in a message and a warning, with how many
// there were.

// checkFigure is checkFigures for one value: an impossible figure reads as
// null.
func (c *Context) checkFigure(n *int, first *string, line int64, col string, p **float64) {
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
	if *n == 0 {
		*first = fmt.Sprintf("%s:%d: %s = %s %s, an impossible figure; read as null, so it is compared with no target", c.File, line, col, strconv.FormatFloat(*v, 'g', -1, 64), why)
	}
	(*n)++
	*p = nil
}

func (c *Context) checkPercentiles(n *int, first *string, line int64, pc *Percentiles) {
	for i, p := range pc.Ptrs() {
		c.checkFigure(n, first, line, schema.PercentileColumns[i], p)
	}
}

func (c *Context) checkStat(s *StatRow) {
	k := &c.checks
	for _, f := range []struct {
		col string
		p   **float64
	}{{"median_ms", &s.Median}, {"average_ms", &s.Average}, {"min_ms", &s.Min}, {"max_ms", &s.Max},
		{"avg_content_size", &s.AvgContentSize}, {"rps", &s.RPS}, {"failures_per_s", &s.FPS}} {
		c.checkFigure(&k.figStat, &k.firstFigStat, s.Line, f.col, f.p)
	}
	c.checkPercentiles(&k.figStat, &k.firstFigStat, s.Line, &s.Percentiles)
}

func (c *Context) checkHistoryFigures(h *HistoryRow) {
	k := &c.checks
	for _, f := range []struct {
		col string
		p   **float64
	}{{"rps", &h.RPS}, {"failures_per_s", &h.FPS}, {"total_median_ms", &h.TotalMedian}, {"total_average_ms", &h.TotalAverage},
		{"total_min_ms", &h.TotalMin}, {"total_max_ms", &h.TotalMax}, {"total_avg_content_size", &h.TotalAvgContentSize}} {
		c.checkFigure(&k.figHist, &k.firstFig, h.Line, f.col, f.p)
	}
	c.checkPercentiles(&k.figHist, &k.firstFig, h.Line, &h.Percentiles)
}
