package rules

import (
	"fmt"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model/schema"
)

// databaseUnreachable: PgBouncer or the app's driver could not reach
// PostgreSQL.
var databaseUnreachable = &Check[noParams]{
	ID:    "database-unreachable",
	Doc:   "PostgreSQL unreachable",
	Needs: []Need{{SrcPgBouncer, SrcDjango, SrcRunserver}},
	Run:   runDatabaseUnreachable,
}

func init() { register(databaseUnreachable) }

// dbUnreachableRE: PostgreSQL refusing or not answering, as PgBouncer and
// the drivers word it.
var dbUnreachableRE = MustPattern(`no pg_hba\.conf entry|could not connect to server|connection to server at .{0,120}? failed|` +
	`Connection refused|password authentication failed|server login (?:has been failing|failed)|` +
	`database "[^"]{1,80}" does not exist|the database system is (?:starting up|shutting down|in recovery mode)|` +
	`server conn crashed|pooler error: no server`)

// dbUnreachableWords: every dbUnreachableRE match contains one of these.
var dbUnreachableWords = []string{"pg_hba", "could not connect", "connection to server", "Connection refused",
	"password authentication", "server login", "does not exist", "database system", "server conn crashed", "no server"}

var dbUnreachableSet = newWordSet(dbUnreachableWords)

// dbUnreachableMatch is the first text of the record that dbUnreachableRE
// matches, "" when none. It reads the record's columns as they are, in
// the order the file wrote them (message, exception, traceback), and runs
// the pattern only on a column that holds one of dbUnreachableWords. A
// traceback is judged once per distinct text for all the runs (tb): they
// repeat, and they are the longest texts a record has.
func dbUnreachableMatch(e correlate.Event, tb *correlate.TracebackMemo[string]) string {
	exc := ""
	if e.ExcType() != "" || e.ExcMessage() != "" {
		exc = e.ExcType() + ": " + e.ExcMessage()
	}
	for _, s := range [...]string{e.Message(), exc} {
		if m := dbUnreachableIn(s); m != "" {
			return m
		}
	}
	return tb.Of(e, dbUnreachableIn)
}

// dbUnreachableIn is the first match of dbUnreachableRE in s, "" when none.
func dbUnreachableIn(s string) string {
	if !dbUnreachableSet.in(s) {
		return "" // cheap filter before regexp2
	}
	if m, err := dbUnreachableRE.FindStringMatch(s); err == nil && m != nil {
		return m.String()
	}
	return ""
}

func runDatabaseUnreachable(ctx *Context, _ *noParams) []Finding {
	run := ctx.Run
	perFile := map[string]int64{}
	kinds := map[string]int64{}
	var evPool, evApp []Evidence
	var pooler, app int64
	tb := ctx.dbTracebackMemo().Pass()
	for _, e := range ownEvents(ctx).All() {
		if e.Source() != schema.SourcePgBouncer && !serverSource(e) {
			continue
		}
		kind := dbUnreachableMatch(e, tb)
		if kind == "" {
			continue
		}
		perFile[e.File()] += 1 + e.Duplicates()
		kinds[kind] += 1 + e.Duplicates()
		if e.Source() == schema.SourcePgBouncer {
			pooler += 1 + e.Duplicates()
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
