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

// WriteMarkdown writes the diagnosis a person would have written for each
// run: evidence sources, headline metrics against targets, confirmed
// findings with cited lines, measurement gaps, what was not confirmed, a
// conclusion and next steps. Paths are as the analysis names them
// (relative to the analysed folder); every piece of log text is escaped
// (escape.go).
func WriteMarkdown(w io.Writer, a *correlate.Analysis, findings map[string][]rules.Finding, opt MarkdownOptions) error {
	ew := &errWriter{w: w}
	if len(a.Runs) == 0 {
		ew.print("# Diagnosis (evidence-based)\n\nNo Locust run was found in the files given: nothing to diagnose.\n")
		writeSourcesSection(ew, a.Sources, a.Clocks, nil)
		return ew.err
	}
	for i, r := range a.Runs {
		if i > 0 {
			ew.print("\n---\n\n")
		}
		writeRunMarkdown(ew, a, r, findings[r.Name], opt)
	}
	if fs := findings[""]; len(fs) > 0 {
		ew.print("\n---\n\n# Findings across runs\n\n")
		for i, f := range sortedFindings(fs) {
			writeFindingMarkdown(ew, i+1, f)
		}
	}
	return ew.err
}

func writeRunMarkdown(ew *errWriter, a *correlate.Analysis, r *correlate.Run, fs []rules.Finding, opt MarkdownOptions) {
	fs = sortedFindings(fs)
	var confirmed, weak []rules.Finding
	for _, f := range fs {
		if f.Confidence >= opt.minConf() {
			confirmed = append(confirmed, f)
		} else {
			weak = append(weak, f)
		}
	}
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
	if rf := readFirst(fs); rf != "" {
		ew.printf("\n> **Read first:** %s.\n", MarkdownText(rf))
	}

	audits := runAudits(a, r)
	writeSourcesSection(ew, audits, r.Clock, r)

	writeMetricsSection(ew, r, opt.targets())

	ew.print("\n## Confirmed findings\n\n")
	if len(confirmed) == 0 {
		ew.printf("No finding reached confidence %s.\n", conf(opt.minConf()))
	}
	for i, f := range confirmed {
		writeFindingMarkdown(ew, i+1, f)
	}

	writeGapsSection(ew, r, fs, audits)

	ew.print("\n## Not confirmed\n\n")
	n := 0
	for _, f := range weak {
		ew.printf("- %s (%s, confidence %s): %s\n", MarkdownText(f.Title), MarkdownText(f.ID), conf(f.Confidence), MarkdownText(f.Summary))
		n++
	}
	fired := map[string]bool{}
	for _, f := range fs {
		fired[f.ID] = true
	}
	for _, ri := range opt.Rules {
		if fired[ri.ID] {
			continue
		}
		ew.printf("- %s (%s): checked, no finding.\n", MarkdownText(ri.Title), MarkdownText(ri.ID))
		n++
	}
	if n == 0 {
		ew.print("Nothing: every finding above reached the confidence threshold.\n")
	}

	writeConclusion(ew, r, confirmed, opt.targets())

	ew.print("\n## Next steps\n\n")
	steps := nextSteps(confirmed, MissingEvidence(r, fs))
	if len(steps) == 0 {
		ew.print("None suggested by the evidence.\n")
	}
	for i, s := range steps {
		ew.printf("%d. %s\n", i+1, s)
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
			ew.printf("- %s", MarkdownCode(evidenceRef(e)))
			if e.Time != nil {
				ew.printf(" (%s)", utc(*e.Time))
			}
			if e.Text != "" {
				ew.printf(": %s", MarkdownCode(e.Text))
			}
			ew.print("\n")
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

func writeConclusion(ew *errWriter, r *correlate.Run, confirmed []rules.Finding, t rules.Targets) {
	ew.print("\n## Conclusion\n\n")
	var missed []string
	for _, l := range metricLines(r, t) {
		if l.status == "misses" {
			missed = append(missed, l.name+" "+l.value+", target "+l.target)
		}
	}
	switch {
	case len(confirmed) == 0 && len(missed) == 0:
		ew.print("No finding was confirmed and every metric with a target meets it.\n")
	case len(confirmed) == 0:
		ew.printf("No cause was confirmed from the evidence, but the run misses %s.\n", MarkdownText(strings.Join(missed, "; ")))
	default:
		top := confirmed[0]
		ew.printf("The evidence supports: **%s** (%s, confidence %s). %s\n", MarkdownText(top.Title), MarkdownText(top.Severity),
			conf(top.Confidence), MarkdownText(top.Summary))
		if len(confirmed) > 1 {
			var others []string
			for _, f := range confirmed[1:] {
				others = append(others, f.Title)
			}
			ew.printf("\nAlso confirmed: %s.\n", MarkdownText(strings.Join(others, "; ")))
		}
		if len(missed) > 0 {
			ew.printf("\nTargets missed: %s.\n", MarkdownText(strings.Join(missed, "; ")))
		}
	}
}

// nextSteps are the findings' recommendations in severity order, unique,
// then a request for the evidence that was missing.
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
