package report

import (
	"io"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/gates"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/perf"
	"github.com/logcorr/logcorr/rules"
)

// AnalysisParts is what the analysis document is made of. Its runs are
// most of a large folder's document (4,500 runs: some 60 MB of RunDocs
// beside the 140 MB of JSON they become), so WriteAnalysis builds each
// run's part as it writes it, a group at a time, and never holds them
// all; Doc builds the whole document for a caller that walks it (export).
type AnalysisParts struct {
	Analysis *correlate.Analysis
	// Findings and Checks are the rules', keyed by run name (key "" holds
	// the findings about no single run).
	Findings map[string][]rules.Finding
	Checks   map[string][]rules.CheckStatus
	// Gates are the --slo results: each run's go into its part, those
	// about no run (gates.NoRun) to the top.
	Gates []gates.Result
	// Perf is the document's perf block (analyze --stats), nil without.
	Perf *perf.Stats
}

// shell is the document without its runs (Runs empty, not nil).
func (p AnalysisParts) shell() *AnalysisDoc {
	a := p.Analysis
	doc := &AnalysisDoc{Schema: AnalysisSchema, Runs: []RunDoc{}, Sources: normAudits(a.Sources),
		Messages: a.Messages, Orphans: a.Orphans, Gates: gateDocs(gates.NoRun, p.Gates), Perf: p.Perf}
	if fs := p.Findings[""]; len(fs) > 0 {
		doc.Findings = sortedFindings(fs)
	}
	return doc
}

// runs is how the parts' runs are built: the response-body measurement is
// computed across every run once (each run's bodies are read against the
// others'), then each run's part on its own.
func (p AnalysisParts) runs() runParts {
	return runParts{p: p, m: model.Measure(p.Analysis)}
}

type runParts struct {
	p AnalysisParts
	m *model.Measurement
}

func (rp runParts) len() int { return len(rp.p.Analysis.Runs) }

// at is run i's part of the document.
func (rp runParts) at(i int) RunDoc {
	r := rp.p.Analysis.Runs[i]
	d := buildRun(r, rp.p.Findings[r.Name], rp.m.Of(r))
	d.Checks = checksDoc(rp.p.Checks[r.Name])
	d.Gates = gateDocs(r.Name, rp.p.Gates)
	return d
}

// Doc is the whole document.
func (p AnalysisParts) Doc() *AnalysisDoc { return p.doc(p.runs()) }

func (p AnalysisParts) doc(rp runParts) *AnalysisDoc {
	doc := p.shell()
	for i := range rp.len() {
		doc.Runs = append(doc.Runs, rp.at(i))
	}
	return doc
}

// WriteAnalysis writes p.Doc(), indented, with a final newline (the bytes
// writeJSON writes), building each run's part only as it is written.
func WriteAnalysis(w io.Writer, p AnalysisParts) error {
	rp := p.runs()
	return writeAnalysisRuns(w, p.shell(), rp.len(), func(i int) *RunDoc {
		d := rp.at(i)
		return &d
	}, func() *AnalysisDoc { return p.doc(rp) })
}
