package gates

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
	"github.com/logcorr/logcorr/rules"
)

// Result is one gate's verdict on one run.
type Result struct {
	Gate Gate
	Run  string
	Pass bool
	// Actual is the figure found ("2100 ms", "0.64 %", "2 findings").
	Actual string
	// Message says why in one sentence, naming the run.
	Message string
	// Unknown is set when the gate could not be evaluated (the figure is
	// N/A or absent, no baseline given). Such a gate fails: CI must not
	// pass on missing data.
	Unknown bool
	// File and Line point at the evidence (the CSV row, the history row,
	// the finding's first cited line) for annotations; empty when none.
	File string
	Line int64
}

// NoRun is the run name of the results EvaluateRuns gives when the input
// held no Locust run.
const NoRun = "(no run)"

// EvaluateRuns checks every gate against every run (findings keyed by run
// name). With no run at all, each gate fails as not evaluated: an input
// that held nothing to measure must not pass a CI job.
func EvaluateRuns(gates []Gate, runs []*correlate.Run, findings map[string][]rules.Finding, baseline *correlate.Run) []Result {
	if len(gates) == 0 {
		return nil
	}
	if len(runs) == 0 {
		return NotEvaluated(gates, "no Locust run found in the input (no stats CSV, stats history or HTML report could be read)")
	}
	var out []Result
	for _, r := range runs {
		out = append(out, Evaluate(gates, r, findings[r.Name], baseline)...)
	}
	return out
}

// NotEvaluated fails every gate as not evaluated for want of a run, saying
// why there is none (why: "no Locust run found in the input ...").
func NotEvaluated(gates []Gate, why string) []Result {
	var out []Result
	for _, g := range gates {
		out = append(out, Result{Gate: g, Run: NoRun, Unknown: true, Actual: "N/A",
			Message: fmt.Sprintf("%s: %s, so there is nothing to evaluate", g.Source, why)})
	}
	return out
}

// Evaluate checks every gate against one run. findings are the run's;
// baseline (may be nil) is the run "no new exception cluster" compares
// with.
func Evaluate(gates []Gate, run *correlate.Run, findings []rules.Finding, baseline *correlate.Run) []Result {
	out := make([]Result, 0, len(gates))
	for _, g := range gates {
		r := evalOne(g, run, findings, baseline)
		r.Gate, r.Run = g, run.Name
		out = append(out, r)
	}
	return out
}

func evalOne(g Gate, run *correlate.Run, findings []rules.Finding, baseline *correlate.Run) Result {
	switch g.Kind {
	case Metric:
		return evalMetric(g, run)
	case Windowed:
		return evalWindowed(g, run)
	case NoFindingSeverity, NoFindingID:
		return evalFindings(g, run, findings)
	case NoNewCluster:
		return evalClusters(run, baseline)
	}
	return Result{Unknown: true, Message: "unknown gate kind"}
}

func unknown(run *correlate.Run, format string, args ...any) Result {
	return Result{Unknown: true, Actual: "N/A", Message: run.Name + ": " + fmt.Sprintf(format, args...)}
}

// row returns the stats row a metric gate reads: the endpoint's request
// row (matched by Name, or by "METHOD Name"), or Aggregated. The request
// rows are those the rules rank (rules.RequestRows), so a gate and a
// finding never disagree on what counts as an endpoint.
func row(g Gate, run *correlate.Run) *parsers.StatRow {
	if g.Endpoint == "" {
		return run.Aggregated
	}
	for _, s := range model.RequestRows(run) {
		if s.Name == g.Endpoint || s.Type+" "+s.Name == g.Endpoint {
			return s
		}
	}
	return nil
}

func statValue(metric string, s *parsers.StatRow) (*float64, string) {
	f := func(v float64) *float64 { return &v }
	switch metric {
	case "p50":
		if s.P50 != nil {
			return s.P50, ""
		}
		return s.Median, ""
	case "p66":
		return s.P66, ""
	case "p75":
		return s.P75, ""
	case "p80":
		return s.P80, ""
	case "p90":
		return s.P90, ""
	case "p95":
		return s.P95, ""
	case "p98":
		return s.P98, ""
	case "p99":
		return s.P99, ""
	case "p99.9":
		return s.P999, ""
	case "avg":
		return s.Average, ""
	case "min":
		return s.Min, ""
	case "max":
		return s.Max, ""
	case "rps":
		return s.RPS, ""
	case "requests":
		return f(float64(s.Requests)), ""
	case "failures":
		return f(float64(s.Failures)), ""
	case "failure_pct":
		if s.Requests == 0 {
			return nil, "no requests"
		}
		return f(float64(s.Failures) / float64(s.Requests) * 100), ""
	case "success", "auth_success":
		if s.Requests == 0 {
			return nil, "no requests"
		}
		return f(float64(s.Requests-s.Failures) / float64(s.Requests) * 100), ""
	}
	return nil, "unknown metric"
}

func compare(op string, v, threshold float64) bool {
	switch op {
	case "<":
		return v < threshold
	case "<=":
		return v <= threshold
	case ">":
		return v > threshold
	case ">=":
		return v >= threshold
	}
	return false
}

// format writes a value in the gate's unit family.
func format(metric string, v float64) string {
	m := metrics[metric]
	switch m.kind {
	case durationMetric:
		return strconv.FormatFloat(v, 'f', -1, 64) + " ms"
	case percentMetric:
		return strconv.FormatFloat(v, 'f', 2, 64) + " %"
	}
	if metric == "rps" {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func (g Gate) want() string { return g.Op + " " + format(g.Metric, g.Value) }

func (g Gate) subject() string {
	if g.Endpoint != "" {
		return fmt.Sprintf("%s of %q", g.Metric, g.Endpoint)
	}
	return g.Metric
}

func evalMetric(g Gate, run *correlate.Run) Result {
	var s *parsers.StatRow
	if g.Metric == "auth_success" {
		s = model.LoginRow(run)
		if s == nil {
			return unknown(run, "no login POST row, so auth_success cannot be computed")
		}
	} else {
		s = row(g, run)
		if s == nil {
			if g.Endpoint != "" {
				return unknown(run, "no request row named %q", g.Endpoint)
			}
			return unknown(run, "no Aggregated row")
		}
	}
	if why := impossibleCounts(g.Metric, s); why != "" {
		r := unknown(run, "%s cannot be computed: %s, an impossible figure; it is not compared with the target %s", g.subject(), why, g.want())
		r.File, r.Line = s.File, s.Line
		return r
	}
	v, why := statValue(g.Metric, s)
	if v == nil {
		if why == "" {
			why = "Locust wrote N/A, or logcorr read an impossible figure there as null: see the input's messages"
		}
		r := unknown(run, "%s is not available (%s)", g.subject(), why)
		r.File, r.Line = s.File, s.Line
		return r
	}
	if why := impossible(g.Metric, *v); why != "" {
		r := unknown(run, "%s is %s, an impossible figure (%s); it is not compared with the target %s", g.subject(), format(g.Metric, *v), why, g.want())
		r.Actual, r.File, r.Line = format(g.Metric, *v), s.File, s.Line
		return r
	}
	r := Result{Pass: compare(g.Op, *v, g.Value), Actual: format(g.Metric, *v), File: s.File, Line: s.Line}
	if g.Metric == "auth_success" || g.Metric == "success" {
		r.Actual += fmt.Sprintf(" (%d of %d %s failed)", s.Failures, s.Requests, s.Name)
	}
	verdict := "meets"
	if !r.Pass {
		verdict = "breaks"
	}
	r.Message = fmt.Sprintf("%s: %s is %s, %s the target %s", run.Name, g.subject(), r.Actual, verdict, g.want())
	return r
}

// impossible says why v cannot be a figure of a real run ("" when it
// can): every metric a gate reads (times, rates, counts, percentages) is
// finite and at least zero. The parsers read such cells as null already;
// this guards figures that reach a gate another way.
func impossible(metric string, v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return format(metric, v) + " is not a finite number"
	case v < 0:
		return format(metric, v) + " is negative"
	}
	return ""
}

// impossibleCounts says why a row's request and failure counts cannot be
// a real run's, for the metrics computed from them ("" when they can be).
func impossibleCounts(metric string, s *parsers.StatRow) string {
	switch metric {
	case "requests", "failures", "failure_pct", "success", "auth_success":
	default:
		return ""
	}
	switch {
	case s.Requests < 0:
		return fmt.Sprintf("negative request count (%d)", s.Requests)
	case s.Failures < 0:
		return fmt.Sprintf("negative failure count (%d)", s.Failures)
	case s.Failures > s.Requests:
		return fmt.Sprintf("more failures (%d) than requests (%d)", s.Failures, s.Requests)
	}
	return ""
}

func historyValue(metric string, h *parsers.HistoryRow) *float64 {
	switch metric {
	case "p50":
		return h.P50
	case "p66":
		return h.P66
	case "p75":
		return h.P75
	case "p80":
		return h.P80
	case "p90":
		return h.P90
	case "p95":
		return h.P95
	case "p98":
		return h.P98
	case "p99":
		return h.P99
	case "p99.9":
		return h.P999
	case "max":
		return h.P100
	case "rps":
		return h.RPS
	}
	return nil
}

// evalWindowed cuts the Aggregated stats history into consecutive windows
// of g.Window, starting at the first row with a value, and takes in each
// window the worst value (largest for < and <=, smallest for > and >=).
// Locust's history percentiles are already rolling-window values, so the
// worst sample of a window is the window's figure; the gate fails if any
// window's figure breaks the target ("p95 stays under 2 s in every 30 s
// window"). N/A rows (before the first response) are skipped. The result
// names the first failing window, or the worst window when all pass.
// correlate.Run.History holds the Aggregated rows only, in time order, so
// the samples come out ordered without filtering or sorting again.
func evalWindowed(g Gate, run *correlate.Run) Result {
	type sample struct {
		t    time.Time
		v    float64
		line int64
		file string
	}
	var samples []sample
	for i := range run.History {
		h := &run.History[i]
		if v := historyValue(g.Metric, h); v != nil {
			if why := impossible(g.Metric, *v); why != "" {
				r := unknown(run, "%s in the stats history is %s, an impossible figure (%s); the gate is not compared with the target %s",
					g.Metric, format(g.Metric, *v), why, g.want())
				r.Actual, r.File, r.Line = format(g.Metric, *v), h.File, h.Line
				return r
			}
			samples = append(samples, sample{h.Time, *v, h.Line, h.File})
		}
	}
	if len(samples) == 0 {
		return unknown(run, "no stats history values for %s", g.Metric)
	}
	upper := g.Op == "<" || g.Op == "<="
	worse := func(a, b float64) bool {
		if upper {
			return a > b
		}
		return a < b
	}
	var (
		worst      sample
		worstStart time.Time
		haveWorst  bool
		windows    int
	)
	for i := 0; i < len(samples); {
		start := samples[i].t
		end := start.Add(g.Window)
		w := samples[i]
		j := i
		for ; j < len(samples) && samples[j].t.Before(end); j++ {
			if worse(samples[j].v, w.v) {
				w = samples[j]
			}
		}
		windows++
		if !compare(g.Op, w.v, g.Value) {
			return Result{Pass: false, Actual: format(g.Metric, w.v), File: w.file, Line: w.line,
				Message: fmt.Sprintf("%s: %s reached %s in the window %s–%s UTC, breaking %s in every %s window",
					run.Name, g.Metric, format(g.Metric, w.v), start.UTC().Format("15:04:05"), end.UTC().Format("15:04:05"), g.want(), g.Window)}
		}
		if !haveWorst || worse(w.v, worst.v) {
			worst, worstStart, haveWorst = w, start, true
		}
		i = j
	}
	return Result{Pass: true, Actual: format(g.Metric, worst.v), File: worst.file, Line: worst.line,
		Message: fmt.Sprintf("%s: %s stays %s in all %d windows of %s (worst %s, window from %s UTC)",
			run.Name, g.Metric, g.want(), windows, g.Window, format(g.Metric, worst.v), worstStart.UTC().Format("15:04:05"))}
}

func evalFindings(g Gate, run *correlate.Run, findings []rules.Finding) Result {
	var hit []rules.Finding
	for _, f := range findings {
		switch g.Kind {
		case NoFindingID:
			if f.ID == g.FindingID {
				hit = append(hit, f)
			}
		case NoFindingSeverity:
			s, ok := rules.ParseSeverity(f.Severity)
			if !ok {
				continue
			}
			if (g.Op == "=" && s == g.Severity) || (g.Op == ">=" && s >= g.Severity) || (g.Op == ">" && s > g.Severity) {
				hit = append(hit, f)
			}
		}
	}
	what := "finding " + g.FindingID
	if g.Kind == NoFindingSeverity {
		what = "finding of severity " + g.Op + " " + g.Severity.String()
	}
	if len(hit) == 0 {
		return Result{Pass: true, Actual: "0 findings", Message: fmt.Sprintf("%s: no %s", run.Name, what)}
	}
	ids := make([]string, 0, len(hit))
	for _, f := range hit {
		ids = append(ids, f.ID+" ("+f.Severity+")")
	}
	r := Result{Actual: fmt.Sprintf("%d %s: %s", len(hit), plural(len(hit), "finding", "findings"), strings.Join(ids, ", ")),
		Message: fmt.Sprintf("%s: %s — %s", run.Name, hit[0].Title, hit[0].Summary)}
	if len(hit[0].Evidence) > 0 {
		r.File, r.Line = hit[0].Evidence[0].File, hit[0].Evidence[0].Line
	}
	return r
}

func evalClusters(run *correlate.Run, baseline *correlate.Run) Result {
	if baseline == nil {
		return unknown(run, "\"no new exception cluster\" needs a baseline run (--baseline)")
	}
	known := map[string]bool{}
	for _, c := range baseline.Clusters {
		if c.Kind == "exception" {
			known[c.Key] = true
		}
	}
	var fresh []correlate.Cluster
	total := 0
	for _, c := range run.Clusters {
		if c.Kind != "exception" {
			continue
		}
		total++
		if !known[c.Key] {
			fresh = append(fresh, c)
		}
	}
	if len(fresh) == 0 {
		return Result{Pass: true, Actual: fmt.Sprintf("0 new of %d exception clusters", total),
			Message: fmt.Sprintf("%s: every exception cluster was already in %s", run.Name, baseline.Name)}
	}
	names := make([]string, 0, len(fresh))
	for _, c := range fresh {
		n := c.ExcType
		if n == "" {
			n = c.Key
		}
		names = append(names, fmt.Sprintf("%s ×%d", n, c.Count))
	}
	r := Result{Actual: fmt.Sprintf("%d new of %d exception clusters", len(fresh), total),
		Message: fmt.Sprintf("%s: exception clusters not in %s: %s", run.Name, baseline.Name, strings.Join(names, "; "))}
	if len(fresh[0].Examples) > 0 {
		r.File, r.Line = fresh[0].Examples[0].File, fresh[0].Examples[0].Line
	}
	return r
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
