package report

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/logcorr/logcorr/correlate"
)

const (
	ahspDir  = "../../shared/corpus/ahsp"
	seedPath = "../../shared/seed/WEEKLY_REPORT_2026-01-11.md"
)

var (
	ahspOnce sync.Once
	ahsp     *correlate.Analysis
	ahspErr  error
)

// Pipeline is pipeline.Analyze (set by pipeline_ext_test.go, package
// report_test: this package's own tests cannot import pipeline).
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

// csvAggregated reads the Aggregated row of a run's _stats.csv directly,
// with encoding/csv, independent of logcorr's parser.
func csvAggregated(t *testing.T, run string) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(ahspDir, run+"_stats.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[1:] {
		if r[1] == "Aggregated" {
			m := map[string]string{}
			for i, h := range recs[0] {
				m[h] = r[i]
			}
			return m
		}
	}
	t.Fatalf("%s_stats.csv has no Aggregated row", run)
	return nil
}

func csvFloat(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
