package parsers

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLocustConsoleRecords(t *testing.T) {
	tests := []struct {
		name   string
		line   string
		level  string
		logger string
		kind   string
		user   string
		status int64 // 0: none
		attrs  map[string]string
		meta   map[string]string
	}{
		{
			name: "login_server_error", line: "[2026-11-29 18:58:29,361] vm/ERROR/locust.auth: login_server_error username=tester005 status=500 url=http://127.0.0.1:8000/accounts/login/ error=unknown",
			level: "ERROR", logger: "locust.auth", kind: KindLoginFailure, user: "tester005", status: 500,
			attrs: map[string]string{"host": "vm", "event": "login_server_error", "url": "http://127.0.0.1:8000/accounts/login/", "error": "unknown"},
		},
		{
			name: "login_page_returned with free-text error", line: "[2026-01-11 12:59:17,123] DESKTOP-1/WARNING/locust.auth: login_page_returned username=u1 url=http://x/accounts/login/ error=Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti.",
			level: "WARNING", logger: "locust.auth", kind: KindLoginFailure, user: "u1",
			attrs: map[string]string{"host": "DESKTOP-1", "event": "login_page_returned", "url": "http://x/accounts/login/", "error": "Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti."},
		},
		{
			name: "Login FAILED", line: "[2026-01-11 12:59:17,123] vm/ERROR/locustfile: Login FAILED username=u2 status=403",
			level: "ERROR", logger: "locustfile", kind: KindLoginFailure, user: "u2", status: 403,
			attrs: map[string]string{"host": "vm", "event": "login_failed"},
		},
		{
			name: "pool", line: "[2026-11-29 18:57:01,558] vm/INFO/locust.auth: Multi-user pool configured: 60 users (tester001, tester002, ...)",
			level: "INFO", logger: "locust.auth", kind: KindPoolConfig, attrs: map[string]string{"host": "vm"},
		},
		{
			name: "run time", line: "[2026-11-29 18:57:01,558] vm/INFO/locust.main: Run time limit set to 90 seconds",
			level: "INFO", logger: "locust.main", kind: KindCommandLine,
			attrs: map[string]string{"host": "vm", "run_time_s": "90"}, meta: map[string]string{"run_time_s": "90"},
		},
		{
			name: "ramping", line: "[2026-11-29 18:57:01,560] vm/INFO/locust.runners: Ramping to 60 users at a rate of 3.00 per second",
			level: "INFO", logger: "locust.runners", kind: KindCommandLine,
			attrs: map[string]string{"host": "vm", "users": "60", "spawn_rate": "3.00"}, meta: map[string]string{"users": "60", "spawn_rate": "3.00"},
		},
		{
			name: "version", line: "[2026-11-29 18:57:01,558] vm/INFO/locust.main: Starting Locust 2.12.1",
			level: "INFO", logger: "locust.main", kind: KindBanner,
			attrs: map[string]string{"host": "vm", "locust_version": "2.12.1"}, meta: map[string]string{"locust_version": "2.12.1"},
		},
		{
			name: "no version", line: "[2026-11-29 18:57:01,558] vm/INFO/locust.main: Starting Locust ",
			level: "INFO", logger: "locust.main", kind: KindBanner, attrs: map[string]string{"host": "vm"},
		},
		{
			name: "exit code", line: "[2026-11-29 18:58:31,417] vm/INFO/locust.main: Shutting down (exit code 1)",
			level: "INFO", logger: "locust.main", kind: KindBanner,
			attrs: map[string]string{"host": "vm", "exit_code": "1"}, meta: map[string]string{"exit_code": "1"},
		},
		{
			name: "run time reached", line: "[2026-11-29 18:58:31,379] vm/INFO/locust.main: --run-time limit reached, shutting down",
			level: "INFO", logger: "locust.main", kind: KindBanner,
			attrs: map[string]string{"host": "vm", "run_time_limit_reached": "true"}, meta: map[string]string{"run_time_limit_reached": "true"},
		},
		{
			name: "all spawned", line: `[2026-11-29 18:57:21,600] vm/INFO/locust.runners: All users spawned: {"RabUser": 60} (60 total users)`,
			level: "INFO", logger: "locust.runners", kind: KindLog,
			attrs: map[string]string{"host": "vm", "users_spawned": "60", "user_classes_json": `{"RabUser": 60}`},
			meta:  map[string]string{"users_spawned": "60", "user_classes_json": `{"RabUser": 60}`},
		},
		{
			name: "echoed command line", line: "$ locust -f locustfile.py --headless -u 30 -r 5 -t 75s --tags api page --csv=hasil_test_x",
			kind: KindCommandLine,
			attrs: map[string]string{
				"command_line": "locust -f locustfile.py --headless -u 30 -r 5 -t 75s --tags api page --csv=hasil_test_x",
				"locustfile":   "locustfile.py", "headless": "true", "users": "30", "spawn_rate": "5", "run_time": "75s", "run_time_s": "75",
				"tags": "api page", "tags_json": `["api","page"]`, "csv": "hasil_test_x",
			},
			meta: map[string]string{
				"command_line": "locust -f locustfile.py --headless -u 30 -r 5 -t 75s --tags api page --csv=hasil_test_x",
				"locustfile":   "locustfile.py", "headless": "true", "users": "30", "spawn_rate": "5", "run_time": "75s", "run_time_s": "75",
				"tags": "api page", "tags_json": `["api","page"]`, "csv": "hasil_test_x",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseText(t, "input.log", tt.line+"\n", Options{Format: "locust_console"})
			if a := res.Audit; a.Unparsed != 0 || !a.Balanced() || len(res.Events) != 1 {
				t.Fatalf("audit %+v, %d events", a, len(res.Events))
			}
			e := res.Events[0]
			if e.Level != tt.level || e.Logger != tt.logger || e.Kind != tt.kind || e.User != tt.user || e.Source != "locust_console" {
				t.Errorf("level %q logger %q kind %q user %q source %q", e.Level, e.Logger, e.Kind, e.User, e.Source)
			}
			if (tt.status == 0) != (e.Status == nil) || e.Status != nil && *e.Status != tt.status {
				t.Errorf("status %v, want %d", e.Status, tt.status)
			}
			if !maps.Equal(e.Attrs, tt.attrs) {
				t.Errorf("attrs\n got %v\nwant %v", e.Attrs, tt.attrs)
			}
			meta := map[string]string{}
			for _, m := range res.Meta {
				meta[m.Key] = m.Value
				if m.Line != 1 {
					t.Errorf("meta %+v: line", m)
				}
			}
			if len(meta) != len(tt.meta) || !maps.Equal(meta, tt.meta) {
				t.Errorf("meta\n got %v\nwant %v", meta, tt.meta)
			}
			if tt.level != "" && (!e.Naive || !e.Time.Equal(pgbAsctime(t, tt.line[1:24]))) {
				t.Errorf("time %v naive %v", e.Time, e.Naive)
			}
		})
	}
}

// pgbAsctime reads Python's asctime as a naive wall clock.
func pgbAsctime(t *testing.T, s string) time.Time {
	tm, err := time.Parse("2006-01-02 15:04:05,000", s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestLocustConsoleTraceback(t *testing.T) {
	text := `[2026-01-11 11:42:25,001] vm/INFO/locust.main: Starting Locust 2.32.1
[2026-01-11 11:42:25,101] vm/ERROR/locust.user.users: No tasks defined on AuthUser. use the @task decorator or set the 'tasks' property of the User (or mark it as abstract = True if you only intend to subclass it)
Traceback (most recent call last):
  File "/usr/lib/python3/dist-packages/locust/user/task.py", line 340, in run
    self.schedule_task(self.get_next_task())
  File "/usr/lib/python3/dist-packages/locust/user/task.py", line 372, in get_next_task
    raise Exception(
Exception: No tasks defined on AuthUser. use the @task decorator or set the 'tasks' property of the User (or mark it as abstract = True if you only intend to subclass it)

Traceback (most recent call last):
  File "src/gevent/greenlet.py", line 906, in gevent._gevent_cgreenlet.Greenlet.run
KeyError: 'x'
2026-01-11T03:42:27Z <Greenlet at 0x7f: run> failed with KeyError
`
	res := parseText(t, "input.log", text, Options{Format: "locust_console", Loc: time.FixedZone("WIB", 7*3600)})
	a := res.Audit
	if a.Lines != 13 || a.Unparsed != 0 || !a.Balanced() || len(res.Events) != 2 {
		t.Fatalf("audit %+v, %d events", a, len(res.Events))
	}
	e := res.Events[1]
	if e.Line != 2 || e.EndLine != 13 || e.Level != "ERROR" {
		t.Errorf("span %d-%d level %s", e.Line, e.EndLine, e.Level)
	}
	if e.ExcType != "KeyError" || e.ExcMessage != "'x'" || e.ExcFrame != "src/gevent/greenlet.py:906 in gevent._gevent_cgreenlet.Greenlet.run" {
		t.Errorf("exc %q %q %q", e.ExcType, e.ExcMessage, e.ExcFrame)
	}
	if !strings.HasPrefix(e.Traceback, "Traceback (most recent call last):\n") || !strings.Contains(e.Traceback, "Exception: No tasks defined on AuthUser.") {
		t.Errorf("traceback %q", e.Traceback)
	}
	if want := time.Date(2026, 1, 11, 4, 42, 25, 101e6, time.UTC); !e.Time.Equal(want) || e.Naive {
		t.Errorf("time %v naive %v, want %v (--tz applied)", e.Time, e.Naive, want)
	}
	if a.Zone != "WIB" {
		t.Errorf("zone %q", a.Zone)
	}
}

// A traceback under a Locust record is read as in the other Python logs:
// the application's own innermost frame, the final exception of a chain,
// and a warning when the exception line is missing.
func TestLocustConsoleTracebackAsPython(t *testing.T) {
	text := `[2026-01-11 11:42:25,101] vm/ERROR/locust.user.task: task failed
Traceback (most recent call last):
  File "/app/locustfile.py", line 40, in export
    r = self.client.get(url)
  File "/usr/lib/python3/site-packages/requests/api.py", line 73, in get
    raise ValueError("first")
ValueError: first

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/usr/lib/python3/site-packages/locust/user/task.py", line 340, in run
    raise RuntimeError("second")
RuntimeError: second
[2026-01-11 11:42:26,101] vm/ERROR/locust.user.task: cut
Traceback (most recent call last):
  File "/app/locustfile.py", line 41, in login
`
	res := parseText(t, "input.log", text, Options{Format: "locust_console"})
	if a := res.Audit; a.Unparsed != 0 || !a.Balanced() || len(res.Events) != 2 {
		t.Fatalf("audit %+v, %d events", a, len(res.Events))
	}
	e := res.Events[0]
	if e.ExcType != "RuntimeError" || e.ExcMessage != "second" || e.ExcFrame != "/app/locustfile.py:40 in export" {
		t.Errorf("exc %q %q %q", e.ExcType, e.ExcMessage, e.ExcFrame)
	}
	want := "input.log:17: traceback of the record at line 15 ends without its exception line (file cut short or lines lost); kept as far as it goes"
	if !slices.Contains(res.Audit.Messages, want) {
		t.Errorf("messages %q, want %q", res.Audit.Messages, want)
	}
}

func TestLocustConsoleTables(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "locust_console_tables.log"))
	if err != nil {
		t.Fatal(err)
	}
	res := parseText(t, "input.log", string(raw), Options{Format: "locust_console"})
	a := res.Audit
	if a.Unparsed != 0 || !a.Balanced() {
		t.Fatalf("audit %+v", a)
	}
	type tbl struct {
		line  int64
		kind  string
		final string
		attrs map[string]string
	}
	want := []tbl{
		{4, lcTableRequests, "", map[string]string{"rows": "0", "requests": "0", "failures": "0"}},
		{9, lcTableRequests, "", map[string]string{"rows": "2", "requests": "19", "failures": "0", "rps": "0.00"}},
		{18, lcTableRequests, "true", map[string]string{"rows": "3", "requests": "574", "failures": "93", "avg_ms": "6941", "min_ms": "4", "max_ms": "18463", "median_ms": "7500", "rps": "6.40", "failures_per_s": "1.04"}},
		{25, lcTablePercentiles, "true", map[string]string{"rows": "3", "p50": "7500", "p99_9": "18000", "p100": "18000", "requests": "574"}},
		{33, lcTableErrors, "true", map[string]string{"rows": "2", "occurrences": "31"}},
	}
	var got []tbl
	for _, e := range res.Events {
		if e.Kind == "stats_table" {
			got = append(got, tbl{e.Line, e.Attrs["table"], e.Attrs["final"], e.Attrs})
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d tables, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.line != w.line || g.kind != w.kind || g.final != w.final {
			t.Errorf("table %d: line %d kind %s final %q, want %d %s %q", i, g.line, g.kind, g.final, w.line, w.kind, w.final)
		}
		for k, v := range w.attrs {
			if g.attrs[k] != v {
				t.Errorf("table %d: %s=%q, want %q", i, k, g.attrs[k], v)
			}
		}
	}
}

func TestParseLocustCommandLine(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]string // nil: not a command line
	}{
		{"locust -f locustfile.py --headless -u 60 -r 3 -t 90s --host=http://127.0.0.1:8000 --csv=hasil_test_p --html=hasil_test_p.html", map[string]string{
			"command_line": "locust -f locustfile.py --headless -u 60 -r 3 -t 90s --host=http://127.0.0.1:8000 --csv=hasil_test_p --html=hasil_test_p.html",
			"locustfile":   "locustfile.py", "headless": "true", "users": "60", "spawn_rate": "3", "run_time": "90s", "run_time_s": "90",
			"host": "http://127.0.0.1:8000", "csv": "hasil_test_p", "html": "hasil_test_p.html",
		}},
		{"locust --tags api,page -u 5", map[string]string{"command_line": "locust --tags api,page -u 5", "tags": "api,page", "tags_json": `["api,page"]`, "users": "5"}},
		{"locust --tags api page --exclude-tags export -t 1h30m", map[string]string{
			"command_line": "locust --tags api page --exclude-tags export -t 1h30m", "tags": "api page", "tags_json": `["api","page"]`,
			"exclude_tags": "export", "exclude_tags_json": `["export"]`, "run_time": "1h30m", "run_time_s": "5400",
		}},
		{`PS C:\proj> python -m locust -f "my tests\locustfile.py" --users 10 --spawn-rate 2.5 WebUser`, map[string]string{
			"command_line": `python -m locust -f "my tests\locustfile.py" --users 10 --spawn-rate 2.5 WebUser`,
			"locustfile":   `my tests\locustfile.py`, "users": "10", "spawn_rate": "2.5", "user_classes": "WebUser",
		}},
		{"/home/u/.venv/bin/locust -u10 --hatch-rate 4 -t 300", map[string]string{
			"command_line": "/home/u/.venv/bin/locust -u10 --hatch-rate 4 -t 300", "users": "10", "spawn_rate": "4", "run_time": "300", "run_time_s": "300",
		}},
		{"locust --tags", map[string]string{"command_line": "locust --tags", "tags": "", "tags_json": "[]"}},
		{"the locustfile was edited", nil},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := ParseLocustCommandLine(tt.in)
			if (got == nil) != (tt.want == nil) || !maps.Equal(got, tt.want) {
				t.Errorf("\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

// lcTruth is the part of a stack scenario's truth.json the console log
// can be checked against.
type lcTruth struct {
	Locust struct {
		Users     int64   `json:"users"`
		SpawnRate float64 `json:"spawn_rate"`
		RunTimeS  int64   `json:"run_time_s"`
		ExitCode  int64   `json:"exit_code"`
		Command   string  `json:"command_line"`
	} `json:"locust"`
	Counts struct {
		Runserver struct {
			Requests int64            `json:"request_lines"`
			ByStatus map[string]int64 `json:"requests_by_status"`
		} `json:"runserver_stderr"`
		Failures struct {
			ByKind map[string]int `json:"logger_format_lines_by_level_kind"`
		} `json:"locust_login_failures_log"`
	} `json:"counts"`
}

func TestLocustConsoleCorpus(t *testing.T) {
	for _, path := range pgbCorpus(t, "locust.log") {
		dir := filepath.Dir(path)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, "truth.json"))
			if err != nil {
				t.Skipf("no truth.json: %v", err)
			}
			var truth lcTruth
			if err := json.Unmarshal(raw, &truth); err != nil {
				t.Fatal(err)
			}
			res := ParseFile(path, path, Options{})
			a := res.Audit
			if a.Format != "locust_console" || a.Unparsed != 0 || !a.Balanced() {
				t.Fatalf("audit %+v", a)
			}
			htmls, _ := filepath.Glob(filepath.Join(dir, "*.html"))
			if len(htmls) != 1 || a.Run != strings.TrimSuffix(filepath.Base(htmls[0]), ".html") {
				t.Errorf("run %q, html %v", a.Run, htmls)
			}
			meta := map[string]string{}
			for _, m := range res.Meta {
				meta[m.Key] = m.Value
				if m.Run != a.Run {
					t.Errorf("meta run %q", m.Run)
				}
			}
			l := truth.Locust
			rate, _ := strconv.ParseFloat(meta["spawn_rate"], 64)
			if meta["users"] != strconv.FormatInt(l.Users, 10) || rate != l.SpawnRate ||
				meta["run_time_s"] != strconv.FormatInt(l.RunTimeS, 10) || meta["exit_code"] != strconv.FormatInt(l.ExitCode, 10) {
				t.Errorf("meta %v, want users %d rate %v run_time_s %d exit %d", meta, l.Users, l.SpawnRate, l.RunTimeS, l.ExitCode)
			}
			if cl, ok := meta["command_line"]; ok && cl != l.Command {
				t.Errorf("command line %q, want %q", cl, l.Command)
			}
			// locust.auth logs every login failure to the console and to
			// locust_login_failures.log alike.
			failures := 0
			finals := map[string]Event{}
			for _, e := range res.Events {
				if e.Kind == KindLoginFailure {
					failures++
					if e.User == "" || e.Status == nil {
						t.Errorf("line %d: login failure without user/status", e.Line)
					}
				}
				if e.Attrs["final"] == "true" {
					finals[e.Attrs["table"]] = e
				}
			}
			if want := truth.Counts.Failures.ByKind["ERROR login_server_error"]; failures != want {
				t.Errorf("%d login failures, want %d", failures, want)
			}
			// Every request Locust made reached runserver: the final table's
			// totals are runserver's request and 500 counts.
			req, pct := finals[lcTableRequests], finals[lcTablePercentiles]
			rs := truth.Counts.Runserver
			if req.Attrs["requests"] != strconv.FormatInt(rs.Requests, 10) || pct.Attrs["requests"] != req.Attrs["requests"] ||
				req.Attrs["failures"] != strconv.FormatInt(rs.ByStatus["500"], 10) {
				t.Errorf("final tables %v / %v, want %d requests, %d failures", req.Attrs, pct.Attrs, rs.Requests, rs.ByStatus["500"])
			}
			if !strings.Contains(req.Message, "Aggregated") || req.EndLine <= req.Line {
				t.Errorf("final requests table %d-%d: %.200q", req.Line, req.EndLine, req.Message)
			}
			t.Logf("%s: %d lines, %d records, %d folded, %d unparsed; %s %.3f, runner-up %s %.3f", path, a.Lines, a.Records, a.Folded, a.Unparsed, a.Format, a.Confidence, a.RunnerUp, a.RunnerUpConfidence)
		})
	}
}

func TestLocustConsoleDetect(t *testing.T) {
	for _, path := range pgbCorpus(t, "locust.log") {
		checkDetectedByContent(t, path, "console.txt", "locust_console")
	}
}

func FuzzLocustConsole(f *testing.F) {
	for _, s := range []string{
		"[2026-11-29 18:58:29,361] vm/ERROR/locust.auth: login_server_error username=tester005 status=500 url=http://127.0.0.1:8000/accounts/login/ error=unknown",
		"[2026-11-29 18:57:01,560] vm/INFO/locust.runners: Ramping to 60 users at a rate of 3.00 per second\nType     Name      # reqs      # fails |    Avg     Min     Max    Med |   req/s  failures/s\n--------|------|-------|\n         Aggregated         0     0(0.00%) |      0       0       0      0 |    0.00        0.00\n",
		"Response time percentiles (approximated)\nType     Name     50%    66%   # reqs\n         Aggregated  7500   9700  574\n",
		"Error report\n# occurrences      Error\n11                 GET /dashboard/: CatchResponseError('HTTP 500')\n",
		"[2026-11-29 18:58:31,417] vm/INFO/locust.main: Shutting down (exit code 1)\nTraceback (most recent call last):\n  File \"a.py\", line 1, in f\nKeyError: 'x'\n",
		"$ locust -f l.py --tags a b --exclude-tags c -t 1h2m3s --html=r.html\n",
		"[2026-11-29 18:58:31,415] vm/INFO/locust.main: writing html report to file: hasil_test_pool_exhaustion.html",
	} {
		f.Add([]byte(s))
	}
	for _, b := range publicSeeds(f, "locust_console") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "locust.log")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, format := range []string{"locust_console", "auto"} {
			res := ParseFile(path, "locust.log", Options{Format: format})
			if res.Audit.Error != "" || !res.Audit.Balanced() {
				t.Fatalf("%s: %+v", format, res.Audit)
			}
		}
		ParseLocustCommandLine(string(data))
	})
}

func BenchmarkLocustConsole(b *testing.B) {
	path := filepath.Join("..", "..", "shared", "corpus", "stack", "slow_exports", "locust.log")
	st, err := os.Stat(path)
	if err != nil {
		b.Skipf("corpus absent (%v)", err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		res := ParseFile(path, "locust.log", Options{Format: "locust_console"})
		if res.Audit.Unparsed != 0 {
			b.Fatal(res.Audit.UnparsedExamples)
		}
	}
}

// TestLocustConsolePublicTracebacks: console logs other projects published,
// where a record is followed by the traceback of the task that raised,
// read as Locust records with the traceback folded in (not as Django).
func TestLocustConsolePublicTracebacks(t *testing.T) {
	tests := []struct {
		file, logger, excType, excMsg, frame string
		end                                  int64
	}{
		{"locust1_console_traceback.log", "locust.user.task", "Exception", "No tasks defined. use the @task decorator or set the tasks property of the User",
			"/home/saranyagupta05/anaconda3/lib/python3.8/site-packages/locust/user/task.py:409 in get_next_task", 7},
		// The excerpt is cut inside the traceback: no exception line.
		{"locust2_console_traceback.log", "locust.user.task", "", "", "", 10},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw, err := os.ReadFile(publicPath(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			res := parseText(t, "locust.log", string(raw), Options{})
			if res.Audit.Format != "locust_console" || res.Audit.Unparsed != 0 || res.Audit.RecordLikeFolded != 0 {
				t.Fatalf("%+v", res.Audit)
			}
			if len(res.Events) != 1 {
				t.Fatalf("%d events", len(res.Events))
			}
			e := res.Events[0]
			if e.Level != "ERROR" || e.Logger != tt.logger || e.EndLine != tt.end || e.ExcType != tt.excType || e.ExcMessage != tt.excMsg || e.ExcFrame != tt.frame || !strings.HasPrefix(e.Traceback, "Traceback (most recent call last):") {
				t.Errorf("event %+v", e)
			}
		})
	}
}
