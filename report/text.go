package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/rules"
)

// TextOptions steer the terminal summary.
type TextOptions struct {
	// Color adds ANSI colours (severities, target status). The CLI sets it
	// only when stdout is a terminal and NO_COLOR is unset.
	Color bool
	// Targets (zero value: rules.DefaultTargets).
	Targets rules.Targets
	// Evidence is how many cited lines to print per finding (0: 2; <0: none).
	Evidence int
	// Checks are the rules' statuses per run (rules.RunResult.Checks),
	// keyed by run name: what could not be checked, and why. Optional.
	Checks map[string][]rules.CheckStatus
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiDim    = "\x1b[2m"
)

func (o TextOptions) paint(code, s string) string {
	if !o.Color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (o TextOptions) sev(s string) string {
	switch s {
	case "critical":
		return o.paint(ansiBold+ansiRed, s)
	case "high":
		return o.paint(ansiRed, s)
	case "medium":
		return o.paint(ansiYellow, s)
	case "low":
		return o.paint(ansiCyan, s)
	}
	return s
}

func (o TextOptions) status(s string) string {
	switch s {
	case "misses":
		return o.paint(ansiRed, s)
	case "meets":
		return o.paint(ansiGreen, s)
	}
	return s
}

// WriteText writes the terminal summary. With several runs it opens with
// the overview (one row per run with its conclusion) and the findings that
// hold for several runs, said once; then, per run: its conclusion (the
// root cause or that it does not measure the application, why, impact,
// what it is not, evidence, fix, caveats, the symptoms after them), its
// headline figures against the targets, its findings in lead order with
// the columns that matter, what could not be checked, the evidence
// appendix (the cited lines as the files hold them) and its sources. All
// log text is passed through SanitizeTerminal; colour codes are the only
// escape sequences written, and only with opt.Color.
func WriteText(w io.Writer, a *correlate.Analysis, findings map[string][]rules.Finding, opt TextOptions) error {
	ew := &errWriter{w: w}
	t := opt.Targets
	if t == (rules.Targets{}) {
		t = rules.DefaultTargets
	}
	nev := opt.Evidence
	if nev == 0 {
		nev = 2
	}
	if len(a.Runs) == 0 {
		ew.print("No Locust run found.\n")
	}
	v := buildView(a, findings, opt.Checks, t)
	if len(v.runs) > 1 {
		if err := writeTextOverview(w, ew, v, opt); err != nil {
			return err
		}
	}
	for i, rv := range v.runs {
		if i > 0 || len(v.runs) > 1 {
			ew.print("\n")
		}
		if err := writeTextRun(w, ew, a, v, rv, t, nev, opt); err != nil {
			return err
		}
	}
	writeTextInput(ew, a)
	return ew.err
}

// writeTextOverview opens a summary of several runs: the runs side by
// side with their conclusions, then what holds for several of them.
func writeTextOverview(w io.Writer, ew *errWriter, v *diagnosisView, opt TextOptions) error {
	ew.printf("%s\n", opt.paint(ansiBold, fmt.Sprintf("%d runs, in time order", len(v.runs))))
	if ew.err != nil {
		return ew.err
	}
	tb := newTableN(w, len(overviewHeader), 2, 4, 5, 6, 7)
	hdr := make([]any, len(overviewHeader))
	for i, h := range overviewHeader {
		hdr[i] = h
	}
	tb.Header(hdr...)
	for _, row := range v.overview(90) {
		cells := row.cells()
		out := make([]any, len(cells))
		for i, c := range cells {
			out[i] = SanitizeTerminal(c)
		}
		if err := tb.Append(out...); err != nil {
			return err
		}
	}
	if err := tb.Render(); err != nil {
		return err
	}
	if len(v.across) > 0 {
		ew.printf("\n%s\n", opt.paint(ansiBold, "Across runs (said once; each run below refers to it)"))
		for _, af := range v.across {
			ew.printf("  %s %s — %s; holds for %d runs: %s\n", opt.sev(SanitizeTerminal(af.severity)), opt.paint(ansiBold, SanitizeTerminal(af.id)),
				SanitizeTerminal(af.headline), len(af.runs), SanitizeTerminal(runNames(af.runs, 8)))
		}
	}
	return ew.err
}

func writeTextRun(w io.Writer, ew *errWriter, a *correlate.Analysis, v *diagnosisView, rv *runView, t rules.Targets, nev int, opt TextOptions) error {
	r := rv.run
	ew.printf("%s\n", opt.paint(ansiBold, "Run "+SanitizeTerminal(r.Name)))
	win := windowText(r)
	if win == "" {
		win = "window unknown"
	}
	ew.printf("  %s, %s", win, peakUsers(UsersMaxOf(r)))
	if l := headerLabel(r); l != "" {
		ew.printf(", %s", SanitizeTerminal(l))
	}
	ew.print("\n\n")
	for _, l := range conclusionLines(rv.conclusion, citeNote) {
		label := l.label
		if label != "" {
			label += ":"
		}
		ew.printf("  %s %s\n", opt.paint(ansiBold, padRight(label, 11)), SanitizeTerminal(l.text))
	}
	ew.print("\n")
	if ew.err != nil {
		return ew.err
	}
	if lines := metricLines(r, t); lines != nil {
		tb := newTableN(w, 4, 1)
		tb.Header("metric", "value", "target", "status")
		for _, l := range lines {
			target, st := l.target, l.status
			if target == "" {
				target, st = "-", "-"
			}
			if err := tb.Append(SanitizeTerminal(l.name), l.value, target, opt.status(st)); err != nil {
				return err
			}
		}
		if err := tb.Render(); err != nil {
			return err
		}
		if eff := effectiveFailures(r, v.bodies.Of(r)); eff != "" {
			ew.printf("  Effective failure rate: %s\n", SanitizeTerminal(eff))
		}
	} else {
		ew.print("  No Aggregated row: Locust's totals are missing.\n")
	}
	fs := rv.findings
	if len(fs) == 0 {
		ew.print("\nNo findings.\n")
	} else {
		ew.print("\n")
		if ew.err != nil {
			return ew.err
		}
		tb := newTableN(w, 5, 4)
		tb.Header("severity", "role", "finding", "title", "confidence")
		for _, f := range fs {
			if err := tb.Append(opt.sev(SanitizeTerminal(f.Severity)), SanitizeTerminal(f.Role), SanitizeTerminal(f.ID), SanitizeTerminal(f.Title), conf(f.Confidence)); err != nil {
				return err
			}
		}
		if err := tb.Render(); err != nil {
			return err
		}
	}
	for _, f := range fs {
		if rv.repeated[findingKey(f)] {
			ew.printf("\n%s %s: %s %s\n", opt.sev(SanitizeTerminal(f.Severity)), opt.paint(ansiBold, SanitizeTerminal(f.ID)),
				SanitizeTerminal(rules.Headline(f)), opt.paint(ansiDim, "(also in other runs: see Across runs)"))
			continue
		}
		if f.Summary == "" && (nev < 0 || len(f.Evidence) == 0) {
			continue
		}
		ew.printf("\n%s %s\n", opt.sev(SanitizeTerminal(f.Severity)), opt.paint(ansiBold, SanitizeTerminal(f.ID)))
		if f.Summary != "" {
			ew.printf("  %s\n", SanitizeTerminal(f.Summary))
		}
		for j, e := range f.Evidence {
			if nev < 0 || j == nev {
				if more := len(f.Evidence) - j; nev >= 0 && more > 0 {
					ew.printf("  %s\n", opt.paint(ansiDim, fmt.Sprintf("… %d more cited line(s) in the report", more)))
				}
				break
			}
			ew.printf("  %s\n", clipText(SanitizeTerminal(citeNote(e)), 400))
		}
	}
	cannot, order, nothing := checkGroups(rv.checks)
	if len(order) > 0 || len(nothing) > 0 {
		ew.print("\n")
	}
	for _, k := range order {
		ew.printf("  Cannot be checked without %s: %s\n", SanitizeTerminal(k), SanitizeTerminal(strings.Join(cannot[k], ", ")))
	}
	if len(nothing) > 0 {
		ew.printf("  Checked, no finding: %s\n", SanitizeTerminal(strings.Join(nothing, ", ")))
	}
	if nev >= 0 {
		entries, heads := appendix(fs, rv.conclusion)
		if len(entries) > 0 {
			ew.printf("\n%s\n", opt.paint(ansiBold, "Evidence appendix (the cited lines as the files hold them)"))
			for _, h := range heads {
				ew.printf("  %s\n", opt.paint(ansiDim, SanitizeTerminal(h)))
			}
			for _, e := range entries {
				ew.printf("  %s: %s\n", opt.paint(ansiCyan, SanitizeTerminal(e.ref)), clipText(SanitizeTerminal(e.text), 400))
			}
		}
	}
	return writeTextSources(w, ew, a, r)
}

// writeTextInput ends the summary with what was read overall: how much of
// the input was understood, the files in no known format, and the
// messages about the input, so that a quiet report is never mistaken for
// a clean one when logcorr could not read its input.
func writeTextInput(ew *errWriter, a *correlate.Analysis) {
	var lines, parsed, unparsed int64
	odd := map[string][]string{}
	for _, s := range a.Sources {
		lines += s.Lines
		parsed += s.Understood()
		unparsed += s.Unparsed
		switch s.Format {
		case "unknown", "empty", "duplicate":
			odd[s.Format] = append(odd[s.Format], s.Path)
		}
	}
	pct := 100.0
	if lines > 0 {
		pct = 100 * float64(parsed) / float64(lines)
	}
	ew.printf("\nInput: %d file(s), %s lines, %s unparsed (%.2f %% understood)\n", len(a.Sources), humanize.Thousands(lines), humanize.Thousands(unparsed), pct)
	for _, k := range []string{"unknown", "empty", "duplicate"} {
		if fs := odd[k]; len(fs) > 0 {
			ew.printf("  %s: %s\n", k, SanitizeTerminal(strings.Join(fs, ", ")))
		}
	}
	if len(a.Orphans) > 0 {
		ew.printf("  outside every run window: %s\n", SanitizeTerminal(strings.Join(a.Orphans, ", ")))
	}
	for _, w := range InputWarnings(a.Sources) {
		ew.printf("  warning: %s\n", SanitizeTerminal(w))
	}
	for _, m := range a.Messages {
		ew.printf("  %s\n", SanitizeTerminal(m))
	}
}

// writeTextSources lists the run's evidence sources with their line
// accounting and clock decision: a reader judges the findings by what was
// read and how it was put on the clock.
func writeTextSources(w io.Writer, ew *errWriter, a *correlate.Analysis, r *correlate.Run) error {
	audits := runAudits(a, r)
	if len(audits) == 0 {
		return ew.err
	}
	ew.print("\nSources\n")
	if ew.err != nil {
		return ew.err
	}
	tb := newTableN(w, 6, 2, 3, 4)
	tb.Header("file", "format", "lines", "parsed", "unparsed", "clock")
	clocks := sourceClocks(audits, r.Clock, SanitizeTerminal, "-")
	for i, s := range audits {
		if err := tb.Append(SanitizeTerminal(s.Path), SanitizeTerminal(s.Format), humanize.Thousands(s.Lines),
			humanize.Thousands(s.Records+s.Folded), humanize.Thousands(s.Unparsed), clocks[i]); err != nil {
			return err
		}
	}
	if err := tb.Render(); err != nil {
		return err
	}
	for _, c := range nameStamps(r.Clock, r) {
		ew.printf("Run name stamp read as local time: %s.\n", clockDesc(c, SanitizeTerminal))
	}
	return ew.err
}

// peakUsers says the peak user count, or that the files wrote none.
func peakUsers(n *int64) string {
	if n == nil {
		return "peak users unknown (no user count in the files)"
	}
	return fmt.Sprintf("peak %d users", *n)
}

// padRight pads s with spaces to n runes (labels line up whether or not
// they are painted).
func padRight(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s
}
