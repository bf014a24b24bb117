package rules

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dlclark/regexp2/v2"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// Login-side server findings: allauth's rate limit, and failed logins the
// load test counted as successes.

func init() {
	RegisterCheck("allauth-rate-limited", checkRateLimited)
	RegisterCheck("login-failure-uncounted", checkLoginUncounted)
}

// defaultRateLimitTexts are allauth's "too many failed login attempts"
// message in the languages seen so far; a rule's `texts` param (a list of
// regexp2 patterns) replaces them.
var defaultRateLimitTexts = []string{
	`Too many failed login attempts`,                 // en
	`Terlalu banyak percobaan masuk yang gagal`,      // id (the user's locale)
	`Zu viele gescheiterte Anmeldeversuche`,          // de
	`Trop de tentatives de connexion échouées`,       // fr
	`Demasiados intentos fallidos de inicio de sesi`, // es
}

func rateLimitRE(r *Rule) (*regexp2.Regexp, error) {
	texts := defaultRateLimitTexts
	if l, ok := r.Params["texts"].([]any); ok && len(l) > 0 {
		texts = nil
		for _, v := range l {
			if s, ok := v.(string); ok && s != "" {
				texts = append(texts, s)
			}
		}
	}
	return cachedPattern(`(?i)(?:` + strings.Join(texts, `|`) + `)`)
}

// authIP is the client address auth_debug logged for a login request (its
// ip= field), "" for other events.
func authIP(e *correlate.Event) string {
	if e.Kind != parsers.KindAuthRequest {
		return ""
	}
	if ip := e.Attrs["ip"]; ip != "" {
		return ip
	}
	return messageValue(e.Message, "ip") // the auth table types it; the event keeps the text
}

// mayCarryPageText reports whether an event can quote a page's error text:
// not a request line, an auth_debug record, or the pooler's.
func mayCarryPageText(e *correlate.Event) bool {
	switch e.Kind {
	case parsers.KindRequest, parsers.KindAuthRequest, parsers.KindAuthResponse, parsers.KindStats,
		parsers.KindLoginAttempt, parsers.KindNewConnection, parsers.KindClosing:
		return false
	}
	return e.Source != "pgbouncer"
}

func checkRateLimited(ctx *Context) []Finding {
	run := ctx.Run
	re, err := rateLimitRE(ctx.Rule)
	if err != nil {
		return nil // Lint reports a bad pattern; a finding cannot
	}
	// One pass over the run's events: the rate-limit page text, logins
	// answered 429 (allauth ≥ 0.55), and the client addresses of logins.
	perFile := map[string]int64{}
	var ev, ev429 []Evidence
	var first *correlate.Event
	var text string
	var n429 int64
	seenIP := map[string]bool{}
	for _, e := range ownEvents(ctx) {
		if ip := authIP(e); ip != "" {
			seenIP[ip] = true
		}
		if e.Kind == parsers.KindRequest && e.Status != nil && *e.Status == 429 && model.IsLoginName(e.Path) {
			n429 += 1 + e.Duplicates
			ev429 = append(ev429, EventEvidence(e))
		}
		if !mayCarryPageText(e) {
			continue
		}
		m, err := re.FindStringMatch(e.Message)
		if err != nil || m == nil {
			continue
		}
		// The locustfile writes each failure twice to its log (logger
		// line and raw isoformat line, merged by the parser into one
		// event, so Duplicates is not added) and once to Locust's
		// console: count events per file, take the largest, never the sum.
		perFile[e.File]++
		ev = append(ev, EventEvidence(e))
		if first == nil || e.Resolved && e.Time.Before(first.Time) {
			first = e
		}
		if text == "" {
			text = m.String()
		}
	}
	var csvN int64
	for _, f := range model.FailureRows(run) {
		m, err := re.FindStringMatch(f.Error)
		if err != nil || m == nil {
			continue
		}
		csvN += f.Occurrences
		ev = append(ev, FailureEvidence(f))
		if text == "" {
			text = m.String()
		}
	}
	ev = append(ev, ev429...)
	logN, files := maxPerFile(perFile)
	if logN == 0 && csvN == 0 && n429 == 0 {
		return nil
	}
	n := max(logN, csvN, n429)
	var sources []string
	if logN > 0 {
		sources = append(sources, fmt.Sprintf("%s in %s", humanize.Thousands(logN), strings.Join(files, ", ")))
	}
	if csvN > 0 {
		sources = append(sources, fmt.Sprintf("%s in Locust's failures", humanize.Thousands(csvN)))
	}
	if n429 > 0 {
		sources = append(sources, fmt.Sprintf("%s login requests answered 429", humanize.Thousands(n429)))
	}
	sum := "allauth refused logins with its rate-limit answer"
	if text != "" {
		sum += fmt.Sprintf(" %q", text)
	}
	sum += fmt.Sprintf(": %s login %s (%s)", humanize.Thousands(n), humanize.Plural(n, "attempt", "attempts"), strings.Join(sources, "; "))
	if first != nil && first.Resolved {
		sum += ", first at " + fmtTime(first.Time)
		if u, h := usersAt(run, first.Time); h != nil && u > 0 {
			sum += fmt.Sprintf(" with %d users running", u)
		}
	}
	m := map[string]float64{"rate_limited": float64(n), "log_lines": float64(logN), "locust_failures": float64(csvN), "http_429": float64(n429)}
	ips := make([]string, 0, len(seenIP))
	for ip := range seenIP {
		ips = append(ips, ip)
	}
	sort.Strings(ips)
	if len(ips) > 0 {
		m["client_ips"] = float64(len(ips))
		if len(ips) == 1 {
			sum += fmt.Sprintf(". Every login came from one address (%s): the limit is per IP, so all virtual users share one budget", ips[0])
		} else {
			sum += fmt.Sprintf(". Logins came from %d addresses; the limit is counted per IP", len(ips))
		}
	}
	conf := 0.9
	var missing []string
	if logN == 0 && csvN == 0 {
		conf = 0.7 // a 429 alone could be another limiter
		missing = append(missing, "the login page text (locust_login_failures.log or Locust failure message) naming the rate limit")
	}
	if len(ips) == 0 {
		missing = append(missing, "auth_debug.log (client IP of each login)")
	}
	return []Finding{{
		Confidence: conf,
		Summary:    sum + ".",
		Interpretation: "django-allauth counts failed logins per IP (ACCOUNT_LOGIN_ATTEMPTS_LIMIT / ACCOUNT_RATE_LIMITS) and, past the limit, " +
			"shows the login form again with this message. A load test from one host exhausts that budget quickly, " +
			"especially when some pool users have wrong passwords: the failures are the limiter, not the server.",
		Recommendation: "For load tests, raise or disable the login rate limit (ACCOUNT_LOGIN_ATTEMPTS_LIMIT / ACCOUNT_RATE_LIMITS), " +
			"fix the wrong credentials in TEST_USER_POOL, or spread the load over several source addresses; rerun.",
		Evidence: PickEvidence(ev, MaxEvidence),
		Missing:  missing,
		Metrics:  m,
	}}
}

// messageValue returns the value of key=value in a log message.
func messageValue(msg, key string) string {
	for _, f := range strings.Fields(msg) {
		if v, ok := strings.CutPrefix(f, key+"="); ok {
			return v
		}
	}
	return ""
}

// inRun reports whether an event lies inside the run's own window (not
// its margin): what Locust could have counted. Unknown windows accept all.
func inRun(run *correlate.Run, e *correlate.Event) bool {
	if run.Start.IsZero() || run.End.IsZero() {
		return true
	}
	if !e.Resolved {
		return false
	}
	return !e.Time.Before(run.Start.Add(-time.Second)) && !e.Time.After(run.End.Add(time.Second))
}

// loginPageReturnedRE is a failed login as the locustfile or Locust's
// console reports it.
var loginPageReturnedRE = MustPattern(`(?i)\blogin_page_returned\b|\bLogin FAILED\b`)

// checkLoginUncounted compares failed logins seen in the logs (a login POST
// answered 200 with the form again: auth_debug's auth_response, or the
// locustfile's login_page_returned) with the failures Locust recorded for
// its login POST rows.
func checkLoginUncounted(ctx *Context) []Finding {
	run := ctx.Run
	var evServer, evClient []Evidence
	// auth_debug lines reach both auth_debug.log and runserver stderr, and
	// the locustfile writes each failure to its file and to Locust's
	// console: count per file, keep the largest.
	serverPerFile, clientPerFile := map[string]int64{}, map[string]int64{}
	for _, e := range ownEvents(ctx) {
		if !inRun(run, e) {
			continue
		}
		switch {
		case e.Kind == parsers.KindAuthResponse && strings.EqualFold(e.Method, "POST") && e.Status != nil && *e.Status == 200 && model.IsLoginName(e.Path):
			serverPerFile[e.File] += 1 + e.Duplicates
			evServer = append(evServer, EventEvidence(e))
		case (e.Source == "locust_auth" || e.Source == "locust_console") && matches(loginPageReturnedRE, e.Message):
			clientPerFile[e.File]++
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
		return nil
	}
	rows := LoginRows(ctx)
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
	if uncounted < int64(ctx.Rule.Float("min_uncounted", 1)) {
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
		missing = append(missing, "auth_debug.log (status of each login POST)")
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
	return []Finding{{
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
