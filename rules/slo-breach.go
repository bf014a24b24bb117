package rules

import (
	"fmt"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// sloBreach compares the run's Aggregated figures with the targets. The
// figures are Locust's own; it is what the weekly report computed by hand.
var sloBreach = &Check[sloBreachParams]{
	ID:    "slo-breach",
	Doc:   "the run misses its performance targets",
	Needs: []Need{{SrcStats}},
	Run:   runSLOBreach,
}

func init() { register(sloBreach) }

type sloBreachParams struct {
	LoginName              Pattern `yaml:"login_name"`                // login POST rows' names
	CriticalAuthSuccessPct float64 `yaml:"critical_auth_success_pct"` // below: critical
	CriticalFailurePct     float64 `yaml:"critical_failure_pct"`      // above: critical
}

// loginPostRows returns the run's login POST request rows: request rows
// whose method is POST and whose name matches the login name pattern.
func loginPostRows(run *correlate.Run, name Pattern) []*parsers.StatRow {
	var out []*parsers.StatRow
	for _, r := range model.RequestRows(run) {
		if strings.EqualFold(r.Type, "POST") && name.MatchString(r.Name) {
			out = append(out, r)
		}
	}
	return out
}

// authSuccess is the login POST success rate in percent, with the rows it
// was computed from; ok is false when the run has no login POST rows.
func authSuccess(run *correlate.Run, name Pattern) (pct float64, req, fail int64, rows []*parsers.StatRow, ok bool) {
	rows = loginPostRows(run, name)
	for _, r := range rows {
		req += r.Requests
		fail += r.Failures
	}
	if req == 0 {
		return 0, 0, 0, rows, false
	}
	return 100 * float64(req-fail) / float64(req), req, fail, rows, true
}

func runSLOBreach(ctx *Context, p *sloBreachParams) []Finding {
	run, t := ctx.Run, ctx.Targets
	ag := run.Aggregated
	if ag == nil {
		return nil
	}
	m := map[string]float64{
		"requests": float64(ag.Requests),
		"failures": float64(ag.Failures),
	}
	var figs []string
	figs = append(figs, humanize.Thousands(ag.Requests)+" requests", humanize.Thousands(ag.Failures)+" failures")
	if p := failurePct(ag); p != nil {
		m["failure_pct"] = round3(*p)
		figs[1] += " (" + humanize.Pct(*p) + ")"
	}
	for _, x := range []struct {
		key, label string
		v          *float64
	}{{"median_ms", "median", ag.Median}, {"p95_ms", "p95", ag.P95}, {"p99_ms", "p99", ag.P99}} {
		if x.v != nil {
			m[x.key] = *x.v
			figs = append(figs, x.label+" "+humanize.Millis(*x.v))
		}
	}
	if ag.RPS != nil {
		m["rps"] = round3(*ag.RPS)
		figs = append(figs, fmt.Sprintf("%.1f RPS", *ag.RPS))
	}

	var breaches []string
	sev := ""
	ev := []Evidence{StatEvidence(ag)}
	authPct, authReq, authFail, loginRows, authOK := authSuccess(run, p.LoginName)
	if authOK {
		m["auth_success_pct"] = round3(authPct)
		m["auth_requests"] = float64(authReq)
		m["auth_failures"] = float64(authFail)
		figs = append(figs, fmt.Sprintf("auth success %s (%s/%s logins)", humanize.Pct(authPct), humanize.Thousands(authReq-authFail), humanize.Thousands(authReq)))
		if t.AuthSuccessPct > 0 && authPct < t.AuthSuccessPct {
			breaches = append(breaches, fmt.Sprintf("auth success %s < %s target", humanize.Pct(authPct), humanize.Pct(t.AuthSuccessPct)))
			for _, r := range loginRows {
				ev = append(ev, StatEvidence(r))
			}
			if authPct < p.CriticalAuthSuccessPct {
				sev = Critical.String()
			}
		}
	}
	if ag.P95 != nil && t.P95MS > 0 && *ag.P95 > t.P95MS {
		breaches = append(breaches, fmt.Sprintf("p95 %s > %s target", humanize.Millis(*ag.P95), humanize.Millis(t.P95MS)))
	}
	if ag.P99 != nil && t.P99MS > 0 && *ag.P99 > t.P99MS {
		breaches = append(breaches, fmt.Sprintf("p99 %s > %s target", humanize.Millis(*ag.P99), humanize.Millis(t.P99MS)))
	}
	if pct, ok := m["failure_pct"]; ok && t.FailurePct > 0 && pct > t.FailurePct {
		breaches = append(breaches, fmt.Sprintf("failure rate %s > %s target", humanize.Pct(pct), humanize.Pct(t.FailurePct)))
		if pct > p.CriticalFailurePct {
			sev = Critical.String()
		}
	}
	if len(breaches) == 0 {
		return nil
	}
	src := "stats CSV"
	conf := 0.95
	if ag.Source == "html" {
		src = "HTML report"
	}
	f := Finding{
		Role:       RoleSymptom,
		Headline:   "misses its targets: " + strings.Join(breaches, "; "),
		Severity:   sev,
		Confidence: conf,
		Summary: fmt.Sprintf("Run %s misses its targets: %s. Aggregated (%s): %s.",
			run.Name, strings.Join(breaches, "; "), src, strings.Join(figs, ", ")),
		Interpretation: "These are Locust's own figures for the whole run: a symptom. The findings before this one say why they were missed, and whether the figures describe the application at all.",
		Recommendation: "Fix the causes named by the other findings, then rerun the same load and compare these figures.",
		Evidence:       PickEvidence(ev, MaxEvidence),
		Metrics:        m,
	}
	return []Finding{f}
}
