package parsers

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// runserverSample is a runserver stderr in the user's shape: banner, request
// lines of both shapes, console records, the user's "Unhandled exception"
// lines with their traceback, a bare traceback, a bare CSRF warning.
const runserverSample = `Watching for file changes with StatReloader
Performing system checks...

System check identified no issues (0 silenced).
January 11, 2026 - 12:59:17
Django version 5.2, using settings 'config.settings'
Starting development server at http://127.0.0.1:8000/
Quit the server with CTRL-BREAK.

2026-01-11 12:59:20,001 DEBUG auth_debug auth_request method=POST path=/accounts/login/ user=anon session=None ip=127.0.0.1 csrf_cookie=True csrf_header=True form_csrf=True
Unhandled exception [EBA505A1]: query_wait_timeout
Traceback (most recent call last):
  File "C:\proj\venv\Lib\site-packages\django\db\backends\utils.py", line 105, in _execute
    return self.cursor.execute(sql, params)
  File "C:\proj\dashboard\views.py", line 40, in dashboard
    rows = list(qs)
psycopg.errors.ProtocolViolation: query_wait_timeout

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "C:\proj\venv\Lib\site-packages\django\db\utils.py", line 91, in __exit__
    raise dj_exc_value.with_traceback(traceback) from exc_value
django.db.utils.OperationalError: query_wait_timeout

2026-01-11 12:59:30,500 ERROR django.request Internal Server Error: /accounts/login/
[11/Jan/2026 12:59:30] "POST /accounts/login/ HTTP/1.1" 500 145
2026-01-11 12:59:31,123 ERROR django.server "POST /accounts/login/ HTTP/1.1" 500 145
[11/Jan/2026 12:59:31] "GET / HTTP/1.1" 200 -
Traceback (most recent call last):
  File "/usr/lib/python3.12/socketserver.py", line 692, in process_request_thread
    self.finish_request(request, client_address)
ConnectionResetError: [WinError 10054] An existing connection was forcibly closed by the remote host
Forbidden (CSRF token missing.): /api/project/160/save/
[11/Jan/2026 12:59:32] "POST /api/project/160/save/ HTTP/1.1" 403 2494
`

func TestRunserver(t *testing.T) {
	type want struct {
		line, end     int64
		kind          string
		level, logger string
		method, path  string
		status, size  string // "" for null
		proto         string
		excType, id   string
		timed         bool
	}
	wants := []want{
		{1, 1, KindBanner, "", "", "", "", "", "", "", "", "", false},
		{2, 2, KindBanner, "", "", "", "", "", "", "", "", "", false},
		{4, 4, KindBanner, "", "", "", "", "", "", "", "", "", false},
		{5, 5, KindBanner, "", "", "", "", "", "", "", "", "", true},
		{6, 6, KindBanner, "", "", "", "", "", "", "", "", "", false},
		{7, 7, KindBanner, "", "", "", "", "", "", "", "", "", false},
		{8, 8, KindBanner, "", "", "", "", "", "", "", "", "", false},
		{10, 10, KindAuthRequest, "DEBUG", "auth_debug", "POST", "/accounts/login/", "", "", "", "", "", true},
		{11, 24, KindUnhandled, "", "", "", "", "", "", "", "django.db.utils.OperationalError", "EBA505A1", false},
		{26, 26, KindServerError, "ERROR", "django.request", "", "/accounts/login/", "500", "", "", "", "", true},
		{27, 27, KindRequest, "", "django.server", "POST", "/accounts/login/", "500", "145", "HTTP/1.1", "", "", true},
		{28, 28, KindRequest, "ERROR", "django.server", "POST", "/accounts/login/", "500", "145", "HTTP/1.1", "", "", true},
		{29, 29, KindRequest, "", "django.server", "GET", "/", "200", "", "HTTP/1.1", "", "", true},
		{30, 33, KindTraceback, "", "", "", "", "", "", "", "ConnectionResetError", "", false},
		{34, 34, KindForbidden, "WARNING", "django.security.csrf", "", "/api/project/160/save/", "403", "", "", "", "", false},
		{35, 35, KindRequest, "", "django.server", "POST", "/api/project/160/save/", "403", "2494", "HTTP/1.1", "", "", true},
	}
	check := func(t *testing.T, res *Result) {
		t.Helper()
		if len(res.Events) != len(wants) {
			for _, e := range res.Events {
				t.Logf("%d-%d %s %q", e.Line, e.EndLine, e.Kind, e.Message)
			}
			t.Fatalf("%d events, want %d", len(res.Events), len(wants))
		}
		str := func(p *int64) string {
			if p == nil {
				return ""
			}
			return fmt.Sprint(*p)
		}
		for i, w := range wants {
			e := res.Events[i]
			got := want{e.Line, e.EndLine, e.Kind, e.Level, e.Logger, e.Method, e.Path, str(e.Status), str(e.Size), e.Attrs["protocol"], e.ExcType, e.Attrs["id"], !e.Time.IsZero()}
			if got != w {
				t.Errorf("event %d:\n got  %+v\n want %+v", i, got, w)
			}
		}
		if len(res.Auth) != 0 {
			t.Errorf("runserver wrote %d auth rows; the auth table is auth_debug.log's", len(res.Auth))
		}
		if a := res.Audit; a.Unparsed != 0 || a.Lines != 35 {
			t.Errorf("lines %d unparsed %d: %+v", a.Lines, a.Unparsed, a.UnparsedExamples)
		}
		u := res.Events[8]
		if u.ExcFrame != `C:\proj\dashboard\views.py:40 in dashboard` || u.ExcMessage != "query_wait_timeout" || !strings.Contains(u.Traceback, "psycopg.errors.ProtocolViolation") {
			t.Errorf("unhandled: frame %q msg %q traceback %q", u.ExcFrame, u.ExcMessage, u.Traceback)
		}
		if b := res.Events[3]; !b.Time.Equal(time.Date(2026, 1, 11, 12, 59, 17, 0, time.UTC)) || !b.Naive {
			t.Errorf("banner date: %v naive=%v", b.Time, b.Naive)
		}
		if r := res.Events[10]; !r.Time.Equal(time.Date(2026, 1, 11, 12, 59, 30, 0, time.UTC)) || !r.Naive {
			t.Errorf("request time: %v naive=%v", r.Time, r.Naive)
		}
		if f := res.Events[14]; f.Attrs["reason"] != "CSRF token missing." {
			t.Errorf("forbidden attrs %v", f.Attrs)
		}
	}
	t.Run("utf-8", func(t *testing.T) {
		check(t, parseText(t, "runserver_8000.err.log", runserverSample, Options{Format: "runserver"}))
	})
	// Windows PowerShell redirection writes UTF-16LE with a BOM and CRLF.
	t.Run("utf-16le bom crlf, detected", func(t *testing.T) {
		crlf := strings.ReplaceAll(runserverSample, "\n", "\r\n")
		u := utf16.Encode([]rune(crlf))
		b := []byte{0xFF, 0xFE}
		for _, r := range u {
			b = append(b, byte(r), byte(r>>8))
		}
		path := filepath.Join(t.TempDir(), "runserver_8000.err.log")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		res := ParseFile(path, "runserver_8000.err.log", Options{})
		if res.Audit.Format != "runserver" || res.Audit.Encoding != "utf-16le+bom" || !res.Audit.Balanced() {
			t.Fatalf("%+v", res.Audit)
		}
		check(t, res)
	})
}

func TestParseRequest(t *testing.T) {
	tests := []struct {
		in                  string
		ok                  bool
		method, path, proto string
		status              int64
		size                string
	}{
		{`"GET /dashboard/ HTTP/1.1" 500 145`, true, "GET", "/dashboard/", "HTTP/1.1", 500, "145"},
		{`"GET / HTTP/1.1" 200 -`, true, "GET", "/", "HTTP/1.1", 200, ""},
		{`"GET /a?q="x" HTTP/1.1" 200 3`, true, "GET", `/a?q="x"`, "HTTP/1.1", 200, "3"},
		{`"GET /" 200 3`, true, "GET", "/", "", 200, "3"},
		{`"GET / HTTP/1.1" abc 3`, false, "", "", "", 0, ""},
		{`"GET / HTTP/1.1" 200 x`, false, "", "", "", 0, ""},
		{`"" 200 3`, false, "", "", "", 0, ""},
		{`GET / 200`, false, "", "", "", 0, ""},
	}
	for _, tt := range tests {
		r, ok := parseRequest([]byte(tt.in))
		if ok != tt.ok {
			t.Errorf("%s: ok=%v", tt.in, ok)
			continue
		}
		if !ok {
			continue
		}
		size := ""
		if r.hasSize {
			size = fmt.Sprint(r.size)
		}
		if string(r.method) != tt.method || string(r.path) != tt.path || string(r.proto) != tt.proto || r.status != tt.status || size != tt.size {
			t.Errorf("%s: got %+v size %q", tt.in, r, size)
		}
	}
}

// TestRunserverCorpus checks request counts against the answer key.
func TestRunserverCorpus(t *testing.T) {
	for _, f := range pyCorpus(t, "runserver_8000.err.log") {
		truth := pyTruth(t, f)
		rs := truth["counts"].(map[string]any)["runserver_stderr"].(map[string]any)
		res := pyCorpusParse(t, f, truth, "runserver", "runserver_stderr")
		byStatus := map[string]int64{}
		byMPS := map[string]int64{}
		var reqs, serverErrors, tbs int64
		finals := map[string]int64{}
		for _, e := range res.Events {
			tbs += int64(strings.Count(e.Traceback, "Traceback (most recent call last):"))
			if e.ExcType != "" {
				first, _, _ := strings.Cut(e.ExcMessage, "\n")
				finals[e.ExcType+": "+first]++
			}
			switch e.Kind {
			case KindRequest:
				reqs++
				byStatus[fmt.Sprint(*e.Status)]++
				byMPS[fmt.Sprintf("%s %s %d", e.Method, pyTemplate(e.Path), *e.Status)]++
			case KindServerError:
				serverErrors++
			}
		}
		if want := pyCount(t, truth, "counts", "runserver_stderr", "request_lines"); reqs != want {
			t.Errorf("%s: %d requests, truth %d", f, reqs, want)
		}
		for k, v := range rs["requests_by_status"].(map[string]any) {
			if byStatus[k] != int64(v.(float64)) {
				t.Errorf("%s: status %s: %d, truth %v", f, k, byStatus[k], v)
			}
		}
		for k, v := range rs["requests_by_method_path_status"].(map[string]any) {
			if byMPS[k] != int64(v.(float64)) {
				t.Errorf("%s: %s: %d, truth %v", f, k, byMPS[k], v)
			}
		}
		if v, ok := rs["internal_server_error_records"]; ok && serverErrors != int64(v.(float64)) {
			t.Errorf("%s: %d server errors, truth %v", f, serverErrors, v)
		}
		if v, ok := rs["tracebacks"]; ok && tbs != int64(v.(float64)) {
			t.Errorf("%s: %d tracebacks, truth %v", f, tbs, v)
		}
		if m, ok := rs["exception_final_lines"].(map[string]any); ok {
			for k, v := range m {
				if finals[k] != int64(v.(float64)) {
					t.Errorf("%s: final %q: %d, truth %v", f, k, finals[k], v)
				}
			}
		}
	}
}

func FuzzRunserver(f *testing.F) {
	f.Add([]byte(runserverSample))
	f.Add([]byte("[29/Nov/2026 18:57:27] \"GET /dashboard/ HTTP/1.1\" 500 145\r\n[29/Nov/2026 18:57:27] - Broken pipe from ('127.0.0.1', 5)\n"))
	f.Add([]byte("Unhandled exception [X]: y\n\nTraceback (most recent call last):\nTraceback (most recent call last):\n"))
	f.Add([]byte("January 1, 2026 - 00:00:00\n/srv/x.py:3: RuntimeWarning: naive\n  warnings.Warn(\n"))
	// Old Mac line ends, and a CR alone inside CRLF lines.
	f.Add([]byte("[29/Nov/2026 18:57:27] \"GET / HTTP/1.1\" 200 1\rTraceback (most recent call last):\r  File \"a\", line 1\rE: x\r"))
	f.Add([]byte("[29/Nov/2026 18:57:27] \"GET / HTTP/1.1\" 200 1\r\n\r\r\n[29/Nov/2026 18:57:28] \"GET /x\r HTTP/1.1\" 404 2\r\n"))
	for _, b := range publicSeeds(f, "runserver") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res := pyFuzz(t, data, "runserver")
		if len(res.Auth) != 0 {
			t.Fatalf("auth rows from runserver")
		}
	})
}

func BenchmarkRunserver(b *testing.B) {
	pyBench(b, "pool_exhaustion/logs/runserver_8000.err.log", "runserver")
}

// TestRunserverConsoleExtras: Django 5's banner warning, system-check
// findings and the broken-pipe line, which carries asctime in brackets.
func TestRunserverConsoleExtras(t *testing.T) {
	text := "System check identified some issues:\n\nWARNINGS:\n?: (staticfiles.W004) The directory 'C:\\proj\\static' in the STATICFILES_DIRS setting does not exist.\n\nSystem check identified 1 issue (0 silenced).\n" +
		"WARNING: This is a development server. Do not use it in a production setting. Use a production WSGI or ASGI server instead.\n" +
		"For more information on production servers see: https://docs.djangoproject.com/en/5.2/howto/deployment/\n" +
		"[2026-01-11 12:59:17,123] - Broken pipe from ('127.0.0.1', 55555)\n" +
		"----------------------------------------\n" +
		"Exception occurred during processing of request from ('127.0.0.1', 55556)\n" +
		"Traceback (most recent call last):\n" +
		"  File \"C:\\Python312\\Lib\\socketserver.py\", line 697, in process_request_thread\n" +
		"    self.finish_request(request, client_address)\n" +
		"ConnectionAbortedError: [WinError 10053] An established connection was aborted by the software in your host machine\n" +
		"----------------------------------------\n"
	res := parseText(t, "runserver_8000.err.log", text, Options{Format: "runserver"})
	var kinds []string
	for _, e := range res.Events {
		kinds = append(kinds, fmt.Sprintf("%d-%d:%s", e.Line, e.EndLine, e.Kind))
	}
	want := "1-1:banner 3-4:banner 6-6:banner 7-7:banner 8-8:banner 9-9:log 11-15:log"
	if got := strings.Join(kinds, " "); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if a := res.Audit; a.Unparsed != 0 || a.Folded != 3+1+4+1 {
		t.Errorf("unparsed %d folded %d: %+v", a.Unparsed, a.Folded, a.UnparsedExamples)
	}
	if e := res.Events[len(res.Events)-1]; e.ExcType != "ConnectionAbortedError" || e.ExcFrame != `C:\Python312\Lib\socketserver.py:697 in process_request_thread` {
		t.Errorf("dropped connection: %q %q", e.ExcType, e.ExcFrame)
	}
	bp := res.Events[len(res.Events)-2]
	if bp.Logger != "django.server" || bp.Message != "- Broken pipe from ('127.0.0.1', 55555)" || !bp.Time.Equal(time.Date(2026, 1, 11, 12, 59, 17, 123e6, time.UTC)) {
		t.Errorf("broken pipe: %+v", bp)
	}
}

// TestRunserverPublicVariants reads runserver consoles other projects
// published: Django's untimed "Not Found: /x" lines, channels' and daphne's
// request and WebSocket lines, and django.server through a formatter
// without a time.
func TestRunserverPublicVariants(t *testing.T) {
	type want struct {
		line                int64
		kind, level, logger string
		method, path        string
		status              string
		durMS               string
		client, ws          string
		hasTime             bool
	}
	str := func(p *int64) string {
		if p == nil {
			return ""
		}
		return fmt.Sprint(*p)
	}
	tests := []struct {
		file string
		want map[int]want // by event index; every event is checked for kind
		n    int
	}{
		{"runserver_not_found.log", map[int]want{
			0: {1, KindClientError, "WARNING", "django.request", "", "/favicon.ico", "404", "", "", "", false},
			1: {2, KindRequest, "", "django.server", "GET", "/accounts/login/", "200", "", "", "", true},
			9: {10, KindRequest, "", "django.server", "GET", "/favicon.ico", "404", "", "", "", true},
		}, 10},
		{"runserver_channels_ws.log", map[int]want{
			10: {13, KindClientError, "WARNING", "django.request", "", "/ws/chat/asdf/", "404", "", "", "", false},
			11: {14, KindRequest, "", "django.server", "GET", "/ws/chat/asdf/", "404", "", "", "", true},
		}, 12},
		{"runserver_channels1_http.log", map[int]want{
			0: {1, KindRequest, "", "django.server", "GET", "/static/css/bootstrap.min.css", "304", "50", "127.0.0.1:46579", "", true},
			4: {5, KindRequest, "", "django.server", "GET", "/static/css/bootstrap.min.css", "404", "30", "127.0.0.1:46579", "", true},
		}, 6},
		{"runserver_channels3_ws.log", map[int]want{
			0: {1, KindLog, "", "django.channels.server", "", "/chat_ws", "", "", "127.0.0.1:50071", "HANDSHAKING", false},
			1: {2, KindLog, "", "django.channels.server", "", "/chat_ws", "", "", "127.0.0.1:50071", "REJECT", false},
		}, 3},
		{"runserver_simple_formatter.log", map[int]want{
			0: {1, KindRequest, "WARNING", "django.server", "GET", "/static/reports/summary_report_*.html", "404", "", "", "", false},
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw, err := os.ReadFile(publicPath(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			res := parseText(t, "runserver.err.log", string(raw), Options{Format: "runserver"})
			if a := res.Audit; a.Unparsed != 0 || a.RecordLikeFolded != 0 {
				t.Errorf("unparsed %d record-like folded %d: %v", a.Unparsed, a.RecordLikeFolded, a.UnparsedExamples)
			}
			if len(res.Events) != tt.n {
				t.Fatalf("%d events, want %d", len(res.Events), tt.n)
			}
			for i, w := range tt.want {
				e := res.Events[i]
				dur := ""
				if e.DurationMS != nil {
					dur = fmt.Sprintf("%.0f", *e.DurationMS)
				}
				got := want{e.Line, e.Kind, e.Level, e.Logger, e.Method, e.Path, str(e.Status), dur, e.Attrs["client"], e.Attrs["websocket"], !e.Time.IsZero()}
				if got != w {
					t.Errorf("event %d:\n got  %+v\n want %+v", i, got, w)
				}
			}
		})
	}
}
