package report

import (
	"fmt"
	"io"
	"strings"

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

// WriteText writes the terminal summary: per run, its headline figures
// against the targets and its findings with their first cited lines. All
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
	for i, r := range a.Runs {
		if i > 0 {
			ew.print("\n")
		}
		ew.printf("%s\n", opt.paint(ansiBold, "Run "+SanitizeTerminal(r.Name)))
		win := windowText(r)
		if win == "" {
			win = "window unknown"
		}
		ew.printf("  %s, peak %d users", win, r.UsersMax)
		if l := ParamsOf(r).Label(); l != "" {
			ew.printf(", %s", SanitizeTerminal(l))
		}
		ew.print("\n\n")
		if rf := readFirst(findings[r.Name]); rf != "" {
			ew.printf("  %s %s\n\n", opt.paint(ansiBold, "Read first:"), rf)
		}
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
		} else {
			ew.print("  No Aggregated row: Locust's totals are missing.\n")
		}
		fs := sortedFindings(findings[r.Name])
		if len(fs) == 0 {
			ew.print("\nNo findings.\n")
			if err := writeTextSources(w, ew, a, r); err != nil {
				return err
			}
			continue
		}
		ew.print("\n")
		if ew.err != nil {
			return ew.err
		}
		tb := newTableN(w, 4, 3)
		tb.Header("severity", "finding", "title", "confidence")
		for _, f := range fs {
			if err := tb.Append(opt.sev(SanitizeTerminal(f.Severity)), SanitizeTerminal(f.ID), SanitizeTerminal(f.Title), conf(f.Confidence)); err != nil {
				return err
			}
		}
		if err := tb.Render(); err != nil {
			return err
		}
		for _, f := range fs {
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
				ref := SanitizeTerminal(evidenceRef(e))
				ew.printf("  %s: %s\n", opt.paint(ansiCyan, ref), clipText(SanitizeTerminal(e.Text), 200))
			}
		}
		if err := writeTextSources(w, ew, a, r); err != nil {
			return err
		}
	}
	writeTextInput(ew, a)
	return ew.err
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
		parsed += s.Records + s.Folded
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
