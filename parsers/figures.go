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
	n, first, line := &k.figStat, &k.firstFigStat, s.Line
	// One call per column, not a loop over a table of them: a table
	// holding pointers into s would move every row to the heap.
	c.checkFigure(n, first, line, "median_ms", &s.Median)
	c.checkFigure(n, first, line, "average_ms", &s.Average)
	c.checkFigure(n, first, line, "min_ms", &s.Min)
	c.checkFigure(n, first, line, "max_ms", &s.Max)
	c.checkFigure(n, first, line, "avg_content_size", &s.AvgContentSize)
	c.checkFigure(n, first, line, "rps", &s.RPS)
	c.checkFigure(n, first, line, "failures_per_s", &s.FPS)
	c.checkPercentiles(n, first, line, &s.Percentiles)
}

func (c *Context) checkHistoryFigures(h *HistoryRow) {
	k := &c.checks
	n, first, line := &k.figHist, &k.firstFig, h.Line
	c.checkFigure(n, first, line, "rps", &h.RPS)
	c.checkFigure(n, first, line, "failures_per_s", &h.FPS)
	c.checkFigure(n, first, line, "total_median_ms", &h.TotalMedian)
	c.checkFigure(n, first, line, "total_average_ms", &h.TotalAverage)
	c.checkFigure(n, first, line, "total_min_ms", &h.TotalMin)
	c.checkFigure(n, first, line, "total_max_ms", &h.TotalMax)
	c.checkFigure(n, first, line, "total_avg_content_size", &h.TotalAvgContentSize)
	c.checkPercentiles(n, first, line, &h.Percentiles)
}
