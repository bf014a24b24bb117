package pipeline

import (
	"io"
	"os"
	"testing"

	"github.com/logcorr/logcorr/rules"
)

// BenchmarkAnalyzeFolder runs analyze --format json end to end over the
// folder in LOGCORR_BENCH_DIR (a bench/gen folder): what the profiles in
// BENCHMARKS.md are taken from.
//
//	go run ./bench/gen -out /tmp/b100 -size 100MB
//	LOGCORR_BENCH_DIR=/tmp/b100 go test ./pipeline -run '^$' -bench AnalyzeFolder -benchtime 3x -cpuprofile cpu.out
func BenchmarkAnalyzeFolder(b *testing.B) {
	dir := os.Getenv("LOGCORR_BENCH_DIR")
	if dir == "" {
		b.Skip("set LOGCORR_BENCH_DIR to a bench/gen folder")
	}
	set, err := rules.Load(true, nil)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		res, err := Run(Request{Paths: []string{dir}, Rules: set})
		if err != nil {
			b.Fatal(err)
		}
		if err := res.Write(io.Discard, Report{Document: Analysis, Format: "json"}); err != nil {
			b.Fatal(err)
		}
		res.Release()
	}
}
