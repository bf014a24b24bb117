package rules

import (
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

// The conclusion leads with what voids the run, names the cause behind it
// and lists the symptoms after it.
func TestConclude(t *testing.T) {
	fs := []Finding{
		{ID: "slo-breach", Severity: "critical", Category: "metrics", Role: RoleSymptom, Headline: "misses its targets"},
		{ID: "latency-ceiling", Severity: "high", Category: "test-validity", Role: RoleCause, Headline: "login POSTs stop at ~120 s", Missing: []string{"PgBouncer's log"}},
		{ID: "responses-are-login-page", Severity: "critical", Category: "test-validity", Role: RoleValidity, Headline: "This run does not measure the application", Confidence: 0.85},
		{ID: "latency-floor", Severity: "low", Category: "test-validity", Role: RoleContext},
	}
	c := Conclude(fs)
	if c.Verdict != VerdictInvalid || c.Lead != "responses-are-login-page" || c.WhyLead != "latency-ceiling" ||
		len(c.Symptoms) != 1 || len(c.Caveats) != 1 {
		t.Errorf("%+v", c)
	}
	if c := Conclude(fs[:1]); c.Verdict != VerdictSymptoms || c.Lead != "" {
		t.Errorf("symptoms only: %+v", c)
	}
	if c := Conclude(nil); c.Verdict != VerdictClean {
		t.Errorf("clean: %+v", c)
	}
	medium := []Finding{{ID: "error-page-as-success", Severity: "medium", Category: "test-validity", Role: RoleValidity}}
	if c := Conclude(medium); c.Verdict != VerdictCause {
		t.Errorf("a medium validity finding does not void the run: %+v", c)
	}
}

// A run without finding is clean only when Locust's results of it were
// read; a run named only by its console log or its logs is unmeasured. A
// run with findings concludes from them either way.
func TestConcludeRunWithoutResultsIsUnmeasured(t *testing.T) {
	serious := []Finding{{ID: "pgbouncer-pool-exhausted", Severity: "critical", Role: RoleCause, Summary: "PgBouncer's pool was exhausted."}}
	cases := []struct {
		name string
		run  *correlate.Run
		fs   []Finding
		want string
	}{
		{"console log only", &correlate.Run{Name: "r", Meta: []parsers.MetaRow{{Key: "users", Value: "35"}}}, nil, VerdictUnmeasured},
		{"nothing at all", &correlate.Run{Name: "r"}, nil, VerdictUnmeasured},
		{"stats read", &correlate.Run{Name: "r", Stats: []parsers.StatRow{{Name: "Aggregated"}}}, nil, VerdictClean},
		{"history read", &correlate.Run{Name: "r", History: []parsers.HistoryRow{{Name: "Aggregated"}}}, nil, VerdictClean},
		{"HTML failures read", &correlate.Run{Name: "r", FailuresHTML: []parsers.FailureRow{{Name: "/"}}}, nil, VerdictClean},
		{"no results, a finding", &correlate.Run{Name: "r"}, serious, VerdictCause},
		{"no run given", nil, nil, VerdictClean},
	}
	for _, c := range cases {
		if got := ConcludeRun(c.run, c.fs); got.Verdict != c.want {
			t.Errorf("%s: verdict %q, want %q (%s)", c.name, got.Verdict, c.want, got.Text)
		}
	}
}
