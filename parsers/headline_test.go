package parsers_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
	"github.com/logcorr/logcorr/report"
)

// headline is what a report's headline shows of a run.
type headline struct {
	requests, failures          int64
	median, p95, p99, rps       float64
	hasMedian, hasP95, hasP99ok bool
}

// TestHeadlineEqualsTotalRow: for every Locust variant, the run's headline
// figures (report.SummaryOf, what every output prints) are the figures of
// the file's own Aggregated/Total row, read here independently with
// encoding/csv or from the report's table.
func TestHeadlineEqualsTotalRow(t *testing.T) {
	tests := []struct {
		run   string
		files []string
		want  func(t *testing.T) headline
	}{
		{"es_prechaos", []string{"es_prechaos_requests.csv", "es_prechaos_distribution.csv"}, func(t *testing.T) headline {
			req := csvRow(t, "es_prechaos_requests.csv", "Name", "Total")
			dist := csvRow(t, "es_prechaos_distribution.csv", "Name", "None Total")
			return headline{requests: atoi(t, req["# requests"]), failures: atoi(t, req["# failures"]),
				median: atof(t, req["Median response time"]), p95: atof(t, dist["95%"]), p99: atof(t, dist["99%"]), rps: atof(t, req["Requests/s"]),
				hasMedian: true, hasP95: true, hasP99ok: true}
		}},
		{"example", []string{"example_requests.csv", "example_distribution.csv"}, func(t *testing.T) headline {
			req := csvRow(t, "example_requests.csv", "Name", "Total")
			dist := csvRow(t, "example_distribution.csv", "Name", "None Total")
			return headline{requests: atoi(t, req["# requests"]), failures: atoi(t, req["# failures"]),
				median: atof(t, req["Median response time"]), p95: atof(t, dist["95%"]), p99: atof(t, dist["99%"]), rps: atof(t, req["Requests/s"]),
				hasMedian: true, hasP95: true, hasP99ok: true}
		}},
		{"oc_p11_locust_report", []string{"oc_p11_locust_report.html"}, func(t *testing.T) headline {
			// The Jinja report's two total rows: request statistics, then
			// response times; it prints no median, so the 50%ile is it.
			totals := htmlTotalRows(t, "oc_p11_locust_report.html")
			req, rt := totals[0], totals[1]
			return headline{requests: atoi(t, req[2]), failures: atoi(t, req[3]), median: atof(t, rt[2]), p95: atof(t, rt[7]), p99: atof(t, rt[8]), rps: atof(t, req[8]),
				hasMedian: true, hasP95: true, hasP99ok: true}
		}},
		{"mlops_locust_report", []string{"mlops_locust_report.html"}, func(t *testing.T) headline {
			var args struct {
				Stats []map[string]any `json:"requests_statistics"`
			}
			raw, err := os.ReadFile(filepath.Join("testdata", "public", "mlops_locust_report.html"))
			if err != nil {
				t.Fatal(err)
			}
			line := string(raw)[strings.Index(string(raw), "window.templateArgs = ")+len("window.templateArgs = "):]
			if err := json.Unmarshal([]byte(line[:strings.Index(line, "\n")]), &args); err != nil {
				t.Fatal(err)
			}
			for _, m := range args.Stats {
				if m["name"] == "Aggregated" {
					// This report has no total_rps: the run's RPS is unknown.
					return headline{requests: int64(m["num_requests"].(float64)), failures: int64(m["num_failures"].(float64)),
						median: m["median_response_time"].(float64), p95: m["response_time_percentile_0.95"].(float64), p99: m["response_time_percentile_0.99"].(float64), rps: -1,
						hasMedian: true, hasP95: true, hasP99ok: true}
				}
			}
			t.Fatal("no Aggregated row")
			return headline{}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.run, func(t *testing.T) {
			var targets []parsers.Target
			for _, f := range tt.files {
				targets = append(targets, parsers.Target{Path: filepath.Join("testdata", "public", f), Name: f})
			}
			ds := parsers.Parse(targets, parsers.Options{})
			defer ds.Release()
			a, err := correlate.Analyze(ds, correlate.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var run *correlate.Run
			for _, r := range a.Runs {
				if r.Name == tt.run {
					run = r
				}
			}
			if run == nil {
				t.Fatalf("no run %s in %d runs; messages %q", tt.run, len(a.Runs), a.Messages)
			}
			s := report.SummaryOf(run)
			if s == nil {
				t.Fatal("no headline")
			}
			got := headline{requests: s.Requests, failures: s.Failures, median: val(s.MedianMS), p95: val(s.P95MS), p99: val(s.P99MS), rps: val(s.RPS),
				hasMedian: s.MedianMS != nil, hasP95: s.P95MS != nil, hasP99ok: s.P99MS != nil}
			if want := tt.want(t); got != want {
				t.Errorf("headline\n got  %+v\n want %+v (the file's total row)", got, want)
			}
			if strings.HasSuffix(tt.files[0], ".csv") && report.UsersMaxOf(run) != nil {
				t.Errorf("users_max %d, but no user count was written", *report.UsersMaxOf(run))
			}
		})
	}
}

func val(p *float64) float64 {
	if p == nil {
		return -1
	}
	return *p
}

// csvRow reads the row of a public fixture whose column col equals v.
func csvRow(t *testing.T, name, col, v string) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "public", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = r[i]
		}
		if row[col] == v {
			return row
		}
	}
	t.Fatalf("%s: no row with %s=%s", name, col, v)
	return nil
}

func atoi(t *testing.T, s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func atof(t *testing.T, s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// htmlTotalRows returns the cells of each <tr class="total"> of a Jinja
// report, in order.
func htmlTotalRows(t *testing.T, name string) [][]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "public", name))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, block := range strings.Split(string(raw), `<tr class="total">`)[1:] {
		block = block[:strings.Index(block, "</tr>")]
		var cells []string
		for _, td := range strings.Split(block, "<td>")[1:] {
			cells = append(cells, strings.TrimSpace(td[:strings.Index(td, "</td>")]))
		}
		out = append(out, cells)
	}
	return out
}
