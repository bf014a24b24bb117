package gates

import (
	"os"
	"sync"
	"testing"

	"github.com/logcorr/logcorr/correlate"
)

const ahspDir = "../../shared/corpus/ahsp"

var (
	ahspOnce sync.Once
	ahsp     *correlate.Analysis
	ahspErr  error
)

// Pipeline is pipeline.Analyze (set by pipeline_ext_test.go, package
// gates_test: this package's own tests cannot import pipeline).
var Pipeline func(opt correlate.Options, paths ...string) (*correlate.Analysis, error)

// ahspAnalysis runs the real pipeline over the user's Locust runs once per
// test binary.
func ahspAnalysis(t *testing.T) *correlate.Analysis {
	t.Helper()
	if _, err := os.Stat(ahspDir); err != nil {
		t.Skipf("corpus not available at %s: %v", ahspDir, err)
	}
	ahspOnce.Do(func() {
		ahsp, ahspErr = Pipeline(correlate.Options{}, ahspDir)
	})
	if ahspErr != nil {
		t.Fatal(ahspErr)
	}
	return ahsp
}

func runNamed(t *testing.T, a *correlate.Analysis, name string) *correlate.Run {
	t.Helper()
	for _, r := range a.Runs {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("run %s not in the analysis", name)
	return nil
}
