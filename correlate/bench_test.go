package correlate

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
)

// dayLong synthesizes one day of logs around 20 Locust runs: runserver
// request lines and django.request errors on a naive UTC+7 clock, PgBouncer
// pooler errors with their zone, and 20 runs' history. scale multiplies
// the request rate; at 1 it makes about 200k events.
func dayLong(scale int) (*schema.Dataset, int) {
	const off = 7 * 3600
	rng := rand.New(rand.NewPCG(42, uint64(scale)))
	day := at("2026-01-11T00:00:00Z")
	var hist []parsers.HistoryRow
	var rs, dj, pg []parsers.Event
	for run := 0; run < 20; run++ {
		name := fmt.Sprintf("hasil_test_run%02d", run)
		start := day.Add(time.Duration(run)*70*time.Minute + 30*time.Minute)
		total, totalF := int64(0), int64(0)
		for s := 0; s < 300; s++ {
			now := start.Add(time.Duration(s) * time.Second)
			n := int64(rng.IntN(50*scale) + 1)
			nf := int64(0)
			if s > 100 && rng.IntN(4) == 0 {
				nf = int64(rng.IntN(2*scale) + 1)
			}
			total += n
			totalF += nf
			hist = append(hist, parsers.HistoryRow{Run: name, Source: "csv", Time: now, Users: int64(min(100, s)), Name: "Aggregated",
				RPS: f64(float64(n)), FPS: f64(float64(nf)), TotalRequests: total, TotalFailures: totalF})
			for k := int64(0); k < n; k++ {
				st := int64(200)
				if k < nf {
					st = 500
					e := now.Add(time.Duration(rng.IntN(900)) * time.Millisecond)
					pg = append(pg, parsers.Event{Time: e.Add(-3 * time.Millisecond), Zone: "WIB", Source: "pgbouncer", Kind: parsers.KindPoolerError, Message: "C-0x1: d/u@127.0.0.1:1 pooler error: query_wait_timeout"})
					dj = append(dj, parsers.Event{Time: wall(e, off), Naive: true, Source: "django", Kind: parsers.KindServerError, Path: "/x/",
						Message: "Internal Server Error: /x/", ExcType: "OperationalError", ExcMessage: "query_wait_timeout", Traceback: "Traceback..."})
				}
				rs = append(rs, parsers.Event{Time: wall(now, off), Naive: true, Source: "runserver", Kind: parsers.KindRequest, Method: "GET", Path: "/x/", Status: i64(st)})
			}
		}
	}
	for s := 0; s < 86400; s += 2 {
		rs = append(rs, parsers.Event{Time: wall(day.Add(time.Duration(s)*time.Second), off), Naive: true, Source: "runserver", Kind: parsers.KindRequest, Method: "GET", Path: "/", Status: i64(200)})
	}
	number := func(file string, ev []parsers.Event) []parsers.Event {
		sort.SliceStable(ev, func(i, j int) bool { return ev[i].Time.Before(ev[j].Time) })
		for i := range ev {
			ev[i].File, ev[i].Line = file, int64(i+1)
		}
		return ev
	}
	n := len(rs) + len(dj) + len(pg)
	return DatasetOf([]*parsers.Result{
		{History: hist},
		{Events: number("runserver.log", rs)},
		{Events: number("django_errors.log", dj)},
		{Events: number("pgbouncer.log", pg)},
	}), n
}

// BenchmarkAnalyzeDayLong: correlating a day-long log with 20 runs should
// grow linearly with the number of events.
func BenchmarkAnalyzeDayLong(b *testing.B) {
	for _, scale := range []int{1, 2, 4} {
		ds, n := dayLong(scale)
		b.Run(fmt.Sprintf("x%d", scale), func(b *testing.B) {
			cpu0 := cpuNanos()
			for b.Loop() {
				a, err := Analyze(ds, Options{})
				if err != nil {
					b.Fatal(err)
				}
				if c := clockOf(a, "runserver.log"); len(a.Runs) != 20 || c.OffsetS != 7*3600 {
					b.Fatalf("runs %d, clock %+v", len(a.Runs), c)
				}
			}
			cpu := float64(cpuNanos()-cpu0) / float64(b.N)
			b.ReportMetric(cpu, "cpu-ns/op")
			b.ReportMetric(cpu/float64(n), "cpu-ns/event")
			b.ReportMetric(float64(n), "events")
		})
		ds.Release()
	}
}
