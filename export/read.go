package export

import (
	"sort"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/gates"
	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
	"github.com/logcorr/logcorr/report"
	"github.com/logcorr/logcorr/report/quote"
	"github.com/logcorr/logcorr/rules"
)

// This file is the one place that reads the analysis: it cuts it into
// partitions (one per run, and run=__none__ for what no run holds). The
// tables (tables.go) read only a part; when the analysis changes shape,
// this file and the tables' getters are what change.

// Input is what an export writes: the analysis, the findings and gate
// results decided about it, and how they were decided.
type Input struct {
	Analysis *correlate.Analysis // from correlate.Analyze with KeepOutside
	// Findings by run name; key "" holds findings about no single run.
	Findings map[string][]rules.Finding
	// Checks are the rules' statuses by run name (rules.RunResult.Checks).
	Checks map[string][]rules.CheckStatus
	Gates  []gates.Result  // --slo results (nil without --slo)
	FailOn *rules.Severity // --fail-on, for the runs' verdicts; nil = none
	// Selected is --run. With a selection only the matching runs'
	// partitions are written; the run=__none__ partitions are not (their
	// content does not depend on the selection, and a partial export must
	// not replace what a full export wrote), and the events they would
	// hold are counted in Summary.LeftOut instead.
	Selected string
	// Files are the parse's files (schema.Dataset.Files), from which each
	// event's text (its first line) is read back by position, as the
	// reports' quotes are, so the parse need not keep every line
	// (parsers.Options.OmitText) while the export runs. Nil: the events
	// table's text column is written as the parse kept it.
	// The lines read back are masked unless Options.NoRedact, which is
	// the parse's --no-redact too.
	Files []schema.File
}

// eventRow is a row of the events table: the event and its first line.
type eventRow struct {
	correlate.Event
	text string
}

// listEvents lists the partition's events, their text not yet read.
func listEvents(es correlate.Events) []eventRow {
	rows := make([]eventRow, es.Len())
	for i, e := range es.All() {
		rows[i].Event = e
	}
	return rows
}

// readText sets the text of a slice of the partition's events: read back
// from the files when in.Files is set, else the table's text column. A
// file that cannot be read back (gone, or changed since it was parsed)
// leaves its rows' text null and is named in msgs. The events table reads
// a slice at a time, so a run's lines are never all held at once (a
// storm's run: 1.6 million events).
func readText(rows []eventRow, in *Input, noRedact bool, msgs map[string]bool) {
	if in.Files == nil {
		for i := range rows {
			rows[i].text = rows[i].Text()
		}
		return
	}
	reqs := make([]quote.Request, 0, len(rows))
	for i := range rows {
		r := &rows[i]
		reqs = append(reqs, quote.Request{Pos: r.Ref(), Set: func(line string) { r.text = line }})
	}
	for _, m := range quote.Resolve(in.Files, noRedact, reqs) {
		msgs[m] = true
	}
}

// part is one partition's rows, table by table.
type part struct {
	run  string // partition value and run column: the cleaned run name, or NoRun
	file string // the Parquet file's name in the partition folder

	doc     *report.RunDoc // nil in the run=__none__ partition
	r       *correlate.Run // nil in the run=__none__ partition
	verdict report.Verdict

	// events are the partition's rows of the events table, listed only
	// while the partition is written (listEvents; a list per run held for
	// the whole export was 8 MB of a bench100 export's live heap), their
	// text read a slice at a time (readText, from in, into msgs).
	events   correlate.Events
	listed   []eventRow
	in       *Input
	noRedact bool // the lines read back keep secrets (Options.NoRedact)
	msgs     map[string]bool
	// linkRefs and linkTexts are the texts quoteLinks replaced in the
	// slice of links being written, and what they held.
	linkRefs  []*string
	linkTexts []string
	findings  []rules.Finding // in the JSON's order
	evidence  []evidenceRow
	clocks    []correlate.Clock
	sources   []parsers.Audit
}

// ranked is a row that keeps its position among its run's rows (the order
// the reports show them in), since a Parquet reader may return rows in
// any order.
type ranked[T any] struct {
	pos int64
	v   *T
}

func rank[T any](vs []T) []ranked[T] {
	out := make([]ranked[T], len(vs))
	for i := range vs {
		out[i] = ranked[T]{int64(i), &vs[i]}
	}
	return out
}

// evidenceRow is one line a finding cites.
type evidenceRow struct {
	finding    *rules.Finding
	findingPos int64
	pos        int64
	e          *rules.Evidence
}

func evidenceOf(fs []rules.Finding) []evidenceRow {
	var out []evidenceRow
	for i := range fs {
		for j := range fs[i].Evidence {
			out = append(out, evidenceRow{&fs[i], int64(i), int64(j), &fs[i].Evidence[j]})
		}
	}
	return out
}

// readParts cuts the input into partitions: the runs in the analysis's
// order, then (without --run) the run=__none__ partition.
func readParts(in Input, s *sink) ([]*part, error) {
	a := in.Analysis
	doc := report.AnalysisParts{Analysis: a, Findings: in.Findings, Checks: in.Checks, Gates: in.Gates}.Doc()
	audits := map[string]parsers.Audit{}
	for _, au := range a.Sources {
		audits[au.Path] = au
	}
	usedFile, usedClock := map[string]bool{}, map[string]bool{}
	var parts []*part
	for i, r := range a.Runs {
		d := &doc.Runs[i]
		p := &part{run: s.text(r.Name), file: runFile, doc: d, r: r,
			events: r.Events, findings: d.Findings, evidence: evidenceOf(d.Findings), clocks: d.Clock,
			verdict: report.RunVerdict(r.Name, in.Findings[r.Name], in.FailOn, in.Gates)}
		// The run's sources: its Locust files, the logs that gave it
		// events, and the logs whose unknown clock may have hidden some.
		files := map[string]bool{}
		for _, f := range append(append([]string{}, r.Files...), r.Logs...) {
			files[f] = true
		}
		for _, c := range r.Clock {
			usedClock[c.File] = true
			if _, ok := audits[c.File]; ok {
				files[c.File] = true
			}
		}
		for _, f := range sortedKeys(files) {
			if au, ok := audits[f]; ok {
				p.sources = append(p.sources, au)
			}
			usedFile[f] = true
		}
		parts = append(parts, p)
	}
	if err := checkRunNames(parts); err != nil {
		return nil, err
	}
	if in.Selected != "" {
		return parts, nil
	}
	none := &part{run: NoRun, file: outsideFile(a.Sources), events: a.Outside,
		findings: doc.Findings, evidence: evidenceOf(doc.Findings)}
	for _, c := range a.Clocks {
		if !usedClock[c.File] {
			none.clocks = append(none.clocks, c)
		}
	}
	for _, au := range a.Sources {
		if !usedFile[au.Path] {
			none.sources = append(none.sources, au)
		}
	}
	sort.SliceStable(none.sources, func(i, j int) bool { return none.sources[i].Path < none.sources[j].Path })
	return append(parts, none), nil
}

// quoteLinks reads back, from in.Files, the lines of a slice of the
// partition's links before they are built, and unquoteLinks puts the
// parse's texts back once they are written: a storm's run has a link per
// server error, six lines each, whose quotes held at once were 95 of a
// 200,000-error export's 450 MB live. A file that cannot be read back
// keeps the parse's text and is named in msgs. Without in.Files the links
// are written as they are.
func quoteLinks(p *part, rows []ranked[correlate.Chain]) {
	if p.in == nil || p.in.Files == nil {
		return
	}
	var reqs []quote.Request
	for _, r := range rows {
		c := r.v
		for _, x := range []*correlate.Ref{&c.Anchor, c.Locust, c.AuthResponse, c.ServerError, c.Traceback, c.Pooler} {
			if x == nil || x.At == nil {
				continue
			}
			p.linkRefs, p.linkTexts = append(p.linkRefs, &x.Text), append(p.linkTexts, x.Text)
			reqs = append(reqs, quote.Request{Pos: *x.At, Set: x.Quote})
		}
	}
	for _, m := range quote.Resolve(p.in.Files, p.noRedact, reqs) {
		p.msgs[m] = true
	}
}

func unquoteLinks(p *part, _ []ranked[correlate.Chain]) {
	for i, t := range p.linkTexts {
		*p.linkRefs[i] = t
	}
	p.linkRefs, p.linkTexts = p.linkRefs[:0], p.linkTexts[:0]
}
