package parsers

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const htmlTestV18 = "hasil_test_v18_100u_pgbouncer_redis_20260111_114225"

// htmlTestTemplateArgs reads the embedded JSON independently of the
// parser: the line holding the assignment, cut at its first '{' and
// trailing ';'.
func htmlTestTemplateArgs(t testing.TB, path string) (line int64, m map[string]json.RawMessage) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "window.templateArgs = {") {
			continue
		}
		l = strings.TrimSuffix(strings.TrimPrefix(l, "window.templateArgs = "), ";")
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		return int64(i + 1), m
	}
	t.Fatal("no window.templateArgs line")
	return 0, nil
}

func htmlTestMeta(r *Result) map[string]string {
	m := map[string]string{}
	for _, x := range r.Meta {
		m[x.Key] = x.Value
	}
	return m
}

// The React report (Locust 2.32): every table matches the embedded JSON.
func TestLocustHTMLReactReport(t *testing.T) {
	path := filepath.Join(csvTestDir(t, csvTestAHSP), htmlTestV18+".html")
	line, ta := htmlTestTemplateArgs(t, path)
	r := csvTestParse(t, path, Options{})
	if r.Audit.Format != "locust_html" || r.Audit.Records != 1 || r.Audit.Unparsed != 0 {
		t.Fatalf("audit %+v", r.Audit)
	}
	meta := htmlTestMeta(r)
	for k, want := range map[string]string{
		"start_time": "2026-01-11T03:42:27Z", "end_time": "2026-01-11T03:47:27Z", "host": "http://localhost:8000",
		"locustfile": "locustfile.py", "duration": "5 minutes", "show_download_link": "false", "percentiles_to_chart": "[0.5,0.95]",
	} {
		if meta[k] != want {
			t.Errorf("meta %s = %q, want %q", k, meta[k], want)
		}
	}
	if _, ok := meta["profile"]; ok {
		t.Error("null profile became a meta row")
	}
	var hist, reqs, rts, fails []map[string]json.RawMessage
	for _, x := range []struct {
		key string
		dst *[]map[string]json.RawMessage
	}{{"history", &hist}, {"requests_statistics", &reqs}, {"response_time_statistics", &rts}, {"failures_statistics", &fails}} {
		if err := json.Unmarshal(ta[x.key], x.dst); err != nil {
			t.Fatal(x.key, err)
		}
	}
	if len(r.History) != len(hist) || len(r.Stats) != len(reqs) || len(r.Failures) != len(fails) || len(r.Exceptions) != 0 {
		t.Fatalf("rows history %d stats %d failures %d, JSON has %d %d %d", len(r.History), len(r.Stats), len(r.Failures), len(hist), len(reqs), len(fails))
	}
	num := func(raw json.RawMessage) float64 {
		var v float64
		if err := json.Unmarshal(raw, &v); err != nil {
			var pair []json.RawMessage
			if json.Unmarshal(raw, &pair) != nil || len(pair) != 2 || json.Unmarshal(pair[1], &v) != nil {
				t.Fatalf("not a number: %s", raw)
			}
		}
		return v
	}
	for i, h := range hist {
		got := r.History[i]
		var ts string
		_ = json.Unmarshal(h["time"], &ts)
		want, _ := time.Parse(time.RFC3339, ts)
		if !got.Time.Equal(want) || got.Time.Location() != time.UTC || got.Line != line || got.Source != "html" ||
			got.Users != int64(num(h["user_count"])) || *got.RPS != num(h["current_rps"]) ||
			*got.P50 != num(h["response_time_percentile_0.5"]) || *got.P95 != num(h["response_time_percentile_0.95"]) ||
			*got.TotalAverage != num(h["total_avg_response_time"]) {
			t.Errorf("history %d: %+v vs %v", i, got, h)
		}
	}
	agg := r.Stats[len(r.Stats)-1]
	wantAgg, wantPct := reqs[len(reqs)-1], rts[len(rts)-1]
	if agg.Name != "Aggregated" || agg.Type != "" || agg.Requests != int64(num(wantAgg["num_requests"])) ||
		agg.Failures != int64(num(wantAgg["num_failures"])) || *agg.Median != num(wantAgg["median_response_time"]) ||
		*agg.RPS != num(wantAgg["total_rps"]) || *agg.P95 != num(wantPct["0.95"]) || *agg.P99 != num(wantPct["0.99"]) ||
		*agg.P100 != num(wantPct["1.0"]) || *agg.P80 != num(wantPct["0.8"]) {
		t.Errorf("aggregated %+v", agg)
	}
	// Hard real figures of this run's report (written a moment after the
	// CSV, so 7071 requests here against 7064 in _stats.csv).
	if agg.Requests != 7071 || agg.Failures != 45 || *agg.Median != 25 || *agg.P95 != 2100 || *agg.P99 != 19000 || *agg.RPS != 23.607424737128344 {
		t.Errorf("aggregated figures %d %d %v %v %v %v", agg.Requests, agg.Failures, *agg.Median, *agg.P95, *agg.P99, *agg.RPS)
	}
	if f := r.Failures[0]; f.Name != "[AUTH] Login POST" || f.Occurrences != 45 || f.Method != "POST" {
		t.Errorf("failure %+v", f)
	}
	var tasks struct {
		PerClass map[string]struct {
			Ratio float64                    `json:"ratio"`
			Tasks map[string]json.RawMessage `json:"tasks"`
		} `json:"per_class"`
	}
	if err := json.Unmarshal(ta["tasks"], &tasks); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range tasks.PerClass {
		n += len(c.Tasks)
	}
	if len(r.Tasks) != n || n == 0 {
		t.Errorf("%d task rows, JSON has %d", len(r.Tasks), n)
	}
	for _, tr := range r.Tasks {
		if tr.UserClass == "APIUser" && tr.Task == "api_audit_trail" {
			if tr.ClassRatio != 0.27 || tr.Ratio != 0.019230769230769232 || tr.TotalRatio != 0.005192307692307692 {
				t.Errorf("task %+v", tr)
			}
		}
	}
}

// The Jinja report (Locust 2.12) of the stack corpus: hard real values and
// agreement with the same run's CSV files.
func TestLocustHTMLJinjaReport(t *testing.T) {
	csvTestDir(t, csvTestAHSP)
	csvTestDir(t, csvTestStack)
	cases := []struct {
		run                  string
		start, end           string
		history, stats, fail int
		aggReq, aggFail      int64
		aggRPS, aggP95       float64
		firstTime            string
		firstUsers           int64
		firstP50             float64
	}{
		{"healthy", "2026-11-29T11:42:48Z", "2026-11-29T11:44:03Z", 14, 11, 0, 1330, 0, 17.8, 1000, "2026-11-29T11:42:53Z", 25, 59},
		{"pool_exhaustion", "2026-11-29T11:57:01Z", "2026-11-29T11:58:31Z", 17, 11, 9, 574, 93, 6.4, 14000, "2026-11-29T11:57:06Z", 15, 150},
	}
	for _, c := range cases {
		t.Run(c.run, func(t *testing.T) {
			dir := filepath.Join(csvTestStack, c.run)
			r := csvTestParse(t, filepath.Join(dir, "hasil_test_"+c.run+".html"), Options{})
			if r.Audit.Format != "locust_html" || r.Audit.Unparsed != 0 {
				t.Fatalf("audit %+v", r.Audit)
			}
			meta := htmlTestMeta(r)
			if meta["start_time"] != c.start || meta["end_time"] != c.end || meta["host"] != "http://127.0.0.1:8000" || meta["locustfile"] != "locustfile.py" {
				t.Errorf("meta %v", meta)
			}
			if len(r.History) != c.history || len(r.Stats) != c.stats || len(r.Failures) != c.fail || len(r.Tasks) == 0 {
				t.Fatalf("rows history %d stats %d failures %d tasks %d", len(r.History), len(r.Stats), len(r.Failures), len(r.Tasks))
			}
			agg := r.Stats[len(r.Stats)-1]
			if agg.Name != "Aggregated" || agg.Requests != c.aggReq || agg.Failures != c.aggFail || *agg.RPS != c.aggRPS || *agg.P95 != c.aggP95 || agg.Median == nil || *agg.Median != *agg.P50 { // no median column: the 50%ile is it
				t.Errorf("aggregated %+v", agg)
			}
			// The report is written a moment after the run's _stats.csv, so
			// it counts the same run's requests or a few more.
			cr := csvTestParse(t, filepath.Join(dir, "hasil_test_"+c.run+"_stats.csv"), Options{})
			cagg := cr.Stats[len(cr.Stats)-1]
			if agg.Requests < cagg.Requests || agg.Requests > cagg.Requests+cagg.Requests/50 || agg.Failures < cagg.Failures || *agg.RPS < *cagg.RPS-0.2 || *agg.RPS > *cagg.RPS+0.2 {
				t.Errorf("CSV aggregated %d/%d %v, HTML %d/%d %v", cagg.Requests, cagg.Failures, *cagg.RPS, agg.Requests, agg.Failures, *agg.RPS)
			}
			var occ int64
			for _, f := range r.Failures {
				occ += f.Occurrences
			}
			if occ != agg.Failures {
				t.Errorf("failure occurrences sum to %d, aggregated failures %d", occ, agg.Failures)
			}
			h := r.History[0]
			if h.Time.Format(time.RFC3339) != c.firstTime || h.Users != c.firstUsers || *h.P50 != c.firstP50 {
				t.Errorf("first history point %+v", h)
			}
			// The history's UTC times fall inside the run's start..end and
			// start no later than the CSV history's first Unix timestamp
			// plus one chart interval: date and zone were read right.
			start, _ := time.Parse(time.RFC3339, c.start)
			end, _ := time.Parse(time.RFC3339, c.end)
			for _, p := range r.History {
				if p.Time.Before(start) || p.Time.After(end) {
					t.Errorf("history time %v outside the run's %v..%v", p.Time, start, end)
				}
			}
			hr := csvTestParse(t, filepath.Join(dir, "hasil_test_"+c.run+"_stats_history.csv"), Options{})
			if d := h.Time.Sub(hr.History[0].Time); d < 0 || d > 10*time.Second {
				t.Errorf("first HTML history point %v is %v after the CSV's first %v", h.Time, d, hr.History[0].Time)
			}
		})
	}
}

// A report whose embedded JSON is cut keeps what precedes the cut, names
// the line and the byte, and never panics.
func TestLocustHTMLCutJSON(t *testing.T) {
	src := filepath.Join(csvTestDir(t, csvTestAHSP), htmlTestV18+".html")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	line, _ := htmlTestTemplateArgs(t, src)
	k := len(`"requests_statistics": [{`)
	i := bytes.Index(b, []byte(`"history": [`))
	j := bytes.Index(b, []byte(`"requests_statistics": [`))
	if i < 0 || j < 0 {
		t.Fatal("markers not found")
	}
	cases := []struct {
		name        string
		text        []byte
		minHist     int
		maxHist     int
		hasEndTime  bool
		wantMessage string
	}{
		// Cut inside history, file ends there.
		{"cut at end of file", b[:i+3000], 1, 59, true, "byte"},
		// Cut inside history, the rest of the page follows.
		{"cut mid-line", append(append([]byte(nil), b[:i+3000]...), []byte("\n    </script>\n  </body>\n</html>\n")...), 1, 59, true, "byte"},
		// A stray character in requests_statistics: history survives whole.
		{"invalid JSON", append(append(append([]byte(nil), b[:j+k]...), '#'), b[j+k:]...), 60, 60, true, "invalid character"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := csvTestParseText(t, "cut.html", string(c.text), Options{})
			if r.Audit.Format != "locust_html" || r.Audit.Unparsed != 0 {
				t.Fatalf("audit %+v", r.Audit)
			}
			if len(r.History) < c.minHist || len(r.History) > c.maxHist {
				t.Errorf("%d history rows, want %d..%d", len(r.History), c.minHist, c.maxHist)
			}
			if meta := htmlTestMeta(r); (meta["end_time"] != "") != c.hasEndTime {
				t.Errorf("meta %v", meta)
			}
			prefix := "cut.html:" + strconv.FormatInt(line, 10) + ":"
			ok := false
			for _, m := range r.Audit.Messages {
				if strings.HasPrefix(m, prefix) && strings.Contains(m, c.wantMessage) {
					ok = true
				}
			}
			if !ok {
				t.Errorf("messages %q, want one starting %q containing %q", r.Audit.Messages, prefix, c.wantMessage)
			}
		})
	}
}

// Shapes of the Jinja report the corpus lacks: an exceptions table whose
// traceback cell spans lines.
func TestLocustHTMLJinjaExceptions(t *testing.T) {
	text := `<html><head><title>Test Report for locustfile.py</title></head><body>
<h1>Locust Test Report</h1>
<p>During: <span class="l10n datetime">2026-11-29 23:59:58</span> - <span class="l10n datetime">2026-11-30 00:00:09</span></p>
<div class="exceptions">
<h2>Exceptions Statistics</h2>
<table class="stats">
<thead><tr>
<th class="sortable">Count</th><th class="sortable">Message</th><th class="sortable">Traceback</th><th class="sortable">Nodes</th>
</tr></thead>
<tbody>
<tr>
<td>4</td>
<td>ZeroDivisionError(&#39;division by zero&#39;)</td>
<td>  File &#34;locustfile.py&#34;, line 9, in t
    1/0
</td>
<td>local</td>
</tr>
</tbody>
</table>
</div>
<script>
var stats_history = {
    "time": ["23:59:59", "00:00:04"].map(server_time => new Date(new Date().setUTCHours(...(server_time.split(":")))).toLocaleTimeString()),
    "user_count": [{"value": 1}, {"value": 2}],
    "current_rps": [{"users": 1, "value": 0.5}, {"users": 2, "value": 1.5}],
    "markers": [],
};
</script>
</body></html>
`
	r := csvTestParseText(t, "j.html", text, Options{})
	a := r.Audit
	if a.Format != "locust_html" || a.Unparsed != 0 || len(a.Messages) != 0 {
		t.Fatalf("audit %+v", a)
	}
	// Records: During line, the exception row (lines 11-17), the history block.
	if a.Records != 3 || a.Folded != a.Lines-3 {
		t.Errorf("records %d folded %d of %d lines", a.Records, a.Folded, a.Lines)
	}
	if len(r.Exceptions) != 1 {
		t.Fatalf("exceptions %+v", r.Exceptions)
	}
	e := r.Exceptions[0]
	if e.Line != 11 || e.Count != 4 || e.Message != "ZeroDivisionError('division by zero')" || e.Traceback != "File \"locustfile.py\", line 9, in t\n    1/0" || e.Nodes != "local" {
		t.Errorf("exception %+v", e)
	}
	if len(r.History) != 2 || r.History[0].Time.Format(time.RFC3339) != "2026-11-29T23:59:59Z" || r.History[1].Time.Format(time.RFC3339) != "2026-11-30T00:00:04Z" || *r.History[1].RPS != 1.5 || r.History[1].Users != 2 {
		t.Errorf("history across midnight %+v", r.History)
	}
}

func TestLocustHTMLSniff(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		want  float64
	}{
		{"react", []string{"<!DOCTYPE html>", `      window.templateArgs = {"duration": "5 minutes"}`}, 1},
		{"jinja", []string{"<html>", "        <h1>Locust Test Report</h1>"}, 0.95},
		{"bundle only", []string{"<!doctype html>", "    <title>Locust</title>"}, 0.8},
		{"generic html", []string{"<!DOCTYPE html>", "<html><body>hi</body></html>"}, 0.1},
		{"csv", []string{csvTestStatsHeader}, 0},
	}
	for _, c := range cases {
		var s []Line
		for i, l := range c.lines {
			s = append(s, Line{N: int64(i + 1), Text: []byte(l)})
		}
		if got := (locustHTML{}).Sniff(s); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func BenchmarkLocustHTML(b *testing.B) {
	for _, rel := range []string{
		filepath.Join(csvTestAHSP, htmlTestV18+".html"),
		filepath.Join(csvTestStack, "pool_exhaustion", "hasil_test_pool_exhaustion.html"),
	} {
		b.Run(filepath.Base(rel), func(b *testing.B) {
			st, err := os.Stat(rel)
			if err != nil {
				b.Skipf("corpus file %s not present: %v", rel, err)
			}
			b.SetBytes(st.Size())
			b.ReportAllocs()
			for b.Loop() {
				r := ParseFile(rel, "r.html", Options{Format: "locust_html"})
				if len(r.Stats) == 0 {
					b.Fatal("no rows")
				}
			}
		})
	}
}

func FuzzLocustHTML(f *testing.F) {
	for _, b := range publicSeeds(f, "locust_html") {
		f.Add(b)
	}
	f.Add([]byte("<html>\n<script>\n  window.templateArgs = {\"start_time\": \"2026-01-11T03:42:27Z\", \"history\": [{\"current_rps\": [\"2026-01-11T03:42:32Z\", 0], \"time\": \"2026-01-11T03:42:32Z\", \"user_count\": [\"2026-01-11T03:42:32Z\", 20]}], \"tasks\": {\"per_class\": {\"U\": {\"ratio\": 1.0, \"tasks\": {\"t\": {\"ratio\": 1.0}}}}, \"total\": {}}}\n</script>\n"))
	f.Add([]byte("<h2>Failures Statistics</h2>\n<table class=\"stats\">\n<tr><th>Method</th><th>Name</th><th>Error</th><th>Occurrences</th></tr>\n<tr>\n<td>POST</td>\n<td>[AUTH] Logout</td>\n<td>logout failed: 500</td>\n<td>3</td>\n</tr>\n</table>\n"))
	f.Add([]byte("<p>During: <span class=\"l10n datetime\">2026-11-29 11:57:01</span> - <span class=\"l10n datetime\">2026-11-29 11:58:31</span></p>\nvar stats_history = {\n    \"time\": [\"11:57:06\"].map(x => x),\n    \"user_count\": [{\"value\": 15}],\n};\n"))
	// Real excerpts: the React report's head and JSON (shortened), and the
	// Jinja report's info, failure rows, tasks and history.
	if b, err := os.ReadFile(filepath.Join(csvTestAHSP, htmlTestV18+".html")); err == nil {
		lines := bytes.Split(b, []byte("\n"))
		for _, l := range lines {
			if bytes.Contains(l, []byte("window.templateArgs = {")) {
				f.Add(l[:min(len(l), 4000)])
				f.Add(append(append([]byte("<title>Locust</title>\n"), l...), []byte("\n</script>\n")...))
			}
		}
	}
	if b, err := os.ReadFile(filepath.Join(csvTestStack, "pool_exhaustion", "hasil_test_pool_exhaustion.html")); err == nil {
		lines := bytes.Split(b, []byte("\n"))
		pick := func(from, to int) []byte {
			if to > len(lines) {
				return nil
			}
			return bytes.Join(lines[from:to], []byte("\n"))
		}
		f.Add(pick(117, 180))
		f.Add(pick(455, 560))
		f.Add(pick(819, 833))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "x.html")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		r := ParseFile(path, "x.html", Options{Format: "locust_html"})
		if r.Audit.Error != "" {
			t.Fatalf("internal error: %s", r.Audit.Error)
		}
		if !r.Audit.Balanced() {
			t.Fatalf("unbalanced: %+v", r.Audit)
		}
	})
}

// TestLocustHTMLPublicVariants reads reports other projects committed: a
// 2021 Jinja report whose "During" line is the load host's local clock
// (UTC+2) while its chart history is UTC, with no median column; and an
// early React report whose history points carry bare numbers and a UTC
// time of day.
func TestLocustHTMLPublicVariants(t *testing.T) {
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		file                string
		start, end          string
		histN               int
		histFirst, histLast string
		firstUsers          int64
		firstP95            float64
		median, p95, p99    float64
		requests            int64
		message             string
	}{
		{"oc_p11_locust_report.html", "2021-10-07T10:01:32Z", "2021-10-07T10:04:06Z", 31, "2021-10-07T10:01:35Z", "2021-10-07T10:04:05Z", 4, 3, 3, 6, 16, 473,
			"the report's \"During\" times are the load host's local clock (UTC+02:00)"},
		{"mlops_locust_report.html", "2026-05-19T02:13:23Z", "2026-05-19T03:27:53Z", 5, "2026-05-19T02:13:26Z", "2026-05-19T03:27:52Z", 15, 93, 100, 900, 1100, 761252, ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw, err := os.ReadFile(publicPath(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			res := parseText(t, tt.file, string(raw), Options{})
			a := res.Audit
			if a.Format != "locust_html" || a.Unparsed != 0 {
				t.Fatalf("%+v", a)
			}
			meta := map[string]string{}
			for _, m := range res.Meta {
				meta[m.Key] = m.Value
			}
			if meta["start_time"] != tt.start || meta["end_time"] != tt.end {
				t.Errorf("start %s end %s", meta["start_time"], meta["end_time"])
			}
			if len(res.History) != tt.histN {
				t.Fatalf("%d history rows", len(res.History))
			}
			h0, hn := res.History[0], res.History[len(res.History)-1]
			if !h0.Time.Equal(at(tt.histFirst)) || !hn.Time.Equal(at(tt.histLast)) || h0.Users != tt.firstUsers || h0.UsersUnknown || h0.P95 == nil || *h0.P95 != tt.firstP95 || h0.P100 != nil {
				t.Errorf("history first %+v last %v", h0, hn.Time)
			}
			var agg *StatRow
			for i := range res.Stats {
				if res.Stats[i].Name == "Aggregated" {
					agg = &res.Stats[i]
				}
			}
			if agg == nil || agg.Requests != tt.requests || agg.Median == nil || *agg.Median != tt.median || *agg.P95 != tt.p95 || *agg.P99 != tt.p99 {
				t.Errorf("aggregated %+v", agg)
			}
			found := tt.message == ""
			for _, m := range a.Messages {
				found = found || strings.Contains(m, tt.message)
			}
			if !found {
				t.Errorf("messages %q", a.Messages)
			}
		})
	}
}
