package rules

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// Consistency between the files of one run: the history's last totals
// against _stats.csv, the HTML report against both, and the run's name
// against its content (a later run with the same --csv prefix overwrites
// some files and not others).
var artifactInconsistent = &Check[artifactInconsistentParams]{
	ID:    "artifact-inconsistent",
	Doc:   "the files of one run disagree on its counts, end or users",
	Needs: []Need{{SrcStats}, {SrcHistory, SrcHTML}},
	Run:   runArtifactInconsistent,
}

func init() { register(artifactInconsistent) }

type artifactInconsistentParams struct {
	MaxGapPct      float64 `yaml:"max_gap_pct"`      // count gap tolerated, % of the stats' requests
	MinGapRequests int64   `yaml:"min_gap_requests"` // ...and in requests
	MaxEndGapS     float64 `yaml:"max_end_gap_s"`    // HTML end_time vs the history's end
	TailSlackS     float64 `yaml:"tail_slack_s"`     // seconds of requests that may finish after the last history row
}

var usersTokenRE = regexp.MustCompile(`(?:^|_)(\d+)u(?:_|$)`)

func runArtifactInconsistent(ctx *Context, p *artifactInconsistentParams) []Finding {
	r := ctx.Run
	var out []Finding
	if f, ok := countsDisagree(r, p); ok {
		out = append(out, f)
	}
	// The HTML end_time is the last request's time: it must lie between
	// the history's last new request and a little after its end.
	if end := r.MetaValue("end_time"); end != "" && len(r.History) > 0 {
		if t, err := time.Parse(time.RFC3339, end); err == nil {
			last := &r.History[len(r.History)-1]
			active := lastActive(r)
			early := active.Time.Sub(t).Seconds()
			late := t.Sub(last.Time).Seconds()
			if early > p.MaxEndGapS || late > p.MaxEndGapS {
				var mev Evidence
				for i := range r.Meta {
					if r.Meta[i].Key == "end_time" {
						mev = MetaEvidence(&r.Meta[i])
					}
				}
				d, where := late, "after the history's last row"
				if early > p.MaxEndGapS {
					d, where = early, "before the history's last new request"
				}
				out = append(out, Finding{
					Confidence: 0.7,
					Summary: fmt.Sprintf("The HTML report's end_time %s (its last request) is %.0f s %s (%s).",
						end, d, where, active.Time.UTC().Format(time.RFC3339)),
					Interpretation: "end_time is the time of the last request the report saw; for the same run it falls between the history's last new request and a few seconds after the history ends. Far outside that, the HTML and the CSVs come from different runs.",
					Recommendation: "Use a unique --csv prefix and --html name per run; compare the files' modification times.",
					Evidence:       []Evidence{mev, noted(HistoryEvidence(active), "last history row with a new request"), noted(HistoryEvidence(last), "last history row")},
				})
			}
		}
	}
	// The name's user count against the history's peak.
	if m := usersTokenRE.FindStringSubmatch(strings.ToLower(r.Name)); m != nil && len(r.History) > 0 {
		want, _ := strconv.ParseInt(m[1], 10, 64)
		got := model.UsersMax(r)
		if got > 0 && got != want {
			var peak = &r.History[0]
			for i := range r.History {
				if r.History[i].Users > peak.Users {
					peak = &r.History[i]
				}
			}
			out = append(out, Finding{
				Confidence:     0.7,
				Summary:        fmt.Sprintf("The run's name says %d users but its history (%s) peaks at %d.", want, peak.File, got),
				Interpretation: "Either the run was started with another -u than its name says, or the file was overwritten by a later run with the same --csv prefix; its figures may not belong to the run the name describes.",
				Recommendation: "Check the command line and file times; use a unique --csv prefix per run.",
				Evidence:       []Evidence{noted(HistoryEvidence(peak), "peak user count")},
				Metrics:        map[string]float64{"name_users": float64(want), "history_users": float64(got)},
			})
		}
	}
	return out
}

// lastActive is the first history row that already holds the run's final
// request count: after it, no request completed.
func lastActive(r *correlate.Run) *parsers.HistoryRow {
	h := r.History
	last := &h[len(h)-1]
	i := len(h) - 1
	for i > 0 && h[i-1].TotalRequests == last.TotalRequests {
		i--
	}
	return &h[i]
}

// countFigure is one file's request and failure totals for the run.
type countFigure struct {
	label      string
	req, fail  int64
	ev         Evidence
	writtenWhy string
}

// countsDisagree compares the totals Locust writes at three moments: the
// history's last row (every second while the test runs), the stats CSV
// (when it stops) and the HTML report (at exit, after the stopping users'
// last requests). In that order each may only grow. Differences in that
// order are said as such, with which figure the report uses; a history
// above the stats, or a gap past the thresholds, means different runs.
func countsDisagree(r *correlate.Run, p *artifactInconsistentParams) (Finding, bool) {
	agg := model.AggregatedRow(r)
	var figs []countFigure
	var hist, csv, html *countFigure
	if len(r.History) > 0 {
		last := &r.History[len(r.History)-1]
		figs = append(figs, countFigure{"the history's last row", last.TotalRequests, last.TotalFailures, noted(HistoryEvidence(last), "last history row"),
			"written every second while the test runs"})
		hist = &figs[len(figs)-1]
	}
	if agg != nil && agg.Source != "html" {
		figs = append(figs, countFigure{"_stats.csv", agg.Requests, agg.Failures, noted(StatEvidence(agg), StatCols(agg, "requests", "failures")), "written when the test stops"})
		csv = &figs[len(figs)-1]
	}
	htmlRow := agg
	if agg == nil || agg.Source != "html" {
		htmlRow = nil
		for i := range r.StatsHTML {
			if model.IsAggregated(&r.StatsHTML[i]) {
				htmlRow = &r.StatsHTML[i]
			}
		}
	}
	if htmlRow != nil {
		figs = append(figs, countFigure{"the HTML report", htmlRow.Requests, htmlRow.Failures, noted(StatEvidence(htmlRow), StatCols(htmlRow, "requests", "failures")),
			"written at exit, after the stopping users' last requests"})
		html = &figs[len(figs)-1]
	}
	if len(figs) < 2 {
		return Finding{}, false
	}
	same := true
	for _, f := range figs[1:] {
		if f.req != figs[0].req || f.fail != figs[0].fail {
			same = false
		}
	}
	if same {
		return Finding{}, false
	}
	// Different runs: an earlier file above a later one, or a gap beyond
	// what the stop adds.
	reversed := false
	for i := 1; i < len(figs); i++ {
		if figs[i].req < figs[i-1].req || figs[i].fail < figs[i-1].fail {
			reversed = true
		}
	}
	big := func(a, b *countFigure, slack float64) bool {
		if a == nil || b == nil {
			return false
		}
		gap := b.req - a.req
		return gap >= p.MinGapRequests && pct(gap, b.req) > p.MaxGapPct && float64(gap) > slack
	}
	slack := 0.0
	if agg != nil && agg.RPS != nil {
		slack = *agg.RPS * p.TailSlackS
	}
	far := big(hist, csv, slack) || big(csv, html, slack) || (csv == nil && big(hist, html, slack))
	uses := "_stats.csv's Aggregated row"
	if csv == nil {
		uses = "the HTML report's Aggregated row"
	}
	var parts []string
	for _, f := range figs {
		parts = append(parts, fmt.Sprintf("%s %s requests / %s failures (%s)", f.label, humanize.Thousands(f.req), humanize.Thousands(f.fail), f.writtenWhy))
	}
	var ev []Evidence
	for _, f := range figs {
		ev = append(ev, f.ev)
	}
	first, lastF := figs[0], figs[len(figs)-1]
	diff := fmt.Sprintf(" (%+d requests, %+d failures from the first to the last)", lastF.req-first.req, lastF.fail-first.fail)
	f := Finding{
		Summary:  fmt.Sprintf("The run's files count it differently: %s%s. The report's figures are %s.", strings.Join(parts, "; "), diff, uses),
		Evidence: ev,
		Metrics:  map[string]float64{},
		Key:      "artifact-inconsistent|counts",
	}
	if hist != nil {
		f.Metrics["history_requests"] = float64(hist.req)
	}
	if csv != nil {
		f.Metrics["stats_requests"] = float64(csv.req)
	}
	if html != nil {
		f.Metrics["html_requests"] = float64(html.req)
		f.Metrics["html_failures"] = float64(html.fail)
	}
	if reversed || far {
		f.Severity, f.Confidence = Medium.String(), 0.8
		f.Role = RoleValidity
		f.Interpretation = "Locust writes the history every second, the stats CSV when the test stops and the HTML report at exit, so each may only add to the one before, and only by what the last seconds bring. A file below an earlier one, or a gap that large, means the files come from different runs (one overwritten by a later run with the same --csv prefix) or one was cut short."
		f.Recommendation = "Check the files' modification times; rerun with a unique --csv prefix and --html name per run."
	} else {
		f.Severity, f.Confidence = Low.String(), 0.9
		if pct(lastF.req-first.req, lastF.req) < 1 && lastF.fail == first.fail {
			f.Severity = Info.String()
		}
		f.Role = RoleContext
		f.Interpretation = "The differences follow the order Locust writes the files in: requests still finishing while users stop are in the later files only. A server-side count is closest to the last figure."
	}
	return f, true
}
