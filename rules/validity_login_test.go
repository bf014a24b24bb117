package rules

import (
	"strings"
	"testing"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

func TestValidityLoginFixtures(t *testing.T) {
	tests := []struct {
		id, dir string
		want    map[string]string // run → severity of its one finding
	}{
		{"login-post-missing", "testdata/login-post-missing/fire", map[string]string{"hasil_test_auth_only_50u_multi_nolimit": "high"}},
		{"login-post-missing", "testdata/login-post-missing/quiet", nil},
		{"responses-are-login-page", "testdata/responses-are-login-page/fire", map[string]string{"hasil_test_v19_100u_nolimit_pool140_no_export": "critical"}}, // every non-login success of the excerpt is a login page
		{"responses-are-login-page", "testdata/responses-are-login-page/quiet", nil},
		{"error-page-as-success", "testdata/error-page-as-success/fire_csrf", map[string]string{"hasil_test_v19_100u_nolimit_pool140_no_export": "medium"}},
		{"error-page-as-success", "testdata/error-page-as-success/quiet", nil},
	}
	for _, tc := range tests {
		t.Run(tc.dir, func(t *testing.T) {
			for run, fs := range fixtureCase(t, tc.id, tc.dir) {
				want, fire := tc.want[run]
				switch {
				case !fire && len(fs) > 0:
					t.Errorf("%s: unexpected %v", run, fs)
				case fire && len(fs) != 1:
					t.Errorf("%s: %d findings, want 1: %v", run, len(fs), fs)
				case fire && fs[0].Severity != want:
					t.Errorf("%s: severity %s, want %s", run, fs[0].Severity, want)
				}
			}
		})
	}
}

// The v19 no-export rows: 15 names' successes were the 12,662-byte login
// page; failures there carry a 10,655-byte page (solved from the rows).
func TestLoginPageArithmetic(t *testing.T) {
	a := fixtureRuns(t, "testdata/responses-are-login-page/fire")
	fs := runCheck(t, "responses-are-login-page", a, a.Runs[0])
	if len(fs) != 1 {
		t.Fatalf("got %v", fs)
	}
	m := fs[0].Metrics
	if m["login_page_bytes"] != 12662 {
		t.Errorf("login page %v, want 12662 (the [AUTH] Get Login Page row)", m["login_page_bytes"])
	}
	// deprecation-metrics (10) and tahapan/[tahapan_id] (26) are pure
	// login pages; harga-items/list (48 ok), audit-trail (21), parameters
	// (41), volume/formula (37) and rekap-rab (140) are login pages mixed
	// with their failures' 10,655-byte page.
	if got, want := m["affected_requests"], float64(10+26+48+21+41+37+140); got != want {
		t.Errorf("affected %v, want %v", got, want)
	}
	if m["failure_body_bytes"] != 10655 {
		t.Errorf("failure body %v, want 10655", m["failure_body_bytes"])
	}
	if m["effective_failure_pct"] <= m["failure_pct"] {
		t.Errorf("effective failure %% %v not above headline %v", m["effective_failure_pct"], m["failure_pct"])
	}
}

func TestUserPoolMisconfigured(t *testing.T) {
	at := time.Date(2026, 1, 11, 6, 42, 56, 0, time.UTC)
	ev := func(msg string) parsers.Event {
		return parsers.Event{Time: at, File: "logs/locust_login_failures.log", Line: 1, Kind: parsers.KindPoolConfig, Message: msg}
	}
	tests := []struct {
		name string
		msgs []string
		want int
	}{
		{"hasil_test_auth_only_50u_multi_nolimit", []string{"TEST_USER_POOL invalid entry (missing ':password'): 'tester01' - skipped (format: username:password)"}, 1},
		{"hasil_test_x", []string{"single_user_pool active username=tester (set TEST_USER_POOL to test multi-user)"}, 1},
		{"hasil_test_auth_only_50u_single", []string{"single_user_pool active username=tester (set TEST_USER_POOL to test multi-user)"}, 0},
		{"hasil_test_x", []string{"Multi-user pool configured: 30 users (tester001, tester002, ...)"}, 0},
		{"hasil_test_x", []string{"TEST_USER_POOL invalid entry (missing ':password'): 'bob;[REDACTED]' - skipped", "single_user_pool active username=bob"}, 2},
	}
	for _, tc := range tests {
		var rows []parsers.Event
		for _, m := range tc.msgs {
			rows = append(rows, ev(m))
		}
		r := &correlate.Run{Name: tc.name, Events: correlate.EventsOf(rows...)}
		fs := runCheck(t, "user-pool-misconfigured", nil, r)
		if len(fs) != tc.want {
			t.Errorf("%s %v: %d findings, want %d", tc.name, tc.msgs, len(fs), tc.want)
		}
		for _, f := range fs {
			for _, e := range f.Evidence {
				// Redaction happens when the log is parsed (redact and
				// parsers/secrets.go); the rule cites the line as parsed.
				if strings.Contains(e.Text, "***") {
					t.Errorf("evidence rewritten by the rule: %q", e.Text)
				}
			}
		}
	}
}

// A login POST still queued when the run stopped is pending, not missing;
// TEST_USER_POOL advice only when a pool line shows the locustfile
// rejected entries.
func TestLoginPostPending(t *testing.T) {
	fs := fixtureCase(t, "login-post-missing", "testdata/login-post-missing/fire-pending")["hasil_test_auth_only_50u_multi_nolimit"]
	if len(fs) != 1 {
		t.Fatalf("got %v", fs)
	}
	f := fs[0]
	if !strings.Contains(f.Summary, "still pending, not missing") || strings.Contains(f.Recommendation, "TEST_USER_POOL") {
		t.Errorf("summary %q / recommendation %q", f.Summary, f.Recommendation)
	}
	alone := fixtureCase(t, "login-post-missing", "testdata/login-post-missing/fire")["hasil_test_auth_only_50u_multi_nolimit"]
	if len(alone) != 1 || strings.Contains(alone[0].Summary, "pending, not missing") || strings.Contains(alone[0].Recommendation, "TEST_USER_POOL as") {
		t.Errorf("without a sibling run or a pool line: %+v", alone)
	}
}
