package parsers

import (
	"fmt"
	"maps"
	"math/rand"
	"strings"
	"testing"
	"time"
)

func TestLocustAuth(t *testing.T) {
	type want struct {
		line       int64
		kind, user string
		level      string
		status     int64 // 0: null
		attrs      map[string]string
		dups       int64
	}
	tests := []struct {
		name     string
		text     string
		events   []want
		merged   int64
		unparsed int64
	}{
		{
			name: "logger and raw copies merge",
			text: "2026-11-29 18:57:27,364 ERROR login_server_error username=tester050 status=500 url=http://127.0.0.1:8000/accounts/login/ error=unknown\n" +
				"2026-11-29T18:57:27.365192 login_server_error username=tester050 status=500 url=http://127.0.0.1:8000/accounts/login/ error=unknown\n",
			events: []want{{1, KindLoginFailure, "tester050", "ERROR", 500, map[string]string{"event": "login_server_error", "url": "http://127.0.0.1:8000/accounts/login/", "error": "unknown"}, 1}},
			merged: 1,
		},
		{
			name: "same user twice within a second: each logger line takes one raw copy",
			text: "2026-11-29 18:58:11,357 ERROR login_server_error username=u1 status=500 url=U error=unknown\n" +
				"2026-11-29T18:58:11.357243 login_server_error username=u1 status=500 url=U error=unknown\n" +
				"2026-11-29 18:58:11,900 ERROR login_server_error username=u1 status=500 url=U error=unknown\n" +
				"2026-11-29T18:58:11.900100 login_server_error username=u1 status=500 url=U error=unknown\n",
			events: []want{
				{1, KindLoginFailure, "u1", "ERROR", 500, map[string]string{"event": "login_server_error", "url": "U", "error": "unknown"}, 1},
				{3, KindLoginFailure, "u1", "ERROR", 500, map[string]string{"event": "login_server_error", "url": "U", "error": "unknown"}, 1},
			},
			merged: 2,
		},
		{
			name: "raw copy more than a second away stays an event",
			text: "2026-11-29 18:58:11,357 ERROR login_unexpected_status username=u1 status=403 url=U\n" +
				"2026-11-29T18:58:13.000000 login_unexpected_status username=u1 status=403 url=U\n",
			events: []want{
				{1, KindLoginFailure, "u1", "ERROR", 403, map[string]string{"event": "login_unexpected_status", "url": "U"}, 0},
				{2, KindLoginFailure, "u1", "", 403, map[string]string{"event": "login_unexpected_status", "url": "U"}, 0},
			},
		},
		{
			name: "error text with spaces (user's locale) and raw copy first",
			text: "2026-01-11T11:43:02.100000 login_page_returned username=tester7 url=http://h/accounts/login/ error=Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti.\n" +
				"2026-01-11 11:43:02,101 ERROR login_page_returned username=tester7 url=http://h/accounts/login/ error=Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti.\n",
			events: []want{{1, KindLoginFailure, "tester7", "ERROR", 0, map[string]string{"event": "login_page_returned", "url": "http://h/accounts/login/", "error": "Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti."}, 1}},
			merged: 1,
		},
		{
			name:   "redirect back",
			text:   "2026-01-11 11:43:02,101 ERROR login_redirect_back username=a url=http://h/accounts/login/ location=/accounts/login/?next=/\n",
			events: []want{{1, KindLoginFailure, "a", "ERROR", 0, map[string]string{"event": "login_redirect_back", "url": "http://h/accounts/login/", "location": "/accounts/login/?next=/"}, 0}},
		},
		{
			name: "pool messages",
			text: "2026-11-29 18:57:01,558 INFO Multi-user pool configured: 60 users (tester001, tester002, ...)\n" +
				"2026-11-29 18:57:01,558 INFO single_user_pool active username=loadtest (set TEST_USER_POOL to test multi-user)\n" +
				"2026-11-29 18:57:01,557 WARNING TEST_USER_POOL invalid entry (missing ':password'): 'bob' - skipped (format: username:password)\n" +
				"2026-11-29 18:57:01,559 INFO Export tags excluded - HeavyUser will be auto-disabled (weight=0)\n",
			events: []want{
				{1, KindPoolConfig, "", "INFO", 0, map[string]string{"mode": "multi", "users_count": "60", "users": "tester001, tester002, ..."}, 0},
				{2, KindPoolConfig, "loadtest", "INFO", 0, map[string]string{"mode": "single", "username": "loadtest"}, 0},
				{3, KindPoolConfig, "", "WARNING", 0, map[string]string{"entry": "bob", "skipped": "true"}, 0},
				{4, KindPoolConfig, "", "INFO", 0, map[string]string{"user_class": "HeavyUser", "weight": "0"}, 0},
			},
		},
		{
			name:     "blank lines fold, junk is unparsed",
			text:     "\n2026-11-29 18:57:01,558 INFO something else\nnot a log line\n",
			events:   []want{{2, KindLog, "", "INFO", 0, nil, 0}},
			unparsed: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseText(t, "locust_login_failures.log", tt.text, Options{Format: "locust_auth"})
			if len(res.Events) != len(tt.events) {
				t.Fatalf("%d events, want %d: %+v", len(res.Events), len(tt.events), res.Events)
			}
			for i, w := range tt.events {
				e := res.Events[i]
				st := int64(0)
				if e.Status != nil {
					st = *e.Status
				}
				if e.Line != w.line || e.Kind != w.kind || e.User != w.user || e.Level != w.level || st != w.status || !maps.Equal(e.Attrs, w.attrs) || e.Duplicates != w.dups || e.Time.IsZero() {
					t.Errorf("event %d:\n got  line %d kind %q user %q level %q status %d attrs %v dups %d\n want %+v", i, e.Line, e.Kind, e.User, e.Level, st, e.Attrs, e.Duplicates, w)
				}
			}
			if a := res.Audit; a.Merged != tt.merged || a.Unparsed != tt.unparsed {
				t.Errorf("merged %d unparsed %d, want %d %d", a.Merged, a.Unparsed, tt.merged, tt.unparsed)
			}
		})
	}
}

// TestLocustAuthNoPasswords: a TEST_USER_POOL value that leaks into the log
// keeps only user names, in events and in the audit's examples.
func TestLocustAuthNoPasswords(t *testing.T) {
	text := "2026-11-29 18:57:01,557 WARNING TEST_USER_POOL=alice:s3cret-A,bob:hunter2 rejected\n" +
		"TEST_USER_POOL=carol:pa55word\n" +
		"2026-11-29 18:57:01,557 WARNING TEST_USER_POOL invalid entry (missing ':password'): 'dave:xyzzy' - skipped (format: username:password)\n"
	res := parseText(t, "locust_login_failures.log", text, Options{Format: "locust_auth"})
	var all strings.Builder
	for _, e := range res.Events {
		all.WriteString(e.Message)
		for k, v := range e.Attrs {
			all.WriteString(k + "=" + v)
		}
	}
	for _, ex := range res.Audit.UnparsedExamples {
		all.WriteString(ex.Text)
	}
	for _, secret := range []string{"s3cret-A", "hunter2", "pa55word", "xyzzy"} {
		if strings.Contains(all.String(), secret) {
			t.Errorf("password %q stored: %s", secret, all.String())
		}
	}
	for _, user := range []string{"alice", "bob", "carol", "dave"} {
		if !strings.Contains(all.String(), user) {
			t.Errorf("user %q lost: %s", user, all.String())
		}
	}
}

// TestLocustAuthCorpus checks the real file against the answer key: every
// failure written twice is one event with one merged duplicate.
func TestLocustAuthCorpus(t *testing.T) {
	for _, f := range pyCorpus(t, "locust_login_failures.log") {
		truth := pyTruth(t, f)
		la := truth["counts"].(map[string]any)["locust_login_failures_log"].(map[string]any)
		res := pyCorpusParse(t, f, truth, "locust_auth", "locust_login_failures_log")
		byLevelKind := map[string]int64{}
		for _, e := range res.Events {
			w, _, _ := strings.Cut(e.Message, " ")
			byLevelKind[e.Level+" "+w]++
		}
		for k, v := range la["logger_format_lines_by_level_kind"].(map[string]any) {
			if byLevelKind[k] != int64(v.(float64)) {
				t.Errorf("%s: %q: %d events, truth %v", f, k, byLevelKind[k], v)
			}
		}
		var raw int64
		for _, v := range la["raw_isoformat_lines_by_kind"].(map[string]any) {
			raw += int64(v.(float64))
		}
		if a := res.Audit; a.Merged != raw {
			t.Errorf("%s: %d merged, truth has %d raw copies", f, a.Merged, raw)
		}
	}
}

func FuzzLocustAuth(f *testing.F) {
	f.Add([]byte("2026-11-29 18:57:27,364 ERROR login_server_error username=tester050 status=500 url=http://127.0.0.1:8000/accounts/login/ error=unknown\n2026-11-29T18:57:27.365192 login_server_error username=tester050 status=500 url=http://127.0.0.1:8000/accounts/login/ error=unknown\n"))
	f.Add([]byte("2026-11-29 18:57:01,558 INFO Multi-user pool configured: 60 users (tester001, ...)\n2026-11-29 18:57:01,557 WARNING TEST_USER_POOL invalid entry (missing ':password'): 'x' - skipped (format: username:password)\n"))
	f.Add([]byte("2026-11-29 18:57:01,559 INFO Export tags excluded - HeavyUser will be auto-disabled (weight=0)\r\n2026-11-29T18:57:01 single_user_pool active username=\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := pyFuzz(t, data, "locust_auth")
		var dups int64
		for _, e := range res.Events {
			dups += e.Duplicates
		}
		if dups != res.Audit.Merged {
			t.Fatalf("%d duplicates on events, %d merged", dups, res.Audit.Merged)
		}
	})
}

func BenchmarkLocustAuth(b *testing.B) {
	pyBench(b, "pool_exhaustion/logs/locust_login_failures.log", "locust_auth")
}

// listWindow is the open-copies list copyWindow replaces, kept as its
// reference: filtered at every line, searched in read order.
type listWindow []*openCopy

func (l *listWindow) expire(t time.Time) {
	k := 0
	for _, o := range *l {
		if !o.taken && absDur(t.Sub(o.t)) <= mergeWindow {
			(*l)[k] = o
			k++
		}
	}
	*l = (*l)[:k]
}

func (l listWindow) first() (int, bool) {
	if len(l) == 0 {
		return 0, false
	}
	m := l[0].idx
	for _, o := range l {
		m = min(m, o.idx)
	}
	return m, true
}

func (l listWindow) take(msg string, raw bool) (int, bool) {
	for _, o := range l {
		if o.raw != raw && o.msg == msg {
			o.taken = true
			return o.idx, true
		}
	}
	return 0, false
}

// TestCopyWindowMatchesList: on random lines (few messages, both kinds,
// steps of 0-400 ms, now and then a step back in time or a jump) the
// window merges and releases as the list did, line after line.
func TestCopyWindowMatchesList(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	base := time.Date(2026, 11, 29, 18, 57, 27, 0, time.UTC)
	lines := 0
	for trial := range 400 {
		w := newCopyWindow()
		var l listWindow
		at, idx := base, 0
		users := 4 // few messages: most copies merge
		if trial%3 == 0 {
			users = 1000 // mostly one copy each: the queues must not keep them
		}
		for n := range 1 + rng.Intn(300) {
			switch r := rng.Intn(20); {
			case r == 0 && trial%2 == 0:
				at = at.Add(-time.Duration(rng.Intn(3000)) * time.Millisecond) // back
			case r == 1:
				at = at.Add(time.Duration(rng.Intn(5)) * time.Second) // a pause
			default:
				at = at.Add(time.Duration(rng.Intn(400)) * time.Millisecond)
			}
			msg, raw := fmt.Sprintf("login_server_error username=tester%03d", rng.Intn(users)), rng.Intn(2) == 0
			w.expire(at)
			l.expire(at)
			if len(w.early.c) > 2*w.open+64 || len(w.late.c) > 2*w.open+64 {
				t.Fatalf("trial %d line %d: heaps of %d and %d copies for %d open", trial, n, len(w.early.c), len(w.late.c), w.open)
			}
			wf, wok := w.first()
			lf, lok := l.first()
			if wf != lf || wok != lok {
				t.Fatalf("trial %d line %d: first %d,%v, want %d,%v", trial, n, wf, wok, lf, lok)
			}
			wi, wm := w.take(msg, raw)
			li, lm := l.take(msg, raw)
			if wi != li || wm != lm {
				t.Fatalf("trial %d line %d: take %q raw=%v: %d,%v, want %d,%v", trial, n, msg, raw, wi, wm, li, lm)
			}
			if !wm {
				w.add(&openCopy{idx: idx, t: at, raw: raw, msg: msg})
				l = append(l, &openCopy{idx: idx, t: at, raw: raw, msg: msg})
				idx++
			}
			lines++
			live := 0
			for _, o := range w.q[w.head:] {
				if !o.taken {
					live++
				}
			}
			if live != w.open {
				t.Fatalf("trial %d line %d: %d open copies counted, %d in the window", trial, n, w.open, live)
			}
			if len(w.byMsg) > live {
				t.Fatalf("trial %d line %d: %d message queues for %d open copies", trial, n, len(w.byMsg), live)
			}
		}
	}
	t.Logf("%d lines agree", lines)
}
