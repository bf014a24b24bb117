package model

import "math"

// Locust's response-time rounding (locust/stats.py, StatsEntry.
// _log_response_time): before a response time is counted in the
// response_times histogram it is rounded — below 100 ms to the whole
// millisecond, 100–999 ms to 10 ms, 1,000–9,999 ms to 100 ms, from 10 s on
// to 1,000 ms ("147 becomes 150, 3432 becomes 3400 and 58760 becomes
// 59000"): two significant digits above 100 ms. Medians and percentiles
// (median_from_dict, calculate_response_time_percentile) are read from that
// histogram, so they are rounded values (the median is clamped to the exact
// min/max, which is why a 1- or 2-request row shows an exact median).
// Min, max and average are exact.

// RoundingStep is the histogram step Locust uses for a response time of
// ms milliseconds.
func RoundingStep(ms float64) float64 {
	switch a := math.Abs(ms); {
	case a < 100:
		return 1
	case a < 1000:
		return 10
	case a < 10000:
		return 100
	}
	return 1000
}

// WithinRounding reports whether two response-time figures Locust printed
// (median or percentiles) may come from the same true value: they differ by
// no more than one rounding step of the larger. 120,000 vs 121,000 ms or
// 2,100 vs 2,200 ms is no evidence of a change.
func WithinRounding(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return false
	}
	return math.Abs(a-b) <= RoundingStep(math.Max(math.Abs(a), math.Abs(b)))+1e-9
}
