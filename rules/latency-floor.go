package rules

import (
	"fmt"
	"math"

	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// A floor is a minimum no request goes below — a sleep, a lock wait, a
// connect delay (Windows resolving "localhost" to ::1 first and retrying
// IPv4 after about 2 s) — which is not the endpoint's work.
var latencyFloor = &Check[latencyFloorParams]{
	ID:    "latency-floor",
	Doc:   "response times never go below a fixed floor",
	Needs: []Need{{SrcStats}},
	Run:   runLatencyFloor,
}

func init() { register(latencyFloor) }

type latencyFloorParams struct {
	MinMS       float64 `yaml:"min_ms"`       // a floor is at least this
	TightRatio  float64 `yaml:"tight_ratio"`  // min ≥ this × median
	MinRequests int64   `yaml:"min_requests"` // requests a row needs
	// FewRequests is enough requests when the spread is tight: the
	// maximum within TightSpread of the minimum.
	FewRequests int64   `yaml:"few_requests"`
	TightSpread float64 `yaml:"tight_spread"`
}

func runLatencyFloor(ctx *Context, p *latencyFloorParams) []Finding {
	r := ctx.Run
	minMS, tight, minReq := p.MinMS, p.TightRatio, p.MinRequests
	ceil := ctx.runCeiling()
	var known map[float64]string
	if cp, ok := ctx.paramsOf(latencyCeiling.ID).(*latencyCeilingParams); ok {
		known = knownTimeouts(cp.KnownTimeoutsMS)
	}
	var rows []*parsers.StatRow
	for _, s := range model.RequestRows(r) {
		if s.Min == nil || s.Median == nil || *s.Min < minMS {
			continue
		}
		// Ten requests are enough when they all sit within a tight band.
		tightBand := s.Max != nil && *s.Max <= (1+p.TightSpread)**s.Min
		if s.Requests < minReq && !(s.Requests >= p.FewRequests && tightBand) {
			continue
		}
		// A floor that is a timeout is not a floor: every request was cut
		// off there (latency-ceiling's story).
		if ceil.has(s) || atKnownTimeout(*s.Min, known) {
			continue
		}
		// The whole distribution sits just above its minimum.
		if *s.Min >= tight**s.Median {
			rows = append(rows, s)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	sortRowsByRequests(rows)
	f := Finding{
		Confidence:     0.6,
		Summary:        fmt.Sprintf("%d request name(s) never answered faster than a fixed floor: %s.", len(rows), floorList(rows)),
		Interpretation: "A minimum of a second or more that the median barely exceeds is a fixed delay added to every request — a sleep, a lock or queue wait, or a connection delay (on Windows, \"localhost\" resolves to ::1 first and the client retries IPv4 after about 2 s; it hits every new connection, such as each user's first request) — not the endpoint's processing time.",
		Recommendation: "Find the fixed delay (use 127.0.0.1 instead of localhost as --host; check for sleeps or lock waits) before reading these latencies as the endpoint's.",
		Metrics:        map[string]float64{"names": float64(len(rows)), "floor_ms": *rows[0].Min},
	}
	for _, s := range rows {
		f.Evidence = append(f.Evidence, noted(StatEvidence(s), fmt.Sprintf("min is %.0f%% of the median", *s.Min*100 / *s.Median)))
	}
	return []Finding{f}
}

func floorList(rows []*parsers.StatRow) string {
	s := ""
	for i, r := range rows {
		if i == 3 {
			s += ", …"
			break
		}
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s ≥ %s ms (median %s)", rowLabel(r), fmtNum(math.Floor(*r.Min)), fmtMS(r.Median))
	}
	return s
}

// atKnownTimeout reports whether ms lies at (or just above) a known
// timeout.
func atKnownTimeout(ms float64, known map[float64]string) bool {
	for v := range known {
		if ms >= 0.97*v && ms <= 1.1*v {
			return true
		}
	}
	return false
}
