package report

import (
	"bytes"
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/gates"
	"github.com/logcorr/logcorr/perf"
	"github.com/logcorr/logcorr/rules"
)

// WriteAnalysis, which builds each run's part only as its group is
// written, writes the bytes of the whole document that BuildAnalysis,
// WithChecks and AddGates make, in one group or in groups of one; Doc is
// that document.
func TestWriteAnalysisIsTheWholeDocument(t *testing.T) {
	defer func(g int) { runGroup = g }(runGroup)
	pa, pfs := poolAnalysis()
	va, vfs := v18Analysis()
	a := &correlate.Analysis{Sources: append(pa.Sources, va.Sources...), Runs: append(pa.Runs, va.Runs...),
		Messages: []string{"a message"}}
	fs := map[string][]rules.Finding{"": {{ID: "input-note", Severity: "info", Title: "about no run"}}}
	for k, v := range pfs {
		fs[k] = v
	}
	for k, v := range vfs {
		fs[k] = v
	}
	pool, v18 := pa.Runs[0].Name, va.Runs[0].Name
	checks := map[string][]rules.CheckStatus{
		pool: {{ID: "slo-breach", Title: "Latency", Status: rules.StatusFinding, Needs: []string{"stats"}},
			{ID: "auth-only-run", Title: "Auth only", Status: rules.StatusCannotCheck, Needs: []string{"stats"}}},
		v18: {{ID: "slo-breach", Title: "Latency", Status: rules.StatusNoFinding, Needs: []string{"stats"}}},
	}
	res := []gates.Result{
		{Gate: gates.Gate{Source: "p95<2s"}, Run: pool, Actual: "14000 ms", Message: pool + ": p95 14000 ms"},
		{Gate: gates.Gate{Source: "p95<2s"}, Run: v18, Pass: true, Actual: "2100 ms", Message: v18 + ": p95"},
		{Gate: gates.Gate{Source: "auth_success>99%"}, Run: gates.NoRun, Unknown: true, Actual: "N/A", Message: "no run"},
	}
	parts := AnalysisParts{Analysis: a, Findings: fs, Checks: checks, Gates: res, Perf: &perf.Stats{}}

	old := BuildAnalysis(a, fs).WithChecks(checks)
	AddGates(old, res)
	old.Perf = parts.Perf
	var want bytes.Buffer
	if err := writeJSON(&want, old); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"gate": "auth_success>99%"`, `"gate": "p95<2s"`, `"status": "cannot-check"`, `"id": "input-note"`} {
		if !bytes.Contains(want.Bytes(), []byte(s)) {
			t.Fatalf("the fixture's document lacks %s: the test would not see it go missing", s)
		}
	}
	var doc bytes.Buffer
	if err := writeJSON(&doc, parts.Doc()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc.Bytes(), want.Bytes()) {
		t.Fatalf("Doc differs from BuildAnalysis+WithChecks+AddGates:\n%s", firstDiff(doc.String(), want.String()))
	}
	for _, g := range []int{1, 64} {
		runGroup = g
		var got bytes.Buffer
		if err := WriteAnalysis(&got, parts); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("groups of %d: WriteAnalysis differs from the whole document:\n%s", g, firstDiff(got.String(), want.String()))
		}
	}
}
