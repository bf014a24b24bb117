package gates

import (
	"testing"

	"github.com/logcorr/logcorr/parsers"
)

// TestCoverageCountsFoldedRecordsAsNotUnderstood: lines a parser folded
// although they begin like records of their own are not understood, so a
// misparse cannot pass --min-parsed.
func TestCoverageCountsFoldedRecordsAsNotUnderstood(t *testing.T) {
	audits := []parsers.Audit{
		{Lines: 200, Records: 1, Folded: 198, Unparsed: 1, RecordLikeFolded: 19},
		{Lines: 100, Records: 100},
	}
	parsed, total := Coverage(audits)
	if parsed != 280 || total != 300 {
		t.Fatalf("coverage %d/%d, want 280/300", parsed, total)
	}
	if CoverageOK(parsed, total, 99) || !CoverageOK(parsed, total, 93) {
		t.Errorf("CoverageOK at 99%% / 93%% wrong for %d/%d", parsed, total)
	}
}
