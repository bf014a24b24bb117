package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"time"
	"unicode/utf8"

	"github.com/dlclark/regexp2/v2"
	"gopkg.in/yaml.v3"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/model"
)

// Match is the generic matcher of a YAML rule. Every set field must hold
// (AND); list fields hold when any element matches (OR). Patterns are
// regexp2 (lookarounds, named groups), each at most MaxPatternBytes, each
// match reading at most MaxMatchInput bytes of its field and bounded by
// MatchTimeout.
//
// It selects records of the run: log events of the run's own window (5 s
// before its start to 130 s after its end, cut at the neighbouring runs;
// source = the parser's format
// name: django, auth_debug, locust_auth, runserver, pgbouncer,
// locust_console), Locust failure rows (source "locust_failures", kind
// "failure", path = request name, message = error, count = occurrences)
// and exception rows (source "locust_exceptions", kind "exception",
// message = message, text = traceback, count = count).
//
//	match:
//	  sources: [pgbouncer]
//	  kinds: [pooler_error]
//	  message: 'query_wait_timeout'
//	  min_count: 5                  # records (duplicates and occurrences count)
//	  window: 60s                   # ...within any 60 s
//	  co_occurs_with:               # each record needs one of these within 5 s
//	    sources: [runserver]
//	    status: 500-599
//	    within: 5s
//	  metrics: ['aggregated.failure_pct > 1']
//
// A match with only metrics fires on the run's numbers alone (evidence:
// the Aggregated row). Metric names: see RunMetric.
type Match struct {
	Sources []string `yaml:"sources,omitempty"`
	Kinds   []string `yaml:"kinds,omitempty"`
	Levels  []string `yaml:"levels,omitempty"` // case-insensitive
	Methods []string `yaml:"methods,omitempty"`
	// Status is "500", "500-599" or "5xx".
	Status string `yaml:"status,omitempty"`
	// Path matches the request path (or Locust request name).
	Path string `yaml:"path,omitempty"`
	// Message matches the record's message (first line for logs).
	Message string `yaml:"message,omitempty"`
	// Exception matches "ExcType: ExcMessage".
	Exception string `yaml:"exception,omitempty"`
	// Text matches message and traceback together.
	Text string `yaml:"text,omitempty"`
	// Fields match named fields: logger, user, zone, exc_type, exc_frame,
	// file, or attrs.<key> (any key=value the parser kept).
	Fields map[string]string `yaml:"fields,omitempty"`

	MinCount     int64    `yaml:"min_count,omitempty"`
	Window       Duration `yaml:"window,omitempty"`
	CoOccursWith *CoOccur `yaml:"co_occurs_with,omitempty"`
	Metrics      []string `yaml:"metrics,omitempty"`
}

// CoOccur is another matcher whose records must lie within Within of each
// record of the outer matcher.
type CoOccur struct {
	Match  `yaml:",inline"`
	Within Duration `yaml:"within"`
}

// Duration reads "5s", "2m", "1h30m" or a bare number of seconds.
type Duration time.Duration

// UnmarshalYAML implements yaml.Unmarshaler.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		*d = Duration(f * float64(time.Second))
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("line %d: bad duration %q (want e.g. 5s, 2m)", n.Line, s)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML implements yaml.Marshaler.
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// MaxPatternBytes caps a user pattern's size; MaxMatchInput bounds the
// text one match reads (a field is cut to it at a rune boundary: the same
// input always gives the same cut).
const (
	MaxPatternBytes = 4096
	MaxMatchInput   = 64 << 10
)

// MatchTimeout bounds each match so a catastrophic pattern cannot stall an
// analysis. regexp2 counts it in wall-clock time, the only budget it has,
// so it is set far above what any pattern needs on MaxMatchInput bytes:
// a pattern either finishes in milliseconds on any machine or backtracks
// for ever. A match rule that runs out of it anywhere is disabled for the
// whole analysis (Set.Evaluate), so its outcome never depends on which
// record a busy machine happened to be slow on. Variable so tests can
// lower it.
var MatchTimeout = time.Second

// boundInput cuts s to at most MaxMatchInput bytes, at a rune boundary.
func boundInput(s string) string {
	if len(s) <= MaxMatchInput {
		return s
	}
	i := MaxMatchInput
	for i > MaxMatchInput-utf8.UTFMax && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

// budgetError is a match that ran out of its budget (MatchTimeout, or
// regexp2's backtracking stack limit).
type budgetError struct {
	pattern string
	at      string // file:line of the record
	msg     string
}

func (e *budgetError) Error() string {
	return fmt.Sprintf("%s: pattern %q: %s", e.at, e.pattern, e.msg)
}

// CompilePattern compiles a regexp2 pattern with the size cap and the match
// timeout. Checks written in Go use it for the same guarantees.
func CompilePattern(expr string) (*regexp2.Regexp, error) {
	if len(expr) > MaxPatternBytes {
		return nil, fmt.Errorf("pattern is %d bytes, over the %d-byte cap", len(expr), MaxPatternBytes)
	}
	re, err := regexp2.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", expr, err)
	}
	re.MatchTimeout = MatchTimeout
	return re, nil
}

// paramPatterns holds the patterns Go checks build from their rules'
// params, by source text: a check asks for its pattern on every run, and
// compiling it each time was most of LoginRows' cost.
var paramPatterns sync.Map

// string → *regexp2.Regexp

// cachedPattern is CompilePattern, compiled once per distinct expr
// (regexp2 patterns are safe for concurrent use).
func cachedPattern(expr string) (*regexp2.Regexp, error) {
	if re, ok := paramPatterns.Load(expr); ok {
		return re.(*regexp2.Regexp), nil
	}
	re, err := CompilePattern(expr)
	if err != nil {
		return nil, err
	}
	paramPatterns.Store(expr, re)
	return re, nil
}

// MustPattern is CompilePattern for patterns fixed in Go source.
func MustPattern(expr string) *regexp2.Regexp {
	re, err := CompilePattern(expr)
	if err != nil {
		panic(err)
	}
	return re
}

type statusRange struct{ lo, hi int64 }

type metricCond struct {
	name string
	op   string
	val  float64
	src  string
}

type compiledMatch struct {
	m                            *Match
	sources, kinds, levels, meth map[string]bool
	status                       *statusRange
	path, message, exc, text     *regexp2.Regexp
	fields                       map[string]*regexp2.Regexp
	fieldNames                   []string
	metrics                      []metricCond
	co                           *compiledMatch
	within                       time.Duration
	filters                      bool // any record filter set
}

func set(ss []string, lower bool) map[string]bool {
	if len(ss) == 0 {
		return nil
	}
	m := map[string]bool{}
	for _, s := range ss {
		if lower {
			s = strings.ToLower(s)
		}
		m[s] = true
	}
	return m
}

func compileMatch(m *Match) (*compiledMatch, error) {
	c := &compiledMatch{m: m,
		sources: set(m.Sources, false), kinds: set(m.Kinds, false),
		levels: set(m.Levels, true), meth: set(m.Methods, false)}
	var err error
	if m.Status != "" {
		if c.status, err = parseStatus(m.Status); err != nil {
			return nil, err
		}
	}
	for _, p := range []struct {
		dst  **regexp2.Regexp
		src  string
		name string
	}{{&c.path, m.Path, "path"}, {&c.message, m.Message, "message"}, {&c.exc, m.Exception, "exception"}, {&c.text, m.Text, "text"}} {
		if p.src == "" {
			continue
		}
		if *p.dst, err = CompilePattern(p.src); err != nil {
			return nil, fmt.Errorf("match.%s: %w", p.name, err)
		}
	}
	if len(m.Fields) > 0 {
		c.fields = map[string]*regexp2.Regexp{}
		for k, v := range m.Fields {
			if !knownField(k) {
				return nil, fmt.Errorf("match.fields: unknown field %q (want logger, user, zone, exc_type, exc_frame, file, attrs.<key>)", k)
			}
			re, err := CompilePattern(v)
			if err != nil {
				return nil, fmt.Errorf("match.fields.%s: %w", k, err)
			}
			c.fields[k] = re
			c.fieldNames = append(c.fieldNames, k)
		}
		sort.Strings(c.fieldNames)
	}
	for _, s := range m.Metrics {
		mc, err := parseMetricCond(s)
		if err != nil {
			return nil, fmt.Errorf("match.metrics: %w", err)
		}
		c.metrics = append(c.metrics, mc)
	}
	c.filters = c.sources != nil || c.kinds != nil || c.levels != nil || c.meth != nil ||
		c.status != nil || c.path != nil || c.message != nil || c.exc != nil || c.text != nil || c.fields != nil
	if m.CoOccursWith != nil {
		if m.CoOccursWith.CoOccursWith != nil {
			return nil, fmt.Errorf("match.co_occurs_with: cannot nest co_occurs_with")
		}
		if m.CoOccursWith.Within <= 0 {
			return nil, fmt.Errorf("match.co_occurs_with: within must be > 0")
		}
		if c.co, err = compileMatch(&m.CoOccursWith.Match); err != nil {
			return nil, fmt.Errorf("match.co_occurs_with: %w", err)
		}
		if !c.co.filters {
			return nil, fmt.Errorf("match.co_occurs_with: needs at least one record filter")
		}
		c.within = time.Duration(m.CoOccursWith.Within)
	}
	if !c.filters && len(c.metrics) == 0 {
		return nil, fmt.Errorf("match: empty (give record filters and/or metrics)")
	}
	if !c.filters && (m.MinCount > 0 || m.Window > 0 || m.CoOccursWith != nil) {
		return nil, fmt.Errorf("match: min_count, window and co_occurs_with need record filters")
	}
	return c, nil
}

func knownField(k string) bool {
	switch k {
	case "logger", "user", "zone", "exc_type", "exc_frame", "file", "source", "kind", "level":
		return true
	}
	return strings.HasPrefix(k, "attrs.") && len(k) > len("attrs.")
}

func parseStatus(s string) (*statusRange, error) {
	s = strings.TrimSpace(s)
	if len(s) == 3 && strings.HasSuffix(strings.ToLower(s), "xx") && s[0] >= '1' && s[0] <= '5' {
		lo := int64(s[0]-'0') * 100
		return &statusRange{lo, lo + 99}, nil
	}
	lo, hi, ok := strings.Cut(s, "-")
	if !ok {
		hi = lo
	}
	l, err1 := strconv.ParseInt(strings.TrimSpace(lo), 10, 64)
	h, err2 := strconv.ParseInt(strings.TrimSpace(hi), 10, 64)
	if err1 != nil || err2 != nil || l > h {
		return nil, fmt.Errorf("match.status: %q is not a status, a range lo-hi or Nxx", s)
	}
	return &statusRange{l, h}, nil
}

func parseMetricCond(s string) (metricCond, error) {
	f := strings.Fields(s)
	if len(f) != 3 {
		return metricCond{}, fmt.Errorf("%q: want \"<metric> <op> <number>\", e.g. \"aggregated.failure_pct > 1\"", s)
	}
	switch f[1] {
	case ">", ">=", "<", "<=", "==", "!=":
	default:
		return metricCond{}, fmt.Errorf("%q: unknown operator %q", s, f[1])
	}
	v, err := strconv.ParseFloat(f[2], 64)
	if err != nil {
		return metricCond{}, fmt.Errorf("%q: %q is not a number", s, f[2])
	}
	if !KnownMetric(f[0]) {
		return metricCond{}, fmt.Errorf("%q: unknown metric %q (see rules.MetricNames)", s, f[0])
	}
	return metricCond{name: f[0], op: f[1], val: v, src: s}, nil
}

func (mc metricCond) holds(x float64) bool {
	switch mc.op {
	case ">":
		return x > mc.val
	case ">=":
		return x >= mc.val
	case "<":
		return x < mc.val
	case "<=":
		return x <= mc.val
	case "==":
		return x == mc.val
	}
	return x != mc.val
}

// MatchData is what a Match rule's summary, interpretation and
// recommendation templates see.
type MatchData struct {
	Run         string
	Count       int64             // matched records (duplicates/occurrences counted)
	Records     int               // distinct matched records
	First, Last string            // UTC RFC 3339 of the first and last timed record
	Endpoints   string            // distinct paths, sorted, comma-separated (at most 10)
	Groups      map[string]string // named groups of the first match
	Metrics     map[string]float64
}

func evalMatch(ctx *Context, c *compiledMatch) ([]Finding, error) {
	run := ctx.Run
	metrics := map[string]float64{}
	for _, mc := range c.metrics {
		v, ok := RunMetric(run, mc.name)
		if !ok || !mc.holds(v) {
			return nil, nil
		}
		metrics[mc.name] = v
	}
	r := ctx.Rule
	data := MatchData{Run: run.Name, Metrics: metrics, Groups: map[string]string{}}
	var ev []Evidence
	if c.filters {
		recs, groups, err := c.records(ctx)
		if err != nil {
			return nil, err
		}
		if c.co != nil {
			other, _, err := c.co.records(ctx)
			if err != nil {
				return nil, err
			}
			recs = coOccurring(recs, other, c.within)
		}
		min := c.m.MinCount
		if min <= 0 {
			min = 1
		}
		if c.m.Window > 0 {
			recs = bestWindow(recs, time.Duration(c.m.Window))
		}
		var total int64
		paths := map[string]bool{}
		for _, rc := range recs {
			total += rc.count
			if rc.path != "" {
				paths[rc.path] = true
			}
			ev = append(ev, rc.Evidence())
		}
		if total < min {
			return nil, nil
		}
		data.Count, data.Records, data.Groups = total, len(recs), groups
		if first, last := timeSpan(recs); !first.IsZero() {
			data.First, data.Last = first.Format(time.RFC3339), last.Format(time.RFC3339)
		}
		data.Endpoints = joinSorted(paths, 10)
		metrics["count"] = float64(total)
	} else if run.Aggregated != nil {
		ev = []Evidence{StatEvidence(run.Aggregated)}
	}
	f := Finding{Evidence: PickEvidence(ev, MaxEvidence), Metrics: metrics}
	f.Confidence = r.Confidence
	if f.Confidence == 0 {
		f.Confidence = 0.8
	}
	var err error
	sum := r.Summary
	if sum == "" {
		sum = "{{.Count}} matching records in run {{.Run}}"
		if !c.filters {
			sum = "run {{.Run}} meets the rule's metric conditions"
		}
	}
	if f.Summary, err = render(sum, data); err != nil {
		return nil, err
	}
	if f.Interpretation, err = render(r.Interpretation, data); err != nil {
		return nil, err
	}
	if f.Recommendation, err = render(r.Recommendation, data); err != nil {
		return nil, err
	}
	return []Finding{f}, nil
}

func render(tmpl string, data MatchData) (string, error) {
	if tmpl == "" {
		return "", nil
	}
	t, err := template.New("").Option("missingkey=zero").Parse(tmpl)
	if err != nil {
		return "", err
	}
	var b cappedBuilder // bounded whatever the template and the data (template.go)
	if err := t.Execute(&b, data); err != nil {
		return "", err
	}
	return strings.TrimSpace(b.String()), nil
}

func joinSorted(m map[string]bool, max int) string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	more := ""
	if len(ks) > max {
		more = fmt.Sprintf(" (+%d more)", len(ks)-max)
		ks = ks[:max]
	}
	return strings.Join(ks, ", ") + more
}

// record is one matchable row of a run: a log event of its own stretch,
// read from the event's columns when a matcher asks (nothing is rendered
// for a record no matcher selects), or a Locust failure or exception row.
type record struct {
	event   *correlate.Event // nil for a Locust row
	source  string           // the format, or locust_failures / locust_exceptions
	kind    string
	level   string
	method  string
	path    string
	message string // the first line
	status  *int64
	time    time.Time
	count   int64
	// A Locust row's text and exception, its field lookup and evidence
	// (an event's come from its columns).
	text, exc string
	file      string
	row       func() Evidence
}

// Text is what a text pattern reads: the message and the traceback.
func (rc *record) Text() string {
	if rc.event != nil {
		if tb := rc.event.Traceback(); tb != "" {
			return rc.event.Message() + "\n" + tb
		}
		return rc.event.Message() + "\n"
	}
	return rc.text
}

// Exc is what an exception pattern reads: "Type: message".
func (rc *record) Exc() string {
	if rc.event != nil {
		if rc.event.ExcType() == "" {
			return ""
		}
		return rc.event.ExcType() + ": " + rc.event.ExcMessage()
	}
	return rc.exc
}

// Field is the named column of the record ("logger", "attrs.url"), ""
// when it has none.
func (rc *record) Field(k string) string {
	if rc.event == nil {
		if k == "file" {
			return rc.file
		}
		return ""
	}
	return eventField(*rc.event, k)
}

// Evidence cites the record.
func (rc *record) Evidence() Evidence {
	if rc.event != nil {
		return EventEvidence(*rc.event)
	}
	return rc.row()
}

// at names the record's place, for messages.
func (rc *record) at() string {
	if rc.event != nil {
		return fmt.Sprintf("%s:%d", rc.event.File(), rc.event.Line())
	}
	ev := rc.row()
	return fmt.Sprintf("%s:%d", ev.File, ev.Line)
}

// runRecords lists the run's records: the log events of its own window
// (ownEvents), then its Locust failure and exception rows. They are built
// once per run and shared by its match rules (matchers copy the records
// they keep).
func runRecords(ctx *Context) []record {
	o := ctx.facts()
	o.recordsDone.Do(func() { o.records = buildRecords(ctx) })
	return o.records
}

func buildRecords(ctx *Context) []record {
	run := ctx.Run
	events := ownEvents(ctx)
	failures, exceptions := model.FailureRows(run), model.ExceptionRows(run)
	out := make([]record, 0, events.Len()+len(failures)+len(exceptions))
	handles := make([]correlate.Event, events.Len())
	for i, e := range events.All() {
		handles[i] = e
		t := e.Time()
		if !e.Resolved() {
			t = time.Time{}
		}
		var status *int64
		if s, ok := e.Status(); ok {
			status = &s
		}
		out = append(out, record{event: &handles[i], source: e.Source().String(), kind: e.Kind().String(),
			level: strings.ToLower(e.Level().String()), method: e.Method(), path: e.Path(),
			message: firstLine(e.Message()), status: status, time: t, count: 1 + e.Duplicates()})
	}
	for _, f := range failures {
		out = append(out, record{source: "locust_failures", kind: "failure", method: f.Method, path: f.Name,
			message: f.Error, text: f.Error, count: max(f.Occurrences, 1), file: f.File,
			row: func() Evidence { return FailureEvidence(f) }})
	}
	for _, x := range exceptions {
		out = append(out, record{source: "locust_exceptions", kind: "exception",
			message: firstLine(x.Message), text: x.Message + "\n" + x.Traceback, count: max(x.Count, 1), file: x.File,
			row: func() Evidence { return ExceptionEvidence(x) }})
	}
	return out
}

func eventField(e correlate.Event, k string) string {
	switch k {
	case "logger":
		return e.Logger()
	case "user":
		return e.User()
	case "zone":
		return e.Zone()
	case "exc_type":
		return e.ExcType()
	case "exc_frame":
		return e.ExcFrame()
	case "file":
		return e.File()
	case "source":
		return e.Source().String()
	case "kind":
		return e.Kind().String()
	case "level":
		return e.Level().String()
	}
	if a, ok := strings.CutPrefix(k, "attrs."); ok {
		return e.Attr(a)
	}
	return ""
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimRight(s[:i], "\r")
	}
	return s
}

// records returns the run's records this matcher selects, and the named
// groups of the first pattern match.
func (c *compiledMatch) records(ctx *Context) ([]record, map[string]string, error) {
	var out []record
	groups := map[string]string{}
	for _, rc := range runRecords(ctx) {
		ok, err := c.accept(&rc, groups, len(out) == 0)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			out = append(out, rc)
		}
	}
	return out, groups, nil
}

func (c *compiledMatch) accept(rc *record, groups map[string]string, keepGroups bool) (bool, error) {
	if c.sources != nil && !c.sources[rc.source] ||
		c.kinds != nil && !c.kinds[rc.kind] ||
		c.levels != nil && !c.levels[rc.level] ||
		c.meth != nil && !c.meth[rc.method] {
		return false, nil
	}
	if c.status != nil && (rc.status == nil || *rc.status < c.status.lo || *rc.status > c.status.hi) {
		return false, nil
	}
	type pat struct {
		re *regexp2.Regexp
		s  string
	}
	// Only the columns a pattern reads are read (a text or exception
	// pattern joins two of them).
	pats := []pat{{c.path, rc.path}, {c.message, rc.message}}
	if c.exc != nil {
		pats = append(pats, pat{c.exc, rc.Exc()})
	}
	if c.text != nil {
		pats = append(pats, pat{c.text, rc.Text()})
	}
	for _, k := range c.fieldNames {
		pats = append(pats, pat{c.fields[k], rc.Field(k)})
	}
	var got []*regexp2.Match
	for _, p := range pats {
		if p.re == nil {
			continue
		}
		m, err := p.re.FindStringMatch(boundInput(p.s))
		if err != nil {
			// regexp2's timeout error quotes the whole input: name the
			// file and line instead.
			msg := err.Error()
			if i := strings.Index(msg, " on input "); i >= 0 {
				msg = msg[:i]
			}
			return false, &budgetError{pattern: p.re.String(), at: rc.at(), msg: msg}
		}
		if m == nil {
			return false, nil
		}
		got = append(got, m)
	}
	if keepGroups {
		for _, m := range got {
			for _, g := range m.Groups() {
				if _, err := strconv.Atoi(g.Name); err == nil {
					continue // numbered group
				}
				groups[g.Name] = g.String()
			}
		}
	}
	return true, nil
}

func coOccurring(recs, other []record, within time.Duration) []record {
	var ts []time.Time
	for _, o := range other {
		if !o.time.IsZero() {
			ts = append(ts, o.time)
		}
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	var out []record
	for _, rc := range recs {
		if rc.time.IsZero() {
			continue
		}
		i := sort.Search(len(ts), func(i int) bool { return !ts[i].Before(rc.time.Add(-within)) })
		if i < len(ts) && !ts[i].After(rc.time.Add(within)) {
			out = append(out, rc)
		}
	}
	return out
}

// bestWindow keeps the timed records of the densest window of width w.
func bestWindow(recs []record, w time.Duration) []record {
	var timed []record
	for _, r := range recs {
		if !r.time.IsZero() {
			timed = append(timed, r)
		}
	}
	sort.SliceStable(timed, func(i, j int) bool { return timed[i].time.Before(timed[j].time) })
	var best, sum int64
	bi, bj := 0, 0
	i := 0
	for j := range timed {
		sum += timed[j].count
		for timed[j].time.Sub(timed[i].time) > w {
			sum -= timed[i].count
			i++
		}
		if sum > best {
			best, bi, bj = sum, i, j+1
		}
	}
	return timed[bi:bj]
}

func timeSpan(recs []record) (first, last time.Time) {
	for _, r := range recs {
		if r.time.IsZero() {
			continue
		}
		if first.IsZero() || r.time.Before(first) {
			first = r.time
		}
		if r.time.After(last) {
			last = r.time
		}
	}
	return first, last
}
