package rules

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/logcorr/logcorr/correlate"
)

// pipeline turns files into an analysis through the real stages: it is
// pipeline.Analyze, set by pipeline_ext_test.go (package rules_test, which
// may import pipeline; this package's own tests may not).
var pipeline Analyzer

// SetPipeline is how pipeline_ext_test.go sets pipeline.
func SetPipeline(a Analyzer) { pipeline = a }

// caseWant is a fixture case's optional want.json.
type caseWant struct {
	Want     []string          `json:"want"`     // IDs that must appear
	Not      []string          `json:"not"`      // IDs that must not appear
	Severity map[string]string `json:"severity"` // ID → expected severity
	// Note says where the case's lines come from (excerpt, derived,
	// composed) for the reader; the test ignores it.
	Note string `json:"note"`
}

// TestFixtures walks testdata/<ID>/<case>/ for every built-in rule: a case
// named fire* must produce the rule's ID, quiet* must not, and want.json
// adds further expectations. Every case runs through the real pipeline and
// the whole built-in set, so a fixture also catches rules that fire where
// they should not.
func TestFixtures(t *testing.T) {
	if pipeline == nil {
		t.Skip("the correlate stage (correlate.Analyze) is not wired into the tests yet: fixture cases not run")
	}
	set, err := Load(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range set.List() {
		cases, _ := os.ReadDir(filepath.Join("testdata", r.ID))
		for _, c := range cases {
			if !c.IsDir() {
				continue
			}
			dir := filepath.Join("testdata", r.ID, c.Name())
			t.Run(r.ID+"/"+c.Name(), func(t *testing.T) {
				runCase(t, set, r.ID, dir, c.Name())
			})
		}
	}
}

func runCase(t *testing.T, set *Set, id, dir, name string) {
	var w caseWant
	if b, err := os.ReadFile(filepath.Join(dir, "want.json")); err == nil {
		if err := json.Unmarshal(b, &w); err != nil {
			t.Fatalf("%s/want.json: %v", dir, err)
		}
	}
	switch {
	case strings.HasPrefix(name, "fire"):
		w.Want = append(w.Want, id)
	case strings.HasPrefix(name, "quiet"):
		w.Not = append(w.Not, id)
	default:
		t.Fatalf("%s: case folder must be named fire* or quiet*", dir)
	}
	a, err := pipeline([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Runs) == 0 {
		t.Fatalf("%s: the pipeline found no run (messages: %v)", dir, a.Messages)
	}
	got := map[string]Finding{}
	for _, rr := range set.Evaluate(a, DefaultTargets) {
		for _, e := range rr.Errors {
			t.Errorf("%s: %s", rr.Run, e)
		}
		for _, f := range rr.Findings {
			got[f.ID] = f
			checkFinding(t, a, f)
		}
	}
	for _, id := range w.Want {
		if _, ok := got[id]; !ok {
			t.Errorf("%s: want finding %s, got %v", dir, id, keys(got))
		}
	}
	for _, id := range w.Not {
		if f, ok := got[id]; ok {
			t.Errorf("%s: unwanted finding %s: %s", dir, id, f.Summary)
		}
	}
	for id, sev := range w.Severity {
		if f, ok := got[id]; ok && f.Severity != sev {
			t.Errorf("%s: %s severity %s, want %s", dir, id, f.Severity, sev)
		}
	}
}

// checkFinding asserts what every finding owes its reader: evidence that
// points at a file of the analysis, with text; a summary; a confidence.
func checkFinding(t *testing.T, a *correlate.Analysis, f Finding) {
	t.Helper()
	if f.Summary == "" || f.Title == "" {
		t.Errorf("%s: empty summary or title", f.ID)
	}
	if f.Confidence <= 0 || f.Confidence > 1 {
		t.Errorf("%s: confidence %v", f.ID, f.Confidence)
	}
	files := map[string]bool{}
	for _, s := range a.Sources {
		files[s.Path] = true
	}
	for _, e := range f.Evidence {
		if len(files) > 0 && !files[e.File] {
			t.Errorf("%s: evidence cites %q, not a file of the analysis", f.ID, e.File)
		}
		if e.Text == "" {
			t.Errorf("%s: evidence %s:%d without text", f.ID, e.File, e.Line)
		}
	}
}

func keys(m map[string]Finding) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
