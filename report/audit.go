package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/logcorr/logcorr/parsers"
)

// newTableN is newTable with n columns known, so that per-column alignment
// can be set (0 = leave the default left alignment everywhere).
func newTableN(w io.Writer, n int, rightCols ...int) *tablewriter.Table {
	opts := []tablewriter.Option{
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
	}
	if n > 0 {
		al := make([]tw.Align, n)
		for i := range al {
			al[i] = tw.AlignLeft
		}
		for _, c := range rightCols {
			if c >= 0 && c < n {
				al[c] = tw.AlignRight
			}
		}
		opts = append(opts, tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: al}))
	}
	return tablewriter.NewTable(w, opts...)
}

// WriteAuditTable writes the `logcorr parse` audit: one table row per file
// (path, format, confidence, runner-up, encoding, lines, records, folded,
// unparsed, zone), then the unparsed examples and the messages. File
// names and log text are sanitized for the terminal.
func WriteAuditTable(w io.Writer, audits []parsers.Audit, messages []string) error {
	t := newTableN(w, 10, 2, 5, 6, 7, 8)
	t.Header("path", "format", "confidence", "runner-up", "encoding", "lines", "records", "folded", "unparsed", "zone")
	var totLines, totRec, totFold, totUnp int64
	for _, a := range audits {
		runner := "-"
		if a.RunnerUp != "" {
			runner = fmt.Sprintf("%s (%.2f)", a.RunnerUp, a.RunnerUpConfidence)
		}
		zone := a.Zone
		if zone == "" {
			zone = "-"
		}
		enc := a.Encoding
		if enc == "" {
			enc = "-"
		}
		if err := t.Append(
			SanitizeTerminal(a.Path), a.Format, fmt.Sprintf("%.2f", a.Confidence), runner, enc,
			itoa(a.Lines), itoa(a.Records), itoa(a.Folded), itoa(a.Unparsed), SanitizeTerminal(zone),
		); err != nil {
			return err
		}
		totLines += a.Lines
		totRec += a.Records
		totFold += a.Folded
		totUnp += a.Unparsed
	}
	if len(audits) > 1 {
		if err := t.Append(fmt.Sprintf("total (%d files)", len(audits)), "", "", "", "", itoa(totLines), itoa(totRec), itoa(totFold), itoa(totUnp), ""); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	ew := &errWriter{w: w}
	writeExamples(ew, audits, "Unparsed lines", "unparsed line(s)", func(a *parsers.Audit) ([]parsers.Example, int64) { return a.UnparsedExamples, a.Unparsed })
	writeExamples(ew, audits, "Folded lines that begin like records of their own, not understood", "such line(s)", func(a *parsers.Audit) ([]parsers.Example, int64) {
		return a.RecordLikeExamples, a.RecordLikeFolded
	})
	var msgs []string
	msgs = append(msgs, messages...)
	for _, a := range audits {
		msgs = append(msgs, a.Messages...)
	}
	if len(msgs) > 0 {
		ew.printf("\nMessages:\n")
		for _, m := range msgs {
			ew.printf("  %s\n", SanitizeTerminal(m))
		}
	}
	return ew.err
}

// auditDoc is the `logcorr parse --json` document.
type auditDoc struct {
	Files    []parsers.Audit `json:"files"`
	Messages []string        `json:"messages,omitempty"`
}

// WriteAuditJSON writes {"files":[...]}: the audits with the JSON names of
// parsers.Audit. Absent lists are written as [] and absent maps as {}, so
// scripts need no null checks.
func WriteAuditJSON(w io.Writer, audits []parsers.Audit) error {
	return WriteAuditJSONMessages(w, audits, nil)
}

// WriteAuditJSONMessages is WriteAuditJSON with the walk's own messages
// (unreadable folders, symbolic links not followed) under "messages".
func WriteAuditJSONMessages(w io.Writer, audits []parsers.Audit, messages []string) error {
	return writeJSON(w, auditDoc{Files: normAudits(audits), Messages: messages})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// errWriter keeps the first write error so that a run of prints can be
// checked once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err != nil {
		return
	}
	_, e.err = fmt.Fprintf(e.w, format, args...)
}

func (e *errWriter) print(s string) {
	if e.err != nil {
		return
	}
	_, e.err = io.WriteString(e.w, s)
}

// writeExamples lists, under title, each file's example lines of one kind
// and how many more there are.
func writeExamples(ew *errWriter, audits []parsers.Audit, title, what string, of func(*parsers.Audit) ([]parsers.Example, int64)) {
	first := true
	for i := range audits {
		a := &audits[i]
		exs, total := of(a)
		if len(exs) == 0 {
			continue
		}
		if first {
			ew.printf("\n%s (up to %d examples per file):\n", title, parsers.MaxUnparsedExamples)
			first = false
		}
		for _, ex := range exs {
			why := ""
			if ex.Why != "" {
				why = " (" + SanitizeTerminal(ex.Why) + ")"
			}
			ew.printf("  %s:%d: %s%s\n", SanitizeTerminal(a.Path), ex.Line, SanitizeTerminal(ex.Text), why)
		}
		if more := total - int64(len(exs)); more > 0 {
			ew.printf("  %s: … and %d more %s\n", SanitizeTerminal(a.Path), more, what)
		}
	}
}
