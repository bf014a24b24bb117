package correlate

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
)

// A run's load curve is its Aggregated history rows with a time, from its
// CSV when it has one, else from its HTML report, in time order; every
// history file of the run, whatever its rows, is one of the run's files,
// and the rows' values are their own (readHistory hands the *float64
// fields out of shared chunks).
func TestRunHistoryRows(t *testing.T) {
	t0 := at("2026-01-11T03:42:27Z")
	row := func(run, src, file string, line int64, sec int, name string, p95 *float64) parsers.HistoryRow {
		tm := time.Time{}
		if sec >= 0 {
			tm = t0.Add(time.Duration(sec) * time.Second)
		}
		return parsers.HistoryRow{Run: run, Source: src, File: file, Line: line, Time: tm, Name: name,
			RPS: f64(float64(line)), Percentiles: parsers.Percentiles{P95: p95}, TotalRequests: line}
	}
	const csvF, htmlF, other = "r_stats_history.csv", "r.html", "r_full_stats_history.csv"
	cases := []struct {
		name      string
		rows      []parsers.HistoryRow
		wantLines []int64 // History's rows, by line
		wantFiles []string
	}{{
		name: "CSV preferred to HTML, sorted by time then line",
		rows: []parsers.HistoryRow{
			row("r", "csv", csvF, 4, 2, "Aggregated", f64(40)),
			row("r", "csv", csvF, 2, 1, "Aggregated", nil),
			row("r", "csv", csvF, 3, 1, "Aggregated", f64(30)),
			row("r", "html", htmlF, 9, 0, "Aggregated", f64(90)),
		},
		wantLines: []int64{2, 3, 4},
		wantFiles: []string{csvF, htmlF},
	}, {
		name: "HTML when the CSV has none",
		rows: []parsers.HistoryRow{
			row("r", "html", htmlF, 8, 1, "Aggregated", f64(80)),
			row("r", "html", htmlF, 7, 0, "Aggregated", f64(70)),
			row("r", "csv", csvF, 5, 0, "/login", f64(50)),
		},
		wantLines: []int64{7, 8},
		wantFiles: []string{csvF, htmlF},
	}, {
		name: "per-endpoint rows, rows without a time and rows of no run are not the curve",
		rows: []parsers.HistoryRow{
			row("r", "csv", other, 2, 0, "/login", f64(20)),
			row("r", "csv", other, 3, -1, "Aggregated", f64(30)),
			row("r", "csv", csvF, 4, 3, "Aggregated", f64(40)),
			row("", "csv", "stray_stats_history.csv", 5, 4, "Aggregated", f64(50)),
		},
		wantLines: []int64{4},
		wantFiles: []string{other, csvF},
	}}
	for _, c := range cases {
		for _, release := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/release=%v", c.name, release), func(t *testing.T) {
				byFile := map[string][]parsers.HistoryRow{}
				var order []string
				for _, h := range c.rows {
					if byFile[h.File] == nil {
						order = append(order, h.File)
					}
					byFile[h.File] = append(byFile[h.File], h)
				}
				var res []*parsers.Result
				for _, f := range order {
					res = append(res, &parsers.Result{Audit: parsers.Audit{Path: f, Format: "locust_csv", Run: byFile[f][0].Run}, History: byFile[f]})
				}
				// With release (the pipeline's way) the rows must hold the
				// same values after their batches are gone.
				ds := DatasetOf(res)
				in, err := readLocust(ds, release)
				if err != nil {
					t.Fatal(err)
				}
				if held := ds.Tables[schema.TableHistory] != nil; held == release {
					t.Errorf("history table held after reading: %v", held)
				}
				var msgs []string
				runs := buildRuns(in, &msgs)
				if len(runs) != 1 || runs[0].Name != "r" {
					t.Fatalf("runs %v, want one run r", runs)
				}
				r := runs[0]
				var lines []int64
				for _, h := range r.History {
					lines = append(lines, h.Line)
					// Each row keeps its own values.
					if *h.RPS != float64(h.Line) || h.TotalRequests != h.Line {
						t.Errorf("line %d: rps %v, total %d", h.Line, *h.RPS, h.TotalRequests)
					}
					if h.P95 != nil && *h.P95 != float64(10*h.Line) {
						t.Errorf("line %d: p95 %v, want %d", h.Line, *h.P95, 10*h.Line)
					}
				}
				if got, want := fmt.Sprint(lines), fmt.Sprint(c.wantLines); got != want {
					t.Errorf("history lines %s, want %s", got, want)
				}
				for _, f := range c.wantFiles {
					if !strings.Contains(strings.Join(r.Files, "\n"), f) {
						t.Errorf("files %v, want %s among them", r.Files, f)
					}
				}
			})
		}
	}
}
