package rules

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
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
	agg := model.AggregatedRow(r)
	gapPct, gapMin := p.MaxGapPct, p.MinGapRequests
	if agg != nil && len(r.History) > 0 {
		last := &r.History[len(r.History)-1]
		gap := agg.Requests - last.TotalRequests
		// Requests finishing after the last history row (users stopping,
		// the final CSV flush) legitimately make _stats.csv larger: allow
		// what the run's rate produces in tailSlack on top of the share.
		tail := 0.0
		if agg.RPS != nil {
			tail = *agg.RPS * p.TailSlackS
		}
		big := gap >= gapMin && pct(gap, agg.Requests) > gapPct && float64(gap) > tail
		if gap < 0 || big || last.TotalFailures > agg.Failures {
			out = append(out, Finding{
				Confidence: 0.8,
				Summary: fmt.Sprintf("The history's last totals (%s requests, %s failures; %s) disagree with _stats.csv's Aggregated row (%s requests, %s failures; %s).",
					humanize.Thousands(last.TotalRequests), humanize.Thousands(last.TotalFailures), last.File, humanize.Thousands(agg.Requests), humanize.Thousands(agg.Failures), agg.File),
				Interpretation: "The history is written every second and can end slightly below the final stats; a larger gap, or a history above the stats, means the two files come from different runs (one overwritten by a later run with the same --csv prefix) or one was cut short.",
				Recommendation: "Check the files' modification times; rerun with a unique --csv prefix per run.",
				Evidence:       []Evidence{noted(HistoryEvidence(last), "last history row"), StatEvidence(agg)},
				Metrics:        map[string]float64{"history_requests": float64(last.TotalRequests), "stats_requests": float64(agg.Requests)},
			})
		}
	}
	// HTML requests_statistics against the CSV.
	if agg != nil {
		for i := range r.StatsHTML {
			h := &r.StatsHTML[i]
			if !model.IsAggregated(h) {
				continue
			}
			d := h.Requests - agg.Requests
			if d < 0 {
				d = -d
			}
			if d >= gapMin && pct(d, agg.Requests) > gapPct {
				out = append(out, Finding{
					Confidence:     0.8,
					Summary:        fmt.Sprintf("The HTML report counts %s requests (%s), _stats.csv %s (%s).", humanize.Thousands(h.Requests), h.File, humanize.Thousands(agg.Requests), agg.File),
					Interpretation: "Both are written at the end of the same run and differ by a few requests at most; a large difference means they belong to different runs.",
					Recommendation: "Use a unique --csv prefix and --html name per run.",
					Evidence:       []Evidence{StatEvidence(h), StatEvidence(agg)},
				})
			}
		}
	}
	// HTML end_time against the history's end.
	if end := r.MetaValue("end_time"); end != "" && len(r.History) > 0 {
		if t, err := time.Parse(time.RFC3339, end); err == nil {
			last := &r.History[len(r.History)-1]
			if d := math.Abs(t.Sub(last.Time).Seconds()); d > p.MaxEndGapS {
				var mev Evidence
				for i := range r.Meta {
					if r.Meta[i].Key == "end_time" {
						mev = MetaEvidence(&r.Meta[i])
					}
				}
				out = append(out, Finding{
					Confidence:     0.7,
					Summary:        fmt.Sprintf("The HTML report's end_time %s is %.0f s away from the history's last row (%s).", end, d, last.Time.UTC().Format(time.RFC3339)),
					Interpretation: "end_time is the last request's time and lies within seconds of the history's end for the same run; a large gap means the HTML and the CSVs come from different runs.",
					Evidence:       []Evidence{mev, noted(HistoryEvidence(last), "last history row")},
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
