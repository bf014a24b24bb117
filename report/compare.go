package report

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/rules"
)

// CompareSchema names the comparison JSON document's version.
const CompareSchema = "logcorr.compare/v1"

// Verdicts of a Change.
const (
	Improved       = "improved"
	Regressed      = "regressed"
	New            = "new"
	Vanished       = "vanished"
	WithinRounding = "within-rounding"
	// LoginPage: the endpoint's responses were mostly the login page in
	// one of the two runs, so a move says nothing about the endpoint.
	LoginPage = "login-page"
	// WithinChance: a failure count that moved less than two proportions
	// of that size move by chance (|z| < 2).
	WithinChance = "within-chance"
)

// RoundingNote is printed with every comparison: why small moves in
// percentiles are not called changes.
const RoundingNote = "Locust rounds medians and percentiles to about two significant digits (below 100 ms to 1 ms, then 10 ms, 100 ms, 1 s steps); a move of one rounding step or less is reported as within-rounding, never as a regression."

// CompareDoc is the logcorr.compare/v1 document.
type CompareDoc struct {
	Schema   string       `json:"schema"`
	Baseline string       `json:"baseline,omitempty"`
	Runs     []CompareRun `json:"runs"`
	Changes  []Change     `json:"changes"`
	Notes    []string     `json:"notes"`
	// Targets the hotspot verdicts used.
	TargetP95MS float64 `json:"target_p95_ms"`
	// Gates are the --slo results that concern no run (see AnalysisDoc).
	Gates []GateDoc `json:"gates,omitempty"`
}

// CompareRun is one run's row.
type CompareRun struct {
	Name      string     `json:"name"`
	Start     *time.Time `json:"start"`
	End       *time.Time `json:"end,omitempty"`
	DurationS *float64   `json:"duration_s,omitempty"`
	UsersMax  *int64     `json:"users_max"` // null when no user count was written
	Summary   *Summary   `json:"summary"`
	Params    RunParams  `json:"params"`
	// Additions.
	Login         *LoginSummary `json:"login,omitempty"`
	Findings      []string      `json:"findings"`       // IDs, in lead order (the cause first)
	Hotspots      []Endpoint    `json:"hotspots"`       // endpoints with p95 over the target, worst first (up to 5)
	ChangedParams []string      `json:"changed_params"` // vs the run compared with ("pool 100 → 140")
	// Gates are the --slo results for this run; absent without --slo.
	Gates []GateDoc `json:"gates,omitempty"`
	// ComparedWith is the run this one is compared with: the previous run
	// of the same scenario (or the baseline); "" for the first of its
	// scenario.
	ComparedWith string `json:"compared_with,omitempty"`
	// Conclusion is the run's conclusion (rules.Conclude).
	Conclusion rules.Conclusion `json:"conclusion"`
	// LoginPagePct is the share of non-login successes that were the
	// login page (at least), absent when unknown.
	LoginPagePct *float64 `json:"login_page_pct,omitempty"`
}

// LoginSummary is the login POST row of a run.
type LoginSummary struct {
	Name       string   `json:"name"`
	Requests   int64    `json:"requests"`
	Failures   int64    `json:"failures"`
	FailurePct float64  `json:"failure_pct"`
	AverageMS  *float64 `json:"average_ms"`
	P95MS      *float64 `json:"p95_ms"`
}

// Change is one endpoint metric that differs between two runs.
type Change struct {
	From    string   `json:"from"`
	To      string   `json:"to"`
	Method  string   `json:"method"`
	Name    string   `json:"name"`
	Metric  string   `json:"metric"` // "p95_ms", "p99_ms", "failures", "requests"
	Before  *float64 `json:"before"`
	After   *float64 `json:"after"`
	Verdict string   `json:"verdict"`
	// Hotspot is "resolved" when p95 was over the target before and is
	// under it after, "regressed" for the reverse; "" otherwise.
	Hotspot string `json:"hotspot,omitempty"`
	// LoginPagePct is the larger of the two runs' login-page shares of
	// the endpoint's successes, when known; from 50 % the verdict is
	// login-page: the move is the login redirect's, not the endpoint's.
	LoginPagePct *float64 `json:"login_page_pct,omitempty"`
}

// maxHotspots is how many over-target endpoints a run row lists.
const maxHotspots = 5

// Compare lays the runs side by side in time order (runs without a window
// after, by name) and lists, per endpoint, what changed between each run
// and the previous run of the same scenario (model.SameScenario: same
// users, comparable run time, mostly the same endpoints; not whatever ran
// before it), or the run named baseline when baseline is not "". An
// endpoint whose responses were mostly the login page in either run is
// never called improved or regressed. findings are keyed by run name.
func Compare(runs []*correlate.Run, findings map[string][]rules.Finding, baseline string) *CompareDoc {
	return CompareTargets(runs, findings, baseline, rules.DefaultTargets)
}

// CompareTargets is Compare with explicit targets (hotspots use P95MS).
func CompareTargets(runs []*correlate.Run, findings map[string][]rules.Finding, baseline string, t rules.Targets) *CompareDoc {
	if t.P95MS <= 0 {
		t.P95MS = rules.DefaultTargets.P95MS
	}
	sorted := append([]*correlate.Run(nil), runs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Start.IsZero() != b.Start.IsZero() {
			return !a.Start.IsZero()
		}
		if !a.Start.Equal(b.Start) {
			return a.Start.Before(b.Start)
		}
		return a.Name < b.Name
	})
	doc := &CompareDoc{Schema: CompareSchema, Baseline: baseline, Runs: []CompareRun{}, Changes: []Change{},
		Notes: []string{RoundingNote}, TargetP95MS: t.P95MS}
	var base *correlate.Run
	if baseline != "" {
		for _, r := range sorted {
			if r.Name == baseline {
				base = r
			}
		}
		if base == nil {
			doc.Notes = append(doc.Notes, fmt.Sprintf("baseline %q is not among the runs; runs are compared with the previous run of the same scenario", baseline))
			doc.Baseline = ""
		}
	}
	m := model.Measure(&correlate.Analysis{Runs: sorted})
	var firsts []string
	for _, r := range sorted {
		cr := compareRun(r, findings[r.Name], t)
		if b := m.Of(r); b != nil && b.LoginPage != nil && b.Successes > 0 {
			p := math.Round(1000*b.LoginPageShare()) / 10
			cr.LoginPagePct = &p
		}
		var prev *correlate.Run
		switch {
		case base != nil && r != base:
			prev = base
		case base == nil:
			prev = model.PreviousSibling(sorted, r)
			if prev == nil {
				firsts = append(firsts, shortName(r.Name))
			}
		}
		if prev != nil {
			cr.ComparedWith = prev.Name
			cr.ChangedParams = model.ParamChanges(ParamsOf(prev), ParamsOf(r))
			doc.Changes = append(doc.Changes, endpointChanges(prev, r, t, m)...)
		}
		doc.Runs = append(doc.Runs, cr)
	}
	if len(firsts) > 0 {
		doc.Notes = append(doc.Notes, "Each run is compared with the previous run of the same scenario (same users, comparable run time, mostly the same endpoints). First of their scenario, not compared: "+strings.Join(firsts, ", ")+".")
	}
	doc.Notes = append(doc.Notes, "An endpoint whose successes were mostly the login page in either run is marked login-page, never improved or regressed: its figures are the login redirect's.")
	return doc
}

func compareRun(r *correlate.Run, fs []rules.Finding, t rules.Targets) CompareRun {
	cr := CompareRun{Name: r.Name, Start: timePtr(r.Start), End: timePtr(r.End), UsersMax: UsersMaxOf(r),
		Summary: SummaryOf(r), Params: ParamsOf(r), Findings: []string{}, Hotspots: []Endpoint{}, ChangedParams: []string{}}
	if !r.Start.IsZero() && !r.End.IsZero() {
		d := r.End.Sub(r.Start).Seconds()
		cr.DurationS = &d
	}
	if lr := model.LoginRow(r); lr != nil {
		cr.Login = &LoginSummary{Name: lr.Name, Requests: lr.Requests, Failures: lr.Failures,
			FailurePct: FailurePct(lr.Failures, lr.Requests), AverageMS: lr.Average, P95MS: lr.P95}
	}
	for _, f := range sortedFindings(fs) {
		cr.Findings = append(cr.Findings, f.ID)
	}
	cr.Conclusion = rules.ConcludeRun(r, fs)
	for _, e := range EndpointsOf(r) {
		if e.P95MS != nil && *e.P95MS > t.P95MS {
			cr.Hotspots = append(cr.Hotspots, e)
		}
	}
	sort.SliceStable(cr.Hotspots, func(i, j int) bool { return *cr.Hotspots[i].P95MS > *cr.Hotspots[j].P95MS })
	if len(cr.Hotspots) > maxHotspots {
		cr.Hotspots = cr.Hotspots[:maxHotspots]
	}
	return cr
}

// withinRounding says whether two Locust response-time figures may be the
// same value, rounded (model.WithinRounding: one rounding step).
func withinRounding(a, b float64) bool { return model.WithinRounding(a, b) }

type endpointKey struct{ method, name string }

// endpointChanges lists the per-endpoint changes from a to b: new and
// vanished endpoints, p95/p99 moves (within-rounding when one rounding
// step or less), and failure-count changes.
func endpointChanges(a, b *correlate.Run, t rules.Targets, m *model.Measurement) []Change {
	ea := EndpointsOf(a)
	loginShare := loginShares(m, a, b)
	before := map[endpointKey]Endpoint{}
	for _, e := range ea {
		before[endpointKey{e.Method, e.Name}] = e
	}
	after := map[endpointKey]Endpoint{}
	var out []Change
	mk := func(e Endpoint, metric string, x, y *float64, verdict string) Change {
		return Change{From: a.Name, To: b.Name, Method: e.Method, Name: e.Name, Metric: metric, Before: x, After: y, Verdict: verdict}
	}
	count := func(n int64) *float64 { v := float64(n); return &v }
	for _, e := range EndpointsOf(b) {
		k := endpointKey{e.Method, e.Name}
		after[k] = e
		p, ok := before[k]
		if !ok {
			out = append(out, mk(e, "requests", nil, count(e.Requests), New))
			continue
		}
		share, haveShare := loginShare[k]
		for _, mt := range []struct {
			name string
			x, y *float64
		}{{"p95_ms", p.P95MS, e.P95MS}, {"p99_ms", p.P99MS, e.P99MS}} {
			if mt.x == nil || mt.y == nil || *mt.x == *mt.y {
				continue
			}
			c := mk(e, mt.name, mt.x, mt.y, "")
			switch {
			case withinRounding(*mt.x, *mt.y):
				c.Verdict = WithinRounding
			case haveShare && share >= 50:
				c.Verdict = LoginPage
			case *mt.y < *mt.x:
				c.Verdict = Improved
			default:
				c.Verdict = Regressed
			}
			if haveShare && share != probableLoginPage {
				v := share
				c.LoginPagePct = &v
			}
			if mt.name == "p95_ms" && c.Verdict != WithinRounding && c.Verdict != LoginPage {
				switch {
				case *mt.x > t.P95MS && *mt.y <= t.P95MS:
					c.Hotspot = "resolved"
				case *mt.x <= t.P95MS && *mt.y > t.P95MS:
					c.Hotspot = "regressed"
				}
			}
			out = append(out, c)
		}
		if p.Failures != e.Failures {
			v := Improved
			if e.Failures > p.Failures {
				v = Regressed
			}
			if failuresWithinChance(p.Failures, p.Requests, e.Failures, e.Requests) {
				v = WithinChance
			}
			c := mk(e, "failures", count(p.Failures), count(e.Failures), v)
			if haveShare {
				if share != probableLoginPage {
					sv := share
					c.LoginPagePct = &sv
				}
				if share >= 50 {
					c.Verdict = LoginPage
				}
			}
			out = append(out, c)
		}
	}
	for _, e := range ea {
		if _, ok := after[endpointKey{e.Method, e.Name}]; !ok {
			out = append(out, mk(e, "requests", count(e.Requests), nil, Vanished))
		}
	}
	return out
}

// WriteCompareJSON writes the logcorr.compare/v1 document.
func WriteCompareJSON(w io.Writer, doc *CompareDoc) error { return writeJSON(w, doc) }

// shortName drops the user's "hasil_test_" prefix for narrow columns.
func shortName(name string) string { return strings.TrimPrefix(name, "hasil_test_") }

// compareCells are one run's cells in the comparison table.
func compareCells(r CompareRun) []string {
	start, dur := "-", "-"
	if r.Start != nil {
		start = r.Start.UTC().Format("01-02 15:04")
	}
	if r.DurationS != nil {
		dur = duration(time.Duration(*r.DurationS * float64(time.Second)))
	}
	req, fail, med, p95, p99, rps := "-", "-", "-", "-", "-", "-"
	if s := r.Summary; s != nil {
		req = humanize.Thousands(s.Requests)
		fail = fmt.Sprintf("%s (%s)", humanize.Thousands(s.Failures), pct(s.FailurePct))
		med, p95, p99, rps = millisP(s.MedianMS), millisP(s.P95MS), millisP(s.P99MS), rpsText(s.RPS)
	}
	login, loginAvg := "-", "-"
	if l := r.Login; l != nil {
		login = fmt.Sprintf("%d/%d", l.Failures, l.Requests)
		loginAvg = millisP(l.AverageMS)
	}
	users := "-"
	if r.UsersMax != nil && *r.UsersMax > 0 {
		users = strconv.FormatInt(*r.UsersMax, 10)
	}
	top := r.Findings
	if len(top) > 3 {
		top = append(append([]string(nil), top[:3]...), fmt.Sprintf("+%d", len(r.Findings)-3))
	}
	return []string{shortName(r.Name), start, users, dur, req, fail, med, p95, p99, rps, login, loginAvg, strings.Join(top, " ")}
}

var compareHeader = []string{"run", "start (UTC)", "users", "duration", "requests", "failures", "median", "p95", "p99", "RPS", "login fail/req", "login avg", "findings"}

// notable reports whether a change is worth a line in the text and
// markdown views (the JSON has them all).
func notable(c Change) bool { return c.Verdict != WithinRounding && c.Verdict != WithinChance }

// pairKey groups changes by the pair of runs compared.
type pairKey struct{ from, to string }

func groupChanges(doc *CompareDoc) ([]pairKey, map[pairKey][]Change) {
	var order []pairKey
	m := map[pairKey][]Change{}
	for _, c := range doc.Changes {
		k := pairKey{c.From, c.To}
		if _, ok := m[k]; !ok {
			order = append(order, k)
		}
		m[k] = append(m[k], c)
	}
	return order, m
}

// maxChangeLines bounds the changes printed per pair in text/markdown.
const maxChangeLines = 12

// rankChanges orders a pair's notable changes: hotspot crossings first,
// then new/vanished, then by size of the move.
func rankChanges(cs []Change) (shown []Change, rounding, hidden int) {
	var keep []Change
	for _, c := range cs {
		if !notable(c) {
			rounding++
			continue
		}
		keep = append(keep, c)
	}
	weight := func(c Change) float64 {
		switch {
		case c.Hotspot != "":
			return math.Inf(1)
		case c.Metric == "failures":
			return math.Abs(*c.After-*c.Before) * 1000
		case c.Before == nil || c.After == nil:
			return 1e12
		}
		return math.Abs(*c.After - *c.Before)
	}
	sort.SliceStable(keep, func(i, j int) bool { return weight(keep[i]) > weight(keep[j]) })
	if len(keep) > maxChangeLines {
		hidden = len(keep) - maxChangeLines
		keep = keep[:maxChangeLines]
	}
	return keep, rounding, hidden
}

// changeLines are the lines the text and markdown views print for one pair
// of runs, unescaped: the ranked changes, then what was left out.
func changeLines(cs []Change) []string {
	shown, rounding, hidden := rankChanges(cs)
	var out []string
	for _, c := range shown {
		out = append(out, changeText(c))
	}
	if hidden > 0 {
		out = append(out, fmt.Sprintf("… %d smaller change(s) in the JSON output", hidden))
	}
	if rounding > 0 {
		out = append(out, fmt.Sprintf("%d move(s) within Locust's rounding or within chance, not counted as changes", rounding))
	}
	if len(shown) == 0 && rounding == 0 {
		out = append(out, "no endpoint changed")
	}
	return out
}

func changeText(c Change) string {
	what := strings.TrimSpace(c.Method + " " + c.Name)
	switch c.Verdict {
	case New:
		return fmt.Sprintf("%s: new (%s requests)", what, rawMS(c.After))
	case Vanished:
		return fmt.Sprintf("%s: vanished (had %s requests)", what, rawMS(c.Before))
	case LoginPage:
		metric := strings.TrimSuffix(c.Metric, "_ms")
		from, to := millisP(c.Before), millisP(c.After)
		if c.Metric == "failures" {
			from, to = rawMS(c.Before), rawMS(c.After)
		}
		if c.LoginPagePct == nil || *c.LoginPagePct == probableLoginPage {
			return fmt.Sprintf("%s: %s %s → %s, not a change of the endpoint: it probably answered the login page (a JSON API averaging within 5 %% of its size)", what, metric, from, to)
		}
		return fmt.Sprintf("%s: %s %s → %s, not a change of the endpoint: %.0f %% of its responses were the login page", what, metric, from, to, *c.LoginPagePct)
	}
	metric := strings.TrimSuffix(c.Metric, "_ms")
	var from, to string
	if c.Metric == "failures" {
		from, to = rawMS(c.Before), rawMS(c.After)
	} else {
		from, to = millisP(c.Before), millisP(c.After)
	}
	s := fmt.Sprintf("%s: %s %s → %s, %s", what, metric, from, to, c.Verdict)
	switch c.Hotspot {
	case "resolved":
		s += " (hotspot resolved: now under the p95 target)"
	case "regressed":
		s += " (new hotspot: now over the p95 target)"
	}
	return s
}

// WriteCompareText writes the comparison for a terminal.
func WriteCompareText(w io.Writer, doc *CompareDoc) error {
	tb := newTableN(w, len(compareHeader), 2, 4, 5, 6, 7, 8, 9, 10, 11)
	hdr := make([]any, len(compareHeader))
	for i, h := range compareHeader {
		hdr[i] = h
	}
	tb.Header(hdr...)
	for _, r := range doc.Runs {
		cells := compareCells(r)
		row := make([]any, len(cells))
		for i, c := range cells {
			row[i] = SanitizeTerminal(c)
		}
		if err := tb.Append(row...); err != nil {
			return err
		}
	}
	if err := tb.Render(); err != nil {
		return err
	}
	ew := &errWriter{w: w}
	for _, r := range doc.Runs {
		if len(r.ChangedParams) > 0 {
			ew.printf("%s: %s\n", SanitizeTerminal(shortName(r.Name)), SanitizeTerminal(strings.Join(r.ChangedParams, ", ")))
		}
	}
	order, groups := groupChanges(doc)
	for _, k := range order {
		ew.printf("\n%s → %s\n", SanitizeTerminal(shortName(k.from)), SanitizeTerminal(shortName(k.to)))
		for _, l := range changeLines(groups[k]) {
			ew.printf("  %s\n", SanitizeTerminal(l))
		}
	}
	for _, n := range doc.Notes {
		ew.printf("\n%s\n", SanitizeTerminal(n))
	}
	return ew.err
}

// CompareMarkdownOptions control WriteCompareMarkdown.
type CompareMarkdownOptions struct {
	// TimelineImage is the link to the runs' timeline charts written
	// beside the document (`compare --format markdown --out cmp.md` →
	// cmp.timeline.svg), shown under the runs table. "" for none.
	TimelineImage string
}

// WriteCompareMarkdown writes the comparison as markdown: the runs table,
// the runs' timeline charts when a file holds them, what changed in the
// parameters, and the endpoint changes per pair.
func WriteCompareMarkdown(w io.Writer, doc *CompareDoc, opt CompareMarkdownOptions) error {
	ew := &errWriter{w: w}
	ew.print("# Run comparison\n\n")
	if doc.Baseline != "" {
		ew.printf("Each run is compared with the baseline %s.\n\n", MarkdownCode(doc.Baseline))
	}
	ew.print("| " + strings.Join(compareHeader, " | ") + " |\n|")
	for i := range compareHeader {
		if i >= 2 && i <= 11 {
			ew.print("--:|")
		} else {
			ew.print("---|")
		}
	}
	ew.print("\n")
	for _, r := range doc.Runs {
		cells := compareCells(r)
		for i, c := range cells {
			cells[i] = MarkdownText(c)
		}
		ew.print("| " + strings.Join(cells, " | ") + " |\n")
	}
	if opt.TimelineImage != "" {
		ew.print(timelineImage(opt.TimelineImage))
	}
	var changed []string
	for _, r := range doc.Runs {
		if len(r.ChangedParams) > 0 {
			changed = append(changed, fmt.Sprintf("- %s: %s", MarkdownCode(r.Name), MarkdownText(strings.Join(r.ChangedParams, ", "))))
		}
	}
	if len(changed) > 0 {
		ew.print("\n## What changed between runs\n\n" + strings.Join(changed, "\n") + "\n")
	}
	var hot []string
	for _, r := range doc.Runs {
		if len(r.Hotspots) == 0 {
			continue
		}
		var hs []string
		for _, h := range r.Hotspots {
			hs = append(hs, MarkdownCode(strings.TrimSpace(h.Method+" "+h.Name))+" "+millisP(h.P95MS))
		}
		hot = append(hot, fmt.Sprintf("- %s: %s", MarkdownCode(shortName(r.Name)), strings.Join(hs, ", ")))
	}
	if len(hot) > 0 {
		ew.printf("\n## p95 hotspots (over %s)\n\n%s\n", humanize.Millis(doc.TargetP95MS), strings.Join(hot, "\n"))
	}
	order, groups := groupChanges(doc)
	if len(order) > 0 {
		ew.print("\n## Endpoint changes\n")
	}
	for _, k := range order {
		ew.printf("\n### %s → %s\n\n", MarkdownText(shortName(k.from)), MarkdownText(shortName(k.to)))
		for _, l := range changeLines(groups[k]) {
			ew.printf("- %s\n", MarkdownText(l))
		}
	}
	for _, n := range doc.Notes {
		ew.printf("\n%s\n", MarkdownText(n))
	}
	return ew.err
}

// probableLoginPage marks an endpoint that is probably the login page
// without a measured share.
const probableLoginPage = 50

// loginShares is, per endpoint, the larger of two runs' login-page shares
// of its successes (percent), for the endpoints the bodies can split.
//
// A JSON API averaging within a few per cent of the login page's size,
// with no run to tell its real size, is probably the login page: it counts
// as probableLoginPage (a share never printed as a figure).
func loginShares(m *model.Measurement, runs ...*correlate.Run) map[endpointKey]float64 {
	out := map[endpointKey]float64{}
	for _, r := range runs {
		b := m.Of(r)
		if b == nil {
			continue
		}
		for _, s := range b.Rows {
			k := endpointKey{s.Row.Type, s.Row.Name}
			if s.Successes == 0 {
				continue
			}
			var v float64
			switch s.Kind {
			case model.SplitReference, model.SplitExact, model.SplitReal, model.SplitShared:
				v = math.Round(1000*s.LoginShare()) / 10
			case model.SplitNearLogin:
				v = probableLoginPage
			default:
				continue
			}
			if old, ok := out[k]; !ok || v > old {
				out[k] = v
			}
		}
	}
	return out
}

// failuresWithinChance reports whether two failure counts are the same
// proportion of their requests within chance: a two-proportion z test,
// |z| < 2.
func failuresWithinChance(fa, na, fb, nb int64) bool {
	if na <= 0 || nb <= 0 {
		return false
	}
	pool := float64(fa+fb) / float64(na+nb)
	se := math.Sqrt(pool * (1 - pool) * (1/float64(na) + 1/float64(nb)))
	if se == 0 {
		return false
	}
	z := (float64(fb)/float64(nb) - float64(fa)/float64(na)) / se
	return math.Abs(z) < 2
}
