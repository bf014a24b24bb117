package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

// A summary with no findings must still say what could not be read, so an
// unreadable input is never mistaken for a clean run.
func TestWriteTextSaysWhatWasNotRead(t *testing.T) {
	a := &correlate.Analysis{
		Sources: []parsers.Audit{
			{Path: "run_stats.csv", Format: "locust_csv", Lines: 10, Records: 9, Folded: 1},
			{Path: "mystery.log", Format: "unknown", Lines: 30, Unparsed: 30},
		},
		Orphans:  []string{"old.log"},
		Messages: []string{"mystery.log: format not recognised"},
	}
	var b bytes.Buffer
	if err := WriteText(&b, a, nil, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Input: 2 file(s), 40 lines, 30 unparsed (25.00 % understood)",
		"unknown: mystery.log",
		"outside every run window: old.log",
		"mystery.log: format not recognised",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}
