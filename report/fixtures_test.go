package report

import (
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
	"github.com/logcorr/logcorr/rules"
)

func f64(v float64) *float64 { return &v }
func i64(v int64) *int64     { return &v }

// v18Result is a hand-built parse result with figures copied from the
// user's run hasil_test_v18_100u_pgbouncer_redis_20260111_114225 (the
// _stats.csv Aggregated and Login POST rows, its failures row, and one
// history row).
func v18Result() *parsers.Result {
	const run = "hasil_test_v18_100u_pgbouncer_redis_20260111_114225"
	const file = run + "_stats.csv"
	login := parsers.StatRow{Run: run, Source: "csv", File: file, Line: 88, Type: "POST", Name: "[AUTH] Login POST",
		Requests: 100, Failures: 45, Median: f64(73), Average: f64(4639.382706000033), Min: f64(15.126600002986379),
		Max: f64(51457.469000000856), AvgContentSize: f64(9685.24), RPS: f64(0.3342212985725516), FPS: f64(0.15039958435764822),
		Percentiles: parsers.Percentiles{P50: f64(74), P66: f64(96), P75: f64(110), P80: f64(120), P90: f64(260), P95: f64(51000),
			P98: f64(51000), P99: f64(51000), P999: f64(51000), P9999: f64(51000), P100: f64(51000)}}
	agg := parsers.StatRow{Run: run, Source: "csv", File: file, Line: 89, Name: "Aggregated",
		Requests: 7064, Failures: 45, Median: f64(25), Average: f64(723.1334955124695), Min: f64(2.812499995343387),
		Max: f64(60413.606599999184), AvgContentSize: f64(14471.804077010192), RPS: f64(23.609392531165046), FPS: f64(0.15039958435764822),
		Percentiles: parsers.Percentiles{P50: f64(25), P66: f64(38), P75: f64(52), P80: f64(65), P90: f64(140), P95: f64(2100),
			P98: f64(16000), P99: f64(19000), P999: f64(50000), P9999: f64(60000), P100: f64(60000)}}
	return &parsers.Result{
		Audit: parsers.Audit{Path: file, Format: "locust_stats_csv", Confidence: 1, Encoding: "utf-8", Run: run,
			Lines: 89, Records: 88, Folded: 1, Tables: map[string]int64{parsers.TableStats: 2}},
		Stats: []parsers.StatRow{login, agg},
		History: []parsers.HistoryRow{{Run: run, Source: "csv", File: run + "_stats_history.csv", Line: 2,
			Time: time.Unix(1768106545, 0).UTC(), Users: 100, Name: "Aggregated", RPS: f64(23.6), FPS: f64(0.15),
			TotalRequests: 7064, TotalFailures: 45}},
		Failures: []parsers.FailureRow{{Run: run, Source: "csv", File: run + "_failures.csv", Line: 2, Method: "POST",
			Name: "[AUTH] Login POST", Error: "HTTPError('500 Server Error: Internal Server Error for url: [AUTH] Login POST')", Occurrences: 45}},
		Events: []parsers.Event{{Time: time.Date(2026, 1, 11, 4, 42, 30, 0, time.UTC), Source: "runserver", File: "logs/runserver.log",
			Line: 7, EndLine: 7, Kind: parsers.KindRequest, Method: "POST", Path: "/accounts/login/", Status: i64(500), Size: i64(145),
			Message: "\"POST /accounts/login/ HTTP/1.1\" 500 145", Attrs: map[string]string{"b": "2", "a": "1"}}},
	}
}

func v18Dataset() *schema.Dataset {
	return correlate.DatasetOf([]*parsers.Result{v18Result()})
}

func tp(t time.Time) *time.Time { return &t }

// v18Analysis is the user's run v18 as correlation would present it,
// built from its CSV figures (no server logs were kept for it), with the
// findings the rules would give: the SLO breach and the login 500s.
func v18Analysis() (*correlate.Analysis, map[string][]rules.Finding) {
	res := v18Result()
	const run = "hasil_test_v18_100u_pgbouncer_redis_20260111_114225"
	stats := res.Stats
	r := &correlate.Run{
		Name:  run,
		Files: []string{run + ".html", run + "_exceptions.csv", run + "_failures.csv", run + "_stats.csv", run + "_stats_history.csv"},
		Start: time.Unix(1768102947, 0).UTC(), End: time.Unix(1768103242, 0).UTC(),
		WindowSource: "history+html", UsersMax: 100,
		Stats: stats, Aggregated: &stats[1], History: res.History, Failures: res.Failures,
		Clock: []correlate.Clock{{File: run, Zone: "UTC+08:00", OffsetS: 28800, Method: "file-name-stamp", Confidence: 0.9,
			Evidence: "name stamp 11:42:25 vs first history row 03:42:27Z"}},
	}
	sources := []parsers.Audit{
		{Path: run + ".html", Format: "locust_html", Confidence: 1, Encoding: "utf-8", Run: run, Lines: 2351, Records: 1, Folded: 2350},
		{Path: run + "_exceptions.csv", Format: "locust_exceptions_csv", Confidence: 1, Encoding: "utf-8", Run: run, Lines: 1, Folded: 1},
		{Path: run + "_failures.csv", Format: "locust_failures_csv", Confidence: 1, Encoding: "utf-8", Run: run, Lines: 2, Records: 1, Folded: 1},
		{Path: run + "_stats.csv", Format: "locust_stats_csv", Confidence: 1, Encoding: "utf-8", Run: run, Lines: 89, Records: 88, Folded: 1},
		{Path: run + "_stats_history.csv", Format: "locust_stats_history_csv", Confidence: 1, Encoding: "utf-8", Run: run, Lines: 287, Records: 286, Folded: 1},
	}
	a := &correlate.Analysis{Sources: sources, Runs: []*correlate.Run{r}}
	fs := []rules.Finding{
		{ID: "slo-breach", Severity: "high", Title: "Latency above target", Category: "metrics", Confidence: 1,
			Summary:        "p95 2.1 s and p99 19 s exceed the 2 s targets (Aggregated row).",
			Recommendation: "Find the endpoints with the highest p95 and fix them first.",
			Evidence: []rules.Evidence{{File: run + "_stats.csv", Line: 89,
				Text: ",Aggregated,7064,45,25,723.1334955124695,2.812499995343387,60413.606599999184,14471.804077010192,23.609392531165046,0.15039958435764822,25,38,52,65,140,2100,16000,19000,50000,60000,60000"}}},
		{ID: "login-server-errors", Severity: "critical", Title: "Login POST fails with HTTP 500", Category: "server", Confidence: 0.8,
			Summary:        "45 of 100 [AUTH] Login POST requests failed with 500 Server Error (auth success 55 %).",
			Interpretation: "The server, not the test, failed the logins: the failures are HTTP 500 responses.",
			Recommendation: "Collect logs/django_errors.log and the runserver stderr for the run window to see the exception behind the 500s.",
			Missing:        []string{"server logs for the run window (django_errors.log, runserver stderr, PgBouncer log)"},
			Evidence: []rules.Evidence{{File: run + "_failures.csv", Line: 2,
				Text: "POST,[AUTH] Login POST,HTTPError('500 Server Error: Internal Server Error for url: [AUTH] Login POST'),45"}}},
		{ID: "auth-only-run", Severity: "low", Title: "Only auth endpoints ran", Category: "test-validity", Confidence: 0.2,
			Summary: "Ruled out: 86 endpoints other than login received requests."},
	}
	return a, map[string][]rules.Finding{run: fs}
}

// poolAnalysis is corpus/stack/pool_exhaustion as correlation would
// present it: figures from its CSVs, cited lines copied from its logs.
func poolAnalysis() (*correlate.Analysis, map[string][]rules.Finding) {
	const run = "hasil_test_pool_exhaustion"
	login := parsers.StatRow{Run: run, Source: "csv", File: run + "_stats.csv", Line: 10, Type: "POST", Name: "[AUTH] Login POST",
		Requests: 109, Failures: 20, Median: f64(7500), Average: f64(7259.986050816534), Min: f64(131.9586290001098), Max: f64(16056.4499850002),
		AvgContentSize: f64(26.605504587155963), RPS: f64(1.2231225999086421), FPS: f64(0.22442616512085176),
		Percentiles: parsers.Percentiles{P50: f64(7500), P66: f64(9700), P75: f64(10000), P80: f64(11000), P90: f64(12000), P95: f64(14000),
			P98: f64(14000), P99: f64(15000), P999: f64(16000), P9999: f64(16000), P100: f64(16000)}}
	agg := parsers.StatRow{Run: run, Source: "csv", File: run + "_stats.csv", Line: 12, Name: "Aggregated",
		Requests: 565, Failures: 93, Median: f64(7500), Average: f64(6887.764559109742), Min: f64(4.4569869996848865), Max: f64(18463.16181500015),
		AvgContentSize: f64(528.5185840707965), RPS: f64(6.340039164664062), FPS: f64(1.0435816678119607),
		Percentiles: parsers.Percentiles{P50: f64(7500), P66: f64(9700), P75: f64(11000), P80: f64(12000), P90: f64(13000), P95: f64(14000),
			P98: f64(16000), P99: f64(16000), P999: f64(18000), P9999: f64(18000), P100: f64(18000)}}
	stats := []parsers.StatRow{login, agg}
	wib := func(s string) *time.Time {
		t, err := time.Parse("2006-01-02 15:04:05.000 -0700", s+" +0700")
		if err != nil {
			panic(err)
		}
		return tp(t.UTC())
	}
	r := &correlate.Run{
		Name:  run,
		Files: []string{run + ".html", run + "_failures.csv", run + "_stats.csv", run + "_stats_history.csv", "locust.log"},
		Start: time.Unix(1795953421, 0).UTC(), End: time.Unix(1795953501, 0).UTC(), WindowSource: "history+html", UsersMax: 60,
		Stats: stats, Aggregated: &stats[1],
		Logs: []string{"logs/django_errors.log", "logs/runserver_8000.err.log", "pgbouncer.log"},
		Clock: []correlate.Clock{
			{File: "logs/django_errors.log", Zone: "UTC+07:00", OffsetS: 25200, Method: "cross-correlation", Confidence: 0.86},
			{File: "logs/runserver_8000.err.log", Zone: "UTC+07:00", OffsetS: 25200, Method: "cross-correlation", Confidence: 0.9},
			{File: "pgbouncer.log", Zone: "WIB", OffsetS: 25200, Method: "explicit", Confidence: 1},
		},
		LinkStats: correlate.LinkStats{ServerErrors: 93, WithTraceback: 88, WithPooler: 80, WithLocust: 20, Unlinked: 5, LocustFailures: 20},
	}
	sources := []parsers.Audit{
		{Path: "locust.log", Format: "locust_console", Confidence: 0.95, Encoding: "utf-8", Lines: 725, Records: 700, Folded: 20, Unparsed: 5,
			UnparsedExamples: []parsers.Example{{Line: 3, Text: " Name | # reqs | fails `x` </table><script>"}}},
		{Path: "logs/django_errors.log", Format: "django", Confidence: 0.98, Encoding: "utf-8", Lines: 7281, Records: 310, Folded: 6971, Zone: "UTC?"},
		{Path: "logs/runserver_8000.err.log", Format: "runserver", Confidence: 0.97, Encoding: "utf-8", Lines: 8321, Records: 1200, Folded: 7121, Zone: "UTC?"},
		{Path: "pgbouncer.log", Format: "pgbouncer", Confidence: 1, Encoding: "utf-8", Lines: 1126, Records: 1126, Zone: "WIB"},
		{Path: run + "_stats.csv", Format: "locust_stats_csv", Confidence: 1, Encoding: "utf-8", Run: run, Lines: 12, Records: 11, Folded: 1},
		{Path: run + "_failures.csv", Format: "locust_failures_csv", Confidence: 1, Encoding: "utf-8", Run: run, Lines: 10, Records: 9, Folded: 1},
	}
	a := &correlate.Analysis{Sources: sources, Runs: []*correlate.Run{r}}
	fs := []rules.Finding{{
		ID: "pool-exhaustion", Severity: "critical", Title: "PgBouncer pool exhausted: requests waited past query_wait_timeout",
		Category: "server", Confidence: 0.92,
		Summary:        "88 of 93 HTTP 500 responses carry a query_wait_timeout traceback and 80 follow a PgBouncer pooler error within 3 s; 20 of them are login POSTs.",
		Interpretation: "Clients waited for a server connection longer than PgBouncer's query_wait_timeout; Django turned the refused query into a 500.",
		Recommendation: "Raise the pool size (default_pool_size) or lower concurrency, and shorten the slow queries that hold connections.",
		Evidence: []rules.Evidence{
			{File: "pgbouncer.log", Line: 301, Time: wib("2026-11-29 18:57:27.303"), Text: "2026-11-29 18:57:27.303 WIB [19202] WARNING C-0x555ee7b7d930: rabdb/rabapp@127.0.0.1:44202 pooler error: query_wait_timeout"},
			{File: "logs/django_errors.log", Line: 1, Time: wib("2026-11-29 18:57:27.305"), Text: "2026-11-29 18:57:27,305 ERROR django.request Internal Server Error: /dashboard/"},
			{File: "logs/django_errors.log", Line: 17, Time: wib("2026-11-29 18:57:27.305"), Text: "psycopg2.OperationalError: FATAL:  query_wait_timeout"},
			{File: "logs/runserver_8000.err.log", Line: 714, Time: wib("2026-11-29 18:57:27.000"), Text: "[29/Nov/2026 18:57:27] \"POST /accounts/login/ HTTP/1.1\" 500 145"},
			{File: "locust.log", Line: 178, Time: wib("2026-11-29 18:57:27.364"), Text: "[2026-11-29 18:57:27,364] vm/ERROR/locust.auth: login_server_error username=tester050 status=500 url=http://127.0.0.1:8000/accounts/login/ error=unknown"},
		},
	}}
	return a, map[string][]rules.Finding{run: fs}
}
