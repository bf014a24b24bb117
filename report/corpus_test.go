package report

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
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
