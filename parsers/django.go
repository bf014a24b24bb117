package parsers

import (
	"bytes"
	"strings"
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
		Extracts: []string{"time, level, logger, message", "kind server_error with path and status 500 for `Internal Server Error: /path`; kind forbidden with path and attrs.reason for `Forbidden (reason): /path`", "exc_type / exc_message / exc_frame of the final exception of the folded traceback chain; traceback text"},
		Notes:    "asctime is naive local time; multi-line messages before a traceback stay in message",
	}
}

func (django) NameHint(base string) bool { return strings.HasPrefix(base, "django_errors") }

// Sniff: django.* records are the format's own; traceback lines are
// django-ish (a django_errors.log is mostly tracebacks) but shared with
// runserver's stderr, so they weigh less; request lines never occur in
// django_errors.log.
func (django) Sniff(sample []Line) float64 {
	s := pyClassify(sample)
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
	pyRecords(c, f.Name(), false, func(p *pyPending, l Line) {
		switch {
		case p.newTraceback(l.Text):
			p.flush(c)
			p.start(Event{Source: f.Name(), Line: l.N, Kind: KindTraceback}, true)
			p.add(l)
		case p.active:
			p.add(l)
		case pyIsBlank(l.Text):
			c.Fold(1)
		case pyIsTracebackLine(l.Text, true):
			// A traceback whose record is not in the file (cut by
			// rotation): its own record, without a time.
			p.start(Event{Source: f.Name(), Line: l.N, Kind: KindTraceback}, true)
			p.add(l)
		default:
			c.Unparsed(l, "not a log record and no record above to fold into")
		}
	}, func(ev *Event, rec pyRecord) { djangoMessage(ev, rec.Msg) })
	return nil
}

var (
	msgServerError = []byte("Internal Server Error: ")
	msgForbidden   = []byte("Forbidden (")
)

// djangoMessage sets the kind and path of Django's request-failure
// messages: "Internal Server Error: /path" and "Forbidden (reason): /path".
func djangoMessage(ev *Event, msg []byte) {
	switch {
	case bytes.HasPrefix(msg, msgServerError):
		ev.Kind = KindServerError
		ev.Path = string(bytes.TrimSpace(msg[len(msgServerError):]))
		st := int64(500)
		ev.Status = &st
	case bytes.HasPrefix(msg, msgForbidden):
		i := bytes.LastIndex(msg, []byte("): "))
		if i < 0 {
			return
		}
		ev.Kind = KindForbidden
		ev.Path = string(bytes.TrimSpace(msg[i+3:]))
		if ev.Attrs == nil {
			ev.Attrs = map[string]string{}
		}
		ev.Attrs["reason"] = string(msg[len(msgForbidden):i])
	}
}
