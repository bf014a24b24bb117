package pipeline

import (
	"fmt"
	"io"

	"github.com/logcorr/logcorr/perf"
	"github.com/logcorr/logcorr/report"
	"github.com/logcorr/logcorr/rules"
)

// Document is which report to write.
type Document int

// The documents logcorr writes.
const (
	Analysis Document = iota // analyze: text, markdown, json, html
	Compare                  // compare: text, markdown, json, html
	Weekly                   // report weekly: markdown
	Timeline                 // timeline: text, json
	Audit                    // parse: the per-file audit, text or json
)

// Report is what to write and how.
type Report struct {
	Document Document
	// Format is text, markdown, json or html (the document's formats).
	Format string
	// Color: ANSI colours in text (the CLI decides: a terminal, no
	// NO_COLOR).
	Color bool
	// TimelineImage is the markdown's link to the timeline SVG written
	// beside it ("" for none): analyze's and compare's.
	TimelineImage string
	// FailOn is --fail-on (the HTML verdicts).
	FailOn *rules.Severity
	// Lang and Date are report weekly's.
	Lang, Date string
	// Perf adds the `perf` block (what each stage cost) to an analysis
	// JSON document: --stats. Off by default, so the same input gives
	// the same bytes.
	Perf bool
}

// Write writes the report of the result to w. It is the report stage:
// its cost is recorded after the stages before it.
func (r *Result) Write(w io.Writer, rep Report) error {
	r.perf.Start(perf.Report)
	defer r.perf.End()
	if rep.Document != Audit { // the audit cites no line
		r.Quote()
		stageDone("quote")
	}
	a := r.Analysis
	switch rep.Document {
	case Audit:
		if rep.Format == "json" {
			return report.WriteAuditJSONMessages(w, r.Dataset.Audits(), r.Dataset.Messages)
		}
		return report.WriteAuditTable(w, r.Dataset.Audits(), r.Dataset.Messages)
	case Timeline:
		doc := report.BuildTimeline(a)
		if rep.Format == "json" {
			return report.WriteTimelineJSON(w, doc)
		}
		return report.WriteTimelineText(w, doc)
	case Weekly:
		return report.WriteWeekly(w, a, r.Findings, report.WeeklyOptions{Lang: rep.Lang, Date: rep.Date, Targets: r.Targets})
	case Compare:
		doc := report.CompareTargets(a.Runs, r.Findings, r.Baseline, r.Targets)
		report.AddCompareGates(doc, r.Gates)
		switch rep.Format {
		case "json":
			return report.WriteCompareJSON(w, doc)
		case "markdown":
			return report.WriteCompareMarkdown(w, doc, report.CompareMarkdownOptions{TimelineImage: rep.TimelineImage})
		case "html":
			return report.WriteCompareHTML(w, doc, a, r.Findings, r.htmlOptions(rep))
		}
		return report.WriteCompareText(w, doc)
	case Analysis:
		switch rep.Format {
		case "json":
			parts := report.AnalysisParts{Analysis: a, Findings: r.Findings, Checks: r.Checks, Gates: r.Gates}
			if rep.Perf {
				parts.Perf = r.perf.Stats()
			}
			return report.WriteAnalysis(w, parts)
		case "markdown":
			return report.WriteMarkdown(w, a, r.Findings, report.MarkdownOptions{Targets: r.Targets,
				Rules: report.RuleInfos(r.ruleList()), Checks: r.Checks, TimelineImage: rep.TimelineImage})
		case "html":
			return report.WriteHTML(w, a, r.Findings, r.htmlOptions(rep))
		}
		return report.WriteText(w, a, r.Findings, report.TextOptions{Targets: r.Targets, Color: rep.Color, Checks: r.Checks})
	}
	return fmt.Errorf("pipeline: unknown document %d", rep.Document)
}

// TimelinesSVG is every run's timeline chart in one SVG (the markdown
// report's sidecar), "" when no run has a known window.
func (r *Result) TimelinesSVG() string { return report.TimelinesSVG(r.Analysis, r.chart()) }

func (r *Result) htmlOptions(rep Report) report.HTMLOptions {
	return report.HTMLOptions{Targets: r.Targets, FailOn: rep.FailOn, Gates: r.Gates, Chart: r.chart()}
}

func (r *Result) chart() report.ChartOptions {
	if r.Rules == nil {
		return report.ChartOptions{}
	}
	return report.ChartOptions{RateLimitTexts: report.RateLimitTexts(r.Rules)}
}

func (r *Result) ruleList() []*rules.Rule {
	if r.Rules == nil {
		return nil
	}
	return r.Rules.List()
}
