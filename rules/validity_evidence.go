package rules

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

// Evidence for test-validity findings: a Locust CSV row cited by file and
// physical line with its figures restated, or an HTML report field (line 0)
// named in the text.

// maxValidityEvidence bounds the lines one validity finding cites; its
// Summary gives the full counts.
const maxValidityEvidence = 8

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

// fmtCount prints an integer with thousands separators (7,064).
func fmtCount(n int64) string {
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

func pct(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) * 100 / float64(b)
}

func rowLabel(s *parsers.StatRow) string {
	if isAggregated(s) {
		return "Aggregated"
	}
	return strings.TrimSpace(s.Type + " " + s.Name)
}

// statEv cites a stats row with its headline figures and a note.
func statEv(s *parsers.StatRow, note string) Evidence {
	text := fmt.Sprintf("%s: %d requests, %d failures, median %s ms, avg %s ms, min %s ms, max %s ms, avg size %s B",
		rowLabel(s), s.Requests, s.Failures, fmtMS(s.Median), fmtMS(s.Average), fmtMS(s.Min), fmtMS(s.Max), fmtMS(s.AvgContentSize))
	if s.Source == "html" {
		text = "HTML requests_statistics: " + text
	}
	if note != "" {
		text += " — " + note
	}
	return Evidence{File: s.File, Line: s.Line, Text: text}
}

func failureEv(f *parsers.FailureRow) Evidence {
	text := fmt.Sprintf("%s %s: %s × %d", f.Method, f.Name, f.Error, f.Occurrences)
	if f.Source == "html" {
		text = "HTML failures_statistics: " + text
	}
	return Evidence{File: f.File, Line: f.Line, Text: text}
}

func exceptionEv(e *parsers.ExceptionRow) Evidence {
	msg := e.Message
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	text := fmt.Sprintf("%d × %s", e.Count, msg)
	if e.Source == "html" {
		text = "HTML exceptions_statistics: " + text
	}
	return Evidence{File: e.File, Line: e.Line, Text: text}
}

func historyEv(h *parsers.HistoryRow, note string) Evidence {
	t := h.Time.UTC()
	text := fmt.Sprintf("%s: %d users, %d requests, %d failures so far", t.Format(time.RFC3339), h.Users, h.TotalRequests, h.TotalFailures)
	if h.Source == "html" {
		text = "HTML history: " + text
	}
	if note != "" {
		text += " — " + note
	}
	return Evidence{File: h.File, Line: h.Line, Time: &t, Text: text}
}

func metaEv(m *parsers.MetaRow) Evidence {
	return Evidence{File: m.File, Line: m.Line, Text: fmt.Sprintf("%s = %s", m.Key, m.Value)}
}

func eventEv(e *correlate.Event) Evidence {
	ev := Evidence{File: e.File, Line: e.Line, Text: e.Message}
	if !e.Time.IsZero() {
		t := e.Time.UTC()
		ev.Time = &t
	}
	return ev
}

// capEvidence keeps at most maxValidityEvidence entries.
func capEvidence(ev []Evidence) []Evidence {
	if len(ev) > maxValidityEvidence {
		return ev[:maxValidityEvidence]
	}
	return ev
}
