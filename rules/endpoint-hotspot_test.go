package rules

import (
	"strings"
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

// slowExportsRun holds rows of stack/slow_exports hasil_test_slow_exports_stats.csv.
func slowExportsRun() *correlate.Run {
	const f = "hasil_test_slow_exports_stats.csv"
	run := &correlate.Run{Name: "hasil_test_slow_exports"}
	run.Stats = []parsers.StatRow{
		{Source: "csv", File: f, Line: 2, Type: "GET", Name: "/api/project/[id]/export/rekap-rab/pdf/", Requests: 31, Average: fp(22786.52180125808),
			Percentiles: parsers.Percentiles{P95: fp(35000), P99: fp(38000)}},
		{Source: "csv", File: f, Line: 3, Type: "GET", Name: "/api/project/[id]/export/rekap-rab/xlsx/", Requests: 40, Average: fp(21708.456516749997),
			Percentiles: parsers.Percentiles{P95: fp(36000), P99: fp(39000)}},
		{Source: "csv", File: f, Line: 5, Type: "GET", Name: "/api/project/[id]/rekap-kebutuhan/", Requests: 199, Average: fp(61.46203982411725),
			Percentiles: parsers.Percentiles{P95: fp(72), P99: fp(100)}},
		{Source: "csv", File: f, Line: 10, Type: "POST", Name: "[AUTH] Login POST", Requests: 136, Average: fp(147.88647329411765),
			Percentiles: parsers.Percentiles{P95: fp(220), P99: fp(240)}},
		{Source: "csv", File: f, Line: 12, Name: "Aggregated", Requests: 1084, Average: fp(1494.4062402426175),
			Percentiles: parsers.Percentiles{P95: fp(14000), P99: fp(32000)}},
	}
	run.Aggregated = &run.Stats[4]
	return run
}

func TestHotspot(t *testing.T) {
	res := builtinOnly(t, "endpoint-hotspot").EvaluateRun(&correlate.Analysis{}, slowExportsRun(), DefaultTargets)
	if len(res.Findings) != 1 {
		t.Fatalf("%+v %v", res.Findings, res.Errors)
	}
	f := res.Findings[0]
	xlsx := strings.Index(f.Summary, "export/rekap-rab/xlsx/: p95 36 s, p99 39 s, 40 requests")
	pdf := strings.Index(f.Summary, "export/rekap-rab/pdf/: p95 35 s")
	if xlsx < 0 || pdf < 0 || pdf < xlsx || strings.Contains(f.Summary, "rekap-kebutuhan") {
		t.Errorf("ranking: %s", f.Summary)
	}
	// xlsx: 40 × 21708 ms over the rows' total.
	if got := f.Metrics["top_share_pct"]; got < 50 || got > 80 {
		t.Errorf("top share %v", got)
	}
	if f.Severity != "high" || len(f.Evidence) != 2 || f.Evidence[0].Line != 3 {
		t.Errorf("severity %s evidence %+v", f.Severity, f.Evidence)
	}
	// Within a 60 s target nothing is a hotspot.
	loose := DefaultTargets
	loose.P95MS, loose.P99MS = 60000, 60000
	if res := builtinOnly(t, "endpoint-hotspot").EvaluateRun(&correlate.Analysis{}, slowExportsRun(), loose); len(res.Findings) != 0 {
		t.Errorf("fired within target: %+v", res.Findings)
	}
}
