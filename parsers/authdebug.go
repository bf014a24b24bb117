package parsers

import "strings"

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
func (authDebug) Sniff(sample []Line) float64 {
	s := pyClassify(sample)
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
	pyRecords(c, f.Name(), true, func(p *pyPending, l Line) {
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

// authKind tells the event kind of an auth_debug message from its first
// word, or "".
func authKind(msg []byte) string {
	w, _ := pyWord(msg)
	switch string(w) {
	case "auth_request":
		return KindAuthRequest
	case "auth_response":
		return KindAuthResponse
	case "auth_failure":
		return KindAuthFailure
	}
	return ""
}

// authEvent turns one record into an event; for auth messages it types the
// keys into the event and, when withRow, adds the auth row. kvs is scratch
// space, returned for reuse.
func authEvent(c *Context, source string, l Line, rec pyRecord, kvs []pyKV, in *pyIntern, withRow bool) (Event, []pyKV) {
	ev := Event{Source: source, Line: l.N, Level: rec.Level, Logger: in.get(rec.Logger), Message: string(rec.Msg), Kind: KindLog}
	pySetWall(c, &ev, rec.T)
	if rec.Process != nil {
		ev.Attrs = map[string]string{"process": in.get(rec.Process), "thread": in.get(rec.Thread)}
	}
	kind := authKind(rec.Msg)
	if kind == "" {
		return ev, kvs
	}
	ev.Kind = kind
	_, rest := pyWord(rec.Msg)
	kvs = pyParseKV(rest, kvs[:0])
	row := AuthRow{Time: ev.Time, Naive: ev.Naive, Line: l.N, Level: rec.Level, Kind: kind}
	for _, p := range kvs {
		k, v := in.get(p.Key), p.Val
		na := string(v) == "n/a"
		typed := true
		switch k {
		case "method":
			row.Method = in.get(v)
			ev.Method = row.Method
		case "path":
			row.Path = in.get(v)
			ev.Path = row.Path
		case "user":
			row.User = in.get(v)
			ev.User = row.User
		case "session":
			row.Session = in.get(v)
		case "ip":
			row.IP = in.get(v)
		case "csrf_cookie", "csrf_header", "form_csrf":
			var dst **bool
			switch k {
			case "csrf_cookie":
				dst = &row.CSRFCookie
			case "csrf_header":
				dst = &row.CSRFHeader
			default:
				dst = &row.FormCSRF
			}
			if b, ok := pyBool(v); ok {
				*dst = &b
			} else if !na {
				typed = false
			}
		case "status", "db_queries":
			if n, ok := pyAtoi(v); ok {
				if k == "status" {
					row.Status, ev.Status = &n, &n
				} else {
					row.DBQueries = &n
				}
			} else if !na {
				typed = false
			}
		case "duration_ms", "db_time_ms":
			if x, ok := pyAtof(v); ok {
				if k == "duration_ms" {
					row.DurationMS, ev.DurationMS = &x, &x
				} else {
					row.DBTimeMS = &x
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
			// A typed value needs no text: interning it would fill the
			// table with durations and counts.
			continue
		}
		sv := in.get(v)
		if !typed {
			if row.Attrs == nil {
				row.Attrs = map[string]string{}
			}
			row.Attrs[k] = sv
		}
		if evAttr {
			if ev.Attrs == nil {
				ev.Attrs = make(map[string]string, 8)
			}
			ev.Attrs[k] = sv
		}
	}
	if withRow {
		c.Auth(row)
	}
	return ev, kvs
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
