package export

import (
	"strconv"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
	"github.com/logcorr/logcorr/report"
	"github.com/logcorr/logcorr/rules"
)

// The tables of the dataset, logcorr.dataset/v1. This list is the
// contract docs/schema.md documents (generated from it) and
// testdata/schema.v1 freezes: columns are only ever added at the end of a
// table, tables only ever added; nothing is renamed, retyped or removed.

var tableDefs = []tableDef{
	requestsTable, historyTable, failuresTable, exceptionsTable,
	eventsTable, linksTable, clustersTable, incidentsTable,
	findingsTable, evidenceTable, checksTable, gatesTable, clocksTable, sourcesTable,
	runsTable, // last: a run's row appears once its other partitions are in place
}

func percentileCols[R any](prefix string, get func(*R) *parsers.Percentiles) []column[R] {
	cols := make([]column[R], len(schema.PercentileColumns))
	for i, n := range schema.PercentileColumns {
		cols[i] = optF64(prefix+n+"_ms", "ms", "Locust's "+parsers.PercentileHeaders[i]+" response time percentile as it wrote it (already rounded to about two significant digits); null for N/A",
			func(r *R) *float64 { return *get(r).Ptrs()[i] })
	}
	return cols
}

func cat[R any](groups ...[]column[R]) []column[R] {
	var out []column[R]
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

func nonZero(v float64) *float64 {
	if v == 0 {
		return nil
	}
	return &v
}

func ptrI64(v int64) *int64 { return &v }

var runsTable = &table[part]{
	name: "runs",
	doc: "One row per Locust run: its window, Locust's Aggregated figures, the verdict, how much of its 5xx traffic " +
		"was linked to a cause, and the parameters its name and Locust's own record give. The same figures as " +
		"`analyze --format json` (`runs[]`).",
	rows: func(p *part) []part {
		if p.doc == nil {
			return nil
		}
		return []part{*p}
	},
	cols: []column[part]{
		optUTC("start", "first instant of the run: the earlier of the first stats-history row and the HTML report's start_time; null when the run has neither", func(p *part) time.Time { return p.r.Start }),
		optUTC("end", "last instant: the later of the last history row and the HTML report's end_time; null when unknown", func(p *part) time.Time { return p.r.End }),
		optF64("duration_s", "s", "end minus start; null when either is unknown", func(p *part) *float64 { return p.doc.DurationS }),
		str("window_source", "where start and end come from: `history`, `html`, `history+html`, or `none` (then no log event can be placed in the run)", func(p *part) string { return p.doc.WindowSource }),
		optI64("users_max", "users", "the highest user count in the stats history; null when the files wrote no user count (Locust 0.x)", func(p *part) *int64 { return p.doc.UsersMax }),
		optI64("requests", "", "Locust's Aggregated row: requests; null when the run has no Aggregated row", func(p *part) *int64 {
			if p.doc.Summary == nil {
				return nil
			}
			return ptrI64(p.doc.Summary.Requests)
		}),
		optI64("failures", "", "Locust's Aggregated row: failures; null when the run has no Aggregated row", func(p *part) *int64 {
			if p.doc.Summary == nil {
				return nil
			}
			return ptrI64(p.doc.Summary.Failures)
		}),
		optF64("failure_pct", "%", "failures / requests × 100, rounded to 2 decimals (0 with no requests); null without an Aggregated row", func(p *part) *float64 {
			if p.doc.Summary == nil {
				return nil
			}
			v := p.doc.Summary.FailurePct
			return &v
		}),
		optF64("median_ms", "ms", "Aggregated median response time, as Locust wrote it", func(p *part) *float64 { return summaryField(p, func(s *report.Summary) *float64 { return s.MedianMS }) }),
		optF64("average_ms", "ms", "Aggregated average response time", func(p *part) *float64 {
			return summaryField(p, func(s *report.Summary) *float64 { return s.AverageMS })
		}),
		optF64("p95_ms", "ms", "Aggregated 95th percentile", func(p *part) *float64 { return summaryField(p, func(s *report.Summary) *float64 { return s.P95MS }) }),
		optF64("p99_ms", "ms", "Aggregated 99th percentile", func(p *part) *float64 { return summaryField(p, func(s *report.Summary) *float64 { return s.P99MS }) }),
		optF64("max_ms", "ms", "Aggregated maximum response time", func(p *part) *float64 { return summaryField(p, func(s *report.Summary) *float64 { return s.MaxMS }) }),
		optF64("rps", "per s", "Aggregated requests per second over the run", func(p *part) *float64 { return summaryField(p, func(s *report.Summary) *float64 { return s.RPS }) }),
		optF64("failures_per_s", "per s", "Aggregated failures per second over the run", func(p *part) *float64 { return summaryField(p, func(s *report.Summary) *float64 { return s.FPS }) }),
		optStr("summary_source", "where the Aggregated row comes from: `csv` (the --csv stats file) or `html` (the --html report)", func(p *part) string {
			if p.doc.Summary == nil {
				return ""
			}
			return p.doc.Summary.Source
		}),
		str("verdict", "`fail` when a finding reached the export's --fail-on (critical by default) or one of its --slo gates failed, else `pass`: what `analyze` would decide with the same flags", func(p *part) string {
			if p.verdict.Fail {
				return "fail"
			}
			return "pass"
		}),
		strList("verdict_reasons", "why it fails, e.g. `critical finding pgbouncer-pool-exhausted`, `gate p95<2s failed`; empty when it passes", func(p *part) []string { return p.verdict.Reasons }),
		str("conclusion", "the diagnosis's outcome: `cause` (a root cause is shown), `invalid` (the run does not measure what it claims), `symptoms-only` (targets missed, no cause in the evidence), `clean`, or `unmeasured` (no finding, and no Locust result of the run was found)", func(p *part) string { return p.doc.Conclusion.Verdict }),
		str("conclusion_text", "the conclusion in one sentence, as the reports lead with it", func(p *part) string { return p.doc.Conclusion.Text }),
		optStr("root_cause", "the rule ID of the finding the conclusion rests on (the cause, or what makes the run invalid); null when none", func(p *part) string { return p.doc.Conclusion.Lead }),
		optF64("root_cause_confidence", "0..1", "that finding's confidence", func(p *part) *float64 { return nonZero(p.doc.Conclusion.Confidence) }),
		optStr("conclusion_why", "for an invalid run, the cause behind it", func(p *part) string { return p.doc.Conclusion.Why }),
		optStr("conclusion_impact", "what the cause did to the run", func(p *part) string { return p.doc.Conclusion.Impact }),
		optStr("conclusion_fix", "what to change", func(p *part) string { return p.doc.Conclusion.Fix }),
		strList("ruled_out", "causes the evidence rules out", func(p *part) []string { return p.doc.Conclusion.RuledOut }),
		strList("symptoms", "the symptom findings' headlines (missed targets, hotspots): consequences, not causes", func(p *part) []string { return p.doc.Conclusion.Symptoms }),
		strList("caveats", "what limits the conclusion", func(p *part) []string { return p.doc.Conclusion.Caveats }),
		i64("findings", "", "number of findings (rows in `findings` for this run)", func(p *part) int64 { return int64(len(p.findings)) }),
		optStr("max_severity", "the highest severity among the findings (`info`, `low`, `medium`, `high`, `critical`); null without findings", func(p *part) string {
			max, name := -1, ""
			for _, f := range p.findings {
				if s, ok := rules.ParseSeverity(f.Severity); ok && int(s) > max {
					max, name = int(s), f.Severity
				}
			}
			return name
		}),
		i64("server_errors", "", "5xx responses in the run's request lines (runserver), each the anchor of a row in `links`", func(p *part) int64 { return p.r.LinkStats.ServerErrors }),
		i64("with_traceback", "", "of those, linked to a traceback", func(p *part) int64 { return p.r.LinkStats.WithTraceback }),
		i64("with_pooler_error", "", "of those, linked to a PgBouncer pooler error", func(p *part) int64 { return p.r.LinkStats.WithPooler }),
		i64("with_locust_failure", "", "of those, linked to a Locust-side login failure", func(p *part) int64 { return p.r.LinkStats.WithLocust }),
		i64("with_auth_debug", "", "of those, linked to an auth-debug response record", func(p *part) int64 { return p.r.LinkStats.WithAuth }),
		i64("unlinked", "", "of those, with neither traceback nor pooler error", func(p *part) int64 { return p.r.LinkStats.Unlinked }),
		i64("locust_login_failures", "", "login failures the Locust side logged in the run", func(p *part) int64 { return p.r.LinkStats.LocustFailures }),
		i64("locust_unmatched", "", "of those, matched to no server error", func(p *part) int64 { return p.r.LinkStats.LocustUnmatched }),
		i64("tracebacks_total", "", "distinct exceptions in the run (a record copied to two files counts once)", func(p *part) int64 { return p.r.LinkStats.TracebacksTotal }),
		i64("pooler_errors_total", "", "PgBouncer `pooler error` records in the run (rows of `events` with kind `pooler_error`)", func(p *part) int64 { return p.r.LinkStats.PoolerErrorTotal }),
		i64("incidents", "", "number of incident windows (rows in `incidents`)", func(p *part) int64 { return int64(len(p.doc.Incidents)) }),
		i64("events", "", "number of log events in the run (rows in `events` for this run)", func(p *part) int64 { return int64(p.events.Len()) }),
		optStr("param_version", "version token of the run name (`v19` in hasil_test_v19_100u)", func(p *part) string { return p.doc.Params.Version }),
		optI64("param_users", "users", "configured users: Locust's -u when its console log or HTML report says, else the name's `100u`", func(p *part) *int64 {
			if p.doc.Params.Users == 0 {
				return nil
			}
			return ptrI64(p.doc.Params.Users)
		}),
		optI64("param_pool", "", "the name's `pool140` token", func(p *part) *int64 {
			if p.doc.Params.Pool == 0 {
				return nil
			}
			return ptrI64(p.doc.Params.Pool)
		}),
		optStr("param_stamp", "the name's _YYYYMMDD_HHMMSS stamp: the load host's local wall clock, `2026-01-11 11:42:25 (local)`", func(p *part) string { return p.doc.Params.Stamp }),
		optStr("host", "the target host Locust was pointed at (its HTML report or console log)", func(p *part) string { return p.doc.Params.Host }),
		optStr("command_line", "Locust's command line as its console log printed it (redacted)", func(p *part) string { return p.doc.Params.CommandLine }),
		optStr("spawn_rate", "Locust's spawn rate, as it printed it", func(p *part) string { return p.doc.Params.SpawnRate }),
		optStr("run_time", "Locust's --run-time, as it printed it", func(p *part) string { return p.doc.Params.RunTime }),
		optStr("tags", "Locust's --tags", func(p *part) string { return p.doc.Params.Tags }),
		optStr("exclude_tags", "Locust's --exclude-tags", func(p *part) string { return p.doc.Params.ExcludeTags }),
		strList("missing_evidence", "what the findings said they lacked, and the gaps the analysis shows (no server logs in the window, a clock it could not resolve)", func(p *part) []string { return p.doc.MissingEvidence }),
	},
}

func summaryField(p *part, get func(*report.Summary) *float64) *float64 {
	if p.doc.Summary == nil {
		return nil
	}
	return get(p.doc.Summary)
}

func runOf(p *part) *correlate.Run {
	if p.r == nil {
		return &correlate.Run{}
	}
	return p.r
}

var requestsTable = &table[parsers.StatRow]{
	name: "requests",
	doc: "Locust's request statistics: one row per line of the run's `_stats.csv` (or, without a CSV set, per entry of " +
		"its HTML report), the Aggregated total row included (`aggregated` is true; leave it out when you sum).",
	rows: func(p *part) []parsers.StatRow { return runOf(p).Stats },
	cols: cat(
		[]column[parsers.StatRow]{
			str("source", "`csv` or `html`", func(r *parsers.StatRow) string { return r.Source }),
			str("file", "the file it was read from, relative to the folder analysed", func(r *parsers.StatRow) string { return r.File }),
			i64("line", "", "its physical line in the file (1-based; 0 for an HTML report entry)", func(r *parsers.StatRow) int64 { return r.Line }),
			optStr("method", "Locust's Type column: the HTTP method, or a custom request type; null on the Aggregated row", func(r *parsers.StatRow) string { return r.Type }),
			str("name", "Locust's Name column: the request name (or URL); `Aggregated` for the total row", func(r *parsers.StatRow) string { return r.Name }),
			boolean("aggregated", "this is Locust's Aggregated (total) row", func(r *parsers.StatRow) bool { return r.Name == "Aggregated" && r.Type == "" }),
			i64("requests", "", "Request Count", func(r *parsers.StatRow) int64 { return r.Requests }),
			i64("failures", "", "Failure Count", func(r *parsers.StatRow) int64 { return r.Failures }),
			f64("failure_pct", "%", "failures / requests × 100, rounded to 2 decimals (0 with no requests)", func(r *parsers.StatRow) float64 { return report.FailurePct(r.Failures, r.Requests) }),
			optF64("median_ms", "ms", "Median Response Time", func(r *parsers.StatRow) *float64 { return r.Median }),
			optF64("average_ms", "ms", "Average Response Time", func(r *parsers.StatRow) *float64 { return r.Average }),
			optF64("min_ms", "ms", "Min Response Time", func(r *parsers.StatRow) *float64 { return r.Min }),
			optF64("max_ms", "ms", "Max Response Time", func(r *parsers.StatRow) *float64 { return r.Max }),
			optF64("avg_content_size", "bytes", "Average Content Size", func(r *parsers.StatRow) *float64 { return r.AvgContentSize }),
			optF64("rps", "per s", "Requests/s over the run", func(r *parsers.StatRow) *float64 { return r.RPS }),
			optF64("failures_per_s", "per s", "Failures/s over the run", func(r *parsers.StatRow) *float64 { return r.FPS }),
		},
		percentileCols("", func(r *parsers.StatRow) *parsers.Percentiles { return &r.Percentiles }),
	),
}

var historyTable = &table[parsers.HistoryRow]{
	name: "history",
	doc: "Locust's load curve: the Aggregated rows of the run's `_stats_history.csv` (or of its HTML report's history " +
		"when there is no CSV set), one per second Locust wrote, in time order.",
	rows: func(p *part) []parsers.HistoryRow { return runOf(p).History },
	cols: cat(
		[]column[parsers.HistoryRow]{
			str("source", "`csv` or `html`", func(r *parsers.HistoryRow) string { return r.Source }),
			str("file", "the file it was read from", func(r *parsers.HistoryRow) string { return r.File }),
			i64("line", "", "its physical line (0 for an HTML report point)", func(r *parsers.HistoryRow) int64 { return r.Line }),
			utc("time", "the row's instant (Locust's Unix epoch: UTC)", func(r *parsers.HistoryRow) time.Time { return r.Time }),
			optI64("user_count", "users", "users running at that instant; null when the file wrote no user count (Locust 0.13)", func(r *parsers.HistoryRow) *int64 {
				if r.UsersUnknown {
					return nil
				}
				return ptrI64(r.Users)
			}),
			str("name", "always `Aggregated` in this version", func(r *parsers.HistoryRow) string { return r.Name }),
			optF64("rps", "per s", "requests per second in Locust's current window", func(r *parsers.HistoryRow) *float64 { return r.RPS }),
			optF64("failures_per_s", "per s", "failures per second in Locust's current window", func(r *parsers.HistoryRow) *float64 { return r.FPS }),
		},
		percentileCols("", func(r *parsers.HistoryRow) *parsers.Percentiles { return &r.Percentiles }),
		[]column[parsers.HistoryRow]{
			i64("total_requests", "", "requests since the start", func(r *parsers.HistoryRow) int64 { return r.TotalRequests }),
			i64("total_failures", "", "failures since the start", func(r *parsers.HistoryRow) int64 { return r.TotalFailures }),
			optF64("total_median_ms", "ms", "median response time since the start", func(r *parsers.HistoryRow) *float64 { return r.TotalMedian }),
			optF64("total_average_ms", "ms", "average response time since the start", func(r *parsers.HistoryRow) *float64 { return r.TotalAverage }),
			optF64("total_min_ms", "ms", "minimum since the start", func(r *parsers.HistoryRow) *float64 { return r.TotalMin }),
			optF64("total_max_ms", "ms", "maximum since the start", func(r *parsers.HistoryRow) *float64 { return r.TotalMax }),
			optF64("total_avg_content_size", "bytes", "average content size since the start", func(r *parsers.HistoryRow) *float64 { return r.TotalAvgContentSize }),
		},
	),
}

var failuresTable = &table[parsers.FailureRow]{
	name: "failures",
	doc: "Locust's failure statistics (`_failures.csv`, or the HTML report's when there is no CSV set): one row per " +
		"distinct error per request. The error texts are what you search across months (\"when did ConnectionResetError start\").",
	rows: func(p *part) []parsers.FailureRow { return runOf(p).Failures },
	cols: []column[parsers.FailureRow]{
		str("source", "`csv` or `html`", func(r *parsers.FailureRow) string { return r.Source }),
		str("file", "the file it was read from", func(r *parsers.FailureRow) string { return r.File }),
		i64("line", "", "its physical line (0 for an HTML report entry)", func(r *parsers.FailureRow) int64 { return r.Line }),
		optStr("method", "the request's method", func(r *parsers.FailureRow) string { return r.Method }),
		str("name", "the request's name", func(r *parsers.FailureRow) string { return r.Name }),
		str("error", "the error text as Locust wrote it (redacted)", func(r *parsers.FailureRow) string { return r.Error }),
		i64("occurrences", "", "how many times it happened", func(r *parsers.FailureRow) int64 { return r.Occurrences }),
	},
}

var exceptionsTable = &table[parsers.ExceptionRow]{
	name: "exceptions",
	doc:  "Exceptions raised in the locustfile itself (`_exceptions.csv`, or the HTML report's), one row per distinct exception.",
	rows: func(p *part) []parsers.ExceptionRow { return runOf(p).Exceptions },
	cols: []column[parsers.ExceptionRow]{
		str("source", "`csv` or `html`", func(r *parsers.ExceptionRow) string { return r.Source }),
		str("file", "the file it was read from", func(r *parsers.ExceptionRow) string { return r.File }),
		i64("line", "", "its physical line (0 for an HTML report entry)", func(r *parsers.ExceptionRow) int64 { return r.Line }),
		i64("count", "", "how many times it was raised", func(r *parsers.ExceptionRow) int64 { return r.Count }),
		str("message", "the exception's message", func(r *parsers.ExceptionRow) string { return r.Message }),
		optStr("traceback", "its traceback as Locust recorded it", func(r *parsers.ExceptionRow) string { return r.Traceback }),
		optStr("nodes", "the Locust workers that raised it", func(r *parsers.ExceptionRow) string { return r.Nodes }),
	},
}

var eventsTable = &table[eventRow]{
	name:    "events",
	outside: true,
	doc: "Every log record (Django, auth-debug, runserver, PgBouncer, the locustfile's log, Locust's console) on the UTC " +
		"clock after clock resolution. A run's partition holds the records inside its window (widened by a 2-minute " +
		"margin, never past half-way to the next run); a record inside two overlapping runs' windows is in both. " +
		"Records in no run's window, and records whose time could not be put on UTC, are in run=__none__ (see " +
		"the layout section): no record is left out.",
	rows:   func(p *part) []eventRow { return p.listed },
	before: func(p *part, rows []eventRow) { readText(rows, p.in, p.noRedact, p.msgs) },
	after: func(_ *part, rows []eventRow) {
		for i := range rows {
			rows[i].text = "" // written: not held until the partition ends
		}
	},
	cols: []column[eventRow]{
		optUTC("time_utc", "the record's instant on the UTC clock (its zone, or its file's resolved clock, applied); null when its file's clock is unknown or the record carried no time", func(e *eventRow) time.Time {
			if !e.Resolved() {
				return time.Time{}
			}
			return e.Time()
		}),
		optLocal("time_unplaced", "for a record with no UTC time: the wall clock its line printed, without zone; null otherwise", func(e *eventRow) time.Time {
			if e.Resolved() {
				return time.Time{}
			}
			return e.Time()
		}),
		optI64("time_from_line", "", "the line whose time this record took because its own line had none (a bare traceback takes the next request line's); null when it has its own", func(e *eventRow) *int64 {
			if e.TimeFrom() == 0 {
				return nil
			}
			return ptrI64(e.TimeFrom())
		}),
		boolean("time_naive", "the line printed a wall clock without zone, so its UTC time comes from the file's clock decision (table `clocks`)", func(e *eventRow) bool { return e.Naive() }),
		str("source", "the format that parsed it: `django`, `auth_debug`, `locust_auth`, `runserver`, `pgbouncer`, `locust_console`, ...", func(e *eventRow) string { return e.Source().String() }),
		str("file", "its file, relative to the folder analysed", func(e *eventRow) string { return e.File() }),
		i64("line", "", "its first line (1-based)", func(e *eventRow) int64 { return e.Line() }),
		i64("end_line", "", "its last line (a traceback folded into its record spans several)", func(e *eventRow) int64 { return e.EndLine() }),
		str("kind", "what it is: `request`, `server_error`, `traceback`, `unhandled`, `forbidden`, `client_error`, `auth_request`, `auth_response`, `auth_failure`, `login_failure`, `pooler_error`, `closing`, `login_attempt`, `new_connection`, `stats`, `pool_config`, `banner`, `command_line`, `log`", func(e *eventRow) string { return e.Kind().String() }),
		optStr("level", "log level as written (`ERROR`, `WARNING`, `LOG`, ...)", func(e *eventRow) string { return e.Level().String() }),
		optStr("logger", "Python logger name (`django.request`)", func(e *eventRow) string { return e.Logger() }),
		optStr("method", "HTTP method of a request", func(e *eventRow) string { return e.Method() }),
		optStr("path", "request path (redacted)", func(e *eventRow) string { return e.Path() }),
		optI64("status", "", "HTTP status", func(e *eventRow) *int64 { return opt(e.Status()) }),
		optI64("size", "bytes", "response size", func(e *eventRow) *int64 { return opt(e.Size()) }),
		optStr("user", "the user it names (login name, or PgBouncer's db user)", func(e *eventRow) string { return e.User() }),
		optF64("duration_ms", "ms", "duration the line states", func(e *eventRow) *float64 { return opt(e.DurationMS()) }),
		optStr("exc_type", "innermost exception type of its traceback (`django.db.utils.OperationalError`)", func(e *eventRow) string { return e.ExcType() }),
		optStr("exc_message", "that exception's message", func(e *eventRow) string { return e.ExcMessage() }),
		optStr("exc_frame", "innermost frame, `file:line in func`", func(e *eventRow) string { return e.ExcFrame() }),
		optStr("message", "the record's message (after the log prefix)", func(e *eventRow) string { return e.Message() }),
		strMap("attrs", "every other key=value the line held (PgBouncer's `wait_us`, auth-debug keys, ...)", func(e *eventRow) map[string]string { return attrMap(e.Event) }),
		i64("duplicates", "", "identical copies of this record merged into it (the locustfile logs some lines twice)", func(e *eventRow) int64 { return e.Duplicates() }),
		optStr("text", "its first line exactly as written, secrets masked: what findings cite; read back from the file when the dataset is written, null when the file changed since it was parsed (the export names it)", func(e *eventRow) string { return e.text }),
		optStr("traceback", "the full traceback text folded into the record, chained tracebacks included", func(e *eventRow) string { return e.Traceback() }),
	},
}

// opt is v when ok, nil otherwise.
func opt[T any](v T, ok bool) *T {
	if !ok {
		return nil
	}
	return &v
}

// attrMap is an event's key=value pairs as a map, nil when it has none.
func attrMap(e correlate.Event) map[string]string {
	if e.NumAttrs() == 0 {
		return nil
	}
	m := make(map[string]string, e.NumAttrs())
	for k, v := range e.Attrs() {
		m[k] = v
	}
	return m
}

// member is one optional link in a chain, as four columns.
func memberCols(name, what string, get func(*correlate.Chain) *correlate.Ref) []column[ranked[correlate.Chain]] {
	ref := func(c *ranked[correlate.Chain]) *correlate.Ref { return get(c.v) }
	return []column[ranked[correlate.Chain]]{
		optStr(name+"_file", what+": its file; null when the chain has none", func(c *ranked[correlate.Chain]) string {
			if r := ref(c); r != nil {
				return r.File
			}
			return ""
		}),
		optI64(name+"_line", "", what+": its line", func(c *ranked[correlate.Chain]) *int64 {
			if r := ref(c); r != nil {
				return ptrI64(r.Line)
			}
			return nil
		}),
		optUTC(name+"_time", what+": its instant", func(c *ranked[correlate.Chain]) time.Time {
			if r := ref(c); r != nil {
				return r.Time
			}
			return time.Time{}
		}),
		optI64(name+"_delta_ms", "ms", what+": its time minus the anchor's", func(c *ranked[correlate.Chain]) *int64 {
			if d, ok := c.v.DeltaMS(ref(c)); ok {
				return ptrI64(d)
			}
			return nil
		}),
	}
}

var linksTable = &table[ranked[correlate.Chain]]{
	name: "links",
	doc: "One row per server error of the run and what it was linked to across sources: the runserver 5xx request line " +
		"(the anchor; without request lines, the django.request record), its Django `Internal Server Error` record, " +
		"the traceback, the auth-debug response, the Locust-side login failure and the PgBouncer pooler error, each " +
		"with file, line, instant and its offset from the anchor.",
	rows:   func(p *part) []ranked[correlate.Chain] { return rank(runOf(p).Chains) },
	before: quoteLinks,
	after:  unquoteLinks,
	cols: cat(
		[]column[ranked[correlate.Chain]]{
			i64("position", "", "its place among the run's links (0-based, in anchor time order)", func(c *ranked[correlate.Chain]) int64 { return c.pos }),
			str("anchor_file", "the anchor's file", func(c *ranked[correlate.Chain]) string { return c.v.Anchor.File }),
			i64("anchor_line", "", "the anchor's line", func(c *ranked[correlate.Chain]) int64 { return c.v.Anchor.Line }),
			optUTC("anchor_time", "the anchor's instant", func(c *ranked[correlate.Chain]) time.Time { return c.v.Anchor.Time }),
			optStr("method", "the request's method", func(c *ranked[correlate.Chain]) string { return c.v.Method }),
			optStr("path", "the request's path, query left out", func(c *ranked[correlate.Chain]) string { return c.v.Path }),
			optI64("status", "", "the response status", func(c *ranked[correlate.Chain]) *int64 {
				if c.v.Status == 0 {
					return nil
				}
				return ptrI64(c.v.Status)
			}),
			optStr("exc_type", "the linked traceback's exception type", func(c *ranked[correlate.Chain]) string { return c.v.ExcType }),
			optStr("exc_message", "its message", func(c *ranked[correlate.Chain]) string { return c.v.ExcMessage }),
		},
		memberCols("server_error", "the django.request record", func(c *correlate.Chain) *correlate.Ref { return c.ServerError }),
		memberCols("traceback", "the traceback (its last line)", func(c *correlate.Chain) *correlate.Ref { return c.Traceback }),
		memberCols("auth", "the auth-debug response or failure", func(c *correlate.Chain) *correlate.Ref { return c.AuthResponse }),
		memberCols("locust", "the Locust-side login failure", func(c *correlate.Chain) *correlate.Ref { return c.Locust }),
		memberCols("pooler", "the PgBouncer pooler error", func(c *correlate.Chain) *correlate.Ref { return c.Pooler }),
	),
}

func firstExample(c *ranked[correlate.Cluster]) *correlate.Ref {
	if len(c.v.Examples) == 0 {
		return nil
	}
	return &c.v.Examples[0]
}

var clustersTable = &table[ranked[correlate.Cluster]]{
	name: "clusters",
	doc: "The run's exceptions and log messages grouped by shape (exception type + innermost frame + masked message, " +
		"or a message template with numbers, ids and paths masked): every cluster, largest first (the JSON keeps the top 10). " +
		"Messages are grouped with Drain; where 128 templates of one word count and the same leading words exist already, " +
		"a message like none of them joins one overflow template of theirs (its differing words become `<*>`): " +
		"a log of unrelated messages is counted, not grouped one by one.",
	rows: func(p *part) []ranked[correlate.Cluster] { return rank(runOf(p).Clusters) },
	cols: []column[ranked[correlate.Cluster]]{
		i64("position", "", "its rank in the run (0 = largest)", func(c *ranked[correlate.Cluster]) int64 { return c.pos }),
		str("kind", "`exception` or `message`", func(c *ranked[correlate.Cluster]) string { return c.v.Kind }),
		str("key", "stable key of the shape; the same shape has the same key in every run, so it joins across runs", func(c *ranked[correlate.Cluster]) string { return c.v.Key }),
		optStr("exc_type", "exception type", func(c *ranked[correlate.Cluster]) string { return c.v.ExcType }),
		optStr("frame", "innermost frame", func(c *ranked[correlate.Cluster]) string { return c.v.Frame }),
		optStr("template", "the masked message", func(c *ranked[correlate.Cluster]) string { return c.v.Template }),
		i64("count", "", "records in the cluster", func(c *ranked[correlate.Cluster]) int64 { return c.v.Count }),
		optUTC("first", "instant of its first record", func(c *ranked[correlate.Cluster]) time.Time { return c.v.First }),
		optUTC("last", "instant of its last record", func(c *ranked[correlate.Cluster]) time.Time { return c.v.Last }),
		i64Map("per_phase", "", "records per phase of the load curve: `ramp-up`, `steady`, `tail`", func(c *ranked[correlate.Cluster]) map[string]int64 { return c.v.PerPhase }),
		strList("endpoints", "request paths affected (masked), sorted", func(c *ranked[correlate.Cluster]) []string { return c.v.Endpoints }),
		strList("sources", "formats its records came from, sorted", func(c *ranked[correlate.Cluster]) []string { return c.v.Sources }),
		optStr("example_file", "first example record: its file", func(c *ranked[correlate.Cluster]) string {
			if r := firstExample(c); r != nil {
				return r.File
			}
			return ""
		}),
		optI64("example_line", "", "its line", func(c *ranked[correlate.Cluster]) *int64 {
			if r := firstExample(c); r != nil {
				return ptrI64(r.Line)
			}
			return nil
		}),
		optStr("example_text", "its first line, as written (redacted)", func(c *ranked[correlate.Cluster]) string {
			if r := firstExample(c); r != nil {
				return r.Text
			}
			return ""
		}),
	},
}

var incidentsTable = &table[ranked[report.IncidentDoc]]{
	name: "incidents",
	doc:  "Windows of the run where the server-side error rate departed from its baseline, with the load at their onset.",
	rows: func(p *part) []ranked[report.IncidentDoc] {
		if p.doc == nil {
			return nil
		}
		return rank(p.doc.Incidents)
	},
	cols: []column[ranked[report.IncidentDoc]]{
		i64("position", "", "its place in the run (0-based, time order)", func(c *ranked[report.IncidentDoc]) int64 { return c.pos }),
		utc("start", "first instant of the window", func(c *ranked[report.IncidentDoc]) time.Time { return c.v.Start }),
		utc("end", "last instant", func(c *ranked[report.IncidentDoc]) time.Time { return c.v.End }),
		i64("onset_users", "users", "users running when it began", func(c *ranked[report.IncidentDoc]) int64 { return c.v.OnsetUsers }),
		f64("onset_rps", "per s", "requests per second when it began", func(c *ranked[report.IncidentDoc]) float64 { return c.v.OnsetRPS }),
		strList("first_sources", "sources in the order their error rate changed: the first is where it started", func(c *ranked[report.IncidentDoc]) []string { return c.v.FirstSources }),
		f64("peak_per_s", "per s", "highest error rate in the window", func(c *ranked[report.IncidentDoc]) float64 { return c.v.PeakPerS }),
		f64("baseline_per_s", "per s", "the run's baseline error rate", func(c *ranked[report.IncidentDoc]) float64 { return c.v.Baseline }),
		i64("errors", "", "errors in the window", func(c *ranked[report.IncidentDoc]) int64 { return c.v.Errors }),
	},
}

var findingsTable = &table[ranked[rules.Finding]]{
	name:    "findings",
	outside: true,
	doc: "The diagnosis: one row per finding of the run, in the order the reports and the JSON give them (the cause " +
		"first). Findings about no single run are in run=__none__. The lines each cites are in `evidence`.",
	rows: func(p *part) []ranked[rules.Finding] { return rank(p.findings) },
	cols: []column[ranked[rules.Finding]]{
		i64("position", "", "its place in the run's findings (0 = the first the report shows, as in the JSON's runs[].findings)", func(f *ranked[rules.Finding]) int64 { return f.pos }),
		str("id", "the rule ID (`pgbouncer-pool-exhausted`): stable, see `logcorr rules list`", func(f *ranked[rules.Finding]) string { return f.v.ID }),
		str("severity", "`info`, `low`, `medium`, `high` or `critical`", func(f *ranked[rules.Finding]) string { return f.v.Severity }),
		i64("severity_rank", "", "the severity as a number, 0 (info) to 4 (critical), for ordering and max()", func(f *ranked[rules.Finding]) int64 {
			s, _ := rules.ParseSeverity(f.v.Severity)
			return int64(s)
		}),
		str("title", "the rule's title", func(f *ranked[rules.Finding]) string { return f.v.Title }),
		optStr("category", "`server`, `test-validity` or `metrics`", func(f *ranked[rules.Finding]) string { return f.v.Category }),
		f64("confidence", "0..1", "how sure the rule is", func(f *ranked[rules.Finding]) float64 { return f.v.Confidence }),
		str("summary", "what it found, with the counts", func(f *ranked[rules.Finding]) string { return f.v.Summary }),
		optStr("interpretation", "what it means", func(f *ranked[rules.Finding]) string { return f.v.Interpretation }),
		optStr("recommendation", "what to do", func(f *ranked[rules.Finding]) string { return f.v.Recommendation }),
		strList("missing_evidence", "evidence the rule looked for and did not find", func(f *ranked[rules.Finding]) []string { return f.v.Missing }),
		f64Map("metrics", "", "the figures the rule measured, by name (units in the names: `_ms`, `_pct`, ...)", func(f *ranked[rules.Finding]) map[string]float64 { return f.v.Metrics }),
		i64("evidence", "", "number of cited lines (rows in `evidence`)", func(f *ranked[rules.Finding]) int64 { return int64(len(f.v.Evidence)) }),
	},
}

var evidenceTable = &table[evidenceRow]{
	name:    "evidence",
	outside: true,
	doc:     "The lines findings cite, verbatim (secrets masked): join to `findings` on (run, finding_position).",
	rows:    func(p *part) []evidenceRow { return p.evidence },
	cols: []column[evidenceRow]{
		i64("finding_position", "", "the citing finding's `position`", func(e *evidenceRow) int64 { return e.findingPos }),
		str("finding_id", "the citing finding's rule ID", func(e *evidenceRow) string { return e.finding.ID }),
		i64("position", "", "its place among the finding's citations (0-based)", func(e *evidenceRow) int64 { return e.pos }),
		str("file", "the cited file, relative to the folder analysed", func(e *evidenceRow) string { return e.e.File }),
		i64("line", "", "the cited line (1-based; 0 when the citation is a whole file or an HTML report field, named in text)", func(e *evidenceRow) int64 { return e.e.Line }),
		optUTC("time", "the line's instant on the UTC clock; null when unknown", func(e *evidenceRow) time.Time {
			if e.e.Time == nil {
				return time.Time{}
			}
			return *e.e.Time
		}),
		str("text", "the line as written (at most 400 bytes)", func(e *evidenceRow) string { return e.e.Text }),
	},
}

var checksTable = &table[rules.CheckStatus]{
	name: "checks",
	doc: "What each rule made of the run: it found something, found nothing in the evidence it read, or could not " +
		"check for lack of evidence (and which). Over months this says which nights a rule was blind (no PgBouncer " +
		"log, no server log), not just which nights it fired.",
	rows: func(p *part) []rules.CheckStatus {
		if p.doc == nil {
			return nil
		}
		return p.doc.Checks
	},
	cols: []column[rules.CheckStatus]{
		str("id", "the rule ID", func(c *rules.CheckStatus) string { return c.ID }),
		str("title", "the rule's title", func(c *rules.CheckStatus) string { return c.Title }),
		str("status", "`finding`, `no-finding`, `cannot-check` or `error`", func(c *rules.CheckStatus) string { return c.Status }),
		strList("needs", "what the rule reads before it can decide, in words", func(c *rules.CheckStatus) []string { return c.Needs }),
		strList("missing", "what of that this run lacked", func(c *rules.CheckStatus) []string { return c.Missing }),
	},
}

var gatesTable = &table[report.GateDoc]{
	name: "gates",
	doc:  "The export's --slo gates evaluated on the run (empty without --slo): CI history of what passed.",
	rows: func(p *part) []report.GateDoc {
		if p.doc == nil {
			return nil
		}
		return p.doc.Gates
	},
	cols: []column[report.GateDoc]{
		str("gate", "the gate as given: `p95<2s`, `no finding>=critical`", func(g *report.GateDoc) string { return g.Gate }),
		boolean("pass", "it held", func(g *report.GateDoc) bool { return g.Pass }),
		boolean("unknown", "it could not be evaluated (the figure is N/A or absent); such a gate fails", func(g *report.GateDoc) bool { return g.Unknown }),
		optStr("actual", "the figure found (`2100 ms`, `0.64 %`)", func(g *report.GateDoc) string { return g.Actual }),
		str("message", "why, in one sentence", func(g *report.GateDoc) string { return g.Message }),
		optStr("file", "the evidence's file", func(g *report.GateDoc) string { return g.File }),
		optI64("line", "", "the evidence's line", func(g *report.GateDoc) *int64 {
			if g.File == "" {
				return nil
			}
			return ptrI64(g.Line)
		}),
	},
}

var clocksTable = &table[correlate.Clock]{
	name:    "clocks",
	outside: true,
	doc: "How each log file's times were put on UTC, and why: one row per file the run used (and one for the run " +
		"name's local stamp when it has one). Files no run used are in run=__none__. This is where to look when a " +
		"night's server-side evidence is missing: an `unknown` clock leaves its events out of every run.",
	rows: func(p *part) []correlate.Clock { return p.clocks },
	cols: []column[correlate.Clock]{
		str("file", "the log file (or, for method `file-name-stamp`, the run name)", func(c *correlate.Clock) string { return c.File }),
		str("zone", "the zone: an IANA name, an abbreviation the lines print (`WIB`), `UTC+07:00` for an inferred offset, or `unknown`", func(c *correlate.Clock) string { return c.Zone }),
		i64("offset_s", "s", "local minus UTC (UTC+7 = 25200)", func(c *correlate.Clock) int64 { return c.OffsetS }),
		str("method", "`explicit` (the lines carry a zone or epoch), `tz-flag`, `tz-source`, `file-name-stamp`, `cross-correlation`, `same-host`, or `unknown`", func(c *correlate.Clock) string { return c.Method }),
		f64("confidence", "0..1", "how sure the decision is", func(c *correlate.Clock) float64 { return c.Confidence }),
		optStr("evidence", "what the decision rests on, in words", func(c *correlate.Clock) string { return c.Evidence }),
		optF64("lag_s", "s", "remaining lag after the offset (cross-correlation); null when not estimated", func(c *correlate.Clock) *float64 { return nonZero(c.LagS) }),
		i64("events_left_out", "", "the file's events with no UTC time (unknown clock, or no timestamp): in run=__none__ with a null time_utc", func(c *correlate.Clock) int64 { return c.LeftOut }),
	},
}

func exampleText(x parsers.Example) string {
	s := "line " + strconv.FormatInt(x.Line, 10) + ": " + x.Text
	if x.Why != "" {
		s += " (" + x.Why + ")"
	}
	return s
}

var sourcesTable = &table[parsers.Audit]{
	name:    "sources",
	outside: true,
	doc: "The parse audit of every file the run used (its Locust files and the logs that gave it events): its format, " +
		"and where each line went, `lines = records + folded + unparsed`. A log used by several runs is in each of " +
		"their partitions; files no run used are in run=__none__.",
	rows: func(p *part) []parsers.Audit { return p.sources },
	cols: []column[parsers.Audit]{
		str("file", "the file, relative to the folder analysed", func(a *parsers.Audit) string { return a.Path }),
		str("format", "the format detected (or forced with --input-format); `unknown` when none fits, `empty` for a file with no lines", func(a *parsers.Audit) string { return a.Format }),
		f64("confidence", "0..1", "the detector's confidence", func(a *parsers.Audit) float64 { return a.Confidence }),
		optStr("runner_up", "the next most likely format", func(a *parsers.Audit) string { return a.RunnerUp }),
		f64("runner_up_confidence", "0..1", "its confidence", func(a *parsers.Audit) float64 { return a.RunnerUpConfidence }),
		str("chosen_by", "`content`, `content+name` or `--format`", func(a *parsers.Audit) string { return a.Chosen }),
		optStr("encoding", "the text encoding read (`utf-8`, `utf-16le`, gzip noted)", func(a *parsers.Audit) string { return a.Encoding }),
		optStr("locust_run", "for a Locust file, the run it belongs to", func(a *parsers.Audit) string { return a.Run }),
		i64("lines", "", "lines in the file", func(a *parsers.Audit) int64 { return a.Lines }),
		i64("records", "", "lines that started a record", func(a *parsers.Audit) int64 { return a.Records }),
		i64("folded", "", "lines folded into a record (traceback lines)", func(a *parsers.Audit) int64 { return a.Folded }),
		i64("unparsed", "", "lines not understood", func(a *parsers.Audit) int64 { return a.Unparsed }),
		strList("unparsed_examples", "some of those, `line N: text (why)`", func(a *parsers.Audit) []string {
			out := make([]string, len(a.UnparsedExamples))
			for i, x := range a.UnparsedExamples {
				out[i] = exampleText(x)
			}
			return out
		}),
		i64("cut_lines", "", "lines longer than the reader's limit, cut", func(a *parsers.Audit) int64 { return a.CutLines }),
		i64("merged_duplicates", "", "duplicate lines merged into one record", func(a *parsers.Audit) int64 { return a.Merged }),
		optStr("zone", "the zone the lines print, when one", func(a *parsers.Audit) string { return a.Zone }),
		optStr("zone_reason", "how that zone was read", func(a *parsers.Audit) string { return a.ZoneReason }),
		i64Map("tables", "", "rows the file gave each parsed table (`events`, `locust_stats`, ...)", func(a *parsers.Audit) map[string]int64 { return a.Tables }),
		strList("messages", "what the parser said about the file", func(a *parsers.Audit) []string { return a.Messages }),
		optStr("error", "why the file could not be read, when it could not", func(a *parsers.Audit) string { return a.Error }),
	},
}
