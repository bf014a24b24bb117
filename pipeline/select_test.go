package pipeline

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logcorr/logcorr/gates"
	"github.com/logcorr/logcorr/rules"
)

// --run chooses what is reported, not what is learnt from: a run's
// findings and conclusion are the same whether the other runs of its
// folder are selected or not (ahsp's v21 needs auth_probe, the run where
// logins worked, to tell the login page from the dashboard; with --run
// 'hasil_test_v21*' it used to fall to "at least 32.0 %" and lose its
// verdict that the run does not measure the application).
func TestRunSelectionKeepsTheDiagnosis(t *testing.T) {
	ahsp := filepath.Join(shared, "ahsp")
	if _, err := os.Stat(ahsp); err != nil {
		t.Skipf("%s not found (the shared corpus sits beside the checkout): %v", ahsp, err)
	}
	set, err := rules.Load(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	runsOf := func(glob string) map[string]json.RawMessage {
		res, err := Run(Request{Paths: []string{ahsp}, Rules: set, Runs: glob})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Release()
		var b bytes.Buffer
		if err := res.Write(&b, Report{Document: Analysis, Format: "json"}); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Runs []struct {
				Name       string          `json:"name"`
				Findings   json.RawMessage `json:"findings"`
				Conclusion json.RawMessage `json:"conclusion"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		out := map[string]json.RawMessage{}
		for _, r := range doc.Runs {
			out[r.Name] = append(append(append([]byte{}, r.Findings...), '\n'), r.Conclusion...)
		}
		return out
	}
	all := runsOf("")
	for _, glob := range []string{"hasil_test_v21*", "hasil_test_v19_100u_nolimit_pool1[04]0", "hasil_test_auth_probe_50u"} {
		some := runsOf(glob)
		if len(some) == 0 || len(some) >= len(all) {
			t.Fatalf("--run %q selected %d of %d runs", glob, len(some), len(all))
		}
		for name, got := range some {
			if string(got) != string(all[name]) {
				t.Errorf("--run %q: run %s is diagnosed differently than with every run:\n%.600s\nvs\n%.600s", glob, name, got, all[name])
			}
		}
	}
}

// A --run that matches nothing fails every gate, saying so: not "no
// Locust run in the input", which would send the user looking for files.
func TestRunSelectionMatchingNothingFailsGates(t *testing.T) {
	gs, err := gates.ParseAll([]string{"p95<2s"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(Request{Paths: []string{filepath.Join(samplesDir, "pool-exhaustion")}, Runs: "nomatch*", Gates: gs})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if len(res.Analysis.Runs) != 0 || len(res.Gates) != 1 || res.Gates[0].Pass || res.Gates[0].Run != gates.NoRun ||
		!strings.Contains(res.Gates[0].Message, `no run matches --run "nomatch*" (1 run(s) in the input)`) {
		t.Errorf("runs %d, gates %+v", len(res.Analysis.Runs), res.Gates)
	}
}
