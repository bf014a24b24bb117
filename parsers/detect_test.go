package parsers

import (
	"os"
	"strings"
	"testing"
)

// spammedConsole is the Locust 2.x console of locustio/locust#2575, where
// "locust spams the printout": the same record and traceback once per user
// attempt. The excerpt is repeated as the issue describes the file.
func spammedConsole(t *testing.T, times int) string {
	t.Helper()
	b, err := os.ReadFile(publicPath("locust2_console_traceback.log"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Repeat(string(b), times)
}

// TestDetectFolding: a parser that would fold record-like lines into other
// records loses its score, so a Locust console full of tracebacks is not a
// Django log; forced, the wrong parser's audit says the parse is partial and
// the folded records do not count as understood.
func TestDetectFolding(t *testing.T) {
	text := spammedConsole(t, 20) // 200 lines: the whole detection sample
	sample := linesOf(text)
	d := Detect(sample, "console.txt")
	if d.Format != "locust_console" {
		t.Fatalf("detected %s %.2f (runner-up %s %.2f)", d.Format, d.Confidence, d.RunnerUp, d.RunnerUpConfidence)
	}
	var django *TrialFold
	for i := range d.Folds {
		if d.Folds[i].Format == "django" {
			django = &d.Folds[i]
		}
	}
	// Django leaves the first record unparsed (nothing above it) and folds
	// the other 19 into the traceback above them.
	if django == nil || django.Folded != 19 || django.Likes != 20 || django.After >= MinConfidence {
		t.Fatalf("django trial: %+v", django)
	}

	res := parseText(t, "console.txt", text, Options{Format: "django"})
	a := res.Audit
	if a.RecordLikeFolded != 19 || a.Unparsed != 1 || a.Understood() != a.Lines-19-1 || a.Confidence >= 1 {
		t.Errorf("forced django: record-like folded %d understood %d of %d confidence %.3f", a.RecordLikeFolded, a.Understood(), a.Lines, a.Confidence)
	}
	if len(a.RecordLikeExamples) == 0 || a.RecordLikeExamples[0].Line != 11 || !strings.HasPrefix(a.RecordLikeExamples[0].Text, "[2024-02-01 09:30:54,511] d189d6727fd5/ERROR/locust.user.task:") {
		t.Errorf("examples %+v", a.RecordLikeExamples)
	}
	found := false
	for _, m := range a.Messages {
		found = found || strings.Contains(m, "partial parse: 19 line(s)")
	}
	if !found {
		t.Errorf("no partial-parse message: %v", a.Messages)
	}

	res = parseText(t, "console.txt", text, Options{})
	if a := res.Audit; a.Format != "locust_console" || a.Understood() != a.Lines || len(res.Events) != 20 {
		t.Errorf("detected: %s understood %d of %d, %d events", a.Format, a.Understood(), a.Lines, len(res.Events))
	}
}

func linesOf(text string) []Line {
	var out []Line
	for i, s := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		out = append(out, Line{N: int64(i + 1), Text: []byte(s)})
	}
	return out
}

// TestRecordStart: the line shapes that begin records, and continuation
// lines that must not.
func TestRecordStart(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"2026-01-11 19:51:06,134 ERROR django.request Internal Server Error: /dashboard/", true},
		{"[2024-02-01 09:30:54,511] d189d6727fd5/ERROR/locust.user.task: Invalid URL", true},
		{`[11/Jul/2020 09:40:27] "GET /accounts/login/ HTTP/1.1" 200 1566`, true},
		{"[2016/04/12 17:54:57] HTTP GET /static/css/bootstrap.min.css 304 [0.05, 127.0.0.1:46579]", true},
		{"WARNING 2013-02-23 12:46:01,605 forms 22360 -1250423952 User 'support3' attempted", true},
		{"ERROR    2024-04-19 06:52:30 log Internal Server Error: /sentry-debug/", true},
		{`WARNING basehttp "GET /static/reports/summary_report_*.html HTTP/1.1" 404 2001`, true},
		{"Not Found: /favicon.ico", true},
		{"Internal Server Error: /", true},
		{"Forbidden (CSRF token missing.): /api/project/160/save/", true},
		{"WebSocket HANDSHAKING /chat_ws [127.0.0.1:50071]", true},
		{"2017-05-10T20:17:33.496510+00:00 app[worker_high.1]: 2017-05-10 20:17:33.496 37 LOG C-0x151f1e8: x", true},
		{"Traceback (most recent call last):", false},
		{`  File "/srv/app/views.py", line 3, in f`, false},
		{"django.db.utils.OperationalError: FATAL:  query_wait_timeout", false},
		{"Not Found: the page you asked for", false},
		{"During handling of the above exception, another exception occurred:", false},
		{" Aggregated                                 7064    45(0.64%) |", false},
		{"1682349000,0,,Aggregated,0.000000,0.000000,N/A", false},
		{"INFO is a word", false},
	}
	for _, tt := range tests {
		if got := recordStart([]byte(tt.line)); got != tt.want {
			t.Errorf("recordStart(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}
