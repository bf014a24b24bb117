package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
)

// serverErrorsUnexplained reports 5xx no other signal explains: request
// lines the correlation could not link to a traceback or pooler error, or
// Locust 5xx failures with no server log at all.
var serverErrorsUnexplained = &Check[noParams]{
	ID:    "server-errors-unexplained",
	Doc:   "server errors with no cause in the logs",
	Needs: []Need{{SrcRunserver, SrcFailures}},
	Run:   runServerErrorsUnexplained,
}

func init() { register(serverErrorsUnexplained) }

// checkUnexplained reports 5xx no other signal explains: request lines the
// correlation could not link to a traceback or pooler error, or Locust 5xx
// failures with no server log at all.
func runServerErrorsUnexplained(ctx *Context, _ *noParams) []Finding {
	run := ctx.Run
	// Counted from the chains of the run's own window (LinkStats spans
	// the correlation margin too).
	var serverErrors, unlinked int64
	var ev []Evidence
	paths := map[string]int64{}
	for _, c := range ownChains(ctx) {
		if c.Status < 500 {
			continue
		}
		serverErrors++
		if c.Traceback != nil || c.Pooler != nil || c.ServerError != nil && c.ExcType != "" {
			continue
		}
		unlinked++
		ev = append(ev, RefEvidence(&c.Anchor))
		paths[strings.TrimSpace(c.Method+" "+templatePath(c.Path))]++
	}
	if unlinked > 0 {
		sum := fmt.Sprintf("%s of %s server errors have neither a traceback nor a pooler error linked to them", humanize.Thousands(unlinked), humanize.Thousands(serverErrors))
		if len(paths) > 0 {
			sum += ": " + countBy(paths, 6)
		}
		login := int64(0)
		for k, n := range paths {
			if strings.HasPrefix(k, "POST ") && model.IsLoginName(k) {
				login += n
			}
		}
		_, post := model.LoginRows(run)
		return []Finding{{
			Role:       RoleCause,
			Severity:   scaledSeverity(High, unlinked, aggRequests(run), post != nil && login*10 >= post.Requests),
			Confidence: 0.8,
			Summary:    sum + ". Their cause is not in the logs given.",
			Interpretation: "The server answered 5xx but nothing logged near them says why: the exception was swallowed, logged " +
				"elsewhere, or outside the link tolerance.",
			Recommendation: "Give every server log of the run (django_errors.log, runserver stderr, PgBouncer's log); make sure " +
				"exceptions are logged with tracebacks; rerun if they were not captured.",
			Evidence: PickEvidence(ev, MaxEvidence),
			Missing:  []string{"a traceback or pooler error for each cited 5xx"},
			Metrics:  map[string]float64{"unlinked": float64(unlinked), "server_errors": float64(serverErrors)},
		}}
	}
	rows, n := csv5xx(run)
	if n == 0 || hasServerLogs(ctx) {
		return nil
	}
	// A request name stopping at PgBouncer's 120 s timeout is explained
	// (by pgbouncer-pool-exhausted, from the CSV) even without logs.
	ceiling := map[string]bool{}
	if c := ctx.runCeiling(); c != nil {
		for _, r := range append(append([]*parsers.StatRow(nil), c.Rows...), c.Piled...) {
			ceiling[r.Name] = true
		}
	}
	names := map[string]int64{}
	var cited []*parsers.FailureRow
	var left int64
	for _, f := range rows {
		if ceiling[f.Name] {
			continue
		}
		left += f.Occurrences
		names[f.Name] += f.Occurrences
		cited = append(cited, f)
	}
	if left == 0 {
		return nil
	}
	sort.SliceStable(cited, func(i, j int) bool { return cited[i].Line < cited[j].Line })
	ev = citeFirst(cited, FailureEvidence, MaxEvidence)
	f := Finding{
		Role:       RoleCause,
		Severity:   scaledSeverity(High, left, aggRequests(run), loginsAffected(run, names)),
		Confidence: 0.6,
		Summary: fmt.Sprintf("Locust recorded %s server-error (5xx) failures — %s — and no server log was given for this run, so their cause cannot be shown.",
			humanize.Thousands(left), countBy(names, 6)),
		Headline:       fmt.Sprintf("%s requests failed with 5xx (%s); their cause is not in the files given (no server log)", humanize.Thousands(left), countBy(names, 2)),
		Interpretation: "The CSV proves the server failed these requests but not why; the server's logs for the same minutes would.",
		Recommendation: "Analyse the run together with django_errors.log, runserver stderr and PgBouncer's log from the same time.",
		Evidence:       ev,
		Missing:        []string{"Django error log / runserver stderr", "PgBouncer log"},
		Metrics:        map[string]float64{"locust_5xx_failures": float64(left)},
	}
	// A server log given but left off every run (its clock offset is
	// unknown) is not "no server log": say which, and how to place it.
	if given := offClock(unplacedLogs(ctx), SrcDjango, SrcRunserver, SrcPgBouncer); given != "" {
		f.Summary = fmt.Sprintf("Locust recorded %s server-error (5xx) failures — %s — and no server log could be placed on this run's clock: %s, so their cause cannot be shown.",
			humanize.Thousands(left), countBy(names, 6), strings.TrimPrefix(given, " — "))
		f.Headline = fmt.Sprintf("%s requests failed with 5xx (%s); the server logs given are not on the run's clock (offset unknown), so their cause is not shown", humanize.Thousands(left), countBy(names, 2))
		f.Recommendation = "Give the server logs' zone (--tz, or --tz-source FILE=ZONE for each) and analyse again; give every server log of the run (django_errors.log, runserver stderr, PgBouncer's log) from the same time."
		f.Missing = []string{missingFrom(ctx, "Django error log / runserver stderr", SrcDjango, SrcRunserver), missingFrom(ctx, "PgBouncer log", SrcPgBouncer)}
	}
	return []Finding{f}
}

// hasServerLogs reports whether any application-server or pooler log
// contributed events to the run.
func hasServerLogs(ctx *Context) bool {
	for _, e := range ownEvents(ctx).All() {
		if serverSource(e) || e.Source() == schema.SourcePgBouncer {
			return true
		}
	}
	return false
}
