package rules

// Facts about a Locust run that several rules share: statuses in failure
// messages, the user count at a moment, the idle tail of the history, the
// --tags values of the command line. They read only what correlate
// attached to the run.

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// usersAt is the user count Locust reported at t: the last history row at
// or before t (the first row when t precedes all), 0 when unknown.
func usersAt(run *correlate.Run, t time.Time) (int64, *parsers.HistoryRow) {
	if t.IsZero() || len(run.History) == 0 {
		return 0, nil
	}
	i := sort.Search(len(run.History), func(i int) bool { return run.History[i].Time.After(t) })
	if i == 0 {
		return run.History[0].Users, &run.History[0]
	}
	return run.History[i-1].Users, &run.History[i-1]
}

// failureStatus pulls an HTTP status out of a Locust failure message
// ("login server error: 500", "HTTP 500", "500 Server Error: ..."), 0 when
// none.
func failureStatus(msg string) int64 {
	for i := 0; i+3 <= len(msg); i++ {
		if (i > 0 && isDigit(msg[i-1])) || !isDigit(msg[i]) || !isDigit(msg[i+1]) || !isDigit(msg[i+2]) {
			continue
		}
		if i+3 < len(msg) && isDigit(msg[i+3]) {
			continue
		}
		n, _ := strconv.Atoi(msg[i : i+3])
		if n >= 400 && n <= 599 {
			return int64(n)
		}
	}
	return 0
}

// csv5xx returns the run's Locust failure rows that carry a 5xx status,
// and their total occurrences.
func csv5xx(run *correlate.Run) ([]*parsers.FailureRow, int64) {
	var rows []*parsers.FailureRow
	var n int64
	for _, f := range model.FailureRows(run) {
		if s := failureStatus(f.Error); s >= 500 {
			rows = append(rows, f)
			n += f.Occurrences
		}
	}
	return rows, n
}

// hasFile reports whether one of the run's own files ends with suffix.
func hasFile(run *correlate.Run, suffix string) bool {
	for _, f := range run.Files {
		if strings.HasSuffix(f, suffix) {
			return true
		}
	}
	return false
}

// idleTail is the end of a run during which users were still running but
// no request completed: the cumulative request count (not Locust's
// Requests/s column, which keeps repeating its last window value) stays
// flat from From to To.
type idleTail struct {
	From, To *parsers.HistoryRow
	Users    int64
}

func (t idleTail) Seconds() float64 { return t.To.Time.Sub(t.From.Time).Seconds() }

// findIdleTail returns the run's idle tail, ok=false when the last history
// row still counts new requests or users are gone.
func findIdleTail(r *correlate.Run) (idleTail, bool) {
	h := r.History
	if len(h) < 2 {
		return idleTail{}, false
	}
	last := &h[len(h)-1]
	if last.Users == 0 || last.TotalRequests == 0 {
		return idleTail{}, false
	}
	i := len(h) - 1
	for i > 0 && h[i-1].TotalRequests == last.TotalRequests {
		i--
	}
	if i == len(h)-1 {
		return idleTail{}, false
	}
	return idleTail{From: &h[i], To: last, Users: last.Users}, true
}

var noTokenRE = regexp.MustCompile(`(?:^|[_\-.])no[_\-]([a-z][a-z0-9]*)`)

// nameExclusions returns the kinds a run's name says were left out
// ("..._no_export_no_admin" → export, admin). "nolimit" is not one.
func nameExclusions(name string) []string {
	var out []string
	for _, m := range noTokenRE.FindAllStringSubmatch(strings.ToLower(name), -1) {
		out = append(out, m[1])
	}
	return out
}

// tagArgs returns the values given to --tags/-T or --exclude-tags/-E in a
// Locust command line (each argument as written), plus any "tags" /
// "exclude_tags" meta values the console parser extracted.
func tagArgs(r *correlate.Run, exclude bool) (vals []string, src *parsers.MetaRow) {
	key, long, short := "tags", "--tags", "-T"
	if exclude {
		key, long, short = "exclude_tags", "--exclude-tags", "-E"
	}
	for i := range r.Meta {
		m := &r.Meta[i]
		switch m.Key {
		case key:
			if v := strings.TrimSpace(m.Value); v != "" {
				vals = append(vals, strings.Fields(strings.Trim(v, "[]"))...)
				src = m
			}
		case "command_line":
			f := strings.Fields(m.Value)
			for j := 0; j < len(f); j++ {
				a := f[j]
				if strings.HasPrefix(a, long+"=") {
					vals = append(vals, strings.TrimPrefix(a, long+"="))
					src = m
					continue
				}
				if a != long && a != short {
					continue
				}
				for j+1 < len(f) && !strings.HasPrefix(f[j+1], "-") {
					j++
					vals = append(vals, f[j])
					src = m
				}
			}
		}
	}
	for i := range vals {
		vals[i] = strings.Trim(vals[i], `"'[],`+" ")
	}
	return vals, src
}

// aggRequests and aggFailures are the run's totals: the Aggregated row,
// else the rows' sums.
func aggRequests(r *correlate.Run) int64 { n, _ := aggTotals(r); return n }

func aggFailures(r *correlate.Run) int64 { _, f := aggTotals(r); return f }

func aggTotals(r *correlate.Run) (req, fail int64) {
	if a := model.AggregatedRow(r); a != nil {
		return a.Requests, a.Failures
	}
	for _, s := range model.RequestRows(r) {
		req += s.Requests
		fail += s.Failures
	}
	return req, fail
}
