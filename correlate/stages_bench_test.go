package correlate_test

import (
	"os"
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
	"github.com/logcorr/logcorr/rules"
)

// BenchmarkStagesAfterParse times correlation and the built-in rules over
// the folder in LOGCORR_BENCH_DIR (a bench/gen folder), parsed once, so a
// profile shows the stages after parse alone:
//
//	LOGCORR_BENCH_DIR=/work/bench100 go test ./correlate -run '^$' \
//	    -bench StagesAfterParse -benchtime 5x -cpuprofile cpu.out
func BenchmarkStagesAfterParse(b *testing.B) {
	dir := os.Getenv("LOGCORR_BENCH_DIR")
	if dir == "" {
		b.Skip("set LOGCORR_BENCH_DIR to a bench/gen folder")
	}
	disc := parsers.DiscoverPaths([]string{dir}, parsers.Options{})
	ds := parsers.Parse(disc.Targets, parsers.Options{})
	defer ds.Release()
	set, err := rules.Load(true, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("correlate", func(b *testing.B) {
		for b.Loop() {
			if _, err := correlate.Analyze(ds, correlate.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	a, err := correlate.Analyze(ds, correlate.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("rules", func(b *testing.B) {
		for b.Loop() {
			set.Evaluate(a, rules.DefaultTargets)
		}
	})
}
