package parsers

import (
	"bytes"
	"strings"

	"github.com/logcorr/logcorr/model/schema"
)

// django reads django_errors.log: records of the django.request and
// django.security loggers in the "%(asctime)s %(levelname)s %(name)s
// %(message)s" format, each followed by the traceback of the exception that
// caused it (folded into the record).
type django struct{}

func init() { Register(django{}) }

func (django) Name() string { return "django" }

func (django) Doc() Doc {
	return Doc{
		Summary:  "django_errors.log: Django logger records (django.request, django.security) with their tracebacks folded in",
		Sample:   "2026-01-11 19:51:06,134 ERROR django.request Internal Server Error: /dashboard/",
		Extracts: []string{"time, level, logger, message", "kind server_error with path and status (5xx) for `Internal Server Error: /path`; kind forbidden with path and attrs.reason for `Forbidden (reason): /path`; kind client_error with path and status for other 4xx (`Not Found: /path`)", "exc_type / exc_message / exc_frame of the final exception of the folded traceback chain; traceback text"},
		Notes:    "asctime is naive local time; multi-line messages before a traceback stay in message",
		Variants: []Variant{
			{"%(asctime)s %(levelname)s %(name)s %(message)s", "the user's LOGGING; Django 3.2-5.2", "2026-11-29 18:57:27,305 ERROR django.request Internal Server Error: /dashboard/", "corpus/stack (Debian's Django 3.2)"},
			{"Django's \"verbose\" formatter, level first: levelname asctime module [process thread] message", "Django 1.5+ (the documented LOGGING example)",
				"WARNING 2013-02-23 12:46:01,605 forms 22360 -1250423952 User 'support3' attempted to register with company 'KL Insight 2' but it already exists", "django/django pull request #787"},
			{"default handler, no formatter: untimed \"Reason: /path\" before its traceback (no time is invented)", "Django 1.x-5.x",
				"Internal Server Error: /", "sclorg/django-ex issue #71"},
		},
	}
}

func (django) NameHint(base string) bool { return strings.HasPrefix(base, "django_errors") }

// Sniff: django.* records are the format's own; traceback lines are
// django-ish (a django_errors.log is mostly tracebacks) but shared with
// runserver's stderr, so they weigh less; request lines never occur in
// django_errors.log.
func (f django) Sniff(sample []Line) float64 { return f.sniffPy(pyClassify(sample)) }

func (django) sniffPy(s pySniff) float64 {
	if s.n == 0 || s.django+s.tb+s.other == 0 {
		return 0
	}
	score := (float64(s.django) + 0.7*float64(s.tb) + 0.4*float64(s.other) + 0.2*float64(s.auth)) / float64(s.n)
	if s.django == 0 {
		score *= 0.7
	}
	if s.server+s.console > 0 {
		score *= 0.5
	}
	return score
}

func (f django) Parse(c *Context) error {
	var r evRow
	pyRecords(c, schema.SourceDjango, false, func(p *pyPending, l Line) {
		if djangoConsoleRecord(schema.SourceDjango, l, &r) {
			// Django's default handler writes no time:
			// "Internal Server Error: /x" and its traceback.
			p.flush(c)
			p.start(&r, l.Text, false)
			return
		}
		switch {
		case p.newTraceback(l.Text):
			p.flush(c)
			p.startTraceback(schema.SourceDjango, l)
			p.add(l)
		case p.active:
			p.add(l)
		case pyIsBlank(l.Text):
			c.Fold(1)
		case pyIsTracebackLine(l.Text, true):
			// A traceback whose record is not in the file (cut by
			// rotation): its own record, without a time.
			p.startTraceback(schema.SourceDjango, l)
			p.add(l)
		default:
			c.Unparsed(l, "not a log record and no record above to fold into")
		}
	}, func(r *evRow, rec pyRecord) { djangoMessage(r, rec.Msg) })
	return nil
}

// djangoReasons are the reason phrases Django's request logging writes
// before the path ("Not Found: /x", "Internal Server Error: /x"); some
// views add a detail in parentheses ("Forbidden (CSRF token missing.): /x",
// "Method Not Allowed (GET): /x").
var djangoReasons = [...]struct {
	phrase string
	status int64
}{
	{"Bad Request", 400}, {"Unauthorized", 401}, {"Payment Required", 402}, {"Forbidden", 403},
	{"Not Found", 404}, {"Method Not Allowed", 405}, {"Not Acceptable", 406}, {"Request Timeout", 408},
	{"Conflict", 409}, {"Gone", 410}, {"Precondition Failed", 412}, {"Request Entity Too Large", 413},
	{"Unsupported Media Type", 415}, {"Unprocessable Entity", 422}, {"Unprocessable Content", 422},
	{"Too Many Requests", 429}, {"Internal Server Error", 500}, {"Not Implemented", 501},
	{"Bad Gateway", 502}, {"Service Unavailable", 503}, {"Gateway Timeout", 504},
}

// djangoReasonMsg is a parsed "Reason[ (detail)]: /path" message.
type djangoReasonMsg struct {
	status       int64
	detail, path []byte
}

// djangoReason reads Django's "Reason Phrase: /path" or "Reason Phrase
// (detail): /path" message. The path must be absolute, so that prose that
// happens to start with "Conflict: " is not taken for a request.
func djangoReason(msg []byte) (djangoReasonMsg, int, bool) {
	for i := range djangoReasons {
		r := &djangoReasons[i]
		if len(msg) <= len(r.phrase)+2 || msg[0] != r.phrase[0] || !bytes.HasPrefix(msg, []byte(r.phrase)) {
			continue
		}
		rest := msg[len(r.phrase):]
		var detail []byte
		switch {
		case rest[0] == ':' && rest[1] == ' ':
			rest = rest[2:]
		case rest[0] == ' ' && rest[1] == '(':
			end := bytes.LastIndex(rest, []byte("): "))
			if end < 0 {
				continue
			}
			detail, rest = rest[2:end], rest[end+3:]
		default:
			continue
		}
		path := bytes.TrimSpace(rest)
		if len(path) == 0 || path[0] != '/' {
			continue
		}
		return djangoReasonMsg{status: r.status, detail: detail, path: path}, i, true
	}
	return djangoReasonMsg{}, 0, false
}

// djangoMessage types Django's request-failure messages: 5xx as
// server_error, "Forbidden (reason)" as forbidden with attrs.reason, other
// 4xx as client_error; path and status are set.
func djangoMessage(r *evRow, msg []byte) {
	m, _, ok := djangoReason(msg)
	if !ok {
		return
	}
	r.Status, r.HasStatus = m.status, true
	r.Path = m.path
	switch {
	case m.status >= 500:
		r.Kind = schema.KindServerError
	case m.status == 403 && m.detail != nil:
		r.Kind = schema.KindForbidden
		r.Attrs.setString("reason", m.detail)
	default:
		r.Kind = schema.KindClientError
		if m.detail != nil {
			r.Attrs.setString("detail", m.detail)
		}
	}
}

var (
	loggerRequest = []byte("django.request")
	loggerCSRF    = []byte("django.security.csrf")
)

// djangoConsoleRecord reads into r a request-failure line Django's default
// console handler writes without any prefix ("Not Found: /favicon.ico",
// "Internal Server Error: /" with the traceback under it): a record of its
// own, without a time (none is invented), level and logger as Django logs
// them.
func djangoConsoleRecord(source schema.SourceKind, l Line, r *evRow) bool {
	if _, _, ok := djangoReason(l.Text); !ok {
		return false
	}
	r.reset()
	r.Source, r.Line, r.Kind, r.Logger, r.Message = source, l.N, schema.KindLog, loggerRequest, l.Text
	djangoMessage(r, l.Text)
	if r.Kind == schema.KindForbidden && bytes.Contains(r.Attrs.get("reason"), []byte("CSRF")) {
		r.Logger = loggerCSRF
	}
	r.Level = schema.LevelWarning
	if r.Status >= 500 {
		r.Level = schema.LevelError
	}
	return true
}
