package correlate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/logcorr/logcorr/bench/scale"
	"github.com/logcorr/logcorr/parsers"
)

// nightsFolder writes nights of samples/pool-exhaustion with the bench
// generator: the sample's own lines with shifted timestamps, each night
// with its Locust stats history named by its local stamp, cut (opt's
// Window, MaxRecords, KeepEvery) so that hundreds of nights stay small.
func nightsFolder(t testing.TB, opt scale.Options) string {
	t.Helper()
	src := "../samples/pool-exhaustion"
	if _, err := os.Stat(src); err != nil {
		t.Skipf("%s not available: %v", src, err)
	}
	out := filepath.Join(t.TempDir(), fmt.Sprintf("%dn", opt.Nights))
	opt.Sources, opt.Seed, opt.HistoryOnly = []string{src}, 1, true
	if _, err := scale.Generate(out, opt); err != nil {
		t.Fatal(err)
	}
	return out
}

// 600 nights span 20 months: far past the 60 days where dense per-second
// arrays gave up and left every naive file "unknown" with its events out
// of every run. Each naive file now gets the offset its lines were written
// on (the sample's WIB, UTC+7), and every night's lines land in that
// night's run.
func TestInferClocksManyNights(t *testing.T) {
	const nights = 600
	dir := nightsFolder(t, scale.Options{Nights: nights, Window: &scale.Window{From: 11 * time.Second, To: 15 * time.Second}, MaxRecords: 2})
	a := analyzeDir(t, dir, Options{})
	if len(a.Runs) != nights {
		t.Fatalf("%d runs, want %d", len(a.Runs), nights)
	}
	logs := 0
	for _, c := range a.Clocks {
		logs++
		if c.OffsetS != 7*3600 || c.Method == "unknown" || c.LeftOut != 0 {
			t.Errorf("%s: %s %s (%d s), %d left out: %s", c.File, c.Method, c.Zone, c.OffsetS, c.LeftOut, c.Evidence)
		}
		if c.File != "pgbouncer.log" && c.Method != "cross-correlation" {
			t.Errorf("%s: %s, want its own cross-correlation", c.File, c.Method)
		}
	}
	if logs != 6 {
		t.Errorf("%d clock decisions, want the 6 logs", logs)
	}
	for _, m := range a.Messages {
		if strings.Contains(m, "left out") {
			t.Error(m)
		}
	}
	if len(a.Orphans) > 0 {
		t.Errorf("orphans %v", a.Orphans)
	}
	for _, r := range a.Runs {
		if len(r.Logs) != logs {
			t.Fatalf("run %s has events of %v only", r.Name, r.Logs)
		}
	}
}

// BenchmarkInferClocks: clock inference (every file's decision) over 1,
// 60 and 600 nights of the same thinned sample night (one record in 16);
// cost grows with the events, not with the months they span.
func BenchmarkInferClocks(b *testing.B) {
	for _, nights := range []int{1, 60, 600} {
		dir := nightsFolder(b, scale.Options{Nights: nights, KeepEvery: 16})
		targets, _ := parsers.Discover([]string{dir}, parsers.Options{})
		ds := parsers.Parse(targets, parsers.Options{})
		in, err := readLocust(ds, false)
		if err != nil {
			b.Fatal(err)
		}
		var msgs []string
		runs := buildRuns(in, &msgs)
		tab := newTable(ds)
		files := groupFiles(tab)
		events := tab.Len()
		b.Run(fmt.Sprintf("nights=%d", nights), func(b *testing.B) {
			opt := Options{}.withDefaults()
			cpu0 := cpuNanos()
			for b.Loop() {
				clocks := resolveClocks(files, runs, opt, &msgs)
				for _, c := range clocks {
					if c.OffsetS != 7*3600 || c.Method == "unknown" {
						b.Fatalf("%s: clock %+v", c.File, c.Clock)
					}
				}
			}
			cpu := float64(cpuNanos()-cpu0) / float64(b.N)
			b.ReportMetric(cpu, "cpu-ns/op")
			b.ReportMetric(cpu/float64(events), "cpu-ns/event")
			b.ReportMetric(float64(events), "events")
		})
		ds.Release()
	}
}
