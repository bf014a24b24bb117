package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const ahsp = "../../../shared/corpus/ahsp"
const stackPool = "../../../shared/corpus/stack/pool_exhaustion"

func needDir(t *testing.T, dir string) {
	t.Helper()
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("%s not present (the shared corpus sits beside the checkout): %v", dir, err)
	}
}

func invoke(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var o, e bytes.Buffer
	code := run(append([]string{"logcorr"}, args...), &o, &e)
	return o.String(), e.String(), code
}

// The exit codes CI gates on, on real runs.
func TestAnalyzeExitCodes(t *testing.T) {
	needDir(t, ahsp)
	v18 := "--run=*v18*"
	cases := []struct {
		name string
		args []string
		code int
	}{
		{"critical finding fails by default", []string{"analyze", v18, ahsp}, exitGate},
		{"--fail-on none passes", []string{"analyze", v18, "--fail-on", "none", ahsp}, exitOK},
		{"passing gate", []string{"analyze", v18, "--fail-on", "none", "--slo", "failure_pct<1%", ahsp}, exitOK},
		{"failing gate", []string{"analyze", v18, "--fail-on", "none", "--slo", "p95<2s", ahsp}, exitGate},
		{"windowed gate", []string{"analyze", v18, "--fail-on", "none", "--slo", "p95<2s over any 30s", ahsp}, exitGate},
		{"bad gate is a usage error", []string{"analyze", v18, "--slo", "p95<<2s", ahsp}, exitUsage},
		{"bad format", []string{"analyze", "--format", "yaml", ahsp}, exitUsage},
		{"no such folder", []string{"analyze", filepath.Join(t.TempDir(), "none")}, exitUsage},
		{"coverage below --min-parsed", []string{"analyze", v18, "--fail-on", "none", "--min-parsed", "100.5", ahsp}, exitCoverage},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, stderr, code := invoke(t, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, c.code, stderr)
			}
		})
	}
}

func TestAnalyzeJSONHeadline(t *testing.T) {
	needDir(t, ahsp)
	out, stderr, code := invoke(t, "analyze", "--format", "json", "--fail-on", "none", "--run", "*v18*", ahsp)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Schema string `json:"schema"`
		Runs   []struct {
			Name    string `json:"name"`
			Summary struct {
				Requests   int64   `json:"requests"`
				Failures   int64   `json:"failures"`
				FailurePct float64 `json:"failure_pct"`
				Median     float64 `json:"median_ms"`
				P95        float64 `json:"p95_ms"`
				P99        float64 `json:"p99_ms"`
				RPS        float64 `json:"rps"`
			} `json:"summary"`
			Clock []struct {
				File    string `json:"file"`
				OffsetS int64  `json:"offset_s"`
				Method  string `json:"method"`
			} `json:"clock"`
			Findings []struct {
				ID string `json:"id"`
			} `json:"findings"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != "logcorr.analysis/v1" || len(doc.Runs) != 1 {
		t.Fatalf("schema %q, %d runs", doc.Schema, len(doc.Runs))
	}
	r := doc.Runs[0]
	s := r.Summary
	// The weekly report's own figures: 7,064 requests, 45 failures (0.64%),
	// median 25ms, p95 2.1s, p99 19s, RPS 23.6.
	if s.Requests != 7064 || s.Failures != 45 || s.FailurePct != 0.64 || s.Median != 25 || s.P95 != 2100 || s.P99 != 19000 || s.RPS < 23.6 || s.RPS >= 23.61 {
		t.Errorf("summary %+v", s)
	}
	stamp := false
	for _, c := range r.Clock {
		if c.File == r.Name && c.Method == "file-name-stamp" && c.OffsetS == 8*3600 {
			stamp = true
		}
	}
	if !stamp {
		t.Errorf("no file-name-stamp clock entry at UTC+8 for %s: %+v", r.Name, r.Clock)
	}
	ids := ""
	for _, f := range r.Findings {
		ids += f.ID + " "
	}
	if !strings.Contains(ids, "slo-breach") {
		t.Errorf("findings %q lack slo-breach", ids)
	}
}

func TestJUnitShape(t *testing.T) {
	needDir(t, ahsp)
	junit := filepath.Join(t.TempDir(), "gates.xml")
	_, stderr, code := invoke(t, "analyze", "--fail-on", "none", "--run", "*v1[89]*", "--slo", "p95<2s", "--slo", "failure_pct<1%", "--junit", junit, ahsp)
	if code != exitGate {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		XMLName xml.Name `xml:"testsuites"`
		Tests   int      `xml:"tests,attr"`
		Suites  []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("JUnit XML does not parse: %v", err)
	}
	if len(doc.Suites) != 5 || doc.Tests != 10 { // v18 and the four v19 runs, two gates each
		t.Errorf("%d suites, %d tests; want 5 suites, 10 tests", len(doc.Suites), doc.Tests)
	}
	for _, s := range doc.Suites {
		if len(s.Cases) != 2 {
			t.Errorf("suite %s has %d cases", s.Name, len(s.Cases))
		}
	}
}

func TestAnnotationsGitHub(t *testing.T) {
	needDir(t, stackPool)
	// GitHub reads workflow commands from standard output.
	stdout, stderr, _ := invoke(t, "analyze", "--annotations", "github", "--slo", "p95<2s", stackPool)
	if !strings.Contains(stdout, "\n::error file=") {
		t.Errorf("no ::error annotation on stdout:\n%s", stdout)
	}
	if strings.Contains(stderr, "::error") {
		t.Errorf("annotations on stderr:\n%s", stderr)
	}
	// A JSON report on stdout would be corrupted by them: refused, exit 2.
	_, stderr, code := invoke(t, "analyze", "--format", "json", "--annotations", "github", stackPool)
	if code != exitUsage || !strings.Contains(stderr, "--out") {
		t.Errorf("json + annotations on stdout: exit %d, stderr %q; want exit 2 naming --out", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "a.json")
	stdout, _, _ = invoke(t, "analyze", "--format", "json", "--out", out, "--annotations", "github", "--slo", "p95<2s", stackPool)
	if !strings.HasPrefix(stdout, "::error ") {
		t.Errorf("with --out, stdout should hold only the annotations:\n%.300s", stdout)
	}
}

func TestCompareRunPrefixes(t *testing.T) {
	needDir(t, ahsp)
	out, stderr, code := invoke(t, "compare", "--format", "json",
		filepath.Join(ahsp, "hasil_test_v20_100u_pool140_no_export"), filepath.Join(ahsp, "hasil_test_v21_100u_pool140_no_export"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Schema string `json:"schema"`
		Runs   []struct {
			Name string `json:"name"`
		} `json:"runs"`
		Changes []struct {
			From, To, Method, Name, Metric, Verdict string
			Before, After                           float64
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != "logcorr.compare/v1" || len(doc.Runs) != 2 {
		t.Fatalf("schema %q with %d runs", doc.Schema, len(doc.Runs))
	}
	found := false
	for _, c := range doc.Changes {
		if c.Name == "/api/project/[id]/rekap-kebutuhan/validate/" && c.Metric == "p95_ms" {
			found = true
			// The row's responses were the login page (a JSON API averaging
			// within 5 % of its size): never "improved".
			if c.Verdict != "login-page" || c.Before != 120000 || c.After != 180 {
				t.Errorf("validate p95 change %+v, want login-page 120000 → 180", c)
			}
		}
	}
	if !found {
		t.Error("no p95 change for rekap-kebutuhan/validate between v20 and v21")
	}
	if _, _, code := invoke(t, "compare", "--slo", "p99<2s", filepath.Join(ahsp, "hasil_test_v21_100u_pool140_no_export")); code != exitGate {
		t.Errorf("compare with a failing gate exited %d, want %d", code, exitGate)
	}
}

func TestWeeklyIndonesian(t *testing.T) {
	needDir(t, ahsp)
	out, stderr, code := invoke(t, "report", "weekly", "--lang", "id", ahsp)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, h := range []string{"Ringkasan Minggu Ini", "Tes dan Validasi", "Metrik", "Risiko/Issue", "Rencana Minggu Depan", "7,064"} {
		if !strings.Contains(out, h) {
			t.Errorf("weekly report lacks %q", h)
		}
	}
}
