package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// Checks about what a run actually exercised compared with what it was
// meant to: Locust's --tags/--exclude-tags semantics (space-separated: a
// comma makes one tag "a,b"), user classes whose tasks were all filtered,
// and runs that only ever logged in.

func init() {
	RegisterCheck("tags-comma-separated", checkTagsComma)
	RegisterCheck("excluded-tag-ran", checkExcludedTagRan)
	RegisterCheck("user-class-without-tasks", checkUserClassWithoutTasks)
	RegisterCheck("auth-only-run", checkAuthOnlyRun)
}

const noTasksPrefix = "No tasks defined on "

// noTaskClasses returns the "No tasks defined on X" exception rows and the
// class names they name.
func noTaskClasses(r *correlate.Run) (rows []*parsers.ExceptionRow, classes []string) {
	seen := map[string]bool{}
	for _, e := range model.ExceptionRows(r) {
		msg := e.Message
		k := strings.Index(msg, noTasksPrefix)
		if k < 0 {
			msg = e.Traceback
			k = strings.Index(msg, noTasksPrefix)
			if k < 0 {
				continue
			}
		}
		rest := msg[k+len(noTasksPrefix):]
		end := strings.IndexAny(rest, ". {")
		if end < 0 {
			end = len(rest)
		}
		c := rest[:end]
		rows = append(rows, e)
		if c != "" && !seen[c] {
			seen[c] = true
			classes = append(classes, c)
		}
	}
	sort.Strings(classes)
	return rows, classes
}

func authRowsEvidence(r *correlate.Run, note string) []Evidence {
	var ev []Evidence
	for _, s := range model.RequestRows(r) {
		ev = append(ev, noted(StatEvidence(s), note))
	}
	return ev
}

func checkTagsComma(ctx *Context) []Finding {
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
	if len(exRows) == 0 || !onlyAuthRequests(r) || nameSaysAuth(ctx, r.Name) {
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
		rows := kindRows(ctx, r, kind)
		ref, refRun := 0, ""
		for _, o := range ctx.Analysis.Runs {
			if o == r || excludes(o, kind) {
				continue
			}
			if n := len(kindRows(ctx, o, kind)); n > ref {
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

func nameSaysAuth(ctx *Context, name string) bool {
	return strings.Contains(strings.ToLower(name), paramString(ctx, "auth_name_token", "auth"))
}

func aggRequests(r *correlate.Run) int64 {
	if a := model.AggregatedRow(r); a != nil {
		return a.Requests
	}
	var n int64
	for _, s := range model.RequestRows(r) {
		n += s.Requests
	}
	return n
}

func aggFailures(r *correlate.Run) int64 {
	if a := model.AggregatedRow(r); a != nil {
		return a.Failures
	}
	var n int64
	for _, s := range model.RequestRows(r) {
		n += s.Failures
	}
	return n
}

func sumExc(rows []*parsers.ExceptionRow) int64 {
	var n int64
	for _, e := range rows {
		n += e.Count
	}
	return n
}

// excludedKinds are the kinds of requests the run was meant to leave out,
// from --exclude-tags (comma-split: that is what the user meant, even when
// Locust read it as one tag) and the run's name (no_export).
func excludedKinds(r *correlate.Run) (kinds []string, fromCmd *parsers.MetaRow) {
	seen := map[string]bool{}
	vals, src := tagArgs(r, true)
	for _, v := range vals {
		for _, k := range strings.Split(v, ",") {
			k = strings.ToLower(strings.TrimSpace(k))
			if k != "" && !seen[k] {
				seen[k] = true
				kinds = append(kinds, k)
				fromCmd = src
			}
		}
	}
	for _, k := range nameExclusions(r.Name) {
		if !seen[k] {
			seen[k] = true
			kinds = append(kinds, k)
		}
	}
	return kinds, fromCmd
}

// kindRows returns the request rows whose name matches an excluded kind:
// the kind's pattern from the rule's kind_patterns (substrings separated by
// "|"), else the kind itself as a substring.
func kindRows(ctx *Context, r *correlate.Run, kind string) []*parsers.StatRow {
	pats := strings.Split(kind, "|")
	if p, ok := paramMap(ctx, "kind_patterns", nil)[kind]; ok && p != "" {
		pats = strings.Split(p, "|")
	}
	var out []*parsers.StatRow
	for _, s := range model.RequestRows(r) {
		l := strings.ToLower(s.Name)
		for _, p := range pats {
			if p != "" && strings.Contains(l, strings.ToLower(p)) {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

func checkExcludedTagRan(ctx *Context) []Finding {
	r := ctx.Run
	kinds, cmd := excludedKinds(r)
	var out []Finding
	for _, kind := range kinds {
		rows := kindRows(ctx, r, kind)
		if len(rows) == 0 {
			continue
		}
		sortRowsByRequests(rows)
		var req, fail int64
		for _, s := range rows {
			req += s.Requests
			fail += s.Failures
		}
		// How many distinct names of this kind do runs that did not
		// exclude it record? Tells "exclusion ignored" from "a few tasks
		// of this kind are not tagged with it".
		ref, refRun := 0, ""
		if ctx.Analysis != nil {
			for _, o := range ctx.Analysis.Runs {
				if o == r || excludes(o, kind) {
					continue
				}
				if n := len(kindRows(ctx, o, kind)); n > ref {
					ref, refRun = n, o.Name
				}
			}
		}
		said := fmt.Sprintf("the run's name %q", r.Name)
		if cmd != nil {
			said = "the command line (" + cmd.File + ")"
		}
		total := aggRequests(r)
		f := Finding{
			Confidence: 0.9,
			Summary: fmt.Sprintf("%s says %q requests were excluded, yet %s %q request(s) over %d request name(s) ran (%.1f%% of %s requests, %d failures).",
				said, kind, humanize.Thousands(req), kind, len(rows), pct(req, total), humanize.Thousands(total), fail),
			Metrics: map[string]float64{"requests": float64(req), "failures": float64(fail), "names": float64(len(rows)), "share_pct": pct(req, total)},
		}
		switch {
		case ref > 0 && len(rows)*2 < ref:
			f.Severity = "medium"
			f.Interpretation = fmt.Sprintf("The exclusion took effect for most %s tasks (run %s, which did not exclude them, recorded %d %s request names; this run %d), but these names still ran: their tasks are probably not tagged %q in the locustfile. Their latency and failures are part of this run's totals.", kind, refRun, ref, kind, len(rows), kind)
			f.Recommendation = fmt.Sprintf("Tag these tasks %q in the locustfile (or exclude them by another tag) and rerun before comparing with runs that include %s traffic.", kind, kind)
			f.Metrics["reference_names"] = float64(ref)
		case ref > 0:
			f.Severity = "high"
			f.Interpretation = fmt.Sprintf("The %s tasks ran as if nothing was excluded (%d %s request names here, %d in run %s which did not exclude them): the exclusion did not take effect (a comma-separated --exclude-tags value is one tag; a misspelt tag matches nothing). Comparisons with a genuine no-%s run are invalid.", kind, len(rows), kind, ref, refRun, kind)
			f.Recommendation = "Pass --exclude-tags values space-separated (--exclude-tags export admin), check the tag names in the locustfile, and rerun."
			f.Metrics["reference_names"] = float64(ref)
		default:
			f.Severity = "medium"
			f.Confidence = 0.8
			f.Interpretation = fmt.Sprintf("Requests of a kind meant to be left out are part of this run's totals. Whether the exclusion failed entirely or only some %s tasks lack the tag cannot be told without a run that did not exclude them.", kind)
			f.Recommendation = fmt.Sprintf("Check the tags of these tasks and the --exclude-tags value (space-separated), and rerun without %s traffic before comparing.", kind)
			f.Missing = append(f.Missing, "a run without the exclusion, to tell a failed exclusion from untagged tasks")
		}
		if cmd != nil {
			f.Evidence = append(f.Evidence, MetaEvidence(cmd))
		}
		for _, s := range rows {
			f.Evidence = append(f.Evidence, StatEvidence(s))
		}
		out = append(out, f)
	}
	return out
}

// excludes reports whether a run's name or command line excluded kind.
func excludes(r *correlate.Run, kind string) bool {
	ks, _ := excludedKinds(r)
	for _, k := range ks {
		if k == kind {
			return true
		}
	}
	return false
}

func checkUserClassWithoutTasks(ctx *Context) []Finding {
	r := ctx.Run
	rows, classes := noTaskClasses(r)
	if len(rows) == 0 {
		return nil
	}
	n := sumExc(rows)
	f := Finding{
		Confidence: 0.95,
		Summary: fmt.Sprintf("User class %s had no tasks: Locust raised \"No tasks defined on …\" %s times; the users it spawned sent no requests.",
			strings.Join(classes, ", "), humanize.Thousands(n)),
		Interpretation: "Every task of the class was filtered out (by --tags/--exclude-tags) or the class defines none. Locust still spawns its share of the users; each one only raises this exception and waits, so the load the run applied is smaller than its user count says.",
		Recommendation: "Fix the tag filter or mark the class abstract; compare only runs whose user classes all had tasks.",
		Metrics:        map[string]float64{"exceptions": float64(n)},
	}
	// The HTML report's task table gives the share of users per class.
	users := model.UsersMax(r)
	for _, c := range classes {
		var ratio float64
		found := false
		for _, t := range r.Tasks {
			if t.UserClass == c {
				ratio, found = t.ClassRatio, true
				break
			}
		}
		if found && users > 0 {
			f.Metrics["users_"+c] = ratio * float64(users)
			f.Summary += fmt.Sprintf(" %s held %.0f%% of the %d users (HTML tasks table).", c, ratio*100, users)
		}
	}
	if len(r.Tasks) == 0 {
		f.Missing = append(f.Missing, "the HTML report's tasks table (share of users per class)")
	}
	for _, e := range rows {
		f.Evidence = append(f.Evidence, ExceptionEvidence(e))
	}
	return []Finding{f}
}

func checkAuthOnlyRun(ctx *Context) []Finding {
	r := ctx.Run
	if !onlyAuthRequests(r) || nameSaysAuth(ctx, r.Name) {
		return nil
	}
	total := aggRequests(r)
	f := Finding{
		Confidence: 0.8,
		Summary: fmt.Sprintf("Run %q recorded only authentication requests (%s requests, %s failures) although its name does not say auth-only: no application endpoint was measured.",
			r.Name, humanize.Thousands(total), humanize.Thousands(aggFailures(r))),
		Interpretation: "Every request name is part of the login flow. Its failure rate and percentiles are login figures and cannot be compared with full runs' figures. Typical causes: a task filter that matched nothing but untagged tasks, user classes without tasks, or users that stop (or block) after logging in.",
		Recommendation: "Do not report this run as a full load test; find why no other task ran (command line, exceptions) and rerun.",
		Metrics:        map[string]float64{"requests": float64(total), "users_max": float64(model.UsersMax(r))},
	}
	f.Evidence = authRowsEvidence(r, "")
	if t, ok := findIdleTail(r); ok && t.Seconds() >= 30 {
		f.Confidence = 0.9
		f.Summary += fmt.Sprintf(" For the last %.0f s %d users ran and no request completed.", t.Seconds(), t.Users)
		f.Evidence = append(f.Evidence, noted(HistoryEvidence(t.From), "last request completed"), noted(HistoryEvidence(t.To), "end of history"))
		f.Metrics["idle_tail_s"] = t.Seconds()
	}
	if rows, classes := noTaskClasses(r); len(rows) > 0 {
		f.Interpretation += fmt.Sprintf(" Here user class %s had no tasks (see user-class-without-tasks).", strings.Join(classes, ", "))
	}
	return []Finding{f}
}
