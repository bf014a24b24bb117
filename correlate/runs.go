package correlate

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/logcorr/logcorr/parsers"
)

// buildRuns groups the Locust tables by run name and derives each run's
// window. Runs come back sorted by start time (unknown last), then name.
func buildRuns(in *locustInput, msgs *[]string) []*Run {
	byName := map[string]*Run{}
	get := func(name string) *Run {
		r := byName[name]
		if r == nil {
			r = &Run{Name: name}
			byName[name] = r
		}
		return r
	}
	files := map[string]map[string]bool{}
	addFile := func(run, file string) {
		if files[run] == nil {
			files[run] = map[string]bool{}
		}
		if file != "" {
			files[run][file] = true
		}
	}
	// A stats CSV of one row per URL holds 200k names: each run's slices
	// are made once, at their size.
	var statsCSV, statsHTML = map[string][]parsers.StatRow{}, map[string][]parsers.StatRow{}
	nCSV, nHTML := map[string]int{}, map[string]int{}
	for _, s := range in.stats {
		if s.Source == "html" {
			nHTML[s.Run]++
		} else {
			nCSV[s.Run]++
		}
	}
	for _, s := range in.stats {
		if s.Run == "" {
			continue
		}
		get(s.Run)
		addFile(s.Run, s.File)
		into, n := statsCSV, nCSV
		if s.Source == "html" {
			into, n = statsHTML, nHTML
		}
		if into[s.Run] == nil {
			into[s.Run] = make([]parsers.StatRow, 0, n[s.Run])
		}
		into[s.Run] = append(into[s.Run], s)
	}
	for _, rf := range in.historyFiles {
		get(rf.run)
		addFile(rf.run, rf.file)
	}
	// A failures CSV can hold a row per request: each run's slice is
	// made once, at its size.
	nFail := map[string]int{}
	for _, f := range in.failures {
		nFail[f.Run]++
	}
	for _, f := range in.failures {
		if f.Run != "" {
			r := get(f.Run)
			if r.Failures == nil {
				r.Failures = make([]parsers.FailureRow, 0, nFail[f.Run])
			}
			r.Failures = append(r.Failures, f)
			addFile(f.Run, f.File)
		}
	}
	for _, x := range in.exceptions {
		if x.Run != "" {
			get(x.Run).Exceptions = append(get(x.Run).Exceptions, x)
			addFile(x.Run, x.File)
		}
	}
	for _, m := range in.meta {
		if m.Run != "" {
			get(m.Run).Meta = append(get(m.Run).Meta, m)
			addFile(m.Run, m.File)
		}
	}
	for _, t := range in.tasks {
		if t.Run != "" {
			get(t.Run).Tasks = append(get(t.Run).Tasks, t)
			addFile(t.Run, t.File)
		}
	}

	runs := make([]*Run, 0, len(byName))
	for _, r := range byName {
		runs = append(runs, r)
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].Name < runs[j].Name })
	for _, r := range runs {
		for f := range files[r.Name] {
			r.Files = append(r.Files, f)
		}
		sort.Strings(r.Files)
		switch {
		case len(statsCSV[r.Name]) > 0:
			r.Stats = statsCSV[r.Name]
			r.StatsHTML = statsHTML[r.Name]
		default:
			r.Stats = statsHTML[r.Name]
		}
		for i := range r.Stats {
			if r.Stats[i].Name == "Aggregated" && r.Stats[i].Type == "" {
				r.Aggregated = &r.Stats[i]
				break
			}
		}
		if r.Aggregated == nil {
			for i := range r.Stats {
				if r.Stats[i].Name == "Aggregated" {
					r.Aggregated = &r.Stats[i]
					break
				}
			}
		}
		r.Failures, r.FailuresHTML = preferCSV(r.Failures, func(f parsers.FailureRow) string { return f.Source })
		r.Exceptions, r.ExceptionsHTML = preferCSV(r.Exceptions, func(x parsers.ExceptionRow) string { return x.Source })
		r.History = in.history[historyKey{run: r.Name}]
		if len(r.History) == 0 {
			r.History = in.history[historyKey{run: r.Name, html: true}]
		}
		sort.SliceStable(r.History, func(i, j int) bool {
			if !r.History[i].Time.Equal(r.History[j].Time) {
				return r.History[i].Time.Before(r.History[j].Time)
			}
			return r.History[i].Line < r.History[j].Line
		})
		r.roots = in.runRoots[r.Name]
		runWindow(r, msgs)
		if c, ok := stampClock(r); ok {
			r.Clock = append(r.Clock, c)
		}
	}
	sort.SliceStable(runs, func(i, j int) bool {
		a, b := runs[i], runs[j]
		if a.Start.IsZero() != b.Start.IsZero() {
			return !a.Start.IsZero()
		}
		if !a.Start.Equal(b.Start) {
			return a.Start.Before(b.Start)
		}
		return a.Name < b.Name
	})
	return runs
}

// runWindow sets Start, End, WindowSource and UsersMax from the history
// epochs and the HTML report's start_time/end_time. The HTML end_time is the
// last request, not the stop, so the later of the two ends wins.
func runWindow(r *Run, msgs *[]string) {
	r.UsersUnknown = true
	for _, h := range r.History {
		if !h.UsersUnknown {
			r.UsersUnknown = false
		}
		if h.Users > r.UsersMax {
			r.UsersMax = h.Users
		}
	}
	var hs, he time.Time
	if n := len(r.History); n > 0 {
		hs, he = r.History[0].Time, r.History[n-1].Time
		if n == 1 {
			*msgs = append(*msgs, fmt.Sprintf("run %s: history has a single row; its window is one second", r.Name))
		}
	}
	ms, _ := time.Parse(time.RFC3339Nano, r.MetaValue("start_time"))
	me, _ := time.Parse(time.RFC3339Nano, r.MetaValue("end_time"))
	ms, me = ms.UTC(), me.UTC()
	switch {
	case !hs.IsZero() && !ms.IsZero():
		r.WindowSource = "history+html"
		r.Start, r.End = minTime(hs, ms), maxTime(he, me)
	case !hs.IsZero():
		r.WindowSource = "history"
		r.Start, r.End = hs, he
	case !ms.IsZero():
		r.WindowSource = "html"
		r.Start, r.End = ms, me
		if me.IsZero() || me.Before(ms) {
			r.End = ms
		}
	default:
		r.WindowSource = "none"
	}
}

func minTime(a, b time.Time) time.Time {
	if b.IsZero() || (!a.IsZero() && a.Before(b)) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if b.IsZero() || a.After(b) {
		return a
	}
	return b
}

// nameStamp finds the last "_YYYYMMDD_HHMMSS" in a run name: the load
// host's local wall clock when the run was named (just before it started).
func nameStamp(name string) (time.Time, bool) {
	for i := len(name) - 16; i >= 0; i-- {
		s := name[i:]
		if s[0] != '_' || s[9] != '_' {
			continue
		}
		if len(s) > 16 && s[16] >= '0' && s[16] <= '9' {
			continue
		}
		digits := s[1:9] + s[10:16]
		ok := true
		for _, c := range []byte(digits) {
			if c < '0' || c > '9' {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		t, err := time.Parse("20060102150405", digits)
		if err != nil {
			continue
		}
		return t.UTC(), true
	}
	return time.Time{}, false
}

// Stamp inference limits.
const (
	stampMaxGap  = 7*time.Minute + 29*time.Second // beyond it the 15-min rounding is unsafe
	stampGoodGap = 3 * time.Minute                // the usual name-then-start delay
)

// stampClock infers the load host's UTC offset from a run's name stamp and
// its first history epoch (or the HTML start_time).
func stampClock(r *Run) (Clock, bool) {
	local, ok := nameStamp(r.Name)
	if !ok {
		return Clock{}, false
	}
	c := Clock{File: r.Name, Method: "file-name-stamp", Zone: "unknown"}
	var first time.Time
	src := ""
	if len(r.History) > 0 {
		first, src = r.History[0].Time, "first history epoch"
	} else if t, err := time.Parse(time.RFC3339Nano, r.MetaValue("start_time")); err == nil {
		first, src = t.UTC(), "HTML start_time"
	}
	if first.IsZero() {
		c.Method = "unknown"
		c.Evidence = fmt.Sprintf("name stamp %s (local) but no UTC start to compare with", local.Format("2006-01-02 15:04:05"))
		return c, true
	}
	diff := local.Sub(first)
	off := (diff + sign(diff)*450*time.Second) / (900 * time.Second) * (900 * time.Second)
	gap := first.Add(off).Sub(local) // how long after the stamp the run started
	if off < -12*time.Hour || off > 14*time.Hour || absDur(gap) > stampMaxGap {
		c.Method = "unknown"
		c.Evidence = fmt.Sprintf("name stamp %s (local) is %s from the %s %s: no plausible offset", local.Format("2006-01-02 15:04:05"), diff, src, first.Format(time.RFC3339))
		return c, true
	}
	c.OffsetS = int64(off / time.Second)
	c.Zone = offsetZone(c.OffsetS)
	switch {
	case gap >= 0 && gap <= stampGoodGap:
		c.Confidence = 0.9
	case gap < 0 && gap > -10*time.Second:
		c.Confidence = 0.8 // clocks a few seconds apart
	default:
		c.Confidence = 0.5
	}
	c.Evidence = fmt.Sprintf("name stamp %s (load host local) vs %s %s: offset %s, run started %s after the stamp",
		local.Format("2006-01-02 15:04:05"), src, first.Format(time.RFC3339), c.Zone, gap)
	return c, true
}

func sign(d time.Duration) time.Duration {
	if d < 0 {
		return -1
	}
	return 1
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// offsetZone names a fixed offset "UTC+07:00".
func offsetZone(off int64) string {
	s := '+'
	if off < 0 {
		s, off = '-', -off
	}
	return fmt.Sprintf("UTC%c%02d:%02d", s, off/3600, off%3600/60)
}

// preferCSV splits rows into those of the CSV set and those of the HTML
// report. When the CSV set has rows, they are the run's and the HTML rows
// are kept apart for consistency checks, so no count is taken twice; when
// only the HTML report has rows, they are the run's.
func preferCSV[T any](rows []T, source func(T) string) (main, html []T) {
	if !slices.ContainsFunc(rows, func(r T) bool { return source(r) == "html" }) {
		return rows, nil // the usual run, and its CSV may be long: no copy
	}
	var csv []T
	for _, r := range rows {
		if source(r) == "html" {
			html = append(html, r)
		} else {
			csv = append(csv, r)
		}
	}
	if len(csv) == 0 {
		return html, nil
	}
	return csv, html
}

// noRunReasons says, for an input that yielded no Locust run, why: which
// files look like a run's but were read as something else or without a run
// name, or that no file looks like one. A report over such an input must
// not read as a clean bill of health.
func noRunReasons(audits []parsers.Audit) []string {
	var out []string
	locustish := 0
	for _, a := range audits {
		base := strings.ToLower(path.Base(a.Path))
		kind := ""
		for _, k := range [...][2]string{
			{"_stats_history.csv", "stats history"}, {"_stats.csv", "stats"}, {"_requests.csv", "0.x requests"},
			{"_distribution.csv", "0.x distribution"}, {"_failures.csv", "failures"}, {"_exceptions.csv", "exceptions"},
			{".html", "HTML report"}, {".htm", "HTML report"},
		} {
			if strings.HasSuffix(base, k[0]) {
				kind = k[1]
				break
			}
		}
		rows := int64(0)
		for t, n := range a.Tables {
			if strings.HasPrefix(t, "locust_") {
				rows += n
			}
		}
		switch {
		case rows > 0 && a.Run == "":
			locustish++
			out = append(out, fmt.Sprintf("%s: %d Locust row(s) but no run name: runs are named by the --csv PREFIX (PREFIX_stats.csv, PREFIX_requests.csv) or the report's file name", a.Path, rows))
		case kind != "" && rows == 0:
			locustish++
			out = append(out, fmt.Sprintf("%s: named like a Locust %s file but read as %s (%d record(s), %d unparsed line(s)) with no Locust rows", a.Path, kind, a.Format, a.Records, a.Unparsed))
		case rows > 0:
			locustish++
		}
	}
	if locustish == 0 {
		out = append(out, fmt.Sprintf("no Locust run: none of the %d file(s) is a Locust --csv file (PREFIX_stats.csv, or 0.x PREFIX_requests.csv) or --html report", len(audits)))
	}
	return out
}

// attachRunFiles adds to each run the files that belong to it by name but
// gave it no row of its own: a Locust 0.x PREFIX_distribution.csv, whose
// percentiles were merged into PREFIX_requests.csv's rows.
func attachRunFiles(runs []*Run, audits []parsers.Audit) {
	byName := make(map[string]*Run, len(runs))
	for _, r := range runs {
		byName[r.Name] = r
	}
	for _, a := range audits {
		r := byName[a.Run]
		if r == nil || a.Run == "" {
			continue
		}
		i := sort.SearchStrings(r.Files, a.Path)
		if i < len(r.Files) && r.Files[i] == a.Path {
			continue
		}
		r.Files = append(r.Files, "")
		copy(r.Files[i+1:], r.Files[i:])
		r.Files[i] = a.Path
	}
}
