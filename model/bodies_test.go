package model

import (
	"testing"

	"github.com/logcorr/logcorr/parsers"
)

func TestMixCount(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		n    int64
		avg  float64
		want int64
		ok   bool
	}{
		{3, 11993.0, 1, true}, // 2×12662 + 1×10655 (real v19 pool140 export row)
		{5, 12260.6, 1, true}, // 4×12662 + 1×10655
		{1, 10655.0, 1, true},
		{2, 11658.5, 1, true},
		{4, 11520.5, 0, false}, // not a mix of these two sizes
		{10, 12662.0, 0, true},
	}
	for _, tc := range tests {
		k, ok := MixCount(&parsers.StatRow{Requests: tc.n, AvgContentSize: f(tc.avg)}, 10655, 12662)
		if ok != tc.ok || (ok && k != tc.want) {
			t.Errorf("MixCount(n=%d, avg=%v) = %d,%v; want %d,%v", tc.n, tc.avg, k, ok, tc.want, tc.ok)
		}
	}
}
