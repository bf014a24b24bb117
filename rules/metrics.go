package rules

import (
	"sort"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// statFields are the per-row metrics of a stats row, in milliseconds for
// times.
var statFields = map[string]func(r *parsers.StatRow) *float64{
	"requests":         func(r *parsers.StatRow) *float64 { return f64(float64(r.Requests)) },
	"failures":         func(r *parsers.StatRow) *float64 { return f64(float64(r.Failures)) },
	"failure_pct":      failurePct,
	"median":           func(r *parsers.StatRow) *float64 { return r.Median },
	"average":          func(r *parsers.StatRow) *float64 { return r.Average },
	"min":              func(r *parsers.StatRow) *float64 { return r.Min },
	"max":              func(r *parsers.StatRow) *float64 { return r.Max },
	"avg_content_size": func(r *parsers.StatRow) *float64 { return r.AvgContentSize },
	"rps":              func(r *parsers.StatRow) *float64 { return r.RPS },
	"fps":              func(r *parsers.StatRow) *float64 { return r.FPS },
	"p50":              func(r *parsers.StatRow) *float64 { return r.P50 },
	"p66":              func(r *parsers.StatRow) *float64 { return r.P66 },
	"p75":              func(r *parsers.StatRow) *float64 { return r.P75 },
	"p80":              func(r *parsers.StatRow) *float64 { return r.P80 },
	"p90":              func(r *parsers.StatRow) *float64 { return r.P90 },
	"p95":              func(r *parsers.StatRow) *float64 { return r.P95 },
	"p98":              func(r *parsers.StatRow) *float64 { return r.P98 },
	"p99":              func(r *parsers.StatRow) *float64 { return r.P99 },
	"p99_9":            func(r *parsers.StatRow) *float64 { return r.P999 },
	"p99_99":           func(r *parsers.StatRow) *float64 { return r.P9999 },
	"p100":             func(r *parsers.StatRow) *float64 { return r.P100 },
}

// runFields are whole-run metrics.
var runFields = map[string]func(r *correlate.Run) *float64{
	"users_max": func(r *correlate.Run) *float64 {
		if r.UsersUnknown {
			return nil // no user count was written
		}
		return f64(float64(r.UsersMax))
	},
	"duration_s": func(r *correlate.Run) *float64 {
		if r.Start.IsZero() || r.End.IsZero() {
			return nil
		}
		return f64(r.End.Sub(r.Start).Seconds())
	},
	"events":        func(r *correlate.Run) *float64 { return f64(float64(r.Events.Len())) },
	"server_errors": func(r *correlate.Run) *float64 { return f64(float64(r.LinkStats.ServerErrors)) },
	"unlinked":      func(r *correlate.Run) *float64 { return f64(float64(r.LinkStats.Unlinked)) },
	"tracebacks":    func(r *correlate.Run) *float64 { return f64(float64(r.LinkStats.TracebacksTotal)) },
	"pooler_errors": func(r *correlate.Run) *float64 { return f64(float64(r.LinkStats.PoolerErrorTotal)) },
	// Locust's own tables, from the one source correlate chose.
	"locust_failures": func(r *correlate.Run) *float64 {
		var n int64
		for _, f := range model.FailureRows(r) {
			n += f.Occurrences
		}
		return f64(float64(n))
	},
	"locust_exceptions": func(r *correlate.Run) *float64 {
		var n int64
		for _, x := range model.ExceptionRows(r) {
			n += x.Count
		}
		return f64(float64(n))
	},
}

func f64(f float64) *float64 { return &f }

func failurePct(r *parsers.StatRow) *float64 {
	if r.Requests == 0 {
		return nil
	}
	return f64(100 * float64(r.Failures) / float64(r.Requests))
}

// MetricNames lists the metric names usable in `metrics:` conditions:
// aggregated.<field> (the Aggregated row), max.<field> and min.<field>
// (over the request rows, Aggregated excluded), run.<field>.
func MetricNames() []string {
	var out []string
	for k := range statFields {
		out = append(out, "aggregated."+k, "max."+k, "min."+k)
	}
	for k := range runFields {
		out = append(out, "run."+k)
	}
	sort.Strings(out)
	return out
}

// KnownMetric reports whether name is a metric RunMetric knows.
func KnownMetric(name string) bool {
	scope, field, ok := strings.Cut(name, ".")
	if !ok {
		return false
	}
	switch scope {
	case "aggregated", "max", "min":
		_, ok = statFields[field]
	case "run":
		_, ok = runFields[field]
	default:
		ok = false
	}
	return ok
}

// RunMetric returns a run metric by name (see MetricNames); false when the
// run lacks the data (no Aggregated row, N/A percentile).
func RunMetric(run *correlate.Run, name string) (float64, bool) {
	scope, field, _ := strings.Cut(name, ".")
	switch scope {
	case "aggregated":
		get := statFields[field]
		if get == nil || run.Aggregated == nil {
			return 0, false
		}
		if v := get(run.Aggregated); v != nil {
			return *v, true
		}
	case "max", "min":
		get := statFields[field]
		if get == nil {
			return 0, false
		}
		var best *float64
		for _, r := range model.RequestRows(run) {
			v := get(r)
			if v == nil {
				continue
			}
			if best == nil || scope == "max" && *v > *best || scope == "min" && *v < *best {
				best = v
			}
		}
		if best != nil {
			return *best, true
		}
	case "run":
		if get := runFields[field]; get != nil {
			if v := get(run); v != nil {
				return *v, true
			}
		}
	}
	return 0, false
}
