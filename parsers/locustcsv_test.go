package parsers

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	csvTestAHSP  = "../../shared/corpus/ahsp"
	csvTestStack = "../../shared/corpus/stack"
)

// csvTestDir returns dir, or skips when the corpus is not on this machine.
func csvTestDir(t testing.TB, dir string) string {
	t.Helper()
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Skipf("corpus folder %s not present (it lives outside the repository): %v", dir, err)
	}
	return dir
}

// csvTestParse parses one file the way the CLI does (auto detection) and
// fails on an internal error or unbalanced accounting.
func csvTestParse(t testing.TB, path string, opt Options) *Result {
	t.Helper()
	r := ParseFile(path, filepath.Base(path), opt)
	if r.Audit.Error != "" {
		t.Fatalf("%s: %s", path, r.Audit.Error)
	}
	if !r.Audit.Balanced() {
		t.Fatalf("%s: unbalanced: %+v", path, r.Audit)
	}
	return r
}

// csvTestParseText writes text to a file called name and parses it.
func csvTestParseText(t testing.TB, name, text string, opt Options) *Result {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return csvTestParse(t, path, opt)
}

// csvTestRaw reads a CSV file independently of the parser: encoding/csv
// over the whole text, columns picked by exact header name.
func csvTestRaw(t testing.TB, path string) (hdr map[string]int, rows [][]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	all, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	hdr = map[string]int{}
	for i, h := range all[0] {
		hdr[h] = i
	}
	return hdr, all[1:]
}

func csvTestFloat(s string) *float64 {
	if s == "N/A" || s == "" {
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil
	}
	return &v
}

func csvTestSameFloat(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func csvTestFmt(p *float64) string {
	if p == nil {
		return "null"
	}
	return strconv.FormatFloat(*p, 'g', -1, 64)
}

// The parsed Aggregated row of every run equals what the CSV text says.
func TestLocustCSVAggregatedMatchesRawCSV(t *testing.T) {
	var files []string
	for _, dir := range []string{csvTestDir(t, csvTestAHSP), csvTestStack} {
		m, _ := filepath.Glob(filepath.Join(dir, "*_stats.csv"))
		files = append(files, m...)
		m, _ = filepath.Glob(filepath.Join(dir, "*", "*_stats.csv"))
		files = append(files, m...)
	}
	if len(files) < 20 {
		t.Fatalf("only %d _stats.csv files found", len(files))
	}
	for _, path := range files {
		base := filepath.Base(path)
		t.Run(base, func(t *testing.T) {
			hdr, rows := csvTestRaw(t, path)
			var want []string
			for _, r := range rows {
				if r[hdr["Type"]] == "" && r[hdr["Name"]] == "Aggregated" {
					if want != nil {
						t.Fatal("two Aggregated rows in the raw file")
					}
					want = r
				}
			}
			if want == nil {
				t.Fatal("no Aggregated row in the raw file")
			}
			res := csvTestParse(t, path, Options{})
			if res.Audit.Format != "locust_csv" || res.Audit.Unparsed != 0 {
				t.Fatalf("format %s, unparsed %d", res.Audit.Format, res.Audit.Unparsed)
			}
			if len(res.Stats) != len(rows) {
				t.Fatalf("%d stat rows, the file has %d", len(res.Stats), len(rows))
			}
			var got *StatRow
			for i := range res.Stats {
				if res.Stats[i].Type == "" && res.Stats[i].Name == "Aggregated" {
					got = &res.Stats[i]
				}
			}
			if got == nil {
				t.Fatal("no parsed Aggregated row")
			}
			if run := strings.TrimSuffix(base, "_stats.csv"); got.Run != run {
				t.Errorf("run %q, want %q", got.Run, run)
			}
			req, _ := strconv.ParseInt(want[hdr["Request Count"]], 10, 64)
			fail, _ := strconv.ParseInt(want[hdr["Failure Count"]], 10, 64)
			if got.Requests != req || got.Failures != fail {
				t.Errorf("requests/failures %d/%d, raw %d/%d", got.Requests, got.Failures, req, fail)
			}
			for _, c := range []struct {
				col string
				got *float64
			}{
				{"Median Response Time", got.Median},
				{"95%", got.P95},
				{"99%", got.P99},
				{"Requests/s", got.RPS},
			} {
				if w := csvTestFloat(want[hdr[c.col]]); !csvTestSameFloat(c.got, w) {
					t.Errorf("%s = %s, raw %s", c.col, csvTestFmt(c.got), want[hdr[c.col]])
				}
			}
		})
	}
}

func csvTestF(v float64) *float64 { return &v }

// Hard real rows, one per kind of file.
func TestLocustCSVRealRows(t *testing.T) {
	dir := csvTestDir(t, csvTestAHSP)
	const v18 = "hasil_test_v18_100u_pgbouncer_redis_20260111_114225"
	type stat struct {
		typ, name                   string
		requests, failures          int64
		median, p95, p99, rps, p98x *float64
	}
	cases := []struct {
		file string
		line int64
		stat *stat
		hist *HistoryRow
		fail *FailureRow
		exc  *ExceptionRow
	}{
		{file: v18 + "_stats.csv", line: 89, stat: &stat{"", "Aggregated", 7064, 45, csvTestF(25), csvTestF(2100), csvTestF(19000), csvTestF(23.609392531165046), nil}},
		{file: v18 + "_stats.csv", line: 11, stat: &stat{"GET", "/api/project/[id]/export/full-backup/json/", 2, 0, csvTestF(26.3115000052494), csvTestF(130), csvTestF(130), csvTestF(0.006684425971451032), nil}},
		{file: "hasil_test_auth_probe_stats.csv", line: 38, stat: &stat{"", "Aggregated", 117, 0, csvTestF(160), csvTestF(2900), csvTestF(3400), csvTestF(4.683646234602194), nil}},
		{file: v18 + "_stats_history.csv", line: 150, hist: &HistoryRow{
			Time: time.Date(2026, 1, 11, 3, 45, 1, 0, time.UTC), Users: 100, Name: "Aggregated", RPS: csvTestF(29.5), FPS: csvTestF(0),
			Percentiles:   Percentiles{P50: csvTestF(40), P95: csvTestF(16000), P99: csvTestF(21000), P100: csvTestF(60000)},
			TotalRequests: 2805, TotalFailures: 45, TotalMedian: csvTestF(40), TotalAverage: csvTestF(1769.9438602495652)}},
		{file: v18 + "_stats_history.csv", line: 2, hist: &HistoryRow{
			Time: time.Date(2026, 1, 11, 3, 42, 27, 0, time.UTC), Users: 0, Name: "Aggregated", RPS: csvTestF(0), FPS: csvTestF(0),
			TotalMedian: csvTestF(0), TotalAverage: csvTestF(0)}},
		{file: "hasil_test_v19_100u_nolimit_pool100_failures.csv", line: 3, fail: &FailureRow{
			Method: "GET", Name: "/api/v2/project/[id]/pekerjaan/[id]/weekly-progress/", Error: "CatchResponseError('HTTP 500')", Occurrences: 3}},
		{file: v18 + "_failures.csv", line: 2, fail: &FailureRow{
			Method: "POST", Name: "[AUTH] Login POST", Error: "HTTPError('500 Server Error: Internal Server Error for url: [AUTH] Login POST')", Occurrences: 45}},
		{file: "hasil_test_v24_100u_pool140_no_export_no_admin_exceptions.csv", line: 2, exc: &ExceptionRow{
			Count: 5792, Nodes: "local",
			Message: "No tasks defined on BrowsingUser. Use the @task decorator or set the 'tasks' attribute of the User (or mark it as abstract = True if you only intend to subclass it)"}},
	}
	for _, c := range cases {
		t.Run(c.file+":"+strconv.FormatInt(c.line, 10), func(t *testing.T) {
			res := csvTestParse(t, filepath.Join(dir, c.file), Options{})
			switch {
			case c.stat != nil:
				var got *StatRow
				for i := range res.Stats {
					if res.Stats[i].Line == c.line {
						got = &res.Stats[i]
					}
				}
				if got == nil {
					t.Fatalf("no stat row at line %d", c.line)
				}
				w := c.stat
				if got.Type != w.typ || got.Name != w.name || got.Requests != w.requests || got.Failures != w.failures ||
					!csvTestSameFloat(got.Median, w.median) || !csvTestSameFloat(got.P95, w.p95) || !csvTestSameFloat(got.P99, w.p99) || !csvTestSameFloat(got.RPS, w.rps) {
					t.Errorf("got %q %q %d %d median %s p95 %s p99 %s rps %s", got.Type, got.Name, got.Requests, got.Failures,
						csvTestFmt(got.Median), csvTestFmt(got.P95), csvTestFmt(got.P99), csvTestFmt(got.RPS))
				}
			case c.hist != nil:
				var got *HistoryRow
				for i := range res.History {
					if res.History[i].Line == c.line {
						got = &res.History[i]
					}
				}
				if got == nil {
					t.Fatalf("no history row at line %d", c.line)
				}
				w := c.hist
				if !got.Time.Equal(w.Time) || got.Time.Location() != time.UTC {
					t.Errorf("time %v, want %v (UTC)", got.Time, w.Time)
				}
				if got.Users != w.Users || got.Name != w.Name || got.TotalRequests != w.TotalRequests || got.TotalFailures != w.TotalFailures {
					t.Errorf("users %d name %q totals %d/%d", got.Users, got.Name, got.TotalRequests, got.TotalFailures)
				}
				for _, f := range []struct {
					what      string
					got, want *float64
				}{
					{"rps", got.RPS, w.RPS}, {"fps", got.FPS, w.FPS}, {"p50", got.P50, w.P50}, {"p95", got.P95, w.P95},
					{"p99", got.P99, w.P99}, {"p100", got.P100, w.P100}, {"total median", got.TotalMedian, w.TotalMedian},
					{"total average", got.TotalAverage, w.TotalAverage},
				} {
					if !csvTestSameFloat(f.got, f.want) {
						t.Errorf("%s = %s, want %s", f.what, csvTestFmt(f.got), csvTestFmt(f.want))
					}
				}
			case c.fail != nil:
				if len(res.Failures) == 0 {
					t.Fatal("no failure rows")
				}
				var got *FailureRow
				for i := range res.Failures {
					if res.Failures[i].Line == c.line {
						got = &res.Failures[i]
					}
				}
				if got == nil {
					t.Fatalf("no failure row at line %d", c.line)
				}
				w := *c.fail
				w.Run, w.Source, w.File, w.Line = strings.TrimSuffix(c.file, "_failures.csv"), "csv", c.file, c.line
				w.Offset = lineStart(t, filepath.Join(dir, c.file), c.line)
				if *got != w {
					t.Errorf("got %+v\nwant %+v", *got, w)
				}
			case c.exc != nil:
				if len(res.Exceptions) != 1 {
					t.Fatalf("%d exception rows, want 1", len(res.Exceptions))
				}
				got := res.Exceptions[0]
				if got.Line != c.line || got.Count != c.exc.Count || got.Nodes != c.exc.Nodes || got.Message != c.exc.Message {
					t.Errorf("got line %d count %d nodes %q message %q", got.Line, got.Count, got.Nodes, got.Message)
				}
				// The traceback spans physical lines 2..9: CSV quotes undone,
				// every line kept, and the lines counted as folded.
				if !strings.HasPrefix(got.Traceback, `  File "D:\PORTOFOLIO ADIT\DJANGO AHSP PROJECT\env\Lib\site-packages\locust\user\task.py", line 357, in run`) ||
					strings.Count(got.Traceback, "\n") != 7 {
					t.Errorf("traceback %q", got.Traceback)
				}
				if a := res.Audit; a.Lines != 9 || a.Records != 1 || a.Folded != 8 {
					t.Errorf("accounting %d lines = %d records + %d folded", a.Lines, a.Records, a.Folded)
				}
			}
		})
	}
}

const csvTestStatsHeader = "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"

// Edge cases a real file may have, each written as a small file.
func TestLocustCSVShapes(t *testing.T) {
	cases := []struct {
		name     string
		file     string
		text     string
		records  int64
		folded   int64
		unparsed int64
		warn     string // a message must contain this ("" = no message)
		check    func(t *testing.T, r *Result)
	}{
		{
			name: "quoted comma in name", file: "a_stats.csv",
			text:    csvTestStatsHeader + "\nGET,\"/api/x?a=1,b=2\",3,1,25,30.5,20,40,100.0,0.5,0.1,25,30,30,40,40,40,40,40,40,40,40\n",
			records: 1, folded: 1,
			check: func(t *testing.T, r *Result) {
				if s := r.Stats[0]; s.Name != "/api/x?a=1,b=2" || s.Requests != 3 || *s.P95 != 40 || s.Run != "a" {
					t.Errorf("%+v", s)
				}
			},
		},
		{
			name: "older header spelling, fewer percentiles", file: "old_stats.csv",
			text:    "Type,Name,# requests,# failures,Median response time,Average response time,Min response time,Max response time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,99%,100%\nGET,/,10,2,33,40.0,10,90,512,1.5,0.2,33,40,50,60,70,80,90,90\n,Aggregated,10,2,33,40.0,10,90,512,1.5,0.2,33,40,50,60,70,80,90,90\n",
			records: 2, folded: 1,
			check: func(t *testing.T, r *Result) {
				s := r.Stats[1]
				if s.Name != "Aggregated" || s.Requests != 10 || s.Failures != 2 || *s.Median != 33 || *s.P99 != 90 || s.P98 != nil || *s.P100 != 90 {
					t.Errorf("%+v", s)
				}
			},
		},
		{
			name: "row with a missing field", file: "b_stats.csv",
			text:    csvTestStatsHeader + "\nGET,/a,3,1,25,30.5,20,40,100.0,0.5,0.1,25,30,30,40,40,40,40,40,40,40,40\nGET,/b,7,0,25,30.5,20,40,100.0,0.5,0.1,25,30,30,40,40,40,40,40,40,40\n",
			records: 2, folded: 1, warn: "b_stats.csv:3: 21 fields where the header (line 1) has 22",
			check: func(t *testing.T, r *Result) {
				if s := r.Stats[1]; s.Requests != 7 || s.P100 != nil || *s.P9999 != 40 {
					t.Errorf("%+v", s)
				}
			},
		},
		{
			name: "N/A and blank lines", file: "c_stats_history.csv",
			text: "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size\n" +
				"\n1768102947,0,,Aggregated,0.000000,0.000000,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,0,0,0,0.0,0,0,0\n\n\n",
			records: 1, folded: 4,
			check: func(t *testing.T, r *Result) {
				h := r.History[0]
				if h.Line != 3 || h.P50 != nil || h.Time.Unix() != 1768102947 || h.Time.Location() != time.UTC {
					t.Errorf("%+v", h)
				}
			},
		},
		{
			name: "CRLF and a multi-line quoted traceback", file: "d_exceptions.csv",
			text:    "Count,Message,Traceback,Nodes\r\n3,boom,\"  File \"\"x.py\"\", line 1\r\n    raise X\r\n\",local\r\n2,bang,\"one\",local\r\n",
			records: 2, folded: 3,
			check: func(t *testing.T, r *Result) {
				e := r.Exceptions
				if e[0].Line != 2 || e[0].Traceback != "  File \"x.py\", line 1\n    raise X\n" || e[1].Line != 5 || e[1].Count != 2 {
					t.Errorf("%+v", e)
				}
			},
		},
		{
			name: "not a Locust header", file: "e_stats.csv",
			text:     "a,b,c\n1,2,3\n",
			unparsed: 2, warn: "e_stats.csv:1: header is none of Locust's",
		},
		{
			name: "quoted field cut at the end of the file", file: "f_exceptions.csv",
			text:    "Count,Message,Traceback,Nodes\n1,boom,\"  File \"\"x.py\"\"\n  more\n",
			records: 1, folded: 2, warn: "f_exceptions.csv:2: 3 fields where the header (line 1) has 4",
		},
		{
			name: "bad number", file: "g_failures.csv",
			text:    "Method,Name,Error,Occurrences\nGET,/x,HTTP 500,many\n",
			records: 1, folded: 1, warn: "g_failures.csv:2: column 4: \"many\" is not a count",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := csvTestParseText(t, c.file, c.text, Options{})
			a := r.Audit
			if a.Format != "locust_csv" && c.unparsed == 0 {
				t.Fatalf("detected as %s", a.Format)
			}
			if c.unparsed > 0 {
				r = csvTestParseText(t, c.file, c.text, Options{Format: "locust_csv"})
				a = r.Audit
			}
			if a.Records != c.records || a.Folded != c.folded || a.Unparsed != c.unparsed {
				t.Errorf("records/folded/unparsed %d/%d/%d, want %d/%d/%d (%v)", a.Records, a.Folded, a.Unparsed, c.records, c.folded, c.unparsed, a.Messages)
			}
			found := c.warn == ""
			for _, m := range a.Messages {
				if c.warn != "" && strings.Contains(m, c.warn) {
					found = true
				}
			}
			if !found || (c.warn == "" && len(a.Messages) > 0) {
				t.Errorf("messages %q, want one containing %q", a.Messages, c.warn)
			}
			if c.check != nil {
				c.check(t, r)
			}
		})
	}
}

// Every Locust artifact of both corpora is detected as its format from
// content, and every line is accounted for with nothing unparsed.
func TestLocustAutoDetectCorpus(t *testing.T) {
	var files []string
	for _, pat := range []string{
		filepath.Join(csvTestDir(t, csvTestAHSP), "*"),
		filepath.Join(csvTestStack, "*", "*.csv"),
		filepath.Join(csvTestStack, "*", "*.html"),
	} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	n := map[string]int{}
	for _, path := range files {
		want := "locust_csv"
		if strings.HasSuffix(path, ".html") {
			want = "locust_html"
		}
		r := csvTestParse(t, path, Options{})
		a := r.Audit
		n[a.Format]++
		if a.Format != want || a.Chosen != "content" {
			t.Errorf("%s: %s by %s (%.2f, runner-up %s %.2f), want %s by content", path, a.Format, a.Chosen, a.Confidence, a.RunnerUp, a.RunnerUpConfidence, want)
		}
		if a.Unparsed != 0 || len(a.Messages) != 0 {
			t.Errorf("%s: %d unparsed %v, messages %q", path, a.Unparsed, a.UnparsedExamples, a.Messages)
		}
		if a.Lines > 1 && a.Records == 0 && !strings.HasSuffix(path, "_exceptions.csv") && !strings.HasSuffix(path, "_failures.csv") {
			t.Errorf("%s: no records", path)
		}
	}
	if n["locust_csv"] < 80 || n["locust_html"] != 4 {
		t.Errorf("files per format %v", n)
	}
}

func TestLocustCSVSniff(t *testing.T) {
	cases := []struct {
		line string
		want float64
	}{
		{csvTestStatsHeader, 1},
		{"Method,Name,Error,Occurrences", 1},
		{"Count,Message,Traceback,Nodes", 1},
		{"Type,Name,Request Count", 0.6},
		{"2026-01-11 12:59:17,123 ERROR django.request Internal Server Error: /x", 0},
		{"a,b,c", 0},
	}
	for _, c := range cases {
		if got := (locustCSV{}).Sniff([]Line{{N: 1, Text: []byte(c.line)}}); got != c.want {
			t.Errorf("Sniff(%q) = %v, want %v", c.line, got, c.want)
		}
	}
}

func BenchmarkLocustCSV(b *testing.B) {
	path := filepath.Join(csvTestDir(b, csvTestAHSP), "hasil_test_v19_100u_nolimit_pool100_stats_history.csv")
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		r := ParseFile(path, "h.csv", Options{Format: "locust_csv"})
		if len(r.History) == 0 {
			b.Fatal("no rows")
		}
	}
}

func FuzzLocustCSV(f *testing.F) {
	for _, b := range publicSeeds(f, "locust_csv") {
		f.Add(b)
	}
	f.Add([]byte(csvTestStatsHeader + "\nGET,\"/a,b\",3,1,25,30.5,20,40,100.0,0.5,0.1,25,30,30,40,40,40,40,40,40,40,40\n"))
	f.Add([]byte("Count,Message,Traceback,Nodes\r\n3,boom,\"  File \"\"x.py\"\", line 1\r\n    raise X\r\n\",local\r\n"))
	f.Add([]byte("Method,Name,Error,Occurrences\n\"GET\nx,1\n"))
	if _, err := os.Stat(csvTestAHSP); err == nil {
		for _, name := range []string{
			"hasil_test_v18_100u_pgbouncer_redis_20260111_114225_stats.csv",
			"hasil_test_v18_100u_pgbouncer_redis_20260111_114225_stats_history.csv",
			"hasil_test_v19_100u_nolimit_pool100_failures.csv",
			"hasil_test_v24_100u_pool140_no_export_no_admin_exceptions.csv",
		} {
			b, err := os.ReadFile(filepath.Join(csvTestAHSP, name))
			if err != nil {
				continue
			}
			lines := bytes.SplitAfter(b, []byte("\n"))
			f.Add(bytes.Join(lines[:min(len(lines), 6)], nil))
		}
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "x_stats.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		r := ParseFile(path, "x_stats.csv", Options{Format: "locust_csv"})
		if r.Audit.Error != "" {
			t.Fatalf("internal error: %s", r.Audit.Error)
		}
		if !r.Audit.Balanced() {
			t.Fatalf("unbalanced: %+v", r.Audit)
		}
	})
}

// TestLocustCSVPublicVariants reads CSV files of older Locust versions other
// projects published: 0.x's PREFIX_requests.csv + PREFIX_distribution.csv
// pair (one run; the distribution's percentiles merged into the requests
// rows, nothing invented), and 0.13's stats_history.csv with its lost quote,
// "Requests Failed/s" and cumulative "# requests".
func TestLocustCSVPublicVariants(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	parse := func(t *testing.T, names ...string) *Dataset {
		var targets []Target
		for _, n := range names {
			targets = append(targets, Target{Path: publicPath(n), Name: n})
		}
		ds := ParseAll(targets, Options{})
		t.Cleanup(ds.Release)
		for _, a := range ds.Audits {
			if a.Format != "locust_csv" || a.Unparsed != 0 || a.Run == "" {
				t.Fatalf("%s: %+v", a.Path, a)
			}
		}
		return ds
	}
	stats := func(t *testing.T, ds *Dataset) []StatRow {
		rows, err := FromRecord[StatRow](ds.Tables[TableStats])
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	t.Run("0.8 requests + distribution (jmeagher/playground)", func(t *testing.T) {
		ds := parse(t, "es_prechaos_requests.csv", "es_prechaos_distribution.csv")
		rows := stats(t, ds)
		if len(rows) != 5 {
			t.Fatalf("%d stats rows, want the requests file's 5 (distribution rows are not stats rows)", len(rows))
		}
		agg := rows[4]
		want := StatRow{Run: "es_prechaos", Source: "csv", File: "es_prechaos_requests.csv", Line: 6, Type: "", Name: "Aggregated",
			Requests: 5797, Failures: 0, Median: f(17), Average: f(31), Min: f(5), Max: f(214), AvgContentSize: f(350), RPS: f(97.72),
			Percentiles: Percentiles{P50: f(17), P66: f(22), P75: f(37), P80: f(53), P90: f(87), P95: f(99), P98: f(110), P99: f(120), P100: f(214)}}
		if !statEqual(agg, want) {
			t.Errorf("total row\n got  %s\n want %s", statString(agg), statString(want))
		}
		if r := rows[0]; r.Type != "PUT" || r.Name != "high_cardinality_insert" || r.Requests != 4485 || r.P95 == nil || *r.P95 != 100 {
			t.Errorf("first row %s", statString(r))
		}
		if len(ds.Messages) != 1 || !strings.Contains(ds.Messages[0], "counts 5820 requests where es_prechaos_requests.csv:6 counts 5797") {
			t.Errorf("messages %q", ds.Messages)
		}
	})
	t.Run("0.8 documentation example (locustio/locust docs)", func(t *testing.T) {
		ds := parse(t, "example_requests.csv", "example_distribution.csv")
		rows := stats(t, ds)
		if len(rows) != 4 || rows[1].Name != "/does_not_exist" || rows[1].Failures != 56 || rows[1].P50 != nil || rows[3].Name != "Aggregated" || rows[3].P95 == nil || *rows[3].P95 != 4 {
			t.Errorf("rows %v", rows)
		}
	})
	t.Run("0.13 stats_history (locustio/locust#1146)", func(t *testing.T) {
		ds := parse(t, "locust013_stats_history.csv")
		rows, err := FromRecord[HistoryRow](ds.Tables[TableHistory])
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 8 {
			t.Fatalf("%d rows", len(rows))
		}
		last := rows[7]
		if last.Name != "Aggregated" || last.Type != "" || !last.UsersUnknown || last.TotalRequests != 7 || last.TotalFailures != 0 ||
			*last.TotalMedian != 110 || *last.TotalAverage != 160 || *last.TotalMin != 28 || *last.TotalMax != 520.62 || *last.TotalAvgContentSize != 153124.86 ||
			*last.FPS != 0 || *last.P50 != 110 || *last.P95 != 520 || !last.Time.Equal(time.Unix(1574373143, 0)) {
			t.Errorf("last row %+v", last)
		}
		if a := ds.Audits[0]; len(a.Messages) != 1 || !strings.Contains(a.Messages[0], "read as 24 columns") {
			t.Errorf("messages %q", a.Messages)
		}
	})
}

func statEqual(a, b StatRow) bool { return statString(a) == statString(b) }

func statString(r StatRow) string {
	v := func(p *float64) string {
		if p == nil {
			return "-"
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	s := fmt.Sprintf("%s %s %s:%d %q %q %d/%d med %s avg %s min %s max %s size %s rps %s fps %s pct", r.Run, r.Source, r.File, r.Line, r.Type, r.Name, r.Failures, r.Requests,
		v(r.Median), v(r.Average), v(r.Min), v(r.Max), v(r.AvgContentSize), v(r.RPS), v(r.FPS))
	for _, p := range r.Percentiles.Ptrs() {
		s += " " + v(*p)
	}
	return s
}

// A _failures.csv or _exceptions.csv that holds only its header says the
// run had no failures or exceptions: it belongs to its run, so the rules
// count it as evidence read, not as a file that is missing.
func TestHeaderOnlyLocustCSVBelongsToItsRun(t *testing.T) {
	dir := t.TempDir()
	cases := []struct{ base, header, wantRun string }{
		{"hasil_test_x_failures.csv", "Method,Name,Error,Occurrences\n", "hasil_test_x"},
		{"hasil_test_x_exceptions.csv", "Count,Message,Traceback,Nodes\n", "hasil_test_x"},
		// Not a Locust header: nothing ties the file to a run.
		{"hasil_test_y_failures.csv", "a,b\n", ""},
	}
	for _, tc := range cases {
		p := filepath.Join(dir, tc.base)
		if err := os.WriteFile(p, []byte(tc.header), 0o644); err != nil {
			t.Fatal(err)
		}
		a := ParseFile(p, tc.base, Options{}).Audit
		if a.Run != tc.wantRun {
			t.Errorf("%s (%s, %d lines, %d folded, %d unparsed): run %q, want %q", tc.base, a.Format, a.Lines, a.Folded, a.Unparsed, a.Run, tc.wantRun)
		}
	}
}
