// Package humanize writes figures as a person writes them in a report
// (7,064 requests, 0.64 %, p95 2.1 s), the same on every machine: no
// locale. The rules' summaries, the reports and the gates share it so a
// figure reads the same wherever it is printed.
package humanize

import (
	"math"
	"strconv"
	"strings"
)

// Thousands writes an integer with comma separators.
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Millis writes a duration given in milliseconds: "25 ms", "2.1 s", "19 s",
// "2.0 min" — two significant digits, as Locust rounds percentiles.
func Millis(ms float64) string {
	switch {
	case ms < 1000:
		return strconv.FormatFloat(math.Round(ms), 'f', -1, 64) + " ms"
	case ms < 10000:
		return strconv.FormatFloat(ms/1000, 'f', 1, 64) + " s"
	case ms < 600000:
		return strconv.FormatFloat(math.Round(ms/1000), 'f', -1, 64) + " s"
	}
	return strconv.FormatFloat(ms/60000, 'f', 1, 64) + " min"
}

// Pct writes a percentage with two decimals below 10 and one above.
func Pct(p float64) string {
	if p < 10 {
		return strconv.FormatFloat(p, 'f', 2, 64) + " %"
	}
	return strconv.FormatFloat(p, 'f', 1, 64) + " %"
}

// Plural picks the singular or plural noun for n.
func Plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
