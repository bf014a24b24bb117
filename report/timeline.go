package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/logcorr/logcorr/correlate"
)

// TimelineSchema names the `logcorr timeline --format json` document.
const TimelineSchema = "logcorr.timeline/v1"

// TimelineDoc is what `logcorr timeline` prints: per run, the clock
// decisions, link statistics, incidents, top clusters and the joined
// per-bucket series.
type TimelineDoc struct {
	Schema   string            `json:"schema"`
	Clocks   []correlate.Clock `json:"clocks"`
	Runs     []TimelineRun     `json:"runs"`
	Messages []string          `json:"messages"`
	Orphans  []string          `json:"orphans"`
	// Warnings say what of the input was not read as written
	// (InputWarnings); absent when nothing.
	Warnings []string `json:"warnings,omitempty"`
}

// TimelineRun is one run of the timeline document.
type TimelineRun struct {
	Name         string            `json:"name"`
	Start        *time.Time        `json:"start"`
	End          *time.Time        `json:"end"`
	UsersMax     *int64            `json:"users_max"` // null when no user count was written
	WindowSource string            `json:"window_source"`
	Logs         []string          `json:"logs"`
	Clock        []correlate.Clock `json:"clock"`
	LinkStats    LinkStatsDoc      `json:"link_stats"`
	// LinkedPct is the share of 5xx request lines linked to a cause
	// (a traceback or a PgBouncer error); null when there were none.
	LinkedPct *float64      `json:"linked_pct"`
	Incidents []IncidentDoc `json:"incidents"`
	Clusters  []ClusterDoc  `json:"clusters"`
	Buckets   []BucketDoc   `json:"buckets"`
}

// BucketDoc is one step of a run's timeline.
type BucketDoc struct {
	Start     time.Time        `json:"t"`
	WidthS    float64          `json:"width_s"`
	Users     int64            `json:"users"`
	RPS       float64          `json:"rps"`
	FPS       float64          `json:"failures_per_s"`
	P50MS     *float64         `json:"p50_ms"`
	P95MS     *float64         `json:"p95_ms"`
	Counts    map[string]int64 `json:"counts"`
	PgWaitUS  *float64         `json:"pg_wait_us,omitempty"`
	PgXactUS  *float64         `json:"pg_xact_us,omitempty"`
	PgQueryUS *float64         `json:"pg_query_us,omitempty"`
}

// BuildTimeline turns an analysis into the timeline document.
func BuildTimeline(a *correlate.Analysis) *TimelineDoc {
	d := &TimelineDoc{Schema: TimelineSchema, Clocks: append([]correlate.Clock{}, a.Clocks...),
		Runs: []TimelineRun{}, Messages: nonNil(a.Messages), Orphans: nonNil(a.Orphans), Warnings: InputWarnings(a.Sources)}
	for _, r := range a.Runs {
		rd := buildRun(r, nil, nil)
		tr := TimelineRun{Name: r.Name, Start: rd.Start, End: rd.End, UsersMax: UsersMaxOf(r), WindowSource: rd.WindowSource,
			Logs: rd.Logs, Clock: rd.Clock, LinkStats: rd.LinkStats, LinkedPct: linkedPct(r.LinkStats),
			Incidents: rd.Incidents, Clusters: rd.Clusters, Buckets: []BucketDoc{}}
		for _, b := range r.Timeline {
			counts := b.Counts
			if counts == nil {
				counts = map[string]int64{}
			}
			tr.Buckets = append(tr.Buckets, BucketDoc{Start: b.Start.UTC(), WidthS: b.Width.Seconds(), Users: b.Users, RPS: b.RPS, FPS: b.FPS,
				P50MS: b.P50, P95MS: b.P95, Counts: counts, PgWaitUS: b.PgWaitUS, PgXactUS: b.PgXactUS, PgQueryUS: b.PgQueryUS})
		}
		d.Runs = append(d.Runs, tr)
	}
	return d
}

func linkedPct(ls correlate.LinkStats) *float64 {
	if ls.ServerErrors == 0 {
		return nil
	}
	v := float64(ls.ServerErrors-ls.Unlinked) / float64(ls.ServerErrors) * 100
	v = float64(int64(v*100+0.5)) / 100
	return &v
}

// WriteTimelineJSON writes the timeline document.
func WriteTimelineJSON(w io.Writer, d *TimelineDoc) error { return writeJSON(w, d) }

// WriteTimelineText prints, per run, the clock decisions, link statistics,
// incidents and the top clusters, for a person at a terminal.
func WriteTimelineText(w io.Writer, d *TimelineDoc) error {
	ew := &errWriter{w: w}
	if len(d.Runs) == 0 {
		ew.print("No Locust run found (no _stats.csv, _stats_history.csv or HTML report).\n")
	}
	for i, r := range d.Runs {
		if i > 0 {
			ew.print("\n")
		}
		ew.printf("Run %s\n", SanitizeTerminal(r.Name))
		if r.Start != nil && r.End != nil {
			ew.printf("  window %s → %s (%s, from %s), %s\n", r.Start.Format("2006-01-02 15:04:05Z"), r.End.Format("15:04:05Z"),
				r.End.Sub(*r.Start).Round(time.Second), r.WindowSource, peakUsers(r.UsersMax))
		} else {
			ew.print("  window unknown (no history and no HTML start/end)\n")
		}
		ew.print("  clocks:\n")
		if len(r.Clock) == 0 {
			ew.print("    (no log file falls in this run's window)\n")
		}
		for _, c := range r.Clock {
			ew.printf("    %-45s %-12s offset %+7ds  %-18s confidence %.2f  %s\n", SanitizeTerminal(c.File), SanitizeTerminal(c.Zone), c.OffsetS, c.Method, c.Confidence, SanitizeTerminal(c.Evidence))
		}
		ls := r.LinkStats
		ew.printf("  links: %d server errors (5xx request lines): %d with a traceback, %d with a PgBouncer error, %d with a Locust failure, %d with auth_debug, %d unlinked",
			ls.ServerErrors, ls.WithTraceback, ls.WithPooler, ls.WithLocust, ls.WithAuth, ls.Unlinked)
		if r.LinkedPct != nil {
			ew.printf(" (%s %% linked to a cause)", strconv.FormatFloat(*r.LinkedPct, 'f', -1, 64))
		}
		ew.print("\n")
		if len(r.Incidents) == 0 {
			ew.print("  incidents: none (no error rate departed from the baseline)\n")
		}
		for _, in := range r.Incidents {
			ew.printf("  incident %s → %s: %d errors, peak %.1f/s over a baseline of %.1f/s; onset at %d users, %.1f RPS; first: %s\n",
				in.Start.Format("15:04:05Z"), in.End.Format("15:04:05Z"), in.Errors, in.PeakPerS, in.Baseline, in.OnsetUsers, in.OnsetRPS,
				SanitizeTerminal(strings.Join(in.FirstSources, ", ")))
		}
		if len(r.Clusters) > 0 {
			ew.print("  top clusters:\n")
		}
		for _, c := range r.Clusters {
			label := c.Template
			if c.Kind == "exception" {
				label = strings.TrimSpace(c.ExcType + " " + c.Frame)
				if c.Template != "" {
					label += ": " + c.Template
				}
			}
			ew.printf("    %5d × %s", c.Count, SanitizeTerminal(truncate(label, 110)))
			if c.First != nil && c.Last != nil {
				ew.printf("  [%s → %s]", c.First.Format("15:04:05Z"), c.Last.Format("15:04:05Z"))
			}
			if len(c.PerPhase) > 0 {
				ew.printf("  %s", phases(c.PerPhase))
			}
			ew.print("\n")
		}
	}
	if len(d.Orphans) > 0 {
		ew.printf("\nLog files outside every run window: %s\n", SanitizeTerminal(strings.Join(d.Orphans, ", ")))
	}
	if len(d.Warnings) > 0 {
		ew.print("\nWarnings:\n")
		for _, w := range d.Warnings {
			ew.printf("  %s\n", SanitizeTerminal(w))
		}
	}
	if len(d.Messages) > 0 {
		ew.print("\nMessages:\n")
		for _, m := range d.Messages {
			ew.printf("  %s\n", SanitizeTerminal(m))
		}
	}
	return ew.err
}

func phases(m map[string]int64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

func truncate(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
