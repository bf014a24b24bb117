package report

import (
	"bytes"
	"slices"
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/gates"
	"github.com/logcorr/logcorr/perf"
	"github.com/logcorr/logcorr/rules"
)

// Doc puts each run's checks (sorted, an absent list of what a check
// lacked as []) and gates into the run's part, and the findings and gates
// about no run at the top; WriteAnalysis, which builds each run's part
// only as its group is written, writes Doc's bytes, in one group or in
// groups of one.
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

	whole := parts.Doc()
	for _, tc := range []struct {
		where string
		got   []GateDoc
		want  []string
	}{
		{"top", whole.Gates, []string{"auth_success>99%"}},
		{pool, whole.Runs[0].Gates, []string{"p95<2s"}},
		{v18, whole.Runs[1].Gates, []string{"p95<2s"}},
	} {
		var got []string
		for _, g := range tc.got {
			got = append(got, g.Gate)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: gates %q, want %q", tc.where, got, tc.want)
		}
	}
	if c := whole.Runs[0].Checks; len(c) != 2 || c[0].ID != "auth-only-run" || c[0].Missing == nil {
		t.Errorf("%s: checks %+v, want auth-only-run first (sorted) with Missing []", pool, c)
	}
	if len(whole.Findings) != 1 || whole.Findings[0].ID != "input-note" {
		t.Errorf("top findings %+v, want input-note", whole.Findings)
	}
	var want bytes.Buffer
	if err := writeJSON(&want, whole); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"gate": "auth_success>99%"`, `"gate": "p95<2s"`, `"status": "cannot-check"`, `"id": "input-note"`} {
		if !bytes.Contains(want.Bytes(), []byte(s)) {
			t.Fatalf("the fixture's document lacks %s: the test would not see it go missing", s)
		}
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
