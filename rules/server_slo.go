package rules

import (
	"fmt"
	"strings"

	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

func init() { RegisterCheck("slo-breach", checkSLO) }

// LoginRows returns the run's login POST request rows: request rows whose
// method is POST and whose name matches the rule's login_name pattern
// (default: contains "login", any case).
func LoginRows(ctx *Context) []*parsers.StatRow {
	re, err := cachedPattern(ctx.Rule.String("login_name", `(?i)login`))
	if err != nil {
		panic(err) // Load lints *_name params, so only a hand-built rule gets here
	}
	var out []*parsers.StatRow
	for _, r := range model.RequestRows(ctx.Run) {
		if !strings.EqualFold(r.Type, "POST") {
			continue
		}
		if ok, _ := re.MatchString(r.Name); ok {
			out = append(out, r)
		}
	}
	return out
}

// AuthSuccess is the login POST success rate in percent, with the rows it
// was computed from; ok is false when the run has no login POST rows.
func AuthSuccess(ctx *Context) (pct float64, req, fail int64, rows []*parsers.StatRow, ok bool) {
	rows = LoginRows(ctx)
	for _, r := range rows {
		req += r.Requests
		fail += r.Failures
	}
	if req == 0 {
		return 0, 0, 0, rows, false
	}
	return 100 * float64(req-fail) / float64(req), req, fail, rows, true
}

// checkSLO compares the run's Aggregated figures with the targets. The
// figures are Locust's own, so confidence is high; it is what the weekly
// report computed by hand.
func checkSLO(ctx *Context) []Finding {
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
	authPct, authReq, authFail, loginRows, authOK := AuthSuccess(ctx)
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
			if authPct < ctx.Rule.Float("critical_auth_success_pct", 90) {
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
	if p, ok := m["failure_pct"]; ok && t.FailurePct > 0 && p > t.FailurePct {
		breaches = append(breaches, fmt.Sprintf("failure rate %s > %s target", humanize.Pct(p), humanize.Pct(t.FailurePct)))
		if p > ctx.Rule.Float("critical_failure_pct", 10) {
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
		Severity:   sev,
		Confidence: conf,
		Summary: fmt.Sprintf("Run %s misses its targets: %s. Aggregated (%s): %s.",
			run.Name, strings.Join(breaches, "; "), src, strings.Join(figs, ", ")),
		Interpretation: "These are Locust's own figures for the whole run; the other findings say why they were missed.",
		Recommendation: "Fix the causes named by the other findings, then rerun the same load and compare these figures.",
		Evidence:       PickEvidence(ev, MaxEvidence),
		Metrics:        m,
	}
	return []Finding{f}
}
