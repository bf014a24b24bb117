package gates

import "github.com/logcorr/logcorr/rules"

// Targets returns the metric targets the rules compare against (the
// slo-breach finding, the hotspot ranking, the report's target column):
// the defaults, overridden by the run-wide --slo gates that name the same
// figure. Endpoint and windowed gates do not change the run's targets.
func Targets(gs []Gate, def rules.Targets) rules.Targets {
	t := def
	for _, g := range gs {
		if g.Kind != Metric || g.Endpoint != "" {
			continue
		}
		switch g.Metric {
		case "p95":
			t.P95MS = g.Value
		case "p99":
			t.P99MS = g.Value
		case "auth_success":
			t.AuthSuccessPct = g.Value
		case "failure_pct":
			t.FailurePct = g.Value
		}
	}
	return t
}
