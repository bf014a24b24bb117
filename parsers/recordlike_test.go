package parsers

import "testing"

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
