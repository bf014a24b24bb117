package parsers

import (
	"fmt"
	"time"

	"github.com/logcorr/logcorr/redact"
)

// backJumpTolerance is how far a time may step back between consecutive
// records before it is reported: threads of one process interleave their
// log writes by milliseconds, a DST change or a clock reset moves by hours.
const backJumpTolerance = 2 * time.Second

// Years outside [2000, 2100) are implausible for a load test's logs.
var (
	plausibleFrom = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	plausibleTo   = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
)

// rowChecks is the state of the per-row checks of one file.
type rowChecks struct {
	prev, prevLine int64 // last plausible event time (µs) and its line
	hasPrev        bool
	// The first plausible event (time, line) and the file's name: what a
	// chunk before this one compares its last time with (merge).
	first, firstLine int64
	hasFirst         bool
	file             string
	backs, odd       int
	firstBack        string
	firstOdd         string
	naive            bool // some event's time is a naive wall clock

	histDropped int
	firstHist   string

	figStat, figHist       int
	firstFigStat, firstFig string

	counts redact.Counts
}

// checkEvent is checkTimes for one event.
func (c *Context) checkEvent(r *evRow) {
	k := &c.checks
	k.naive = k.naive || r.Naive
	if !r.HasTime {
		return
	}
	if r.Time < plausibleFrom || r.Time >= plausibleTo {
		if k.odd == 0 {
			t := time.UnixMicro(r.Time).UTC()
			k.firstOdd = fmt.Sprintf("%s:%d: timestamp %s is implausible (year %d); kept, but no run window will contain it", c.File, r.Line, t.Format(time.RFC3339), t.Year())
		}
		k.odd++
		return
	}
	if !k.hasFirst {
		k.first, k.firstLine, k.hasFirst, k.file = r.Time, r.Line, true, c.File
	}
	if k.hasPrev && k.prev-r.Time > int64(backJumpTolerance/time.Microsecond) {
		if k.backs == 0 {
			k.firstBack = backMessage(c.File, r.Line, k.prev-r.Time, k.prevLine)
		}
		k.backs++
	}
	k.prev, k.prevLine, k.hasPrev = r.Time, r.Line, true
}

// backMessage says that the time at line stepped back by us µs from the
// time at line from.
func backMessage(file string, line, us, from int64) string {
	d := time.Duration(us) * time.Microsecond
	return fmt.Sprintf("%s:%d: time steps back %s from line %d (DST change, clock reset, or files concatenated out of order)", file, line, d.Round(time.Second), from)
}

// historyPlausible is checkHistoryTimes for one row: a CSV row whose
// Timestamp is implausible is left out and counted unparsed.
func (c *Context) historyPlausible(h *HistoryRow) bool {
	if us := h.Time.UnixMicro(); h.Source == "csv" && !h.Time.IsZero() && (us < plausibleFrom || us >= plausibleTo) {
		if c.checks.histDropped == 0 {
			c.checks.firstHist = fmt.Sprintf("%s:%d: history timestamp is implausible (year %d); the row is left out of the run and counted as unparsed", c.File, h.Line, h.Time.Year())
		}
		c.checks.histDropped++
		c.audit.Records--
		c.audit.Unparsed++
		return false
	}
	return true
}

func more(n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(" (%d such lines)", n)
}
