// Package correlate puts every parsed source on one UTC clock, cuts the logs
// into Locust runs, and links the events that belong together.
//
// Input: the parse stage's *schema.Dataset (the file table and the Arrow
// record batches). The events are read where they are: a Run's Events are
// row numbers of the one events Table, in UTC order.
// Output: an *Analysis with one Run per Locust run found, each carrying the
// clock decisions, the load curve, the log events inside its window, the
// links between them, incidents and clusters. The rules stage reads only
// this.
package correlate

import (
	"time"

	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
)

// Options steer correlation.
type Options struct {
	// TZ is --tz: the zone of every naive wall clock; nil = infer.
	TZ *time.Location
	// TZSource is --tz-source FILE_OR_FORMAT=ZONE, keyed by file display
	// name or format name; it wins over TZ for the sources it names.
	TZSource map[string]*time.Location
	// Margin widens each run window when slicing logs (default 2 min).
	Margin time.Duration
	// LinkTolerance is how far apart two events may be and still be linked
	// (default 3 s, after clock resolution).
	LinkTolerance time.Duration
	// KeepOutside fills Analysis.Outside. Only the dataset export needs
	// those events, so the other commands do not hold them.
	KeepOutside bool
	// ReleaseLocust releases the run-level tables (stats, history,
	// failures, exceptions, meta, tasks) as Analyze reads them into the
	// runs' rows, and leaves them nil in the dataset: for a caller that
	// reads them no more. A history's batches go one by one as its rows
	// are made, so its table and its rows are not both held whole.
	ReleaseLocust bool
}

// Analysis is the correlation stage's output.
type Analysis struct {
	Sources  []parsers.Audit // the parse audit, one per file, sorted by path
	Runs     []*Run          // sorted by start time, then name
	Clocks   []Clock         // one decision per log file (naive or not)
	Messages []string        // plain statements about inputs: no overlap, one-row history, duplicates...
	// Orphans are log files whose events fall in no run window.
	Orphans []string
	// Events is the events table with every row's UTC time and the order
	// the runs' slices are cut from.
	Events *Table
	// Outside (with Options.KeepOutside) are the log events no run's slice
	// holds, whatever --run selected: first those on the UTC clock that
	// fall outside every run found (time, file, line order), then those
	// with no UTC time (Resolved false: their file's clock is unknown, or
	// the record carried no time; file, line order).
	Outside Events
}

// Run is one Locust run and everything correlated with it.
type Run struct {
	Name  string   // the --csv prefix or HTML report name
	Files []string // the run's own Locust files (CSV set, HTML, console log)

	Start, End   time.Time // UTC; zero when unknown
	WindowSource string    // "history", "html", "history+html", "none"
	UsersMax     int64
	// UsersUnknown is set when no history row carries a user count (a
	// Locust 0.x run has no history; 0.13's history has no user column):
	// UsersMax is then 0 by absence, not a measurement.
	UsersUnknown bool

	// Stats are the request rows, from _stats.csv when present, else from
	// the HTML report. Aggregated points into Stats (nil when absent).
	Stats      []parsers.StatRow
	Aggregated *parsers.StatRow
	// StatsHTML are the HTML report's rows when a CSV set exists too, kept
	// for consistency checks.
	StatsHTML []parsers.StatRow
	History   []parsers.HistoryRow // Aggregated rows only, time order
	// Failures and Exceptions come from the CSV set when it has them, else
	// from the HTML report; the HTML report's rows are kept apart in
	// FailuresHTML / ExceptionsHTML when both exist, so nothing counts twice.
	Failures       []parsers.FailureRow
	Exceptions     []parsers.ExceptionRow
	FailuresHTML   []parsers.FailureRow
	ExceptionsHTML []parsers.ExceptionRow
	Meta           []parsers.MetaRow
	Tasks          []parsers.TaskRow

	// Clock holds the decisions that concern this run: one entry per log
	// file used, and one with File = the run name and Method
	// "file-name-stamp" when the run's name carries a local start stamp.
	Clock []Clock
	// Events are the log events inside the window (with margin), on the
	// UTC clock, sorted by time then file path then line: rows of
	// Analysis.Events, shared by the runs, not copies.
	Events Events
	// Logs lists the log files that contributed events to this run.
	Logs []string

	Timeline []Bucket
	Chains   []Chain
	// Own is the run's own stretch of the logs and the facts the rules
	// read from it, computed once (ComputeOwn).
	Own Own

	// roots are the folder trees the run's Locust files were found
	// under: a log feeds only the runs of its own tree (Table.feeds).
	roots     map[string]bool
	LinkStats LinkStats
	Incidents []Incident
	Clusters  []Cluster
}

// HasLocustResults reports whether any of Locust's results of the run
// were read: stats, history, failures or exceptions rows, from the CSV set
// or the HTML report.
func (r *Run) HasLocustResults() bool {
	return len(r.Stats)+len(r.StatsHTML)+len(r.History)+len(r.Failures)+len(r.FailuresHTML)+len(r.Exceptions)+len(r.ExceptionsHTML) > 0
}

// MetaValue returns the first value of a meta key, "" when absent.
func (r *Run) MetaValue(key string) string {
	for _, m := range r.Meta {
		if m.Key == key {
			return m.Value
		}
	}
	return ""
}

// Clock is one clock decision: how a file's (or a run's name stamp's) times
// relate to UTC, and why. JSON names are part of logcorr.analysis/v1.
type Clock struct {
	File string `json:"file"`
	// Zone is the zone name or abbreviation when known ("Asia/Jakarta",
	// "WIB", "UTC"), or "UTC+07:00" for an inferred fixed offset, or
	// "unknown".
	Zone string `json:"zone"`
	// OffsetS is local minus UTC in seconds (UTC+7 = 25200).
	OffsetS int64 `json:"offset_s"`
	// Method: "explicit" (zone or epoch in the lines), "tz-flag",
	// "tz-source", "file-name-stamp", "cross-correlation", "same-host"
	// (taken from another file of the same process), "unknown".
	Method     string  `json:"method"`
	Confidence float64 `json:"confidence"` // 0..1
	Evidence   string  `json:"evidence"`
	// LagS is the estimated remaining lag after the offset (cross-
	// correlation), in seconds.
	LagS float64 `json:"lag_s,omitempty"`
	// LeftOut is how many of the file's events have no UTC time (its
	// offset is unknown, or it has no timestamps) and so are in no run.
	LeftOut int64 `json:"events_left_out,omitempty"`
}

// Ref points at a line of evidence.
type Ref struct {
	File string    `json:"file"`
	Line int64     `json:"line"`
	Time time.Time `json:"time"`
	Text string    `json:"text"`
	// At is the line's position when Text is to be the file's own line,
	// read back when a report is written (nil when Text is a rendering:
	// a traceback's exception).
	At *schema.Ref `json:"-"`
}

// Chain is the set of events linked to one server error (or, when no
// request line exists, to one Locust-side failure). Each member may be
// missing; Delta fields give member time minus anchor time in ms.
type Chain struct {
	Anchor       Ref    // the runserver 5xx request line, or the first member found
	Method, Path string // from the request line
	Status       int64
	Locust       *Ref // locust_auth / locust_console login failure
	AuthResponse *Ref // auth_debug auth_response / auth_failure
	ServerError  *Ref // django.request "Internal Server Error" record
	Traceback    *Ref // the traceback (folded into ServerError, or bare)
	Pooler       *Ref // PgBouncer pooler error
	ExcType      string
	ExcMessage   string
}

// DeltaMS is member m's time minus the anchor's, in ms; false when the
// chain has no such member (m nil). (Computed, not kept: a storm's
// hundreds of thousands of chains carried a map each.)
func (c *Chain) DeltaMS(m *Ref) (int64, bool) {
	if m == nil {
		return 0, false
	}
	return m.Time.Sub(c.Anchor.Time).Milliseconds(), true
}

// LinkStats counts how much of the run's 5xx traffic was explained.
type LinkStats struct {
	ServerErrors     int64 // 5xx request lines in the window
	WithTraceback    int64
	WithPooler       int64
	WithLocust       int64
	WithAuth         int64
	Unlinked         int64 // 5xx with neither traceback nor pooler error
	LocustFailures   int64 // login failures seen on the Locust side
	LocustUnmatched  int64
	TracebacksTotal  int64
	PoolerErrorTotal int64
}

// Bucket is one step of the run's timeline.
type Bucket struct {
	Start  time.Time
	Width  time.Duration
	Users  int64
	RPS    float64
	FPS    float64
	P50    *float64
	P95    *float64
	Counts map[string]int64 // "source/kind/status" → count, e.g. "runserver/request/500"; nil when none
	// PgBouncer stats lines inside the bucket (last seen), in microseconds.
	PgWaitUS, PgXactUS, PgQueryUS *float64
}

// Incident is a window where errors departed from the run's baseline.
type Incident struct {
	Start, End time.Time
	OnsetUsers int64
	OnsetRPS   float64
	// FirstSources lists sources in the order their error rate changed.
	FirstSources []string
	PeakPerS     float64
	Baseline     float64
	Errors       int64
}

// Cluster groups similar exceptions or log messages.
type Cluster struct {
	Kind      string // "exception" or "message"
	Key       string // stable key: type|frame|masked message, or template
	ExcType   string
	Frame     string
	Template  string // message with numbers/ids/paths masked
	Count     int64
	First     time.Time
	Last      time.Time
	PerPhase  map[string]int64 // "ramp-up", "steady", "ramp-down"/"tail"
	Endpoints []string         // request paths affected, sorted
	Examples  []Ref            // up to 3
	Sources   []string
}
