package gates

import (
	"os"
	"sync"
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

const ahspDir = "../../shared/corpus/ahsp"

var (
	ahspOnce sync.Once
	ahsp     *correlate.Analysis
	ahspErr  error
)

// ahspAnalysis runs the real pipeline (Discover, ParseAll, Analyze) over
// the user's Locust runs once per test binary.
func ahspAnalysis(t *testing.T) *correlate.Analysis {
	t.Helper()
	if _, err := os.Stat(ahspDir); err != nil {
		t.Skipf("corpus not available at %s: %v", ahspDir, err)
	}
	ahspOnce.Do(func() {
		targets, _ := parsers.Discover([]string{ahspDir}, parsers.Options{})
		ds := parsers.ParseAll(targets, parsers.Options{})
		defer ds.Release()
		ahsp, ahspErr = correlate.Analyze(ds, correlate.Options{})
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
