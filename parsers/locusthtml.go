package parsers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"sort"
	"strconv"
	"strings"
	"time"
)

func init() { Register(locustHTML{}) }

// locustHTML reads the report Locust writes with --html. Two generations
// exist and both are read:
//
//   - Locust 2.2x/2.3x (React report): every figure is in one JSON object,
//     `window.templateArgs = {...}`, on one line of a <script>.
//   - Locust 2.1x (Jinja report, e.g. 2.12): the figures are rendered as
//     HTML tables, the task ratios as an HTML-escaped JSON attribute
//     data-tasks="...", and the charts' history as a JavaScript object
//     `var stats_history = {...}` whose times are UTC "HH:MM:SS".
type locustHTML struct{}

func (locustHTML) Name() string { return "locust_html" }

func (locustHTML) Doc() Doc {
	return Doc{
		Summary: "Locust --html report: the embedded window.templateArgs JSON (2.2x+) or the rendered tables (2.1x)",
		Sample:  `      window.templateArgs = {"duration": "5 minutes", "end_time": "2026-01-11T03:47:27Z", "exceptions_statistics": [], "failures_statistics": [{"error": "HTTPError(\u0027500 Server Error: Internal Server Error for url: [AUTH] Login POST\u0027)", "method": "POST", "name": "[AUTH] Login POST", "occurrences": 45}], ...`,
		Extracts: []string{
			"locust_meta: start_time, end_time (RFC 3339 UTC), host, locustfile, duration and every other scalar field",
			"locust_history: time, user count, rps, failures/s, p50/p95 (whatever percentiles the report charts), total average",
			"locust_stats: method, name, requests, failures, median/average/min/max ms, avg content size, rps, failures/s, percentiles",
			"locust_failures, locust_exceptions: as in the CSV files",
			"locust_tasks: user class, class ratio, task (nested TaskSets as Parent/child), ratio in class, ratio of total",
		},
		Variants: []Variant{
			{"React report: window.templateArgs with [time, value] history points", "Locust 2.2x-2.3x", `window.templateArgs = {"duration": "5 minutes", "end_time": "2026-01-11T03:47:27Z", ...`, "the user's runs (corpus/ahsp)"},
			{"early React report: history points with bare numbers and a UTC time of day; zoneless start_time/end_time (UTC)", "Locust 2.x, first web-UI reports",
				`window.templateArgs = {"end_time": "2026-05-19 03:27:53", "exceptions_statistics": [], "failures_statistics": [], "history": [{"current_fail_per_sec": 0, "current_rps": 0, ...`, "DanielDiazCruz/MLOps-Engineering locust_report.html"},
			{"Jinja report: tables, data-tasks, stats_history in UTC", "Locust 2.8-2.1x", `<p>During: <span class="l10n datetime">2026-11-29 11:57:01</span> - <span class="l10n datetime">2026-11-29 11:58:31</span></p>`, "corpus/stack (Debian's Locust 2.12)"},
			{"Jinja report whose \"During\" is the load host's local clock while its history is UTC (the offset is inferred); no median column (the 50%ile is used)", "Locust 2.x, 2021",
				`<p>During: <span class="l10n datetime">2021-10-07 12:01:32</span> - <span class="l10n datetime">2021-10-07 12:04:06</span></p>`, "ajurquet/Openclassroom_projet_11 locust_report.html"},
		},
		Notes: "Read: the React report of Locust 2.2x-2.3x (window.templateArgs; tested on 2.32) and the Jinja report of 2.1x (tables, data-tasks, stats_history; tested on 2.12). " +
			"The 2.1x tables print rounded figures (average ms as an integer, RPS to 0.1) and no median column; their 'During' times and history times are UTC, as the report's own script reads them. " +
			"Also read: early React reports (bare-number history points, a UTC time of day, zoneless start/end) and 2021 Jinja reports whose 'During' is local time (the offset to the history's UTC clock is inferred and reported); where a report prints no median, median_ms is its 50%ile. " +
			"Percentiles the schema has no column for (60%, 70%) are not kept. A cut or invalid embedded JSON is reported with its line and byte offset and read up to the fault.",
	}
}

func (locustHTML) NameHint(base string) bool {
	b := strings.ToLower(base)
	return strings.HasSuffix(b, ".html") || strings.HasSuffix(b, ".htm")
}

// htmlNaiveTime is the zoneless start_time/end_time of early React reports
// and the Jinja report's "During" line.
const htmlNaiveTime = "2006-01-02 15:04:05"

var (
	htmlTemplateArgs = []byte("window.templateArgs")
	htmlJinjaTitle   = []byte("Locust Test Report")
	htmlStatsHistory = []byte("var stats_history")
	htmlDataTasks    = []byte(`data-tasks="`)
	htmlLocustTitle  = []byte("<title>Locust</title>")
)

// Sniff: the embedded JSON or the Jinja report's markers are only Locust's;
// any other HTML scores low.
func (locustHTML) Sniff(sample []Line) float64 {
	markup, locust := false, 0.0
	for _, l := range sample {
		t := l.Text
		switch {
		case htmlTemplateStart(t) >= 0:
			return 1
		case bytes.Contains(t, htmlJinjaTitle), bytes.Contains(t, htmlStatsHistory), bytes.Contains(t, htmlDataTasks):
			locust = max(locust, 0.95)
		case bytes.Contains(t, htmlLocustTitle):
			locust = max(locust, 0.8)
		case bytes.Contains(t, htmlTemplateArgs):
			locust = max(locust, 0.7)
		}
		if !markup && (bytes.Contains(t, []byte("<html")) || bytes.Contains(t, []byte("<!DOCTYPE")) || bytes.Contains(t, []byte("<!doctype")) || bytes.Contains(t, []byte("<head"))) {
			markup = true
		}
	}
	if locust > 0 {
		return locust
	}
	if markup {
		return 0.1
	}
	return 0
}

// htmlTemplateStart returns the index of the '{' that opens
// `window.templateArgs = {`, or -1. The minified bundle also reads
// window.templateArgs, but never assigns an object literal to it.
func htmlTemplateStart(t []byte) int {
	off := 0
	for {
		i := bytes.Index(t[off:], htmlTemplateArgs)
		if i < 0 {
			return -1
		}
		j := off + i + len(htmlTemplateArgs)
		for j < len(t) && (t[j] == ' ' || t[j] == '\t') {
			j++
		}
		if j < len(t) && t[j] == '=' {
			j++
			for j < len(t) && (t[j] == ' ' || t[j] == '\t') {
				j++
			}
			if j < len(t) && t[j] == '{' {
				return j
			}
		}
		off = j
	}
}

// htmlParser is the state of one report's parse.
type htmlParser struct {
	c *Context

	// The embedded JSON being gathered.
	jsonOn    bool
	jsonFirst int64
	jsonBuf   []byte
	jsonScan  jsonScanner
	jsonLines []int64 // physical line of each '\n' joined into jsonBuf

	// The Jinja report's tables.
	section  string // "requests", "responses", "failures", "exceptions"
	headers  []string
	inRow    bool
	rowFirst int64
	cells    []string
	inCell   bool
	cell     []byte

	statOrder []string
	stats     map[string]*StatRow
	pcts      map[string]Percentiles

	// The Jinja report's `var stats_history = {...}` block.
	histOn    bool
	histFirst int64
	histLast  int64
	hist      map[string]json.RawMessage
	start     time.Time // the report's start, for the history's HH:MM:SS
	// during holds the indexes of the start_time/end_time meta rows the
	// Jinja report's "During" line gave, in case its clock proves local.
	during []int

	warns int
}

func (p *htmlParser) warnf(line int64, format string, args ...any) {
	p.warns++
	if p.warns <= csvMaxWarnings {
		p.c.Warnf(line, format, args...)
	}
}

// maxHTMLLine is the longest line the HTML parser reads whole. Locust's
// React report writes its whole templateArgs JSON on one line, ~90 KB for
// five minutes of history, so an hours-long run passes the 1 MiB cap that
// suits log lines.
const maxHTMLLine = 256 << 20

func (locustHTML) Parse(c *Context) error {
	c.In.MaxLine = maxHTMLLine
	p := &htmlParser{c: c, stats: map[string]*StatRow{}, pcts: map[string]Percentiles{}}
	for {
		l, ok := c.Next()
		if !ok {
			break
		}
		p.line(l)
	}
	p.finish()
	return nil
}

func (p *htmlParser) line(l Line) {
	t := l.Text
	switch {
	case p.jsonOn:
		// Locust escapes '<' inside the JSON, so a closing script tag means
		// the JSON ended without closing its braces.
		if bytes.Contains(t, []byte("</script>")) {
			p.endJSON(false)
			break
		}
		p.jsonBuf = append(p.jsonBuf, '\n')
		p.jsonLines = append(p.jsonLines, l.N-1)
		p.feedJSON(t, l.N)
		return
	case p.histOn:
		p.histLine(l)
		return
	case p.inRow:
		p.rowLine(l)
		return
	}
	if i := htmlTemplateStart(t); i >= 0 {
		p.jsonOn, p.jsonFirst = true, l.N
		p.jsonBuf, p.jsonLines = p.jsonBuf[:0], p.jsonLines[:0]
		p.jsonScan = jsonScanner{}
		p.feedJSON(t[i:], l.N)
		return
	}
	if bytes.Contains(t, htmlStatsHistory) && bytes.IndexByte(t, '{') >= 0 {
		p.histOn, p.histFirst, p.histLast = true, l.N, l.N
		p.hist = map[string]json.RawMessage{}
		if bytes.Contains(t, []byte("};")) {
			p.endHist()
		}
		return
	}
	if p.metaLine(l) {
		return
	}
	if i := bytes.Index(t, htmlDataTasks); i >= 0 {
		p.dataTasks(t[i+len(htmlDataTasks):], l.N)
		return
	}
	p.markup(l)
}

// feedJSON appends a piece of the JSON and closes it when its braces
// balance.
func (p *htmlParser) feedJSON(t []byte, n int64) {
	end := p.jsonScan.scan(t)
	if end >= 0 {
		p.jsonBuf = append(p.jsonBuf, t[:end]...)
		p.endJSONAt(n, true)
		return
	}
	p.jsonBuf = append(p.jsonBuf, t...)
}

func (p *htmlParser) endJSON(complete bool) {
	last := p.jsonFirst + int64(len(p.jsonLines))
	p.endJSONAt(last, complete)
}

func (p *htmlParser) endJSONAt(last int64, complete bool) {
	p.jsonOn = false
	p.c.Record(p.jsonFirst, last)
	if !complete {
		p.warnf(p.jsonFirst, "window.templateArgs JSON is cut: its braces do not close (%d bytes read); reading what is there", len(p.jsonBuf))
	}
	p.templateArgs(p.jsonBuf)
}

// jsonScanner finds where a JSON value that starts with '{' ends, across
// pieces, minding strings and escapes.
type jsonScanner struct {
	depth  int
	inStr  bool
	escape bool
}

// scan returns the index just past the closing brace in t, or -1 when the
// value goes on.
func (s *jsonScanner) scan(t []byte) int {
	for i := 0; i < len(t); i++ {
		b := t[i]
		if s.inStr {
			switch {
			case s.escape:
				s.escape = false
			case b == '\\':
				s.escape = true
			case b == '"':
				s.inStr = false
			}
			continue
		}
		switch b {
		case '"':
			s.inStr = true
		case '{', '[':
			s.depth++
		case '}', ']':
			s.depth--
			if s.depth <= 0 {
				return i + 1
			}
		}
	}
	return -1
}

// lineOf returns the physical line holding byte off of jsonBuf.
func (p *htmlParser) lineOf(off int64) int64 {
	n := p.jsonFirst
	for i, b := range p.jsonBuf {
		if int64(i) >= off {
			break
		}
		if b == '\n' {
			n++
		}
	}
	return n
}

// templateArgs reads the embedded object key by key and the arrays element
// by element, so that a fault loses only the element it is in and what
// follows.
func (p *htmlParser) templateArgs(buf []byte) {
	dec := json.NewDecoder(bytes.NewReader(buf))
	dec.UseNumber()
	fault := func(err error) {
		off := dec.InputOffset()
		p.warnf(p.lineOf(off), "window.templateArgs JSON unreadable at byte %d of the object: %v; kept what was read before it", off, err)
	}
	if _, err := dec.Token(); err != nil {
		fault(err)
		return
	}
	args := map[string][]json.RawMessage{}
	var scalars []htmlKV
	var tasks json.RawMessage
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			fault(err)
			break
		}
		key, _ := tok.(string)
		off := dec.InputOffset()
		rest := bytes.TrimLeft(buf[off:], " \t\r\n:")
		if len(rest) > 0 && rest[0] == '[' {
			if _, err := dec.Token(); err != nil {
				fault(err)
				break
			}
			list := []json.RawMessage{}
			ok := true
			for dec.More() {
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					fault(fmt.Errorf("in %q element %d: %w", key, len(list), err))
					ok = false
					break
				}
				list = append(list, raw)
			}
			args[key] = list
			if !ok {
				break
			}
			if _, err := dec.Token(); err != nil {
				fault(err)
				break
			}
			continue
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			fault(fmt.Errorf("in %q: %w", key, err))
			break
		}
		if key == "tasks" {
			tasks = raw
			continue
		}
		scalars = append(scalars, htmlKV{key, raw})
	}
	line := p.jsonFirst
	naiveStart := false
	for _, kv := range scalars {
		if v, ok := htmlMetaValue(kv.key, kv.raw); ok {
			if kv.key == "start_time" || kv.key == "end_time" {
				if _, err := time.Parse(htmlNaiveTime, htmlStr(kv.raw)); err == nil {
					// Early React reports: "2026-05-19 02:13:23", no zone.
					p.during = append(p.during, len(p.c.res.Meta))
					naiveStart = naiveStart || kv.key == "start_time"
				}
			}
			p.c.Meta(MetaRow{Run: p.c.Run, Line: line, Key: kv.key, Value: v})
		}
	}
	// Arrays of scalars (percentiles_to_chart) are facts about the run too.
	arrKeys := make([]string, 0, len(args))
	for k := range args {
		arrKeys = append(arrKeys, k)
	}
	sort.Strings(arrKeys)
	for _, k := range arrKeys {
		switch k {
		case "history", "requests_statistics", "response_time_statistics", "failures_statistics", "exceptions_statistics":
			continue
		}
		if v, ok := htmlScalarList(args[k]); ok {
			p.c.Meta(MetaRow{Run: p.c.Run, Line: line, Key: k, Value: v})
		}
	}
	for _, kv := range scalars {
		if kv.key == "start_time" {
			if t, ok := htmlTime(kv.raw); ok {
				p.start = t
			} else if t, err := time.Parse(htmlNaiveTime, htmlStr(kv.raw)); err == nil {
				p.start = t
			}
		}
	}
	if h := args["history"]; naiveStart && len(h) > 0 {
		var first struct {
			Time string `json:"time"`
		}
		if json.Unmarshal(h[0], &first) == nil {
			if tod, err := time.Parse("15:04:05", first.Time); err == nil {
				p.duringClock(tod)
			}
		}
	}
	clock := &htmlDayClock{start: p.start}
	for _, raw := range args["history"] {
		p.jsonHistory(raw, line, clock)
	}
	pcts := map[string]Percentiles{}
	for _, raw := range args["response_time_statistics"] {
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			continue
		}
		var pc Percentiles
		for k, v := range m {
			if f, err := strconv.ParseFloat(k, 64); err == nil {
				htmlSetPct(&pc, f*100, htmlNum(v))
			}
		}
		pcts[htmlStatKey(htmlStr(m["method"]), htmlStr(m["name"]))] = pc
	}
	for _, raw := range args["requests_statistics"] {
		p.jsonStat(raw, line, pcts)
	}
	for _, raw := range args["failures_statistics"] {
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			continue
		}
		p.c.Failure(FailureRow{Run: p.c.Run, Source: "html", Line: line,
			Method: htmlStr(m["method"]), Name: htmlStr(m["name"]), Error: htmlStr(m["error"]),
			Occurrences: htmlInt(m["occurrences"])})
	}
	for _, raw := range args["exceptions_statistics"] {
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			continue
		}
		msg := htmlStr(m["msg"])
		if msg == "" {
			msg = htmlStr(m["message"])
		}
		p.c.Exception(ExceptionRow{Run: p.c.Run, Source: "html", Line: line,
			Count: htmlInt(m["count"]), Message: msg, Traceback: htmlStr(m["traceback"]), Nodes: htmlNodes(m["nodes"])})
	}
	if tasks != nil {
		p.tasks(tasks, line)
	}
}

type htmlKV struct {
	key string
	raw json.RawMessage
}

// htmlMetaValue renders a scalar as text; times in RFC 3339 become UTC.
// Objects and nulls are not facts of their own.
func htmlMetaValue(key string, raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] == '{' || raw[0] == '[' || bytes.Equal(raw, []byte("null")) {
		return "", false
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		if strings.HasSuffix(key, "_time") {
			if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
				return t.UTC().Format(time.RFC3339Nano), true
			}
			if t, err := time.Parse(htmlNaiveTime, s); err == nil {
				// Early React reports wrote UTC without a zone (checked
				// against the history's UTC clock by duringClock).
				return t.Format(time.RFC3339), true
			}
		}
		return s, true
	}
	return string(raw), true
}

func htmlScalarList(list []json.RawMessage) (string, bool) {
	parts := make([]string, 0, len(list))
	for _, r := range list {
		r = bytes.TrimSpace(r)
		if len(r) == 0 || r[0] == '{' || r[0] == '[' {
			return "", false
		}
		parts = append(parts, string(r))
	}
	return "[" + strings.Join(parts, ",") + "]", true
}

func htmlStr(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return ""
}

func htmlNodes(raw json.RawMessage) string {
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.Join(list, ", ")
	}
	return htmlStr(raw)
}

// htmlNum reads a number (or a [time, number] chart point) as written;
// null and anything else is nil.
func htmlNum(raw json.RawMessage) *float64 {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	if raw[0] == '[' {
		var pair []json.RawMessage
		if json.Unmarshal(raw, &pair) != nil || len(pair) == 0 {
			return nil
		}
		return htmlNum(pair[len(pair)-1])
	}
	if raw[0] == '{' {
		var pt struct {
			Value json.RawMessage `json:"value"`
		}
		if json.Unmarshal(raw, &pt) != nil || pt.Value == nil {
			return nil
		}
		return htmlNum(pt.Value)
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return nil
	}
	return &f
}

func htmlInt(raw json.RawMessage) int64 {
	f := htmlNum(raw)
	if f == nil || *f > 1<<62 || *f < -(1<<62) {
		return 0
	}
	return int64(*f)
}

func htmlStatKey(method, name string) string { return method + "\x00" + name }

// htmlPctKey reads the percentile a "response_time_percentile_X" key
// names, in percent: the React report's JSON writes a fraction (0.95), the
// 2.1x report's stats_history a percentage (95).
func htmlPctKey(k string) (float64, bool) {
	const pre = "response_time_percentile_"
	if !strings.HasPrefix(k, pre) {
		return 0, false
	}
	f, err := strconv.ParseFloat(k[len(pre):], 64)
	if err != nil {
		return 0, false
	}
	if !strings.Contains(k[len(pre):], ".") && f < 10 {
		// Early React reports also keyed the charted percentiles by
		// their index ("response_time_percentile_1", "_2"), beside the
		// real keys: not the 100th and 200th percentiles.
		return 0, false
	}
	if f <= 1 {
		f *= 100
	}
	return f, true
}

// htmlPctSlots maps a percentile, in percent, to its column.
var htmlPctSlots = []float64{50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100}

func htmlSetPct(pc *Percentiles, pct float64, v *float64) {
	if v == nil {
		return
	}
	ptrs := pc.Ptrs()
	for i, s := range htmlPctSlots {
		if pct > s-1e-9 && pct < s+1e-9 {
			*ptrs[i] = v
			return
		}
	}
}

// htmlTime reads a time as the JSON gives it: RFC 3339 with a zone, or
// Unix seconds. Anything else has no zone and is not guessed.
func htmlTime(raw json.RawMessage) (time.Time, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return time.Time{}, false
	}
	if raw[0] == '[' {
		var pair []json.RawMessage
		if json.Unmarshal(raw, &pair) != nil || len(pair) == 0 {
			return time.Time{}, false
		}
		return htmlTime(pair[0])
	}
	if raw[0] == '"' {
		s := htmlStr(raw)
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return time.Time{}, false
		}
		return t.UTC(), true
	}
	t, ok := csvUnixTime(string(raw))
	if !ok || t.Year() < 2000 {
		// A small number is a value (a rate, a count), not an epoch.
		return time.Time{}, false
	}
	return t, true
}

func (p *htmlParser) jsonHistory(raw json.RawMessage, line int64, clock *htmlDayClock) {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		p.warnf(line, "history point is not an object: %.60s", raw)
		return
	}
	r := HistoryRow{Run: p.c.Run, Source: "html", Line: line, Name: "Aggregated"}
	t, ok := htmlTime(m["time"])
	if rps := bytes.TrimSpace(m["current_rps"]); !ok && len(rps) > 0 && rps[0] == '[' {
		// Older points carry the time only inside each [time, value]
		// pair. A bare number is the rate, never a time.
		t, ok = htmlTime(rps)
	}
	if tod, err := time.Parse("15:04:05", htmlStr(m["time"])); !ok && err == nil && !p.start.IsZero() {
		// Early React reports wrote the UTC time of day only.
		t, ok = clock.at(tod), true
	}
	if ok {
		r.Time = t
	} else if m["time"] != nil {
		p.warnf(line, "history time %.40s has no zone or epoch; left null", m["time"])
	}
	if f := htmlNum(m["user_count"]); f != nil {
		r.Users = int64(*f)
	} else {
		r.UsersUnknown = true
	}
	r.RPS = htmlNum(m["current_rps"])
	r.FPS = htmlNum(m["current_fail_per_sec"])
	r.TotalAverage = htmlNum(m["total_avg_response_time"])
	for k, v := range m {
		if pct, ok := htmlPctKey(k); ok {
			htmlSetPct(&r.Percentiles, pct, htmlNum(v))
		}
	}
	p.c.History(r)
}

func (p *htmlParser) jsonStat(raw json.RawMessage, line int64, pcts map[string]Percentiles) {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		p.warnf(line, "requests_statistics entry is not an object: %.60s", raw)
		return
	}
	r := StatRow{Run: p.c.Run, Source: "html", Line: line, Type: htmlStr(m["method"]), Name: htmlStr(m["name"])}
	r.Requests = htmlInt(m["num_requests"])
	r.Failures = htmlInt(m["num_failures"])
	r.Median = htmlNum(m["median_response_time"])
	r.Average = htmlNum(m["avg_response_time"])
	r.Min = htmlNum(m["min_response_time"])
	r.Max = htmlNum(m["max_response_time"])
	r.AvgContentSize = htmlNum(m["avg_content_length"])
	// total_* are over the whole run, as the CSV's Requests/s; current_*
	// are the last window only.
	r.RPS = htmlNum(m["total_rps"])
	r.FPS = htmlNum(m["total_fail_per_sec"])
	for k, v := range m {
		if pct, ok := htmlPctKey(k); ok {
			htmlSetPct(&r.Percentiles, pct, htmlNum(v))
		}
	}
	if pc, ok := pcts[htmlStatKey(r.Type, r.Name)]; ok {
		dst, src := r.Percentiles.Ptrs(), pc.Ptrs()
		for i := range dst {
			if *src[i] != nil {
				*dst[i] = *src[i]
			}
		}
	}
	htmlMedianFromP50(&r)
	p.c.Stat(r)
}

// tasks reads {"per_class": {Class: {"ratio": r, "tasks": {...}}}, "total":
// {...}}. Nested TaskSets become "Parent/child"; Locust already multiplies
// their ratios by the parent's.
func (p *htmlParser) tasks(raw json.RawMessage, line int64) {
	type node struct {
		Ratio float64                    `json:"ratio"`
		Tasks map[string]json.RawMessage `json:"tasks"`
	}
	var top struct {
		PerClass map[string]json.RawMessage `json:"per_class"`
		Total    map[string]json.RawMessage `json:"total"`
	}
	if err := json.Unmarshal(raw, &top); err != nil {
		p.warnf(line, "tasks: %v", err)
		return
	}
	type flat struct {
		name  string
		ratio float64
	}
	var walk func(prefix string, tasks map[string]json.RawMessage, out *[]flat)
	walk = func(prefix string, tasks map[string]json.RawMessage, out *[]flat) {
		names := make([]string, 0, len(tasks))
		for k := range tasks {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			var n node
			if json.Unmarshal(tasks[k], &n) != nil {
				continue
			}
			*out = append(*out, flat{prefix + k, n.Ratio})
			if len(n.Tasks) > 0 {
				walk(prefix+k+"/", n.Tasks, out)
			}
		}
	}
	classes := make([]string, 0, len(top.PerClass))
	for k := range top.PerClass {
		classes = append(classes, k)
	}
	for k := range top.Total {
		if _, ok := top.PerClass[k]; !ok {
			classes = append(classes, k)
		}
	}
	sort.Strings(classes)
	for _, cls := range classes {
		var pc, tot node
		_ = json.Unmarshal(top.PerClass[cls], &pc)
		_ = json.Unmarshal(top.Total[cls], &tot)
		var in, all []flat
		walk("", pc.Tasks, &in)
		walk("", tot.Tasks, &all)
		totals := make(map[string]float64, len(all))
		for _, f := range all {
			totals[f.name] = f.ratio
		}
		ratio := pc.Ratio
		if top.PerClass[cls] == nil {
			ratio = tot.Ratio
		}
		if len(in) == 0 {
			in = all
		}
		if len(in) == 0 {
			p.c.Task(TaskRow{Run: p.c.Run, UserClass: cls, ClassRatio: ratio})
			continue
		}
		for _, f := range in {
			p.c.Task(TaskRow{Run: p.c.Run, UserClass: cls, ClassRatio: ratio, Task: f.name, Ratio: f.ratio, TotalRatio: totals[f.name]})
		}
	}
}

// dataTasks reads the Jinja report's data-tasks="..." attribute.
func (p *htmlParser) dataTasks(t []byte, n int64) {
	p.c.Record(n, n)
	end := bytes.IndexByte(t, '"')
	if end < 0 {
		p.warnf(n, "data-tasks attribute not closed on its line; task ratios not read")
		return
	}
	js := html.UnescapeString(string(t[:end]))
	p.tasks(json.RawMessage(js), n)
}

// metaLine reads the Jinja report's info lines: During, Target Host, Script.
func (p *htmlParser) metaLine(l Line) bool {
	t := l.Text
	if during := htmlLabelSpans(t, "During:"); during != nil {
		spans := htmlSpans(during)
		if len(spans) == 0 {
			return false
		}
		p.c.Record(l.N, l.N)
		for i, key := range []string{"start_time", "end_time"} {
			if i >= len(spans) {
				break
			}
			// Locust 2.1x prints UTC ("%Y-%m-%d %H:%M:%S" of utcfromtimestamp);
			// the report's script reads it with a "Z" appended.
			v := spans[i]
			if tm, err := time.Parse("2006-01-02 15:04:05", v); err == nil {
				v = tm.UTC().Format(time.RFC3339)
				if i == 0 {
					p.start = tm.UTC()
				}
			}
			p.during = append(p.during, len(p.c.res.Meta))
			p.c.Meta(MetaRow{Run: p.c.Run, Line: l.N, Key: key, Value: v})
		}
		return true
	}
	return p.metaSpan(l, "Target Host:", "host") || p.metaSpan(l, "Script:", "locustfile")
}

// htmlLabelSpans returns the rest of the line from the <span> that directly
// follows label ("During: <span ..."), or nil. The React bundle names the
// same labels, but never followed by a <span>.
func htmlLabelSpans(t []byte, label string) []byte {
	i := bytes.Index(t, []byte(label))
	if i < 0 {
		return nil
	}
	rest := bytes.TrimLeft(t[i+len(label):], " \t")
	if !bytes.HasPrefix(rest, []byte("<span")) {
		return nil
	}
	return rest
}

func (p *htmlParser) metaSpan(l Line, label, key string) bool {
	rest := htmlLabelSpans(l.Text, label)
	if rest == nil {
		return false
	}
	spans := htmlSpans(rest)
	if len(spans) == 0 {
		return false
	}
	p.c.Record(l.N, l.N)
	p.c.Meta(MetaRow{Run: p.c.Run, Line: l.N, Key: key, Value: spans[0]})
	return true
}

// htmlSpans returns the unescaped texts of the <span>s of a line.
func htmlSpans(t []byte) []string {
	var out []string
	for {
		i := bytes.Index(t, []byte("<span"))
		if i < 0 {
			return out
		}
		t = t[i:]
		j := bytes.IndexByte(t, '>')
		if j < 0 {
			return out
		}
		t = t[j+1:]
		k := bytes.Index(t, []byte("</span>"))
		if k < 0 {
			return out
		}
		out = append(out, html.UnescapeString(strings.TrimSpace(string(t[:k]))))
		t = t[k:]
	}
}

// markup handles a line outside any record: table structure is tracked,
// and the line is folded as document markup.
func (p *htmlParser) markup(l Line) {
	t := l.Text
	if i := bytes.Index(t, []byte("<h2>")); i >= 0 {
		h := strings.ToLower(htmlText(t[i:]))
		switch {
		case strings.Contains(h, "request statistics"):
			p.section = "requests"
		case strings.Contains(h, "response time statistics"):
			p.section = "responses"
		case strings.Contains(h, "failures statistics"):
			p.section = "failures"
		case strings.Contains(h, "exceptions statistics"):
			p.section = "exceptions"
		default:
			p.section = ""
		}
	}
	if bytes.Contains(t, []byte("<table")) {
		p.headers = p.headers[:0]
	}
	if p.section != "" {
		if bytes.Contains(t, []byte("</table>")) {
			p.section = ""
		}
		if i := htmlTagAt(t, "<tr"); i >= 0 {
			p.inRow, p.rowFirst = true, l.N
			p.cells, p.inCell, p.cell = p.cells[:0], false, p.cell[:0]
			p.rowLine(Line{N: l.N, Text: t[i+3:]})
			return
		}
	}
	p.c.Fold(1)
}

// htmlText strips tags and unescapes entities.
func htmlText(t []byte) string {
	var b strings.Builder
	in := false
	for _, c := range t {
		switch {
		case c == '<':
			in = true
		case c == '>' && in:
			in = false
		case !in:
			b.WriteByte(c)
		}
	}
	return html.UnescapeString(strings.TrimSpace(b.String()))
}

// rowLine gathers a table row's cells, which may span lines (a traceback).
func (p *htmlParser) rowLine(l Line) {
	t := l.Text
	for len(t) > 0 || p.inCell {
		if p.inCell {
			k := bytes.Index(t, []byte("</td>"))
			if k < 0 {
				p.cell = append(p.cell, t...)
				p.cell = append(p.cell, '\n')
				return
			}
			p.cell = append(p.cell, t[:k]...)
			p.cells = append(p.cells, htmlText(p.cell))
			p.cell, p.inCell = p.cell[:0], false
			t = t[k+5:]
			continue
		}
		td := htmlTagAt(t, "<td")
		tr := bytes.Index(t, []byte("</tr>"))
		if th := htmlTagAt(t, "<th"); th >= 0 && (td < 0 || th < td) && (tr < 0 || th < tr) {
			// A header row: its cells name the columns.
			k := bytes.Index(t[th:], []byte("</th>"))
			if k < 0 {
				return
			}
			p.headers = append(p.headers, strings.ToLower(htmlText(t[th:th+k])))
			t = t[th+k+5:]
			continue
		}
		if tr >= 0 && (td < 0 || tr < td) {
			p.endRow(l.N)
			return
		}
		if td < 0 {
			return
		}
		t = t[td:]
		gt := bytes.IndexByte(t, '>')
		if gt < 0 {
			return
		}
		t = t[gt+1:]
		p.inCell = true
	}
}

func (p *htmlParser) endRow(last int64) {
	p.inRow = false
	if len(p.cells) == 0 {
		p.c.Fold(last - p.rowFirst + 1)
		return
	}
	p.c.Record(p.rowFirst, last)
	get := func(names ...string) (string, bool) {
		for _, n := range names {
			for i, h := range p.headers {
				if h == n && i < len(p.cells) {
					return p.cells[i], true
				}
			}
		}
		return "", false
	}
	num := func(names ...string) *float64 {
		s, ok := get(names...)
		if !ok {
			return nil
		}
		s = strings.TrimSpace(s)
		if s == "" || s == "N/A" {
			return nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			p.warnf(p.rowFirst, "%q is not a number; read as null", s)
			return nil
		}
		return &f
	}
	count := func(names ...string) int64 {
		if f := num(names...); f != nil && *f < 1<<62 && *f > -(1<<62) {
			return int64(*f)
		}
		return 0
	}
	if len(p.cells) != len(p.headers) {
		p.warnf(p.rowFirst, "table row has %d cells where the header has %d", len(p.cells), len(p.headers))
	}
	method, _ := get("method", "type")
	name, _ := get("name")
	switch p.section {
	case "requests":
		r := &StatRow{Run: p.c.Run, Source: "html", Line: p.rowFirst, Type: method, Name: name}
		r.Requests = count("# requests", "requests")
		r.Failures = count("# fails", "# failures", "fails")
		r.Median = num("median (ms)")
		r.Average = num("average (ms)")
		r.Min = num("min (ms)")
		r.Max = num("max (ms)")
		r.AvgContentSize = num("average size (bytes)", "average size (bytes) ")
		r.RPS = num("rps", "current rps")
		r.FPS = num("failures/s", "current failures/s")
		p.htmlPctCells(&r.Percentiles)
		k := htmlStatKey(method, name)
		if _, dup := p.stats[k]; !dup {
			p.statOrder = append(p.statOrder, k)
		}
		p.stats[k] = r
	case "responses":
		var pc Percentiles
		p.htmlPctCells(&pc)
		p.pcts[htmlStatKey(method, name)] = pc
	case "failures":
		e, _ := get("error")
		p.c.Failure(FailureRow{Run: p.c.Run, Source: "html", Line: p.rowFirst, Method: method, Name: name, Error: e, Occurrences: count("occurrences", "# occurrences")})
	case "exceptions":
		msg, _ := get("message")
		tb, _ := get("traceback")
		nodes, _ := get("nodes")
		p.c.Exception(ExceptionRow{Run: p.c.Run, Source: "html", Line: p.rowFirst, Count: count("count"), Message: msg, Traceback: tb, Nodes: nodes})
	}
}

// htmlPctCells reads "NN%ile (ms)" columns.
func (p *htmlParser) htmlPctCells(pc *Percentiles) {
	for i, h := range p.headers {
		j := strings.Index(h, "%ile")
		if j < 0 || i >= len(p.cells) {
			continue
		}
		pct, err := strconv.ParseFloat(strings.TrimSpace(h[:j]), 64)
		if err != nil {
			continue
		}
		s := strings.TrimSpace(p.cells[i])
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			htmlSetPct(pc, pct, &f)
		}
	}
}

// histLine gathers `"key": [...]` lines of the Jinja report's
// stats_history object until its closing "};".
func (p *htmlParser) histLine(l Line) {
	p.histLast = l.N
	t := bytes.TrimSpace(l.Text)
	if bytes.HasPrefix(t, []byte("}")) {
		p.endHist()
		return
	}
	if len(t) == 0 || t[0] != '"' {
		return
	}
	k := bytes.IndexByte(t[1:], '"')
	if k < 0 {
		return
	}
	key := string(t[1 : 1+k])
	rest := t[2+k:]
	i := bytes.IndexByte(rest, '[')
	if i < 0 {
		return
	}
	var s jsonScanner
	end := s.scan(rest[i:])
	if end < 0 {
		p.warnf(l.N, "stats_history %q: array not closed on its line", key)
		return
	}
	p.hist[key] = json.RawMessage(append([]byte(nil), rest[i:i+end]...))
}

func (p *htmlParser) endHist() {
	p.histOn = false
	p.c.Record(p.histFirst, p.histLast)
	var times []string
	if raw, ok := p.hist["time"]; ok {
		if err := json.Unmarshal(raw, &times); err != nil {
			p.warnf(p.histFirst, "stats_history time: %v", err)
		}
	}
	series := map[string][]json.RawMessage{}
	for k, raw := range p.hist {
		if k == "time" {
			continue
		}
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) == nil {
			series[k] = list
		}
	}
	at := func(k string, i int) json.RawMessage {
		if l := series[k]; i < len(l) {
			return l[i]
		}
		return nil
	}
	if p.start.IsZero() && len(times) > 0 {
		p.warnf(p.histFirst, "stats_history times have no date (no 'During' line before them); left null")
	}
	// The percentile series, read once rather than at every point.
	type pctSeries struct {
		pct  float64
		list []json.RawMessage
	}
	keys := make([]string, 0, len(series))
	for k := range series {
		keys = append(keys, k)
	}
	sort.Strings(keys) // two keys for one percentile: the same one wins every time
	var pcts []pctSeries
	for _, k := range keys {
		if pct, ok := htmlPctKey(k); ok {
			pcts = append(pcts, pctSeries{pct, series[k]})
		}
	}
	if len(times) > 0 {
		if tod, err := time.Parse("15:04:05", times[0]); err == nil {
			p.duringClock(tod)
		}
	}
	clock := htmlDayClock{start: p.start}
	_, hasUsers := series["user_count"]
	for i, hms := range times {
		r := HistoryRow{Run: p.c.Run, Source: "html", Line: p.histFirst, Name: "Aggregated", UsersUnknown: !hasUsers}
		if tod, err := time.Parse("15:04:05", hms); err == nil && !p.start.IsZero() {
			r.Time = clock.at(tod)
		}
		if f := htmlNum(at("user_count", i)); f != nil {
			r.Users = int64(*f)
		}
		r.RPS = htmlNum(at("current_rps", i))
		r.FPS = htmlNum(at("current_fail_per_sec", i))
		r.TotalAverage = htmlNum(at("total_avg_response_time", i))
		for _, ps := range pcts {
			if i < len(ps.list) {
				htmlSetPct(&r.Percentiles, ps.pct, htmlNum(ps.list[i]))
			}
		}
		p.c.History(r)
	}
}

func (p *htmlParser) finish() {
	switch {
	case p.jsonOn:
		p.endJSON(false)
	case p.histOn:
		p.warnf(p.histFirst, "stats_history object not closed before the end of the file")
		p.endHist()
	case p.inRow:
		if p.inCell {
			p.cells = append(p.cells, htmlText(p.cell))
		}
		p.warnf(p.rowFirst, "table row not closed before the end of the file")
		p.endRow(p.c.last)
	}
	for _, k := range p.statOrder {
		r := p.stats[k]
		if pc, ok := p.pcts[k]; ok {
			dst, src := r.Percentiles.Ptrs(), pc.Ptrs()
			for i := range dst {
				if *src[i] != nil && *dst[i] == nil {
					*dst[i] = *src[i]
				}
			}
		}
		htmlMedianFromP50(r)
		p.c.Stat(*r)
	}
	if p.warns > csvMaxWarnings {
		p.c.Warnf(0, "%d more warnings not shown", p.warns-csvMaxWarnings)
	}
}

// htmlTagAt returns the index of tag (e.g. "<th") as a whole tag name, not
// a prefix of a longer one ("<thead"), or -1.
func htmlTagAt(t []byte, tag string) int {
	off := 0
	for {
		i := bytes.Index(t[off:], []byte(tag))
		if i < 0 {
			return -1
		}
		j := off + i + len(tag)
		if j >= len(t) || t[j] == '>' || t[j] == ' ' || t[j] == '\t' {
			return off + i
		}
		off = j
	}
}

// htmlMedianFromP50 gives a row the report's 50th percentile as its median
// when the report prints no median: Locust's Jinja reports (2.x up to 2.1x)
// have no median column. Locust computes its median and its 50th percentile
// slightly differently, so they can differ by a rounding step.
func htmlMedianFromP50(r *StatRow) {
	if r.Median == nil && r.P50 != nil {
		v := *r.P50
		r.Median = &v
	}
}

// htmlDayClock turns the UTC times of day of a report's history into times:
// on the start's date, moving to the next day when the clock wraps.
type htmlDayClock struct {
	start, prev time.Time
}

func (k *htmlDayClock) at(tod time.Time) time.Time {
	day := k.start
	if !k.prev.IsZero() {
		day = k.prev
	}
	t := time.Date(day.Year(), day.Month(), day.Day(), tod.Hour(), tod.Minute(), tod.Second(), 0, time.UTC)
	if k.prev.IsZero() && t.Before(k.start.Add(-time.Minute)) {
		t = t.AddDate(0, 0, 1) // the run started just before midnight
	}
	for !k.prev.IsZero() && t.Before(k.prev) {
		t = t.AddDate(0, 0, 1)
	}
	k.prev = t
	return t
}

// duringClock checks the Jinja report's "During" times against its first
// history time. The history's times are UTC (the report's own script reads
// them with setUTCHours), but Locust 2.x before ~2.8 printed "During" in the
// load host's local time: a 2 h gap between the two is a zone offset, not a
// day. When the gap is a whole quarter hour and the history starts within
// minutes of the corrected start, start_time and end_time are corrected to
// UTC and the audit says so.
func (p *htmlParser) duringClock(first time.Time) {
	if p.start.IsZero() {
		return
	}
	startS := p.start.Hour()*3600 + p.start.Minute()*60 + p.start.Second()
	firstS := first.Hour()*3600 + first.Minute()*60 + first.Second()
	d := startS - firstS // local minus UTC, plus the history's lag
	for d > 14*3600 {
		d -= 86400
	}
	for d <= -12*3600 {
		d += 86400
	}
	q := (d + 450*sign(d)) / 900 * 900
	lag := q - d // the first history point's delay after the start
	if q == 0 || lag < -60 || lag > 600 {
		return
	}
	off := time.Duration(q) * time.Second
	p.start = p.start.Add(-off)
	for _, i := range p.during {
		m := &p.c.res.Meta[i]
		if t, err := time.Parse(time.RFC3339, m.Value); err == nil {
			m.Value = t.Add(-off).UTC().Format(time.RFC3339)
		}
	}
	p.warnf(p.histFirst, "the report's \"During\" times are the load host's local clock (UTC%s) and its history's are UTC: start_time and end_time read as UTC by that offset, not as a day's wrap", pgbFormatOffset(q))
}

func sign(n int) int {
	if n < 0 {
		return -1
	}
	return 1
}
