package rules

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// Facts about a run's server side that several server checks read.

// eventBlob is an event's searchable text: message, exception and
// traceback together.
func eventBlob(e *correlate.Event) string {
	var b strings.Builder
	b.WriteString(e.Message)
	if e.ExcType != "" || e.ExcMessage != "" {
		b.WriteString("\n" + e.ExcType + ": " + e.ExcMessage)
	}
	if e.Traceback != "" {
		b.WriteString("\n" + e.Traceback)
	}
	return b.String()
}

// matches runs a fixed pattern; a timeout (impossible for the built-in
// patterns on bounded lines) counts as no match.
func matches(re interface{ MatchString(string) (bool, error) }, s string) bool {
	ok, err := re.MatchString(s)
	return err == nil && ok
}

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

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

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

// hasSource reports whether any event of the run's own window came from
// the format.
func hasSource(ctx *Context, source string) bool {
	for _, e := range ownEvents(ctx) {
		if e.Source == source {
			return true
		}
	}
	return false
}

// Run.Events spans the run's window plus the correlation margin, so the
// logs of back-to-back runs overlap. The server checks claim only the
// run's own stretch of time.
const (
	ownLead = 5 * time.Second   // clock lag left after correlation
	ownTail = 130 * time.Second // requests still queued at the stop (PgBouncer's 120 s timeout + slack)
)

// ownFacts is the run's own window and the events, chains and matcher
// records inside it. Every server check and match rule reads them, so
// EvaluateRun computes them once per run instead of once per call.
type ownFacts struct {
	done     bool
	from, to time.Time
	windowed bool
	events   []*correlate.Event
	chains   []*correlate.Chain

	recordsDone bool
	records     []record
}

// facts returns the run's own facts, computing them on first use (a
// Context built by hand, as in unit tests, gets its own).
func (ctx *Context) facts() *ownFacts {
	if ctx.own == nil {
		ctx.own = &ownFacts{}
	}
	o := ctx.own
	if o.done {
		return o
	}
	o.done = true
	o.from, o.to, o.windowed = computeOwnWindow(ctx)
	run := ctx.Run
	o.events = make([]*correlate.Event, 0, len(run.Events))
	for i := range run.Events {
		e := &run.Events[i]
		if o.windowed && (!e.Resolved || !within(e.Time, o.from, o.to)) {
			continue
		}
		o.events = append(o.events, e)
	}
	o.events = o.events[:len(o.events):len(o.events)] // shared: an append must copy
	for i := range run.Chains {
		c := &run.Chains[i]
		if o.windowed && !c.Anchor.Time.IsZero() && !within(c.Anchor.Time, o.from, o.to) {
			continue
		}
		o.chains = append(o.chains, c)
	}
	o.chains = o.chains[:len(o.chains):len(o.chains)]
	return o
}

// ownWindow is [start - ownLead, end + ownTail], cut at the start of the
// next run and the end of the previous one; ok is false when the run's
// window is unknown (then every event counts).
func ownWindow(ctx *Context) (from, to time.Time, ok bool) {
	o := ctx.facts()
	return o.from, o.to, o.windowed
}

func computeOwnWindow(ctx *Context) (from, to time.Time, ok bool) {
	run := ctx.Run
	if run.Start.IsZero() || run.End.IsZero() {
		return time.Time{}, time.Time{}, false
	}
	from, to = run.Start.Add(-ownLead), run.End.Add(ownTail)
	if ctx.Analysis != nil {
		for _, o := range ctx.Analysis.Runs {
			if o == run || o.Start.IsZero() || o.End.IsZero() {
				continue
			}
			if !o.Start.Before(run.Start) && o.Start.Before(to) {
				to = o.Start
			}
			if o.Start.Before(run.Start) && o.End.After(from) && o.End.Before(run.Start) {
				from = o.End
			}
		}
	}
	return from, to, true
}

func within(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }

// ownEvents returns the run's events inside ownWindow (unresolved times
// cannot be placed and are left out when the window is known). The slice
// is shared by the run's rules: read it, do not modify it.
func ownEvents(ctx *Context) []*correlate.Event { return ctx.facts().events }

// ownChains returns the run's chains whose anchor lies in ownWindow
// (shared, like ownEvents).
func ownChains(ctx *Context) []*correlate.Chain { return ctx.facts().chains }

// countBy counts strings and returns "a (3), b (1)" ordered by count
// desc, then name, at most max entries.
func countBy(m map[string]int64, max int) string {
	type kv struct {
		k string
		v int64
	}
	var kvs []kv
	for k, v := range m {
		kvs = append(kvs, kv{k, v})
	}
	sort.Slice(kvs, func(i, j int) bool {
		if kvs[i].v != kvs[j].v {
			return kvs[i].v > kvs[j].v
		}
		return kvs[i].k < kvs[j].k
	})
	var parts []string
	for i, e := range kvs {
		if i == max {
			parts = append(parts, "+"+strconv.Itoa(len(kvs)-max)+" more")
			break
		}
		parts = append(parts, e.k+" ("+humanize.Thousands(e.v)+")")
	}
	return strings.Join(parts, ", ")
}

// maxPerFile returns the largest per-file count: the same record often
// reaches two files (django_errors.log and runserver stderr through the
// console handler), so the per-file maximum is the honest total.
func maxPerFile(perFile map[string]int64) (int64, []string) {
	var best int64
	var files []string
	for f, n := range perFile {
		if n > best {
			best = n
		}
		files = append(files, f)
	}
	sort.Strings(files)
	return best, files
}

func fmtTime(t time.Time) string { return t.UTC().Format("15:04:05Z") }

// templatePath masks numeric path segments the way Locust request names
// do (/api/project/13/pricing/ → /api/project/[id]/pricing/), so endpoint
// counts group like the CSV's rows.
func templatePath(p string) string {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i] // query strings vary per request; the template drops them
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if s == "" {
			continue
		}
		if isNumeric(s) || isUUID(s) {
			segs[i] = "[id]"
		}
	}
	return strings.Join(segs, "/")
}

func isNumeric(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isDigit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
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

// containsAny is the plain-Go filter run before a regexp2 pattern whose
// every match contains one of words.
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
