package parsers

import (
	"bytes"
	"strings"
	"time"

	"github.com/logcorr/logcorr/model/schema"
)

// runserver reads the redirected stderr of `manage.py runserver`: request
// lines, console log records in the project's formatter (auth_debug lines
// included), bare tracebacks, the user's "Unhandled exception [ID]: msg"
// lines, and Django's autoreload banner.
type runserver struct{}

func init() { Register(runserver{}) }

func (runserver) Name() string { return "runserver" }

func (runserver) Doc() Doc {
	return Doc{
		Summary: "runserver stderr (runserver_8000.err.log): request lines, console log records, tracebacks, autoreload banner",
		Sample:  `[29/Nov/2026 18:57:27] "GET /dashboard/ HTTP/1.1" 500 145`,
		Extracts: []string{
			"kind request: method, path, attrs.protocol, status, size (null for '-'), from `[dd/Mon/yyyy HH:MM:SS] \"...\"` or `asctime LEVEL django.server \"...\"`",
			"console records: time, level, logger, message; auth_debug messages typed as in auth_debug (events only, no auth rows); server_error / forbidden kinds with path",
			"kind traceback for a bare traceback (no time); kind unhandled with attrs.id for `Unhandled exception [ID]: msg`, its traceback folded",
			"channels/daphne lines: kind request with method, path, status, duration_ms and attrs.client (`HTTP GET / 200 [0.01, client]`), WebSocket lines with attrs.websocket; `LEVEL [module] \"GET ...\" 404 2001` requests without a time",
			"kind banner for the autoreload lines (Watching for file changes..., Django version..., Starting development server at...)",
			"exc_type / exc_message / exc_frame / traceback of folded tracebacks",
		},
		Notes: "all times are naive local wall clocks; request lines have second resolution; UTF-16LE with BOM and CRLF (PowerShell redirection) is decoded",
		Variants: []Variant{
			{"Django's request line with server_time", "Django 1.10-5.2", `[11/Jul/2020 09:40:27] "GET /accounts/login/ HTTP/1.1" 200 1566`, "CleverProgrammer/youtube_django issue #4"},
			{"untimed request-failure line of the default console handler", "Django 1.x-5.x", "Not Found: /favicon.ico", "CleverProgrammer/youtube_django issue #4"},
			{"channels' runserver request line, [YYYY/MM/DD HH:MM:SS] HTTP METHOD path status [seconds, client]", "channels 0.x-1.x (daphne 0.x-1.x)",
				"[2016/04/12 17:54:57] HTTP GET /static/css/bootstrap.min.css 304 [0.05, 127.0.0.1:46579]", "django/channels issue #127"},
			{"channels 2+ / daphne 4 runserver lines without a time (HTTP ... and WebSocket ...)", "channels 2-4, daphne 2-4",
				"WebSocket HANDSHAKING /chat_ws [127.0.0.1:50071]", "Bearle/django_private_chat2 issue #35"},
			{"django.server through a formatter without a time: LEVEL [module] \"request\" status size", "Django 1.10+ with a \"simple\"-style formatter",
				`WARNING basehttp "GET /static/reports/summary_report_*.html HTTP/1.1" 404 2001`, "LeonYe612/WFGameAI wfgame-ai-server/reports_system_fix_guide.md"},
		},
	}
}

func (runserver) NameHint(base string) bool {
	return strings.HasPrefix(base, "runserver") || strings.HasSuffix(base, ".err.log")
}

// Sniff: request lines and the banner are runserver's alone; records and
// tracebacks it shares with django_errors.log and auth_debug.log count less,
// and much less when no request line is in sight.
func (f runserver) Sniff(sample []Line) float64 { return f.sniffPy(pyClassify(sample)) }

func (runserver) sniffPy(s pySniff) float64 {
	if s.n == 0 {
		return 0
	}
	score := (float64(s.server+s.console) + 0.6*float64(s.django+s.auth) + 0.5*float64(s.tb+s.other)) / float64(s.n)
	if s.server+s.console == 0 {
		score *= 0.6
	}
	return score
}

var (
	loggerServer   = []byte("django.server")
	loggerChannels = []byte("django.channels.server")
	loggerWarnings = []byte("py.warnings")
)

func (f runserver) Parse(c *Context) error {
	const src = schema.SourceRunserver
	var p pyPending
	var kvs []pyKV
	var r evRow
	var ar authRow
	// owns reports whether the pending record can take a traceback: log
	// records and tracebacks can, request and banner lines cannot.
	owns := func() bool { return p.active && p.ev.Kind != schema.KindRequest && p.ev.Kind != schema.KindBanner }
	for {
		l, ok := c.Next()
		if !ok {
			break
		}
		b := l.Text
		if isDashRule(b) {
			// socketserver frames the traceback of a dropped connection
			// with rules of dashes: separators, folded like blank lines.
			if p.active {
				p.blanks++
			} else {
				c.Fold(1)
			}
			continue
		}
		if rec, ok := parsePyRecord(b); ok {
			p.flush(c)
			r.reset()
			kvs = authEvent(c, src, l, rec, kvs, &r, &ar, false)
			if r.Kind == schema.KindLog {
				if q, ok := parseRequest(rec.Msg); ok {
					q.apply(&r)
				} else if !unhandledMessage(&r, rec.Msg) {
					djangoMessage(&r, rec.Msg)
				}
			}
			p.start(&r, b, false)
			continue
		}
		if t, rest, ok := parseServerTime(b); ok {
			p.flush(c)
			r.reset()
			r.Source, r.Line, r.Kind, r.Logger, r.Message = src, l.N, schema.KindLog, loggerServer, rest
			rowWall(c, &r, t)
			if q, ok := parseRequest(rest); ok {
				q.apply(&r)
			} else if q, ok := parseChannels(rest); ok {
				q.apply(&r)
			}
			p.start(&r, b, false)
			continue
		}
		if q, ok := parseChannels(b); ok {
			// channels' and daphne's runserver print their request lines
			// without a time.
			p.flush(c)
			r.reset()
			r.Source, r.Line, r.Kind, r.Logger, r.Message = src, l.N, schema.KindLog, loggerChannels, b
			q.apply(&r)
			p.start(&r, b, false)
			continue
		}
		if lv, q, ok := parseSimpleRequest(b); ok {
			// django.server through a formatter without a time:
			// `WARNING basehttp "GET /x HTTP/1.1" 404 2001`.
			p.flush(c)
			r.reset()
			r.Source, r.Line, r.Kind, r.Level, r.Message = src, l.N, schema.KindLog, levelOf(lv), b
			q.apply(&r)
			p.start(&r, b, false)
			continue
		}
		if kind := consoleKind(b); kind != "" {
			p.flush(c)
			r.reset()
			r.Source, r.Line, r.Kind, r.Message = src, l.N, kindOf(kind), b
			switch kind {
			case KindBanner:
				if t, ok := parseBannerDate(b); ok {
					rowWall(c, &r, t)
				}
			case KindUnhandled:
				unhandledMessage(&r, b)
			case consoleReason:
				djangoConsoleRecord(src, l, &r)
			case KindLog:
				if isWarningLine(b) {
					r.Level, r.Logger = schema.LevelWarning, loggerWarnings
				}
			}
			p.start(&r, b, kind == KindUnhandled)
			continue
		}
		switch {
		case p.active && p.ev.Kind == schema.KindBanner && !pyIsBlank(b) && !pyIsTracebackLine(b, false):
			// The system check's findings ("?: (staticfiles.W004) ...")
			// continue the banner line above them.
			p.add(l)
		case p.newTraceback(b):
			p.flush(c)
			p.startTraceback(src, l)
			p.add(l)
		case owns():
			p.add(l)
		case pyIsBlank(b):
			if p.active {
				p.add(l) // trailing blank: folded with the record above
			} else {
				c.Fold(1)
			}
		case pyIsTracebackLine(b, true):
			// A traceback printed on its own (no log record above it):
			// its record has no time; none is invented.
			p.flush(c)
			p.startTraceback(src, l)
			p.add(l)
		default:
			c.Unparsed(l, "not a runserver line: no request, log record, banner or traceback")
		}
	}
	p.flush(c)
	return nil
}

// request is a parsed `"METHOD /path HTTP/1.1" status size` message.
type request struct {
	method, path, proto []byte
	status              int64
	size                int64
	hasSize             bool
}

func (q request) apply(r *evRow) {
	r.Kind = schema.KindRequest
	r.Method, r.Path = q.method, q.path
	r.Status, r.HasStatus = q.status, true
	r.Size, r.HasSize = q.size, q.hasSize
	if len(q.proto) > 0 {
		r.Attrs.setString("protocol", q.proto)
	}
	if len(r.Logger) == 0 {
		r.Logger = loggerServer
	}
}

// parseRequest reads `"GET /path HTTP/1.1" 200 1272` (size may be '-').
func parseRequest(b []byte) (request, bool) {
	var r request
	if len(b) < 2 || b[0] != '"' {
		return r, false
	}
	q := bytes.LastIndex(b, []byte(`" `))
	if q < 1 {
		return r, false
	}
	inner, tail := b[1:q], b[q+2:]
	sp := bytes.IndexByte(inner, ' ')
	if sp <= 0 {
		return r, false
	}
	r.method = inner[:sp]
	target := inner[sp+1:]
	if ls := bytes.LastIndexByte(target, ' '); ls >= 0 && bytes.HasPrefix(target[ls+1:], []byte("HTTP/")) {
		r.proto = target[ls+1:]
		target = target[:ls]
	}
	r.path = target
	stB, szB := pyWord(tail)
	st, ok := pyAtoi(stB)
	if !ok || st < 100 || st > 999 {
		return r, false
	}
	r.status = st
	szB = bytes.TrimSpace(szB)
	if n, ok := pyAtoi(szB); ok {
		r.size, r.hasSize = n, true
	} else if len(szB) > 0 && string(szB) != "-" {
		return r, false
	}
	return r, true
}

// parseRequestLine recognises a whole `[dd/Mon/yyyy HH:MM:SS] "..."` line.
func parseRequestLine(b []byte) (request, bool) {
	_, rest, ok := parseServerTime(b)
	if !ok {
		return request{}, false
	}
	return parseRequest(rest)
}

// parseServerTime reads Django's server_time prefix "[29/Nov/2026
// 18:57:27] " (naive local time) and returns the rest of the line.
//
// Lines django.server logs without a request (Django's "- Broken pipe
// from ...") carry the formatter's asctime instead: "[2026-01-11
// 12:59:17,123] ".
func parseServerTime(b []byte) (time.Time, []byte, bool) {
	if len(b) > 21 && b[0] == '[' && b[5] == '/' && slashDateTimeAt(b, 1) {
		// channels 1.x: "[2016/04/12 17:54:57] HTTP GET /x 304 [0.05, ...]".
		dt := make([]byte, 0, 19)
		dt = append(append(append(append(dt, b[1:5]...), '-'), b[6:8]...), '-')
		dt = append(dt, b[9:20]...)
		t, n, ok := parseDateTime(dt)
		if !ok || n != 19 || b[20] != ']' {
			return time.Time{}, nil, false
		}
		rest := b[21:]
		if len(rest) > 0 && rest[0] == ' ' {
			rest = rest[1:]
		}
		return t, rest, true
	}
	if len(b) > 21 && b[0] == '[' && b[5] == '-' {
		t, n, ok := parseDateTime(b[1:])
		if !ok || 1+n >= len(b) || b[1+n] != ']' {
			return time.Time{}, nil, false
		}
		rest := b[2+n:]
		if len(rest) > 0 && rest[0] == ' ' {
			rest = rest[1:]
		}
		return t, rest, true
	}
	if len(b) < 22 || b[0] != '[' || b[3] != '/' || b[7] != '/' || b[12] != ' ' || b[15] != ':' || b[18] != ':' {
		return time.Time{}, nil, false
	}
	d, ok1 := num(b, 1, 2)
	mo, ok2 := monthAbbr[string(b[4:7])]
	y, ok3 := num(b, 8, 4)
	h, ok4 := num(b, 13, 2)
	mi, ok5 := num(b, 16, 2)
	s, ok6 := num(b, 19, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 {
		return time.Time{}, nil, false
	}
	i := 21
	nanos := 0
	if i < len(b) && (b[i] == ',' || b[i] == '.') {
		scale := 100000000
		for i++; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			nanos += int(b[i]-'0') * scale
			scale /= 10
		}
	}
	if i >= len(b) || b[i] != ']' {
		return time.Time{}, nil, false
	}
	rest := b[i+1:]
	if len(rest) > 0 && rest[0] == ' ' {
		rest = rest[1:]
	}
	return time.Date(y, mo, d, h, mi, s, nanos, time.UTC), rest, true
}

var bannerPrefixes = [][]byte{
	[]byte("Watching for file changes with "),
	[]byte("Performing system checks..."),
	[]byte("System check identified "),
	[]byte("Django version "),
	[]byte("Starting development server at "),
	[]byte("Starting ASGI/"),
	[]byte("Quit the server with "),
	[]byte("Run 'python manage.py migrate' to apply them."),
	[]byte("Error: That port is already in use."),
	[]byte("WARNING: This is a development server."), // Django 5
	[]byte("For more information on production servers see: "),
	[]byte("System check identified some issues:"),
	[]byte("WARNINGS:"),
	[]byte("ERRORS:"),
}

var unhandledPrefix = []byte("Unhandled exception [")

// consoleKind classifies the unprefixed lines runserver's console prints
// itself: the banner, the user's "Unhandled exception", Django's bare
// "Forbidden (...)", "Exception in thread ..." and Python warnings.
func consoleKind(b []byte) string {
	if len(b) == 0 || b[0] == ' ' || b[0] == '\t' {
		return ""
	}
	for _, p := range bannerPrefixes {
		if bytes.HasPrefix(b, p) {
			return KindBanner
		}
	}
	switch {
	case bytes.HasSuffix(b, []byte(" changed, reloading.")), bytes.HasPrefix(b, []byte("You have ")) && bytes.Contains(b, []byte(" unapplied migration")):
		return KindBanner
	case bytes.HasPrefix(b, unhandledPrefix) && bytes.Contains(b, []byte("]: ")):
		return KindUnhandled
	case b[0] >= 'A' && b[0] <= 'Z' && isDjangoReason(b):
		return consoleReason
	case bytes.HasPrefix(b, []byte("Exception in thread ")), bytes.HasPrefix(b, []byte("Exception occurred during processing of request from ")):
		return KindLog
	case isWarningLine(b):
		return KindLog
	}
	if _, ok := parseBannerDate(b); ok {
		return KindBanner
	}
	return ""
}

// consoleReason is consoleKind's answer for Django's untimed request-failure
// lines ("Not Found: /x"): djangoConsoleRecord types them.
const consoleReason = "django_reason"

func isDjangoReason(b []byte) bool {
	_, _, ok := djangoReason(b)
	return ok
}

// runserverConsoleLine reports lines only runserver's console prints.
// Django's untimed request-failure lines are not among them: a file handler
// without a formatter writes them too.
func runserverConsoleLine(b []byte) bool {
	k := consoleKind(b)
	return k == KindBanner || k == KindUnhandled
}

// isWarningLine recognises warnings.showwarning's "file.py:12: XWarning: msg".
func isWarningLine(b []byte) bool {
	i := bytes.Index(b, []byte(".py:"))
	if i <= 0 {
		return false
	}
	rest := b[i+4:]
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	if j == 0 || !bytes.HasPrefix(rest[j:], []byte(": ")) {
		return false
	}
	w, _ := pyWord(rest[j+2:])
	return bytes.HasSuffix(w, []byte("Warning:"))
}

// unhandledMessage reads the user's "Unhandled exception [ID]: msg".
func unhandledMessage(r *evRow, msg []byte) bool {
	if !bytes.HasPrefix(msg, unhandledPrefix) {
		return false
	}
	rest := msg[len(unhandledPrefix):]
	end := bytes.Index(rest, []byte("]: "))
	if end < 0 {
		return false
	}
	r.Kind = schema.KindUnhandled
	r.Attrs.setString("id", rest[:end])
	return true
}

var monthNames = map[string]time.Month{
	"January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6,
	"July": 7, "August": 8, "September": 9, "October": 10, "November": 11, "December": 12,
}

// parseBannerDate reads runserver's start line "January 11, 2026 - 12:59:17".
func parseBannerDate(b []byte) (time.Time, bool) {
	sp := bytes.IndexByte(b, ' ')
	if sp < 3 {
		return time.Time{}, false
	}
	mo, ok := monthNames[string(b[:sp])]
	if !ok {
		return time.Time{}, false
	}
	rest := b[sp+1:]
	comma := bytes.IndexByte(rest, ',')
	if comma < 1 || comma > 2 {
		return time.Time{}, false
	}
	d, ok := pyAtoi(rest[:comma])
	rest = rest[comma:]
	// ", 2026 - 12:59:17"
	if !ok || len(rest) != len(", 2026 - 12:59:17") || string(rest[:2]) != ", " || string(rest[6:9]) != " - " || rest[11] != ':' || rest[14] != ':' {
		return time.Time{}, false
	}
	y, ok1 := num(rest, 2, 4)
	h, ok2 := num(rest, 9, 2)
	mi, ok3 := num(rest, 12, 2)
	s, ok4 := num(rest, 15, 2)
	if !(ok1 && ok2 && ok3 && ok4) || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 {
		return time.Time{}, false
	}
	return time.Date(y, mo, int(d), h, mi, s, 0, time.UTC), true
}

// isDashRule reports a line of dashes only ("----------------------------------------").
func isDashRule(b []byte) bool {
	if len(b) < 10 {
		return false
	}
	for _, c := range b {
		if c != '-' {
			return false
		}
	}
	return true
}

// channelsReq is a request line of channels' or daphne's runserver:
// "HTTP GET /x 200 [0.01, 127.0.0.1:5000]" or "WebSocket CONNECT /ws/
// [127.0.0.1:5000]".
type channelsReq struct {
	method, path, client, ws []byte
	status                   int64
	seconds                  float64
	timed                    bool
}

// channelsLine reports a channels/daphne request line.
func channelsLine(b []byte) bool {
	_, ok := parseChannels(b)
	return ok
}

func parseChannels(b []byte) (channelsReq, bool) {
	var r channelsReq
	var rest []byte
	switch {
	case bytes.HasPrefix(b, []byte("HTTP ")):
		rest = b[len("HTTP "):]
		r.method, rest = pyWord(rest)
		if len(r.method) == 0 || r.method[0] < 'A' || r.method[0] > 'Z' {
			return r, false
		}
	case bytes.HasPrefix(b, []byte("WebSocket ")):
		rest = b[len("WebSocket "):]
		r.ws, rest = pyWord(rest)
		if len(r.ws) == 0 {
			return r, false
		}
	default:
		return r, false
	}
	r.path, rest = pyWord(rest)
	if len(r.path) == 0 || r.path[0] != '/' {
		return r, false
	}
	if r.ws == nil {
		var st []byte
		st, rest = pyWord(rest)
		n, ok := pyAtoi(st)
		if !ok || n < 100 || n > 999 {
			return r, false
		}
		r.status = n
	}
	if len(rest) < 3 || rest[0] != '[' || rest[len(rest)-1] != ']' {
		return r, false
	}
	inner := rest[1 : len(rest)-1]
	if r.ws == nil {
		c := bytes.Index(inner, []byte(", "))
		if c < 0 {
			return r, false
		}
		secs, ok := pyAtof(inner[:c])
		if !ok {
			return r, false
		}
		r.seconds, r.timed, inner = secs, true, inner[c+2:]
	}
	r.client = inner
	return r, true
}

func (q channelsReq) apply(r *evRow) {
	r.Attrs.setString("client", q.client)
	r.Path = q.path
	if q.ws != nil {
		r.Attrs.setString("websocket", q.ws)
		return
	}
	r.Kind = schema.KindRequest
	r.Method = q.method
	r.Status, r.HasStatus = q.status, true
	if q.timed {
		r.DurationMS, r.HasDuration = q.seconds*1000, true
	}
}

// parseSimpleRequest reads django.server's request line written by a
// formatter without a time: "LEVEL [module] \"GET /x HTTP/1.1\" 404 2001".
func parseSimpleRequest(b []byte) (string, request, bool) {
	lv, rest := pyWord(b)
	level := pyLevel(lv)
	if level == "" {
		return "", request{}, false
	}
	rest = bytes.TrimLeft(rest, " ")
	if len(rest) > 0 && rest[0] != '"' {
		_, rest = pyWord(rest)
	}
	r, ok := parseRequest(rest)
	return level, r, ok
}
