package report

import (
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/gates"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/rules"
)

// HTMLOptions steer the HTML report.
type HTMLOptions struct {
	// Targets (zero value: rules.DefaultTargets).
	Targets rules.Targets
	// FailOn is --fail-on: a finding at or above it fails its run's
	// verdict; nil never fails on findings.
	FailOn *rules.Severity
	// Gates are the gate results of every run (run name in Result.Run).
	Gates []gates.Result
	Chart ChartOptions
}

func (o HTMLOptions) targets() rules.Targets {
	if o.Targets == (rules.Targets{}) {
		return rules.DefaultTargets
	}
	return o.Targets
}

// Verdict is a run's pass/fail as CI would gate on it, with its reasons.
type Verdict struct {
	Fail    bool
	Reasons []string
}

// RunVerdict decides a run's verdict: it fails when a finding reaches
// failOn or one of its gates failed, like the exit code.
func RunVerdict(run string, fs []rules.Finding, failOn *rules.Severity, results []gates.Result) Verdict {
	var v Verdict
	if failOn != nil {
		for _, f := range sortedFindings(fs) {
			if s, ok := rules.ParseSeverity(f.Severity); ok && s >= *failOn {
				v.Reasons = append(v.Reasons, f.Severity+" finding "+f.ID)
			}
		}
	}
	for _, g := range results {
		if g.Run == run && !g.Pass {
			v.Reasons = append(v.Reasons, "gate "+g.Gate.Source+" failed")
		}
	}
	v.Fail = len(v.Reasons) > 0
	return v
}

// xmlText escapes log text for HTML and SVG: what SanitizeTerminal
// removes (control sequences, controls; line breaks shown as ⏎), then
// the characters markup reads (& < > " ').
func xmlText(s string) string {
	return html.EscapeString(strings.Map(func(r rune) rune {
		if r == 0xfffe || r == 0xffff {
			return -1 // not allowed in XML even as a reference
		}
		return r
	}, SanitizeTerminal(s)))
}

// xmlBlock escapes multi-line text for a <pre>, keeping its lines.
func xmlBlock(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = xmlText(l)
	}
	return strings.Join(lines, "\n")
}

// anchor makes an id attribute value from a run name: letters, digits,
// '-' and '_' kept, everything else '-'.
func anchor(prefix, name string) string {
	return prefix + strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '-'
	}, name)
}

// breakable escapes a run name and lets the browser wrap it after its
// underscores (hasil_test_v19_100u_nolimit_pool140 is one long word).
func breakable(name string) string { return strings.ReplaceAll(xmlText(name), "_", "_<wbr>") }

// findingAnchor is the id of a run's n-th finding.
func findingAnchor(run string, n int) string { return anchor("f-", run) + "-" + fmt.Sprint(n) }

// The page's only style: inline, no web fonts, no scripts. The
// Content-Security-Policy forbids the browser to fetch anything at all,
// so a report opened from a CI artifact store makes no request.
const htmlHead = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="logcorr">
<title>%s</title>
<style>
:root{color-scheme:light}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;margin:0;background:#f3f4f6}
main{max-width:1180px;margin:0 auto;padding:20px 24px 48px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d1d5db;padding-bottom:4px}
h3{font-size:15px;margin:20px 0 6px}h4{font-size:14px;margin:0 0 4px}
section.run,section.box{background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:4px 18px 16px;margin:18px 0}
table{border-collapse:collapse;width:100%%;font-size:13px;background:#fff}
th,td{border:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f9fafb;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.meets{color:#047857}.misses{color:#b91c1c;font-weight:600}
.badge{display:inline-block;border-radius:3px;padding:0 6px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap}
.FAIL{background:#b91c1c}.PASS{background:#047857}
.sev-critical{background:#7f1d1d}.sev-high{background:#b91c1c}.sev-medium{background:#b45309}.sev-low{background:#0369a1}.sev-info{background:#6b7280}
.muted{color:#6b7280}.small{font-size:12px}td.verdict{min-width:9em}td.run{min-width:10em;max-width:22em}
.scroll{overflow-x:auto}
figure{margin:10px 0;overflow-x:auto}figure svg{max-width:100%%;height:auto}
article.finding{border-left:4px solid #d1d5db;padding:6px 12px;margin:12px 0;background:#fafafa}
article.finding.critical{border-color:#7f1d1d}article.finding.high{border-color:#b91c1c}article.finding.medium{border-color:#b45309}
pre{background:#111827;color:#f9fafb;padding:6px 8px;border-radius:4px;white-space:pre-wrap;word-break:break-all;margin:2px 0 8px;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f3f4f6;padding:0 3px;border-radius:3px}
ul.evidence{list-style:none;padding:0;margin:4px 0}
dl.conclusion{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;background:#fff7ed;border:1px solid #fed7aa;border-radius:6px;padding:8px 12px;margin:10px 0}
dl.conclusion dt{font-weight:600;grid-column:1}dl.conclusion dd{margin:0;grid-column:2}
a{color:#1d4ed8}
</style>
</head>
<body>
<main>
`

const htmlFoot = "</main>\n</body>\n</html>\n"

// WriteHTML writes the analysis as one self-contained HTML page: an
// overview with one row per run (verdict, root cause, headline figures
// against the targets), then per run its timeline chart, figures,
// findings with their cited lines, and sources. Every piece of log text
// is escaped; the page references nothing outside itself.
func WriteHTML(w io.Writer, a *correlate.Analysis, findings map[string][]rules.Finding, opt HTMLOptions) error {
	ew := &errWriter{w: w}
	title := "logcorr diagnosis"
	if len(a.Runs) == 1 {
		title += ": " + a.Runs[0].Name
	} else {
		title += fmt.Sprintf(": %d runs", len(a.Runs))
	}
	ew.printf(htmlHead, xmlText(title))
	ew.printf("<h1>%s</h1>\n", xmlText(title))
	ew.printf("<p class=\"muted\">%s</p>\n", xmlText(inputSummary(a)))
	if len(a.Runs) == 0 {
		ew.print("<p>No Locust run was found in the files given: nothing to diagnose.</p>\n")
	} else {
		writeHTMLOverview(ew, a, findings, opt)
	}
	for _, r := range a.Runs {
		writeHTMLRun(ew, a, r, findings[r.Name], opt)
	}
	if fs := findings[""]; len(fs) > 0 {
		ew.print("<section class=\"box\"><h2>Findings across runs</h2>\n")
		for i, f := range sortedFindings(fs) {
			writeHTMLFinding(ew, "all", i+1, f)
		}
		ew.print("</section>\n")
	}
	writeHTMLInput(ew, a)
	ew.print(htmlFoot)
	return ew.err
}

// inputSummary is one line on what was read.
func inputSummary(a *correlate.Analysis) string {
	var lines, parsed int64
	for _, s := range a.Sources {
		lines += s.Lines
		parsed += s.Records + s.Folded
	}
	pctOK := 100.0
	if lines > 0 {
		pctOK = 100 * float64(parsed) / float64(lines)
	}
	return fmt.Sprintf("%d run(s) from %d file(s), %s lines, %.2f %% understood. Times are UTC.",
		len(a.Runs), len(a.Sources), humanize.Thousands(lines), pctOK)
}

func writeHTMLOverview(ew *errWriter, a *correlate.Analysis, findings map[string][]rules.Finding, opt HTMLOptions) {
	t := opt.targets()
	ew.print("<section class=\"box\" id=\"overview\"><h2>Overview</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>run</th><th>verdict</th><th>root cause</th>")
	ew.printf("<th>requests</th><th>failures<br><span class=\"muted small\">target &lt; %s</span></th>", xmlText(pct(t.FailurePct)))
	ew.printf("<th>p95<br><span class=\"muted small\">&lt; %s</span></th><th>p99<br><span class=\"muted small\">&lt; %s</span></th>",
		xmlText(humanize.Millis(t.P95MS)), xmlText(humanize.Millis(t.P99MS)))
	ew.printf("<th>auth success<br><span class=\"muted small\">&gt; %s</span></th><th>RPS</th><th>peak users</th></tr></thead>\n<tbody>\n", xmlText(pct(t.AuthSuccessPct)))
	for _, r := range a.Runs {
		fs := sortedFindings(findings[r.Name])
		v := RunVerdict(r.Name, fs, opt.FailOn, opt.Gates)
		ew.printf("<tr><td class=\"run\"><a href=\"#%s\">%s</a></td>", anchor("run-", r.Name), breakable(r.Name))
		ew.print(verdictCell(v))
		c := rules.ConcludeRun(r, fs)
		ew.print("<td>")
		if lead := leadIndex(fs, c.Lead); lead > 0 {
			f := fs[lead-1]
			ew.printf("<span class=\"badge sev-%s\">%s</span> <a href=\"#%s\" title=\"%s\">%s</a>",
				xmlText(f.Severity), xmlText(f.Severity), findingAnchor(r.Name, lead), xmlText(f.ID), xmlText(c.Text))
		} else {
			ew.printf("<span class=\"muted\">%s</span>", xmlText(c.Text))
		}
		if len(fs) > 1 {
			ew.printf(" <span class=\"muted small\">+%d more</span>", len(fs)-1)
		}
		ew.print("</td>")
		byName := map[string]metricLine{}
		for _, l := range metricLines(r, t) {
			name := l.name
			if strings.HasPrefix(name, "Auth success") {
				name = "Auth success"
			}
			byName[name] = l
		}
		for _, k := range []string{"Requests", "Failures", "p95", "p99", "Auth success", "RPS"} {
			l, ok := byName[k]
			if !ok {
				ew.print("<td class=\"num muted\">–</td>")
				continue
			}
			cls := "num"
			if l.status == "meets" || l.status == "misses" {
				cls += " " + l.status
			}
			val := l.value
			if k == "p95" || k == "p99" || k == "Auth success" {
				// the short form; the run's own table gives Locust's value
				val, _, _ = strings.Cut(val, " (")
			}
			ew.printf("<td class=\"%s\">%s</td>", cls, xmlText(val))
		}
		users := "-" // no user count in the files
		if n := UsersMaxOf(r); n != nil {
			users = strconv.FormatInt(*n, 10)
		}
		ew.printf("<td class=\"num\">%s</td></tr>\n", users)
	}
	ew.print("</tbody></table></div>\n<p class=\"muted small\">Root cause: the run's conclusion (the cause first, or that the run does not measure the application); symptoms follow it in the run's findings. Figures are Locust's Aggregated row; red misses its target.</p></section>\n")
}

// leadIndex is the 1-based position of the finding a conclusion rests
// on among fs (lead order), 0 when it rests on none.
func leadIndex(fs []rules.Finding, id string) int {
	if id == "" {
		return 0
	}
	for i, f := range fs {
		if f.ID == id {
			return i + 1
		}
	}
	return 0
}

func verdictCell(v Verdict) string {
	if !v.Fail {
		return "<td><span class=\"badge PASS\">PASS</span></td>"
	}
	reasons := make([]string, len(v.Reasons))
	for i, r := range v.Reasons {
		reasons[i] = xmlText(r)
	}
	return "<td class=\"verdict\"><span class=\"badge FAIL\">FAIL</span><br><span class=\"small\">" + strings.Join(reasons, "<br>") + "</span></td>"
}

func writeHTMLRun(ew *errWriter, a *correlate.Analysis, r *correlate.Run, fs []rules.Finding, opt HTMLOptions) {
	fs = sortedFindings(fs)
	ew.printf("<section class=\"run\" id=\"%s\">\n<h2>Run %s</h2>\n", anchor("run-", r.Name), xmlText(r.Name))
	var facts []string
	if win := windowText(r); win != "" {
		facts = append(facts, "window "+win+", from "+r.WindowSource)
	} else {
		facts = append(facts, "window unknown (no stats history or HTML times)")
	}
	if r.UsersMax > 0 {
		facts = append(facts, fmt.Sprintf("peak %d users", r.UsersMax))
	}
	if l := headerLabel(r); l != "" {
		facts = append(facts, l)
	}
	ew.printf("<p class=\"muted\">%s</p>\n", xmlText(strings.Join(facts, " · ")))
	ew.print("<dl class=\"conclusion\">\n")
	for _, l := range conclusionLines(rules.ConcludeRun(r, fs), citeNote) {
		if l.label != "" {
			ew.printf("<dt>%s</dt>", xmlText(l.label))
		}
		ew.printf("<dd>%s</dd>\n", xmlText(l.text))
	}
	ew.print("</dl>\n")
	if svg := TimelineSVG(r, opt.Chart); svg != "" {
		ew.printf("<figure>%s</figure>\n", svg)
	} else {
		ew.print("<p class=\"muted\">No timeline: the run's window is unknown.</p>\n")
	}
	ew.print("<h3>Headline figures vs targets</h3>\n")
	if lines := metricLines(r, opt.targets()); lines != nil {
		ew.print("<table><thead><tr><th>metric</th><th>value</th><th>target</th><th>status</th></tr></thead><tbody>\n")
		for _, l := range lines {
			target, st := l.target, l.status
			if target == "" {
				target, st = "–", "–"
			}
			ew.printf("<tr><td>%s</td><td class=\"num\">%s</td><td>%s</td><td class=\"%s\">%s</td></tr>\n",
				xmlText(l.name), xmlText(l.value), xmlText(target), xmlText(st), xmlText(st))
		}
		ew.print("</tbody></table>\n")
	} else {
		ew.print("<p>No Aggregated row: Locust's totals for this run are missing.</p>\n")
	}
	if gs := runGates(r.Name, opt.Gates); len(gs) > 0 {
		ew.print("<h3>Gates</h3>\n<table><thead><tr><th>gate</th><th>result</th><th>actual</th><th>why</th></tr></thead><tbody>\n")
		for _, g := range gs {
			res := "<span class=\"badge PASS\">pass</span>"
			if !g.Pass {
				res = "<span class=\"badge FAIL\">fail</span>"
			}
			ew.printf("<tr><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td></tr>\n", xmlText(g.Gate.Source), res, xmlText(g.Actual), xmlText(g.Message))
		}
		ew.print("</tbody></table>\n")
	}
	ew.printf("<h3>Findings (%d)</h3>\n", len(fs))
	if len(fs) == 0 {
		ew.print("<p>No findings.</p>\n")
	}
	for i, f := range fs {
		writeHTMLFinding(ew, r.Name, i+1, f)
	}
	if missing := MissingEvidence(r, fs); len(missing) > 0 {
		ew.print("<h3>Evidence the files lacked</h3>\n<ul>\n")
		for _, m := range missing {
			ew.printf("<li>%s</li>\n", xmlText(m))
		}
		ew.print("</ul>\n")
	}
	writeHTMLSources(ew, a, r)
	ew.print("</section>\n")
}

func runGates(run string, rs []gates.Result) []gates.Result {
	var out []gates.Result
	for _, g := range rs {
		if g.Run == run {
			out = append(out, g)
		}
	}
	return out
}

func writeHTMLFinding(ew *errWriter, run string, n int, f rules.Finding) {
	ew.printf("<article class=\"finding %s\" id=\"%s\">\n", xmlText(f.Severity), findingAnchor(run, n))
	ew.printf("<h4>%d. %s <span class=\"badge sev-%s\">%s</span></h4>\n", n, xmlText(f.Title), xmlText(f.Severity), xmlText(f.Severity))
	ew.printf("<p class=\"muted small\">rule <code>%s</code> · confidence %s", xmlText(f.ID), conf(f.Confidence))
	if f.Category != "" {
		ew.printf(" · %s", xmlText(f.Category))
	}
	ew.print("</p>\n")
	if f.Summary != "" {
		ew.printf("<p>%s</p>\n", xmlText(f.Summary))
	}
	if len(f.Evidence) > 0 {
		ew.print("<ul class=\"evidence\">\n")
		for _, e := range f.Evidence {
			ew.printf("<li><code>%s</code>", xmlText(evidenceRef(e)))
			if e.Time != nil {
				ew.printf(" <span class=\"muted small\">%s</span>", xmlText(utc(*e.Time)))
			}
			if e.Text != "" {
				ew.printf("<pre>%s</pre>", xmlBlock(e.Text))
			}
			ew.print("</li>\n")
		}
		ew.print("</ul>\n")
	}
	if f.Interpretation != "" {
		ew.printf("<p><strong>Interpretation:</strong> %s</p>\n", xmlText(f.Interpretation))
	}
	if f.Recommendation != "" {
		ew.printf("<p><strong>Recommendation:</strong> %s</p>\n", xmlText(f.Recommendation))
	}
	if len(f.Missing) > 0 {
		ew.print("<p class=\"small\"><strong>Missing evidence:</strong></p><ul class=\"small\">\n")
		for _, m := range f.Missing {
			ew.printf("<li>%s</li>\n", xmlText(m))
		}
		ew.print("</ul>\n")
	}
	ew.print("</article>\n")
}

func writeHTMLSources(ew *errWriter, a *correlate.Analysis, r *correlate.Run) {
	audits := runAudits(a, r)
	if len(audits) == 0 {
		return
	}
	ew.print("<h3>Sources</h3>\n<table><thead><tr><th>file</th><th>format</th><th>lines</th><th>parsed</th><th>unparsed</th><th>clock</th></tr></thead><tbody>\n")
	clocks := sourceClocks(audits, r.Clock, xmlText, "–")
	for i, s := range audits {
		ew.printf("<tr><td><code>%s</code></td><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td>%s</td></tr>\n",
			xmlText(s.Path), xmlText(s.Format), humanize.Thousands(s.Lines), humanize.Thousands(s.Records+s.Folded), humanize.Thousands(s.Unparsed), clocks[i])
	}
	ew.print("</tbody></table>\n")
	for _, c := range nameStamps(r.Clock, r) {
		ew.printf("<p class=\"small\">Run name stamp read as local time: %s.</p>\n", clockDesc(c, xmlText))
	}
}

func writeHTMLInput(ew *errWriter, a *correlate.Analysis) {
	if len(a.Orphans) == 0 && len(a.Messages) == 0 {
		return
	}
	ew.print("<section class=\"box\"><h2>Input notes</h2>\n<ul class=\"small\">\n")
	if len(a.Orphans) > 0 {
		ew.printf("<li>Log files outside every run window: %s</li>\n", xmlText(strings.Join(a.Orphans, ", ")))
	}
	for _, m := range a.Messages {
		ew.printf("<li>%s</li>\n", xmlText(m))
	}
	ew.print("</ul></section>\n")
}

// WriteCompareHTML writes the comparison as one self-contained page: the
// runs table with verdicts, what changed between runs, and each run's
// timeline chart with its root cause.
func WriteCompareHTML(w io.Writer, doc *CompareDoc, a *correlate.Analysis, findings map[string][]rules.Finding, opt HTMLOptions) error {
	ew := &errWriter{w: w}
	title := fmt.Sprintf("logcorr run comparison: %d runs", len(doc.Runs))
	ew.printf(htmlHead, xmlText(title))
	ew.printf("<h1>%s</h1>\n<p class=\"muted\">%s</p>\n", xmlText(title), xmlText(inputSummary(a)))
	if doc.Baseline != "" {
		ew.printf("<p>Each run is compared with the baseline <code>%s</code>.</p>\n", xmlText(doc.Baseline))
	}
	ew.print("<section class=\"box\" id=\"overview\"><h2>Runs</h2>\n<table><thead><tr>")
	for i, h := range compareHeader {
		if i == 1 {
			ew.print("<th>verdict</th>")
		}
		ew.printf("<th>%s</th>", xmlText(h))
	}
	ew.print("</tr></thead><tbody>\n")
	for _, cr := range doc.Runs {
		cells := compareCells(cr)
		ew.printf("<tr><td><a href=\"#%s\">%s</a></td>", anchor("run-", cr.Name), xmlText(cells[0]))
		ew.print(verdictCell(RunVerdict(cr.Name, findings[cr.Name], opt.FailOn, opt.Gates)))
		for i, c := range cells[1:] {
			cls := ""
			if i+1 >= 2 && i+1 <= 11 {
				cls = " class=\"num\""
			}
			ew.printf("<td%s>%s</td>", cls, xmlText(c))
		}
		ew.print("</tr>\n")
	}
	ew.print("</tbody></table></section>\n")
	order, groups := groupChanges(doc)
	if len(order) > 0 {
		ew.print("<section class=\"box\"><h2>What changed</h2>\n")
		for _, cr := range doc.Runs {
			if len(cr.ChangedParams) > 0 {
				ew.printf("<p><code>%s</code>: %s</p>\n", xmlText(shortName(cr.Name)), xmlText(strings.Join(cr.ChangedParams, ", ")))
			}
		}
		for _, k := range order {
			ew.printf("<h3>%s → %s</h3>\n<ul>\n", xmlText(shortName(k.from)), xmlText(shortName(k.to)))
			for _, l := range changeLines(groups[k]) {
				ew.printf("<li>%s</li>\n", xmlText(l))
			}
			ew.print("</ul>\n")
		}
		ew.print("</section>\n")
	}
	for _, n := range doc.Notes {
		ew.printf("<p class=\"muted small\">%s</p>\n", xmlText(n))
	}
	for _, cr := range doc.Runs {
		r := a.Run(cr.Name)
		if r == nil {
			continue
		}
		fs := sortedFindings(findings[r.Name])
		ew.printf("<section class=\"run\" id=\"%s\"><h2>Run %s</h2>\n", anchor("run-", r.Name), xmlText(r.Name))
		c := rules.ConcludeRun(r, fs)
		if lead := leadIndex(fs, c.Lead); lead > 0 {
			f := fs[lead-1]
			ew.printf("<p><span class=\"badge sev-%s\">%s</span> %s <code>%s</code></p>\n",
				xmlText(f.Severity), xmlText(f.Severity), xmlText(c.Text), xmlText(f.ID))
		} else {
			ew.printf("<p class=\"muted\">%s</p>\n", xmlText(c.Text))
		}
		if svg := TimelineSVG(r, opt.Chart); svg != "" {
			ew.printf("<figure>%s</figure>\n", svg)
		}
		ew.print("</section>\n")
	}
	ew.print(htmlFoot)
	return ew.err
}

// TimelinesSVG stacks the timeline charts of every run into one SVG
// document, each under its run's name: the file a markdown report links
// (`--out report.md` writes it as report.timeline.svg). "" when no run
// has a known window.
func TimelinesSVG(a *correlate.Analysis, opt ChartOptions) string {
	const head = 28
	var body strings.Builder
	y := 0
	for _, r := range a.Runs {
		svg, h := timelineChart(r, opt)
		if svg == "" {
			continue
		}
		fmt.Fprintf(&body, `<text x="8" y="%d" font-size="15" font-weight="600">Run %s</text>`, y+20, xmlText(r.Name))
		fmt.Fprintf(&body, `<g transform="translate(0 %d)">%s</g>`, y+head, svg)
		y += h + head
	}
	if y == 0 {
		return ""
	}
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" font-family="system-ui, sans-serif">`, chartW, y, chartW, y) +
		`<rect width="100%" height="100%" fill="#fff"/>` + body.String() + "</svg>\n"
}
