package gates

import (
	"math"
	"strings"
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
	"github.com/logcorr/logcorr/rules"
)

const v18 = "hasil_test_v18_100u_pgbouncer_redis_20260111_114225"

func mustParse(t *testing.T, src string) Gate {
	t.Helper()
	g, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestEvaluateV18 runs every metric form on the user's v18 run: Aggregated
// 7064 requests, 45 failures, p95 2100 ms, p99 19000 ms; Login POST 45 of
// 100 failed.
func TestEvaluateV18(t *testing.T) {
	a := ahspAnalysis(t)
	run := runNamed(t, a, v18)
	cases := []struct {
		gate   string
		pass   bool
		actual string
	}{
		{"p95<2s", false, "2100 ms"},
		{"p95<2.2s", true, "2100 ms"},
		{"p99<2s", false, "19000 ms"},
		{"median<100ms", true, "25 ms"},
		{"failure_pct<1%", true, "0.64 %"},
		{"failure_pct<0.5%", false, "0.64 %"},
		{"auth_success>99%", false, "55.00 % (45 of 100 [AUTH] Login POST failed)"},
		{`endpoint["[AUTH] Login POST"].p95<1s`, false, "51000 ms"},
		{`endpoint["POST [AUTH] Login POST"].failures<1`, false, "45"},
		{`endpoint["[AUTH] Get Login Page"].p95<=2100`, true, "2100 ms"},
		{"requests>=7000", true, "7064"},
		{"rps>20", true, "23.6"},
	}
	for _, c := range cases {
		res := Evaluate([]Gate{mustParse(t, c.gate)}, run, nil, nil)[0]
		if res.Pass != c.pass || res.Actual != c.actual || res.Unknown {
			t.Errorf("%s on v18: pass=%v actual=%q unknown=%v (%s); want pass=%v actual=%q", c.gate, res.Pass, res.Actual, res.Unknown, res.Message, c.pass, c.actual)
		}
		if res.Run != v18 || !strings.Contains(res.Message, v18) {
			t.Errorf("%s: result does not name the run: %+v", c.gate, res)
		}
		if !strings.HasSuffix(res.File, "_stats.csv") || res.Line == 0 {
			t.Errorf("%s: evidence %s:%d, want the stats.csv row", c.gate, res.File, res.Line)
		}
	}
	// An endpoint that does not exist cannot pass.
	res := Evaluate([]Gate{mustParse(t, `endpoint["/nope/"].p95<1s`)}, run, nil, nil)[0]
	if res.Pass || !res.Unknown {
		t.Errorf("missing endpoint: %+v", res)
	}
}

// TestWindowedV18: Locust's history p95 of v18 goes above 2 s, so the
// windowed gate fails at 2 s, and passes with a ceiling above the worst
// history value.
func TestWindowedV18(t *testing.T) {
	a := ahspAnalysis(t)
	run := runNamed(t, a, v18)
	var worst float64
	for _, h := range run.History {
		if h.P95 != nil && *h.P95 > worst {
			worst = *h.P95
		}
	}
	if worst <= 2000 {
		t.Fatalf("v18 history p95 never exceeds 2 s (max %v): the test premise is wrong", worst)
	}
	res := Evaluate([]Gate{mustParse(t, "p95<2s over any 30s")}, run, nil, nil)[0]
	if res.Pass || !strings.Contains(res.Message, "in the window") || !strings.HasSuffix(res.File, "_stats_history.csv") {
		t.Errorf("p95<2s over any 30s on v18: %+v", res)
	}
	above := mustParse(t, "p95<1000m over any 30s") // 1000 minutes: above anything
	res = Evaluate([]Gate{above}, run, nil, nil)[0]
	if !res.Pass || res.Actual != format("p95", worst) {
		t.Errorf("ceiling above the worst value: %+v (worst %v)", res, worst)
	}
	// A window can hide nothing: with a ceiling just under the worst
	// value, the gate fails whatever the window length.
	for _, w := range []string{"1s", "30s", "10m"} {
		g := mustParse(t, "p95<"+format("p95", worst-1)[:len(format("p95", worst-1))-3]+" over any "+w)
		if res := Evaluate([]Gate{g}, run, nil, nil)[0]; res.Pass {
			t.Errorf("%s passed although a sample is %v", g.Source, worst)
		}
	}
}

func TestEvaluateFindingsAndClusters(t *testing.T) {
	run := &correlate.Run{Name: "r", Clusters: []correlate.Cluster{
		{Kind: "exception", Key: "psycopg2.OperationalError|utils.py:84|FATAL: query_wait_timeout", ExcType: "psycopg2.OperationalError", Count: 88,
			Examples: []correlate.Ref{{File: "logs/django_errors.log", Line: 17}}},
		{Kind: "message", Key: "closing because: client close request"},
	}}
	base := &correlate.Run{Name: "base", Clusters: []correlate.Cluster{{Kind: "exception", Key: "other"}}}
	same := &correlate.Run{Name: "same", Clusters: run.Clusters}
	fs := []rules.Finding{
		{ID: "pool-exhaustion", Severity: "critical", Title: "PgBouncer pool exhausted", Summary: "88 of 93 5xx", Evidence: []rules.Evidence{{File: "pgbouncer.log", Line: 301}}},
		{ID: "slo-breach", Severity: "high"},
	}
	cases := []struct {
		gate     string
		base     *correlate.Run
		findings []rules.Finding
		pass     bool
		unknown  bool
	}{
		{"no finding>=critical", nil, fs, false, false},
		{"no finding>=critical", nil, fs[1:], true, false},
		{"no finding>high", nil, fs[1:], true, false},
		{"no finding=high", nil, fs[1:], false, false},
		{"no finding=pool-exhaustion", nil, fs, false, false},
		{"no finding=pool-exhaustion", nil, fs[1:], true, false},
		{"no new exception cluster vs baseline", base, nil, false, false},
		{"no new exception cluster vs baseline", same, nil, true, false},
		{"no new exception cluster vs baseline", nil, nil, false, true},
	}
	for _, c := range cases {
		res := Evaluate([]Gate{mustParse(t, c.gate)}, run, c.findings, c.base)[0]
		if res.Pass != c.pass || res.Unknown != c.unknown {
			t.Errorf("%s: %+v, want pass=%v unknown=%v", c.gate, res, c.pass, c.unknown)
		}
	}
	res := Evaluate([]Gate{mustParse(t, "no finding>=critical")}, run, fs, nil)[0]
	if res.File != "pgbouncer.log" || res.Line != 301 || !strings.Contains(res.Actual, "pool-exhaustion (critical)") {
		t.Errorf("finding gate evidence: %+v", res)
	}
}

// With no run to look at, every gate fails as not evaluated.
func TestEvaluateRunsWithoutRuns(t *testing.T) {
	gs := []Gate{mustParse(t, "p95<2s"), mustParse(t, "no finding>=critical")}
	res := EvaluateRuns(gs, nil, nil, nil)
	if len(res) != len(gs) {
		t.Fatalf("%d results for %d gates", len(res), len(gs))
	}
	for i, r := range res {
		if r.Pass || !r.Unknown || r.Run != NoRun || r.Gate.Source != gs[i].Source || !strings.Contains(r.Message, "no Locust run") {
			t.Errorf("result %d: %+v", i, r)
		}
	}
	if code := ExitCode(res, 10, 10, DefaultMinParsed); code != ExitFailed {
		t.Errorf("exit %d, want %d", code, ExitFailed)
	}
	if EvaluateRuns(nil, nil, nil, nil) != nil {
		t.Errorf("no gates, yet results")
	}
}

// An impossible figure (a negative latency, NaN, Inf, more failures than
// requests) is never compared with the target: the gate fails as not
// evaluated and says why, however the comparison would have gone.
func TestImpossibleFiguresAreNotCompared(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	row := func(p95 *float64, req, fail int64) *correlate.Run {
		agg := parsers.StatRow{Name: "Aggregated", File: "x_stats.csv", Line: 3, Requests: req, Failures: fail, Percentiles: parsers.Percentiles{P95: p95}}
		return &correlate.Run{Name: "r", Aggregated: &agg, Stats: []parsers.StatRow{agg},
			History: []parsers.HistoryRow{{Name: "Aggregated", File: "x_stats_history.csv", Line: 2, Percentiles: parsers.Percentiles{P95: p95}}}}
	}
	cases := []struct {
		gate string
		run  *correlate.Run
		why  string
	}{
		{"p95<2s", row(f(-9000), 10, 0), "-9000 ms is negative"},
		{"p95<2s", row(f(math.NaN()), 10, 0), "NaN"},
		{"p95<2s", row(f(math.Inf(1)), 10, 0), "+Inf"},
		{"p95<2s over any 30s", row(f(-9000), 10, 0), "-9000 ms is negative"},
		{"failure_pct<1%", row(f(100), 10, 20), "more failures (20) than requests (10)"},
		{"failure_pct<1%", row(f(100), -5, 0), "negative request count"},
		{"requests>1", row(f(100), -5, 0), "negative request count"},
	}
	for _, c := range cases {
		res := Evaluate([]Gate{mustParse(t, c.gate)}, c.run, nil, nil)[0]
		if res.Pass || !res.Unknown || !strings.Contains(res.Message, "impossible") || !strings.Contains(res.Message, c.why) {
			t.Errorf("%s: %+v; want a not-evaluated failure naming an impossible figure (%s)", c.gate, res, c.why)
		}
	}
}
