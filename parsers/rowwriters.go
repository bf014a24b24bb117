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

// mapAttrs appends a map to attrs column c with its keys sorted, null for
// a nil map.
func (w *tableWriter) mapAttrs(c int, m map[string]string) int {
	col := w.cols[c]
	if m == nil {
		col.mapNull()
		return 0
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ad := w.attrs[c]
	for _, k := range keys {
		col.keys.int32v(ad.keys.idString(k))
		col.items.int32v(ad.vals.idString(m[k]))
	}
	col.mapEnd()
	return 0
}

func writeAuth(w *tableWriter, r *AuthRow) {
	us, ok := timeUS(r.Time)
	w.time(schema.AuTime, us, ok)
	w.boolv(schema.AuNaive, r.Naive)
	w.fileCol(schema.AuFile)
	w.int64v(schema.AuLine, r.Line)
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
	n += w.mapAttrs(schema.AuAttrs, r.Attrs)
	w.int64v(schema.AuOffset, r.Offset)
	w.row(n)
}

func writeRowHead(w *tableWriter, run, source string, line int64) {
	w.dict(schema.RowRun, run)
	w.origin(schema.RowSource, source)
	w.fileCol(schema.RowFile)
	w.int64v(schema.RowLine, line)
}

func writeStat(w *tableWriter, r *StatRow) {
	writeRowHead(w, r.Run, r.Source, r.Line)
	w.dict(schema.StType, r.Type)
	w.dict(schema.StName, r.Name)
	w.int64v(schema.StRequests, r.Requests)
	w.int64v(schema.StFailures, r.Failures)
	w.optF64(schema.StMedian, r.Median)
	w.optF64(schema.StAverage, r.Average)
	w.optF64(schema.StMin, r.Min)
	w.optF64(schema.StMax, r.Max)
	w.optF64(schema.StAvgContentSize, r.AvgContentSize)
	w.optF64(schema.StRPS, r.RPS)
	w.optF64(schema.StFPS, r.FPS)
	w.percentiles(schema.StP50, &r.Percentiles)
	w.int64v(schema.StOffset, r.Offset)
	w.row(0)
}

func writeHistory(w *tableWriter, r *HistoryRow) {
	writeRowHead(w, r.Run, r.Source, r.Line)
	us, ok := timeUS(r.Time)
	w.time(schema.HiTime, us, ok)
	w.int64v(schema.HiUsers, r.Users)
	w.dict(schema.HiType, r.Type)
	w.dict(schema.HiName, r.Name)
	w.optF64(schema.HiRPS, r.RPS)
	w.optF64(schema.HiFPS, r.FPS)
	w.percentiles(schema.HiP50, &r.Percentiles)
	w.int64v(schema.HiTotalRequests, r.TotalRequests)
	w.int64v(schema.HiTotalFailures, r.TotalFailures)
	w.optF64(schema.HiTotalMedian, r.TotalMedian)
	w.optF64(schema.HiTotalAverage, r.TotalAverage)
	w.optF64(schema.HiTotalMin, r.TotalMin)
	w.optF64(schema.HiTotalMax, r.TotalMax)
	w.optF64(schema.HiTotalAvgContentSize, r.TotalAvgContentSize)
	w.boolv(schema.HiUsersUnknown, r.UsersUnknown)
	w.int64v(schema.HiOffset, r.Offset)
	w.row(0)
}

func writeFailure(w *tableWriter, r *FailureRow) {
	writeRowHead(w, r.Run, r.Source, r.Line)
	w.dict(schema.FaMethod, r.Method)
	w.dict(schema.FaName, r.Name)
	n := w.strVal(schema.FaError, r.Error)
	w.int64v(schema.FaOccurrences, r.Occurrences)
	w.int64v(schema.FaOffset, r.Offset)
	w.row(n)
}

func writeException(w *tableWriter, r *ExceptionRow) {
	writeRowHead(w, r.Run, r.Source, r.Line)
	w.int64v(schema.ExCount, r.Count)
	n := w.strVal(schema.ExMessage, r.Message)
	n += w.strVal(schema.ExTraceback, r.Traceback)
	n += w.strVal(schema.ExNodes, r.Nodes)
	w.int64v(schema.ExOffset, r.Offset)
	w.row(n)
}

func writeMeta(w *tableWriter, r *MetaRow) {
	w.dict(schema.MeRun, r.Run)
	w.fileCol(schema.MeFile)
	w.int64v(schema.MeLine, r.Line)
	w.dict(schema.MeKey, r.Key)
	n := w.strVal(schema.MeValue, r.Value)
	w.int64v(schema.MeOffset, r.Offset)
	w.row(n)
}

func writeTask(w *tableWriter, r *TaskRow) {
	w.dict(schema.TaRun, r.Run)
	w.fileCol(schema.TaFile)
	w.dict(schema.TaUserClass, r.UserClass)
	w.float64v(schema.TaClassRatio, r.ClassRatio)
	w.dict(schema.TaTask, r.Task)
	w.float64v(schema.TaRatio, r.Ratio)
	w.float64v(schema.TaTotalRatio, r.TotalRatio)
	w.row(0)
}
