package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/logcorr/logcorr/parsers"
)

func sampleAudits() []parsers.Audit {
	return []parsers.Audit{
		v18Result().Audit,
		{Path: "logs/django.log", Format: "django", Confidence: 0.97, RunnerUp: "auth_debug", RunnerUpConfidence: 0.41,
			Encoding: "utf-8", Lines: 1204, Records: 1100, Folded: 101, Unparsed: 3, Zone: "UTC?", ZoneReason: "naive local time",
			UnparsedExamples: []parsers.Example{{Line: 17, Text: "\x1b[31mred\x1b[0m \x1b]8;;http://x\x07link\x1b]8;;\x07 done", Why: "no prefix"}},
			Messages:         []string{"logs/django.log:17: line without a timestamp"}},
	}
}

func TestWriteAuditTable(t *testing.T) {
	var b bytes.Buffer
	if err := WriteAuditTable(&b, sampleAudits(), []string{"logs/x: symbolic link not followed"}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"hasil_test_v18_100u_pgbouncer_redis_20260111_114225_stats.csv",
		"locust_stats_csv", "auth_debug (0.41)", "1204", "1100", "total (2 files)", "1293",
		"logs/django.log:17: red link done (no prefix)",
		"logs/x: symbolic link not followed", "line without a timestamp",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("audit table lacks %q:\n%s", want, out)
		}
	}
	if strings.ContainsRune(out, 0x1b) || strings.ContainsRune(out, 0x07) {
		t.Errorf("control characters reached the terminal output: %q", out)
	}
}

func TestWriteAuditJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteAuditJSON(&b, sampleAudits()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Files []map[string]any `json:"files"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Files) != 2 {
		t.Fatalf("%d files, want 2", len(doc.Files))
	}
	for _, k := range []string{"path", "format", "confidence", "runner_up", "lines", "records", "folded", "unparsed", "unparsed_examples", "zone", "zone_reason", "encoding"} {
		if _, ok := doc.Files[1][k]; !ok {
			t.Errorf("file entry lacks %q", k)
		}
	}
	// A file without examples still has a list, not null.
	if ex, ok := doc.Files[0]["unparsed_examples"].([]any); !ok || len(ex) != 0 {
		t.Errorf("unparsed_examples of a clean file = %#v, want []", doc.Files[0]["unparsed_examples"])
	}
	ex := doc.Files[1]["unparsed_examples"].([]any)[0].(map[string]any)
	if ex["line"] != float64(17) {
		t.Errorf("example line = %v", ex["line"])
	}
	if doc.Files[1]["lines"] != float64(1204) || doc.Files[0]["records"] != float64(88) {
		t.Errorf("counts wrong: %v %v", doc.Files[1]["lines"], doc.Files[0]["records"])
	}
}
