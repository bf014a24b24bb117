package report

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/rules"
)

// What the text and markdown diagnoses share: each run's conclusion
// (rules.Conclude: the cause first, the symptoms after it), the overview
// of many runs (the comparison's rows with their verdicts), and the
// findings that hold for several runs, said once with the runs they hold
// for. Both writers read the same view, so the terminal and the document
// never tell two stories.

// runView is what a diagnosis says about one run.
type runView struct {
	run        *correlate.Run
	findings   []rules.Finding // lead order
	conclusion rules.Conclusion
	checks     []rules.CheckStatus
	// repeated are the keys of this run's findings said once under
	// "Across runs".
	repeated map[string]bool
}

// acrossFinding is one finding that holds for several runs.
type acrossFinding struct {
	key, id, severity, title string
	headline                 string // what it says in general (its title); each run's own figures stay in its section
	runs                     []string
}

// diagnosisView is the whole analysis as the diagnoses present it.
type diagnosisView struct {
	runs    []*runView
	across  []acrossFinding
	bodies  *model.Measurement
	targets rules.Targets
}

// buildView puts findings in lead order per run, writes each run's
// conclusion and, when there are several runs, finds what holds for many
// of them. A run's conclusion (its lead finding and the cause behind it)
// is never folded into "Across runs": it is that run's story.
func buildView(a *correlate.Analysis, findings map[string][]rules.Finding, checks map[string][]rules.CheckStatus, t rules.Targets) *diagnosisView {
	v := &diagnosisView{bodies: model.Measure(a), targets: t}
	byKey := map[string]*acrossFinding{}
	var order []string
	for _, r := range a.Runs {
		rv := &runView{run: r, findings: sortedFindings(findings[r.Name]), repeated: map[string]bool{}}
		rv.conclusion = rules.ConcludeRun(r, rv.findings)
		rv.checks = append([]rules.CheckStatus(nil), checks[r.Name]...)
		rules.SortStatuses(rv.checks)
		v.runs = append(v.runs, rv)
		if len(a.Runs) < 2 {
			continue
		}
		for _, f := range rv.findings {
			if f.ID == rv.conclusion.Lead || f.ID == rv.conclusion.WhyLead {
				continue
			}
			k := findingKey(f)
			af := byKey[k]
			if af == nil {
				af = &acrossFinding{key: k, id: f.ID, severity: f.Severity, title: f.Title, headline: f.Title}
				byKey[k] = af
				order = append(order, k)
			}
			if sevRank(f.Severity) > sevRank(af.severity) {
				af.severity = f.Severity
			}
			if len(af.runs) == 0 || af.runs[len(af.runs)-1] != r.Name {
				af.runs = append(af.runs, r.Name)
			}
		}
	}
	for _, k := range order {
		af := byKey[k]
		if len(af.runs) < 2 {
			continue
		}
		v.across = append(v.across, *af)
		for _, rv := range v.runs {
			for _, name := range af.runs {
				if name == rv.run.Name {
					rv.repeated[k] = true
				}
			}
		}
	}
	sort.SliceStable(v.across, func(i, j int) bool {
		if si, sj := sevRank(v.across[i].severity), sevRank(v.across[j].severity); si != sj {
			return si > sj
		}
		if len(v.across[i].runs) != len(v.across[j].runs) {
			return len(v.across[i].runs) > len(v.across[j].runs)
		}
		return v.across[i].key < v.across[j].key
	})
	return v
}

func findingKey(f rules.Finding) string {
	if f.Key != "" {
		return f.Key
	}
	return f.ID
}

// runNames writes run names short, as a list: "v18, v19 pool100, +3 more".
func runNames(names []string, max int) string {
	var out []string
	for i, n := range names {
		if max > 0 && i == max {
			out = append(out, fmt.Sprintf("+%d more", len(names)-max))
			break
		}
		out = append(out, shortName(n))
	}
	return strings.Join(out, ", ")
}

// overviewRow is one run's row of the overview that opens a diagnosis of
// several runs.
type overviewRow struct {
	name, start, users, duration, requests, failures, p95, logins, loginPages, verdict string
}

var overviewHeader = []string{"run", "start (UTC)", "users", "duration", "requests", "failures", "p95", "login fail/req", "login pages", "conclusion"}

func (v *diagnosisView) overview(maxVerdict int) []overviewRow {
	var out []overviewRow
	for _, rv := range v.runs {
		cr := compareRun(rv.run, rv.findings, v.targets)
		c := compareCells(cr)
		row := overviewRow{name: c[0], start: c[1], users: c[2], duration: c[3], requests: c[4], failures: c[5], p95: c[7], logins: c[10],
			loginPages: loginPagesCell(v.bodies.Of(rv.run)), verdict: rv.conclusion.Short(maxVerdict)}
		out = append(out, row)
	}
	return out
}

func (r overviewRow) cells() []string {
	return []string{r.name, r.start, r.users, r.duration, r.requests, r.failures, r.p95, r.logins, r.loginPages, r.verdict}
}

// loginPagesCell is the share of a run's non-login successes that were the
// login page: "≥ 90.0 %", "-" when nothing can be said.
func loginPagesCell(b *model.Bodies) string {
	if b == nil || b.Successes == 0 || b.LoginPage == nil {
		return "-"
	}
	lo, hi := 100*b.LoginPageShare(), 100*b.UpperShare()
	if hi-lo < 0.05 {
		return fmt.Sprintf("%.1f %%", lo)
	}
	return fmt.Sprintf("%.1f–%.1f %%", lo, hi)
}

// conclusionLines are the labelled lines of a run's conclusion, unescaped:
// the caller escapes them for its medium.
type conclusionLine struct{ label, text string }

func conclusionLines(c rules.Conclusion, ref func(rules.Evidence) string) []conclusionLine {
	var out []conclusionLine
	label := "Root cause"
	switch c.Verdict {
	case rules.VerdictInvalid:
		label = "Conclusion"
	case rules.VerdictSymptoms, rules.VerdictClean, rules.VerdictUnmeasured:
		label = "Conclusion"
	}
	text := c.Text
	if c.Lead != "" {
		text += fmt.Sprintf(" [%s, confidence %s]", c.Lead, conf(c.Confidence))
	}
	out = append(out, conclusionLine{label, text})
	if c.Why != "" {
		out = append(out, conclusionLine{"Why", c.Why})
	}
	if c.Impact != "" {
		out = append(out, conclusionLine{"Impact", capitalizeFirst(c.Impact) + "."})
	}
	if len(c.RuledOut) > 0 {
		out = append(out, conclusionLine{"It is not", strings.Join(c.RuledOut, "; nor ") + "."})
	}
	for i, e := range c.Evidence {
		l := ""
		if i == 0 {
			l = "Evidence"
		}
		out = append(out, conclusionLine{l, ref(e)})
	}
	if c.Fix != "" {
		out = append(out, conclusionLine{"Fix", c.Fix})
	}
	if len(c.Caveats) > 0 {
		out = append(out, conclusionLine{"Caveats", "Missing: " + strings.Join(c.Caveats, "; ") + "."})
	}
	if len(c.Symptoms) > 0 {
		out = append(out, conclusionLine{"Symptoms", strings.Join(c.Symptoms, "; ") + " (consequences of the above, listed after it)."})
	}
	return out
}

func capitalizeFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// citeNote is a citation as the diagnosis body shows it: where, and the
// columns that matter or why it is cited; the line itself goes to the
// evidence appendix.
func citeNote(e rules.Evidence) string {
	s := evidenceRef(e)
	switch {
	case e.Note != "" && isTableRow(e):
		return s + " — " + e.Note
	case e.Note != "":
		return s + " — " + e.Note + ": " + clipText(e.Text, 160)
	}
	return s + ": " + clipText(e.Text, 160)
}

// isTableRow reports whether a citation is a row of one of Locust's
// tables (a CSV row or the HTML report's entry): the note names its
// columns, and the row itself waits in the appendix. Log lines are shown.
func isTableRow(e rules.Evidence) bool {
	return strings.HasSuffix(e.File, ".csv") || strings.HasSuffix(e.File, ".html")
}

// appendixEntry is a cited line as the file holds it.
type appendixEntry struct {
	ref, text string
}

// appendix lists the distinct lines a run's findings cite, in order of
// first citation, and the column headers of the Locust files among them
// (so a 22-column row is read by name, once).
func appendix(fs []rules.Finding, c rules.Conclusion) ([]appendixEntry, []string) {
	seen := map[string]bool{}
	var out []appendixEntry
	kinds := map[string]bool{}
	add := func(e rules.Evidence) {
		k := evidenceRef(e) + "\x00" + e.Text
		if seen[k] {
			return
		}
		seen[k] = true
		out = append(out, appendixEntry{evidenceRef(e), e.Text})
		for suf := range locustColumns {
			if strings.HasSuffix(e.File, suf) && !strings.HasPrefix(e.Text, "requests_statistics:") {
				kinds[suf] = true
			}
		}
	}
	for _, e := range c.Evidence {
		add(e)
	}
	for _, f := range fs {
		for _, e := range f.Evidence {
			add(e)
		}
	}
	var heads []string
	for _, suf := range []string{"_stats.csv", "_stats_history.csv", "_failures.csv", "_exceptions.csv"} {
		if kinds[suf] {
			heads = append(heads, "*"+suf+": "+locustColumns[suf])
		}
	}
	return out, heads
}

// locustColumns are the columns of Locust's CSV rows as the evidence
// cites them.
var locustColumns = map[string]string{
	"_stats.csv": "Type, Name, Request Count, Failure Count, Median Response Time, Average Response Time, Min Response Time, " +
		"Max Response Time, Average Content Size, Requests/s, Failures/s, 50%, 66%, 75%, 80%, 90%, 95%, 98%, 99%, 99.9%, 99.99%, 100%",
	"_stats_history.csv": "Timestamp, User Count, Type, Name, Requests/s, Failures/s, 50%, 66%, 75%, 80%, 90%, 95%, 98%, 99%, 99.9%, 99.99%, 100%, " +
		"Total Request Count, Total Failure Count, Total Median Response Time, Total Average Response Time, Total Min Response Time, " +
		"Total Max Response Time, Total Average Content Size",
	"_failures.csv":   "Method, Name, Error, Occurrences",
	"_exceptions.csv": "Count, Message, Traceback, Nodes (a quoted traceback spans lines: the row's first line is cited)",
}

// checkGroups splits a run's check statuses for the "what was checked"
// part: the rules that could not run for lack of evidence (grouped by
// what they lacked) and those that read their evidence and found nothing.
func checkGroups(st []rules.CheckStatus) (cannot map[string][]string, cannotOrder []string, nothing []string) {
	cannot = map[string][]string{}
	for _, s := range st {
		switch s.Status {
		case rules.StatusCannotCheck:
			k := strings.Join(s.Missing, "; ")
			if _, ok := cannot[k]; !ok {
				cannotOrder = append(cannotOrder, k)
			}
			cannot[k] = append(cannot[k], s.ID)
		case rules.StatusNoFinding:
			nothing = append(nothing, s.ID)
		}
	}
	return cannot, cannotOrder, nothing
}

// effectiveFailures is the run's failure rate counting its login pages as
// failures ("" when the bodies say nothing).
func effectiveFailures(r *correlate.Run, b *model.Bodies) string {
	agg := r.Aggregated
	if agg == nil || b == nil || b.LoginPages < 0.5 || agg.Requests == 0 {
		return ""
	}
	eff := 100 * (float64(agg.Failures) + math.Round(b.LoginPages)) / float64(agg.Requests)
	return fmt.Sprintf("%s (login pages counted as failures)", humanize.Pct(eff))
}
