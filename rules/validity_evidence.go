package rules

import (
	"math"
	"strconv"
	"strings"

	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// Evidence for test-validity findings is cited with evidence.go's helpers
// (the row as Locust wrote it), with a note on why the line matters.

func fmtMS(p *float64) string {
	if p == nil {
		return "N/A"
	}
	return fmtNum(*p)
}

func fmtNum(f float64) string {
	if math.IsNaN(f) {
		return "N/A"
	}
	if isWhole(f) {
		return strconv.FormatInt(int64(math.Round(f)), 10)
	}
	return strconv.FormatFloat(f, 'f', 1, 64)
}

func pct(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) * 100 / float64(b)
}

func rowLabel(s *parsers.StatRow) string {
	if model.IsAggregated(s) {
		return "Aggregated"
	}
	return strings.TrimSpace(s.Type + " " + s.Name)
}

// noted appends why a validity finding cites a line to the line's text.
func noted(ev Evidence, note string) Evidence {
	if note != "" {
		ev.Text += " — " + note
	}
	return ev
}
