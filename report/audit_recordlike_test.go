package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/logcorr/logcorr/parsers"
)

// TestAuditTableRecordLike: the parse audit quotes the folded lines that
// begin like records of their own, so a partial parse is visible.
func TestAuditTableRecordLike(t *testing.T) {
	a := parsers.Audit{Path: "console.txt", Format: "django", Lines: 20, Records: 2, Folded: 18, RecordLikeFolded: 7,
		RecordLikeExamples: []parsers.Example{{Line: 11, Text: "[2024-02-01 09:30:54,511] d189d6727fd5/ERROR/locust.user.task: x", Why: "begins like a log record but was folded into the record at line 2"}}}
	var b bytes.Buffer
	if err := WriteAuditTable(&b, []parsers.Audit{a}, nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Folded lines that begin like records of their own, not understood", "console.txt:11: [2024-02-01 09:30:54,511]", "console.txt: … and 6 more such line(s)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("audit table lacks %q:\n%s", want, b.String())
		}
	}
}
