package rules

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/model/schema"
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

// ceiling is the run's latency ceiling, when there is one: the value
// responses pile up against, the rows that reach it, and the known
// timeout it matches. Computed once per run (latency-ceiling reports it;
// server-errors-unexplained and latency-floor read it) with
// latency-ceiling's parameters.
type ceiling struct {
	At    float64 // ms
	Known string  // the known timeout it matches, "" when none
	Rows  []*parsers.StatRow
	Piled []*parsers.StatRow // rows whose upper percentiles sit at the max
}

// has reports whether row s reaches the ceiling.
func (c *ceiling) has(s *parsers.StatRow) bool {
	return c != nil && (containsRow(c.Rows, s) || containsRow(c.Piled, s))
}

// widestWindow is the first widest run maxima[bi..bj] (bj = bi-1: none)
// within [v, v·(1+tol)] of its first value v, for maxima sorted and
// positive. A window's end never moves back as its start moves on, so it
// is one pass, not one per start (a stats CSV of one row per URL holds
// 200k names).
func widestWindow(maxima []float64, tol float64) (bi, bj int) {
	bi, bj = 0, -1
	j := -1
	for i := range maxima {
		j = max(j, i)
		for j+1 < len(maxima) && maxima[j+1] <= maxima[i]*(1+tol) {
			j++
		}
		if j-i > bj-bi {
			bi, bj = i, j
		}
	}
	return bi, bj
}

// ceilingOf finds the run's ceiling (nil when none) with the rule's
// parameters.
func ceilingOf(r *correlate.Run, p *latencyCeilingParams) *ceiling {
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
	maxima := make([]float64, len(hits))
	for i, h := range hits {
		maxima[i] = h.max
	}
	bi, bj := widestWindow(maxima, tol)
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
	c := &ceiling{}
	if names >= minNames {
		c.At = hits[bi+(bj-bi)/2].max
		above := len(hits) - 1 - bj
		// A ceiling has (almost) nothing above it; an unknown value needs
		// twice the names to be told from chance.
		if above*4 > names || (matchKnown(c.At) == "" && names < 2*minNames) {
			names = 0
		}
	}
	switch {
	case names >= minNames:
		for _, h := range hits[bi : bj+1] {
			c.Rows = append(c.Rows, h.s)
		}
	case len(piled) > 0:
		c.Rows = piled
		c.At = pileUp(piled[0], tol)
	default:
		return nil
	}
	for _, s := range piled {
		if !containsRow(c.Rows, s) {
			c.Piled = append(c.Piled, s)
		}
	}
	sortRowsByRequests(c.Rows)
	c.Known = matchKnown(c.At)
	return c
}

// runCeiling is the run's ceiling, computed once with latency-ceiling's
// parameters (those of the set being evaluated, else the built-in ones).
func (ctx *Context) runCeiling() *ceiling {
	o := ctx.facts()
	o.ceilingDone.Do(func() {
		if p := ctx.paramsOf(latencyCeiling.ID); p != nil {
			o.ceiling = ceilingOf(ctx.Run, p.(*latencyCeilingParams))
		}
	})
	return o.ceiling
}

func runLatencyCeiling(ctx *Context, p *latencyCeilingParams) []Finding {
	r := ctx.Run
	c := ceilingOf(r, p)
	if c == nil {
		return nil
	}
	// One phenomenon, one finding: when PgBouncer's or the driver's own
	// lines name the pool timeout, pgbouncer-pool-exhausted tells this
	// story (and cites these rows).
	if pool := gatherPool(ctx); pool.Found() {
		// PgBouncer's configured timeout (its default, as the pool rule
		// has it, when no age= says otherwise).
		var timeout float64
		if pp, ok := ctx.paramsOf(pgbouncerPoolExhausted.ID).(*pgbouncerPoolExhaustedParams); ok {
			timeout = pp.CeilingMS
		}
		if len(pool.Ages) > 0 {
			lo, _ := minMax(pool.Ages)
			timeout = float64(lo) * 1000
		}
		if math.Abs(c.At-timeout) <= 2*p.Tolerance*timeout+1000 {
			return nil
		}
	}
	at := c.At
	rows := append(append([]*parsers.StatRow(nil), c.Rows...), c.Piled...)
	// The 5xx Locust recorded on the rows at the ceiling are the same
	// story: the timeout's answer.
	onRow := map[string]bool{}
	for _, s := range rows {
		onRow[s.Name] = true
	}
	fails5xx, _ := csv5xx(r)
	var n5xx, all5xx int64
	var evFail []Evidence
	for _, fr := range fails5xx {
		all5xx += fr.Occurrences
		if onRow[fr.Name] {
			n5xx += fr.Occurrences
			evFail = append(evFail, FailureEvidence(fr))
		}
	}
	var login *parsers.StatRow
	for _, s := range rows {
		if model.IsLoginName(s.Name) && strings.EqualFold(s.Type, "POST") {
			login = s
		}
	}
	secs := fmtNum(math.Round(at / 1000))
	var sum strings.Builder
	switch {
	case login != nil:
		fmt.Fprintf(&sum, "Login POSTs stop at ~%s s", secs)
		if login.Failures > 0 {
			fmt.Fprintf(&sum, " and %s of %s failed", humanize.Thousands(login.Failures), humanize.Thousands(login.Requests))
		}
		fmt.Fprintf(&sum, ", with %d other request %s whose slowest responses pile up at the same value", len(rows)-1, humanize.Plural(int64(len(rows)-1), "name", "names"))
	default:
		fmt.Fprintf(&sum, "%d request %s have their slowest responses piled up at ~%s s", len(rows), humanize.Plural(int64(len(rows)), "name", "names"), secs)
	}
	if c.Known != "" {
		fmt.Fprintf(&sum, ", matching %s", c.Known)
	} else {
		sum.WriteString(", a timeout of unknown origin")
	}
	fmt.Fprintf(&sum, ": a ceiling, not the endpoints' own latency")
	if n5xx > 0 {
		fmt.Fprintf(&sum, ". %s of the run's %s 5xx failures are on these rows", humanize.Thousands(n5xx), humanize.Thousands(all5xx))
	}
	sum.WriteString(".")

	// Which log would confirm it, and what the logs given rule out.
	var missing, ruledOut []string
	conf := 0.75
	if len(c.Piled) > 0 || c.Known != "" && len(c.Rows) >= p.MinNames {
		conf = 0.85
	}
	pgKnown := strings.Contains(strings.ToLower(c.Known), "pgbouncer")
	switch {
	case hasSource(ctx, schema.SourcePgBouncer) && pgKnown:
		ruledOut = append(ruledOut, "PgBouncer's query_wait_timeout: its log for this window has no such error")
		sum.WriteString(" PgBouncer's log for this window has no query_wait_timeout, so the limit is another one (a proxy, the client, the app).")
	case pgKnown:
		missing = append(missing, missingFrom(ctx, "PgBouncer's log (`pooler error: query_wait_timeout`) or a Django/runserver traceback naming query_wait_timeout: either would confirm the ceiling is PgBouncer's queue timeout",
			SrcPgBouncer, SrcDjango, SrcRunserver))
	default:
		missing = append(missing, missingFrom(ctx, "the server-side logs (PgBouncer, runserver, a proxy) to find which timeout this is", SrcPgBouncer, SrcDjango, SrcRunserver))
	}
	if pgKnown && !hasServerLogs(ctx) {
		ruledOut = append(ruledOut, missingFrom(ctx, "a proven pool exhaustion: without PgBouncer's or Django's log it is a ceiling that matches the pool's timeout, nothing more",
			SrcPgBouncer, SrcDjango, SrcRunserver))
	}

	f := Finding{
		Role:       RoleCause,
		Confidence: conf,
		Summary:    sum.String(),
		Headline:   headlineCeiling(login, secs, c.Known),
		Impact: fmt.Sprintf("latencies at the ceiling measure the timeout: p95/p99 of these %d request names are ≥ ~%s s whatever the endpoints do",
			len(rows), secs),
		RuledOut: ruledOut,
		Interpretation: "When many request names share one maximum, or one name's upper percentiles and maximum are the same value, requests are cut off by a timeout " +
			"rather than finishing: their true latency is unknown (at least the ceiling), and the failures there are the timeout's answer. A ceiling at " +
			"PgBouncer's default query_wait_timeout (120 s) is what a pool too small for the load looks like from the load generator; another 120 s limit " +
			"(a proxy, a client timeout) would look the same, hence the logs named as missing.",
		Recommendation: "Capture PgBouncer's log and Django's error log (or runserver's stderr) for the run; if they show query_wait_timeout, size default_pool_size " +
			"for the load and shorten the transactions holding connections; otherwise find the limit at this value. Do not read p95/p99 at the ceiling as endpoint speed.",
		Missing: missing,
		Metrics: map[string]float64{"ceiling_ms": at, "names": float64(len(rows)), "locust_5xx_on_ceiling": float64(n5xx), "locust_5xx": float64(all5xx)},
		Key:     fmt.Sprintf("latency-ceiling|%s", secs),
	}
	// Severity by what it touched: the logins of most users, or a share
	// of all requests.
	total := aggRequests(r)
	switch {
	case login != nil && login.Failures*10 >= login.Requests, n5xx*100 >= total && total > 0:
		f.Severity = High.String()
	case n5xx*1000 < total:
		f.Severity = Low.String()
	default:
		f.Severity = Medium.String()
	}
	if login != nil {
		f.Evidence = append(f.Evidence, noted(StatEvidence(login), StatCols(login, "requests", "failures", "median", "p95", "max")))
	}
	for _, s := range c.Rows {
		if s != login {
			f.Evidence = append(f.Evidence, noted(StatEvidence(s), StatCols(s, "requests", "failures", "p95", "p99", "max")))
		}
	}
	for _, s := range c.Piled {
		if s != login {
			f.Evidence = append(f.Evidence, noted(StatEvidence(s), "percentiles pile up at the max: "+StatCols(s, "p95", "p99", "max")))
		}
	}
	f.Evidence = append(f.Evidence, evFail...)
	return []Finding{f}
}

func headlineCeiling(login *parsers.StatRow, secs, known string) string {
	s := "Responses stop at ~" + secs + " s"
	if login != nil {
		s = "Login POSTs stop at ~" + secs + " s"
		if login.Failures > 0 {
			s += fmt.Sprintf(" (%s of %s failed)", humanize.Thousands(login.Failures), humanize.Thousands(login.Requests))
		}
	}
	if known != "" {
		return s + ", matching " + known
	}
	return s + ": a timeout of unknown origin"
}
