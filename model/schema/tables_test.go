package schema

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// The column constants name the schema's columns: a constant that drifts
// from its column would make a writer fill the wrong one.
func TestColumnConstants(t *testing.T) {
	cases := []struct {
		t    Table
		col  int
		name string
	}{
		{TableEvents, EvTime, "time"}, {TableEvents, EvNaive, "time_naive"}, {TableEvents, EvZone, "zone"},
		{TableEvents, EvSource, "source"}, {TableEvents, EvFile, "file"}, {TableEvents, EvLine, "line"},
		{TableEvents, EvEndLine, "end_line"}, {TableEvents, EvLevel, "level"}, {TableEvents, EvLogger, "logger"},
		{TableEvents, EvKind, "kind"}, {TableEvents, EvMethod, "method"}, {TableEvents, EvPath, "path"},
		{TableEvents, EvStatus, "status"}, {TableEvents, EvSize, "size"}, {TableEvents, EvUser, "user"},
		{TableEvents, EvDurationMS, "duration_ms"}, {TableEvents, EvExcType, "exc_type"},
		{TableEvents, EvExcMessage, "exc_message"}, {TableEvents, EvExcFrame, "exc_frame"},
		{TableEvents, EvMessage, "message"}, {TableEvents, EvAttrs, "attrs"}, {TableEvents, EvDuplicates, "duplicates"},
		{TableEvents, EvOffset, "offset"}, {TableEvents, EvTraceback, "traceback"}, {TableEvents, EvText, "text"},
		{TableAuth, AuTime, "time"}, {TableAuth, AuNaive, "time_naive"}, {TableAuth, AuFile, "file"},
		{TableAuth, AuLine, "line"}, {TableAuth, AuLevel, "level"}, {TableAuth, AuKind, "kind"},
		{TableAuth, AuMethod, "method"}, {TableAuth, AuPath, "path"}, {TableAuth, AuUser, "user"},
		{TableAuth, AuSession, "session"}, {TableAuth, AuIP, "ip"}, {TableAuth, AuCSRFCookie, "csrf_cookie"},
		{TableAuth, AuCSRFHeader, "csrf_header"}, {TableAuth, AuFormCSRF, "form_csrf"}, {TableAuth, AuStatus, "status"},
		{TableAuth, AuDurationMS, "duration_ms"}, {TableAuth, AuDBQueries, "db_queries"},
		{TableAuth, AuDBTimeMS, "db_time_ms"}, {TableAuth, AuAttrs, "attrs"}, {TableAuth, AuOffset, "offset"},
		{TableStats, RowRun, "run"}, {TableStats, RowSource, "source"}, {TableStats, RowFile, "file"},
		{TableStats, RowLine, "line"}, {TableStats, StType, "type"}, {TableStats, StName, "name"},
		{TableStats, StRequests, "requests"}, {TableStats, StFailures, "failures"}, {TableStats, StMedian, "median_ms"},
		{TableStats, StAverage, "average_ms"}, {TableStats, StMin, "min_ms"}, {TableStats, StMax, "max_ms"},
		{TableStats, StAvgContentSize, "avg_content_size"}, {TableStats, StRPS, "rps"}, {TableStats, StFPS, "failures_per_s"},
		{TableStats, StP50, "p50"}, {TableStats, StP50 + 10, "p100"}, {TableStats, StOffset, "offset"},
		{TableHistory, HiTime, "time"}, {TableHistory, HiUsers, "user_count"}, {TableHistory, HiType, "type"},
		{TableHistory, HiName, "name"}, {TableHistory, HiRPS, "rps"}, {TableHistory, HiFPS, "failures_per_s"},
		{TableHistory, HiP50, "p50"}, {TableHistory, HiP50 + 10, "p100"}, {TableHistory, HiTotalRequests, "total_requests"},
		{TableHistory, HiTotalFailures, "total_failures"}, {TableHistory, HiTotalMedian, "total_median_ms"},
		{TableHistory, HiTotalAverage, "total_average_ms"}, {TableHistory, HiTotalMin, "total_min_ms"},
		{TableHistory, HiTotalMax, "total_max_ms"}, {TableHistory, HiTotalAvgContentSize, "total_avg_content_size"},
		{TableHistory, HiUsersUnknown, "user_count_unknown"}, {TableHistory, HiOffset, "offset"},
		{TableFailures, FaMethod, "method"}, {TableFailures, FaName, "name"}, {TableFailures, FaError, "error"},
		{TableFailures, FaOccurrences, "occurrences"}, {TableFailures, FaOffset, "offset"},
		{TableExceptions, ExCount, "count"}, {TableExceptions, ExMessage, "message"},
		{TableExceptions, ExTraceback, "traceback"}, {TableExceptions, ExNodes, "nodes"}, {TableExceptions, ExOffset, "offset"},
		{TableMeta, MeRun, "run"}, {TableMeta, MeFile, "file"}, {TableMeta, MeLine, "line"}, {TableMeta, MeKey, "key"},
		{TableMeta, MeValue, "value"}, {TableMeta, MeOffset, "offset"},
		{TableTasks, TaRun, "run"}, {TableTasks, TaFile, "file"}, {TableTasks, TaUserClass, "user_class"},
		{TableTasks, TaClassRatio, "class_ratio"}, {TableTasks, TaTask, "task"}, {TableTasks, TaRatio, "ratio"},
		{TableTasks, TaTotalRatio, "total_ratio"},
	}
	for _, c := range cases {
		if got := c.t.Schema().Field(c.col).Name; got != c.name {
			t.Errorf("%s column %d is %q, the constant says %q", c.t, c.col, got, c.name)
		}
	}
	counts := map[Table]int{TableEvents: NumEventColumns, TableAuth: NumAuthColumns, TableStats: NumStatsColumns,
		TableHistory: NumHistoryColumns, TableFailures: NumFailureColumns, TableExceptions: NumExceptionColumns,
		TableMeta: NumMetaColumns, TableTasks: NumTaskColumns}
	for tb, n := range counts {
		if got := tb.Schema().NumFields(); got != n {
			t.Errorf("%s has %d columns, the constants count %d", tb, got, n)
		}
	}
}

// Every Enum column has its fixed dictionary, whose names are the
// vocabulary's in value order; every row table has file and line.
func TestEnumDictionaries(t *testing.T) {
	for tb := range NumTables {
		sch := tb.Schema()
		for _, f := range sch.Fields() {
			if f.Type != Enum {
				continue
			}
			d := EnumDictionary(tb, f.Name)
			if d == nil {
				t.Fatalf("%s.%s: no dictionary", tb, f.Name)
			}
			var names []string
			switch {
			case f.Name == "source" && tb == TableEvents:
				names = sourceNames[:]
			case f.Name == "source":
				names = originNames[:]
			case f.Name == "kind":
				names = kindNames[:]
			case f.Name == "level":
				names = levelNames[:]
			}
			if d.Len() != len(names) {
				t.Fatalf("%s.%s: %d names, want %d", tb, f.Name, d.Len(), len(names))
			}
			for i, n := range names {
				if got := d.ValueStr(i); got != n {
					t.Errorf("%s.%s[%d] = %q, want %q", tb, f.Name, i, got, n)
				}
			}
		}
		if sch.FieldIndices("file") == nil {
			t.Errorf("%s has no file column", tb)
		}
		if tb != TableTasks && (sch.FieldIndices("line") == nil || sch.FieldIndices("offset") == nil) {
			t.Errorf("%s cannot cite a position (line, offset)", tb)
		}
	}
	if EnumDictionary(TableEvents, "message") != nil {
		t.Error("message is not an Enum column")
	}
	if TimeUTC.Type.(*arrow.TimestampType).Unit != arrow.Microsecond {
		t.Error("time_utc is not in microseconds")
	}
}
