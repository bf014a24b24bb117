package report

import (
	"bytes"
	"encoding/json"
	"io"
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
		{"analysis", func(b *bytes.Buffer) error { return writeAnalysisDoc(b, BuildAnalysis(a, fs)) },
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
		want := stdlibIndented(t, doc)
		var got bytes.Buffer
		if err := encodeFinite(&got, doc); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s: fallback differs from encoding/json\n got %.600s\nwant %.600s", name, got.String(), want.String())
		}
	}
}

// A document of several runs, its runs encoded concurrently a group at a
// time, is the bytes one Encoder writes; with values JSON cannot hold in
// some runs (in several groups, with and without messages of its own) it
// is what the sequential writer writes: null, and messages naming where.
func TestAnalysisJSONOfManyRunsIsOneEncoders(t *testing.T) {
	defer func(g int) { runGroup = g }(runGroup)
	pa, pfs := poolAnalysis()
	va, vfs := v18Analysis()
	build := func() *AnalysisDoc {
		doc := BuildAnalysis(pa, pfs)
		for range 3 {
			doc.Runs = append(doc.Runs, BuildAnalysis(va, vfs).Runs...)
		}
		return doc
	}
	inf, nan := math.Inf(1), math.NaN()
	for _, c := range []struct {
		name  string
		group int
		edit  func(*AnalysisDoc)
		want  []string // messages the document must carry
	}{
		{"finite, one group", 64, func(*AnalysisDoc) {}, nil},
		{"finite, groups of 3", 3, func(*AnalysisDoc) {}, nil},
		{"+Inf in runs[2]", 64, func(d *AnalysisDoc) { d.Runs[2].Summary.P95MS = &inf }, []string{"runs[2].summary.p95_ms: +Inf"}},
		{"NaN and +Inf in two groups, messages of its own", 2, func(d *AnalysisDoc) {
			d.Runs[0].Summary.P95MS = &nan
			d.Runs[3].Summary.P95MS = &inf
			d.Messages = []string{"its own message"}
		}, []string{"its own message", "runs[0].summary.p95_ms: NaN", "runs[3].summary.p95_ms: +Inf"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			runGroup = c.group
			doc := build()
			c.edit(doc)
			var want, got bytes.Buffer
			if err := writeJSON(&want, doc); err != nil {
				t.Fatal(err)
			}
			if c.want == nil {
				// writeJSON is the Encoder's bytes when nothing is replaced.
				if enc := stdlibIndented(t, doc); !bytes.Equal(enc.Bytes(), want.Bytes()) {
					t.Fatalf("writeJSON differs from one Encoder:\n%s", firstDiff(want.String(), enc.String()))
				}
			}
			if err := writeAnalysisDoc(&got, doc); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Fatalf("differs from the sequential writer:\n%s", firstDiff(got.String(), want.String()))
			}
			var parsed struct{ Messages []string }
			if err := json.Unmarshal(got.Bytes(), &parsed); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			all := strings.Join(parsed.Messages, "\n")
			for _, w := range c.want {
				if !strings.Contains(all, w) {
					t.Errorf("messages lack %q:\n%s", w, all)
				}
			}
		})
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

// stdlibIndented is v as encoding/json's own indenting Encoder writes it
// (SetEscapeHTML(false), SetIndent("", "  ")): what the writers must match.
func stdlibIndented(t *testing.T, v any) *bytes.Buffer {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return &b
}

// writeAnalysisDoc writes a document the test built (or changed) whole, as
// WriteAnalysis writes the parts it is built from.
func writeAnalysisDoc(w io.Writer, doc *AnalysisDoc) error {
	shell := *doc
	shell.Runs = []RunDoc{}
	return writeAnalysisRuns(w, &shell, len(doc.Runs), func(i int) *RunDoc { return &doc.Runs[i] },
		func() *AnalysisDoc { return doc })
}
