package rules

import (
	"fmt"
	"math"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// changeNoEffect: consecutive runs of one scenario changed a parameter
// (pool 100 → 140) and the run's signature did not move. The signature is
// what the runs' own figures say about the failure: the login POST's
// failure rate (compared as two proportions, so chance is not read as an
// effect), its p95 (within Locust's rounding, or at the same ceiling), the
// latency ceiling, and the share of responses that were the login page.
var changeNoEffect = &Check[changeNoEffectParams]{
	ID:    "change-no-effect",
	Doc:   "a parameter changed between runs of one scenario and the signature did not move",
	Needs: []Need{{SrcSiblingRuns}},
	Run:   runChangeNoEffect,
}

func init() { register(changeNoEffect) }

type changeNoEffectParams struct {
	MaxZ           float64 `yaml:"max_z"`            // |z| of the login failure rates under which they are the same
	MaxSharePoints float64 `yaml:"max_share_points"` // login-page share moving less than this (points) has not moved
	MinLoginPOSTs  int64   `yaml:"min_login_posts"`  // login POSTs each run needs for the comparison
}

// signatureLine is one figure of the signature, before and after.
type signatureLine struct {
	what  string
	moved bool
	text  string
}

func runChangeNoEffect(ctx *Context, p *changeNoEffectParams) []Finding {
	r := ctx.Run
	var runs []*correlate.Run
	if ctx.Analysis != nil {
		runs = ctx.Analysis.Runs
	}
	prev := model.PreviousSibling(runs, r)
	if prev == nil {
		return nil
	}
	changed := model.ParamChanges(model.ParamsOf(prev), model.ParamsOf(r))
	if len(changed) == 0 {
		return nil
	}
	_, postA := model.LoginRows(prev)
	_, postB := model.LoginRows(r)
	if postA == nil || postB == nil || postA.Requests < p.MinLoginPOSTs || postB.Requests < p.MinLoginPOSTs {
		return nil
	}
	var lines []signatureLine
	// Login failures: two proportions.
	pa, pb := float64(postA.Failures)/float64(postA.Requests), float64(postB.Failures)/float64(postB.Requests)
	pool := float64(postA.Failures+postB.Failures) / float64(postA.Requests+postB.Requests)
	se := math.Sqrt(pool * (1 - pool) * (1/float64(postA.Requests) + 1/float64(postB.Requests)))
	z := 0.0
	if se > 0 {
		z = (pb - pa) / se
	}
	lines = append(lines, signatureLine{"login failures", math.Abs(z) >= p.MaxZ,
		fmt.Sprintf("login POST failures %s/%s → %s/%s (%s → %s; z = %.1f, within chance under %.0f)",
			humanize.Thousands(postA.Failures), humanize.Thousands(postA.Requests), humanize.Thousands(postB.Failures), humanize.Thousands(postB.Requests),
			humanize.Pct(100*pa), humanize.Pct(100*pb), z, p.MaxZ)})
	// The ceiling, and the login p95 against it.
	cp, _ := ctx.paramsOf(latencyCeiling.ID).(*latencyCeilingParams)
	var ca, cb *ceiling
	if cp != nil {
		ca, cb = ceilingOf(prev, cp), ceilingOf(r, cp)
	}
	switch {
	case ca != nil && cb != nil:
		same := math.Abs(ca.At-cb.At) <= 2*cp.Tolerance*math.Max(ca.At, cb.At)
		lines = append(lines, signatureLine{"ceiling", !same, fmt.Sprintf("latency ceiling ~%s → ~%s", humanize.Millis(ca.At), humanize.Millis(cb.At))})
	case (ca == nil) != (cb == nil):
		lines = append(lines, signatureLine{"ceiling", true, "latency ceiling " + map[bool]string{true: "appeared", false: "gone"}[cb != nil]})
	}
	if postA.P95 != nil && postB.P95 != nil {
		same := model.WithinRounding(*postA.P95, *postB.P95) || ca.has(postA) && cb.has(postB)
		lines = append(lines, signatureLine{"login p95", !same, fmt.Sprintf("login POST p95 %s → %s", humanize.Millis(*postA.P95), humanize.Millis(*postB.P95))})
	}
	// What the bodies say.
	if ba, bb := ctx.measure().Of(prev), ctx.measure().Of(r); ba != nil && bb != nil && ba.Successes > 0 && bb.Successes > 0 {
		la, lb := 100*ba.LoginPageShare(), 100*bb.LoginPageShare()
		lines = append(lines, signatureLine{"login pages", math.Abs(la-lb) >= p.MaxSharePoints,
			fmt.Sprintf("login-page share of non-login successes %.1f %% → %.1f %%", la, lb)})
	}
	for _, l := range lines {
		if l.moved {
			return nil
		}
	}
	var texts []string
	for _, l := range lines {
		texts = append(texts, l.text)
	}
	check := "that the new value was in effect during the run (the process it configures restarted with it), and that it acts on the cause the findings name"
	for _, c := range changed {
		if strings.HasPrefix(c, "pool ") {
			check = "that PgBouncer ran with the new pool size (default_pool_size is read at start: PgBouncer needs a restart or RELOAD; its log's start-up lines and SHOW CONFIG say which value it used) and that the ~120 s ceiling is PgBouncer's at all (its log: pooler error: query_wait_timeout); a pool that is not the bottleneck cannot move the signature"
		}
	}
	f := Finding{
		Severity:   Medium.String(),
		Role:       RoleValidity,
		Confidence: 0.8,
		Summary: fmt.Sprintf("%s (%s → %s, the same scenario): the change had no measurable effect. %s.",
			strings.Join(changed, ", "), prev.Name, r.Name, capitalize(strings.Join(texts, "; "))),
		Headline: fmt.Sprintf("%s had no measurable effect (%s → %s)", strings.Join(changed, ", "), shortRun(prev.Name), shortRun(r.Name)),
		Impact:   "the two runs measure the same thing; neither confirms nor refutes the change",
		Interpretation: "Between two runs of the same scenario only the named parameters differ, and every figure of the failure's signature stayed where it was " +
			"(differences within chance or within Locust's rounding). Either the change did not take effect, or it does not act on what limits the run.",
		Recommendation: "Check " + check + "; then change one thing at a time and rerun.",
		Metrics:        map[string]float64{"z_login_failures": round3(z)},
		Key:            "change-no-effect|" + strings.Join(changed, ","),
	}
	f.Evidence = append(f.Evidence, noted(StatEvidence(postA), "before: "+StatCols(postA, "requests", "failures", "p95", "max")))
	f.Evidence = append(f.Evidence, noted(StatEvidence(postB), "after: "+StatCols(postB, "requests", "failures", "p95", "max")))
	for _, row := range []*parsers.StatRow{model.AggregatedRow(prev), model.AggregatedRow(r)} {
		if row != nil {
			f.Evidence = append(f.Evidence, noted(StatEvidence(row), StatCols(row, "requests", "failures", "p95", "p99")))
		}
	}
	return []Finding{f}
}

func shortRun(name string) string { return strings.TrimPrefix(name, "hasil_test_") }
