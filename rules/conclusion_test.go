package rules

import "testing"

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
