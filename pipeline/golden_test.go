package pipeline

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logcorr/logcorr/rules"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/ from the current outputs")

// goldenCase is one report of one input, as the CLI writes it with its
// default flags: `logcorr analyze DIR --format F` and the like.
type goldenCase struct {
	file  string // testdata/golden/<file>
	paths []string
	rep   Report
	until Stage
}

const (
	samplesDir = "../samples"
	shared     = "../../shared/corpus"
)

// goldenCases are the outputs the engine's refactor must keep byte for
// byte: every sample in every analyze format, its timeline and parse
// audit; compare and weekly; the ahsp and stack corpora when ../shared is
// there. File names follow /work/baseline2's, so a golden can be compared
// with the lead's baseline by name.
func goldenCases() []goldenCase {
	critical := rules.Critical
	var cs []goldenCase
	for _, s := range []string{"healthy", "many-runs", "pool-exhaustion", "rate-limited"} {
		p := []string{filepath.Join(samplesDir, s)}
		for _, f := range []string{"text", "markdown", "json", "html"} {
			cs = append(cs, goldenCase{file: s + "." + f, paths: p, rep: Report{Document: Analysis, Format: f, FailOn: &critical}})
		}
		cs = append(cs,
			goldenCase{file: s + ".timeline.json", paths: p, rep: Report{Document: Timeline, Format: "json"}, until: Correlated},
			goldenCase{file: s + ".timeline.text", paths: p, rep: Report{Document: Timeline, Format: "text"}, until: Correlated},
			goldenCase{file: s + ".parse.json", paths: p, rep: Report{Document: Audit, Format: "json"}, until: Parsed},
			goldenCase{file: s + ".parse.text", paths: p, rep: Report{Document: Audit, Format: "text"}, until: Parsed},
		)
	}
	many := []string{filepath.Join(samplesDir, "many-runs")}
	for _, f := range []string{"text", "markdown", "json", "html"} {
		cs = append(cs, goldenCase{file: "many-runs.compare." + f, paths: many, rep: Report{Document: Compare, Format: f}})
	}
	cs = append(cs, goldenCase{file: "many-runs.weekly.md", paths: many, rep: Report{Document: Weekly, Lang: "en"}})

	ahsp := []string{filepath.Join(shared, "ahsp")}
	for _, f := range []string{"text", "markdown", "json"} {
		cs = append(cs,
			goldenCase{file: "ahsp." + f, paths: ahsp, rep: Report{Document: Analysis, Format: f, FailOn: &critical}},
			goldenCase{file: "ahsp.compare." + f, paths: ahsp, rep: Report{Document: Compare, Format: f}})
	}
	cs = append(cs,
		goldenCase{file: "ahsp.weekly.md", paths: ahsp, rep: Report{Document: Weekly, Lang: "en"}},
		goldenCase{file: "ahsp.weekly.id.md", paths: ahsp, rep: Report{Document: Weekly, Lang: "id"}},
		goldenCase{file: "ahsp.timeline.json", paths: ahsp, rep: Report{Document: Timeline, Format: "json"}, until: Correlated},
		goldenCase{file: "ahsp.parse.json", paths: ahsp, rep: Report{Document: Audit, Format: "json"}, until: Parsed})
	for _, s := range []string{"healthy", "pool_exhaustion", "slow_exports"} {
		p := []string{filepath.Join(shared, "stack", s)}
		cs = append(cs,
			goldenCase{file: "stack_" + s + ".json", paths: p, rep: Report{Document: Analysis, Format: "json", FailOn: &critical}},
			goldenCase{file: "stack_" + s + ".md", paths: p, rep: Report{Document: Analysis, Format: "markdown", FailOn: &critical}},
			goldenCase{file: "stack_" + s + ".timeline.json", paths: p, rep: Report{Document: Timeline, Format: "json"}, until: Correlated})
	}
	return cs
}

// render runs the pipeline for one case, as the CLI does with its
// default flags.
func (gc goldenCase) render() ([]byte, error) {
	req := Request{Paths: gc.paths, Until: gc.until}
	if gc.until == All {
		set, err := rules.Load(true, nil)
		if err != nil {
			return nil, err
		}
		req.Rules = set
	}
	res, err := Run(req)
	if err != nil {
		return nil, err
	}
	defer res.Release()
	var b bytes.Buffer
	if err := res.Write(&b, gc.rep); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// TestGolden is the engine's safety net: every output above is compared
// byte for byte with testdata/golden/ (made from main's outputs and
// checked by eye). `go test ./pipeline -run TestGolden -update` rewrites
// them; the diff is then the change to review.
func TestGolden(t *testing.T) {
	missing := map[string]bool{}
	for _, gc := range goldenCases() {
		t.Run(gc.file, func(t *testing.T) {
			for _, p := range gc.paths {
				if _, err := os.Stat(p); err != nil {
					if !missing[p] {
						missing[p] = true
					}
					t.Skipf("%s not present (the shared corpora sit beside the repository): %v", p, err)
				}
			}
			got, err := gc.render()
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", gc.file)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run: go test ./pipeline -run TestGolden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s drifted from the golden:\n%s", gc.file, firstDiff(want, got))
			}
		})
	}
}

// TestGoldenFilesAreCases keeps testdata/golden/ free of files no case
// writes any more (a stale golden checks nothing).
func TestGoldenFilesAreCases(t *testing.T) {
	want := map[string]bool{}
	for _, gc := range goldenCases() {
		want[gc.file] = true
	}
	entries, err := os.ReadDir(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !want[e.Name()] && e.Name() != "README.md" {
			t.Errorf("testdata/golden/%s: no golden case writes it; remove it", e.Name())
		}
	}
}

// firstDiff shows the first differing line of two documents, with its
// number and a little context.
func firstDiff(want, got []byte) string {
	w := strings.Split(string(want), "\n")
	g := strings.Split(string(got), "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl || i >= len(w) || i >= len(g) {
			return fmt.Sprintf("line %d (of %d want, %d got):\n- %s\n+ %s", i+1, len(w), len(g), clip(wl), clip(gl))
		}
	}
	return "same lines, different bytes (line endings?)"
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
