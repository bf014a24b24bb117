package redact

import (
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"plain line untouched", "2026-11-29 18:57:27,305 ERROR django.request Internal Server Error: /dashboard/", "2026-11-29 18:57:27,305 ERROR django.request Internal Server Error: /dashboard/"},
		{"user pool", "TEST_USER_POOL=tester001:Tester#2026,tester002:Tester#2026 locust -f x.py", "TEST_USER_POOL=tester001:[REDACTED],tester002:[REDACTED] locust -f x.py"},
		{"password field", "login username=bob password=hunter2 status=200", "login username=bob password=[REDACTED] status=200"},
		{"json password", `{"username": "bob", "password": "hunter2"}`, `{"username": "bob", "password": "[REDACTED]"}`},
		{"url credentials", "DATABASE_URL=postgres://rabapp:s3cret@127.0.0.1:6432/rabdb", "DATABASE_URL=postgres://rabapp:[REDACTED]@127.0.0.1:6432/rabdb"},
		{"session key", "auth_request method=POST session=k3j4h5g6f7d8s9a0qwertyuiopasdfgh ip=127.0.0.1", "auth_request method=POST session=[REDACTED] ip=127.0.0.1"},
		{"session None kept", "auth_request method=GET user=anon session=None ip=127.0.0.1 csrf_cookie=False", "auth_request method=GET user=anon session=None ip=127.0.0.1 csrf_cookie=False"},
		{"csrf cookie flag kept", "csrf_cookie=True csrf_header=False form_csrf=True", "csrf_cookie=True csrf_header=False form_csrf=True"},
		{"csrf token", "csrfmiddlewaretoken=AbCdEf0123456789&username=x", "csrfmiddlewaretoken=[REDACTED]&username=x"},
		{"cookie header", "Cookie: sessionid=abc123; csrftoken=def456", "Cookie: [REDACTED]"},
		{"authorization header", "Authorization: Bearer eyJhbGciOi.x.y", "Authorization: [REDACTED]"},
		{"word boundary", "bypass=1 compass: north", "bypass=1 compass: north"},
		{"malformed pool entry", "TEST_USER_POOL invalid entry (missing ':password'): 'bob;hunter2' - skipped (format: username:password)", "TEST_USER_POOL invalid entry (missing ':password'): 'bob;[REDACTED]' - skipped (format: username:password)"},
		{"pool entry without password kept", "TEST_USER_POOL invalid entry (missing ':password'): 'tester099' - skipped (format: username:password)", "TEST_USER_POOL invalid entry (missing ':password'): 'tester099' - skipped (format: username:password)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := String(c.in); got != c.want {
				t.Errorf("String(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}

func FuzzString(f *testing.F) {
	f.Add("TEST_USER_POOL=a:b,c:d")
	f.Add("postgres://u:p@h/db password=x")
	f.Add("Cookie: sessionid=1")
	f.Fuzz(func(t *testing.T, s string) {
		out := String(s)
		if strings.Contains(s, "hunter2") && strings.Contains(strings.ToLower(s), "password=hunter2") && strings.Contains(out, "password=hunter2") {
			t.Fatalf("password survived: %q", out)
		}
		if String(out) != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, out, String(out))
		}
	})
}

func BenchmarkStringNoSecret(b *testing.B) {
	line := "2026-11-29 18:57:01,605 DEBUG auth_debug auth_response status=200 method=GET path=/accounts/login/ user=anon duration_ms=36.60 db_queries=n/a db_time_ms=n/a"
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		String(line)
	}
}

// BenchmarkString measures the lines the parsers feed the redactor, from
// the cheapest (no trigger) to the costliest (several secrets, a long
// traceback line).
func BenchmarkString(b *testing.B) {
	for _, c := range []struct{ name, line string }{
		{"runserver-request", `[29/Nov/2026 18:57:27] "GET /api/project/54/rekap-kebutuhan/ HTTP/1.1" 500 145`},
		{"pgbouncer", "2026-11-29 18:57:27.305 UTC [1234] WARNING C-0x55d: rabdb/rabapp@127.0.0.1:44202 pooler error: query_wait_timeout"},
		{"auth-debug-harmless", "2026-11-29 18:57:01,611 DEBUG auth_debug auth_request method=POST path=/accounts/login/ user=anon session=None ip=127.0.0.1 csrf_cookie=True csrf_header=False form_csrf=True"},
		{"auth-debug-session", "2026-11-29 18:57:01,611 DEBUG auth_debug auth_request method=POST path=/accounts/login/ user=anon session=k3j4h5g6f7d8s9a0qwertyuiopasdfgh ip=127.0.0.1 csrf_cookie=True csrf_header=False form_csrf=True"},
		{"secrets", "login DB_PASSWORD=hunter2 access_token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl url=postgres://u:pw@h/db X-Api-Key: AKIAIOSFODNN7EXAMPLE"},
		{"long-traceback", strings.Repeat(`  File "/usr/lib/python3/dist-packages/django/core/handlers/exception.py", line 47, in inner `, 40)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.line)))
			b.ReportAllocs()
			for b.Loop() {
				String(c.line)
			}
		})
	}
}

func TestKeyValue(t *testing.T) {
	cases := []struct{ k, v, want string }{
		{"password", "hunter2", Mask},
		{"db_password", "hunter2", Mask},
		{"csrf_cookie", "maybe", "maybe"},
		{"refresh-token", "abc123", Mask},
		{"session", "None", "None"},
		{"session", "k3j4h5g6f7d8s9a0", Mask},
		{"TEST_USER_POOL", "a:pw1,b:pw2", "a:" + Mask + ",b:" + Mask},
		{"url", "postgres://u:pw@h/db", "postgres://u:" + Mask + "@h/db"},
		{"error", "query_wait_timeout", "query_wait_timeout"},
		{"client", "127.0.0.1:44202", "127.0.0.1:44202"},
	}
	for _, c := range cases {
		if got := KeyValue(c.k, c.v); got != c.want {
			t.Errorf("KeyValue(%q, %q) = %q, want %q", c.k, c.v, got, c.want)
		}
	}
}
