package rules

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

// v2Run holds the rows of ahsp hasil_test_auth_only_50u_multi_nolimit_v2
// (_stats.csv lines 2-4, _failures.csv line 2, _stats_history.csv line 130):
// no logs, the login POST stopping at ~120 s.
func v2Run() *correlate.Run {
	const p = "hasil_test_auth_only_50u_multi_nolimit_v2"
	run := &correlate.Run{Name: p}
	run.Stats = []parsers.StatRow{
		{Source: "csv", File: p + "_stats.csv", Line: 2, Type: "GET", Name: "[AUTH] Get Login Page", Requests: 50,
			Median: fp(2100), Max: fp(3050.4054999910295), Percentiles: parsers.Percentiles{P95: fp(3000), P99: fp(3100)}},
		{Source: "csv", File: p + "_stats.csv", Line: 3, Type: "POST", Name: "[AUTH] Login POST", Requests: 50, Failures: 20,
			Median: fp(7000), Average: fp(50615.573605999816), Min: fp(1318.8718000019435), Max: fp(120607.82360000303),
			Percentiles: parsers.Percentiles{P50: fp(7300), P95: fp(121000), P99: fp(121000), P100: fp(121000)}},
		{Source: "csv", File: p + "_stats.csv", Line: 4, Name: "Aggregated", Requests: 100, Failures: 20, Max: fp(120607.82360000303),
			Percentiles: parsers.Percentiles{P95: fp(120000), P99: fp(121000)}},
	}
	run.Aggregated = &run.Stats[2]
	run.Failures = []parsers.FailureRow{{Source: "csv", File: p + "_failures.csv", Line: 2, Method: "POST", Name: "[AUTH] Login POST",
		Error: "CatchResponseError('login server error: 500')", Occurrences: 20}}
	run.History = []parsers.HistoryRow{
		{File: p + "_stats_history.csv", Line: 2, Time: time.Unix(1768115352, 0).UTC(), Users: 0, Name: "Aggregated"},
		{File: p + "_stats_history.csv", Line: 130, Time: time.Unix(1768115482, 0).UTC(), Users: 50, Name: "Aggregated", TotalMax: fp(120106.36360000353)},
	}
	return run
}

// From the Locust CSV alone the ~120 s login ceiling is not proof of a
// pool exhaustion: the rule needs PgBouncer's or the driver's own words
// (latency-ceiling carries the story then).
func TestPoolNotFromCSVAlone(t *testing.T) {
	res := builtinOnly(t, "pgbouncer-pool-exhausted").EvaluateRun(&correlate.Analysis{}, v2Run(), DefaultTargets)
	if len(res.Findings) != 0 {
		t.Fatalf("fired from the CSV alone: %+v", res.Findings)
	}
	if len(res.Checks) != 1 || res.Checks[0].Status != StatusCannotCheck || !strings.Contains(res.Checks[0].Sentence(), "PgBouncer's log") {
		t.Errorf("want a cannot-check status naming PgBouncer's log, got %+v", res.Checks)
	}

	// With a PgBouncer log that holds no pool error: checked, nothing.
	run := v2Run()
	run.Events = correlate.EventsOf(ev(parsers.Event{Source: "pgbouncer", File: "pgbouncer.log", Line: 5, Kind: parsers.KindClosing,
		Message: "C-0x55df629d16d0: rabdb/rabapp@127.0.0.1:57102 closing because: client close request (age=0s)",
		Attrs:   map[string]string{"reason": "client close request", "age_s": "0"}}))
	res = builtinOnly(t, "pgbouncer-pool-exhausted").EvaluateRun(&correlate.Analysis{}, run, DefaultTargets)
	if len(res.Findings) != 0 || res.Checks[0].Status != StatusNoFinding {
		t.Errorf("with a clean PgBouncer log: findings %+v checks %+v", res.Findings, res.Checks)
	}
}

func TestPoolFromLogs(t *testing.T) {
	run := poolRun()
	rows := poolRows()
	rows[0].Attrs = map[string]string{"reason": "query_wait_timeout", "age_s": "5"}
	run.Events = correlate.EventsOf(rows...)
	run.History = []parsers.HistoryRow{{File: "h.csv", Line: 27, Time: wib("2026-11-29 18:57:26.000"), Users: 60, Name: "Aggregated"}}
	res := builtinOnly(t, "pgbouncer-pool-exhausted").EvaluateRun(&correlate.Analysis{}, run, DefaultTargets)
	if len(res.Findings) != 1 {
		t.Fatalf("findings %+v errors %v", res.Findings, res.Errors)
	}
	f := res.Findings[0]
	if f.Severity != "critical" || f.Confidence < 0.9 {
		t.Errorf("severity %s confidence %v", f.Severity, f.Confidence)
	}
	for _, want := range []string{"turned away 1 waiting client", "query_wait_timeout ≈ 5 s", "driver raised it in 1 request", "/dashboard/ (1)", "20 5xx failures", "60 users"} {
		if !strings.Contains(f.Summary, want) {
			t.Errorf("summary lacks %q: %s", want, f.Summary)
		}
	}
	if f.Evidence[0].File != "pgbouncer.log" || f.Evidence[0].Time == nil {
		t.Errorf("first evidence should be the pooler line, with time: %+v", f.Evidence[0])
	}
	if f.Metrics["query_wait_timeout_s"] != 5 || f.Metrics["onset_users"] != 60 {
		t.Errorf("metrics %v", f.Metrics)
	}
}

func TestDriverPatterns(t *testing.T) {
	cases := []struct {
		text string
		want bool
	}{
		{"psycopg.errors.ProtocolViolation: query_wait_timeout", true},
		{"django.db.utils.OperationalError: query_wait_timeout", true},
		{"psycopg2.OperationalError: FATAL:  query_wait_timeout", true},
		{"Unhandled exception [EBA505A1]: query_wait_timeout", true},
		{"NameError: name 'x' is not defined", false},
		{"django.db.utils.OperationalError: FATAL:  no pg_hba.conf entry for host", false},
	}
	for _, c := range cases {
		e := correlate.EventsOf(parsers.Event{Source: "django", Message: c.text}).At(0)
		if got := e.IsPoolDriverError(); got != c.want {
			t.Errorf("%q: %v, want %v", c.text, got, c.want)
		}
	}
}

// Back-to-back runs share log lines through the correlation margin; the
// pool errors inside the second run's window belong to it alone.
func TestPoolOwnWindow(t *testing.T) {
	first, second := poolRun(), poolRun()
	first.Name, second.Name = "run1", "run2"
	// The pooler error is at 11:57:27Z.
	first.Start, first.End = wib("2026-11-29 18:56:00.000"), wib("2026-11-29 18:57:00.000")
	second.Start, second.End = wib("2026-11-29 18:57:10.000"), wib("2026-11-29 18:58:00.000")
	a := &correlate.Analysis{Runs: []*correlate.Run{first, second}}
	res := builtinOnly(t, "pgbouncer-pool-exhausted").Evaluate(a, DefaultTargets)
	if len(res[0].Findings) != 0 {
		t.Errorf("run1 claimed run2's pool errors: %s", res[0].Findings[0].Summary)
	}
	if len(res[1].Findings) != 1 {
		t.Errorf("run2 lost its pool errors: %+v", res[1])
	}
	// Alone, run1 keeps its tail: requests queued at its stop fail later.
	res = builtinOnly(t, "pgbouncer-pool-exhausted").Evaluate(&correlate.Analysis{Runs: []*correlate.Run{first}}, DefaultTargets)
	if len(res[0].Findings) != 1 {
		t.Errorf("run1 alone lost the errors of its tail: %+v", res[0])
	}
}

// PgBouncer's stats "wait" is read by version and never as a time longer
// than the timeout the log shows.
func TestStatsWait(t *testing.T) {
	stats := &correlate.Event{}
	cases := []struct {
		name           string
		p              correlate.PoolFacts
		since          string
		want           string
		wantMeaningful bool
	}{
		{"over the timeout", correlate.PoolFacts{MaxWaitUS: 16807129, MaxWait: stats, Ages: []int64{4, 5}, Version: "1.18.0"}, "", "not a wait time", false},
		{"no version", correlate.PoolFacts{MaxWaitUS: 969, MaxWait: stats}, "", "not read as a wait time", false},
		{"old version", correlate.PoolFacts{MaxWaitUS: 969, MaxWait: stats, Version: "1.17.0"}, "1.21", "about 0.0 clients waiting", false},
		{"new version", correlate.PoolFacts{MaxWaitUS: 1500000, MaxWait: stats, Version: "1.23.1", Ages: []int64{120}}, "1.21", "up to 1.5 s", true},
	}
	for _, c := range cases {
		s, _, m := statsWait(&c.p, c.since)
		if !strings.Contains(s, c.want) || m != c.wantMeaningful {
			t.Errorf("%s: %q (meaningful %v), want %q (%v)", c.name, s, m, c.want, c.wantMeaningful)
		}
	}
	for _, c := range []struct {
		v, min string
		want   bool
	}{{"1.18.0", "1.18", true}, {"1.17.9", "1.18", false}, {"1.20", "1.18.0", true}, {"", "1.0", false}} {
		if got := versionAtLeast(c.v, c.min); got != c.want {
			t.Errorf("versionAtLeast(%q, %q) = %v", c.v, c.min, got)
		}
	}
}

// The server's 5xx are reconciled with Locust's per name, and the gap is
// explained from the data (the captured pool-exhaustion run: 60 on the
// server, 49 in Locust).
func TestReconcile5xxStack(t *testing.T) {
	a, err := pipeline([]string{"testdata/pgbouncer-pool-exhausted/fire-stack"})
	if err != nil {
		t.Fatal(err)
	}
	res := builtinOnly(t, "pgbouncer-pool-exhausted").Evaluate(a, DefaultTargets)
	if len(res) != 1 || len(res[0].Findings) != 1 {
		t.Fatalf("got %+v", res)
	}
	s := res[0].Findings[0].Summary
	for _, want := range []string{"the server answered", "Locust recorded", "server vs Locust", "[AUTH] Login POST"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q: %s", want, s)
		}
	}
	if strings.Contains(s, "average wait of clients") {
		t.Errorf("stats wait read as a wait time: %s", s)
	}
}

func TestEndsCited(t *testing.T) {
	cite := func(n int) Evidence { return Evidence{File: "f", Line: int64(n)} }
	lines := func(ev []Evidence) (out []int64) {
		for _, e := range ev {
			out = append(out, e.Line)
		}
		return out
	}
	for _, c := range []struct {
		lists [][]int
		want  []int64
	}{
		{nil, nil},
		{[][]int{{}, {}}, nil},
		{[][]int{{7}}, []int64{7}},
		{[][]int{{}, {7}}, []int64{7}},
		{[][]int{{1, 2, 3}}, []int64{1, 3}},
		{[][]int{{1}, {}, {8, 9}}, []int64{1, 9}},
		{[][]int{{1, 2}, {}}, []int64{1, 2}},
	} {
		if got := lines(endsCited(cite, c.lists...)); !slices.Equal(got, c.want) {
			t.Errorf("%v: cited %v, want %v", c.lists, got, c.want)
		}
	}
}
