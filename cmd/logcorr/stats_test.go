package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// analyze --stats: the perf block is in the JSON only with the flag (so
// the same input gives the same bytes without it), it follows the schema,
// and it accounts for the input the audit read.
func TestStatsPerfBlock(t *testing.T) {
	plain, _, _ := invoke(t, "analyze", "--format", "json", "--fail-on", "none", poolSample)
	if strings.Contains(plain, `"perf"`) {
		t.Error("the JSON has a perf block without --stats")
	}
	out, stderr, code := invoke(t, "analyze", "--format", "json", "--fail-on", "none", "--stats", poolSample)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	checkAgainst(t, "analysis.v1.schema.json", out)
	var doc struct {
		Sources []struct {
			Path    string `json:"path"`
			Lines   int64  `json:"lines"`
			Records int64  `json:"records"`
		} `json:"sources"`
		Perf struct {
			Input struct {
				Files        int
				Bytes, Lines int64
				Records      int64
			} `json:"input"`
			Stages []struct {
				Name       string  `json:"name"`
				WallMS     float64 `json:"wall_ms"`
				AllocBytes int64   `json:"alloc_bytes"`
			} `json:"stages"`
			Formats []struct {
				Format string `json:"format"`
				Bytes  int64  `json:"bytes"`
			} `json:"formats"`
			PeakRSS int64 `json:"peak_rss_bytes"`
		} `json:"perf"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range doc.Perf.Stages {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, ","); got != "discover,parse,correlate,rules" {
		t.Errorf("JSON stages %s, want discover,parse,correlate,rules (report writes the document)", got)
	}
	var size, lines, records, formatBytes int64
	for _, s := range doc.Sources {
		st, err := os.Stat(filepath.Join(poolSample, s.Path))
		if err != nil {
			t.Fatal(err)
		}
		size += st.Size()
		lines += s.Lines
		records += s.Records
	}
	for _, f := range doc.Perf.Formats {
		formatBytes += f.Bytes
	}
	in := doc.Perf.Input
	if in.Files != len(doc.Sources) || in.Bytes != size || in.Lines != lines || in.Records != records || formatBytes != size {
		t.Errorf("perf input %+v (formats %d bytes), want %d files, %d bytes, %d lines, %d records as the audit says", in, formatBytes, len(doc.Sources), size, lines, records)
	}
	if doc.Perf.PeakRSS <= 0 {
		t.Error("no peak RSS")
	}
	for _, want := range []string{"stage", "discover", "parse", "correlate", "rules", "report", "peak RSS", "locust_csv"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("--stats table on stderr lacks %q:\n%s", want, stderr)
		}
	}
}
