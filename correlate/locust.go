package correlate

import (
	"fmt"
	"math"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
)

// Locust's tables are small (a row per request name, per second of
// history, per distinct failure): the run facts the rules measure are
// read from them into rows once, by column index, here. The events table,
// a thousand times larger, is never copied (Table).

// locustInput is the run-level tables of the dataset.
type locustInput struct {
	stats []parsers.StatRow
	// history holds the history rows a run's load curve is read from
	// (Aggregated, with a time), by run and origin, in the tables' order;
	// historyFiles every (run, file) pair of the history table's rows.
	history      map[historyKey][]parsers.HistoryRow
	historyFiles []runFile
	failures     []parsers.FailureRow
	exceptions   []parsers.ExceptionRow
	meta         []parsers.MetaRow
	tasks        []parsers.TaskRow
	// runRoots are, per run name, the folder trees (rootOf) its Locust
	// files were found under.
	runRoots map[string]map[string]bool
}

// historyKey is a run's history from one origin: its CSV or its HTML
// report.
type historyKey struct {
	run  string
	html bool
}

type runFile struct{ run, file string }

// floats hands out the *float64 fields of the Locust rows from shared
// chunks: a history of a million rows holds 18 million of them, and one
// allocation each made correlation spend half its time in the collector
// (1M-row history: 3.3 GiB allocated, 11 s; see BENCHMARKS.md).
//
// A value equal (bit for bit) to the one the same column gave last is not
// stored again: the row points at that one. A history's columns change
// slowly (the totals, the percentiles at Locust's rounding, the rates
// between users' steps): in the real histories of ../shared/corpus 62 to
// 98 % of the values repeat the row before's. The rows' floats are never
// written through (they are the files' measurements), so sharing one is
// safe.
type floats struct {
	buf  []float64
	last [maxFloatCol]*float64 // by column index: the value that column gave last
}

// maxFloatCol bounds the column indices floats remembers a value for: the
// widest table it reads.
const maxFloatCol = max(schema.NumHistoryColumns, schema.NumStatsColumns)

func (f *floats) opt(a arrow.Array, col, r int) *float64 {
	c := a.(*array.Float64)
	if c.IsNull(r) {
		return nil
	}
	v := c.Value(r)
	if col < maxFloatCol {
		if p := f.last[col]; p != nil && math.Float64bits(*p) == math.Float64bits(v) {
			return p
		}
	}
	if len(f.buf) == cap(f.buf) {
		f.buf = make([]float64, 0, 4096)
	}
	f.buf = append(f.buf, v)
	p := &f.buf[len(f.buf)-1]
	if col < maxFloatCol {
		f.last[col] = p
	}
	return p
}

// cols gives typed access to one batch's columns.
type cols struct{ c []arrow.Array }

func (c cols) str(i int) *array.String { return c.c[i].(*array.String) }
func (c cols) i64(i int) []int64       { return c.c[i].(*array.Int64).Int64Values() }
func (c cols) dict(i int) dictCol      { return newDictCol(c.c[i]) }
func (c cols) enum(i int) []int8       { return enumValues(c.c[i]) }

func (c cols) optF64(f *floats, i, r int) *float64 { return f.opt(c.c[i], i, r) }

func (c cols) f64(i, r int) float64 { return c.c[i].(*array.Float64).Value(r) }

func (c cols) ts(i, r int) time.Time {
	a := c.c[i].(*array.Timestamp)
	if a.IsNull(r) {
		return time.Time{}
	}
	return time.UnixMicro(int64(a.Value(r))).UTC()
}

func (c cols) bool(i, r int) bool { return c.c[i].(*array.Boolean).Value(r) }

func percentilesAt(f *floats, c cols, first, r int) parsers.Percentiles {
	var p parsers.Percentiles
	for k, dst := range p.Ptrs() {
		*dst = c.optF64(f, first+k, r)
	}
	return p
}

// readHistory reads the history table into in: the rows a load curve is
// read from, each run's in one slice of its final size (a history can be
// millions of rows: no slice grows, no row is copied again), and the
// (run, file) pairs of the others.
func readHistory(ds *schema.Dataset, in *locustInput, fl *floats, release bool) {
	count := map[historyKey]int{}
	for _, b := range ds.Tables[schema.TableHistory] {
		h := newHistoryBatch(b.Columns())
		for r := range int(b.NumRows()) {
			if rf := (runFile{h.run.at(int32(r)), h.file.at(int32(r))}); rf.run != "" &&
				(len(in.historyFiles) == 0 || in.historyFiles[len(in.historyFiles)-1] != rf) {
				in.historyFiles = append(in.historyFiles, rf)
			}
			if k, ok := h.keep(r); ok {
				count[k]++
			}
		}
	}
	in.history = make(map[historyKey][]parsers.HistoryRow, len(count))
	for k, n := range count {
		in.history[k] = make([]parsers.HistoryRow, 0, n)
	}
	for bi, b := range ds.Tables[schema.TableHistory] {
		h := newHistoryBatch(b.Columns())
		c := h.cols
		line, users, typ, off := c.i64(schema.RowLine), c.i64(schema.HiUsers), c.dict(schema.HiType), c.i64(schema.HiOffset)
		treq, tfail := c.i64(schema.HiTotalRequests), c.i64(schema.HiTotalFailures)
		for r := range int(b.NumRows()) {
			k, ok := h.keep(r)
			if !ok {
				continue
			}
			i := int32(r)
			in.history[k] = append(in.history[k], parsers.HistoryRow{Run: k.run, Source: schema.Origin(h.src[r]).String(), File: h.file.at(i), Line: line[r],
				Time: c.ts(schema.HiTime, r), Users: users[r], Type: typ.at(i), Name: h.name.at(i),
				RPS: c.optF64(fl, schema.HiRPS, r), FPS: c.optF64(fl, schema.HiFPS, r), Percentiles: percentilesAt(fl, c, schema.HiP50, r),
				TotalRequests: treq[r], TotalFailures: tfail[r],
				TotalMedian: c.optF64(fl, schema.HiTotalMedian, r), TotalAverage: c.optF64(fl, schema.HiTotalAverage, r),
				TotalMin: c.optF64(fl, schema.HiTotalMin, r), TotalMax: c.optF64(fl, schema.HiTotalMax, r),
				TotalAvgContentSize: c.optF64(fl, schema.HiTotalAvgContentSize, r), UsersUnknown: c.bool(schema.HiUsersUnknown, r), Offset: off[r]})
		}
		if release {
			b.Release()
			ds.Tables[schema.TableHistory][bi] = nil
		}
	}
	if release {
		ds.ReleaseTable(schema.TableHistory)
	}
}

// historyBatch is one history batch's columns that say which rows a load
// curve is read from, typed once per batch.
type historyBatch struct {
	cols
	run, file, name dictCol
	src             []int8
	time            *array.Timestamp
}

func newHistoryBatch(c []arrow.Array) historyBatch {
	cs := cols{c}
	return historyBatch{cols: cs, run: cs.dict(schema.RowRun), file: cs.dict(schema.RowFile), name: cs.dict(schema.HiName),
		src: cs.enum(schema.RowSource), time: c[schema.HiTime].(*array.Timestamp)}
}

// keep is row r's run and origin, and whether buildRuns reads it: a named
// run's Aggregated row with a time.
func (h historyBatch) keep(r int) (historyKey, bool) {
	i := int32(r)
	k := historyKey{run: h.run.at(i), html: schema.Origin(h.src[r]) == schema.OriginHTML}
	timed := !h.time.IsNull(r) && !time.UnixMicro(int64(h.time.Value(r))).IsZero() // as cols.ts reads it
	return k, k.run != "" && timed && h.name.at(i) == "Aggregated"
}

// rowsOf is the number of rows of table t.
func rowsOf(ds *schema.Dataset, t schema.Table) int {
	n := 0
	for _, b := range ds.Tables[t] {
		n += int(b.NumRows())
	}
	return n
}

// readLocust reads the run-level tables of ds; with release it releases
// each once read (Options.ReleaseLocust).
func readLocust(ds *schema.Dataset, release bool) (*locustInput, error) {
	in := &locustInput{runRoots: map[string]map[string]bool{}}
	check := func(t schema.Table, want int) error {
		for _, b := range ds.Tables[t] {
			if int(b.NumCols()) != want {
				return fmt.Errorf("correlate: table %s has %d columns, want %d", t, b.NumCols(), want)
			}
		}
		return nil
	}
	for _, c := range []struct {
		t schema.Table
		n int
	}{{schema.TableStats, schema.NumStatsColumns}, {schema.TableHistory, schema.NumHistoryColumns},
		{schema.TableFailures, schema.NumFailureColumns}, {schema.TableExceptions, schema.NumExceptionColumns},
		{schema.TableMeta, schema.NumMetaColumns}, {schema.TableTasks, schema.NumTaskColumns}, {schema.TableEvents, schema.NumEventColumns}} {
		if err := check(c.t, c.n); err != nil {
			return nil, err
		}
	}
	for t := range schema.NumTables {
		if !runLevel(t) {
			continue
		}
		runCol, fileCol := schema.RowRun, schema.RowFile
		switch t {
		case schema.TableMeta:
			runCol, fileCol = schema.MeRun, schema.MeFile
		case schema.TableTasks:
			runCol, fileCol = schema.TaRun, schema.TaFile
		}
		for _, b := range ds.Tables[t] {
			if b.NumRows() == 0 {
				continue
			}
			c := cols{b.Columns()}
			run, file := c.dict(runCol), c.dict(fileCol)
			root := ds.Files[file.idx.Value(0)].Root
			for r := range int32(b.NumRows()) {
				name := run.at(r)
				if in.runRoots[name] == nil {
					in.runRoots[name] = map[string]bool{}
				}
				in.runRoots[name][root] = true
			}
		}
	}
	head := func(c cols) (run dictCol, src []int8, file dictCol, line []int64) {
		return c.dict(schema.RowRun), c.enum(schema.RowSource), c.dict(schema.RowFile), c.i64(schema.RowLine)
	}
	var fl floats
	in.stats = make([]parsers.StatRow, 0, rowsOf(ds, schema.TableStats))
	for _, b := range ds.Tables[schema.TableStats] {
		c := cols{b.Columns()}
		run, src, file, line := head(c)
		typ, name, req, fail, off := c.dict(schema.StType), c.dict(schema.StName), c.i64(schema.StRequests), c.i64(schema.StFailures), c.i64(schema.StOffset)
		for r := range int(b.NumRows()) {
			i := int32(r)
			in.stats = append(in.stats, parsers.StatRow{Run: run.at(i), Source: schema.Origin(src[r]).String(), File: file.at(i), Line: line[r],
				Type: typ.at(i), Name: name.at(i), Requests: req[r], Failures: fail[r],
				Median: c.optF64(&fl, schema.StMedian, r), Average: c.optF64(&fl, schema.StAverage, r), Min: c.optF64(&fl, schema.StMin, r), Max: c.optF64(&fl, schema.StMax, r),
				AvgContentSize: c.optF64(&fl, schema.StAvgContentSize, r), RPS: c.optF64(&fl, schema.StRPS, r), FPS: c.optF64(&fl, schema.StFPS, r),
				Percentiles: percentilesAt(&fl, c, schema.StP50, r), Offset: off[r]})
		}
	}
	readHistory(ds, in, &fl, release)
	in.failures = make([]parsers.FailureRow, 0, rowsOf(ds, schema.TableFailures))
	in.exceptions = make([]parsers.ExceptionRow, 0, rowsOf(ds, schema.TableExceptions))
	for _, b := range ds.Tables[schema.TableFailures] {
		c := cols{b.Columns()}
		run, src, file, line := head(c)
		method, name, errs, occ, off := c.dict(schema.FaMethod), c.dict(schema.FaName), c.str(schema.FaError), c.i64(schema.FaOccurrences), c.i64(schema.FaOffset)
		for r := range int(b.NumRows()) {
			i := int32(r)
			in.failures = append(in.failures, parsers.FailureRow{Run: run.at(i), Source: schema.Origin(src[r]).String(), File: file.at(i), Line: line[r],
				Method: method.at(i), Name: name.at(i), Error: errs.Value(r), Occurrences: occ[r], Offset: off[r]})
		}
	}
	for _, b := range ds.Tables[schema.TableExceptions] {
		c := cols{b.Columns()}
		run, src, file, line := head(c)
		count, msg, tb, nodes, off := c.i64(schema.ExCount), c.str(schema.ExMessage), c.str(schema.ExTraceback), c.str(schema.ExNodes), c.i64(schema.ExOffset)
		for r := range int(b.NumRows()) {
			i := int32(r)
			in.exceptions = append(in.exceptions, parsers.ExceptionRow{Run: run.at(i), Source: schema.Origin(src[r]).String(), File: file.at(i), Line: line[r],
				Count: count[r], Message: msg.Value(r), Traceback: tb.Value(r), Nodes: nodes.Value(r), Offset: off[r]})
		}
	}
	for _, b := range ds.Tables[schema.TableMeta] {
		c := cols{b.Columns()}
		run, file, line, key, val, off := c.dict(schema.MeRun), c.dict(schema.MeFile), c.i64(schema.MeLine), c.dict(schema.MeKey), c.str(schema.MeValue), c.i64(schema.MeOffset)
		for r := range int(b.NumRows()) {
			i := int32(r)
			in.meta = append(in.meta, parsers.MetaRow{Run: run.at(i), File: file.at(i), Line: line[r], Key: key.at(i), Value: val.Value(r), Offset: off[r]})
		}
	}
	for _, b := range ds.Tables[schema.TableTasks] {
		c := cols{b.Columns()}
		run, file, class, task := c.dict(schema.TaRun), c.dict(schema.TaFile), c.dict(schema.TaUserClass), c.dict(schema.TaTask)
		for r := range int(b.NumRows()) {
			i := int32(r)
			in.tasks = append(in.tasks, parsers.TaskRow{Run: run.at(i), File: file.at(i), UserClass: class.at(i), ClassRatio: c.f64(schema.TaClassRatio, r),
				Task: task.at(i), Ratio: c.f64(schema.TaRatio, r), TotalRatio: c.f64(schema.TaTotalRatio, r)})
		}
	}
	if release {
		for t := range schema.NumTables {
			if runLevel(t) {
				ds.ReleaseTable(t) // the history's is already
			}
		}
	}
	return in, nil
}

// runLevel reports whether table t is one of a run's Locust tables, which
// readLocust reads into rows: all but the log events (and auth_debug's
// typed copy of some of them).
func runLevel(t schema.Table) bool { return t != schema.TableEvents && t != schema.TableAuth }
