package parsers

import "time"

// Table names, as used in Result.Tables and in --out file names.
const (
	TableEvents     = "events"
	TableAuth       = "auth"
	TableStats      = "locust_stats"
	TableHistory    = "locust_history"
	TableFailures   = "locust_failures"
	TableExceptions = "locust_exceptions"
	TableMeta       = "locust_meta"
	TableTasks      = "locust_tasks"
)

// Event is a row of the events table: one record of any line-oriented log
// (django, auth_debug, locust_auth, runserver, pgbouncer, locust_console).
// A multi-line record (a traceback) is one row spanning Line..EndLine.
//
// Columns: time (timestamp[us, UTC], null when the line carries no time),
// time_naive (the time was a wall clock without zone, read as UTC; the
// correlation stage corrects it), zone (the zone text the line printed, e.g.
// "WIB", or the --tz zone applied), source (format name), file, line,
// end_line, level, logger, kind (event kind, see the Kind* constants),
// method, path, status, size (response bytes), user, duration_ms,
// exc_type / exc_message / exc_frame (innermost exception and its innermost
// frame "file:line in func"), traceback (full text, chained tracebacks
// included), message, attrs (every other key=value), duplicates (how many
// identical copies of this event were merged into it), text (the record's
// first line exactly as written, secrets redacted: what evidence cites).
type Event struct {
	Time       time.Time         `arrow:"time"`
	Naive      bool              `arrow:"time_naive"`
	Zone       string            `arrow:"zone"`
	Source     string            `arrow:"source"`
	File       string            `arrow:"file"`
	Line       int64             `arrow:"line"`
	EndLine    int64             `arrow:"end_line"`
	Level      string            `arrow:"level"`
	Logger     string            `arrow:"logger"`
	Kind       string            `arrow:"kind"`
	Method     string            `arrow:"method"`
	Path       string            `arrow:"path"`
	Status     *int64            `arrow:"status"`
	Size       *int64            `arrow:"size"`
	User       string            `arrow:"user"`
	DurationMS *float64          `arrow:"duration_ms"`
	ExcType    string            `arrow:"exc_type"`
	ExcMessage string            `arrow:"exc_message"`
	ExcFrame   string            `arrow:"exc_frame"`
	Traceback  string            `arrow:"traceback"`
	Message    string            `arrow:"message"`
	Attrs      map[string]string `arrow:"attrs"`
	Duplicates int64             `arrow:"duplicates"`
	Text       string            `arrow:"text"`
	// Offset is the byte offset of line Line in the decoded stream (see
	// Line.Off): where read-back finds the record.
	Offset int64 `arrow:"offset"`
}

// Event kinds. A parser may add kinds of its own; these are the ones the
// correlation stage and the rules know.
const (
	KindLog           = "log"            // a plain log record
	KindRequest       = "request"        // an HTTP request line (runserver)
	KindServerError   = "server_error"   // "Internal Server Error: /path" (django.request)
	KindTraceback     = "traceback"      // a bare traceback with no log prefix
	KindUnhandled     = "unhandled"      // "Unhandled exception [ID]: msg" (user's middleware)
	KindForbidden     = "forbidden"      // "Forbidden (CSRF ...): /path"
	KindClientError   = "client_error"   // other 4xx Django logs: "Not Found: /path", "Bad Request: /path"
	KindAuthRequest   = "auth_request"   // auth_debug
	KindAuthResponse  = "auth_response"  // auth_debug
	KindAuthFailure   = "auth_failure"   // auth_debug
	KindLoginFailure  = "login_failure"  // locust_auth: login_server_error, login_page_returned, ...
	KindPoolConfig    = "pool_config"    // locust_auth: user pool messages
	KindPoolerError   = "pooler_error"   // pgbouncer "pooler error: X"
	KindClosing       = "closing"        // pgbouncer "closing because: X (age=Ns)"
	KindLoginAttempt  = "login_attempt"  // pgbouncer "login attempt: db=..."
	KindNewConnection = "new_connection" // pgbouncer "new connection to server"
	KindStats         = "stats"          // pgbouncer "stats: ..." (values in attrs)
	KindBanner        = "banner"         // startup/shutdown lines
	KindCommandLine   = "command_line"   // locust_console: options it printed
)

// AuthRow is a row of the auth table: one auth_debug record with every
// key=value typed. Keys other than these land in Attrs. "n/a" reads as null.
type AuthRow struct {
	Time       time.Time         `arrow:"time"`
	Naive      bool              `arrow:"time_naive"`
	File       string            `arrow:"file"`
	Line       int64             `arrow:"line"`
	Level      string            `arrow:"level"`
	Kind       string            `arrow:"kind"` // auth_request, auth_response, auth_failure
	Method     string            `arrow:"method"`
	Path       string            `arrow:"path"`
	User       string            `arrow:"user"`
	Session    string            `arrow:"session"`
	IP         string            `arrow:"ip"`
	CSRFCookie *bool             `arrow:"csrf_cookie"`
	CSRFHeader *bool             `arrow:"csrf_header"`
	FormCSRF   *bool             `arrow:"form_csrf"`
	Status     *int64            `arrow:"status"`
	DurationMS *float64          `arrow:"duration_ms"`
	DBQueries  *int64            `arrow:"db_queries"`
	DBTimeMS   *float64          `arrow:"db_time_ms"`
	Attrs      map[string]string `arrow:"attrs"`
	Offset     int64             `arrow:"offset"`
}

// Percentiles holds Locust's percentile columns, in milliseconds, null when
// Locust wrote N/A. Values are exactly as Locust wrote them (already rounded
// by Locust to about two significant digits).
type Percentiles struct {
	P50   *float64 `arrow:"p50"`
	P66   *float64 `arrow:"p66"`
	P75   *float64 `arrow:"p75"`
	P80   *float64 `arrow:"p80"`
	P90   *float64 `arrow:"p90"`
	P95   *float64 `arrow:"p95"`
	P98   *float64 `arrow:"p98"`
	P99   *float64 `arrow:"p99"`
	P999  *float64 `arrow:"p99_9"`
	P9999 *float64 `arrow:"p99_99"`
	P100  *float64 `arrow:"p100"`
}

// PercentileHeaders are the CSV headers of the percentile columns, in the
// order of the Percentiles fields.
var PercentileHeaders = []string{"50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%"}

// Ptrs returns pointers to the fields in PercentileHeaders order.
func (p *Percentiles) Ptrs() []**float64 {
	return []**float64{&p.P50, &p.P66, &p.P75, &p.P80, &p.P90, &p.P95, &p.P98, &p.P99, &p.P999, &p.P9999, &p.P100}
}

// StatRow is a row of the locust_stats table: one line of PREFIX_stats.csv
// (source "csv") or one entry of the HTML report's requests_statistics
// (source "html"). Run is the --csv PREFIX (or HTML file name without .html).
// Name "Aggregated" with empty Type is the total row.
type StatRow struct {
	Run            string   `arrow:"run"`
	Source         string   `arrow:"source"`
	File           string   `arrow:"file"`
	Line           int64    `arrow:"line"`
	Type           string   `arrow:"type"`
	Name           string   `arrow:"name"`
	Requests       int64    `arrow:"requests"`
	Failures       int64    `arrow:"failures"`
	Median         *float64 `arrow:"median_ms"`
	Average        *float64 `arrow:"average_ms"`
	Min            *float64 `arrow:"min_ms"`
	Max            *float64 `arrow:"max_ms"`
	AvgContentSize *float64 `arrow:"avg_content_size"`
	RPS            *float64 `arrow:"rps"`
	FPS            *float64 `arrow:"failures_per_s"`
	Percentiles
	Offset int64 `arrow:"offset"`
}

// HistoryRow is a row of the locust_history table: one line of
// PREFIX_stats_history.csv or one point of the HTML report's history.
// Percentile columns are Locust's current-window values at that second;
// Total* are cumulative since the start.
type HistoryRow struct {
	Run    string    `arrow:"run"`
	Source string    `arrow:"source"`
	File   string    `arrow:"file"`
	Line   int64     `arrow:"line"`
	Time   time.Time `arrow:"time"` // from the Unix epoch: UTC
	Users  int64     `arrow:"user_count"`
	Type   string    `arrow:"type"`
	Name   string    `arrow:"name"`
	RPS    *float64  `arrow:"rps"`
	FPS    *float64  `arrow:"failures_per_s"`
	Percentiles
	TotalRequests       int64    `arrow:"total_requests"`
	TotalFailures       int64    `arrow:"total_failures"`
	TotalMedian         *float64 `arrow:"total_median_ms"`
	TotalAverage        *float64 `arrow:"total_average_ms"`
	TotalMin            *float64 `arrow:"total_min_ms"`
	TotalMax            *float64 `arrow:"total_max_ms"`
	TotalAvgContentSize *float64 `arrow:"total_avg_content_size"`
	// UsersUnknown is set when the file wrote no user count (Locust 0.13's
	// history has no such column, a report's chart no user series): Users
	// is then 0 by absence, not a measurement.
	UsersUnknown bool  `arrow:"user_count_unknown"`
	Offset       int64 `arrow:"offset"`
}

// FailureRow is a row of the locust_failures table (PREFIX_failures.csv or
// the HTML report's failures_statistics).
type FailureRow struct {
	Run         string `arrow:"run"`
	Source      string `arrow:"source"`
	File        string `arrow:"file"`
	Line        int64  `arrow:"line"`
	Method      string `arrow:"method"`
	Name        string `arrow:"name"`
	Error       string `arrow:"error"`
	Occurrences int64  `arrow:"occurrences"`
	Offset      int64  `arrow:"offset"`
}

// ExceptionRow is a row of the locust_exceptions table
// (PREFIX_exceptions.csv or the HTML report's exceptions_statistics).
type ExceptionRow struct {
	Run       string `arrow:"run"`
	Source    string `arrow:"source"`
	File      string `arrow:"file"`
	Line      int64  `arrow:"line"`
	Count     int64  `arrow:"count"`
	Message   string `arrow:"message"`
	Traceback string `arrow:"traceback"`
	Nodes     string `arrow:"nodes"`
	Offset    int64  `arrow:"offset"`
}

// MetaRow is a row of the locust_meta table: one fact about a run, from the
// HTML report (start_time, end_time, host, locustfile, show_download_link...)
// or from Locust's console log (command_line, users, spawn_rate, run_time,
// tags, exclude_tags, locust_version, exit_code...). Time-valued keys
// (start_time, end_time) are RFC 3339 UTC.
type MetaRow struct {
	Run    string `arrow:"run"`
	File   string `arrow:"file"`
	Line   int64  `arrow:"line"`
	Key    string `arrow:"key"`
	Value  string `arrow:"value"`
	Offset int64  `arrow:"offset"`
}

// TaskRow is a row of the locust_tasks table: the HTML report's tasks per
// user class, with their ratio within the class and of the total.
type TaskRow struct {
	Run        string  `arrow:"run"`
	File       string  `arrow:"file"`
	UserClass  string  `arrow:"user_class"`
	ClassRatio float64 `arrow:"class_ratio"`
	Task       string  `arrow:"task"`
	Ratio      float64 `arrow:"ratio"`
	TotalRatio float64 `arrow:"total_ratio"`
}
