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

// Server-error findings that need no pool: CSRF rejections, an unreachable
// database, the app's own exceptions, errors logged without a traceback,
// and 5xx nothing explains.

func init() {
	RegisterCheck("csrf-rejected", checkCSRF)
	RegisterCheck("database-unreachable", checkDBUnreachable)
	RegisterCheck("application-exception", checkAppException)
	RegisterCheck("missing-tracebacks", checkMissingTracebacks)
	RegisterCheck("server-errors-unexplained", checkUnexplained)
}

// serverSource reports whether an event comes from the application server
// (not the load generator, not the pooler).
func serverSource(e *correlate.Event) bool {
	switch e.Source {
	case "django", "runserver", "auth_debug":
		return true
	}
	return false
}

var csrfWords = []string{"CSRF", "checking failed"}

var csrfRE = MustPattern(`(?i)Forbidden \(CSRF[^)]*\)|CSRF (?:token|cookie|verification|failed)|(?:Origin|Referer) checking failed`)

func checkCSRF(ctx *Context) []Finding {
	run := ctx.Run
	perFile := map[string]int64{}
	reasons := map[string]int64{}
	paths := map[string]int64{}
	var ev []Evidence
	for _, e := range ownEvents(ctx) {
		if !serverSource(e) {
			continue
		}
		isCSRF := e.Kind == parsers.KindForbidden || strings.HasPrefix(e.Logger, "django.security.csrf") ||
			(e.Kind != parsers.KindRequest && containsAny(e.Message, csrfWords) && matches(csrfRE, e.Message))
		if !isCSRF {
			continue
		}
		perFile[e.File] += 1 + e.Duplicates
		ev = append(ev, EventEvidence(e))
		msg := firstLine(e.Message)
		reason := msg
		if i := strings.Index(msg, "("); i >= 0 {
			if j := strings.Index(msg[i:], ")"); j > 0 {
				reason = msg[i+1 : i+j]
			}
		}
		reasons[reason] += 1 + e.Duplicates
		p := e.Path
		if p == "" {
			if i := strings.LastIndex(msg, ": "); i >= 0 {
				p = strings.TrimSpace(msg[i+2:])
			}
		}
		if p != "" {
			paths[templatePath(p)] += 1 + e.Duplicates
		}
	}
	n, _ := maxPerFile(perFile)
	// 403s on the request lines and in Locust's failures back it up.
	var n403 int64
	for _, e := range ownEvents(ctx) {
		if e.Kind == parsers.KindRequest && e.Status != nil && *e.Status == 403 {
			n403 += 1 + e.Duplicates
		}
	}
	var csv403 int64
	var evCSV []Evidence
	for _, f := range model.FailureRows(run) {
		if failureStatus(f.Error) == 403 || matches(csrfRE, f.Error) {
			csv403 += f.Occurrences
			evCSV = append(evCSV, FailureEvidence(f))
		}
	}
	if n == 0 {
		return nil // a 403 alone may be a permission check, not CSRF
	}
	// Per-file counts: django.security lines reach django_errors.log and
	// runserver stderr alike.
	sum := fmt.Sprintf("Django rejected %s %s for CSRF (%s) on %s", humanize.Thousands(n), humanize.Plural(n, "request", "requests"), countBy(reasons, 3), countBy(paths, 5))
	if n403 > 0 {
		sum += fmt.Sprintf("; %s request lines answered 403", humanize.Thousands(n403))
	}
	if csv403 > 0 {
		sum += fmt.Sprintf("; Locust counted %s of them as failures", humanize.Thousands(csv403))
	}
	conf := 0.9
	if n403 == 0 && csv403 == 0 {
		conf = 0.8
	}
	return []Finding{{
		Confidence: conf,
		Summary:    sum + ".",
		Interpretation: "The CSRF middleware refused these POSTs before the view ran: the client did not send the csrftoken " +
			"cookie and the X-CSRFToken header / csrfmiddlewaretoken field that match (session lost, token not read from the " +
			"login page, or Origin/Referer not trusted). They measure the test client, not the endpoint.",
		Recommendation: "In the locustfile, read the csrftoken cookie after GET of the page and send it as X-CSRFToken (and a " +
			"Referer for HTTPS); keep the session between requests; check CSRF_TRUSTED_ORIGINS.",
		Evidence: append(PickEvidence(ev, 3), evCSV...),
		Metrics:  map[string]float64{"csrf_rejections": float64(n), "http_403": float64(n403), "locust_403": float64(csv403)},
	}}
}

// dbUnreachableRE: PostgreSQL refusing or not answering, as PgBouncer and
// the drivers word it.
var dbUnreachableRE = MustPattern(`no pg_hba\.conf entry|could not connect to server|connection to server at .{0,120}? failed|` +
	`Connection refused|password authentication failed|server login (?:has been failing|failed)|` +
	`database "[^"]{1,80}" does not exist|the database system is (?:starting up|shutting down|in recovery mode)|` +
	`server conn crashed|pooler error: no server`)

// dbUnreachableWords: every dbUnreachableRE match contains one of these.
var dbUnreachableWords = []string{"pg_hba", "could not connect", "connection to server", "Connection refused",
	"password authentication", "server login", "does not exist", "database system", "server conn crashed", "no server"}

func checkDBUnreachable(ctx *Context) []Finding {
	run := ctx.Run
	perFile := map[string]int64{}
	kinds := map[string]int64{}
	var evPool, evApp []Evidence
	var pooler, app int64
	for _, e := range ownEvents(ctx) {
		if e.Source != "pgbouncer" && !serverSource(e) {
			continue
		}
		blob := eventBlob(e)
		if !containsAny(blob, dbUnreachableWords) {
			continue // cheap filter before regexp2
		}
		m, err := dbUnreachableRE.FindStringMatch(blob)
		if err != nil || m == nil {
			continue
		}
		perFile[e.File] += 1 + e.Duplicates
		kinds[m.String()] += 1 + e.Duplicates
		if e.Source == "pgbouncer" {
			pooler += 1 + e.Duplicates
			evPool = append(evPool, EventEvidence(e))
		} else {
			evApp = append(evApp, EventEvidence(e))
		}
	}
	if len(perFile) == 0 {
		return nil
	}
	appPerFile := map[string]int64{}
	for f, n := range perFile {
		if !strings.Contains(f, "pgbouncer") {
			appPerFile[f] = n
		}
	}
	app, appFiles := maxPerFile(appPerFile)
	var parts []string
	if pooler > 0 {
		parts = append(parts, fmt.Sprintf("PgBouncer logged %s", humanize.Thousands(pooler)))
	}
	if app > 0 {
		parts = append(parts, fmt.Sprintf("the app logged %s (%s)", humanize.Thousands(app), strings.Join(appFiles, ", ")))
	}
	rows, n5xx := csv5xx(run)
	var evCSV []Evidence
	for _, r := range rows {
		evCSV = append(evCSV, FailureEvidence(r))
	}
	sum := fmt.Sprintf("PostgreSQL could not be reached: %s connection failures: %s", strings.Join(parts, " and "), countBy(kinds, 4))
	if n5xx > 0 {
		sum += fmt.Sprintf("; Locust recorded %s 5xx failures", humanize.Thousands(n5xx))
	}
	conf := 0.8
	if pooler > 0 && app > 0 {
		conf = 0.92
	}
	ev := append(first(evPool), first(evApp)...)
	ev = append(ev, first(evCSV)...)
	ev = append(ev, evPool...)
	ev = append(ev, evApp...)
	return []Finding{{
		Confidence: conf,
		Summary:    sum + ".",
		Interpretation: "The database refused or never answered the connection (access rules, credentials, a wrong host/port/name, " +
			"or the server down or restarting). Every request that needs the database fails, whatever the load.",
		Recommendation: "Check PostgreSQL is up and reachable from PgBouncer/Django (host, port, dbname), the pg_hba.conf entry and " +
			"the credentials in PgBouncer's auth file and Django's DATABASES; rerun once a single request works.",
		Evidence: ev,
		Metrics:  map[string]float64{"pooler_lines": float64(pooler), "app_lines": float64(app), "locust_5xx_failures": float64(n5xx)},
	}}
}

// dbExcRE: exceptions that belong to the pool and database rules, not to
// the application's own code.
var dbExcRE = MustPattern(`(?i)OperationalError|InterfaceError|DatabaseError|ProtocolViolation|PoolTimeout|ConnectionError|query_wait_timeout|` +
	`could not connect|server closed the connection`)

func libraryFrame(frame string) bool {
	f := strings.ToLower(strings.ReplaceAll(frame, `\`, "/"))
	return frame == "" || strings.Contains(f, "site-packages") || strings.Contains(f, "dist-packages") ||
		strings.Contains(f, "/lib/python") || strings.HasPrefix(f, "<frozen")
}

func checkAppException(ctx *Context) []Finding {
	run := ctx.Run
	var out []Finding
	limit := int(ctx.Rule.Float("max_findings", 5))
	from, to, windowed := ownWindow(ctx)
	for i := range run.Clusters {
		c := &run.Clusters[i]
		if c.Kind != "exception" || c.ExcType == "" {
			continue
		}
		if windowed && !c.First.IsZero() && (!c.Last.After(from) || !c.First.Before(to)) {
			continue // another run's exceptions, seen through the margin
		}
		if matches(dbExcRE, c.ExcType+": "+c.Template) {
			continue // pgbouncer-pool-exhausted / database-unreachable
		}
		server := false
		for _, s := range c.Sources {
			if s == "django" || s == "runserver" {
				server = true
			}
		}
		if !server {
			continue // a Locust-side exception is the test's, not the app's
		}
		inApp := !libraryFrame(c.Frame)
		var ev []Evidence
		for j := range c.Examples {
			ev = append(ev, RefEvidence(&c.Examples[j]))
		}
		where := "with no frame of the app's own code in the traceback"
		if inApp {
			where = "raised at " + c.Frame
		} else if c.Frame != "" {
			where = "innermost frame " + c.Frame + " (library code)"
		}
		sum := fmt.Sprintf("%s: %s — %s %s, %s", c.ExcType, c.Template, humanize.Thousands(c.Count), humanize.Plural(c.Count, "time", "times"), where)
		if len(c.Endpoints) > 0 {
			eps := c.Endpoints
			more := ""
			if len(eps) > 6 {
				more = fmt.Sprintf(" (+%d more)", len(eps)-6)
				eps = eps[:6]
			}
			sum += "; it broke " + strings.Join(eps, ", ") + more
		}
		if !c.First.IsZero() {
			sum += fmt.Sprintf("; first %s, last %s", fmtTime(c.First), fmtTime(c.Last))
			if u, h := usersAt(run, c.First); h != nil && u > 0 {
				sum += fmt.Sprintf(" (first with %d users)", u)
			}
		}
		if len(c.Sources) > 1 {
			sum += " (counted over " + strings.Join(c.Sources, " and ") + ", which may log the same record)"
		}
		sev := High.String()
		if len(c.Endpoints) == 0 {
			sev = Medium.String()
		}
		conf := 0.9
		if !inApp {
			conf = 0.7
		}
		out = append(out, Finding{
			Severity:   sev,
			Confidence: conf,
			Summary:    sum + ".",
			Interpretation: "An exception from the application's code, not from the database or the pooler: it fails the same way " +
				"whatever the load, so the requests it breaks are errors to fix, not capacity limits.",
			Recommendation: "Fix the code at the named frame (the traceback in the cited record shows the call path); add a test " +
				"for the endpoint; rerun.",
			Evidence: ev,
			Metrics:  map[string]float64{"count": float64(c.Count), "endpoints": float64(len(c.Endpoints))},
		})
		if len(out) == limit {
			break
		}
	}
	return out
}

// checkMissingTracebacks finds "Internal Server Error" records that carry
// no traceback, with none linked from elsewhere (stderr, an Unhandled
// exception line): the run's 5xx cannot be explained from its logs.
func checkMissingTracebacks(ctx *Context) []Finding {
	traced := map[string]bool{} // anchor/server-error refs whose chain found a traceback
	for _, c := range ownChains(ctx) {
		if c.Traceback != nil && c.ServerError != nil {
			traced[refKey(c.ServerError.File, c.ServerError.Line)] = true
		}
	}
	perFile := map[string]int64{}
	totalPerFile := map[string]int64{}
	paths := map[string]int64{}
	var ev []Evidence
	for _, e := range ownEvents(ctx) {
		if e.Kind != parsers.KindServerError {
			continue
		}
		totalPerFile[e.File] += 1 + e.Duplicates
		if e.Traceback != "" || e.ExcType != "" || traced[refKey(e.File, e.Line)] {
			continue
		}
		perFile[e.File] += 1 + e.Duplicates
		if e.Path != "" {
			paths[templatePath(e.Path)] += 1 + e.Duplicates
		}
		ev = append(ev, EventEvidence(e))
	}
	n, files := maxPerFile(perFile)
	if n == 0 {
		return nil
	}
	total, _ := maxPerFile(totalPerFile)
	tbElsewhere := false
	for _, e := range ownEvents(ctx) {
		if (e.Kind == parsers.KindTraceback || e.Kind == parsers.KindUnhandled) && serverSource(e) {
			tbElsewhere = true
			break
		}
	}
	sum := fmt.Sprintf("%s of %s `Internal Server Error` records carry no traceback and none could be linked (%s); endpoints: %s",
		humanize.Thousands(n), humanize.Thousands(total), strings.Join(files, ", "), countBy(paths, 6))
	if tbElsewhere {
		sum += ". Some tracebacks exist in the logs but could not be tied to these records"
	}
	sev := Medium.String()
	return []Finding{{
		Severity:   sev,
		Confidence: 0.9,
		Summary:    sum + ".",
		Interpretation: "Django logged that a request failed but not why: a custom exception middleware turned the exception into a " +
			"500 (the user's ExceptionHandlerMiddleware did), or the handler's formatter drops exc_info. Without the " +
			"traceback the 5xx can only be explained by correlation.",
		Recommendation: "Log exceptions with their traceback in django_errors.log (logger.exception / exc_info=True in the " +
			"middleware, or let django.request log them); capture runserver's stderr too.",
		Evidence: PickEvidence(ev, MaxEvidence),
		Missing:  []string{"tracebacks for the cited Internal Server Error records"},
		Metrics:  map[string]float64{"without_traceback": float64(n), "server_error_records": float64(total)},
	}}
}

func refKey(file string, line int64) string { return fmt.Sprintf("%s:%d", file, line) }

// checkUnexplained reports 5xx no other signal explains: request lines the
// correlation could not link to a traceback or pooler error, or Locust 5xx
// failures with no server log at all.
func checkUnexplained(ctx *Context) []Finding {
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
		return []Finding{{
			Severity:   High.String(),
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
	for _, r := range ceilingRows(&Context{Run: run, Rule: &Rule{}}, 120000) {
		ceiling[r.Name] = true
	}
	names := map[string]int64{}
	ev = nil
	var left int64
	for _, f := range rows {
		if ceiling[f.Name] {
			continue
		}
		left += f.Occurrences
		names[f.Name] += f.Occurrences
		ev = append(ev, FailureEvidence(f))
	}
	if left == 0 {
		return nil
	}
	sort.SliceStable(ev, func(i, j int) bool { return ev[i].Line < ev[j].Line })
	return []Finding{{
		Severity:   High.String(),
		Confidence: 0.6,
		Summary: fmt.Sprintf("Locust recorded %s server-error (5xx) failures — %s — and no server log was given for this run, so their cause cannot be shown.",
			humanize.Thousands(left), countBy(names, 6)),
		Interpretation: "The CSV proves the server failed these requests but not why; the server's logs for the same minutes would.",
		Recommendation: "Analyse the run together with django_errors.log, runserver stderr and PgBouncer's log from the same time.",
		Evidence:       ev,
		Missing:        []string{"Django error log / runserver stderr", "PgBouncer log"},
		Metrics:        map[string]float64{"locust_5xx_failures": float64(left)},
	}}
}

// hasServerLogs reports whether any application-server or pooler log
// contributed events to the run.
func hasServerLogs(ctx *Context) bool {
	for _, e := range ownEvents(ctx) {
		if serverSource(e) || e.Source == "pgbouncer" {
			return true
		}
	}
	return false
}
