package parsers

import (
	"bytes"
	"encoding/json"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// locustConsole reads what Locust itself prints on stdout/stderr (its
// --logfile or a redirected console): log records
//
//	[2026-11-29 18:57:01,558] vm/INFO/locust.main: Starting Locust 2.12.1
//
// with tracebacks under them, the periodic statistics tables, the final
// percentile and error tables, and an echoed command line if the user's
// wrapper printed one.
type locustConsole struct{}

func init() { Register(locustConsole{}) }

func (locustConsole) Name() string { return "locust_console" }

func (locustConsole) Doc() Doc {
	return Doc{
		Summary: "Locust's own console log ([asctime] host/LEVEL/logger: message, stats tables)",
		Sample:  "[2026-11-29 18:58:29,361] vm/ERROR/locust.auth: login_server_error username=tester005 status=500 url=http://127.0.0.1:8000/accounts/login/ error=unknown",
		Extracts: []string{
			"time (naive local wall clock; --tz applies)", "level", "logger", "kind (log, login_failure, pool_config, command_line, banner, traceback, stats_table)",
			"user, status (login failures)", "exc_type / exc_message / exc_frame / traceback (tracebacks under a record)",
			"stats tables: one record per table, attrs table=requests|percentiles|errors, final=true on the last of each kind, the Aggregated row's values",
			"locust_meta: run_time_s, users, spawn_rate, locust_version, exit_code, html_report, run_time_limit_reached, users_spawned, command_line and its options (tags, tags_json, ...)",
		},
		Variants: []Variant{
			{"[asctime] host/LEVEL/logger: message, tracebacks under records", "Locust 1.x-2.x",
				"[2024-02-01 09:30:54,511] d189d6727fd5/ERROR/locust.user.task: Invalid URL 'localhost/hello': No scheme supplied. Perhaps you meant https://localhost/hello?", "locustio/locust issue #2575"},
			{"the same, a task's traceback folded into its record", "Locust 1.2.1",
				"[2020-08-20 22:41:38,964] saranyagupta05-Inspiron-5370/ERROR/locust.user.task: No tasks defined. use the @task decorator or set the tasks property of the User", "locustio/locust issue #1537"},
		},
		Notes: "Best effort: Locust's console output is not a stable format; lines that are not log records, tables, tracebacks or a command line are counted as unparsed.",
	}
}

// lcLevels are Python logging's level names.
var lcLevels = []string{"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}

// lcRecord is one log record's prefix; slices point into the line.
type lcRecord struct {
	wall   time.Time
	host   []byte
	level  string
	logger []byte
	msg    []byte
}

// lcSplit reads "[YYYY-MM-DD HH:MM:SS,mmm] host/LEVEL/logger: message".
func lcSplit(b []byte) (r lcRecord, ok bool) {
	if len(b) < 22 || b[0] != '[' {
		return r, false
	}
	t, n, ok := parseDateTime(b[1:])
	if !ok || 1+n+1 >= len(b) || b[1+n] != ']' || b[2+n] != ' ' {
		return r, false
	}
	rest := b[3+n:]
	s1 := bytes.IndexByte(rest, '/')
	if s1 < 0 {
		return r, false
	}
	host := rest[:s1]
	rest = rest[s1+1:]
	s2 := bytes.IndexByte(rest, '/')
	if s2 < 0 {
		return r, false
	}
	level := ""
	for _, l := range lcLevels {
		if string(rest[:s2]) == l {
			level = l
			break
		}
	}
	if level == "" {
		return r, false
	}
	rest = rest[s2+1:]
	c := bytes.IndexByte(rest, ':')
	if c < 0 || bytes.IndexByte(rest[:c], ' ') >= 0 {
		return r, false
	}
	msg := rest[c+1:]
	if len(msg) > 0 && msg[0] == ' ' {
		msg = msg[1:]
	}
	return lcRecord{wall: t, host: host, level: level, logger: rest[:c], msg: msg}, true
}

// Table kinds.
const (
	lcTableRequests    = "requests"
	lcTablePercentiles = "percentiles"
	lcTableErrors      = "errors"
)

// lcTableStart tells whether a line opens a table (its title or header)
// and of which kind; header is true for a column header line.
func lcTableStart(b []byte) (kind string, header bool) {
	switch {
	case bytes.HasPrefix(b, []byte("Response time percentiles")):
		return lcTablePercentiles, false
	case bytes.HasPrefix(b, []byte("Error report")):
		return lcTableErrors, false
	case bytes.HasPrefix(b, []byte("# occurrences")):
		return lcTableErrors, true
	case bytes.HasPrefix(b, []byte("Type ")) && bytes.Contains(b, []byte(" Name ")):
		if bytes.Contains(b, []byte("50%")) {
			return lcTablePercentiles, true
		}
		if bytes.Contains(b, []byte("# reqs")) {
			return lcTableRequests, true
		}
	case bytes.HasPrefix(b, []byte(" Name ")) && bytes.Contains(b, []byte("# reqs")):
		// Locust 1.x put no Type column.
		return lcTableRequests, true
	}
	return "", false
}

// lcRule reports a table rule: "--------|------...".
func lcRule(b []byte) bool {
	return len(b) >= 4 && b[0] == '-' && b[1] == '-' && b[2] == '-' && b[3] == '-' && bytes.IndexByte(b, '|') > 0
}

// lcTableish reports a line that can only be part of a stats table: a rule
// or a row with its "|" column groups.
func lcTableish(b []byte) bool {
	return lcRule(b) || bytes.Contains(b, []byte(" | ")) && bytes.Contains(b, []byte("%)"))
}

// Sniff: records and stats tables are Locust's own; the traceback lines
// under a record are its continuation (a task that raised, an event
// handler that failed) and count almost as much, so that a console log
// full of tracebacks still reads as Locust's and not as a Django log.
func (locustConsole) Sniff(sample []Line) float64 {
	n, hit := 0, 0.0
	inTable := false
	underRecord, inTB := false, false
	for _, l := range sample {
		b := l.Text
		if len(bytes.TrimSpace(b)) == 0 {
			inTable = false
			continue
		}
		n++
		if r, ok := lcSplit(b); ok {
			inTable, underRecord, inTB = false, true, false
			if bytes.HasPrefix(r.logger, []byte("locust")) {
				hit++
			} else {
				hit += 0.8 // the same layout, another program's loggers
			}
			continue
		}
		if k, _ := lcTableStart(b); k != "" {
			hit++
			inTable, underRecord = true, false
			continue
		}
		switch {
		case lcTableish(b), bytes.HasPrefix(bytes.TrimLeft(b, " "), []byte("Aggregated ")):
			hit++
		case inTable:
			hit += 0.8
		case underRecord && pyIsTracebackLine(b, inTB):
			hit += 0.8
			inTB = true
		}
	}
	if n == 0 {
		return 0
	}
	return hit / float64(n)
}

func (locustConsole) NameHint(base string) bool {
	b := strings.ToLower(base)
	return strings.Contains(b, "locust") && !strings.Contains(b, "fail") && (strings.HasSuffix(b, ".log") || strings.HasSuffix(b, ".txt") || strings.HasSuffix(b, ".out"))
}

// lcState is the record being built: a log record with the lines folded
// under it, or a table.
type lcState struct {
	c       *Context
	ev      *Event
	lines   lcLines  // the record's continuation lines (log) or all lines (table)
	table   string   // table kind when the record is a table
	headers []string // the table's column header fields
	rows    int
	agg     map[string]string
	meta    []MetaRow
	run     string
	lastIdx map[string]int // number of each kind's last table among the events
}

func (locustConsole) Parse(c *Context) error {
	s := &lcState{c: c, lastIdx: map[string]int{}}
	for {
		l, ok := c.Next()
		if !ok {
			break
		}
		s.line(l)
	}
	s.flush()
	// The last table of each kind is the run's final summary.
	for _, i := range s.lastIdx {
		c.heldEvent(i).Attrs["final"] = "true"
	}
	if s.run != "" {
		c.Run = s.run
	}
	for _, m := range s.meta {
		m.Run = c.Run
		c.Meta(m)
	}
	if c.Loc != nil && c.nextEvent() > 0 {
		c.SetZone(c.Loc.String(), "naive local time read in --tz")
	}
	return nil
}

func (s *lcState) line(l Line) {
	b := l.Text
	if r, ok := lcSplit(b); ok {
		s.flush()
		s.record(l, r)
		return
	}
	if len(bytes.TrimSpace(b)) == 0 {
		if s.ev == nil {
			s.c.Fold(1) // blank separator
			return
		}
		s.ev.EndLine = l.N
		if s.table != "" {
			s.flush() // a blank line ends a table
		}
		return
	}
	if kind, header := lcTableStart(b); kind != "" {
		// A title, or a header not under its own title, opens a table.
		if s.table == "" || !header || s.headers != nil || s.table != kind {
			s.flush()
			s.openTable(l, kind)
		} else {
			s.add(l)
		}
		if header {
			s.headers = strings.Fields(string(b))
		}
		return
	}
	if s.table != "" {
		s.add(l)
		s.row(b)
		return
	}
	if cmd, ok := lcCommandLine(b); ok {
		s.flush()
		s.commandLine(l, cmd)
		return
	}
	if lcTableish(b) {
		// Rows of a table a log record interrupted (stderr and stdout
		// redirected to one file).
		s.flush()
		s.openTable(l, "")
		s.row(b)
		return
	}
	if s.ev != nil {
		s.add(l) // traceback or continuation of a multi-line message
		return
	}
	if bytes.HasPrefix(b, []byte("Traceback (most recent call last):")) {
		s.ev = &Event{Source: "locust_console", Line: l.N, Kind: KindTraceback, Attrs: map[string]string{}}
		s.lines.reset()
		s.lines.add(b, true)
		return
	}
	s.c.Unparsed(l, "not a Locust log record, table, traceback or command line")
}

func (s *lcState) add(l Line) {
	s.ev.EndLine = l.N
	s.lines.add(l.Text, s.table == "")
}

func (s *lcState) openTable(l Line, kind string) {
	s.ev = &Event{Source: "locust_console", Line: l.N, Kind: "stats_table", Attrs: map[string]string{}}
	s.table = kind
	if kind == "" {
		s.table = "continued"
	}
	s.headers, s.rows, s.agg = nil, 0, nil
	s.lines.reset()
	s.lines.add(l.Text, false)
}

// row reads a table line: counts data rows and keeps the Aggregated row's
// values.
func (s *lcState) row(b []byte) {
	if lcRule(b) {
		return
	}
	// Most rows are only counted: their first value decides, and only the
	// Aggregated row is split into all its values.
	first := lcFirstValue(b)
	if first == nil {
		return
	}
	switch s.table {
	case lcTableErrors:
		s.rows++
		if n, ok := pyAtoi(first); ok {
			s.agg = lcAdd(s.agg, "occurrences", n)
		}
		return
	}
	if string(first) != "Aggregated" {
		s.rows++
		return
	}
	f := bytes.Fields(b)
	vals := f[:0]
	for _, x := range f {
		if !(len(x) == 1 && x[0] == '|') {
			vals = append(vals, x)
		}
	}
	vals = vals[1:]
	s.agg = map[string]string{}
	switch s.table {
	case lcTablePercentiles:
		var pct []string
		for _, h := range s.headers {
			if len(h) > 1 && h[len(h)-1] == '%' {
				pct = append(pct, "p"+strings.ReplaceAll(h[:len(h)-1], ".", "_"))
			}
		}
		for i, v := range vals {
			switch {
			case i < len(pct):
				s.agg[pct[i]] = string(v)
			case i == len(pct):
				s.agg["requests"] = string(v)
			}
		}
	default:
		keys := []string{"requests", "failures", "avg_ms", "min_ms", "max_ms", "median_ms", "rps", "failures_per_s"}
		for i, v := range vals {
			if i >= len(keys) {
				break
			}
			if i == 1 {
				if p := bytes.IndexByte(v, '('); p > 0 {
					v = v[:p]
				}
			}
			s.agg[keys[i]] = string(v)
		}
	}
}

// lcFirstValue returns a table row's first value: its first field that is
// not a lone "|" column separator; nil when there is none.
func lcFirstValue(b []byte) []byte {
	for {
		for len(b) > 0 && asciiSpace(b[0]) {
			b = b[1:]
		}
		if len(b) == 0 {
			return nil
		}
		i := 0
		for i < len(b) && !asciiSpace(b[i]) {
			i++
		}
		if w := b[:i]; !(len(w) == 1 && w[0] == '|') {
			return w
		}
		b = b[i:]
	}
}

// asciiSpace reports the bytes bytes.Fields splits ASCII text at.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func lcAdd(m map[string]string, k string, n int64) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	old, _ := strconv.ParseInt(m[k], 10, 64)
	m[k] = strconv.FormatInt(old+n, 10)
	return m
}

// record starts a log record.
func (s *lcState) record(l Line, r lcRecord) {
	e := &Event{Source: "locust_console", Line: l.N, Level: r.level, Logger: string(r.logger), Kind: KindLog,
		Message: string(bytes.TrimRight(r.msg, " ")), Attrs: map[string]string{"host": string(r.host)}}
	e.Time, e.Naive, e.Zone = s.c.Wall(r.wall)
	s.ev, s.table = e, ""
	s.lines.reset()
	msg := e.Message
	meta := func(k, v string) {
		e.Attrs[k] = v
		s.meta = append(s.meta, MetaRow{Line: l.N, Key: k, Value: v})
	}
	word, _, _ := strings.Cut(msg, " ")
	switch {
	case word == "login_server_error" || word == "login_page_returned" || word == "login_redirect_back" || word == "login_unexpected_status":
		e.Kind = KindLoginFailure
		e.Attrs["event"] = word
		lcLoginKV(e, msg[len(word):])
	case strings.HasPrefix(strings.ToLower(msg), "login failed"):
		e.Kind = KindLoginFailure
		e.Attrs["event"] = "login_failed"
		lcLoginKV(e, msg[len("login failed"):])
	case strings.HasPrefix(msg, "Multi-user pool configured") || strings.HasPrefix(msg, "single_user_pool") || strings.HasPrefix(msg, "TEST_USER_POOL"):
		e.Kind = KindPoolConfig
	case strings.HasPrefix(msg, "Run time limit set to "):
		e.Kind = KindCommandLine
		v, _, _ := strings.Cut(msg[len("Run time limit set to "):], " ")
		meta("run_time_s", v)
	case strings.HasPrefix(msg, "Ramping to "):
		// "Ramping to 60 users at a rate of 3.00 per second"
		e.Kind = KindCommandLine
		f := strings.Fields(msg)
		if len(f) >= 9 && f[3] == "users" && f[7] == "of" {
			meta("users", f[2])
			meta("spawn_rate", f[8])
		}
	case strings.HasPrefix(msg, "Spawning "):
		// Older Locust: "Spawning 60 users at the rate 3 users/s (0 users already running)..."
		e.Kind = KindCommandLine
		f := strings.Fields(msg)
		if len(f) >= 6 && f[2] == "users" && f[4] == "the" && f[5] == "rate" && len(f) >= 7 {
			meta("users", f[1])
			meta("spawn_rate", f[6])
		}
	case strings.HasPrefix(msg, "Starting Locust"):
		e.Kind = KindBanner
		if v := strings.TrimSpace(msg[len("Starting Locust"):]); v != "" {
			meta("locust_version", v)
		}
	case strings.HasPrefix(msg, "Starting web interface at "):
		e.Kind = KindBanner
		v, _, _ := strings.Cut(msg[len("Starting web interface at "):], " ")
		meta("web_ui", v)
	case strings.HasPrefix(msg, "Shutting down (exit code "):
		e.Kind = KindBanner
		v, _, _ := strings.Cut(msg[len("Shutting down (exit code "):], ")")
		meta("exit_code", v)
	case strings.HasPrefix(msg, "writing html report to file: "):
		e.Kind = KindBanner
		v := strings.TrimSpace(msg[len("writing html report to file: "):])
		meta("html_report", v)
		base := path.Base(strings.ReplaceAll(v, `\`, "/"))
		if r := strings.TrimSuffix(strings.TrimSuffix(base, ".html"), ".htm"); r != "" {
			s.run = r
		}
	case strings.HasPrefix(msg, "--run-time limit reached") || strings.HasPrefix(msg, "Run time limit reached"):
		e.Kind = KindBanner
		meta("run_time_limit_reached", "true")
	case strings.HasPrefix(msg, "All users spawned: "):
		// `All users spawned: {"RabUser": 60} (60 total users)`
		rest := msg[len("All users spawned: "):]
		if i := strings.LastIndex(rest, " ("); i > 0 && strings.HasSuffix(rest, " total users)") {
			meta("user_classes_json", rest[:i])
			meta("users_spawned", strings.TrimSuffix(rest[i+2:], " total users)"))
		}
	default:
		if !lcMentionsLocust(msg) {
			break
		}
		if cmd, ok := lcCommandLine([]byte(msg)); ok {
			s.commandLineAttrs(e, l, cmd)
		}
	}
}

// lcLoginKV reads the key=value fields of a login failure message
// ("username=U status=500 url=... error=free text to the end").
func lcLoginKV(e *Event, s string) {
	s = strings.TrimSpace(s)
	for s != "" {
		var tok string
		if strings.HasPrefix(s, "error=") {
			tok, s = s, ""
		} else {
			tok, s, _ = strings.Cut(s, " ")
			s = strings.TrimLeft(s, " ")
		}
		k, v, ok := strings.Cut(tok, "=")
		if !ok {
			continue
		}
		switch k {
		case "username", "user":
			e.User = v
		case "status":
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				e.Status = &n
			}
		default:
			e.Attrs[k] = v
		}
	}
}

// flush emits the record being built.
func (s *lcState) flush() {
	e := s.ev
	if e == nil {
		return
	}
	s.ev = nil
	if s.table != "" {
		e.Attrs["table"] = s.table
		e.Attrs["rows"] = strconv.Itoa(s.rows)
		for k, v := range s.agg {
			e.Attrs[k] = v
		}
		e.Message = string(s.lines.msg.text())
		s.warnKept(e)
		s.c.Event(*e)
		if s.table != "continued" {
			s.lastIdx[s.table] = s.c.nextEvent() - 1
		}
		s.table = ""
		s.release()
		return
	}
	if e.Kind == KindTraceback {
		s.traceback(e, &s.lines)
		e.Message = strings.TrimPrefix(e.ExcType+": "+e.ExcMessage, ": ")
	} else if s.lines.n() > 0 {
		s.traceback(e, &s.lines)
		if e.Traceback == "" {
			// A multi-line message.
			e.Message += "\n" + string(s.lines.msg.text())
		}
	}
	s.warnKept(e)
	s.c.Event(*e)
	s.release()
}

// warnKept names record e in the audit when its text did not keep all
// its lines (recordText).
func (s *lcState) warnKept(e *Event) {
	if n := s.lines.msg.dropped + s.lines.tb.dropped; n > 0 {
		warnKept(s.c, e.Line, e.EndLine, n)
	}
}

// release writes the events before the earliest table that may still be
// its kind's last (the one Parse marks final): a console log's events are
// held only since its last print of the tables.
func (s *lcState) release() {
	first := s.c.nextEvent()
	for _, i := range s.lastIdx {
		first = min(first, i)
	}
	s.c.releaseBefore(first)
}

// traceback fills the exception fields from the lines under a record
// when they hold a Python traceback, read as every Python-logging format
// reads its tracebacks (pyAnalyzeTraceback).
func (s *lcState) traceback(e *Event, lines *lcLines) {
	if lines.nTB == 0 {
		return
	}
	if lines.nMsg > 0 {
		e.Message += "\n" + string(lines.msg.text())
	}
	e.Traceback = string(lines.tb.text())
	info := pyAnalyzeTraceback([]byte(e.Traceback))
	e.ExcType, e.ExcMessage, e.ExcFrame = info.Type, info.Message, info.Frame
	if info.Cut {
		s.c.Warnf(e.EndLine, "traceback of the record at line %d ends without its exception line (file cut short or lines lost); kept as far as it goes", e.Line)
	}
}

// lcCommandLine recognises an echoed Locust command line: "locust ...",
// "$ locust ...", "Command: locust ...", "PS C:\x> locust ...",
// "python -m locust ...".
func lcCommandLine(b []byte) (map[string]string, bool) {
	// Most lines asked about are tracebacks and messages: without the word
	// there is no invocation to tokenize.
	if !lcMentionsLocust(b) {
		return nil, false
	}
	s := strings.TrimSpace(string(b))
	for _, p := range []string{"$ ", "# ", "> ", "Command: ", "command: ", "Command line: ", "cmd: "} {
		if strings.HasPrefix(s, p) {
			s = strings.TrimSpace(s[len(p):])
			break
		}
	}
	if strings.HasPrefix(s, "PS ") {
		if i := strings.Index(s, "> "); i > 0 {
			s = strings.TrimSpace(s[i+2:])
		}
	}
	toks := lcTokens(s)
	if _, start := lcInvocation(toks); start != 0 || len(toks) < 2 {
		return nil, false
	}
	m := ParseLocustCommandLine(s)
	return m, m != nil
}

// lcMentionsLocust reports whether b holds "locust" in any case, as every
// word lcInvocation accepts does.
func lcMentionsLocust[T string | []byte](b T) bool {
	const w = "locust"
	for i := 0; i+len(w) <= len(b); i++ {
		j := 0
		for j < len(w) && b[i+j]|0x20 == w[j] {
			j++
		}
		if j == len(w) {
			return true
		}
	}
	return false
}

func (s *lcState) commandLine(l Line, cmd map[string]string) {
	e := &Event{Source: "locust_console", Line: l.N, Kind: KindCommandLine, Message: string(bytes.TrimSpace(l.Text)), Attrs: map[string]string{}}
	s.ev, s.table = e, ""
	s.lines.reset()
	s.commandLineAttrs(e, l, cmd)
}

func (s *lcState) commandLineAttrs(e *Event, l Line, cmd map[string]string) {
	e.Kind = KindCommandLine
	keys := make([]string, 0, len(cmd))
	for k := range cmd {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		e.Attrs[k] = cmd[k]
		s.meta = append(s.meta, MetaRow{Line: l.N, Key: k, Value: cmd[k]})
	}
	if v := cmd["html"]; v != "" && s.run == "" {
		base := path.Base(strings.ReplaceAll(v, `\`, "/"))
		s.run = strings.TrimSuffix(strings.TrimSuffix(base, ".html"), ".htm")
	}
}

// lcToken is a shell word and where it starts in the text.
type lcToken struct {
	text string
	at   int
}

// lcTokens splits a command line into words, honouring '...' and "..."
// quotes and backslash escapes outside single quotes.
func lcTokens(s string) []lcToken {
	var out []lcToken
	var cur strings.Builder
	in, start := false, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			} else {
				cur.WriteByte(ch)
			}
			continue
		case ch == '\'' || ch == '"':
			quote = ch
		case ch == ' ' || ch == '\t':
			if in {
				out = append(out, lcToken{cur.String(), start})
				cur.Reset()
				in = false
			}
			continue
		case ch == '\\' && i+1 < len(s) && (s[i+1] == ' ' || s[i+1] == '"' || s[i+1] == '\''):
			i++
			cur.WriteByte(s[i])
		default:
			cur.WriteByte(ch)
		}
		if !in {
			in, start = true, i
		}
	}
	if in {
		out = append(out, lcToken{cur.String(), start})
	}
	return out
}

// lcInvocation returns the index of the word "locust" ("/path/locust",
// "locust.exe", or "locust" after "python -m") and of the word the
// invocation starts with ("python" for "python -m locust"); -1 if none.
func lcInvocation(toks []lcToken) (locust, start int) {
	for i, t := range toks {
		base := strings.ToLower(path.Base(strings.ReplaceAll(t.text, `\`, "/")))
		if base == "locust" || base == "locust.exe" {
			start = i
			if i >= 2 && toks[i-1].text == "-m" && strings.HasPrefix(strings.ToLower(path.Base(strings.ReplaceAll(toks[i-2].text, `\`, "/"))), "py") {
				start = i - 2
			}
			return i, start
		}
	}
	return -1, -1
}

// lcShort maps Locust's one-letter options to their long names.
var lcShort = map[string]string{
	"-f": "locustfile", "-u": "users", "-r": "spawn_rate", "-t": "run_time", "-H": "host",
	"-T": "tags", "-E": "exclude_tags", "-L": "loglevel", "-i": "iterations", "-c": "users",
	"-P": "web_port", "-l": "list", "-V": "version",
}

// lcFlags are options that take no value.
var lcFlags = map[string]bool{
	"headless": true, "autostart": true, "autoquit": false, "csv_full_history": true, "only_summary": true,
	"print_stats": true, "reset_stats": true, "master": true, "worker": true, "list": true, "version": true,
	"class_picker": true, "json": true, "skip_log_setup": true, "no_web": true, "step_load": true,
	"enable_rebalancing": true, "show_task_ratio": true, "show_task_ratio_json": true,
	"list_commands": true, "legacy_ui": true, "modern_ui": true, "html_full_history": true,
}

// ParseLocustCommandLine reads a Locust command line, wherever it was found
// (the console log, a wrapper script's echo, a report), into its options.
// Keys are the long option names with dashes turned into underscores
// (users, spawn_rate, run_time, host, csv, html, locustfile, headless...),
// plus:
//   - command_line: the text from the Locust invocation on;
//   - run_time_s: --run-time in seconds ("1h30m" → 5400);
//   - tags / exclude_tags: every word after the option up to the next
//     option, joined by a space, and tags_json / exclude_tags_json the same
//     words as a JSON array: Locust takes space-separated tags, so
//     `--tags api,page` is one tag named "api,page";
//   - user_classes: positional words (user class names), space-joined.
//
// It returns nil when the text holds no Locust invocation.
func ParseLocustCommandLine(s string) map[string]string {
	toks := lcTokens(s)
	inv, start := lcInvocation(toks)
	if inv < 0 {
		return nil
	}
	m := map[string]string{"command_line": strings.TrimSpace(s[toks[start].at:])}
	args := toks[inv+1:]
	var positional []string
	for i := 0; i < len(args); i++ {
		a := args[i].text
		if len(a) < 2 || a[0] != '-' || a == "--" {
			positional = append(positional, a)
			continue
		}
		name, val, hasVal := a, "", false
		if strings.HasPrefix(a, "--") {
			name, val, hasVal = strings.Cut(a[2:], "=")
			name = strings.ReplaceAll(name, "-", "_")
		} else if long, ok := lcShort[a[:2]]; ok {
			name = long
			if len(a) > 2 {
				val, hasVal = strings.TrimPrefix(a[2:], "="), true
			}
		} else {
			name = strings.ReplaceAll(strings.TrimLeft(a, "-"), "-", "_")
		}
		switch name {
		case "hatch_rate":
			name = "spawn_rate"
		case "clients", "num_users":
			name = "users"
		}
		if name == "tags" || name == "exclude_tags" {
			var words []string
			if hasVal {
				words = append(words, val)
			}
			for i+1 < len(args) && !lcIsOption(args[i+1].text) {
				i++
				words = append(words, args[i].text)
			}
			m[name] = strings.Join(words, " ")
			if words == nil {
				words = []string{}
			}
			js, _ := json.Marshal(words)
			m[name+"_json"] = string(js)
			continue
		}
		if !hasVal {
			if lcFlags[name] {
				m[name] = "true"
				continue
			}
			if i+1 < len(args) && !lcIsOption(args[i+1].text) {
				i++
				val = args[i].text
			} else {
				m[name] = "true"
				continue
			}
		}
		m[name] = val
	}
	if len(positional) > 0 {
		m["user_classes"] = strings.Join(positional, " ")
	}
	if v, ok := m["run_time"]; ok {
		if secs, ok := lcTimespan(v); ok {
			m["run_time_s"] = strconv.FormatInt(secs, 10)
		}
	}
	return m
}

// lcIsOption reports an option word ("-u", "--tags"), not a negative number.
func lcIsOption(s string) bool {
	return len(s) >= 2 && s[0] == '-' && (s[1] < '0' || s[1] > '9') && s[1] != '.'
}

// lcTimespan reads Locust's time spans: "90", "90s", "2m", "1h30m", "1h 30m".
func lcTimespan(s string) (int64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if s == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, n >= 0
	}
	var total, cur int64
	digits := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= '0' && ch <= '9':
			cur = cur*10 + int64(ch-'0')
			digits = true
			if cur > 1<<40 {
				return 0, false
			}
		case digits && (ch == 'h' || ch == 'm' || ch == 's'):
			mult := map[byte]int64{'h': 3600, 'm': 60, 's': 1}[ch]
			total += cur * mult
			cur, digits = 0, false
		default:
			return 0, false
		}
	}
	if digits {
		return 0, false
	}
	return total, true
}

// lcLines are a record's lines: a log record's further lines, split at
// its first traceback header into its message's lines and its traceback,
// or all of a table's lines. Each part is a recordText, bounded as every
// record's text is (a console whose prints fold into one record for hours
// is held whole no more).
type lcLines struct {
	msg, tb   recordText
	nMsg, nTB int  // lines in each part (a blank line is one)
	inTB      bool // the traceback has started
}

func (l *lcLines) reset() {
	l.msg.reset()
	l.tb.reset()
	l.nMsg, l.nTB, l.inTB = 0, 0, false
}

// add adds line b; with splitTB (a log record's lines, not a table's) a
// traceback header starts the traceback part.
func (l *lcLines) add(b []byte, splitTB bool) {
	if splitTB && !l.inTB && bytes.HasPrefix(b, tbHeader) {
		l.inTB = true
	}
	if l.inTB {
		l.tb.add(int64(min(l.nTB, 1)), b)
		l.nTB++
	} else {
		l.msg.add(int64(min(l.nMsg, 1)), b)
		l.nMsg++
	}
}

func (l *lcLines) n() int { return l.nMsg + l.nTB }
