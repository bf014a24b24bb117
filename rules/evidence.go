package rules

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
)

// MaxEvidence is how many lines a finding cites; counts go in the summary.
const MaxEvidence = 5

// maxEvidenceText bounds a cited line's text.
const maxEvidenceText = 400

func clip(s string) string {
	s = firstLine(s)
	if len(s) > maxEvidenceText {
		cut := maxEvidenceText
		for cut > 0 && s[cut]&0xC0 == 0x80 { // keep UTF-8 whole
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// EventText is the text cited for an event: its first line as written in
// the file, or, when the parser could not keep it (a record longer than its
// recall window), the first line of its message.
func EventText(e correlate.Event) string {
	if t := strings.TrimSpace(e.Text()); t != "" {
		return clip(t)
	}
	if m := strings.TrimSpace(firstLine(e.Message())); m != "" {
		return clip(m)
	}
	var parts []string
	if e.Method() != "" || e.Path() != "" {
		parts = append(parts, strings.TrimSpace(e.Method()+" "+e.Path()))
	}
	if e.HasStatus() {
		parts = append(parts, strconv.FormatInt(e.StatusOr0(), 10))
	}
	if e.ExcType() != "" {
		parts = append(parts, e.ExcType()+": "+e.ExcMessage())
	}
	return clip(strings.Join(parts, " "))
}

// EventEvidence cites an event's first line. An unresolved naive time is
// not presented as UTC.
func EventEvidence(e correlate.Event) Evidence {
	pos := e.Ref()
	pos.End = pos.Line
	ev := Evidence{File: e.File(), Line: e.Line(), Text: EventText(e), At: &Cite{Pos: pos}}
	if e.Resolved() {
		ev.Time = timePtr(e.Time())
	}
	return ev
}

// RefEvidence cites a correlate.Ref.
func RefEvidence(r *correlate.Ref) Evidence {
	ev := Evidence{File: r.File, Line: r.Line, Time: timePtr(r.Time), Text: clip(r.Text)}
	if r.At != nil {
		ev.At = &Cite{Pos: *r.At, ref: true}
	}
	return ev
}

// rowCite is the position of a Locust row's own line: a CSV row's, a
// console record's, or an HTML report's entry (whose line the quote stage
// does not read back: the report is markup, so it keeps the rendering,
// which names where it came from; see quote.Resolve).
func rowCite(line, offset int64) *Cite {
	if line <= 0 {
		return nil
	}
	return &Cite{Pos: schema.Ref{Line: line, End: line, Offset: offset}, ByPath: true}
}

// pyFloat writes a float as Python's repr does for the magnitudes Locust
// prints (25.0, 723.1334955124695), so a cited CSV row reads like the file.
func pyFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e16 {
		return strconv.FormatFloat(f, 'f', 1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func intOrNA(p *float64) string {
	if p == nil {
		return "N/A"
	}
	return strconv.FormatFloat(math.Round(*p), 'f', -1, 64)
}

// medianText follows Locust, which rounds medians of 100 ms and more to
// two significant digits as a float (2100.0) and writes smaller ones as
// integers (73); a median clamped to the row's min or max (one request)
// is that raw float (6.331199998385273).
func medianText(p *float64) string {
	if p != nil && (*p >= 100 || *p != math.Trunc(*p)) {
		return pyFloat(*p)
	}
	return intOrNA(p)
}

func floatOrNA(p *float64) string {
	if p == nil {
		return "N/A"
	}
	return pyFloat(*p)
}

// rateText writes a stats_history rate as Locust does ("%2f": 4.000000).
func rateText(p *float64) string {
	if p == nil {
		return "N/A"
	}
	return strconv.FormatFloat(*p, 'f', 6, 64)
}

// StatText rebuilds a stats row in Locust's CSV column order. The parse
// stage keeps values, not the raw line, so this is a faithful rendering
// of the parsed values rather than a byte copy.
func StatText(r *parsers.StatRow) string {
	cols := []string{csvField(r.Type), csvField(r.Name),
		strconv.FormatInt(r.Requests, 10), strconv.FormatInt(r.Failures, 10),
		medianText(r.Median), floatOrNA(r.Average), floatOrNA(r.Min), floatOrNA(r.Max),
		floatOrNA(r.AvgContentSize), floatOrNA(r.RPS), floatOrNA(r.FPS)}
	for _, p := range r.Percentiles.Ptrs() {
		cols = append(cols, intOrNA(*p))
	}
	return strings.Join(cols, ",")
}

func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// StatEvidence cites a stats row (CSV line, or the HTML report entry).
func StatEvidence(r *parsers.StatRow) Evidence {
	t := StatText(r)
	if r.Source == "html" {
		t = "requests_statistics: " + t
	}
	// The note names the row, so a report can show it without the 22
	// columns; the line itself stays in Text.
	return Evidence{File: r.File, Line: r.Line, Text: clip(t), Note: rowLabel(r), At: rowCite(r.Line, r.Offset)}
}

// FailureEvidence cites a Locust failures row.
func FailureEvidence(f *parsers.FailureRow) Evidence {
	t := strings.Join([]string{csvField(f.Method), csvField(f.Name), csvField(f.Error), strconv.FormatInt(f.Occurrences, 10)}, ",")
	if f.Source == "html" {
		t = "failures_statistics: " + t
	}
	return Evidence{File: f.File, Line: f.Line, Text: clip(t), At: rowCite(f.Line, f.Offset)}
}

// ExceptionEvidence cites a Locust exceptions row (CSV line, or the HTML
// report entry).
func ExceptionEvidence(x *parsers.ExceptionRow) Evidence {
	t := strconv.FormatInt(x.Count, 10) + "," + csvField(firstLine(x.Message))
	if x.Source == "html" {
		t = "exceptions_statistics: " + t
	}
	return Evidence{File: x.File, Line: x.Line, Text: clip(t), At: rowCite(x.Line, x.Offset)}
}

// HistoryEvidence cites a stats_history row (its time is the row's epoch),
// or the HTML report's history point.
func HistoryEvidence(h *parsers.HistoryRow) Evidence {
	t := strconv.FormatInt(h.Time.Unix(), 10) + "," + strconv.FormatInt(h.Users, 10) + "," + csvField(h.Type) + "," + csvField(h.Name) +
		"," + rateText(h.RPS) + "," + rateText(h.FPS)
	for _, p := range h.Percentiles.Ptrs() {
		t += "," + intOrNA(*p)
	}
	t += "," + strconv.FormatInt(h.TotalRequests, 10) + "," + strconv.FormatInt(h.TotalFailures, 10)
	if h.Source == "html" {
		t = "history: " + t // the HTML report holds no such line; name where it came from
	}
	return Evidence{File: h.File, Line: h.Line, Time: timePtr(h.Time), Text: clip(t), At: rowCite(h.Line, h.Offset)}
}

// MetaEvidence cites a meta fact: its Text is the key=value read, and the
// quote is the line it was read from, read back by position (rowCite).
func MetaEvidence(m *parsers.MetaRow) Evidence {
	return Evidence{File: m.File, Line: m.Line, Text: clip(m.Key + "=" + m.Value), At: rowCite(m.Line, m.Offset)}
}

// distinctEvidence drops repeated citations (same file, line and text),
// keeping the first of each in order.
func distinctEvidence(ev []Evidence) []Evidence { return TopEvidence(ev, 0) }

// TopEvidence keeps the first n distinct citations of a list already in
// priority order (all of them when n <= 0).
func TopEvidence(ev []Evidence, n int) []Evidence {
	return citeFirst(ev, func(e Evidence) Evidence { return e }, n)
}

// citeFirst is the first n distinct citations of rows (all of them when
// n <= 0), in order, citing only the rows it keeps or skips on the way: it
// stops at the n-th, as a check may have every row of a half-million-row
// failures CSV to cite and finish keeps MaxEvidence.
func citeFirst[T any](rows []T, cite func(T) Evidence, n int) []Evidence {
	seen := map[evidenceKey]bool{}
	var out []Evidence
	for _, r := range rows {
		if n > 0 && len(out) == n {
			break
		}
		e := cite(r)
		if k := (evidenceKey{e.File, e.Line, e.Text}); !seen[k] { // the first note wins
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

// evidenceKey is what makes two citations the same.
type evidenceKey struct {
	file string
	line int64
	text string
}

// PickEvidence keeps at most n citations: the first, the last, and the
// rest spread evenly between them, in their original order; exact
// duplicates (same file and line) are dropped first.
func PickEvidence(ev []Evidence, n int) []Evidence {
	uniq := distinctEvidence(ev)
	if len(uniq) <= n {
		return uniq
	}
	if n <= 1 {
		return uniq[:n]
	}
	out := make([]Evidence, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, uniq[i*(len(uniq)-1)/(n-1)])
	}
	return out
}

// noted appends why a validity finding cites a line to the line's text.
// The line's text stays the file's own; the note is kept apart.
func noted(ev Evidence, note string) Evidence {
	switch {
	case note == "":
	case ev.Note == "":
		ev.Note = note
	default:
		ev.Note += ": " + note
	}
	return ev
}

// StatCols names the columns of a stats row that matter, as a note:
// "Request Count 483, Failure Count 4, Average Content Size 13,923.97".
func StatCols(r *parsers.StatRow, cols ...string) string {
	var parts []string
	for _, c := range cols {
		switch c {
		case "requests":
			parts = append(parts, "Request Count "+humanize.Thousands(r.Requests))
		case "failures":
			parts = append(parts, "Failure Count "+humanize.Thousands(r.Failures))
		case "size":
			if r.AvgContentSize != nil {
				parts = append(parts, "Average Content Size "+model.BytesText(*r.AvgContentSize))
			}
		case "median":
			if r.Median != nil {
				parts = append(parts, "Median "+humanize.Millis(*r.Median))
			}
		case "min":
			if r.Min != nil {
				parts = append(parts, "Min "+humanize.Millis(*r.Min))
			}
		case "max":
			if r.Max != nil {
				parts = append(parts, "Max "+humanize.Millis(*r.Max))
			}
		case "p95":
			if r.P95 != nil {
				parts = append(parts, "95% "+humanize.Millis(*r.P95))
			}
		case "p99":
			if r.P99 != nil {
				parts = append(parts, "99% "+humanize.Millis(*r.P99))
			}
		case "avg":
			if r.Average != nil {
				parts = append(parts, "Average "+humanize.Millis(*r.Average))
			}
		}
	}
	return strings.Join(parts, ", ")
}

// eventPtr is a copy of e on the heap: a loop over a run's events that
// keeps one event's address takes it this way, so that its loop variable
// does not move to the heap on every iteration.
func eventPtr(e correlate.Event) *correlate.Event { return &e }
