package parsers

import (
	"strings"
	"testing"
)

// Figures no load test can produce (a negative latency, a rate or a size
// below zero, Inf, NaN) are flagged and read as null, so no report or gate
// ever compares them with a target.
func TestImpossibleFigures(t *testing.T) {
	const hdr = "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
	text := hdr +
		"GET,/a/,10,1,-12,20,-1,inf,48.0,0.4,0.04,7,7,7,7,7,-9000,7,NaN,7,7,-Infinity\n" +
		",Aggregated,10,1,7,20,1,30,48.0,-0.4,0.04,7,7,7,7,7,-9000,7,7,7,7,7\n"
	res := parseText(t, "neg_stats.csv", text, Options{})
	if len(res.Stats) != 2 {
		t.Fatalf("%d stats rows", len(res.Stats))
	}
	a, agg := res.Stats[0], res.Stats[1]
	for name, v := range map[string]*float64{"median": a.Median, "min": a.Min, "max": a.Max, "p95": a.P95, "p99": a.P99, "p100": a.P100, "agg p95": agg.P95, "agg rps": agg.RPS} {
		if v != nil {
			t.Errorf("%s = %v, want null", name, *v)
		}
	}
	if a.Average == nil || *a.Average != 20 || agg.P50 == nil || *agg.P50 != 7 {
		t.Errorf("plausible figures were lost: average %v, p50 %v", a.Average, agg.P50)
	}
	msgs := strings.Join(res.Audit.Messages, "\n")
	for _, want := range []string{"neg_stats.csv:2: median_ms = -12 is negative, an impossible figure; read as null", "(7 such values)"} {
		if !strings.Contains(msgs, want) {
			t.Errorf("messages lack %q:\n%s", want, msgs)
		}
	}
	if !strings.Contains(strings.Join(res.Audit.Warnings, "\n"), "impossible figure") {
		t.Errorf("the impossible figures are not among the audit's warnings: %q", res.Audit.Warnings)
	}
}
