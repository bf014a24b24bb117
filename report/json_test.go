package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

func TestAnalysisJSON(t *testing.T) {
	a, fs := v18Analysis()
	doc := BuildAnalysis(a, fs)
	var b bytes.Buffer
	if err := writeAnalysisDoc(&b, doc); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	// Locust's values print as Go's shortest round-trip form of the CSV's
	// float: no rounding, no trailing zeros.
	for _, want := range []string{`"schema": "logcorr.analysis/v1"`, `"rps": 23.609392531165046`, `"failure_pct": 0.64`,
		`"p95_ms": 2100,`, `"p99_ms": 19000,`, `"median_ms": 25,`, `"requests": 7064,`, `"users_max": 100,`,
		`"start": "2026-01-11T03:42:27Z"`, `"offset_s": 28800`, `"method": "file-name-stamp"`,
		// Log text is not HTML-escaped.
		`"text": "POST,[AUTH] Login POST,HTTPError('500 Server Error: Internal Server Error for url: [AUTH] Login POST'),45"`} {
		if !strings.Contains(out, want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	var back struct {
		Schema string `json:"schema"`
		Runs   []struct {
			Name      string         `json:"name"`
			Summary   map[string]any `json:"summary"`
			Endpoints []struct {
				Method, Name string
				Requests     int64
				Failures     int64
				P95          *float64 `json:"p95_ms"`
			} `json:"endpoints"`
			Findings []struct {
				ID       string `json:"id"`
				Severity string `json:"severity"`
				Evidence []struct {
					File string `json:"file"`
					Line int64  `json:"line"`
				} `json:"evidence"`
			} `json:"findings"`
			MissingEvidence []string `json:"missing_evidence"`
			Params          struct {
				Version string `json:"version"`
				Users   int64  `json:"users"`
			} `json:"params"`
		} `json:"runs"`
		Sources []map[string]any `json:"sources"`
	}
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Runs) != 1 || len(back.Sources) != 5 {
		t.Fatalf("%d runs, %d sources", len(back.Runs), len(back.Sources))
	}
	r := back.Runs[0]
	if len(r.Endpoints) != 1 || r.Endpoints[0].Name != "[AUTH] Login POST" || r.Endpoints[0].Failures != 45 || *r.Endpoints[0].P95 != 51000 {
		t.Errorf("endpoints = %+v (Aggregated must not be one)", r.Endpoints)
	}
	if r.Findings[0].ID != "login-server-errors" || r.Findings[1].ID != "slo-breach" {
		t.Errorf("findings not in severity order: %+v", r.Findings)
	}
	if r.Findings[0].Evidence[0].Line != 2 {
		t.Errorf("evidence line = %d", r.Findings[0].Evidence[0].Line)
	}
	if r.Params.Version != "v18" || r.Params.Users != 100 {
		t.Errorf("params = %+v", r.Params)
	}
	if len(r.MissingEvidence) == 0 {
		t.Error("missing_evidence empty for a run without logs")
	}
	if r.Findings[2].Evidence == nil {
		t.Error("a finding without evidence must have evidence: [], not null")
	}
}

func TestFailurePct(t *testing.T) {
	cases := []struct {
		f, r int64
		want float64
	}{{45, 7064, 0.64}, {221, 3838, 5.76}, {126, 4252, 2.96}, {429, 3385, 12.67}, {0, 0, 0}, {82, 200, 41}}
	for _, c := range cases {
		if got := FailurePct(c.f, c.r); got != c.want {
			t.Errorf("FailurePct(%d, %d) = %v, want %v", c.f, c.r, got, c.want)
		}
	}
}

// The total row correlate chose as Aggregated is never an endpoint, even
// when Locust wrote a method for it (correlate's fallback), so it cannot
// show up as a hotspot or an endpoint change.
func TestEndpointsOfLeavesOutAggregated(t *testing.T) {
	for _, typ := range []string{"", "None"} {
		r := &correlate.Run{Name: "r", Stats: []parsers.StatRow{
			{Type: "GET", Name: "/a", Requests: 3},
			{Type: typ, Name: "Aggregated", Requests: 3},
		}}
		r.Aggregated = &r.Stats[1]
		es := EndpointsOf(r)
		if len(es) != 1 || es[0].Name != "/a" {
			t.Errorf("type %q: endpoints %+v, want only /a", typ, es)
		}
	}
}
