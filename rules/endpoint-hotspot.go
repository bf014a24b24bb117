package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// endpointHotspot ranks the request rows over the latency target.
var endpointHotspot = &Check[endpointHotspotParams]{
	ID:    "endpoint-hotspot",
	Doc:   "endpoints over the latency target, with their share of response time",
	Needs: []Need{{SrcStats}},
	Run:   runEndpointHotspot,
}

func init() { register(endpointHotspot) }

type endpointHotspotParams struct {
	MinRequests  int64   `yaml:"min_requests"`   // rows with fewer are skipped
	List         int     `yaml:"list"`           // rows named in the summary
	HighFactor   float64 `yaml:"high_factor"`    // p95 ≥ this × target: high
	HighSharePct float64 `yaml:"high_share_pct"` // hotspots' share of response time for high
}

type hotspot struct {
	row   *parsers.StatRow
	share float64 // of the run's total response time, percent
}

// checkHotspot ranks the request rows whose p95 or p99 exceeds the target
// by p95 (then p99), with each one's share of all response time
// (requests × average over the sum of that product).
func runEndpointHotspot(ctx *Context, p *endpointHotspotParams) []Finding {
	run, t := ctx.Run, ctx.Targets
	rows := model.RequestRows(run)
	var total float64
	for _, r := range rows {
		if r.Average != nil {
			total += float64(r.Requests) * *r.Average
		}
	}
	minReq := p.MinRequests
	var hs []hotspot
	for _, r := range rows {
		if r.Requests < minReq {
			continue
		}
		over := r.P95 != nil && t.P95MS > 0 && *r.P95 > t.P95MS || r.P99 != nil && t.P99MS > 0 && *r.P99 > t.P99MS
		if !over {
			continue
		}
		h := hotspot{row: r}
		if r.Average != nil && total > 0 {
			h.share = 100 * float64(r.Requests) * *r.Average / total
		}
		hs = append(hs, h)
	}
	if len(hs) == 0 {
		return nil
	}
	sort.SliceStable(hs, func(i, j int) bool {
		a, b := val(hs[i].row.P95), val(hs[j].row.P95)
		if a != b {
			return a > b
		}
		if a, b := val(hs[i].row.P99), val(hs[j].row.P99); a != b {
			return a > b
		}
		return hs[i].row.Name < hs[j].row.Name
	})
	show := p.List
	var parts []string
	var shareSum float64
	// The finding keeps the first MaxEvidence rows (finish): only those are
	// cited, as a stats CSV of one row per URL holds 200k names.
	ev := citeFirst(hs, func(h hotspot) Evidence { return StatEvidence(h.row) }, MaxEvidence)
	for i, h := range hs {
		shareSum += h.share
		if i >= show {
			continue
		}
		s := fmt.Sprintf("%s %s: p95 %s", h.row.Type, h.row.Name, humanize.Millis(val(h.row.P95)))
		if h.row.P99 != nil {
			s += ", p99 " + humanize.Millis(*h.row.P99)
		}
		s += fmt.Sprintf(", %s requests, %s of all response time", humanize.Thousands(h.row.Requests), sharePct(h.share))
		parts = append(parts, strings.TrimSpace(s))
	}
	more := ""
	if len(hs) > show {
		more = fmt.Sprintf("; and %d more", len(hs)-show)
	}
	top := hs[0]
	m := map[string]float64{
		"hotspots":           float64(len(hs)),
		"top_p95_ms":         val(top.row.P95),
		"top_share_pct":      round3(top.share),
		"hotspots_share_pct": round3(shareSum),
	}
	if top.row.P99 != nil {
		m["top_p99_ms"] = *top.row.P99
	}
	// Severity: medium; high when one endpoint is far beyond the target
	// (p95 at least high_factor × target) or the hotspots take most of the
	// run's time.
	sev := Medium.String()
	if t.P95MS > 0 && val(top.row.P95) >= p.HighFactor*t.P95MS || shareSum >= p.HighSharePct {
		sev = High.String()
	}
	conf := 0.9
	if top.row.Source == "html" {
		conf = 0.85
	}
	return []Finding{{
		Role: RoleSymptom,
		Headline: fmt.Sprintf("%d %s over the p95/p99 target, slowest %s (p95 %s)", len(hs), humanize.Plural(int64(len(hs)), "endpoint", "endpoints"),
			strings.TrimSpace(top.row.Type+" "+top.row.Name), humanize.Millis(val(top.row.P95))),
		Severity:   sev,
		Confidence: conf,
		Summary: fmt.Sprintf("%d %s over the p95/p99 target (%s / %s), slowest first: %s%s. Together they take %s of all response time.",
			len(hs), humanize.Plural(int64(len(hs)), "endpoint is", "endpoints are"), humanize.Millis(t.P95MS), humanize.Millis(t.P99MS), strings.Join(parts, "; "), more, sharePct(shareSum)),
		Interpretation: "These request names hold the tail latency (a symptom); their share of response time says how much the run's " +
			"aggregate figures depend on them. A slow endpoint that holds a database connection while it works also starves the others. " +
			"Rows that answered the login page or stopped at a ceiling measure the redirect or the timeout, not the endpoint: read the findings before this one first.",
		Recommendation: "Profile the slowest endpoints first (queries, rendering, external calls); move long exports to a background job; " +
			"rerun and compare p95/p99 per endpoint.",
		Evidence: ev,
		Metrics:  m,
	}}
}
