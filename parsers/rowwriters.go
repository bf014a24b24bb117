package parsers

import (
	"sort"
	"time"

	"github.com/logcorr/logcorr/model/schema"
)

// The writers of rows the parsers still build as structs (the Locust
// tables, which are small, and the events of the formats that revisit an
// event after later lines), typed and without reflection.

func timeUS(t time.Time) (int64, bool) {
	if t.IsZero() {
		return 0, false
	}
	return t.UnixMicro(), true
}

func sourceOf(s string) schema.SourceKind {
	k, _ := schema.ParseSourceKind(s)
	return k
}

func kindOf(s string) schema.EventKind {
	k, _ := schema.ParseEventKind(s)
	return k
}

func levelOf(s string) schema.Level {
	l, _ := schema.ParseLevel(s)
	return l
}

// appendAttrs writes a map with its keys sorted, null for a nil map; it
// returns the bytes written.
func appendAttrs(w *tableWriter, c int, m map[string]string) int {
	b := w.attrs(c)
	if m == nil {
		b.AppendNull()
		return 0
	}
	b.Append(true)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	kb, ib := b.KeyBuilder().(*arrowString), b.ItemBuilder().(*arrowString)
	n := 0
	for _, k := range keys {
		kb.Append(k)
		ib.Append(m[k])
		n += len(k) + len(m[k])
	}
	return n
}

func writeAuth(w *tableWriter, r *AuthRow) {
	w.begin()
	us, ok := timeUS(r.Time)
	w.time(schema.AuTime, us, ok)
	w.bln(schema.AuNaive).Append(r.Naive)
	w.fileCol(schema.AuFile)
	w.i64(schema.AuLine).Append(r.Line)
	w.enumVal(schema.AuLevel, uint8(levelOf(r.Level)))
	w.enumVal(schema.AuKind, uint8(kindOf(r.Kind)))
	w.dict(schema.AuMethod, r.Method)
	w.dict(schema.AuPath, r.Path)
	w.dict(schema.AuUser, r.User)
	n := w.strVal(schema.AuSession, r.Session)
	w.dict(schema.AuIP, r.IP)
	w.optBool(schema.AuCSRFCookie, r.CSRFCookie)
	w.optBool(schema.AuCSRFHeader, r.CSRFHeader)
	w.optBool(schema.AuFormCSRF, r.FormCSRF)
	w.optI64(schema.AuStatus, r.Status)
	w.optF64(schema.AuDurationMS, r.DurationMS)
	w.optI64(schema.AuDBQueries, r.DBQueries)
	w.optF64(schema.AuDBTimeMS, r.DBTimeMS)
	n += appendAttrs(w, schema.AuAttrs, r.Attrs)
	w.i64(schema.AuOffset).Append(r.Offset)
	w.row(n)
}

func writeRowHead(w *tableWriter, run, source string, line int64) {
	w.dict(schema.RowRun, run)
	w.origin(schema.RowSource, source)
	w.fileCol(schema.RowFile)
	w.i64(schema.RowLine).Append(line)
}

func writeStat(w *tableWriter, r *StatRow) {
	w.begin()
	writeRowHead(w, r.Run, r.Source, r.Line)
	w.dict(schema.StType, r.Type)
	w.dict(schema.StName, r.Name)
	w.i64(schema.StRequests).Append(r.Requests)
	w.i64(schema.StFailures).Append(r.Failures)
	w.optF64(schema.StMedian, r.Median)
	w.optF64(schema.StAverage, r.Average)
	w.optF64(schema.StMin, r.Min)
	w.optF64(schema.StMax, r.Max)
	w.optF64(schema.StAvgContentSize, r.AvgContentSize)
	w.optF64(schema.StRPS, r.RPS)
	w.optF64(schema.StFPS, r.FPS)
	w.percentiles(schema.StP50, &r.Percentiles)
	w.i64(schema.StOffset).Append(r.Offset)
	w.row(0)
}

func writeHistory(w *tableWriter, r *HistoryRow) {
	w.begin()
	writeRowHead(w, r.Run, r.Source, r.Line)
	us, ok := timeUS(r.Time)
	w.time(schema.HiTime, us, ok)
	w.i64(schema.HiUsers).Append(r.Users)
	w.dict(schema.HiType, r.Type)
	w.dict(schema.HiName, r.Name)
	w.optF64(schema.HiRPS, r.RPS)
	w.optF64(schema.HiFPS, r.FPS)
	w.percentiles(schema.HiP50, &r.Percentiles)
	w.i64(schema.HiTotalRequests).Append(r.TotalRequests)
	w.i64(schema.HiTotalFailures).Append(r.TotalFailures)
	w.optF64(schema.HiTotalMedian, r.TotalMedian)
	w.optF64(schema.HiTotalAverage, r.TotalAverage)
	w.optF64(schema.HiTotalMin, r.TotalMin)
	w.optF64(schema.HiTotalMax, r.TotalMax)
	w.optF64(schema.HiTotalAvgContentSize, r.TotalAvgContentSize)
	w.bln(schema.HiUsersUnknown).Append(r.UsersUnknown)
	w.i64(schema.HiOffset).Append(r.Offset)
	w.row(0)
}

func writeFailure(w *tableWriter, r *FailureRow) {
	w.begin()
	writeRowHead(w, r.Run, r.Source, r.Line)
	w.dict(schema.FaMethod, r.Method)
	w.dict(schema.FaName, r.Name)
	n := w.strVal(schema.FaError, r.Error)
	w.i64(schema.FaOccurrences).Append(r.Occurrences)
	w.i64(schema.FaOffset).Append(r.Offset)
	w.row(n)
}

func writeException(w *tableWriter, r *ExceptionRow) {
	w.begin()
	writeRowHead(w, r.Run, r.Source, r.Line)
	w.i64(schema.ExCount).Append(r.Count)
	n := w.strVal(schema.ExMessage, r.Message)
	n += w.strVal(schema.ExTraceback, r.Traceback)
	n += w.strVal(schema.ExNodes, r.Nodes)
	w.i64(schema.ExOffset).Append(r.Offset)
	w.row(n)
}

func writeMeta(w *tableWriter, r *MetaRow) {
	w.begin()
	w.dict(schema.MeRun, r.Run)
	w.fileCol(schema.MeFile)
	w.i64(schema.MeLine).Append(r.Line)
	w.dict(schema.MeKey, r.Key)
	n := w.strVal(schema.MeValue, r.Value)
	w.i64(schema.MeOffset).Append(r.Offset)
	w.row(n)
}

func writeTask(w *tableWriter, r *TaskRow) {
	w.begin()
	w.dict(schema.TaRun, r.Run)
	w.fileCol(schema.TaFile)
	w.dict(schema.TaUserClass, r.UserClass)
	w.f64(schema.TaClassRatio).Append(r.ClassRatio)
	w.dict(schema.TaTask, r.Task)
	w.f64(schema.TaRatio).Append(r.Ratio)
	w.f64(schema.TaTotalRatio).Append(r.TotalRatio)
	w.row(0)
}
