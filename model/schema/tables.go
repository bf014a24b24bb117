package schema

import (
	"github.com/apache/arrow-go/v18/arrow"
)

// Table names a table of the Dataset. Its String is the name used in
// --out file names and in the audit's `tables` counts.
type Table uint8

const (
	TableEvents     Table = iota // "events": one record of any line-oriented log
	TableAuth                    // "auth": auth_debug records, every key=value typed
	TableStats                   // "locust_stats": Locust's per-name statistics
	TableHistory                 // "locust_history": Locust's per-second history
	TableFailures                // "locust_failures"
	TableExceptions              // "locust_exceptions"
	TableMeta                    // "locust_meta": facts about a run (start_time, command_line, ...)
	TableTasks                   // "locust_tasks": the HTML report's tasks per user class
	NumTables
)

var tableNames = [NumTables]string{"events", "auth", "locust_stats", "locust_history", "locust_failures",
	"locust_exceptions", "locust_meta", "locust_tasks"}

func (t Table) String() string { return name(tableNames[:], t) }

// MarshalText writes the name.
func (t Table) MarshalText() ([]byte, error) { return marshal(tableNames[:], t) }

// ParseTable reads a table name ("locust_history").
func ParseTable(s string) (Table, bool) { return parse[Table](tableNames[:], s) }

// Schema returns the table's Arrow schema as the parse stage writes it.
func (t Table) Schema() *arrow.Schema { return schemas[t] }

// Column types shared by the schemas.
var (
	// Timestamp is every time column: microseconds since the Unix epoch.
	// A naive wall clock is stored as if it were UTC and flagged by
	// time_naive; time_utc (set by correlate) is always real UTC.
	Timestamp = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	// Enum is a vocabulary column: int8 indices into the type's fixed
	// dictionary of names (EnumDictionary), the index being the value.
	Enum = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}
	// Dict is a repeated-string column (logger, path, user, file, run,
	// name...): int32 indices into a dictionary. In a Dataset every batch
	// of a table carries the same dictionary per column (see Dataset), in
	// first-appearance order (files in FileID order, rows in line order),
	// so indices compare across batches and files.
	Dict = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	// BatchDict is a column of long strings that rows often repeat but
	// that are not a vocabulary (message, exc_message): int32 indices into a
	// dictionary of its batch's own distinct values. Unlike a Dict
	// column, each batch carries its own dictionary, so an index means
	// something only within its batch and no table-wide map of every
	// value is ever built: a column of unique strings costs 4 bytes a row
	// more than utf8, a repetitive one (request lines, auth_debug records,
	// Locust's stats tables) a fraction of its bytes. It is a distinct
	// pointer from Dict so that code comparing types tells them apart;
	// it is written as utf8 (PlainType), like a Dict column.
	BatchDict = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	// Attrs is the events' and auth's key=value map, keys sorted. Each
	// batch holds its distinct maps once, as its dictionary (AttrsMap),
	// and a row the index of its map: a log's lines repeat a few sets of
	// pairs (PgBouncer's pid, db, user, side per connection; auth_debug's
	// csrf flags), and the pairs were a third of the events table's bytes
	// (100 MB folder: 13.3 of 43.6 MiB, 1.56 M pairs in 45,670 distinct
	// sets). Read it with AttrsColumn; it is written as PlainAttrs.
	Attrs = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: AttrsMap}
	// AttrsMap is an attrs dictionary's type: keys and values
	// dictionary-encoded, one dictionary for the keys and one for the
	// values per table, shared by every batch, like a Dict column's.
	AttrsMap = arrow.MapOf(Dict, Dict)
)

func col(name string, t arrow.DataType, nullable bool) arrow.Field {
	return arrow.Field{Name: name, Type: t, Nullable: nullable}
}

var (
	str = arrow.BinaryTypes.String
	i64 = arrow.PrimitiveTypes.Int64
	f64 = arrow.PrimitiveTypes.Float64
	bln = arrow.FixedWidthTypes.Boolean
)

// Columns of the events table, in schema order. The names and the order of
// the columns up to Duplicates are those `parse --out` has always written;
// later ones were added.
const (
	EvTime       = iota // time: timestamp, the file's clock; null when the record has none
	EvNaive             // time_naive: the time is a wall clock without zone, read as UTC
	EvZone              // zone (Dict): the zone text the line printed ("WIB") or the --tz zone applied
	EvSource            // source (Enum SourceKind)
	EvFile              // file (Dict): the file's display path; index = FileID
	EvLine              // line: first line of the record, 1-based
	EvEndLine           // end_line: last line of the record (a traceback's)
	EvLevel             // level (Enum Level)
	EvLogger            // logger (Dict)
	EvKind              // kind (Enum EventKind)
	EvMethod            // method (Dict)
	EvPath              // path (Dict)
	EvStatus            // status: HTTP status, null when none
	EvSize              // size: response bytes, null when none
	EvUser              // user (Dict)
	EvDurationMS        // duration_ms: null when none
	EvExcType           // exc_type (Dict): innermost exception type
	EvExcMessage        // exc_message (BatchDict)
	EvExcFrame          // exc_frame (Dict): innermost frame "file:line in func"
	EvMessage           // message (BatchDict)
	EvAttrs             // attrs: every other key=value, keys sorted; null when none
	EvDuplicates        // duplicates: identical copies merged into this row
	EvOffset            // offset: byte offset of line `line` in the decoded stream (see Ref)
	// Transitional: the record's first line (redacted) and its traceback
	// text, kept until evidence is read back by position (Ref). Then they
	// leave the in-memory table; `parse --out` still writes both columns,
	// read back from the files.
	EvTraceback // traceback
	EvText      // text
	NumEventColumns
)

// Columns of the auth table.
const (
	AuTime = iota
	AuNaive
	AuFile // Dict
	AuLine
	AuLevel  // Enum Level
	AuKind   // Enum EventKind
	AuMethod // Dict
	AuPath   // Dict
	AuUser   // Dict
	AuSession
	AuIP // Dict
	AuCSRFCookie
	AuCSRFHeader
	AuFormCSRF
	AuStatus
	AuDurationMS
	AuDBQueries
	AuDBTimeMS
	AuAttrs
	AuOffset
	NumAuthColumns
)

// Columns of locust_stats, locust_history, locust_failures and
// locust_exceptions share their leading columns.
const (
	RowRun    = iota // run (Dict): the --csv PREFIX, or the HTML file's name
	RowSource        // source (Enum Origin)
	RowFile          // file (Dict)
	RowLine          // line
)

// Percentile columns, in Locust's order; PercentileColumns names them.
var PercentileColumns = []string{"p50", "p66", "p75", "p80", "p90", "p95", "p98", "p99", "p99_9", "p99_99", "p100"}

// Columns of locust_stats after the shared ones.
const (
	StType = RowLine + 1 + iota // type (Dict): the HTTP method, "" for the Aggregated row
	StName                      // name (Dict)
	StRequests
	StFailures
	StMedian
	StAverage
	StMin
	StMax
	StAvgContentSize
	StRPS
	StFPS
	StP50 // then the other 10 percentiles, in PercentileColumns order
)

// The last columns of locust_stats.
const (
	StOffset        = StP50 + 11
	NumStatsColumns = StOffset + 1
)

// Columns of locust_history after the shared ones.
const (
	HiTime = RowLine + 1 + iota
	HiUsers
	HiType // Dict
	HiName // Dict
	HiRPS
	HiFPS
	HiP50 // then the other 10 percentiles
)

// Columns of locust_history after its percentiles.
const (
	HiTotalRequests = HiP50 + 11 + iota
	HiTotalFailures
	HiTotalMedian
	HiTotalAverage
	HiTotalMin
	HiTotalMax
	HiTotalAvgContentSize
	HiUsersUnknown
	HiOffset
	NumHistoryColumns
)

// Columns of locust_failures after the shared ones.
const (
	FaMethod = RowLine + 1 + iota // Dict
	FaName                        // Dict
	FaError
	FaOccurrences
	FaOffset
	NumFailureColumns
)

// Columns of locust_exceptions after the shared ones.
const (
	ExCount = RowLine + 1 + iota
	ExMessage
	ExTraceback
	ExNodes
	ExOffset
	NumExceptionColumns
)

// Columns of locust_meta.
const (
	MeRun  = iota // Dict
	MeFile        // Dict
	MeLine
	MeKey // Dict
	MeValue
	MeOffset
	NumMetaColumns
)

// Columns of locust_tasks (the HTML report's embedded JSON: no line of
// its own).
const (
	TaRun       = iota // Dict
	TaFile             // Dict
	TaUserClass        // Dict
	TaClassRatio
	TaTask // Dict
	TaRatio
	TaTotalRatio
	NumTaskColumns
)

func percentiles(prefix string) []arrow.Field {
	out := make([]arrow.Field, len(PercentileColumns))
	for i, p := range PercentileColumns {
		out[i] = col(prefix+p, f64, true)
	}
	return out
}

func fields(parts ...[]arrow.Field) []arrow.Field {
	var out []arrow.Field
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

var rowHead = []arrow.Field{col("run", Dict, false), col("source", Enum, false), col("file", Dict, false), col("line", i64, false)}

var schemas = [NumTables]*arrow.Schema{
	TableEvents: arrow.NewSchema([]arrow.Field{
		col("time", Timestamp, true), col("time_naive", bln, false), col("zone", Dict, false),
		col("source", Enum, false), col("file", Dict, false), col("line", i64, false), col("end_line", i64, false),
		col("level", Enum, false), col("logger", Dict, false), col("kind", Enum, false), col("method", Dict, false),
		col("path", Dict, false), col("status", i64, true), col("size", i64, true), col("user", Dict, false),
		col("duration_ms", f64, true), col("exc_type", Dict, false), col("exc_message", BatchDict, false),
		col("exc_frame", Dict, false), col("message", BatchDict, false), col("attrs", Attrs, true),
		col("duplicates", i64, false), col("offset", i64, false),
		col("traceback", Dict, false), col("text", str, false),
	}, nil),
	TableAuth: arrow.NewSchema([]arrow.Field{
		col("time", Timestamp, true), col("time_naive", bln, false), col("file", Dict, false), col("line", i64, false),
		col("level", Enum, false), col("kind", Enum, false), col("method", Dict, false), col("path", Dict, false),
		col("user", Dict, false), col("session", str, false), col("ip", Dict, false),
		col("csrf_cookie", bln, true), col("csrf_header", bln, true), col("form_csrf", bln, true),
		col("status", i64, true), col("duration_ms", f64, true), col("db_queries", i64, true), col("db_time_ms", f64, true),
		col("attrs", Attrs, true), col("offset", i64, false),
	}, nil),
	TableStats: arrow.NewSchema(fields(rowHead, []arrow.Field{
		col("type", Dict, false), col("name", Dict, false), col("requests", i64, false), col("failures", i64, false),
		col("median_ms", f64, true), col("average_ms", f64, true), col("min_ms", f64, true), col("max_ms", f64, true),
		col("avg_content_size", f64, true), col("rps", f64, true), col("failures_per_s", f64, true),
	}, percentiles(""), []arrow.Field{col("offset", i64, false)}), nil),
	TableHistory: arrow.NewSchema(fields(rowHead, []arrow.Field{
		col("time", Timestamp, true), col("user_count", i64, false), col("type", Dict, false), col("name", Dict, false),
		col("rps", f64, true), col("failures_per_s", f64, true),
	}, percentiles(""), []arrow.Field{
		col("total_requests", i64, false), col("total_failures", i64, false), col("total_median_ms", f64, true),
		col("total_average_ms", f64, true), col("total_min_ms", f64, true), col("total_max_ms", f64, true),
		col("total_avg_content_size", f64, true), col("user_count_unknown", bln, false), col("offset", i64, false),
	}), nil),
	TableFailures: arrow.NewSchema(fields(rowHead, []arrow.Field{
		col("method", Dict, false), col("name", Dict, false), col("error", str, false), col("occurrences", i64, false),
		col("offset", i64, false),
	}), nil),
	TableExceptions: arrow.NewSchema(fields(rowHead, []arrow.Field{
		col("count", i64, false), col("message", str, false), col("traceback", str, false), col("nodes", str, false),
		col("offset", i64, false),
	}), nil),
	TableMeta: arrow.NewSchema([]arrow.Field{
		col("run", Dict, false), col("file", Dict, false), col("line", i64, false), col("key", Dict, false),
		col("value", str, false), col("offset", i64, false),
	}, nil),
	TableTasks: arrow.NewSchema([]arrow.Field{
		col("run", Dict, false), col("file", Dict, false), col("user_class", Dict, false), col("class_ratio", f64, false),
		col("task", Dict, false), col("ratio", f64, false), col("total_ratio", f64, false),
	}, nil),
}

// TimeUTC is the column correlate appends to the events table: the row's
// time on the UTC clock (the file's clock decision applied), null when the
// file's offset is unknown or the row has no time. The parse stage never
// writes it.
var TimeUTC = col("time_utc", Timestamp, true)
