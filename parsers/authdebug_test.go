package parsers

import (
	"fmt"
	"maps"
	"strings"
	"testing"
)

func TestAuthDebug(t *testing.T) {
	f64 := func(v float64) *float64 { return &v }
	i64 := func(v int64) *int64 { return &v }
	bp := func(v bool) *bool { return &v }
	tests := []struct {
		name  string
		line  string
		event Event    // fields checked: Kind Level Logger Method Path User Status DurationMS Attrs
		row   *AuthRow // nil: no auth row expected
	}{
		{
			name:  "request",
			line:  "2026-11-29 18:57:01,611 DEBUG auth_debug auth_request method=POST path=/accounts/login/ user=anon session=None ip=127.0.0.1 csrf_cookie=True csrf_header=False form_csrf=True",
			event: Event{Kind: KindAuthRequest, Level: "DEBUG", Logger: "auth_debug", Method: "POST", Path: "/accounts/login/", User: "anon", Attrs: map[string]string{"session": "None", "ip": "127.0.0.1", "csrf_cookie": "True", "csrf_header": "False", "form_csrf": "True"}},
			row:   &AuthRow{Kind: KindAuthRequest, Level: "DEBUG", Method: "POST", Path: "/accounts/login/", User: "anon", Session: "None", IP: "127.0.0.1", CSRFCookie: bp(true), CSRFHeader: bp(false), FormCSRF: bp(true)},
		},
		{
			name:  "response with n/a",
			line:  "2026-11-29 18:57:27,306 INFO auth_debug auth_response status=500 method=POST path=/accounts/login/ user=anon duration_ms=10234.55 db_queries=n/a db_time_ms=n/a",
			event: Event{Kind: KindAuthResponse, Level: "INFO", Logger: "auth_debug", Method: "POST", Path: "/accounts/login/", User: "anon", Status: i64(500), DurationMS: f64(10234.55), Attrs: map[string]string{"db_queries": "n/a", "db_time_ms": "n/a"}},
			row:   &AuthRow{Kind: KindAuthResponse, Level: "INFO", Method: "POST", Path: "/accounts/login/", User: "anon", Status: i64(500), DurationMS: f64(10234.55)},
		},
		{
			name:  "response with db figures and an unknown key",
			line:  "2026-11-29 18:57:27,306 INFO auth_debug auth_response status=302 method=POST path=/accounts/login/ user=tester001 duration_ms=85.01 db_queries=7 db_time_ms=3.5 worker=2",
			event: Event{Kind: KindAuthResponse, Level: "INFO", Logger: "auth_debug", Method: "POST", Path: "/accounts/login/", User: "tester001", Status: i64(302), DurationMS: f64(85.01), Attrs: map[string]string{"db_queries": "7", "db_time_ms": "3.5", "worker": "2"}},
			row:   &AuthRow{Kind: KindAuthResponse, Level: "INFO", Method: "POST", Path: "/accounts/login/", User: "tester001", Status: i64(302), DurationMS: f64(85.01), DBQueries: i64(7), DBTimeMS: f64(3.5), Attrs: map[string]string{"worker": "2"}},
		},
		{
			name:  "old response shape",
			line:  "2026-01-11 19:51:06,134 INFO auth_debug auth_response status=500 path=/accounts/login/ user=anon",
			event: Event{Kind: KindAuthResponse, Level: "INFO", Logger: "auth_debug", Path: "/accounts/login/", User: "anon", Status: i64(500)},
			row:   &AuthRow{Kind: KindAuthResponse, Level: "INFO", Path: "/accounts/login/", User: "anon", Status: i64(500)},
		},
		{
			name:  "failure",
			line:  "2026-11-29 18:57:27,306 ERROR auth_debug auth_failure status=500 path=/accounts/login/",
			event: Event{Kind: KindAuthFailure, Level: "ERROR", Logger: "auth_debug", Path: "/accounts/login/", Status: i64(500)},
			row:   &AuthRow{Kind: KindAuthFailure, Level: "ERROR", Path: "/accounts/login/", Status: i64(500)},
		},
		{
			name:  "untypable values go to attrs",
			line:  "2026-11-29 18:57:27,306 ERROR auth_debug auth_failure status=abc path=/accounts/login/ csrf_cookie=maybe",
			event: Event{Kind: KindAuthFailure, Level: "ERROR", Logger: "auth_debug", Path: "/accounts/login/", Attrs: map[string]string{"status": "abc", "csrf_cookie": "maybe"}},
			row:   &AuthRow{Kind: KindAuthFailure, Level: "ERROR", Path: "/accounts/login/", Attrs: map[string]string{"status": "abc", "csrf_cookie": "maybe"}},
		},
		{
			name:  "another message of the logger is a plain record",
			line:  "2026-11-29 18:57:27,306 WARNING auth_debug middleware enabled",
			event: Event{Kind: KindLog, Level: "WARNING", Logger: "auth_debug"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseText(t, "auth_debug.log", tt.line+"\n", Options{Format: "auth_debug"})
			if len(res.Events) != 1 {
				t.Fatalf("%d events", len(res.Events))
			}
			e, w := res.Events[0], tt.event
			if e.Kind != w.Kind || e.Level != w.Level || e.Logger != w.Logger || e.Method != w.Method || e.Path != w.Path || e.User != w.User ||
				fmt.Sprint(deref(e.Status)) != fmt.Sprint(deref(w.Status)) || fmt.Sprint(deref(e.DurationMS)) != fmt.Sprint(deref(w.DurationMS)) ||
				!maps.Equal(e.Attrs, w.Attrs) || e.Message != strings.SplitN(tt.line, " ", 5)[4] || !e.Naive || e.Time.IsZero() {
				t.Errorf("event:\n got  %+v\n want %+v", e, w)
			}
			if tt.row == nil {
				if len(res.Auth) != 0 {
					t.Errorf("auth rows %+v, want none", res.Auth)
				}
				return
			}
			if len(res.Auth) != 1 {
				t.Fatalf("%d auth rows", len(res.Auth))
			}
			r, wr := res.Auth[0], *tt.row
			wr.Time, wr.Naive, wr.File, wr.Line = e.Time, true, "auth_debug.log", 1
			if fmt.Sprint(flatRow(r)) != fmt.Sprint(flatRow(wr)) {
				t.Errorf("row:\n got  %v\n want %v", flatRow(r), flatRow(wr))
			}
		})
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// flatRow prints a row with pointers dereferenced, for comparison.
func flatRow(r AuthRow) []any {
	return []any{r.Time, r.Naive, r.File, r.Line, r.Level, r.Kind, r.Method, r.Path, r.User, r.Session, r.IP,
		deref(r.CSRFCookie), deref(r.CSRFHeader), deref(r.FormCSRF), deref(r.Status), deref(r.DurationMS), deref(r.DBQueries), deref(r.DBTimeMS), r.Attrs}
}

// TestAuthDebugCorpus checks the real auth_debug.log against the answer key.
func TestAuthDebugCorpus(t *testing.T) {
	for _, f := range pyCorpus(t, "auth_debug.log") {
		truth := pyTruth(t, f)
		ad := truth["counts"].(map[string]any)["auth_debug_log"].(map[string]any)
		res := pyCorpusParse(t, f, truth, "auth_debug", "auth_debug_log")
		if len(res.Auth) != len(res.Events) {
			t.Errorf("%s: %d auth rows for %d events", f, len(res.Auth), len(res.Events))
		}
		reqs := map[string]int64{}
		resps := map[string]int64{}
		var failures int64
		for _, r := range res.Auth {
			switch r.Kind {
			case KindAuthRequest:
				reqs[r.Method]++
				if r.CSRFCookie == nil || r.IP == "" {
					t.Errorf("%s:%d: request not typed: %+v", f, r.Line, r)
				}
			case KindAuthResponse:
				resps[fmt.Sprintf("%s %d", r.Method, deref(r.Status))]++
				if r.DurationMS == nil || r.Status == nil || r.Attrs != nil {
					t.Errorf("%s:%d: response not typed: %+v", f, r.Line, r)
				}
			case KindAuthFailure:
				failures++
			default:
				t.Errorf("%s:%d: kind %q", f, r.Line, r.Kind)
			}
		}
		for k, v := range ad["auth_request_by_method"].(map[string]any) {
			if reqs[k] != int64(v.(float64)) {
				t.Errorf("%s: requests %s: %d, truth %v", f, k, reqs[k], v)
			}
		}
		for k, v := range ad["auth_response_by_method_status"].(map[string]any) {
			if resps[k] != int64(v.(float64)) {
				t.Errorf("%s: responses %s: %d, truth %v", f, k, resps[k], v)
			}
		}
		if v, ok := ad["auth_failure_records"]; ok && failures != int64(v.(float64)) {
			t.Errorf("%s: %d failures, truth %v", f, failures, v)
		}
	}
}

func FuzzAuthDebug(f *testing.F) {
	f.Add([]byte("2026-11-29 18:57:01,611 DEBUG auth_debug auth_request method=POST path=/accounts/login/ user=anon session=None ip=127.0.0.1 csrf_cookie=True csrf_header=False form_csrf=True\n"))
	f.Add([]byte("2026-11-29 18:57:27,306 INFO auth_debug auth_response status=500 method=POST path=/accounts/login/ user=anon duration_ms=10234.55 db_queries=n/a db_time_ms=n/a\r\n\r\n"))
	f.Add([]byte("2026-11-29 18:57:27,306 ERROR auth_debug auth_failure status= path= =x ==\nTraceback (most recent call last):\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := pyFuzz(t, data, "auth_debug")
		if len(res.Auth) > len(res.Events) {
			t.Fatalf("%d auth rows for %d events", len(res.Auth), len(res.Events))
		}
	})
}

func BenchmarkAuthDebug(b *testing.B) {
	pyBench(b, "healthy/logs/auth_debug.log", "auth_debug")
}
