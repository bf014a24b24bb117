package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
	"github.com/logcorr/logcorr/rules"
)

// MarkdownOptions steer the diagnosis document.
type MarkdownOptions struct {
	// Targets are the metric targets (zero value: rules.DefaultTargets).
	Targets rules.Targets
	// MinConfidence is the confidence a finding needs to be listed as
	// confirmed; below it, it is listed under "Not confirmed" (0: 0.5).
	MinConfidence float64
	// Rules are the rules that were evaluated, so that those that found
	// nothing can be named under "Not confirmed". Optional.
	Rules []RuleInfo
	// TimelineImage is the link to the timeline chart written beside the
	// document (`--out report.md` → report.timeline.svg); the first run's
	// section shows it. "" for none.
	TimelineImage string
	// Checks are the rules' statuses per run (rules.RunResult.Checks),
	// keyed by run name: which could not be checked, and for lack of what.
	// When given they replace Rules' "checked, no finding" list.
	Checks map[string][]rules.CheckStatus
}

// RuleInfo names a rule that was evaluated.
type RuleInfo struct{ ID, Title string }

// RuleInfos lists a rule set's rules for MarkdownOptions.Rules.
func RuleInfos(rs []*rules.Rule) []RuleInfo {
	out := make([]RuleInfo, 0, len(rs))
	for _, r := range rs {
		out = append(out, RuleInfo{ID: r.ID, Title: r.Title})
	}
	return out
}

func (o MarkdownOptions) targets() rules.Targets {
	if o.Targets == (rules.Targets{}) {
		return rules.DefaultTargets
	}
	return o.Targets
}

func (o MarkdownOptions) minConf() float64 {
	if o.MinConfidence <= 0 {
		return 0.5
	}
	return o.MinConfidence
}

// WriteMarkdown writes the diagnosis a person would have written. With
// several runs it opens with the overview (one row per run with its
// conclusion) and the findings that hold for several runs, said once.
// Per run: the conclusion first (root cause or "this run does not
// measure the application", why, impact, what it is not, evidence, fix,
// caveats, then the symptoms), the headline metrics, the findings in lead
// order with the columns that matter, what was and could not be checked,
// measurement gaps, next steps, the evidence sources and an evidence
// appendix holding the cited lines as the files hold them. Paths are as
// the analysis names them (relative to the analysed folder); every piece
// of log text is escaped (escape.go).
func WriteMarkdown(w io.Writer, a *correlate.Analysis, findings map[string][]rules.Finding, opt MarkdownOptions) error {
	ew := &errWriter{w: w}
	if len(a.Runs) == 0 {
		ew.print("# Diagnosis (evidence-based)\n\nNo Locust run was found in the files given: nothing to diagnose.\n")
		writeSourcesSection(ew, a.Sources, a.Clocks, nil)
		writeWarningsMarkdown(ew, "\n## Input warnings\n\n", InputWarnings(a.Sources))
		return ew.err
	}
	v := buildView(a, findings, opt.Checks, opt.targets())
	if len(v.runs) > 1 {
		writeMarkdownOverview(ew, v)
	}
	shown := map[string]bool{}
	for i, rv := range v.runs {
		if i > 0 || len(v.runs) > 1 {
			ew.print("\n---\n\n")
		}
		writeRunMarkdown(ew, a, v, rv, opt)
		opt.TimelineImage = "" // one chart file holds every run
		for _, s := range runAudits(a, rv.run) {
			shown[s.Path] = true
		}
	}
	writeWarningsMarkdown(ew, "\n---\n\n# Input warnings (files of no run)\n\n", warningsOutside(a.Sources, shown))
	if fs := findings[""]; len(fs) > 0 {
		ew.print("\n---\n\n# Findings across runs\n\n")
		for i, f := range sortedFindings(fs) {
			writeFindingMarkdown(ew, i+1, f)
		}
	}
	return ew.err
}

func writeMarkdownOverview(ew *errWriter, v *diagnosisView) {
	ew.printf("# Diagnosis (evidence-based): %d runs\n\n## Overview\n\n", len(v.runs))
	ew.print("| " + strings.Join(overviewHeader, " | ") + " |\n|")
	for i := range overviewHeader {
		if i >= 2 && i <= 6 {
			ew.print("--:|")
		} else {
			ew.print("---|")
		}
	}
	ew.print("\n")
	for _, row := range v.overview(0) {
		cells := row.cells()
		for i, c := range cells {
			cells[i] = MarkdownText(c)
		}
		ew.print("| " + strings.Join(cells, " | ") + " |\n")
	}
	if len(v.across) > 0 {
		ew.print("\n## Across runs\n\nSaid once here; each run below refers to it.\n\n")
		for _, af := range v.across {
			ew.printf("- **%s** (%s) — %s. Holds for %d runs: %s.\n", MarkdownText(af.id), MarkdownText(af.severity),
				MarkdownText(af.headline), len(af.runs), MarkdownText(runNames(af.runs, 0)))
		}
	}
}

func writeRunMarkdown(ew *errWriter, a *correlate.Analysis, v *diagnosisView, rv *runView, opt MarkdownOptions) {
	r, fs := rv.run, rv.findings
	p := ParamsOf(r)
	ew.printf("# Diagnosis (evidence-based): %s\n\n", MarkdownText(r.Name))
	var facts []string
	if l := p.Label(); l != "" {
		facts = append(facts, "Parameters: "+MarkdownText(l))
	}
	if win := windowText(r); win != "" {
		facts = append(facts, "Window: "+win+", from "+MarkdownText(r.WindowSource))
	} else {
		facts = append(facts, "Window: unknown (no stats history or HTML times)")
	}
	if r.UsersMax > 0 {
		facts = append(facts, fmt.Sprintf("Peak users: %d", r.UsersMax))
	}
	if p.Stamp != "" {
		facts = append(facts, "Name stamp: "+MarkdownText(p.Stamp))
	}
	if p.CommandLine != "" {
		facts = append(facts, "Command: "+MarkdownCode(p.CommandLine))
	}
	for _, f := range facts {
		ew.printf("- %s\n", f)
	}
	if opt.TimelineImage != "" {
		ew.print(timelineImage(opt.TimelineImage))
	}

	ew.print("\n## Conclusion\n\n")
	for _, l := range conclusionLines(rv.conclusion, func(e rules.Evidence) string { return citeMarkdown(e) }) {
		if l.label == "" {
			ew.printf("  %s\n", l.text)
			continue
		}
		text := MarkdownText(l.text)
		if l.label == "Evidence" {
			text = l.text
		}
		ew.printf("- **%s:** %s\n", MarkdownText(l.label), text)
	}

	writeMetricsSection(ew, r, opt.targets())
	if eff := effectiveFailures(r, v.bodies.Of(r)); eff != "" {
		ew.printf("\nEffective failure rate: %s.\n", MarkdownText(eff))
	}

	ew.print("\n## Findings (the cause first, symptoms after it)\n\n")
	confirmed := 0
	for _, f := range fs {
		if f.Confidence >= opt.minConf() {
			confirmed++
		}
	}
	if confirmed == 0 {
		ew.printf("No finding reached confidence %s.\n", conf(opt.minConf()))
	}
	n := 0
	for _, f := range fs {
		if f.Confidence < opt.minConf() {
			continue // listed as not confirmed under What was checked
		}
		n++
		if rv.repeated[findingKey(f)] {
			ew.printf("### %d. %s\n\nSeverity **%s** · confidence %s · rule %s. %s — the same finding holds for other runs (see Across runs).\n\n",
				n, MarkdownText(f.Title), MarkdownText(f.Severity), conf(f.Confidence), MarkdownCode(f.ID), MarkdownText(rules.Headline(f)))
			continue
		}
		writeFindingMarkdown(ew, n, f)
	}

	writeChecksSection(ew, rv, fs, opt)
	writeGapsSection(ew, r, fs, runAudits(a, r))

	ew.print("\n## Next steps\n\n")
	steps := nextSteps(fs, MissingEvidence(r, fs))
	if len(steps) == 0 {
		ew.print("None suggested by the evidence.\n")
	}
	for i, s := range steps {
		ew.printf("%d. %s\n", i+1, s)
	}

	writeSourcesSection(ew, runAudits(a, r), r.Clock, r)

	entries, heads := appendix(fs, rv.conclusion)
	if len(entries) > 0 {
		ew.print("\n## Evidence appendix\n\nThe cited lines as the files hold them.")
		if len(heads) > 0 {
			ew.print(" Columns of Locust's rows:\n\n")
			for _, h := range heads {
				ew.printf("- %s\n", MarkdownText(h))
			}
			ew.print("\nLines:")
		}
		ew.print("\n\n")
		for _, e := range entries {
			ew.printf("- %s: %s\n", MarkdownCode(e.ref), MarkdownCode(e.text))
		}
	}
}

// citeMarkdown is a citation in the document body: where (code), and the
// columns that matter or why it is cited.
func citeMarkdown(e rules.Evidence) string {
	s := MarkdownCode(evidenceRef(e))
	if e.Time != nil {
		s += " (" + utc(*e.Time) + ")"
	}
	switch {
	case e.Note != "" && isTableRow(e):
		return s + " — " + MarkdownText(e.Note)
	case e.Note != "":
		return s + " — " + MarkdownText(e.Note) + ": " + MarkdownCode(clipText(e.Text, 200))
	}
	return s + ": " + MarkdownCode(clipText(e.Text, 200))
}

// writeChecksSection says what was checked: the rules that could not run
// for lack of evidence, grouped by what they lacked, and the ones that
// read their evidence and found nothing. Without statuses it falls back
// to the rules list.
func writeChecksSection(ew *errWriter, rv *runView, fs []rules.Finding, opt MarkdownOptions) {
	ew.print("\n## What was checked\n\n")
	var weak []rules.Finding
	for _, f := range fs {
		if f.Confidence < opt.minConf() {
			weak = append(weak, f)
		}
	}
	for _, f := range weak {
		ew.printf("- Not confirmed: %s (%s, confidence %s): %s\n", MarkdownText(f.Title), MarkdownText(f.ID), conf(f.Confidence), MarkdownText(rules.Headline(f)))
	}
	if len(rv.checks) > 0 {
		cannot, order, nothing := checkGroups(rv.checks)
		for _, k := range order {
			ew.printf("- Cannot be checked without %s: %s.\n", MarkdownText(k), MarkdownText(strings.Join(cannot[k], ", ")))
		}
		if len(nothing) > 0 {
			ew.printf("- Checked, no finding: %s.\n", MarkdownText(strings.Join(nothing, ", ")))
		}
		return
	}
	fired := map[string]bool{}
	for _, f := range fs {
		fired[f.ID] = true
	}
	n := len(weak)
	for _, ri := range opt.Rules {
		if fired[ri.ID] {
			continue
		}
		ew.printf("- %s (%s): checked, no finding.\n", MarkdownText(ri.Title), MarkdownText(ri.ID))
		n++
	}
	if n == 0 {
		ew.print("Every rule that ran produced a finding above.\n")
	}
}

func writeSourcesSection(ew *errWriter, audits []parsers.Audit, clocks []correlate.Clock, r *correlate.Run) {
	ew.print("\n## Evidence sources\n\n")
	if len(audits) == 0 {
		ew.print("No file was read for this run.\n")
	} else {
		ew.print("| File | Format | Lines | Parsed | Unparsed | Clock |\n|---|---|--:|--:|--:|---|\n")
		cells := sourceClocks(audits, clocks, MarkdownText, "—")
		for i, s := range audits {
			ew.printf("| %s | %s | %s | %s | %s | %s |\n", MarkdownCodeCell(s.Path), MarkdownText(s.Format),
				humanize.Thousands(s.Lines), humanize.Thousands(s.Records+s.Folded), humanize.Thousands(s.Unparsed), cells[i])
		}
	}
	for _, c := range nameStamps(clocks, r) {
		ew.printf("\nRun name stamp read as local time: %s.\n", clockText(c))
	}
}

// windowText is the run's window, "2026-01-11 03:42:27 UTC → ... (5m 0s)";
// "" when it is unknown.
func windowText(r *correlate.Run) string {
	if r.Start.IsZero() {
		return ""
	}
	win := utc(r.Start) + " → " + utc(r.End)
	if !r.End.IsZero() {
		win += " (" + duration(r.End.Sub(r.Start)) + ")"
	}
	return win
}

// sourceClocks describes, per audit, the clock its times were read on:
// the run's clock decision for the file, else the zone its parser found,
// else none. esc escapes the text for the medium.
func sourceClocks(audits []parsers.Audit, clocks []correlate.Clock, esc func(string) string, none string) []string {
	clockOf := map[string]correlate.Clock{}
	for _, c := range clocks {
		clockOf[c.File] = c
	}
	out := make([]string, len(audits))
	for i, s := range audits {
		switch c, ok := clockOf[s.Path]; {
		case ok:
			out[i] = clockDesc(c, esc)
		case s.Zone != "":
			out[i] = esc(s.Zone)
		default:
			out[i] = none
		}
	}
	return out
}

// nameStamps are the clock decisions about run r's name stamp: not a file,
// so they are stated below the sources table. None when r is nil.
func nameStamps(clocks []correlate.Clock, r *correlate.Run) []correlate.Clock {
	var out []correlate.Clock
	for _, c := range clocks {
		if r != nil && c.Method == "file-name-stamp" && c.File == r.Name {
			out = append(out, c)
		}
	}
	return out
}

// runAudits are the parse audits of a run's evidence sources: its own
// Locust files and the logs that had events in its window.
func runAudits(a *correlate.Analysis, r *correlate.Run) []parsers.Audit {
	files := map[string]bool{}
	for _, f := range r.Files {
		files[f] = true
	}
	for _, f := range r.Logs {
		files[f] = true
	}
	var audits []parsers.Audit
	for _, s := range a.Sources {
		if files[s.Path] {
			audits = append(audits, s)
		}
	}
	return audits
}

// clockText describes a clock decision for a markdown table cell.
func clockText(c correlate.Clock) string { return clockDesc(c, MarkdownText) }

// clockDesc describes a clock decision, escaping its text with esc.
func clockDesc(c correlate.Clock, esc func(string) string) string {
	if c.Method == "unknown" {
		return "unresolved"
	}
	s := esc(c.Zone)
	if c.Zone != "UTC" && !strings.HasPrefix(c.Zone, "UTC+") && !strings.HasPrefix(c.Zone, "UTC-") {
		s += " (UTC" + offsetText(c.OffsetS) + ")"
	}
	s += ", " + esc(c.Method) + ", confidence " + conf(c.Confidence)
	return s
}

// metricLine is one row of the metrics-vs-targets table.
type metricLine struct {
	name, value, target, status string
}

func metricLines(r *correlate.Run, t rules.Targets) []metricLine {
	agg := r.Aggregated
	if agg == nil {
		return nil
	}
	status := func(ok bool) string {
		if ok {
			return "meets"
		}
		return "misses"
	}
	under := func(p *float64, target float64) string {
		if p == nil || target <= 0 {
			return "—"
		}
		return status(*p < target)
	}
	fp := FailurePct(agg.Failures, agg.Requests)
	lines := []metricLine{
		{"Requests", humanize.Thousands(agg.Requests), "", ""},
		{"Failures", fmt.Sprintf("%s (%s)", humanize.Thousands(agg.Failures), pct(fp)), "< " + pct(t.FailurePct), status(fp < t.FailurePct)},
		{"Median", msCell(agg.Median), "", ""},
		{"p95", msCell(agg.P95), "< " + humanize.Millis(t.P95MS), under(agg.P95, t.P95MS)},
		{"p99", msCell(agg.P99), "< " + humanize.Millis(t.P99MS), under(agg.P99, t.P99MS)},
		{"RPS", rpsText(agg.RPS), "", ""},
	}
	if lr := model.LoginRow(r); lr != nil && lr.Requests > 0 {
		succ := 100 - FailurePct(lr.Failures, lr.Requests)
		lines = append(lines, metricLine{"Auth success (" + lr.Name + ")",
			fmt.Sprintf("%s (%s/%s ok)", pct(succ), humanize.Thousands(lr.Requests-lr.Failures), humanize.Thousands(lr.Requests)),
			"> " + pct(t.AuthSuccessPct), status(succ > t.AuthSuccessPct)})
	}
	return lines
}

// msCell writes a Locust millisecond figure readably and, when the short
// form rounds, with Locust's own value.
func msCell(p *float64) string {
	if p == nil {
		return "N/A"
	}
	h := humanize.Millis(*p)
	if raw := rawMS(p) + " ms"; raw != h {
		return h + " (" + raw + ")"
	}
	return h
}

func writeMetricsSection(ew *errWriter, r *correlate.Run, t rules.Targets) {
	ew.print("\n## Headline metrics vs targets\n\n")
	lines := metricLines(r, t)
	if lines == nil {
		ew.print("No Aggregated row: Locust's totals for this run are missing.\n")
		return
	}
	ew.print("| Metric | Value | Target | Status |\n|---|--:|---|---|\n")
	for _, l := range lines {
		target, status := l.target, l.status
		if target == "" {
			target, status = "—", "—"
		}
		ew.printf("| %s | %s | %s | %s |\n", MarkdownText(l.name), l.value, target, status)
	}
	src := r.Aggregated.File
	if r.Aggregated.Line > 0 {
		src = fmt.Sprintf("%s:%d", src, r.Aggregated.Line)
	}
	ew.printf("\nFigures are Locust's Aggregated row (%s); Locust rounds percentiles to about two significant digits.\n", MarkdownCode(src))
}

func writeFindingMarkdown(ew *errWriter, n int, f rules.Finding) {
	ew.printf("### %d. %s\n\n", n, MarkdownText(f.Title))
	ew.printf("Severity **%s** · confidence %s · rule %s", MarkdownText(f.Severity), conf(f.Confidence), MarkdownCode(f.ID))
	if f.Category != "" {
		ew.printf(" · %s", MarkdownText(f.Category))
	}
	ew.print("\n\n")
	if f.Summary != "" {
		ew.printf("%s\n\n", MarkdownText(f.Summary))
	}
	if len(f.Evidence) > 0 {
		ew.print("Evidence:\n\n")
		for _, e := range f.Evidence {
			ew.printf("- %s\n", citeMarkdown(e))
		}
		ew.print("\n")
	}
	if f.Interpretation != "" {
		ew.printf("Interpretation: %s\n\n", MarkdownText(f.Interpretation))
	}
	if len(f.Missing) > 0 {
		ew.print("Missing evidence:\n\n")
		for _, m := range f.Missing {
			ew.printf("- %s\n", MarkdownText(m))
		}
		ew.print("\n")
	}
}

// evidenceRef is "path:line", or the path alone for a whole-file citation.
func evidenceRef(e rules.Evidence) string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	return e.File
}

func writeGapsSection(ew *errWriter, r *correlate.Run, fs []rules.Finding, audits []parsers.Audit) {
	ew.print("\n## Measurement gaps\n\n")
	n := 0
	for _, m := range MissingEvidence(r, fs) {
		ew.printf("- %s\n", MarkdownText(m))
		n++
	}
	for _, s := range audits {
		for _, w := range s.Warnings {
			ew.printf("- **Warning:** %s\n", MarkdownText(w))
			n++
		}
		switch {
		case s.Format == "unknown":
			ew.printf("- %s: format not recognised; its %s lines were not used\n", MarkdownCode(s.Path), humanize.Thousands(s.Lines))
			n++
		case s.Unparsed > 0:
			ew.printf("- %s: %s unparsed %s", MarkdownCode(s.Path), humanize.Thousands(s.Unparsed), humanize.Plural(s.Unparsed, "line", "lines"))
			if len(s.UnparsedExamples) > 0 {
				ex := s.UnparsedExamples[0]
				ew.printf(", e.g. line %d: %s", ex.Line, MarkdownCode(ex.Text))
			}
			ew.print("\n")
			n++
		}
		if s.Error != "" {
			ew.printf("- %s: %s\n", MarkdownCode(s.Path), MarkdownText(s.Error))
			n++
		}
	}
	if n == 0 {
		ew.print("None: every line of the run's files was parsed and every clock resolved.\n")
	}
}

// writeWarningsMarkdown lists warnings under heading (nothing when none).
func writeWarningsMarkdown(ew *errWriter, heading string, warnings []string) {
	if len(warnings) == 0 {
		return
	}
	ew.print(heading)
	for _, w := range warnings {
		ew.printf("- **Warning:** %s\n", MarkdownText(w))
	}
}

// nextSteps are the findings' recommendations in lead order, unique, then
// a request for the evidence that was missing.
func nextSteps(confirmed []rules.Finding, missing []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range confirmed {
		if f.Recommendation == "" || seen[f.Recommendation] {
			continue
		}
		seen[f.Recommendation] = true
		out = append(out, MarkdownText(f.Recommendation)+" ("+MarkdownCode(f.ID)+")")
	}
	if len(missing) > 0 {
		out = append(out, "Capture the missing evidence listed under Measurement gaps and rerun the analysis.")
	}
	return out
}

// timelineImage is the markdown line that shows the timeline charts
// written beside the document (TimelinesSVG), for analyze and compare.
func timelineImage(link string) string {
	return "\n![Timeline of each run: users, requests/s, failures/s, 5xx, pooler errors, rate-limit hits, incident windows (UTC)](" + link + ")\n"
}
