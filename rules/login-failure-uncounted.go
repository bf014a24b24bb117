package rules

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/model/schema"
)

// loginFailureUncounted compares failed logins seen in the logs with the
// failures Locust recorded for its login POST rows.
var loginFailureUncounted = &Check[loginFailureUncountedParams]{
	ID:    "login-failure-uncounted",
	Doc:   "failed logins counted as successes",
	Needs: []Need{{SrcStats}},
	Run:   runLoginFailureUncounted,
}

func init() { register(loginFailureUncounted) }

type loginFailureUncountedParams struct {
	MinUncounted int64   `yaml:"min_uncounted"` // uncounted failed logins before it fires
	LoginName    Pattern `yaml:"login_name"`    // login POST rows' names
}

// inRun reports whether an event lies inside the run's own window (not
// its margin): what Locust could have counted. Unknown windows accept all.
func inRun(run *correlate.Run, e *correlate.Event) bool {
	if run.Start.IsZero() || run.End.IsZero() {
		return true
	}
	if !e.Resolved() {
		return false
	}
	return !e.Time().Before(run.Start.Add(-time.Second)) && !e.Time().After(run.End.Add(time.Second))
}

// loginPageReturned are the words of a failed login as the locustfile or
// Locust's console reports it; loginPageReturnedRE matches them as whole
// words, any case, and loginPageReturnedWords (built from the same list,
// so the two cannot drift apart) rules out a message holding none of them
// before the pattern runs.
var (
	loginPageReturned      = []Pattern{{src: "login_page_returned"}, {src: "Login FAILED"}}
	loginPageReturnedRE    = MustPattern(`(?i)\b(?:` + alternation(loginPageReturned) + `)\b`)
	loginPageReturnedWords = newLiteralFilter(loginPageReturned)
)

// runLoginFailureUncounted compares failed logins seen in the logs (a login
// POST answered 200 with the form again: auth_debug's auth_response, or
// the locustfile's login_page_returned) with the failures Locust recorded
// for its login POST rows. Without such lines it reads the login POST
// row's signature (model.LoginSignature): sizes and latencies of working
// and rejected logins learned across the analysis.
func runLoginFailureUncounted(ctx *Context, p *loginFailureUncountedParams) []Finding {
	run := ctx.Run
	var evServer, evClient []Evidence
	// auth_debug lines reach both auth_debug.log and runserver stderr, and
	// the locustfile writes each failure to its file and to Locust's
	// console: count per file, keep the largest.
	serverPerFile, clientPerFile := map[string]int64{}, map[string]int64{}
	var low []byte
	for _, e := range ownEvents(ctx).All() {
		if !inRun(run, &e) {
			continue
		}
		switch {
		case e.Kind() == schema.KindAuthResponse && strings.EqualFold(e.Method(), "POST") && e.HasStatus() && e.StatusOr0() == 200 && model.IsLoginName(e.Path()):
			serverPerFile[e.File()] += 1 + e.Duplicates()
			evServer = append(evServer, EventEvidence(e))
		case (e.Source() == schema.SourceLocustAuth || e.Source() == schema.SourceLocustConsole) &&
			loginPageReturnedWords.mayMatch(e.Message(), &low) && matches(loginPageReturnedRE, e.Message()):
			clientPerFile[e.File()]++
			evClient = append(evClient, EventEvidence(e))
		}
	}
	client, clientFiles := maxPerFile(clientPerFile)
	server, _ := maxPerFile(serverPerFile)
	// The locustfile's own lines say what the task code saw; the server's
	// statuses stand in only when those lines are absent.
	failed := client
	if failed == 0 {
		failed = server
	}
	if failed == 0 {
		return uncountedFromCSV(ctx, p)
	}
	rows := loginPostRows(run, p.LoginName)
	if len(rows) == 0 {
		return nil // login-post-missing covers a run without login POSTs
	}
	// What Locust counted as failed logins that were not server errors.
	var counted, counted5xx int64
	names := map[string]bool{}
	for _, r := range rows {
		names[r.Name] = true
	}
	var evCSV []Evidence
	haveFailureRows := hasFile(run, "_failures.csv") || len(run.Failures) > 0
	for _, f := range model.FailureRows(run) {
		if !names[f.Name] {
			continue
		}
		if failureStatus(f.Error) >= 500 {
			counted5xx += f.Occurrences
			continue
		}
		counted += f.Occurrences
		evCSV = append(evCSV, FailureEvidence(f))
	}
	var statFailures, requests int64
	for _, r := range rows {
		statFailures += r.Failures
		requests += r.Requests
		evCSV = append(evCSV, StatEvidence(r))
	}
	if !haveFailureRows {
		counted = statFailures - counted5xx
	}
	uncounted := failed - counted
	if uncounted < p.MinUncounted {
		return nil
	}
	var seen []string
	if server > 0 {
		seen = append(seen, fmt.Sprintf("the server answered %s login POSTs with 200 and the form again (auth_debug)", humanize.Thousands(server)))
	}
	if client > 0 {
		seen = append(seen, fmt.Sprintf("the Locust side logged %s failed logins (%s)", humanize.Thousands(client), strings.Join(clientFiles, ", ")))
	}
	m := map[string]float64{"failed_logins": float64(failed), "counted": float64(counted), "uncounted": float64(uncounted),
		"login_requests": float64(requests), "login_failures_csv": float64(statFailures)}
	pct := 100 * float64(requests-statFailures) / float64(max(requests, 1))
	truePct := 100 * float64(requests-statFailures-uncounted) / float64(max(requests, 1))
	m["reported_success_pct"], m["corrected_success_pct"] = round3(pct), round3(max(truePct, 0))
	sum := fmt.Sprintf("%s failed %s counted as success: %s, but Locust recorded %s non-5xx login %s. "+
		"Reported login success %s; with these counted, at most %s.",
		humanize.Thousands(uncounted), humanize.Plural(uncounted, "login was", "logins were"), strings.Join(seen, "; "),
		humanize.Thousands(counted), humanize.Plural(counted, "failure", "failures"), humanize.Pct(pct), humanize.Pct(max(truePct, 0)))
	conf := 0.85
	var missing []string
	if server == 0 {
		conf = 0.7
		missing = append(missing, missingFrom(ctx, "auth_debug.log (status of each login POST)", SrcAuthDebug))
	}
	if !haveFailureRows {
		missing = append(missing, "Locust _failures.csv (failure messages)")
	}
	if run.End.IsZero() {
		conf -= 0.1 // cannot tell requests Locust saw from ones after it stopped
	}
	ev := append(first(evServer), first(evClient)...)
	ev = append(ev, evCSV...)
	ev = append(ev, evServer...)
	// A few uncounted among many logins is a counting defect; most of
	// them is a run whose login figures are wrong.
	sev := High.String()
	if uncounted*10 < requests {
		sev = scaledSeverity(Medium, uncounted, requests, false)
	}
	return []Finding{{
		Role:       RoleValidity,
		Severity:   sev,
		Confidence: conf,
		Summary:    sum,
		Interpretation: "A failed allauth login re-renders the form with HTTP 200; a Locust task that does not check the answer " +
			"(redirect, or the form's error text) counts it as a success, so the login success rate and every later request " +
			"(made anonymously) are misreported. Some may also be requests answered after Locust stopped counting.",
		Recommendation: "In the locustfile, mark a login POST as failed when it does not redirect (catch_response and check " +
			"response.url / status 302 or the form's error text), and fix the pool's credentials.",
		Evidence: ev,
		Missing:  missing,
		Metrics:  m,
	}}
}

// uncountedFromCSV is the finding the login POST row's sizes and times
// support without any log.
func uncountedFromCSV(ctx *Context, p *loginFailureUncountedParams) []Finding {
	sig := ctx.measure().Logins[ctx.Run]
	if sig == nil || sig.Uncounted < float64(p.MinUncounted) || (sig.Method != "size" && sig.Method != "latency") {
		return nil
	}
	row := sig.Row
	succ := row.Requests - row.Failures
	reported := pct(succ, row.Requests)
	corrected := 100 * (float64(succ) - sig.Uncounted) / float64(row.Requests)
	n := model.CountText(sig.Uncounted)
	f := Finding{
		Role: RoleValidity,
		Metrics: map[string]float64{"uncounted": round3(sig.Uncounted), "login_requests": float64(row.Requests), "login_failures_csv": float64(row.Failures),
			"reported_success_pct": round3(reported), "corrected_success_pct": round3(math.Max(corrected, 0))},
	}
	var ev []Evidence
	ev = append(ev, noted(StatEvidence(row), StatCols(row, "requests", "failures", "median", "min", "size")))
	switch sig.Method {
	case "size":
		f.Confidence = 0.8
		if !sig.Exact {
			f.Confidence = 0.65
		}
		f.Summary = fmt.Sprintf("%s of the %s login POSTs Locust counted as success answered like a rejected login: %s. Reported login success %s; counting them, %s.",
			n, humanize.Thousands(succ), sig.Arithmetic, humanize.Pct(reported), humanize.Pct(math.Max(corrected, 0)))
		f.Headline = fmt.Sprintf("%s of %s logins counted as success were rejected logins (the form again)", n, humanize.Thousands(succ))
		ev = append(ev, noted(StatEvidence(sig.Real.Row), "a working login's answer: "+StatCols(sig.Real.Row, "requests", "failures", "median", "min", "size")))
		ev = append(ev, noted(StatEvidence(sig.Rejected.Row), "a rejected login's answer: "+StatCols(sig.Rejected.Row, "requests", "failures", "median", "size")))
	case "latency":
		f.Confidence = 0.6
		f.Summary = fmt.Sprintf("At least %s of the %s login POSTs Locust counted as success were not real logins: %s. Reported login success %s; at most %s.",
			n, humanize.Thousands(succ), sig.Arithmetic, humanize.Pct(reported), humanize.Pct(math.Max(corrected, 0)))
		f.Headline = fmt.Sprintf("at least %s of %s logins counted as success answered too fast to be real", n, humanize.Thousands(succ))
		ev = append(ev, noted(StatEvidence(sig.Real.Row), "working logins, every one at least "+humanize.Millis(sig.Real.MinMS)+": "+StatCols(sig.Real.Row, "requests", "failures", "median", "min", "size")))
		f.Missing = append(f.Missing, "the locustfile's login_page_returned lines or auth_debug.log (the answer to each login POST) for an exact count")
	}
	f.Severity = High.String()
	f.Impact = "the login success rate is overstated, and every user whose login failed ran its tasks anonymously (their requests answered the login page)"
	f.Interpretation = "A working allauth login checks the password (hundreds of milliseconds) and redirects to the app; a rejected one answers the form again in tens of " +
		"milliseconds, a few bytes longer than the login page (it carries the error and the username). A locustfile that does not check the answer counts both as successes."
	f.Recommendation = "In the locustfile, mark a login POST as failed when it does not redirect (catch_response: check response.url or response.history), and find why logins were rejected (credentials, the rate limit)."
	f.Evidence = ev
	return []Finding{f}
}
