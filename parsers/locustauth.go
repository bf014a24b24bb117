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
	open := newCopyWindow()
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
		// Drop copies that can no longer be matched; the events no open
		// copy can merge into are final.
		open.expire(t)
		first := c.nextEvent()
		if i, ok := open.first(); ok {
			first = min(first, i)
		}
		c.releaseBefore(first)
		idx, merged := open.take(string(msg), raw)
		if merged {
			ev := c.heldEvent(idx)
			ev.Duplicates++
			if !raw && ev.Level == "" {
				// The logger copy came second: its level and logger
				// are the news.
				ev.Level, ev.Logger = level, "locust.auth"
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
		open.add(&openCopy{idx: c.nextEvent() - 1, t: t, raw: raw, msg: ev.Message})
	}
	return nil
}

// copyWindow holds the events not yet merged with their other copy, in
// the order they were read: an event merges with the first open one of the
// same message and the other kind (logger line, raw line) read within
// mergeWindow of it.
//
// A locustfile that writes one copy only (or a storm of failures) leaves
// a second's worth of events open: thousands, which a list filtered and
// searched at every line made quadratic (160,000 failures in 10 s: 14.9
// s end to end, 1.7 s now). So the copies are also queued by (message, kind), and
// expire through two heaps by time, earliest and latest first: each copy
// is dropped once, whatever order the file's times come in (exact:
// TestCopyWindowMatchesList).
type copyWindow struct {
	q     []*openCopy // read order; taken ones leave from the front lazily
	head  int         // q[head:] are the ones not yet left
	early copyHeap    // by time, earliest first
	late  copyHeap    // by time, latest first
	byMsg map[copyKey][]*openCopy
	open  int // copies not taken
}

func newCopyWindow() *copyWindow {
	return &copyWindow{late: copyHeap{latest: true}, byMsg: map[copyKey][]*openCopy{}}
}

type openCopy struct {
	idx   int // the event's number (Context.nextEvent)
	t     time.Time
	raw   bool
	msg   string
	taken bool // merged, or dropped from the window
}

type copyKey struct {
	msg string
	raw bool
}

// expire drops the copies read more than mergeWindow away from t.
func (w *copyWindow) expire(t time.Time) {
	lo, hi := t.Add(-mergeWindow), t.Add(mergeWindow)
	w.dropFrom(&w.early, func(t time.Time) bool { return t.Before(lo) })
	w.dropFrom(&w.late, func(t time.Time) bool { return t.After(hi) })
	for w.head < len(w.q) && w.q[w.head].taken {
		w.head++
	}
	// A heap keeps the copies taken below its top (merged ones, and in
	// the latest-first heap every copy dropped as too old): rebuilt when
	// they outnumber the open ones, it stays the window's size.
	w.early.compact(w.open)
	w.late.compact(w.open)
	if w.head == len(w.q) {
		w.q, w.head = w.q[:0], 0
	} else if w.head > len(w.q)/2 && w.head > 64 {
		w.q, w.head = append(w.q[:0], w.q[w.head:]...), 0
	}
}

// dropFrom drops the copies at the top of h that are taken or past.
func (w *copyWindow) dropFrom(h *copyHeap, past func(time.Time) bool) {
	for len(h.c) > 0 && (h.c[0].taken || past(h.c[0].t)) {
		w.drop(h.c[0])
		h.pop()
	}
}

// copyHeap is a binary heap of copies by time: the earliest on top, or
// with latest the latest.
type copyHeap struct {
	c      []*openCopy
	latest bool
}

func (h *copyHeap) above(a, b *openCopy) bool {
	if h.latest {
		return a.t.After(b.t)
	}
	return a.t.Before(b.t)
}

// compact drops the taken copies when they are most of the heap.
func (h *copyHeap) compact(open int) {
	if len(h.c) <= 2*open+64 {
		return
	}
	k := 0
	for _, o := range h.c {
		if !o.taken {
			h.c[k] = o
			k++
		}
	}
	clear(h.c[k:])
	h.c = h.c[:k]
	for i := k/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h *copyHeap) push(o *openCopy) {
	h.c = append(h.c, o)
	for i := len(h.c) - 1; i > 0; {
		p := (i - 1) / 2
		if !h.above(h.c[i], h.c[p]) {
			break
		}
		h.c[i], h.c[p] = h.c[p], h.c[i]
		i = p
	}
}

func (h *copyHeap) pop() {
	n := len(h.c) - 1
	h.c[0] = h.c[n]
	h.c[n] = nil
	h.c = h.c[:n]
	h.down(0)
}

func (h *copyHeap) down(i int) {
	n := len(h.c)
	for {
		l, r, top := 2*i+1, 2*i+2, i
		if l < n && h.above(h.c[l], h.c[top]) {
			top = l
		}
		if r < n && h.above(h.c[r], h.c[top]) {
			top = r
		}
		if top == i {
			return
		}
		h.c[i], h.c[top] = h.c[top], h.c[i]
		i = top
	}
}

// drop marks o taken and trims its message's queue.
func (w *copyWindow) drop(o *openCopy) {
	w.settle(o)
	w.trim(copyKey{o.msg, o.raw})
}

// settle marks o taken.
func (w *copyWindow) settle(o *openCopy) {
	if !o.taken {
		o.taken = true
		w.open--
	}
}

// trim takes the taken copies off the front of k's queue, so that the
// queues hold what the window holds, not every message the file ever had.
func (w *copyWindow) trim(k copyKey) {
	l := w.byMsg[k]
	for len(l) > 0 && l[0].taken {
		l = l[1:]
	}
	if len(l) == 0 {
		delete(w.byMsg, k)
	} else {
		w.byMsg[k] = l
	}
}

// first is the number of the earliest open copy's event.
func (w *copyWindow) first() (int, bool) {
	if w.head == len(w.q) {
		return 0, false
	}
	return w.q[w.head].idx, true
}

// take marks taken the first open copy of msg of the other kind than raw
// and returns its event's number.
func (w *copyWindow) take(msg string, raw bool) (int, bool) {
	k := copyKey{msg, !raw}
	w.trim(k)
	l := w.byMsg[k]
	if len(l) == 0 {
		return 0, false
	}
	w.settle(l[0])
	w.trim(k)
	return l[0].idx, true
}

func (w *copyWindow) add(o *openCopy) {
	w.open++
	w.q = append(w.q, o)
	w.early.push(o)
	w.late.push(o)
	k := copyKey{o.msg, o.raw}
	w.byMsg[k] = append(w.byMsg[k], o)
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
