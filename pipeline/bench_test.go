package pipeline

import (
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"testing"

	"github.com/logcorr/logcorr/rules"
)

// BenchmarkAnalyzeFolder runs analyze --format json end to end over the
// folder in LOGCORR_BENCH_DIR (a bench/gen folder): what the profiles in
// BENCHMARKS.md are taken from. It also reports the heap each stage leaves
// live (after a collection): live-MB/parse, /correlate, /rules, /quote.
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
	live := map[string]float64{}
	defer func(f func(string)) { stageDone = f }(stageDone)
	stageDone = func(stage string) {
		b.StopTimer()
		runtime.GC()
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(s)
		live[stage] = max(live[stage], float64(s[0].Value.Uint64())/(1<<20))
		b.StartTimer()
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
	for _, st := range []string{"parse", "correlate", "rules", "quote"} {
		b.ReportMetric(live[st], "live-MiB/"+st)
	}
}
