package rules

import (
	"strings"
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

func fp(f float64) *float64 { return &f }

// v18Run holds rows of ahsp hasil_test_v18_100u_pgbouncer_redis_20260111_114225_stats.csv
// (lines 18, 19 and 36 of the real file), as the CSV parser reads them.
func v18Run() *correlate.Run {
	const file = "hasil_test_v18_100u_pgbouncer_redis_20260111_114225_stats.csv"
	run := &correlate.Run{Name: "hasil_test_v18_100u_pgbouncer_redis_20260111_114225"}
	run.Stats = []parsers.StatRow{
		{Source: "csv", File: file, Line: 18, Type: "GET", Name: "[AUTH] Get Login Page", Requests: 100, Failures: 0,
			Median: fp(2100), Average: fp(2095.91513400017), Min: fp(2031.481599995459), Max: fp(2154.012500002864),
			AvgContentSize: fp(12662), RPS: fp(0.3342212985725516), FPS: fp(0),
			Percentiles: parsers.Percentiles{P50: fp(2100), P95: fp(2100), P99: fp(2200), P100: fp(2200)}},
		{Source: "csv", File: file, Line: 19, Type: "POST", Name: "[AUTH] Login POST", Requests: 100, Failures: 45,
			Median: fp(73), Average: fp(4639.382706000033), Min: fp(15.126600002986379), Max: fp(51457.469000000856),
			AvgContentSize: fp(9685.24), RPS: fp(0.3342212985725516), FPS: fp(0.15039958435764822),
			Percentiles: parsers.Percentiles{P50: fp(74), P95: fp(51000), P99: fp(51000), P100: fp(51000)}},
		{Source: "csv", File: file, Line: 36, Type: "", Name: "Aggregated", Requests: 7064, Failures: 45,
			Median: fp(25), Average: fp(723.1334955124695), Min: fp(2.812499995343387), Max: fp(60413.606599999184),
			AvgContentSize: fp(14471.804077010192), RPS: fp(23.609392531165046), FPS: fp(0.15039958435764822),
			Percentiles: parsers.Percentiles{P50: fp(25), P66: fp(38), P75: fp(52), P80: fp(65), P90: fp(140), P95: fp(2100),
				P98: fp(16000), P99: fp(19000), P999: fp(50000), P9999: fp(60000), P100: fp(60000)}},
	}
	run.Aggregated = &run.Stats[2]
	return run
}

func builtinOnly(t *testing.T, ids ...string) *Set {
	t.Helper()
	s, err := Load(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	o, err := s.Only(ids...)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestSLOBreachV18(t *testing.T) {
	res := builtinOnly(t, "slo-breach").EvaluateRun(&correlate.Analysis{}, v18Run(), DefaultTargets)
	if len(res.Findings) != 1 {
		t.Fatalf("findings = %+v errors = %v", res.Findings, res.Errors)
	}
	f := res.Findings[0]
	// The weekly report's own figures.
	for _, want := range []string{"7,064 requests", "45 failures (0.64 %)", "median 25 ms", "p95 2.1 s", "p99 19 s", "23.6 RPS", "auth success 55.0 %"} {
		if !strings.Contains(f.Summary, want) {
			t.Errorf("summary lacks %q: %s", want, f.Summary)
		}
	}
	wantM := map[string]float64{"requests": 7064, "failures": 45, "failure_pct": 0.637, "median_ms": 25, "p95_ms": 2100, "p99_ms": 19000, "rps": 23.609, "auth_success_pct": 55}
	for k, v := range wantM {
		if f.Metrics[k] != v {
			t.Errorf("metric %s = %v, want %v", k, f.Metrics[k], v)
		}
	}
	if f.Severity != "critical" {
		t.Errorf("severity %s: auth success 55 %% is under the 90 %% critical line", f.Severity)
	}
	ag := f.Evidence[0]
	if ag.Line != 36 || ag.Text != ",Aggregated,7064,45,25,723.1334955124695,2.812499995343387,60413.606599999184,14471.804077010192,23.609392531165046,0.15039958435764822,25,38,52,65,140,2100,16000,19000,50000,60000,60000" {
		t.Errorf("Aggregated evidence = %+v", ag)
	}
}

func TestSLOQuietWithinTargets(t *testing.T) {
	run := v18Run()
	run.Stats = run.Stats[:1] // login page only: 0 failures, no POST
	run.Stats = append(run.Stats, parsers.StatRow{Name: "Aggregated", Requests: 1323, Median: fp(30),
		Percentiles: parsers.Percentiles{P95: fp(1000), P99: fp(1500)}})
	run.Aggregated = &run.Stats[1]
	res := builtinOnly(t, "slo-breach").EvaluateRun(&correlate.Analysis{}, run, DefaultTargets)
	if len(res.Findings) != 0 {
		t.Fatalf("healthy figures fired: %+v", res.Findings)
	}
	// The same figures against a tighter target do breach.
	tight := DefaultTargets
	tight.P95MS = 500
	res = builtinOnly(t, "slo-breach").EvaluateRun(&correlate.Analysis{}, run, tight)
	if len(res.Findings) != 1 || res.Findings[0].Severity != "high" {
		t.Fatalf("tight target: %+v", res.Findings)
	}
}
