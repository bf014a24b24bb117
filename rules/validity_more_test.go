package rules

import (
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

// Fixture cases for the remaining validity rules, read with csvRun. The
// client-errors and server-unreachable fire cases are built in Locust's
// _failures.csv shape with error texts documented for the user's stack
// (FORMATS.md): the ahsp corpus has no 4xx or connection failure.
// single-endpoint-failure's fire case is the healthy stack run with one
// row's failure count raised.
func TestValidityMoreFixtures(t *testing.T) {
	tests := []struct {
		id, dir string
		fire    map[string]int
	}{
		{"client-errors", "testdata/client-errors/fire", map[string]int{"hasil_test_route_mismatch": 2}},
		{"client-errors", "testdata/client-errors/quiet", nil},
		{"server-unreachable", "testdata/server-unreachable/fire", map[string]int{"hasil_test_server_down": 1}},
		{"server-unreachable", "testdata/server-unreachable/quiet", nil},
		{"single-endpoint-failure", "testdata/single-endpoint-failure/fire", map[string]int{"hasil_test_one_bad_endpoint": 1}},
		{"single-endpoint-failure", "testdata/single-endpoint-failure/quiet", nil},
		{"latency-ceiling", "testdata/latency-ceiling/fire", map[string]int{"hasil_test_v19_100u_nolimit_pool140_no_export": 1}},
		{"latency-ceiling", "testdata/latency-ceiling/quiet", nil},
		{"latency-floor", "testdata/latency-floor/fire", map[string]int{"hasil_test_auth_only_50u_multi": 1}},
		{"latency-floor", "testdata/latency-floor/quiet", nil},
		{"artifact-inconsistent", "testdata/artifact-inconsistent/fire", map[string]int{"hasil_test_v24_100u_pool140_no_export_no_admin": 2}},
		{"artifact-inconsistent", "testdata/artifact-inconsistent/quiet", nil},
		{"locust-rounding", "testdata/locust-rounding/fire", map[string]int{"hasil_test_v21_100u_pool140_no_export": 1}},
		{"locust-rounding", "testdata/locust-rounding/quiet", nil},
	}
	for _, tc := range tests {
		t.Run(tc.dir, func(t *testing.T) {
			got := fixtureCase(t, tc.id, tc.dir)
			if len(got) == 0 {
				t.Fatal("no run in fixture")
			}
			for run, fs := range got {
				if len(fs) != tc.fire[run] {
					t.Errorf("%s: %d findings, want %d: %v", run, len(fs), tc.fire[run], fs)
				}
			}
		})
	}
}

func TestWithinRounding(t *testing.T) {
	tests := []struct {
		a, b float64
		want bool
	}{
		{120000, 121000, true}, // 1 s steps from 10 s
		{120000, 122000, false},
		{2100, 2200, true}, // 100 ms steps below 10 s
		{2100, 2300, false},
		{91, 100, true}, // 100 rounds in 10 ms steps
		{25, 24, true},
		{25, 27, false},
		{150, 170, false},
		{9900, 10000, true},
	}
	for _, tc := range tests {
		if got := WithinRounding(tc.a, tc.b); got != tc.want {
			t.Errorf("WithinRounding(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// A run read from both its CSVs and its HTML report: correlate keeps the
// HTML copies apart (FailuresHTML, ExceptionsHTML); the checks count only
// the run's own rows.
func TestValidityChecksCountOneSource(t *testing.T) {
	run := &correlate.Run{
		Name: "r",
		Failures: []parsers.FailureRow{
			{Source: "csv", File: "r_failures.csv", Line: 2, Method: "GET", Name: "/api/x/", Error: "HTTPError('404 Client Error: Not Found for url: /api/x/')", Occurrences: 12},
			{Source: "csv", File: "r_failures.csv", Line: 3, Method: "GET", Name: "/api/y/", Error: "ConnectionRefusedError(111, 'Connection refused')", Occurrences: 5},
		},
		FailuresHTML: []parsers.FailureRow{
			{Source: "html", File: "r.html", Method: "GET", Name: "/api/x/", Error: "HTTPError('404 Client Error: Not Found for url: /api/x/')", Occurrences: 12},
			{Source: "html", File: "r.html", Method: "GET", Name: "/api/y/", Error: "ConnectionRefusedError(111, 'Connection refused')", Occurrences: 5},
		},
		Exceptions: []parsers.ExceptionRow{
			{Source: "csv", File: "r_exceptions.csv", Line: 2, Count: 40, Message: "No tasks defined on ApiUser. Use the @task decorator"},
		},
		ExceptionsHTML: []parsers.ExceptionRow{
			{Source: "html", File: "r.html", Count: 40, Message: "No tasks defined on ApiUser. Use the @task decorator"},
		},
	}
	for _, c := range []struct {
		id     string
		metric string
		want   float64
	}{
		{"client-errors", "failures", 12},
		{"server-unreachable", "failures", 5},
		{"user-class-without-tasks", "exceptions", 40},
	} {
		fs := runCheck(t, c.id, nil, run)
		if len(fs) != 1 {
			t.Fatalf("%s: %d findings, want 1", c.metric, len(fs))
		}
		if got := fs[0].Metrics[c.metric]; got != c.want {
			t.Errorf("%s = %v, want %v (%s)", c.metric, got, c.want, fs[0].Summary)
		}
	}
}
