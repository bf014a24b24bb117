package parsers

import (
	"bytes"
	"strings"
	"time"
)

// locustAuth reads locust_login_failures.log, written by the locustfile
// twice for every failure: through the logger "locust.auth" with
// "%(asctime)s %(levelname)s %(message)s", and as a raw
// "<datetime.now().isoformat()> <message>" append. The two copies of one
// failure become one event; the raw copy is counted as merged.
type locustAuth struct{}

func init() { Register(locustAuth{}) }

func (locustAuth) Name() string { return "locust_auth" }

func (locustAuth) Doc() Doc {
	return Doc{
		Summary:  "locust_login_failures.log: the locustfile's login failures (each written twice, in two timestamp formats) and user-pool messages",
		Sample:   "2026-11-29 18:57:27,364 ERROR login_server_error username=tester050 status=500 url=http://127.0.0.1:8000/accounts/login/ error=unknown",
		Extracts: []string{"kind login_failure: time, level, user, status, attrs.url, attrs.error, attrs.event (login_server_error, login_page_returned, login_redirect_back, login_unexpected_status), other keys in attrs; duplicates = raw copies merged", "kind pool_config: attrs for the user pool (mode, username, users_count, users, entry, user_class, weight)"},
		Notes:    "a raw isoformat line with the same message as a logger line within 1 s is the same failure and is merged into it; passwords from TEST_USER_POOL are never stored",
	}
}

func (locustAuth) NameHint(base string) bool { return strings.HasPrefix(base, "locust_login_failures") }

// Sniff: "asctime LEVEL message" lines with one of the locustfile's
// messages, and raw isoformat lines, occur in no other format.
func (f locustAuth) Sniff(sample []Line) float64 { return f.sniffPy(pyClassify(sample)) }

func (locustAuth) sniffPy(s pySniff) float64 {
	if s.n == 0 {
		return 0
	}
	return float64(s.locust+s.raw) / float64(s.n)
}

// locustFailureNames are the locustfile's login-failure messages.
var locustFailureNames = []string{"login_server_error", "login_page_returned", "login_redirect_back", "login_unexpected_status"}

// locustAuthHead returns the first word of a locustfile message it knows,
// or "".
func locustAuthHead(msg []byte) string {
	w, _ := pyWord(msg)
	for _, n := range locustFailureNames {
		if string(w) == n {
			return n
		}
	}
	switch {
	case string(w) == "single_user_pool", string(w) == "Multi-user" && bytes.HasPrefix(msg, []byte("Multi-user pool configured:")):
		return string(w)
	case bytes.HasPrefix(msg, []byte("TEST_USER_POOL")):
		return "TEST_USER_POOL"
	case bytes.HasPrefix(msg, []byte("Export tags excluded")):
		return "Export"
	}
	return ""
}

// locustRaw reads "2026-11-29T18:57:27.365192 message" (isoformat, no zone).
func locustRaw(b []byte) (time.Time, []byte, bool) {
	if len(b) < 20 || b[10] != 'T' {
		return time.Time{}, nil, false
	}
	t, n, ok := parseDateTime(b)
	if !ok || n >= len(b) || b[n] != ' ' {
		return time.Time{}, nil, false
	}
	return t, b[n+1:], true
}

func locustRawLine(b []byte) bool {
	_, msg, ok := locustRaw(b)
	return ok && len(msg) > 0 && msg[0] != ' '
}

// mergeWindow is how far apart the two copies of one failure may be: the
// raw append follows the logger call immediately.
const mergeWindow = time.Second

func (f locustAuth) Parse(c *Context) error {
	// open holds events not yet merged with their other copy, by message.
	type openEv struct {
		idx   int
		t     time.Time
		raw   bool
		msg   string
		taken bool
	}
	var open []openEv
	var kvs []pyKV
	for {
		l, ok := c.Next()
		if !ok {
			break
		}
		b := l.Text
		var t time.Time
		var level string
		var msg []byte
		raw := false
		if tt, lv, rest, ok := pyHead(b); ok {
			t, level, msg = tt, lv, rest
		} else if tt, rest, ok := locustRaw(b); ok {
			t, msg, raw = tt, rest, true
		} else if pyIsBlank(b) {
			c.Fold(1)
			continue
		} else {
			// The example kept in the audit must not carry a password either.
			c.Unparsed(Line{N: l.N, Text: sanitizePool(b), Cut: l.Cut}, "not a locust.auth line: no asctime+level or isoformat timestamp")
			continue
		}
		msg = sanitizePool(msg)
		// Drop copies that can no longer be matched.
		k := 0
		for _, o := range open {
			if !o.taken && absDur(t.Sub(o.t)) <= mergeWindow {
				open[k] = o
				k++
			}
		}
		open = open[:k]
		// The events no open copy can merge into are final.
		first := c.nextEvent()
		for _, o := range open {
			first = min(first, o.idx)
		}
		c.releaseBefore(first)
		merged := false
		for i := range open {
			o := &open[i]
			if o.raw != raw && o.msg == string(msg) {
				ev := c.heldEvent(o.idx)
				ev.Duplicates++
				if !raw && ev.Level == "" {
					// The logger copy came second: its level and logger
					// are the news.
					ev.Level, ev.Logger = level, "locust.auth"
				}
				o.taken = true
				merged = true
				break
			}
		}
		if merged {
			c.Merged(1)
			c.Fold(1)
			continue
		}
		ev := Event{Source: f.Name(), Line: l.N, Level: level, Message: string(msg), Kind: KindLog}
		pySetWall(c, &ev, t)
		if !raw {
			ev.Logger = "locust.auth"
		}
		kvs = locustMessage(&ev, msg, kvs)
		c.Event(ev)
		open = append(open, openEv{idx: c.nextEvent() - 1, t: t, raw: raw, msg: ev.Message})
	}
	return nil
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// locustMessage sets kind, user, status and attrs from a locustfile message.
func locustMessage(ev *Event, msg []byte, kvs []pyKV) []pyKV {
	head := locustAuthHead(msg)
	setAttr := func(k, v string) {
		if ev.Attrs == nil {
			ev.Attrs = map[string]string{}
		}
		ev.Attrs[k] = v
	}
	switch head {
	case "":
		return kvs
	case "login_server_error", "login_page_returned", "login_redirect_back", "login_unexpected_status":
		ev.Kind = KindLoginFailure
		setAttr("event", head)
		_, rest := pyWord(msg)
		kvs = pyParseKV(rest, kvs[:0], "error")
		for _, p := range kvs {
			switch string(p.Key) {
			case "username":
				ev.User = string(p.Val)
			case "status":
				if n, ok := pyAtoi(p.Val); ok {
					ev.Status = &n
					continue
				}
				setAttr("status", string(p.Val))
			default:
				setAttr(string(p.Key), string(p.Val))
			}
		}
	case "single_user_pool":
		ev.Kind = KindPoolConfig
		setAttr("mode", "single")
		_, rest := pyWord(msg)
		kvs = pyParseKV(rest, kvs[:0])
		for _, p := range kvs {
			if string(p.Key) == "username" {
				ev.User = string(p.Val)
				setAttr("username", string(p.Val))
			}
		}
	case "Multi-user":
		ev.Kind = KindPoolConfig
		setAttr("mode", "multi")
		rest := bytes.TrimSpace(msg[len("Multi-user pool configured:"):])
		n, names := pyWord(rest)
		if _, ok := pyAtoi(n); ok {
			setAttr("users_count", string(n))
		}
		if i, j := bytes.IndexByte(names, '('), bytes.LastIndexByte(names, ')'); i >= 0 && j > i {
			setAttr("users", string(names[i+1:j]))
		}
	case "TEST_USER_POOL":
		ev.Kind = KindPoolConfig
		if i := bytes.Index(msg, []byte(": '")); i >= 0 {
			if j := bytes.IndexByte(msg[i+3:], '\''); j >= 0 {
				setAttr("entry", string(msg[i+3:i+3+j]))
			}
		}
		if bytes.Contains(msg, []byte("skipped")) {
			setAttr("skipped", "true")
		}
	case "Export":
		ev.Kind = KindPoolConfig
		if w, _ := pyWord(bytes.TrimPrefix(msg, []byte("Export tags excluded - "))); len(w) > 0 {
			setAttr("user_class", string(w))
		}
		if i := bytes.Index(msg, []byte("weight=")); i >= 0 {
			v := msg[i+len("weight="):]
			j := 0
			for j < len(v) && v[j] >= '0' && v[j] <= '9' {
				j++
			}
			setAttr("weight", string(v[:j]))
		}
	}
	return kvs
}

// sanitizePool removes passwords: TEST_USER_POOL is "user:password,...",
// and a message that quotes it (or one entry of it) keeps the user names
// only. Messages without TEST_USER_POOL are returned unchanged.
func sanitizePool(msg []byte) []byte {
	i := bytes.Index(msg, []byte("TEST_USER_POOL"))
	if i < 0 {
		return msg
	}
	out := make([]byte, 0, len(msg))
	out = append(out, msg[:i]...)
	rest := msg[i:]
	// Within the rest, any token of the form user:secret (entries split by
	// ',' ' ' quotes or '=') loses its ':secret'. The fixed wording
	// "(missing ':password')" and "username:password" is kept.
	for len(rest) > 0 {
		j := 0
		for j < len(rest) && !poolSep(rest[j]) {
			j++
		}
		tok := rest[:j]
		if c := bytes.IndexByte(tok, ':'); c >= 0 && c < len(tok)-1 && string(tok) != "username:password" && string(tok) != ":password" {
			if c == 0 {
				tok = nil
			} else {
				tok = tok[:c]
			}
		}
		out = append(out, tok...)
		if j < len(rest) {
			out = append(out, rest[j])
			j++
		}
		rest = rest[j:]
	}
	return out
}

func poolSep(c byte) bool {
	return c == ',' || c == ' ' || c == '\'' || c == '"' || c == '=' || c == '(' || c == ')'
}
