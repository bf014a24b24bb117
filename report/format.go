package report

import (
	"strconv"
	"time"

	"github.com/logcorr/logcorr/humanize"
)

// Figures as a person writes them in a report (7,064; 0.64 %; 2.1 s),
// the same on every machine: no locale, times always UTC.

// millisP is millis for a nullable value: "N/A" for Locust's N/A.
func millisP(p *float64) string {
	if p == nil {
		return "N/A"
	}
	return humanize.Millis(*p)
}

// rawMS writes a Locust millisecond value as Locust wrote it, shortest
// form: 2100, 23.6, 0.5.
func rawMS(p *float64) string {
	if p == nil {
		return "N/A"
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

// pct writes a percentage: two decimals.
func pct(p float64) string { return strconv.FormatFloat(p, 'f', 2, 64) + " %" }

// rps writes requests per second with one decimal.
func rpsText(p *float64) string {
	if p == nil {
		return "N/A"
	}
	return strconv.FormatFloat(*p, 'f', 1, 64)
}

func conf(c float64) string { return strconv.FormatFloat(c, 'f', 2, 64) }

// utc writes a time as "2026-01-11 03:42:27 UTC"; "unknown" for zero.
func utc(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04:05") + " UTC"
}

// offsetText writes a UTC offset in seconds as "+07:00".
func offsetText(s int64) string {
	sign := "+"
	if s < 0 {
		sign, s = "-", -s
	}
	return sign + twoDigits(s/3600) + ":" + twoDigits(s%3600/60)
}

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// duration writes a run length: "5m 0s", "59s".
func duration(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	}
	m := int64(d / time.Minute)
	s := int64(d%time.Minute) / int64(time.Second)
	return strconv.FormatInt(m, 10) + "m " + strconv.FormatInt(s, 10) + "s"
}
