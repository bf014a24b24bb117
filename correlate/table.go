package correlate

import (
	"iter"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/logcorr/logcorr/model/schema"
)

// noTime marks a row without a time in the time columns below.
const noTime = math.MinInt64

// Table is the events table as correlation reads it: the parse stage's
// Arrow batches, read where they are (no row is copied into a struct),
// plus the two columns correlation adds: every row's time on the UTC clock
// and the order of the placed rows.
//
// Rows are numbered over the batches in the dataset's order (file, then
// line). An Event is a row of this table; Events a list of rows.
type Table struct {
	files   []schema.File
	batches []evBatch
	bat     []int32 // row → its batch
	// tim is each row's time in µs: first the file's clock (a naive wall
	// clock read as UTC; a row without a time borrows its neighbour's),
	// then, once placed, UTC; noTime where there is none.
	tim []int64
	// placed marks the rows whose tim is UTC.
	placed []bool
	// lender is, for a row whose line has no time, the row whose time,
	// zone and naivety it borrowed (few rows: bare tracebacks).
	lender map[int32]int32
	// rank orders files by display path (FileID is discovery order, but
	// ties in time go to the file whose path sorts first).
	rank []int32
	// order is the placed rows sorted by (UTC time, file path, line):
	// what every run's slice of the logs is cut from.
	order []int32
	// root is each file's folder tree (rootOf), by FileID; roots counts
	// the distinct ones.
	root  []string
	roots int
}

// evBatch holds one batch's columns, typed once. A batch holds one file's
// rows.
type evBatch struct {
	file  schema.FileID
	start int32 // row number of the batch's first row
	n     int32

	time                                                *array.Timestamp
	naive                                               *array.Boolean
	zone, logger, method, path, user, excType, excFrame dictCol
	traceback, message, excMessage                      dictCol
	source, level, kind                                 []int8
	line, endLine, offset, duplicates                   []int64
	status, size                                        *array.Int64
	duration                                            *array.Float64
	text                                                *array.String
	attrs                                               schema.AttrsColumn
}

// dictCol is a dictionary<int32, utf8> column: indices and values.
type dictCol struct {
	idx  *array.Int32
	vals *array.String
}

func newDictCol(a arrow.Array) dictCol {
	d := a.(*array.Dictionary)
	return dictCol{idx: d.Indices().(*array.Int32), vals: d.Dictionary().(*array.String)}
}

func (c dictCol) at(i int32) string {
	if c.idx.IsNull(int(i)) {
		return ""
	}
	return c.vals.Value(int(c.idx.Value(int(i))))
}

func enumValues(a arrow.Array) []int8 {
	return a.(*array.Dictionary).Indices().(*array.Int8).Int8Values()
}

// newTable reads the dataset's events batches.
func newTable(ds *schema.Dataset) *Table {
	t := &Table{files: ds.Files}
	var row int32
	for _, rec := range ds.Tables[schema.TableEvents] {
		n := int32(rec.NumRows())
		if n == 0 {
			continue
		}
		c := rec.Columns()
		b := evBatch{start: row, n: n,
			time:       c[schema.EvTime].(*array.Timestamp),
			naive:      c[schema.EvNaive].(*array.Boolean),
			zone:       newDictCol(c[schema.EvZone]),
			source:     enumValues(c[schema.EvSource]),
			line:       c[schema.EvLine].(*array.Int64).Int64Values(),
			endLine:    c[schema.EvEndLine].(*array.Int64).Int64Values(),
			level:      enumValues(c[schema.EvLevel]),
			logger:     newDictCol(c[schema.EvLogger]),
			kind:       enumValues(c[schema.EvKind]),
			method:     newDictCol(c[schema.EvMethod]),
			path:       newDictCol(c[schema.EvPath]),
			status:     c[schema.EvStatus].(*array.Int64),
			size:       c[schema.EvSize].(*array.Int64),
			user:       newDictCol(c[schema.EvUser]),
			duration:   c[schema.EvDurationMS].(*array.Float64),
			excType:    newDictCol(c[schema.EvExcType]),
			excMessage: newDictCol(c[schema.EvExcMessage]),
			excFrame:   newDictCol(c[schema.EvExcFrame]),
			message:    newDictCol(c[schema.EvMessage]),
			attrs:      schema.NewAttrsColumn(c[schema.EvAttrs]),
			duplicates: c[schema.EvDuplicates].(*array.Int64).Int64Values(),
			offset:     c[schema.EvOffset].(*array.Int64).Int64Values(),
			traceback:  newDictCol(c[schema.EvTraceback]),
			text:       c[schema.EvText].(*array.String),
		}
		fc := newDictCol(c[schema.EvFile])
		b.file = schema.FileID(fc.idx.Value(0))
		t.batches = append(t.batches, b)
		row += n
	}
	t.bat = make([]int32, row)
	t.tim = make([]int64, row)
	t.placed = make([]bool, row)
	for bi, b := range t.batches {
		for i := int32(0); i < b.n; i++ {
			t.bat[b.start+i] = int32(bi)
			if b.time.IsNull(int(i)) {
				t.tim[b.start+i] = noTime
			} else {
				t.tim[b.start+i] = int64(b.time.Value(int(i)))
			}
		}
	}
	byPath := make([]int, len(ds.Files))
	for i := range byPath {
		byPath[i] = i
	}
	sort.SliceStable(byPath, func(i, j int) bool { return ds.Files[byPath[i]].Path < ds.Files[byPath[j]].Path })
	t.rank = make([]int32, len(ds.Files))
	for r, id := range byPath {
		t.rank[id] = int32(r)
	}
	t.root = make([]string, len(ds.Files))
	seen := map[string]bool{}
	for i, f := range ds.Files {
		t.root[i] = f.Root
		seen[t.root[i]] = true
	}
	t.roots = len(seen)
	return t
}

// Len is the number of rows.
func (t *Table) Len() int { return len(t.bat) }

// lend gives row r the time of row from (r's line has none).
func (t *Table) lend(r, from int32) {
	if t.lender == nil {
		t.lender = map[int32]int32{}
	}
	t.tim[r] = t.tim[from]
	t.lender[r] = from
}

// clockRow is the row whose clock fields (naive, zone) hold for r: its
// lender when it borrowed its time.
func (e Event) clockRow() Event {
	if e.t.lender != nil && e.bt().time.IsNull(int(e.i)) {
		if l, ok := e.t.lender[e.row]; ok {
			return e.t.Event(l)
		}
	}
	return e
}

// Event returns row r.
func (t *Table) Event(r int32) Event {
	b := t.bat[r]
	return Event{t: t, b: b, i: r - t.batches[b].start, row: r}
}

// UTC returns row r's time on the UTC clock in µs; ok is false when the row
// could not be placed (its file's offset is unknown, or it has no time).
func (t *Table) UTC(r int32) (us int64, ok bool) {
	if !t.placed[r] {
		return 0, false
	}
	return t.tim[r], true
}

// fileRows is the half-open row range of file f (from the dataset's file
// table).
func (t *Table) fileRows(f schema.FileID) (lo, hi int32) {
	rr := t.files[f].Rows[schema.TableEvents]
	return int32(rr.Start), int32(rr.End)
}

// less orders rows by (UTC time, file path, line).
func (t *Table) less(a, b int32) bool {
	if t.tim[a] != t.tim[b] {
		return t.tim[a] < t.tim[b]
	}
	ea, eb := t.Event(a), t.Event(b)
	if fa, fb := t.rank[ea.FileID()], t.rank[eb.FileID()]; fa != fb {
		return fa < fb
	}
	return ea.Line() < eb.Line()
}

// Event is one row of the events table: a position, not a copy. Its
// accessors read the columns; strings are views into the table's buffers,
// valid as long as the dataset is (the pipeline keeps it for the whole
// run).
type Event struct {
	t    *Table
	b, i int32 // batch, row within it
	row  int32
}

func (e Event) bt() *evBatch { return &e.t.batches[e.b] }

// ptr is a copy of e on the heap: a loop that keeps one event's address
// takes it this way, so that its variable does not move to the heap on
// every iteration.
func (e Event) ptr() *Event { return &e }

// Row is the event's row number in its Table.
func (e Event) Row() int32 { return e.row }

// Time is the event's time: on the UTC clock when Resolved (every event of
// a run is), else the file's own clock; the zero time when it has none.
// A row whose line carried no time has borrowed its file's next (else
// previous) timed line's (Borrowed).
func (e Event) Time() time.Time {
	us := e.t.tim[e.row]
	if us == noTime {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// Resolved is true when Time is on the UTC clock.
func (e Event) Resolved() bool { return e.t.placed[e.row] }

// Borrowed is true when the event's own line has no time and Time is its
// neighbour's.
func (e Event) Borrowed() bool { return e.bt().time.IsNull(int(e.i)) }

// Naive is true when the time is a wall clock without zone (the lender's,
// for a borrowed time).
func (e Event) Naive() bool {
	c := e.clockRow()
	return c.bt().naive.Value(int(c.i))
}

// Zone is the zone text the line printed ("WIB"), or the --tz zone the
// parser applied (the lender's, for a borrowed time).
func (e Event) Zone() string {
	c := e.clockRow()
	return c.bt().zone.at(c.i)
}

// TimeFrom is the line whose time the event borrowed, 0 when it has its
// own.
func (e Event) TimeFrom() int64 {
	if l, ok := e.t.lender[e.row]; ok {
		return e.t.Event(l).Line()
	}
	return 0
}

// Source is the format of the event's file.
func (e Event) Source() schema.SourceKind { return schema.SourceKind(e.bt().source[e.i]) }

// FileID is the event's file in the dataset's file table.
func (e Event) FileID() schema.FileID { return e.bt().file }

// File is the event's file's display path.
func (e Event) File() string { return e.t.files[e.bt().file].Path }

// Line and EndLine are the record's first and last lines (1-based).
func (e Event) Line() int64    { return e.bt().line[e.i] }
func (e Event) EndLine() int64 { return e.bt().endLine[e.i] }

// Offset is the byte offset of Line in the file's decoded stream.
func (e Event) Offset() int64 { return e.bt().offset[e.i] }

// Ref is the event's position, as evidence cites it.
func (e Event) Ref() schema.Ref {
	return schema.Ref{File: e.FileID(), Line: e.Line(), End: e.EndLine(), Offset: e.Offset()}
}

func (e Event) Level() schema.Level    { return schema.Level(e.bt().level[e.i]) }
func (e Event) Logger() string         { return e.bt().logger.at(e.i) }
func (e Event) Kind() schema.EventKind { return schema.EventKind(e.bt().kind[e.i]) }
func (e Event) Method() string         { return e.bt().method.at(e.i) }
func (e Event) Path() string           { return e.bt().path.at(e.i) }
func (e Event) User() string           { return e.bt().user.at(e.i) }
func (e Event) ExcType() string        { return e.bt().excType.at(e.i) }
func (e Event) ExcMessage() string     { return e.bt().excMessage.at(e.i) }
func (e Event) ExcFrame() string       { return e.bt().excFrame.at(e.i) }
func (e Event) Message() string        { return e.bt().message.at(e.i) }
func (e Event) Traceback() string      { return e.bt().traceback.at(e.i) }

// Text is the record's first line as the file holds it (secrets redacted).
func (e Event) Text() string { return e.bt().text.Value(int(e.i)) }

// Duplicates is how many identical copies of the record were merged into it.
func (e Event) Duplicates() int64 { return e.bt().duplicates[e.i] }

// Status is the HTTP status; ok is false when the record has none.
func (e Event) Status() (status int64, ok bool) {
	c := e.bt().status
	if c.IsNull(int(e.i)) {
		return 0, false
	}
	return c.Value(int(e.i)), true
}

// StatusOr0 is the HTTP status, 0 when the record has none.
func (e Event) StatusOr0() int64 { s, _ := e.Status(); return s }

// HasStatus reports whether the record has an HTTP status.
func (e Event) HasStatus() bool { return !e.bt().status.IsNull(int(e.i)) }

// Size is the response size in bytes; ok is false when none.
func (e Event) Size() (int64, bool) {
	c := e.bt().size
	if c.IsNull(int(e.i)) {
		return 0, false
	}
	return c.Value(int(e.i)), true
}

// DurationMS is the request's duration; ok is false when none.
func (e Event) DurationMS() (float64, bool) {
	c := e.bt().duration
	if c.IsNull(int(e.i)) {
		return 0, false
	}
	return c.Value(int(e.i)), true
}

// Attr is the value of key among the record's other key=value pairs, ""
// when absent.
func (e Event) Attr(key string) string { v, _ := e.LookupAttr(key); return v }

// LookupAttr is the value of key among the record's other key=value
// pairs; ok is false when absent.
func (e Event) LookupAttr(key string) (string, bool) {
	return e.bt().attrs.Lookup(int(e.i), key)
}

// Attrs yields the record's other key=value pairs, keys in order.
func (e Event) Attrs() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		a := e.bt().attrs
		lo, hi := a.Range(int(e.i))
		for j := lo; j < hi; j++ {
			if !yield(a.Key(j), a.Item(j)) {
				return
			}
		}
	}
}

// NumAttrs is how many key=value pairs Attrs yields.
func (e Event) NumAttrs() int { return e.bt().attrs.Len(int(e.i)) }

// Events is a list of rows of a Table: a run's slice of the logs (in UTC
// order), or any subset a stage picked. The zero value is empty.
type Events struct {
	t    *Table
	rows []int32
}

// Len is the number of events.
func (es Events) Len() int { return len(es.rows) }

// At returns the i-th event.
func (es Events) At(i int) Event { return es.t.Event(es.rows[i]) }

// All yields the events in order with their index.
func (es Events) All() iter.Seq2[int, Event] {
	return func(yield func(int, Event) bool) {
		for i, r := range es.rows {
			if !yield(i, es.t.Event(r)) {
				return
			}
		}
	}
}

// Slice is events i to j-1.
func (es Events) Slice(i, j int) Events { return Events{t: es.t, rows: es.rows[i:j:j]} }

// List is the events as a slice (for writers that index rows).
func (es Events) List() []Event {
	out := make([]Event, len(es.rows))
	for i, r := range es.rows {
		out[i] = es.t.Event(r)
	}
	return out
}

// Rows are the events' row numbers in their Table.
func (es Events) Rows() []int32 { return es.rows }

// Table is the table the events are rows of (nil for an empty list).
func (es Events) Table() *Table { return es.t }

// statusKey is "source/kind/status", or "source/kind" without a status.
func (e Event) statusKey() string {
	k := e.Source().String() + "/" + e.Kind().String()
	if s, ok := e.Status(); ok {
		k += "/" + strconv.FormatInt(s, 10)
	}
	return k
}

// feeds reports whether file id's events may belong to run r: a log feeds
// only the runs whose Locust files were found under its own folder tree
// (the folder given on the command line), so that two folders analysed
// together do not lend each other events whose times happen to overlap.
// A file named on the command line itself, and a run built by hand, go
// with any.
func (t *Table) feeds(id schema.FileID, r *Run) bool {
	root := t.root[id]
	return root == "" || r.roots == nil || r.roots[""] || r.roots[root]
}

// slice is run r's rows of the ordered window rows: all of them when one
// folder tree was given, else those of files that feed r (withheld counts
// the others per file).
func (t *Table) slice(rows []int32, r *Run, withheld map[schema.FileID]int) []int32 {
	if t.roots < 2 {
		return rows
	}
	out := rows[:0:0]
	for _, row := range rows {
		id := t.batches[t.bat[row]].file
		if t.feeds(id, r) {
			out = append(out, row)
		} else if withheld != nil {
			withheld[id]++
		}
	}
	if len(out) == len(rows) {
		return rows
	}
	return out
}

// sameTree reports whether runs a and b were found under one folder tree
// (or either under none in particular).
func sameTree(a, b *Run) bool {
	if a.roots == nil || b.roots == nil || a.roots[""] || b.roots[""] {
		return true
	}
	for r := range a.roots {
		if b.roots[r] {
			return true
		}
	}
	return false
}
