package parsers

import (
	"strings"

	"github.com/logcorr/logcorr/model/schema"
)

// authDebug reads auth_debug.log: the user's middleware logs, for every
// request to a path ending /accounts/login/, an auth_request line before the
// view and an auth_response line after it, plus auth_failure on errors:
//
//	2026-11-29 18:57:01,605 DEBUG auth_debug auth_response status=200 method=GET path=/accounts/login/ user=anon duration_ms=36.60 db_queries=n/a db_time_ms=n/a
//
// Each line is an event and an auth row with every key typed.
type authDebug struct{}

func init() { Register(authDebug{}) }

func (authDebug) Name() string { return "auth_debug" }

func (authDebug) Doc() Doc {
	return Doc{
		Summary:  "auth_debug.log: the login middleware's auth_request / auth_response / auth_failure key=value records",
		Sample:   "2026-11-29 18:57:01,605 DEBUG auth_debug auth_response status=200 method=GET path=/accounts/login/ user=anon duration_ms=36.60 db_queries=n/a db_time_ms=n/a",
		Extracts: []string{"events: time, level, logger, kind, status, method, path, user, duration_ms, other keys in attrs", "auth: every key typed (status int, duration_ms / db_time_ms float, csrf_* bool, db_queries int; n/a is null), unknown keys in attrs"},
		Notes:    "the older shape `auth_response status=%s path=%s user=%s` reads too (method and duration null); asctime is naive local time",
	}
}

func (authDebug) NameHint(base string) bool { return strings.HasPrefix(base, "auth_debug") }

// Sniff: auth lines are this format's own; a sample that also holds
// runserver request lines is runserver's console, where auth lines are
// mixed in.
func (f authDebug) Sniff(sample []Line) float64 { return f.sniffPy(pyClassify(sample)) }

func (authDebug) sniffPy(s pySniff) float64 {
	if s.n == 0 {
		return 0
	}
	score := float64(s.auth) / float64(s.n)
	if s.server+s.console > 0 {
		score *= 0.5
	}
	return score
}

func (f authDebug) Parse(c *Context) error {
	pyRecords(c, schema.SourceAuthDebug, true, func(p *pyPending, l Line) {
		switch {
		case p.active:
			p.add(l)
		case pyIsBlank(l.Text):
			c.Fold(1)
		default:
			c.Unparsed(l, "not an auth_debug record and no record above to fold into")
		}
	}, nil)
	return nil
}

// isAuthMessage reports whether msg is an auth_debug key=value message.
func isAuthMessage(msg []byte) bool {
	_, ok := authKindOf(msg)
	return ok
}

// authKindOf tells the event kind of an auth_debug message from its first
// word; ok is false for any other message.
func authKindOf(msg []byte) (schema.EventKind, bool) {
	w, _ := pyWord(msg)
	switch string(w) {
	case "auth_request":
		return schema.KindAuthRequest, true
	case "auth_response":
		return schema.KindAuthResponse, true
	case "auth_failure":
		return schema.KindAuthFailure, true
	}
	return schema.KindLog, false
}

// authEvent fills r from one record; for auth messages it types the keys
// into the row and, when withRow, adds the auth row (built in ar). The
// fields borrow the line's bytes. kvs is scratch space, returned for
// reuse.
func authEvent(c *Context, source schema.SourceKind, l Line, rec pyRecord, kvs []pyKV, r *evRow, ar *authRow, withRow bool) []pyKV {
	r.Source, r.Line, r.Level, r.Logger, r.Message, r.Kind = source, l.N, levelOf(rec.Level), rec.Logger, rec.Msg, schema.KindLog
	rowWall(c, r, rec.T)
	if rec.Process != nil {
		r.Attrs.setString("process", rec.Process)
		r.Attrs.setString("thread", rec.Thread)
	}
	kind, ok := authKindOf(rec.Msg)
	if !ok {
		return kvs
	}
	r.Kind = kind
	_, rest := pyWord(rec.Msg)
	kvs = pyParseKV(rest, kvs[:0])
	ar.reset()
	ar.Time, ar.HasTime, ar.Naive, ar.Line, ar.Level, ar.Kind = r.Time, r.HasTime, r.Naive, l.N, r.Level, kind
	for _, p := range kvs {
		k, v := bstring(p.Key), p.Val
		na := string(v) == "n/a"
		typed := true
		switch k {
		case "method":
			ar.Method, r.Method = v, v
		case "path":
			ar.Path, r.Path = v, v
		case "user":
			ar.User, r.User = v, v
		case "session":
			ar.Session = v
		case "ip":
			ar.IP = v
		case "csrf_cookie", "csrf_header", "form_csrf":
			dst := &ar.FormCSRF
			switch k {
			case "csrf_cookie":
				dst = &ar.CSRFCookie
			case "csrf_header":
				dst = &ar.CSRFHeader
			}
			if b, ok := pyBool(v); ok {
				*dst = optBool{b, true}
			} else if !na {
				typed = false
			}
		case "status", "db_queries":
			if n, ok := pyAtoi(v); ok {
				if k == "status" {
					ar.Status, ar.HasStatus = n, true
					r.Status, r.HasStatus = n, true
				} else {
					ar.DBQueries, ar.HasDBQueries = n, true
				}
			} else if !na {
				typed = false
			}
		case "duration_ms", "db_time_ms":
			if x, ok := pyAtof(v); ok {
				if k == "duration_ms" {
					ar.DurationMS, ar.HasDuration = x, true
					r.DurationMS, r.HasDuration = x, true
				} else {
					ar.DBTimeMS, ar.HasDBTime = x, true
				}
			} else if !na {
				typed = false
			}
		default:
			typed = false
		}
		// The event keeps as attrs every key it has no column for.
		evAttr := true
		switch k {
		case "method", "path", "user":
			evAttr = false
		case "status", "duration_ms":
			evAttr = !typed
		}
		if typed && !evAttr {
			continue
		}
		if !typed {
			ar.Attrs.set(p.Key, v)
		}
		if evAttr {
			r.Attrs.set(p.Key, v)
		}
	}
	if withRow {
		c.AuthRow(ar)
	}
	return kvs
}

// pyBool reads Python's str(bool), and the usual spellings of it.
func pyBool(b []byte) (bool, bool) {
	switch string(b) {
	case "True", "true", "1", "yes":
		return true, true
	case "False", "false", "0", "no":
		return false, true
	}
	return false, false
}
