package report

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

// Non-finite numbers and times outside what RFC 3339 can write (year
// 10000) are written as null, each with a message naming where; the rest
// of the document is unchanged and the output is valid JSON.
func TestJSONNonFiniteAndOutOfRange(t *testing.T) {
	a, fs := poolAnalysis()
	r := a.Runs[0]
	inf, nan := math.Inf(1), math.NaN()
	r.Aggregated.P95 = &inf
	r.Stats[0].P99 = &nan
	r.End = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	r.Incidents = []correlate.Incident{{Start: r.Start, End: r.Start.Add(time.Second), PeakPerS: math.Inf(-1)}}
	for _, c := range []struct {
		name  string
		write func(*bytes.Buffer) error
		want  []string
	}{
		{"analysis", func(b *bytes.Buffer) error { return WriteAnalysisJSON(b, BuildAnalysis(a, fs)) },
			[]string{"runs[0].summary.p95_ms: +Inf", "runs[0].endpoints[0].p99_ms: NaN", "runs[0].end: time 10000-01-01T00:00:00Z has year 10000", "runs[0].incidents[0].peak_per_s: -Inf"}},
		{"timeline", func(b *bytes.Buffer) error { return WriteTimelineJSON(b, BuildTimeline(a)) }, []string{"year 10000"}},
		{"compare", func(b *bytes.Buffer) error { return WriteCompareJSON(b, Compare(a.Runs, fs, "")) }, []string{"p95_ms: +Inf"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := c.write(&b); err != nil {
				t.Fatalf("write: %v", err)
			}
			var doc map[string]any
			if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
				t.Fatalf("not JSON: %v\n%.500s", err, b.String())
			}
			msgs, _ := doc["messages"].([]any)
			all := ""
			for _, m := range msgs {
				all += m.(string) + "\n"
			}
			for _, w := range c.want {
				if !strings.Contains(all, w) {
					t.Errorf("messages lack %q:\n%s", w, all)
				}
			}
			if !strings.Contains(all, "written as null") {
				t.Errorf("messages do not say the value was written as null:\n%s", all)
			}
		})
	}
}

// The fallback encoder writes exactly what encoding/json writes when
// nothing needs replacing: same fields, order, escaping and indentation.
func TestJSONFallbackMatchesEncoder(t *testing.T) {
	pa, pfs := poolAnalysis()
	va, vfs := v18Analysis()
	docs := map[string]any{
		"analysis pool": BuildAnalysis(pa, pfs),
		"analysis v18":  BuildAnalysis(va, vfs),
		"timeline":      BuildTimeline(pa),
		"compare":       Compare(va.Runs, vfs, ""),
		"audit":         auditDoc{Files: normAudits(pa.Sources), Messages: []string{"a <b> & c"}},
		"audits":        []parsers.Audit{{Path: "x", Tables: map[string]int64{"b": 1, "a": 2}}},
	}
	for name, doc := range docs {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := encodeFinite(&got, doc); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s: fallback differs from encoding/json\n got %.600s\nwant %.600s", name, got.String(), want.String())
		}
	}
}

// A document of several runs, its runs encoded concurrently, is the bytes
// one Encoder writes; with a value JSON cannot hold in a later run it is
// what the sequential writer writes (null, and a message naming where).
func TestAnalysisJSONOfManyRunsIsOneEncoders(t *testing.T) {
	pa, pfs := poolAnalysis()
	va, vfs := v18Analysis()
	doc := BuildAnalysis(pa, pfs)
	for range 3 {
		doc.Runs = append(doc.Runs, BuildAnalysis(va, vfs).Runs...)
	}
	var want, got bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		t.Fatal(err)
	}
	if err := WriteAnalysisJSON(&got, doc); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("concurrent runs differ from one Encoder's:\n%s", firstDiff(got.String(), want.String()))
	}

	inf := math.Inf(1)
	doc.Runs[2].Summary.P95MS = &inf
	got.Reset()
	want.Reset()
	if err := WriteAnalysisJSON(&got, doc); err != nil {
		t.Fatal(err)
	}
	if err := writeJSON(&want, doc); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("with +Inf in runs[2], differs from the sequential writer:\n%s", firstDiff(got.String(), want.String()))
	}
	if !strings.Contains(got.String(), "runs[2].summary.p95_ms: +Inf") {
		t.Errorf("no message names runs[2]'s +Inf")
	}
}

// firstDiff shows where two texts part: a few lines of each from there.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, strings.LastIndexByte(a[:i], '\n')+1)
	return "got:  " + a[from:min(len(a), i+200)] + "\nwant: " + b[from:min(len(b), i+200)]
}
