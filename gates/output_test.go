package gates

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
	"github.com/logcorr/logcorr/rules"
)

func TestJUnit(t *testing.T) {
	a := ahspAnalysis(t)
	gs, err := ParseAll([]string{"p95<2s", "p99<2s", "failure_pct<1%", "auth_success>99%", "no finding>=critical"})
	if err != nil {
		t.Fatal(err)
	}
	var results []Result
	runs := []*correlate.Run{runNamed(t, a, v18), runNamed(t, a, "hasil_test_v21_100u_pool140_no_export")}
	for _, r := range runs {
		results = append(results, Evaluate(gs, r, nil, nil)...)
	}
	wantFail := 0
	for _, r := range results {
		if !r.Pass {
			wantFail++
		}
	}
	var b bytes.Buffer
	if err := WriteJUnit(&b, results); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Suites   []struct {
			Name     string `xml:"name,attr"`
			Tests    int    `xml:"tests,attr"`
			Failures int    `xml:"failures,attr"`
			Cases    []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Type    string `xml:"type,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("JUnit does not parse back: %v\n%s", err, b.String())
	}
	if doc.Tests != 10 || doc.Failures != wantFail || len(doc.Suites) != 2 {
		t.Fatalf("testsuites tests=%d failures=%d suites=%d, want 10, %d, 2", doc.Tests, doc.Failures, len(doc.Suites), wantFail)
	}
	for i, s := range doc.Suites {
		if s.Name != runs[i].Name || s.Tests != 5 || len(s.Cases) != 5 {
			t.Errorf("suite %d: %s tests=%d cases=%d", i, s.Name, s.Tests, len(s.Cases))
		}
		n := 0
		for _, c := range s.Cases {
			if c.Failure != nil {
				n++
			}
		}
		if n != s.Failures {
			t.Errorf("suite %s: failures attribute %d, %d failure elements", s.Name, s.Failures, n)
		}
	}
	// v18: p95 and p99 and auth_success fail; failure_pct passes.
	v := doc.Suites[0]
	for i, want := range []bool{true, true, false, true, false} {
		if (v.Cases[i].Failure != nil) != want {
			t.Errorf("v18 %s: failure=%v, want %v", v.Cases[i].Name, v.Cases[i].Failure != nil, want)
		}
	}
	if !strings.Contains(v.Cases[0].Failure.Message, "2100 ms") || !strings.Contains(v.Cases[0].Failure.Text, "_stats.csv:") {
		t.Errorf("failure text: %+v", v.Cases[0].Failure)
	}
}

func TestGitHubAnnotations(t *testing.T) {
	g := mustParse(t, "p95<2s")
	results := []Result{
		{Gate: g, Run: "r1", Pass: false, Actual: "2100 ms", Message: "r1: p95 is 2100 ms, breaks the target < 2000 ms\nsecond line 100%", File: "a,b:c.csv", Line: 89},
		{Gate: g, Run: "r2", Pass: true},
	}
	fs := map[string][]rules.Finding{
		"r1": {
			{ID: "pool-exhaustion", Severity: "critical", Title: "Pool exhausted", Summary: "88 of 93\r\nfive", Evidence: []rules.Evidence{{File: "pgbouncer.log", Line: 301}}},
			{ID: "slo-breach", Severity: "medium", Summary: "below the bar", Evidence: []rules.Evidence{{File: "x", Line: 1}}},
			{ID: "no-evidence", Severity: "high", Summary: "no cited line"},
		},
	}
	var b bytes.Buffer
	if err := WriteGitHub(&b, results, []string{"r1", "r2"}, fs, rules.High); err != nil {
		t.Fatal(err)
	}
	want := "::error file=a%2Cb%3Ac.csv,line=89,title=logcorr gate p95<2s::r1: p95 is 2100 ms, breaks the target < 2000 ms%0Asecond line 100%25\n" +
		"::error file=pgbouncer.log,line=301,title=pool-exhaustion (critical)%3A Pool exhausted::r1: 88 of 93%0D%0Afive\n"
	if b.String() != want {
		t.Errorf("annotations:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestExitCode(t *testing.T) {
	pass := Result{Pass: true}
	fail := Result{Pass: false}
	audits := []parsers.Audit{{Lines: 1000, Records: 900, Folded: 95, Unparsed: 5}, {Lines: 10, Records: 10}}
	p, n := Coverage(audits)
	if p != 1005 || n != 1010 {
		t.Fatalf("Coverage = %d/%d, want 1005/1010", p, n)
	}
	cases := []struct {
		results []Result
		parsed  int64
		total   int64
		min     float64
		want    int
	}{
		{[]Result{pass, pass}, p, n, DefaultMinParsed, ExitPass},       // 99.5 % ≥ 99 %
		{[]Result{pass, fail}, p, n, DefaultMinParsed, ExitFailed},     // a gate failed
		{[]Result{pass}, p, n, 99.6, ExitCoverage},                     // 99.5 % < 99.6 %
		{[]Result{fail}, 50, 100, DefaultMinParsed, ExitCoverage},      // coverage wins
		{nil, 0, 0, DefaultMinParsed, ExitPass},                        // nothing read
		{[]Result{{Pass: false, Unknown: true}}, 1, 1, 99, ExitFailed}, // not evaluable fails
	}
	for i, c := range cases {
		if got := ExitCode(c.results, c.parsed, c.total, c.min); got != c.want {
			t.Errorf("case %d: ExitCode = %d, want %d", i, got, c.want)
		}
	}
}
