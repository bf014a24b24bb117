package rules

import (
	"testing"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

// A floor that is a timeout is not a floor: 30 requests that all stopped
// at ~120 s are latency-ceiling's, never "a fixed delay".
func TestFloorIsNotATimeout(t *testing.T) {
	row := parsers.StatRow{Source: "csv", File: "x_stats.csv", Line: 2, Type: "POST", Name: "[AUTH] Login POST", Requests: 30, Failures: 30,
		Median: fp(120000), Min: fp(119800), Max: fp(120600),
		Percentiles: parsers.Percentiles{P50: fp(120000), P66: fp(120000), P75: fp(120000), P80: fp(120000), P90: fp(121000), P95: fp(121000), P98: fp(121000), P99: fp(121000)}}
	run := &correlate.Run{Name: "x", Stats: []parsers.StatRow{row}}
	if fs := runCheck(t, "latency-floor", nil, run); len(fs) != 0 {
		t.Errorf("a 120 s timeout read as a floor: %v", fs)
	}
}
