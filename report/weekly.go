package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/rules"
)

// WeeklyOptions steer the weekly report.
type WeeklyOptions struct {
	// Lang is "en" (default) or "id": the seed report's Indonesian
	// section headings.
	Lang string
	// Date heads the report ("2026-01-11"); default: the UTC date of the
	// last run's start.
	Date    string
	Targets rules.Targets
}

// FillIn marks what the artifacts cannot tell (plans, code changes): the
// person finishing the report replaces it.
const FillIn = "**[to fill in]**"

var weeklyHeadings = map[string]map[string]string{
	"en": {"summary": "This Week's Summary", "changes": "Main Changes", "tests": "Tests and Validation", "logs": "Log Evidence",
		"metrics": "Metrics", "risks": "Risks/Issues", "plan": "Next Week's Plan"},
	"id": {"summary": "Ringkasan Minggu Ini", "changes": "Perubahan Utama", "tests": "Tes dan Validasi", "logs": "Log Capture",
		"metrics": "Metrik", "risks": "Risiko/Issue", "plan": "Rencana Minggu Depan"},
}

// WriteWeekly writes a weekly report in the shape of the user's
// WEEKLY_REPORT: summary, main changes, tests and validation per run (with
// the command line when Locust recorded it and each run's conclusion), log
// evidence, metrics against targets (of the week's last valid full run:
// not an auth-only run, not one whose figures are login pages; when every
// full run is invalid it says so), risks, and next week's plan. What the artifacts cannot know
// (completed tasks, code changes, plans) is left as a marked placeholder.
func WriteWeekly(w io.Writer, a *correlate.Analysis, findings map[string][]rules.Finding, opt WeeklyOptions) error {
	h, ok := weeklyHeadings[opt.Lang]
	if !ok {
		h = weeklyHeadings["en"]
	}
	t := opt.Targets
	if t == (rules.Targets{}) {
		t = rules.DefaultTargets
	}
	doc := CompareTargets(a.Runs, findings, "", t)
	byName := map[string]*correlate.Run{}
	for _, r := range a.Runs {
		byName[r.Name] = r
	}
	date := opt.Date
	if date == "" {
		for _, r := range doc.Runs {
			if r.Start != nil {
				date = r.Start.UTC().Format("2006-01-02")
			}
		}
	}
	if date == "" {
		date = FillIn
	}
	ew := &errWriter{w: w}
	ew.printf("# Weekly Report %s\n", MarkdownText(date))
	ew.printf("Week: %s\n\n", FillIn)

	// Summary.
	ew.printf("%s:\n", h["summary"])
	ew.printf("- Completed: %s\n- In Progress: %s\n- Blocked: %s\n", FillIn, FillIn, FillIn)
	if n := len(doc.Runs); n > 0 {
		ew.printf("- Load tests analysed: %d (%s → %s)\n", n, MarkdownCode(doc.Runs[0].Name), MarkdownCode(doc.Runs[n-1].Name))
	} else {
		ew.print("- Load tests analysed: none found\n")
	}
	type seen struct {
		f    rules.Finding
		runs []string
	}
	var top []*seen
	idx := map[string]*seen{}
	for _, r := range doc.Runs {
		for _, f := range sortedFindings(findings[r.Name]) {
			if sevRank(f.Severity) < int(rules.High) {
				continue
			}
			s, ok := idx[f.ID]
			if !ok {
				s = &seen{f: f}
				idx[f.ID] = s
				top = append(top, s)
			}
			s.runs = append(s.runs, shortName(r.Name))
		}
	}
	for _, s := range top {
		ew.printf("- Confirmed (%s): %s — in %d %s\n", MarkdownText(s.f.Severity), MarkdownText(s.f.Title), len(s.runs), humanize.Plural(int64(len(s.runs)), "run", "runs"))
	}

	// Main changes: the code is not in the artifacts; the run parameters are.
	ew.printf("\n%s:\n", h["changes"])
	ew.printf("- Code and configuration changes: %s\n", FillIn)
	for _, r := range doc.Runs {
		if len(r.ChangedParams) > 0 {
			ew.printf("- Test parameters, %s: %s\n", MarkdownCode(shortName(r.Name)), MarkdownText(strings.Join(r.ChangedParams, ", ")))
		}
	}

	// Tests and validation, one entry per run.
	ew.printf("\n%s:\n", h["tests"])
	for _, cr := range doc.Runs {
		r := byName[cr.Name]
		var desc []string
		if cr.UsersMax != nil && *cr.UsersMax > 0 {
			desc = append(desc, fmt.Sprintf("%d users", *cr.UsersMax))
		}
		if cr.DurationS != nil {
			desc = append(desc, fmt.Sprintf("%.0fs", *cr.DurationS))
		}
		if cr.Params.NoLimit {
			desc = append(desc, "rate limits disabled")
		}
		if cr.Params.Pool > 0 {
			desc = append(desc, fmt.Sprintf("pool %d", cr.Params.Pool))
		}
		if cr.Params.NoExport {
			desc = append(desc, "exclude export")
		}
		if cr.Params.NoAdmin {
			desc = append(desc, "exclude admin")
		}
		label := "Load test"
		if r != nil && model.OnlyAuth(r) {
			label = "Auth-only test"
		}
		if cr.Params.Version != "" {
			label += " " + cr.Params.Version
		}
		if cr.Params.Attempt != "" {
			label += " (attempt " + cr.Params.Attempt + ")"
		}
		ew.printf("- %s %s (%s)\n", MarkdownText(label), MarkdownCode(cr.Name), MarkdownText(strings.Join(desc, ", ")))
		if c := cr.Conclusion; c.Verdict == rules.VerdictInvalid || c.Verdict == rules.VerdictCause {
			ew.printf("  - Conclusion: %s\n", MarkdownText(c.Text))
		}
		if cr.Params.CommandLine != "" {
			ew.printf("  - Command: %s\n", MarkdownCode(cr.Params.CommandLine))
		} else {
			ew.print("  - Command: not recorded in the artifacts (Locust's console log was not among the files)\n")
		}
		if s := cr.Summary; s != nil {
			ew.printf("  - Result (Aggregated): %s requests, %s failures (%s), median %s, p95 %s, p99 %s, RPS %s\n",
				humanize.Thousands(s.Requests), humanize.Thousands(s.Failures), pct(s.FailurePct), millisP(s.MedianMS), millisP(s.P95MS), millisP(s.P99MS), rpsText(s.RPS))
		} else {
			ew.print("  - Result: no Aggregated row\n")
		}
		if l := cr.Login; l != nil {
			ew.printf("  - Auth login: %s requests, %s failures (%s), avg %s, p95 %s\n",
				humanize.Thousands(l.Requests), humanize.Thousands(l.Failures), pct(l.FailurePct), millisP(l.AverageMS), millisP(l.P95MS))
		} else if r != nil && len(r.Stats) > 0 {
			ew.print("  - Auth login: no login POST row recorded\n")
		}
		if len(cr.Hotspots) > 0 {
			var hs []string
			for _, e := range cr.Hotspots {
				hs = append(hs, MarkdownCode(e.Name)+" ("+millisP(e.P95MS)+")")
			}
			ew.printf("  - P95 hotspots: %s\n", strings.Join(hs, ", "))
		}
		for _, f := range sortedFindings(findings[cr.Name]) {
			if sevRank(f.Severity) < int(rules.Medium) || f.ID == cr.Conclusion.Lead && cr.Conclusion.Verdict != rules.VerdictSymptoms {
				continue // the conclusion above says it
			}
			ew.printf("  - Finding (%s): %s\n", MarkdownText(f.Severity), MarkdownText(f.Summary))
		}
	}
	if len(doc.Runs) == 0 {
		ew.print("- No Locust run in the files given\n")
	}

	// Log evidence: the first cited line of each serious finding.
	ew.printf("\n%s:\n", h["logs"])
	nlog := 0
	for _, cr := range doc.Runs {
		for _, f := range sortedFindings(findings[cr.Name]) {
			if sevRank(f.Severity) < int(rules.High) || len(f.Evidence) == 0 {
				continue
			}
			e := f.Evidence[0]
			ew.printf("- %s %s", MarkdownCode(evidenceRef(e)), MarkdownCode(e.Text))
			if e.Time != nil {
				ew.printf(" at %s", utc(*e.Time))
			}
			ew.printf(" (%s, %s)\n", MarkdownText(shortName(cr.Name)), MarkdownText(f.ID))
			nlog++
		}
	}
	if nlog == 0 {
		ew.print("- No server log line was cited: see Risks for the logs that were missing\n")
	}

	// Metrics of the week's main load test: its last valid full run.
	ew.printf("\n%s:\n", h["metrics"])
	main, valid := mainRun(doc, byName)
	switch {
	case main == nil:
		ew.print("- No full run (one that requested more than the login) with Locust totals\n")
	default:
		r := byName[main.Name]
		if valid {
			ew.printf("- Run: %s (the week's last valid full run)\n", MarkdownCode(main.Name))
		} else {
			ew.printf("- No run of the week measured the application: every full run is invalid. The last one, %s, is shown; its conclusion: %s\n",
				MarkdownCode(main.Name), MarkdownText(main.Conclusion.Text))
		}
		for _, l := range metricLines(r, t) {
			if l.target == "" {
				continue
			}
			ew.printf("- %s: %s (target %s, %s)\n", MarkdownText(l.name), l.value, l.target, l.status)
		}
	}

	// Risks.
	ew.printf("\n%s:\n", h["risks"])
	nrisk := 0
	for _, cr := range doc.Runs {
		r := byName[cr.Name]
		for _, m := range MissingEvidence(r, findings[cr.Name]) {
			ew.printf("- %s: %s\n", MarkdownCode(shortName(cr.Name)), MarkdownText(m))
			nrisk++
		}
	}
	for _, s := range top {
		if s.f.Interpretation != "" {
			ew.printf("- %s: %s\n", MarkdownText(s.f.Title), MarkdownText(s.f.Interpretation))
			nrisk++
		}
	}
	if nrisk == 0 {
		ew.print("- None found in the artifacts\n")
	}

	// Plan.
	ew.printf("\n%s:\n", h["plan"])
	ew.printf("- %s\n", FillIn)
	seenRec := map[string]bool{}
	for _, s := range top {
		if rec := s.f.Recommendation; rec != "" && !seenRec[rec] {
			seenRec[rec] = true
			ew.printf("- Suggested by the evidence (%s): %s\n", MarkdownText(s.f.ID), MarkdownText(rec))
		}
	}
	return ew.err
}

// mainRun is the week's main load test: the last run (in time order) at
// the highest user count among the full runs (more than the login
// requested) with Locust totals whose conclusion does not void them. When
// every full run is invalid, the last full run, with valid false.
func mainRun(doc *CompareDoc, byName map[string]*correlate.Run) (*CompareRun, bool) {
	pick := func(ok func(*CompareRun) bool) *CompareRun {
		var best *CompareRun
		for i := range doc.Runs {
			r := &doc.Runs[i]
			if r.Summary == nil || !ok(r) {
				continue
			}
			if run := byName[r.Name]; run == nil || model.OnlyAuth(run) {
				continue
			}
			if best == nil || deref64(r.UsersMax) >= deref64(best.UsersMax) {
				best = r
			}
		}
		return best
	}
	if best := pick(func(r *CompareRun) bool { return r.Conclusion.Verdict != rules.VerdictInvalid }); best != nil {
		return best, true
	}
	return pick(func(*CompareRun) bool { return true }), false
}

// deref64 is *p, 0 for nil (a run whose user count is unknown ranks last).
func deref64(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
