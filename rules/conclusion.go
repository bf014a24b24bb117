package rules

import (
	"fmt"
	"strings"

	"github.com/logcorr/logcorr/correlate"
)

// Conclusion is a run's diagnosis in the few lines a strong SRE writes
// first: the root cause (or that the run does not measure the
// application), why, the impact, what it is not, the lines that carry it,
// the fix and the caveats; the symptoms come after it, named as such.
// JSON names are part of logcorr.analysis/v1 (the run's "conclusion").
type Conclusion struct {
	// Verdict: VerdictInvalid (the run does not measure what it claims),
	// VerdictCause (a root cause is shown), VerdictSymptoms (targets are
	// missed but no cause is in the evidence), VerdictClean, or
	// VerdictUnmeasured (no finding, and no Locust result of the run was
	// found: nothing about its requests could be checked).
	Verdict string `json:"verdict"`
	// Text is the conclusion in one sentence.
	Text string `json:"text"`
	// Lead is the finding the conclusion rests on, with its confidence.
	Lead       string  `json:"lead,omitempty"`
	Confidence float64 `json:"confidence,omitempty"`
	// Why is the cause behind an invalid run (the next cause finding, and
	// the failed logins Locust did not count), with the findings' IDs.
	Why      string     `json:"why,omitempty"`
	WhyLead  string     `json:"why_lead,omitempty"`
	Impact   string     `json:"impact,omitempty"`
	RuledOut []string   `json:"ruled_out,omitempty"`
	Evidence []Evidence `json:"evidence,omitempty"`
	Fix      string     `json:"fix,omitempty"`
	Caveats  []string   `json:"caveats,omitempty"`
	// Symptoms are the symptom findings' headlines (slo-breach,
	// endpoint-hotspot): consequences, not causes.
	Symptoms []string `json:"symptoms,omitempty"`
}

// Verdicts of a conclusion.
const (
	VerdictInvalid  = "invalid"
	VerdictCause    = "cause"
	VerdictSymptoms = "symptoms-only"
	VerdictClean    = "clean"
	// VerdictUnmeasured is a run with no finding and no Locust results:
	// only its console log or its logs name it. "clean" would say its
	// requests met what was checked, when none was.
	VerdictUnmeasured = "unmeasured"
)

// conclusionEvidence is how many lines the conclusion cites.
const conclusionEvidence = 2

// ConcludeRun is Conclude for run r: a run without finding is clean only
// when Locust's results of it were read (stats, history, failures or
// exceptions, from the CSVs or the HTML report); else it is unmeasured.
func ConcludeRun(r *correlate.Run, in []Finding) Conclusion {
	c := Conclude(in)
	if c.Verdict != VerdictClean || r == nil || r.HasLocustResults() {
		return c
	}
	c.Verdict = VerdictUnmeasured
	c.Text = "Nothing measured this run: no Locust results of it were found (no _stats.csv, _stats_history.csv, _failures.csv or HTML report), " +
		"so its requests, latencies and failures were not checked; no finding of medium severity or more in what was given."
	return c
}

// Conclude writes the run's conclusion from its findings (any order; they
// are put in lead order first).
func Conclude(in []Finding) Conclusion {
	fs := append([]Finding(nil), in...)
	SortFindings(fs)
	var lead, why, alt *Finding
	var symptoms []string
	for i := range fs {
		f := &fs[i]
		switch roleOf(*f) {
		case RoleSymptom:
			symptoms = append(symptoms, f.ID+": "+Headline(*f))
			continue
		case RoleContext:
			continue
		}
		sev, _ := ParseSeverity(f.Severity)
		if sev < Medium {
			continue
		}
		if lead == nil {
			lead = f
			continue
		}
		if why == nil && roleOf(*lead) == RoleValidity && roleOf(*f) == RoleCause {
			why = f
		}
		if alt == nil && roleOf(*f) == RoleValidity && sev >= High && strings.Contains(f.ID, "login") {
			alt = f
		}
	}
	// An invalid run whose cause is not in the evidence: the next serious
	// validity finding says what went wrong with its users.
	if why == nil && lead != nil && roleOf(*lead) == RoleValidity && alt != nil {
		why = alt
	}
	c := Conclusion{Symptoms: symptoms}
	switch {
	case lead == nil && len(symptoms) == 0:
		c.Verdict = VerdictClean
		c.Text = "No finding of medium severity or more: the run meets what was checked (see the checks that could not run for what was not)."
		return c
	case lead == nil:
		c.Verdict = VerdictSymptoms
		c.Text = "The run misses its targets, but no cause is in the evidence given: " + strings.Join(symptoms, "; ") + "."
		for _, f := range fs {
			c.Caveats = append(c.Caveats, f.Missing...)
		}
		c.Caveats = uniqueStrings(c.Caveats)
		return c
	}
	c.Verdict = VerdictCause
	if sev, _ := ParseSeverity(lead.Severity); roleOf(*lead) == RoleValidity && sev >= High {
		c.Verdict = VerdictInvalid
	}
	c.Text = sentence(Headline(*lead))
	c.Lead, c.Confidence = lead.ID, lead.Confidence
	c.Impact = lead.Impact
	c.RuledOut = append(c.RuledOut, lead.RuledOut...)
	c.Fix = lead.Recommendation
	c.Caveats = append(c.Caveats, lead.Missing...)
	for i, e := range lead.Evidence {
		if i == conclusionEvidence {
			break
		}
		c.Evidence = append(c.Evidence, e)
	}
	if why != nil {
		c.WhyLead = why.ID
		c.Why = Headline(*why) + " [" + why.ID + "]"
		// The logins that failed without Locust counting them are part of
		// why the run measured nothing.
		if alt != nil && alt != why {
			c.Why += "; and " + Headline(*alt) + " [" + alt.ID + "]"
		}
		c.Why = sentence(c.Why)
		c.RuledOut = append(c.RuledOut, why.RuledOut...)
		c.Caveats = append(c.Caveats, why.Missing...)
		if why.Recommendation != "" {
			c.Fix = strings.TrimSpace(c.Fix + " Then: " + why.Recommendation)
		}
		if len(why.Evidence) > 0 {
			c.Evidence = append(c.Evidence, why.Evidence[0])
		}
	}
	c.RuledOut = uniqueStrings(c.RuledOut)
	c.Caveats = uniqueStrings(c.Caveats)
	return c
}

// Headline is the finding in one sentence: its own Headline, else the
// first sentence of its summary.
func Headline(f Finding) string {
	if f.Headline != "" {
		return f.Headline
	}
	s := f.Summary
	for _, sep := range []string{". ", ": "} {
		if i := strings.Index(s, sep); i > 40 && i < 300 {
			return s[:i]
		}
	}
	if len(s) > 300 {
		cut := 300
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		return s[:cut] + "…"
	}
	return strings.TrimSuffix(s, ".")
}

// Short is the conclusion for one table cell: the verdict's
// short form and the lead's headline, clipped.
func (c Conclusion) Short(max int) string {
	s := strings.TrimSuffix(c.Text, ".")
	if c.Lead != "" {
		s = fmt.Sprintf("%s [%s]", s, c.Lead)
	}
	if max > 0 && len(s) > max {
		cut := max
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	s = capitalize(s)
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

func uniqueStrings(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
