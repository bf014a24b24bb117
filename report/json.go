package report

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
	"github.com/logcorr/logcorr/perf"
	"github.com/logcorr/logcorr/rules"
)

// AnalysisSchema names the analysis JSON document's version. Fields are
// only ever added under this name, never renamed or removed.
const AnalysisSchema = "logcorr.analysis/v1"

// TopClusters is how many clusters per run the JSON keeps.
const TopClusters = 10

// AnalysisDoc is the logcorr.analysis/v1 document (docs/json.md).
type AnalysisDoc struct {
	Schema string   `json:"schema"`
	Runs   []RunDoc `json:"runs"`
	// Sources is the parse audit, one entry per file (parsers.Audit).
	Sources []parsers.Audit `json:"sources"`
	// Findings not tied to one run (keyed "" in the findings map).
	Findings []rules.Finding `json:"findings,omitempty"`
	Messages []string        `json:"messages,omitempty"`
	Orphans  []string        `json:"orphans,omitempty"`
	// Gates are the --slo results that concern no run: with no Locust run
	// in the input every gate fails, not evaluated (runs[].gates hold the
	// others).
	Gates []GateDoc `json:"gates,omitempty"`
	// Perf is what each stage cost (analyze --stats only: it differs from
	// run to run, so it is absent by default and the document stays the
	// same for the same input).
	Perf *perf.Stats `json:"perf,omitempty"`
}

// RunDoc is one run of the analysis document.
type RunDoc struct {
	Name string `json:"name"`
	// Start and End are RFC 3339 UTC, null when the run's window is unknown.
	Start    *time.Time `json:"start"`
	End      *time.Time `json:"end"`
	UsersMax *int64     `json:"users_max"` // null when no user count was written
	// Summary is Locust's Aggregated row; null when the run has none.
	Summary   *Summary        `json:"summary"`
	Endpoints []Endpoint      `json:"endpoints"`
	Clock     []ClockDoc      `json:"clock"`
	Findings  []rules.Finding `json:"findings"`

	// Additions to the fields the issue named.
	DurationS       *float64      `json:"duration_s,omitempty"`
	WindowSource    string        `json:"window_source"`
	Files           []string      `json:"files"`
	Logs            []string      `json:"logs"`
	Params          RunParams     `json:"params"`
	LinkStats       LinkStatsDoc  `json:"link_stats"`
	Incidents       []IncidentDoc `json:"incidents"`
	Clusters        []ClusterDoc  `json:"clusters"`
	MissingEvidence []string      `json:"missing_evidence"`
	// Gates are the --slo results for this run; absent without --slo.
	Gates []GateDoc `json:"gates,omitempty"`
	// Conclusion is the run's diagnosis in a few lines (rules.Conclude):
	// the root cause or that the run does not measure the application,
	// why, impact, what it is not, evidence, fix, caveats, symptoms.
	Conclusion rules.Conclusion `json:"conclusion"`
	// Checks say per rule whether it found something, found nothing in
	// the evidence it read, or could not be checked (and what it lacked).
	// Present when the writer was given them (analyze always does).
	Checks []rules.CheckStatus `json:"checks,omitempty"`
	// Bodies is what the response sizes say the run measured
	// (model.Measure), null when the login page's size is unknown.
	Bodies *BodiesDoc `json:"bodies"`
}

// BodiesDoc summarizes a run's response bodies: the share of non-login
// successes that were the login page (at least, at most), the sizes it
// rests on, and the reference run real bodies were learned from.
type BodiesDoc struct {
	LoginPageBytes    float64  `json:"login_page_bytes"`
	LoginPageFrom     string   `json:"login_page_from"`
	FailurePageBytes  *float64 `json:"failure_page_bytes,omitempty"`
	SharedBodyBytes   []int64  `json:"shared_body_bytes"`
	Reference         string   `json:"reference,omitempty"`
	NonLoginSuccesses int64    `json:"non_login_successes"`
	LoginPagePct      float64  `json:"login_page_pct"`
	LoginPagePctUpper float64  `json:"login_page_pct_upper"`
	RealResponses     float64  `json:"real_responses"`
	MeasuresApp       bool     `json:"measures_app"`
}

// BodySplitDoc is one endpoint's responses split by body size, with the
// arithmetic.
type BodySplitDoc struct {
	Kind       string  `json:"kind"` // reference, exact, shared, near-login, real, unknown, too-close
	Successes  int64   `json:"successes"`
	LoginPages float64 `json:"login_pages"`
	Real       float64 `json:"real"`
	Shared     int64   `json:"shared"`
	Arithmetic string  `json:"arithmetic,omitempty"`
}

// checksDoc is a run's checks as the document holds them: a sorted copy,
// with an absent list of what a check lacked as [].
func checksDoc(checks []rules.CheckStatus) []rules.CheckStatus {
	st := append([]rules.CheckStatus(nil), checks...)
	rules.SortStatuses(st)
	for j := range st {
		if st[j].Missing == nil && st[j].Status == rules.StatusCannotCheck {
			st[j].Missing = []string{}
		}
	}
	return st
}

// Summary is a run's Aggregated row. Requests, failures and the
// millisecond figures are exactly Locust's (its CSV's float values, which
// Locust already rounded to about two significant digits for the
// percentiles); failure_pct is failures/requests·100 rounded to 2
// decimals. A null is a value Locust wrote as N/A.
type Summary struct {
	Requests   int64    `json:"requests"`
	Failures   int64    `json:"failures"`
	FailurePct float64  `json:"failure_pct"`
	MedianMS   *float64 `json:"median_ms"`
	P95MS      *float64 `json:"p95_ms"`
	P99MS      *float64 `json:"p99_ms"`
	RPS        *float64 `json:"rps"`
	// Additions.
	AverageMS *float64 `json:"average_ms,omitempty"`
	MaxMS     *float64 `json:"max_ms,omitempty"`
	FPS       *float64 `json:"failures_per_s,omitempty"`
	Source    string   `json:"source,omitempty"` // "csv" or "html"
	File      string   `json:"file,omitempty"`
	Line      int64    `json:"line,omitempty"`
}

// Endpoint is one request row of the run (every row but Aggregated).
type Endpoint struct {
	Method   string   `json:"method"`
	Name     string   `json:"name"`
	Requests int64    `json:"requests"`
	Failures int64    `json:"failures"`
	MedianMS *float64 `json:"median_ms"`
	P95MS    *float64 `json:"p95_ms"`
	P99MS    *float64 `json:"p99_ms"`
	MaxMS    *float64 `json:"max_ms"`
	// Additions.
	AverageMS  *float64 `json:"average_ms,omitempty"`
	RPS        *float64 `json:"rps,omitempty"`
	FailurePct float64  `json:"failure_pct"`
	// LoginPagePct is the share of the row's successes that were the
	// login page (model.Measure), absent when unknown.
	LoginPagePct *float64      `json:"login_page_pct,omitempty"`
	BodySplit    *BodySplitDoc `json:"body_split,omitempty"`
}

// ClockDoc is a clock decision (correlate.Clock's JSON names).
type ClockDoc = correlate.Clock

// LinkStatsDoc is correlate.LinkStats with JSON names.
type LinkStatsDoc struct {
	ServerErrors     int64 `json:"server_errors"`
	WithTraceback    int64 `json:"with_traceback"`
	WithPooler       int64 `json:"with_pooler_error"`
	WithLocust       int64 `json:"with_locust_failure"`
	WithAuth         int64 `json:"with_auth_debug"`
	Unlinked         int64 `json:"unlinked"`
	LocustFailures   int64 `json:"locust_login_failures"`
	LocustUnmatched  int64 `json:"locust_unmatched"`
	TracebacksTotal  int64 `json:"tracebacks_total"`
	PoolerErrorTotal int64 `json:"pooler_errors_total"`
}

// IncidentDoc is correlate.Incident with JSON names.
type IncidentDoc struct {
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	OnsetUsers   int64     `json:"onset_users"`
	OnsetRPS     float64   `json:"onset_rps"`
	FirstSources []string  `json:"first_sources"`
	PeakPerS     float64   `json:"peak_per_s"`
	Baseline     float64   `json:"baseline_per_s"`
	Errors       int64     `json:"errors"`
}

// ClusterDoc is correlate.Cluster with JSON names.
type ClusterDoc struct {
	Kind      string           `json:"kind"`
	Key       string           `json:"key"`
	ExcType   string           `json:"exc_type,omitempty"`
	Frame     string           `json:"frame,omitempty"`
	Template  string           `json:"template,omitempty"`
	Count     int64            `json:"count"`
	First     *time.Time       `json:"first"`
	Last      *time.Time       `json:"last"`
	PerPhase  map[string]int64 `json:"per_phase"`
	Endpoints []string         `json:"endpoints"`
	Examples  []correlate.Ref  `json:"examples"`
	Sources   []string         `json:"sources"`
}

// BuildAnalysis turns the analysis and the findings (keyed by run name;
// key "" holds findings about no single run) into the JSON document. It
// never changes a figure.
func BuildAnalysis(a *correlate.Analysis, findings map[string][]rules.Finding) *AnalysisDoc {
	return AnalysisParts{Analysis: a, Findings: findings}.Doc()
}

// UsersMaxOf is a run's peak user count, nil when no user count was written
// (the files are silent, which is not zero users).
func UsersMaxOf(r *correlate.Run) *int64 {
	if r.UsersUnknown {
		return nil
	}
	n := r.UsersMax
	return &n
}

// normAudits copies audits with absent lists as [] and absent maps as {},
// so scripts reading `parse --json` or `analyze --format json` need no null
// checks.
func normAudits(in []parsers.Audit) []parsers.Audit {
	out := make([]parsers.Audit, len(in))
	for i, a := range in {
		if a.UnparsedExamples == nil {
			a.UnparsedExamples = []parsers.Example{}
		}
		if a.Messages == nil {
			a.Messages = []string{}
		}
		if a.Tables == nil {
			a.Tables = map[string]int64{}
		}
		out[i] = a
	}
	return out
}

func buildRun(r *correlate.Run, fs []rules.Finding, b *model.Bodies) RunDoc {
	d := RunDoc{
		Name: r.Name, UsersMax: UsersMaxOf(r), WindowSource: r.WindowSource,
		Start: timePtr(r.Start), End: timePtr(r.End),
		Summary:   SummaryOf(r),
		Endpoints: EndpointsOf(r),
		Clock:     append([]correlate.Clock{}, r.Clock...),
		Findings:  sortedFindings(fs),
		Files:     nonNil(r.Files),
		Logs:      nonNil(r.Logs),
		Params:    ParamsOf(r),
		LinkStats: LinkStatsDoc(r.LinkStats),
		Incidents: []IncidentDoc{},
		Clusters:  []ClusterDoc{},
	}
	if d.WindowSource == "" {
		d.WindowSource = "none"
	}
	if !r.Start.IsZero() && !r.End.IsZero() {
		s := r.End.Sub(r.Start).Seconds()
		d.DurationS = &s
	}
	for _, in := range r.Incidents {
		d.Incidents = append(d.Incidents, IncidentDoc{Start: in.Start.UTC(), End: in.End.UTC(), OnsetUsers: in.OnsetUsers,
			OnsetRPS: in.OnsetRPS, FirstSources: nonNil(in.FirstSources), PeakPerS: in.PeakPerS, Baseline: in.Baseline, Errors: in.Errors})
	}
	for i, c := range r.Clusters {
		if i == TopClusters {
			break
		}
		pp := c.PerPhase
		if pp == nil {
			pp = map[string]int64{}
		}
		ex := c.Examples
		if ex == nil {
			ex = []correlate.Ref{}
		}
		d.Clusters = append(d.Clusters, ClusterDoc{Kind: c.Kind, Key: c.Key, ExcType: c.ExcType, Frame: c.Frame, Template: c.Template,
			Count: c.Count, First: timePtr(c.First), Last: timePtr(c.Last), PerPhase: pp, Endpoints: nonNil(c.Endpoints),
			Examples: ex, Sources: nonNil(c.Sources)})
	}
	d.MissingEvidence = MissingEvidence(r, fs)
	d.Conclusion = rules.ConcludeRun(r, fs)
	addBodies(&d, b)
	return d
}

// addBodies puts what the response bodies say into the run's document:
// the summary and each endpoint's split.
func addBodies(d *RunDoc, b *model.Bodies) {
	if b == nil || b.LoginPage == nil {
		return
	}
	bd := &BodiesDoc{LoginPageBytes: b.LoginPage.Bytes, LoginPageFrom: b.LoginPage.From, SharedBodyBytes: []int64{},
		NonLoginSuccesses: b.Successes, LoginPagePct: round2(100 * b.LoginPageShare()), LoginPagePctUpper: round2(100 * b.UpperShare()),
		RealResponses: round2(b.Real), MeasuresApp: !b.NotMeasured()}
	if b.Failure != nil {
		v := b.Failure.Bytes
		bd.FailurePageBytes = &v
	}
	for _, sh := range b.Shared {
		bd.SharedBodyBytes = append(bd.SharedBodyBytes, int64(sh.Bytes))
	}
	if b.Reference != nil {
		bd.Reference = b.Reference.Name
	}
	d.Bodies = bd
	split := map[string]model.RowSplit{}
	for _, s := range b.Rows {
		split[s.Row.Type+" "+s.Row.Name] = s
	}
	for i := range d.Endpoints {
		e := &d.Endpoints[i]
		s, ok := split[e.Method+" "+e.Name]
		if !ok {
			continue
		}
		e.BodySplit = &BodySplitDoc{Kind: s.Kind, Successes: s.Successes, LoginPages: round2(s.LoginPages), Real: round2(s.Real), Shared: s.Shared, Arithmetic: s.Arithmetic}
		switch s.Kind {
		case model.SplitReference, model.SplitExact, model.SplitShared, model.SplitReal:
			if s.Successes > 0 {
				p := round2(100 * s.LoginShare())
				e.LoginPagePct = &p
			}
		}
	}
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// SummaryOf returns the run's Aggregated row as a Summary, nil when the
// run has none.
func SummaryOf(r *correlate.Run) *Summary {
	a := r.Aggregated
	if a == nil {
		return nil
	}
	return &Summary{Requests: a.Requests, Failures: a.Failures, FailurePct: FailurePct(a.Failures, a.Requests),
		MedianMS: a.Median, P95MS: a.P95, P99MS: a.P99, RPS: a.RPS, AverageMS: a.Average, MaxMS: a.Max, FPS: a.FPS,
		Source: a.Source, File: a.File, Line: a.Line}
}

// EndpointsOf returns the run's request rows (Aggregated left out), in
// the order Locust wrote them: the rows rules.RequestRows gives the rules,
// so a hotspot or change in the report is always about a row the rules saw.
func EndpointsOf(r *correlate.Run) []Endpoint {
	out := []Endpoint{}
	for _, s := range model.RequestRows(r) {
		out = append(out, Endpoint{Method: s.Type, Name: s.Name, Requests: s.Requests, Failures: s.Failures,
			MedianMS: s.Median, P95MS: s.P95, P99MS: s.P99, MaxMS: s.Max, AverageMS: s.Average, RPS: s.RPS,
			FailurePct: FailurePct(s.Failures, s.Requests)})
	}
	return out
}

// FailurePct is failures/requests as a percentage rounded to 2 decimals
// (0 when there were no requests).
func FailurePct(failures, requests int64) float64 {
	if requests <= 0 {
		return 0
	}
	return math.Round(float64(failures)/float64(requests)*10000) / 100
}

// MissingEvidence lists, for a run, the evidence the findings said they
// lacked plus the gaps the analysis shows by itself, sorted and unique.
func MissingEvidence(r *correlate.Run, fs []rules.Finding) []string {
	set := map[string]bool{}
	for _, f := range fs {
		for _, m := range f.Missing {
			set[m] = true
		}
	}
	if r.Start.IsZero() {
		set["run window: no stats history or HTML times, so logs could not be placed in this run"] = true
	} else if len(r.Logs) == 0 {
		set["server logs: no log file has events inside this run's window"] = true
	}
	for _, c := range r.Clock {
		if c.Method == "unknown" || c.Zone == "unknown" {
			m := fmt.Sprintf("clock of %s unresolved: its times could not be put on UTC", c.File)
			if c.LeftOut > 0 {
				m += fmt.Sprintf(" (%d event(s) left out of every run)", c.LeftOut)
			}
			set[m] = true
		}
	}
	out := make([]string, 0, len(set))
	for m := range set {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

// sortedFindings copies fs in the rules' lead order (the cause first,
// symptoms after it), with nil evidence lists made empty.
func sortedFindings(fs []rules.Finding) []rules.Finding {
	out := make([]rules.Finding, len(fs))
	copy(out, fs)
	for i := range out {
		if out[i].Evidence == nil {
			out[i].Evidence = []rules.Evidence{}
		}
	}
	rules.SortFindings(out)
	return out
}

func sevRank(s string) int {
	v, ok := rules.ParseSeverity(s)
	if !ok {
		return -1
	}
	return int(v)
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
