package parsers

import (
	"fmt"
	"time"
)

// backJumpTolerance is how far a time may step back between consecutive
// records before it is reported: threads of one process interleave their
// log writes by milliseconds, a DST change or a clock reset moves by hours.
const backJumpTolerance = 2 * time.Second

// checkTimes reports, once per kind, timestamps that cannot be right (before
// 2000 or after 2099) and times that step back, naming the first line of
// each. The rows are kept: the correlation stage decides what to do with
// them, and the audit says what was seen.
func checkTimes(r *Result) {
	var prev time.Time
	var prevLine int64
	backs, odd := 0, 0
	var firstBack, firstOdd string
	for i := range r.Events {
		e := &r.Events[i]
		if e.Time.IsZero() {
			continue
		}
		if y := e.Time.Year(); y < 2000 || y > 2099 {
			if odd == 0 {
				firstOdd = fmt.Sprintf("%s:%d: timestamp %s is implausible (year %d); kept, but no run window will contain it", r.Audit.Path, e.Line, e.Time.Format(time.RFC3339), y)
			}
			odd++
			continue
		}
		if !prev.IsZero() && prev.Sub(e.Time) > backJumpTolerance {
			if backs == 0 {
				firstBack = fmt.Sprintf("%s:%d: time steps back %s from line %d (DST change, clock reset, or files concatenated out of order)", r.Audit.Path, e.Line, prev.Sub(e.Time).Round(time.Second), prevLine)
			}
			backs++
		}
		prev, prevLine = e.Time, e.Line
	}
	if odd > 0 {
		r.Audit.Messages = append(r.Audit.Messages, firstOdd+more(odd))
	}
	if backs > 0 {
		r.Audit.Messages = append(r.Audit.Messages, firstBack+more(backs))
	}
}

// checkHistoryTimes leaves out of the locust_history table the CSV rows
// whose Timestamp is implausible (a corrupt epoch: year 10000): run
// windows are cut from the history, and one such row would stretch a run
// over millennia. Each is counted unparsed instead of as a record, and
// the first is named in a message.
func checkHistoryTimes(r *Result) {
	kept := r.History[:0]
	dropped := 0
	var first string
	for _, h := range r.History {
		if y := h.Time.Year(); h.Source == "csv" && !h.Time.IsZero() && (y < 2000 || y > 2099) {
			if dropped == 0 {
				first = fmt.Sprintf("%s:%d: history timestamp is implausible (year %d); the row is left out of the run and counted as unparsed", r.Audit.Path, h.Line, y)
			}
			dropped++
			r.Audit.Records--
			r.Audit.Unparsed++
			continue
		}
		kept = append(kept, h)
	}
	r.History = kept
	if dropped > 0 {
		r.Audit.Warn(first + more(dropped))
	}
}

func more(n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(" (%d such lines)", n)
}
