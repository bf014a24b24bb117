package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// seedRun is what the weekly report says about a run.
type seedRun struct {
	name               string
	requests, failures int64
	pct                string // as written, "" when absent
}

var (
	seedCSV    = regexp.MustCompile(`--csv[= ](hasil_test_[A-Za-z0-9_]+)`)
	seedResult = regexp.MustCompile(`Result(?: \(Aggregated\))?: ([\d,]+) requests, ([\d,]+) failures(?: \((~?[\d.]+%)\))?`)
)

// seedRuns reads the seed report's "Command: ... --csv=NAME" lines and
// the "Result:" line that follows each.
func seedRuns(t *testing.T) []seedRun {
	t.Helper()
	f, err := os.Open(seedPath)
	if err != nil {
		t.Skipf("seed report not available: %v", err)
	}
	defer f.Close()
	var out []seedRun
	cur := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := seedCSV.FindStringSubmatch(sc.Text()); m != nil {
			cur = m[1]
			continue
		}
		if m := seedResult.FindStringSubmatch(sc.Text()); m != nil && cur != "" {
			num := func(s string) int64 { n, _ := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64); return n }
			out = append(out, seedRun{cur, num(m[1]), num(m[2]), m[3]})
			cur = ""
		}
	}
	return out
}

func TestCompareAHSP(t *testing.T) {
	a := ahspAnalysis(t)
	doc := Compare(a.Runs, nil, "")
	if len(doc.Runs) != len(a.Runs) || len(doc.Runs) < 19 {
		t.Fatalf("%d runs compared, analysis has %d", len(doc.Runs), len(a.Runs))
	}
	byName := map[string]CompareRun{}
	for i, r := range doc.Runs {
		byName[r.Name] = r
		if i > 0 && r.Start != nil && doc.Runs[i-1].Start != nil && r.Start.Before(*doc.Runs[i-1].Start) {
			t.Errorf("runs not in time order at %s", r.Name)
		}
	}

	// Every run is printed.
	var text bytes.Buffer
	if err := WriteCompareText(&text, doc); err != nil {
		t.Fatal(err)
	}
	for _, r := range doc.Runs {
		if !strings.Contains(text.String(), shortName(r.Name)+" ") {
			t.Errorf("run %s missing from the text comparison", r.Name)
		}
	}

	// Every run the seed reports: the figures are the CSV's.
	seeds := seedRuns(t)
	if len(seeds) < 10 {
		t.Fatalf("only %d runs read from the seed report", len(seeds))
	}
	for _, s := range seeds {
		r, ok := byName[s.name]
		if !ok {
			t.Errorf("seed run %s not found", s.name)
			continue
		}
		agg := csvAggregated(t, s.name)
		sum := r.Summary
		if sum.Requests != int64(csvFloat(t, agg["Request Count"])) || sum.Failures != int64(csvFloat(t, agg["Failure Count"])) ||
			*sum.MedianMS != csvFloat(t, agg["Median Response Time"]) || *sum.P95MS != csvFloat(t, agg["95%"]) ||
			*sum.P99MS != csvFloat(t, agg["99%"]) || *sum.RPS != csvFloat(t, agg["Requests/s"]) {
			t.Errorf("%s: summary %+v differs from its CSV %v", s.name, sum, agg)
		}
		if s.requests != sum.Requests || s.failures != sum.Failures {
			t.Logf("seed differs from CSV for %s: seed %d/%d, CSV %d/%d (the tool follows the CSV)", s.name, s.failures, s.requests, sum.Failures, sum.Requests)
		}
		if s.pct != "" {
			seedPct, _ := strconv.ParseFloat(strings.Trim(s.pct, "~%"), 64)
			if seedPct != sum.FailurePct {
				t.Logf("seed's failure share differs from the CSV's for %s: seed %s, CSV %d/%d = %.2f %% (the tool follows the CSV)", s.name, s.pct, sum.Failures, sum.Requests, sum.FailurePct)
			}
		}
	}

	// v20 → v21: rekap-kebutuhan validate p95 120 s → 180 ms was the
	// weekly report's "bottleneck resolved". Its responses were the login
	// page (57 requests averaging 12,457 B against 691 B where logins
	// worked): a login-page row, never "improved".
	const v20, v21 = "hasil_test_v20_100u_pool140_no_export", "hasil_test_v21_100u_pool140_no_export"
	found := false
	for _, c := range doc.Changes {
		if c.From == v20 && c.To == v21 && c.Name == "/api/project/[id]/rekap-kebutuhan/validate/" && c.Metric == "p95_ms" {
			found = true
			if *c.Before != 120000 || *c.After != 180 || c.Verdict != LoginPage || c.Hotspot != "" || c.LoginPagePct == nil || *c.LoginPagePct < 90 {
				t.Errorf("validate p95 v20→v21: %+v", c)
			}
		}
	}
	if !found {
		t.Error("no p95 change for /api/project/[id]/rekap-kebutuhan/validate/ between v20 and v21")
	}
	if !strings.Contains(text.String(), "GET /api/project/[id]/rekap-kebutuhan/validate/: p95 120 s → 180 ms, not a change of the endpoint") {
		t.Errorf("text comparison does not show the validate row as the login page's:\n%s", text.String())
	}
	for _, c := range doc.Changes {
		if (c.Verdict == Improved || c.Verdict == Regressed) && c.LoginPagePct != nil && *c.LoginPagePct >= 50 {
			t.Errorf("a login-page row called %s: %+v", c.Verdict, c)
		}
	}
	// Runs are paired within their scenario, not with whatever ran before.
	if r := byName["hasil_test_auth_probe"]; r.ComparedWith != "" {
		t.Errorf("auth_probe (20 users, 1 min) compared with %s", r.ComparedWith)
	}
	if r := byName[v21]; r.ComparedWith != v20 {
		t.Errorf("v21 compared with %q, want %s", r.ComparedWith, v20)
	}

	// v19 pool100 → pool140: login failures 64/100 → 72/100.
	const p100, p140 = "hasil_test_v19_100u_nolimit_pool100", "hasil_test_v19_100u_nolimit_pool140"
	if l := byName[p100].Login; l == nil || l.Failures != 64 || l.Requests != 100 {
		t.Errorf("pool100 login: %+v", l)
	}
	if l := byName[p140].Login; l == nil || l.Failures != 72 || l.Requests != 100 {
		t.Errorf("pool140 login: %+v", l)
	}
	found = false
	for _, c := range doc.Changes {
		if c.From == p100 && c.To == p140 && c.Name == "[AUTH] Login POST" && c.Metric == "failures" {
			found = true
			if *c.Before != 64 || *c.After != 72 || c.Verdict != WithinChance {
				t.Errorf("login failures pool100→pool140: %+v", c)
			}
		}
	}
	if !found {
		t.Error("no login failure change between pool100 and pool140")
	}
	if cp := byName[p140].ChangedParams; len(cp) != 1 || cp[0] != "pool 100 → 140" {
		t.Errorf("pool140 changed params = %v, want [pool 100 → 140]", cp)
	}

	// Nothing within rounding is called a regression.
	for _, c := range doc.Changes {
		if (c.Verdict == Regressed || c.Verdict == Improved) && c.Metric != "failures" && withinRounding(*c.Before, *c.After) {
			t.Errorf("change within rounding called %s: %+v", c.Verdict, c)
		}
	}

	// JSON shape.
	var b bytes.Buffer
	if err := WriteCompareJSON(&b, doc); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Schema string `json:"schema"`
		Runs   []struct {
			Name    string         `json:"name"`
			Start   string         `json:"start"`
			Summary map[string]any `json:"summary"`
			Params  map[string]any `json:"params"`
		} `json:"runs"`
		Changes []map[string]any `json:"changes"`
	}
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Schema != CompareSchema || len(back.Runs) != len(doc.Runs) || len(back.Changes) != len(doc.Changes) {
		t.Errorf("compare JSON: schema %s, %d runs, %d changes", back.Schema, len(back.Runs), len(back.Changes))
	}
	for _, k := range []string{"from", "to", "method", "name", "metric", "before", "after", "verdict"} {
		if _, ok := back.Changes[0][k]; !ok {
			t.Errorf("change lacks %q", k)
		}
	}
	if back.Runs[0].Summary["requests"] == nil || back.Runs[0].Params == nil {
		t.Errorf("run 0: %+v", back.Runs[0])
	}

	// Markdown renders and names every run.
	var md bytes.Buffer
	if err := WriteCompareMarkdown(&md, doc, CompareMarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, r := range doc.Runs {
		if !strings.Contains(md.String(), MarkdownText(shortName(r.Name))) {
			t.Errorf("markdown comparison lacks %s", r.Name)
		}
	}
}

func TestCompareBaseline(t *testing.T) {
	a := ahspAnalysis(t)
	const base = "hasil_test_v20_100u_pool140_no_export"
	doc := Compare(a.Runs, nil, base)
	if doc.Baseline != base {
		t.Fatalf("baseline = %q", doc.Baseline)
	}
	for _, c := range doc.Changes {
		if c.From != base || c.To == base {
			t.Fatalf("change not against the baseline: %+v", c)
		}
	}
	doc = Compare(a.Runs, nil, "nope")
	if doc.Baseline != "" || !strings.Contains(strings.Join(doc.Notes, "\n"), `baseline "nope" is not among the runs; runs are compared with the previous run of the same scenario`) {
		t.Errorf("unknown baseline not reported: %+v", doc.Notes)
	}
}
