package parsers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPyHead(t *testing.T) {
	tests := []struct {
		line   string
		ok     bool
		t      time.Time
		level  string
		logger string
		msg    string
	}{
		{"2026-11-29 18:57:27,305 ERROR django.request Internal Server Error: /dashboard/", true, time.Date(2026, 11, 29, 18, 57, 27, 305e6, time.UTC), "ERROR", "django.request", "Internal Server Error: /dashboard/"},
		{"2026-01-11 12:59:17,123 WARNING django.server \"GET / HTTP/1.1\" 404 0", true, time.Date(2026, 1, 11, 12, 59, 17, 123e6, time.UTC), "WARNING", "django.server", `"GET / HTTP/1.1" 404 0`},
		{"2026-11-29 18:57:01,569 DEBUG auth_debug auth_request method=GET", true, time.Date(2026, 11, 29, 18, 57, 1, 569e6, time.UTC), "DEBUG", "auth_debug", "auth_request method=GET"},
		{"2026-11-29 18:57:01.607 WIB [19202] LOG C-0x1: x", false, time.Time{}, "", "", ""}, // pgbouncer
		{"2026-11-29T18:57:27.365192 login_server_error username=x", false, time.Time{}, "", "", ""},
		{"2026-11-29 18:57:27,305 LOUD django.request x", false, time.Time{}, "", "", ""},
		{"[29/Nov/2026 18:57:27] \"GET / HTTP/1.1\" 200 1", false, time.Time{}, "", "", ""},
		{"2026-11-29 18:57:27,305 ERROR", false, time.Time{}, "", "", ""},
	}
	for _, tt := range tests {
		rec, ok := parsePyRecord([]byte(tt.line))
		if ok != tt.ok {
			t.Errorf("%q: ok=%v, want %v", tt.line, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if !rec.T.Equal(tt.t) || rec.Level != tt.level || string(rec.Logger) != tt.logger || string(rec.Msg) != tt.msg {
			t.Errorf("%q: got %v %q %q %q", tt.line, rec.T, rec.Level, rec.Logger, rec.Msg)
		}
	}
}

const chainTB = `Traceback (most recent call last):
  File "/usr/lib/python3/dist-packages/django/contrib/sessions/backends/base.py", line 233, in _get_session
    return self._session_cache
           ^^^^^^^^^^^^^^^^^^^
AttributeError: 'SessionStore' object has no attribute '_session_cache'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/tmp/app/rab/views.py", line 28, in _pg_sleep
    cursor.execute("select pg_sleep(1)")
  File "/usr/lib/python3/dist-packages/psycopg2/extras.py", line 758, in wait_select
    state = conn.poll()
            ^^^^^^^^^^^
psycopg2.OperationalError: FATAL:  query_wait_timeout
server closed the connection unexpectedly
	This probably means the server terminated abnormally
	before or while processing the request.


The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/usr/lib/python3/dist-packages/django/core/handlers/exception.py", line 47, in inner
    response = get_response(request)
  File "/usr/lib/python3/dist-packages/psycopg2/extras.py", line 758, in wait_select
    state = conn.poll()
django.db.utils.OperationalError: FATAL:  query_wait_timeout
server closed the connection unexpectedly
	This probably means the server terminated abnormally
	before or while processing the request.`

func TestPyAnalyzeTraceback(t *testing.T) {
	const pgMsg = "FATAL:  query_wait_timeout\nserver closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request."
	tests := []struct {
		name, text      string
		typ, msg, frame string
	}{
		{"chain: final exception, in-app frame from an earlier section", chainTB, "django.db.utils.OperationalError", pgMsg, "/tmp/app/rab/views.py:28 in _pg_sleep"},
		{"single, library frames only", "Traceback (most recent call last):\n  File \"/usr/lib/python3.12/site-packages/psycopg/cursor.py\", line 97, in execute\n    raise ex\npsycopg.errors.ProtocolViolation: query_wait_timeout",
			"psycopg.errors.ProtocolViolation", "query_wait_timeout", "/usr/lib/python3.12/site-packages/psycopg/cursor.py:97 in execute"},
		{"in-app innermost preferred", "Traceback (most recent call last):\n  File \"C:\\proj\\app\\views.py\", line 10, in dashboard\n    x()\n  File \"C:\\Python312\\Lib\\site-packages\\django\\db\\utils.py\", line 91, in __exit__\n    raise\ndjango.db.utils.OperationalError: query_wait_timeout",
			"django.db.utils.OperationalError", "query_wait_timeout", `C:\proj\app\views.py:10 in dashboard`},
		{"no header (quoted after Unhandled exception)", "psycopg.errors.ProtocolViolation: query_wait_timeout\ndjango.db.utils.OperationalError: query_wait_timeout",
			"django.db.utils.OperationalError", "query_wait_timeout", ""},
		{"bare exception name", "Traceback (most recent call last):\n  File \"/srv/app/x.py\", line 3, in <module>\n    f()\nKeyboardInterrupt", "KeyboardInterrupt", "", "/srv/app/x.py:3 in <module>"},
		{"exception with empty message", "Traceback (most recent call last):\n  File \"/srv/app/x.py\", line 3, in f\n    raise ValueError()\nValueError:", "ValueError", "", "/srv/app/x.py:3 in f"},
		{"no exception line", "Traceback (most recent call last):\n  File \"/srv/app/x.py\", line 3, in f", "", "", ""},
	}
	for _, tt := range tests {
		got := pyAnalyzeTraceback([]byte(tt.text))
		if got.Type != tt.typ || got.Message != tt.msg || got.Frame != tt.frame {
			t.Errorf("%s:\n got  %q %q %q\n want %q %q %q", tt.name, got.Type, got.Message, got.Frame, tt.typ, tt.msg, tt.frame)
		}
	}
}

// pyExpected is the format each stack log must be detected as.
var pyExpected = map[string]string{
	"auth_debug.log":            "auth_debug",
	"django_errors.log":         "django",
	"locust_login_failures.log": "locust_auth",
	"runserver_8000.err.log":    "runserver",
}

// TestPyDetectCorpus: every real log is detected as its format from
// content, with a clear margin over the runner-up.
func TestPyDetectCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(pyCorpusRoot, "*", "logs", "*"))
	if len(files) == 0 {
		t.Skipf("corpus absent: no %s/*/logs/*", pyCorpusRoot)
	}
	for _, f := range files {
		want, ok := pyExpected[filepath.Base(f)]
		if !ok {
			t.Errorf("%s: no expected format listed", f)
			continue
		}
		if st, err := os.Stat(f); err == nil && st.Size() == 0 {
			continue // empty: nothing to detect
		}
		sample := sampleFile(t, f)
		// Content alone: pass no name so that NameHint cannot help.
		d := Detect(sample, "x")
		t.Logf("%s: %s %.3f, runner-up %s %.3f", f, d.Format, d.Confidence, d.RunnerUp, d.RunnerUpConfidence)
		if d.Format != want {
			t.Errorf("%s: detected %q (%.3f), want %q; runner-up %s %.3f", f, d.Format, d.Confidence, want, d.RunnerUp, d.RunnerUpConfidence)
		}
		if d.Confidence-d.RunnerUpConfidence < 0.2 {
			t.Errorf("%s: margin %.3f over runner-up %s too thin", f, d.Confidence-d.RunnerUpConfidence, d.RunnerUp)
		}
	}
}

// TestPyCorpusAccounting parses every real log of these formats and checks
// that every line is accounted for and none is unparsed.
func TestPyCorpusAccounting(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(pyCorpusRoot, "*", "logs", "*"))
	if len(files) == 0 {
		t.Skipf("corpus absent: no %s/*/logs/*", pyCorpusRoot)
	}
	for _, f := range files {
		res := ParseFile(f, f, Options{})
		a := res.Audit
		t.Logf("%s: %s lines=%d records=%d folded=%d unparsed=%d merged=%d", f, a.Format, a.Lines, a.Records, a.Folded, a.Unparsed, a.Merged)
		if !a.Balanced() {
			t.Errorf("%s: unbalanced: %+v", f, a)
		}
		if a.Unparsed != 0 {
			t.Errorf("%s: %d unparsed, e.g. %+v", f, a.Unparsed, a.UnparsedExamples)
		}
		if a.Lines > 0 && a.Format != pyExpected[filepath.Base(f)] {
			t.Errorf("%s: parsed as %s", f, a.Format)
		}
		for _, m := range a.Messages {
			if strings.Contains(m, "does not add up") || strings.Contains(m, "internal error") {
				t.Errorf("%s: %s", f, m)
			}
		}
	}
}

// TestPySniffOthers: the other artifacts of a run (Locust CSVs and HTML,
// locust.log, pgbouncer.log, truth.json) score below detection for the
// Python-logging formats, so indented JSON or HTML never reads as a
// traceback file.
func TestPySniffOthers(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(pyCorpusRoot, "*", "*"))
	if len(files) == 0 {
		t.Skipf("corpus absent: no %s/*/*", pyCorpusRoot)
	}
	for _, f := range files {
		if st, err := os.Stat(f); err != nil || st.IsDir() || strings.HasSuffix(f, "_exceptions.csv") {
			continue // exceptions.csv legitimately quotes tracebacks
		}
		sample := sampleFile(t, f)
		for _, name := range []string{"django", "auth_debug", "locust_auth", "runserver"} {
			ff, _ := Lookup(name)
			if s := ff.Sniff(sample); s >= MinConfidence/2 {
				t.Errorf("%s: %s scores %.3f", f, name, s)
			}
		}
	}
}

// TestPyDocSamples: each format's documented sample line is detected as
// that format and parses as one record.
func TestPyDocSamples(t *testing.T) {
	for _, name := range []string{"django", "auth_debug", "locust_auth", "runserver"} {
		f, ok := Lookup(name)
		if !ok {
			t.Fatalf("%s not registered", name)
		}
		d := f.Doc()
		if d.Summary == "" || d.Sample == "" || len(d.Extracts) == 0 {
			t.Errorf("%s: incomplete doc %+v", name, d)
		}
		res := parseText(t, "sample.log", d.Sample+"\n", Options{Format: ""})
		if res.Audit.Format != name || res.Audit.Records != 1 || len(res.Events) != 1 {
			t.Errorf("%s: sample detected as %s with %d records", name, res.Audit.Format, res.Audit.Records)
		}
	}
}
