package rules

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// Latency ceilings read from Locust's Max and percentile columns. A
// ceiling is a value many requests pile up against — a timeout
// (PgBouncer's query_wait_timeout, 120 s by default; a client or proxy
// timeout of 30/60 s) — so the real latency is unknown above it.
var latencyCeiling = &Check[latencyCeilingParams]{
	ID:    "latency-ceiling",
	Doc:   "response times hit a ceiling (a timeout)",
	Needs: []Need{{SrcStats}},
	Run:   runLatencyCeiling,
}

func init() { register(latencyCeiling) }

type latencyCeilingParams struct {
	MinMS           float64           `yaml:"min_ms"`            // maxima below are no ceiling
	Tolerance       float64           `yaml:"tolerance"`         // maxima within this ratio are one value
	MinNames        int               `yaml:"min_names"`         // request names sharing the ceiling
	KnownTimeoutsMS map[string]string `yaml:"known_timeouts_ms"` // value → what timeout it is
}

func knownTimeouts(known map[string]string) map[float64]string {
	out := map[float64]string{}
	for k, v := range known {
		if f, err := strconv.ParseFloat(k, 64); err == nil {
			out[f] = v
		}
	}
	return out
}

// pileUp returns the value at which a row's upper percentiles pile up
// (at least 4 percentile columns from p50 up equal, the max within tol of
// them), or 0.
func pileUp(s *parsers.StatRow, tol float64) float64 {
	ps := s.Percentiles.Ptrs()
	counts := map[float64]int{}
	for _, p := range ps[:8] { // 50 % … 99 %
		if *p != nil {
			counts[**p]++
		}
	}
	best, n := 0.0, 0
	for v, c := range counts {
		if c > n || (c == n && v > best) {
			best, n = v, c
		}
	}
	if n < 4 || s.Max == nil || best <= 0 || math.Abs(*s.Max-best) > tol*best {
		return 0
	}
	return best
}

func runLatencyCeiling(ctx *Context, p *latencyCeilingParams) []Finding {
	r := ctx.Run
	minMS, tol := p.MinMS, p.Tolerance
	type hit struct {
		s   *parsers.StatRow
		max float64
	}
	var hits []hit
	for _, s := range model.RequestRows(r) {
		if s.Max != nil && *s.Max >= minMS {
			hits = append(hits, hit{s, *s.Max})
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].max < hits[j].max })
	// Widest window [v, v·(1+tol)] of maxima.
	bi, bj := 0, -1
	for i := range hits {
		j := i
		for j+1 < len(hits) && hits[j+1].max <= hits[i].max*(1+tol) {
			j++
		}
		if j-i > bj-bi {
			bi, bj = i, j
		}
	}
	names := bj - bi + 1
	known := knownTimeouts(p.KnownTimeoutsMS)
	// A known timeout at or just above a value: requests cut off there.
	// The closest known timeout wins (then the smaller one), so the name
	// does not depend on map order when two known values are close.
	matchKnown := func(at float64) string {
		best, bestV := "", 0.0
		for v, name := range known {
			if at < v*0.99 || at > v*(1+2*tol) {
				continue
			}
			if d, bd := math.Abs(at-v), math.Abs(at-bestV); best == "" || d < bd || d == bd && v < bestV {
				best, bestV = name, v
			}
		}
		return best
	}
	var piled []*parsers.StatRow
	for _, s := range model.RequestRows(r) {
		if s.Requests >= 10 {
			if v := pileUp(s, tol); v >= minMS && matchKnown(v) != "" {
				piled = append(piled, s)
			}
		}
	}
	minNames := p.MinNames
	var at float64
	var rows []*parsers.StatRow
	if names >= minNames {
		at = hits[bi+(bj-bi)/2].max
		above := len(hits) - 1 - bj
		// A ceiling has (almost) nothing above it; an unknown value needs
		// twice the names to be told from chance.
		if above*4 > names || (matchKnown(at) == "" && names < 2*minNames) {
			names = 0
		}
	}
	switch {
	case names >= minNames:
		for _, h := range hits[bi : bj+1] {
			rows = append(rows, h.s)
		}
	case len(piled) > 0:
		rows = piled
		at = pileUp(piled[0], tol)
	default:
		return nil
	}
	sortRowsByRequests(rows)
	what := matchKnown(at)
	if what == "" {
		what = "an unidentified timeout"
	}
	f := Finding{
		Confidence: 0.75,
		Summary: fmt.Sprintf("%d request name(s) have their slowest responses piled up at about %s s (%s): a ceiling, not the endpoints' own latency.",
			len(rows), fmtNum(math.Round(at/100)/10), what),
		Interpretation: "When many request names share one maximum, or one name's upper percentiles and maximum are the same value, requests are being cut off by a timeout rather than finishing. Their true latency is unknown (at least the ceiling), and percentiles at the ceiling measure the timeout.",
		Recommendation: "Find the timeout (PgBouncer query_wait_timeout, client/proxy timeouts) in the server-side logs and fix what makes requests wait that long; do not read p95/p99 at the ceiling as endpoint speed.",
		Metrics:        map[string]float64{"ceiling_ms": at, "names": float64(len(rows))},
	}
	if len(piled) > 0 {
		f.Confidence = 0.85
	}
	for _, s := range rows {
		f.Evidence = append(f.Evidence, noted(StatEvidence(s), fmt.Sprintf("p95 %s, p99 %s ms", fmtMS(s.P95), fmtMS(s.P99))))
	}
	for _, s := range piled {
		if !containsRow(rows, s) {
			f.Evidence = append(f.Evidence, noted(StatEvidence(s), "percentiles pile up at the max"))
		}
	}
	return []Finding{f}
}
