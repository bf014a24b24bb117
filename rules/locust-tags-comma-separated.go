package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
)

// Locust's --tags/--exclude-tags take space-separated values: a comma
// makes one tag "a,b".
var locustTagsCommaSeparated = &Check[locustTagsCommaSeparatedParams]{
	ID:    "locust-tags-comma-separated",
	Doc:   "--tags / --exclude-tags given a comma-separated list",
	Needs: []Need{{SrcConsole, SrcHTML, SrcExceptions, SrcSiblingRuns}},
	Run:   runLocustTagsCommaSeparated,
}

// "tags-comma-separated" is the check's name in rule files written before
// checks were named by their rule's ID.
func init() { register(locustTagsCommaSeparated, "tags-comma-separated") }

type locustTagsCommaSeparatedParams struct {
	AuthNameToken string `yaml:"auth_name_token"` // a run name with it was meant to test logins only
}

func runLocustTagsCommaSeparated(ctx *Context, p *locustTagsCommaSeparatedParams) []Finding {
	r := ctx.Run
	var out []Finding
	for _, exclude := range []bool{false, true} {
		vals, src := tagArgs(r, exclude)
		var comma []string
		for _, v := range vals {
			if strings.Contains(v, ",") {
				comma = append(comma, v)
			}
		}
		if len(comma) == 0 {
			continue
		}
		flag := "--tags"
		effect := "Locust ran only the tasks carrying a tag literally named %q — none do, so only untagged tasks (here the login flow) ran"
		if exclude {
			flag = "--exclude-tags"
			effect = "Locust excluded only tasks tagged literally %q — none are, so nothing was excluded"
		}
		f := Finding{
			Confidence:     0.95,
			Summary:        fmt.Sprintf("%s was given the comma-separated value %q: Locust reads it as ONE tag.", flag, comma[0]),
			Interpretation: fmt.Sprintf(effect, comma[0]) + ". Locust's tag options take space-separated values.",
			Recommendation: fmt.Sprintf("Rerun with %s %s.", flag, strings.ReplaceAll(comma[0], ",", " ")),
			Evidence:       []Evidence{MetaEvidence(src)},
			Metrics:        map[string]float64{"requests": float64(aggRequests(r))},
		}
		if exclude {
			f.Severity = "medium"
		}
		out = append(out, f)
	}
	if len(out) > 0 {
		return out
	}
	if f, ok := inferExcludeComma(ctx); ok {
		out = append(out, f)
	}
	// No command line: infer from what the files show. Only untagged
	// tasks (the login flow) ran, a user class raised "No tasks defined",
	// and the run's name does not say it was meant to test auth only.
	exRows, classes := noTaskClasses(r)
	if len(exRows) == 0 || !model.OnlyAuth(r) || nameSays(r.Name, p.AuthNameToken) {
		return out
	}
	// Before guessing the tags, read which user classes ran and with what
	// weights: a run whose classes other than the login's weigh nothing
	// ran only logins by design, not because of a tag.
	table, appClasses := classTable(r)
	if len(r.Tasks) > 0 && appClasses == 0 {
		return out
	}
	f := Finding{
		Confidence: 0.8,
		Summary: fmt.Sprintf("Only login requests ran (%s requests) and user class %s had no tasks at all: the task filter (--tags) matched nothing but untagged tasks.",
			humanize.Thousands(aggRequests(r)), strings.Join(classes, ", ")),
		Interpretation: "Locust raises \"No tasks defined on <class>\" when tag filtering removed every task of a user class. Together with a run that recorded nothing but logins, the likeliest cause is --tags given a comma-separated list (\"--tags api,page\" is one tag named \"api,page\"), which no task carries. The run's figures describe logins only, not the application under load.",
		Recommendation: "Check the command line; pass tags space-separated (--tags api page phase1 phase2) and rerun.",
		Missing:        []string{"the Locust command line (console log or HTML report) to confirm the --tags value"},
		Metrics:        map[string]float64{"requests": float64(aggRequests(r)), "no_task_exceptions": float64(sumExc(exRows))},
	}
	if table != "" {
		f.Summary += " " + table
	} else {
		f.Missing = append(f.Missing, "the HTML report's user-class table (which classes ran, with what weights), to tell a tag filter from class weights")
	}
	for _, e := range exRows {
		f.Evidence = append(f.Evidence, ExceptionEvidence(e))
	}
	f.Evidence = append(f.Evidence, authRowsEvidence(r, "")...)
	if t, ok := findIdleTail(r); ok && t.Seconds() >= 30 {
		f.Confidence = 0.85
		f.Evidence = append(f.Evidence, noted(HistoryEvidence(t.From), "last request completed"), noted(HistoryEvidence(t.To), fmt.Sprintf("%.0f s later: no new request while %d users were running", t.Seconds(), t.Users)))
		f.Metrics["idle_tail_s"] = t.Seconds()
	}
	return append(out, f)
}

// inferExcludeComma: no command line, but the run's name lists two or more
// exclusions ("no_export_no_admin") and one of the excluded kinds ran in
// full (as many request names as in a run that did not exclude it). That
// is what "--exclude-tags export,admin" (one tag) produces.
func inferExcludeComma(ctx *Context) (Finding, bool) {
	r := ctx.Run
	kinds := nameExclusions(r.Name)
	if len(kinds) < 2 || ctx.Analysis == nil {
		return Finding{}, false
	}
	if vals, _ := tagArgs(r, true); len(vals) > 0 {
		return Finding{}, false // the command line is known: handled above
	}
	for _, kind := range kinds {
		rows := kindRows(nil, r, kind)
		ref, refRun := 0, ""
		for _, o := range ctx.Analysis.Runs {
			if o == r || excludes(o, kind) {
				continue
			}
			if n := ctx.kindCount(nil, o, kind); n > ref {
				ref, refRun = n, o.Name
			}
		}
		if ref == 0 || len(rows)*2 < ref {
			continue
		}
		sortRowsByRequests(rows)
		f := Finding{
			Severity:   "medium",
			Confidence: 0.5,
			Summary: fmt.Sprintf("The run's name says %s were excluded, yet %d %s request names ran (run %s, which did not exclude them, had %d): consistent with --exclude-tags %s given as one comma-separated tag.",
				strings.Join(kinds, " and "), len(rows), kind, refRun, ref, strings.Join(kinds, ",")),
			Interpretation: "Locust's --exclude-tags takes space-separated values; \"--exclude-tags " + strings.Join(kinds, ",") + "\" excludes only tasks tagged with that literal string, i.e. none. A misspelt or missing tag gives the same picture, so this is an inference from the files, not a fact read from the command line.",
			Recommendation: "Check the command line; pass --exclude-tags " + strings.Join(kinds, " ") + " (space-separated) and rerun.",
			Missing:        []string{"the Locust command line (console log or HTML report)"},
			Metrics:        map[string]float64{"names": float64(len(rows)), "reference_names": float64(ref)},
		}
		for _, s := range rows {
			f.Evidence = append(f.Evidence, StatEvidence(s))
		}
		return f, true
	}
	return Finding{}, false
}

// classTable says which user classes the HTML report's tasks table lists,
// with their weights and task counts, and how many of them hold tasks
// that are not the login flow's. "" when the run has no such table.
func classTable(r *correlate.Run) (string, int) {
	if len(r.Tasks) == 0 {
		return "", 0
	}
	type cls struct {
		ratio float64
		tasks int
		app   int
	}
	by := map[string]*cls{}
	var names []string
	for _, t := range r.Tasks {
		c := by[t.UserClass]
		if c == nil {
			c = &cls{ratio: t.ClassRatio}
			by[t.UserClass] = c
			names = append(names, t.UserClass)
		}
		c.tasks++
		if !model.IsAuthName(t.Task) {
			c.app++
		}
	}
	sort.Strings(names)
	var parts []string
	app := 0
	for _, n := range names {
		c := by[n]
		parts = append(parts, fmt.Sprintf("%s %.0f %% (%d %s)", n, 100*c.ratio, c.tasks, humanize.Plural(int64(c.tasks), "task", "tasks")))
		if c.app > 0 && c.ratio > 0 {
			app++
		}
	}
	return "The HTML report's user classes: " + strings.Join(parts, ", ") + ".", app
}
