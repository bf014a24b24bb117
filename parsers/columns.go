package parsers

import (
	"slices"
	"strings"
	"sync"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/logcorr/logcorr/model/schema"
)

// Batch bounds: a batch is cut when it holds batchRows rows or batchBytes
// bytes of variable-width data (messages, attrs), whichever comes first, so
// no buffer grows without bound and a file's table is a list of batches of
// bounded size.
const (
	batchRows  = 8 << 10
	batchBytes = 2 << 20
)

// physical is a table's schema as the writers build it: a Dict column is
// its int32 indices into the writer's own interned values, an Enum column
// its int8 values. assemble turns physical batches into the table's schema
// with one dictionary per column.
func physical(t schema.Table) *arrow.Schema {
	s := t.Schema()
	fields := make([]arrow.Field, s.NumFields())
	for i, f := range s.Fields() {
		f.Type = physicalType(f.Type)
		fields[i] = f
	}
	return arrow.NewSchema(fields, nil)
}

// physicalType is a column type as the writers build it: dictionaries as
// their indices (a map's keys and items too).
func physicalType(t arrow.DataType) arrow.DataType {
	switch t := t.(type) {
	case *arrow.DictionaryType:
		if t == schema.BatchDict { // built with its batch's dictionary (batchdict.go)
			return t
		}
		if t == schema.Attrs {
			return physicalAttrs
		}
		return t.IndexType
	case *arrow.MapType:
		return arrow.MapOf(physicalType(t.KeyType()), physicalType(t.ItemType()))
	}
	return t
}

// physicalAttrs is an attrs column while its batch is built: the rows'
// indices into the batch's distinct maps of writer-local key and value ids.
var physicalAttrs = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.MapOf(arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Int32)}

var physicalSchemas [schema.NumTables]*arrow.Schema

func init() {
	for t := range schema.NumTables {
		physicalSchemas[t] = physical(t)
	}
}

// interner numbers the distinct values of one Dict column of one writer, in
// first-appearance order. Looking a value up does not allocate; only a new
// value is copied.
type interner struct {
	ids  map[string]int32
	vals []string
	// last is the value looked up last and its id: a column often repeats
	// a value row after row (the zone, an empty logger), which then costs
	// a comparison, not a hash.
	last    string
	lastID  int32
	hasLast bool
	// emptyID is the empty value's id, once it has one: most of an events
	// row's Dict columns are empty for a given format (PgBouncer has no
	// logger, method, path, exception or traceback), and the empty value
	// then costs a length test, not a call to compare with last.
	emptyID  int32
	hasEmpty bool
}

func (in *interner) id(b []byte) int32 {
	if len(b) == 0 && in.hasEmpty {
		return in.emptyID
	}
	if in.hasLast && string(b) == in.last {
		return in.lastID
	}
	id, ok := in.ids[string(b)]
	if !ok {
		id = in.add(string(b))
	}
	in.last, in.lastID, in.hasLast = in.vals[id], id, true
	if len(b) == 0 {
		in.emptyID, in.hasEmpty = id, true
	}
	return id
}

func (in *interner) idString(s string) int32 {
	if id, ok := in.ids[s]; ok {
		return id
	}
	return in.add(strings.Clone(s)) // s may view a buffer that is reused
}

func (in *interner) add(s string) int32 {
	if in.ids == nil {
		in.ids = map[string]int32{}
	}
	id := int32(len(in.vals))
	in.ids[s] = id
	in.vals = append(in.vals, s)
	return id
}

// attrDict numbers the keys and the values of one attrs column of one
// writer (two interners), with caches for what rows repeat: rows of one
// shape list the same keys in the same order (PgBouncer's pid, conn, side,
// db, user, client...), and a key's value is often the one it had the row
// before (its pid, db, user, side).
type attrDict struct {
	keys, vals interner
	atPos      []cachedID // the key at each position of the last row
	lastVal    []cachedID // by key id: that key's last value
	// ids is the row's key ids in the order the row listed them; shapes
	// the key-id sequences met last and the order that sorts each by key:
	// a row of a known shape reuses it instead of sorting again.
	ids    []int32
	shapes [attrShapes]attrShape
	next   int // the shape slot to replace on a miss
	hit    int // the shape slot that matched last
}

// attrShapes is how many row shapes a writer remembers: a log's kinds of
// lines (PgBouncer: login attempts, closings, new connections, errors,
// stats) each have one or two.
const attrShapes = 8

type attrShape struct {
	ids  []int32
	perm []int
}

// order interns the keys of kv and returns their ids and the order of kv
// that sorts them by key (the attrs column keeps keys sorted). Both are
// valid until the next call. The shape that matched last is tried first:
// a log's rows mostly come in runs of one shape.
func (a *attrDict) order(kv []pyKV) ([]int32, []int) {
	if cap(a.ids) < len(kv) {
		a.ids = make([]int32, len(kv), 2*len(kv))
	}
	ids := a.ids[:len(kv)]
	for i := range kv {
		ids[i] = a.key(i, kv[i].Key)
	}
	a.ids = ids
	if sh := &a.shapes[a.hit]; slices.Equal(sh.ids, ids) {
		return ids, sh.perm
	}
	for k := range a.shapes {
		if sh := &a.shapes[k]; slices.Equal(sh.ids, ids) {
			a.hit = k
			return ids, sh.perm
		}
	}
	a.hit = a.next
	sh := &a.shapes[a.next]
	a.next = (a.next + 1) % attrShapes
	sh.perm = sh.perm[:0]
	for i := range kv {
		sh.perm = append(sh.perm, i)
	}
	// Insertion sort, stable, for a row's few pairs.
	for i := 1; i < len(sh.perm); i++ {
		for j := i; j > 0 && keyLess(kv[sh.perm[j]].Key, kv[sh.perm[j-1]].Key); j-- {
			sh.perm[j], sh.perm[j-1] = sh.perm[j-1], sh.perm[j]
		}
	}
	sh.ids = append(sh.ids[:0], ids...)
	return ids, sh.perm
}

// keyLess is bytes.Compare(a, b) < 0, deciding on the first byte when it
// differs (the usual case for a row's few keys).
func keyLess(a, b []byte) bool {
	if len(a) > 0 && len(b) > 0 && a[0] != b[0] {
		return a[0] < b[0]
	}
	return bstring(a) < bstring(b)
}

type cachedID struct {
	s  string
	id int32
	ok bool
}

// key is the id of key b at position i of its row.
func (a *attrDict) key(i int, b []byte) int32 {
	if i < len(a.atPos) && a.atPos[i].ok && string(b) == a.atPos[i].s {
		return a.atPos[i].id
	}
	id := a.keys.id(b)
	for len(a.atPos) <= i {
		a.atPos = append(a.atPos, cachedID{})
	}
	a.atPos[i] = cachedID{a.keys.vals[id], id, true}
	return id
}

// val is the id of value b of key k.
func (a *attrDict) val(k int32, b []byte) int32 {
	if int(k) < len(a.lastVal) && a.lastVal[k].ok && string(b) == a.lastVal[k].s {
		return a.lastVal[k].id
	}
	id := a.vals.id(b)
	for len(a.lastVal) <= int(k) {
		a.lastVal = append(a.lastVal, cachedID{})
	}
	a.lastVal[k] = cachedID{a.vals.vals[id], id, true}
	return id
}

// colKind is how a column's values are held while its batch is built.
type colKind uint8

const (
	colInt64 colKind = iota // int64 and timestamp columns
	colFloat64
	colInt32 // Dict columns' indices
	colInt8  // Enum columns
	colBool
	colString
	colMap       // attrs (physicalAttrs): the rows' map indices; the distinct maps' offsets, then their pairs' key and item ids
	colBatchDict // BatchDict: int32 indices, the batch's values in offs and data (batchdict.go)
)

// colBuf is one column of the batch being built, in Arrow's layout, in
// plain slices that keep their capacity from batch to batch: appending a
// value is a store, and cutting a batch copies each buffer once, at its
// exact size (no builder slack is kept for the run).
type colBuf struct {
	kind     colKind
	dt       arrow.DataType // physical type
	nullable bool
	n        int // values
	nulls    int
	valid    []byte // validity bitmap of a nullable column (bit set = valid)
	i64      []int64
	f64      []float64
	i32      []int32
	i8       []int8
	bits     []byte  // a bool column's values
	offs     []int32 // string, map: offsets, offs[0] = 0 (a map's: of its distinct maps)
	data     []byte  // string bytes
	keys     *colBuf // map: the distinct maps' pairs
	items    *colBuf
	maps     attrMaps  // map: the rows' maps
	bvals    batchVals // BatchDict: the batch's values by content
}

func newColBuf(f arrow.Field) *colBuf {
	c := &colBuf{dt: f.Type, nullable: f.Nullable}
	switch f.Type.ID() {
	case arrow.DICTIONARY: // physicalType keeps only BatchDict and attrs dictionaries
		c.offs = append(c.offs, 0)
		if mt, ok := f.Type.(*arrow.DictionaryType).ValueType.(*arrow.MapType); ok {
			c.kind = colMap
			c.keys, c.items = newColBuf(mt.KeyField()), newColBuf(mt.ItemField())
			c.items.nullable = false // never null: no validity to keep
			break
		}
		c.kind = colBatchDict
	case arrow.INT64, arrow.TIMESTAMP:
		c.kind = colInt64
	case arrow.FLOAT64:
		c.kind = colFloat64
	case arrow.INT32:
		c.kind = colInt32
	case arrow.INT8:
		c.kind = colInt8
	case arrow.BOOL:
		c.kind = colBool
	case arrow.STRING:
		c.kind = colString
		c.offs = append(c.offs, 0)
	default:
		panic("parsers: no column buffer for " + f.Type.String())
	}
	return c
}

// validity records whether the value being appended is valid; called
// before n counts it.
func (c *colBuf) validity(ok bool) {
	if c.n&7 == 0 {
		c.valid = append(c.valid, 0)
	}
	if ok {
		c.valid[c.n>>3] |= 1 << (c.n & 7)
	} else {
		c.nulls++
	}
}

func (c *colBuf) int64v(v int64) {
	c.i64 = append(c.i64, v)
	c.n++
}

func (c *colBuf) optInt64(v int64, ok bool) {
	c.validity(ok)
	if !ok {
		v = 0
	}
	c.i64 = append(c.i64, v)
	c.n++
}

func (c *colBuf) float64v(v float64) {
	c.f64 = append(c.f64, v)
	c.n++
}

func (c *colBuf) optFloat64(v float64, ok bool) {
	c.validity(ok)
	if !ok {
		v = 0
	}
	c.f64 = append(c.f64, v)
	c.n++
}

func (c *colBuf) int32v(v int32) {
	c.i32 = append(c.i32, v)
	c.n++
}

func (c *colBuf) int8v(v int8) {
	c.i8 = append(c.i8, v)
	c.n++
}

func (c *colBuf) boolv(v bool) {
	if c.n&7 == 0 {
		c.bits = append(c.bits, 0)
	}
	if v {
		c.bits[c.n>>3] |= 1 << (c.n & 7)
	}
	c.n++
}

func (c *colBuf) optBool(v, ok bool) {
	c.validity(ok)
	c.boolv(v && ok)
}

func (c *colBuf) bytesv(b []byte) {
	c.data = append(c.data, b...)
	c.offs = append(c.offs, int32(len(c.data)))
	c.n++
}

func (c *colBuf) stringv(s string) {
	c.data = append(c.data, s...)
	c.offs = append(c.offs, int32(len(c.data)))
	c.n++
}

// mapNull appends a null map; mapEnd closes a map whose pairs were just
// appended to keys and items: the row takes the batch's map with the same
// pairs when there is one, and the pairs are dropped again.
func (c *colBuf) mapNull() {
	c.validity(false)
	c.maps.rows = append(c.maps.rows, 0)
	c.n++
}

func (c *colBuf) mapEnd() {
	if c.nullable {
		c.validity(true)
	}
	start := int(c.offs[len(c.offs)-1])
	id, held := c.mapID(start)
	if held {
		c.keys.i32, c.items.i32 = c.keys.i32[:start], c.items.i32[:start]
		c.keys.n, c.items.n = start, start
	} else {
		c.offs = append(c.offs, int32(c.keys.n))
	}
	c.maps.rows = append(c.maps.rows, id)
	c.n++
}

// reset empties c for the next batch, keeping the capacity.
func (c *colBuf) reset() {
	c.n, c.nulls = 0, 0
	c.valid, c.i64, c.f64, c.i32, c.i8, c.bits, c.data = c.valid[:0], c.i64[:0], c.f64[:0], c.i32[:0], c.i8[:0], c.bits[:0], c.data[:0]
	if c.offs != nil {
		c.offs = c.offs[:1]
	}
	if c.keys != nil {
		c.keys.reset()
		c.items.reset()
		c.maps.reset()
	}
	if c.kind == colBatchDict {
		c.resetBatchVals()
	}
}

// exact is a buffer holding a copy of b, at b's size. The copy grows a
// nil slice rather than filling a make'd one: make clears the new memory
// first (for a batch's megabytes, a second pass over them), append into
// nil only clears what the allocator's size-class rounding adds past
// len(b). Both allocate the same block (make rounds it up too); the
// slice is capped at len(b), as make's was.
func exact(b []byte) *memory.Buffer {
	if len(b) == 0 {
		return memory.NewBufferBytes(make([]byte, 0))
	}
	c := append([]byte(nil), b...)
	return memory.NewBufferBytes(c[:len(b):len(b)])
}

func sliceBytes[T int64 | float64 | int32 | int8](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(s[0])))
}

// data returns the column as Arrow array data, its buffers copied at
// their exact size.
func (c *colBuf) arrayData() arrow.ArrayData {
	var valid *memory.Buffer
	if c.nulls > 0 {
		valid = exactOrZero(c.valid) // zeros: null in every row
	}
	var bufs []*memory.Buffer
	var kids []arrow.ArrayData
	switch c.kind {
	case colInt64:
		bufs = []*memory.Buffer{valid, exactOrZero(sliceBytes(c.i64))}
	case colFloat64:
		bufs = []*memory.Buffer{valid, exactOrZero(sliceBytes(c.f64))}
	case colInt32:
		bufs = []*memory.Buffer{valid, exact(sliceBytes(c.i32))} // remapped in place (assemble)
	case colInt8:
		bufs = []*memory.Buffer{valid, exactOrZero(sliceBytes(c.i8))}
	case colBool:
		bufs = []*memory.Buffer{valid, exactOrZero(c.bits)}
	case colString:
		bufs = []*memory.Buffer{valid, exactOrZero(sliceBytes(c.offs)), exact(c.data)}
	case colMap:
		mt := c.dt.(*arrow.DictionaryType).ValueType.(*arrow.MapType)
		k, it := c.keys.arrayData(), c.items.arrayData()
		pairs := array.NewData(mt.Elem(), c.keys.n, []*memory.Buffer{nil}, []arrow.ArrayData{k, it}, 0, 0)
		k.Release()
		it.Release()
		maps := array.NewData(mt, len(c.offs)-1, []*memory.Buffer{nil, exact(sliceBytes(c.offs))}, []arrow.ArrayData{pairs}, 0, 0)
		pairs.Release()
		defer maps.Release()
		return array.NewDataWithDictionary(c.dt, c.n, []*memory.Buffer{valid, exactOrZero(sliceBytes(c.maps.rows))}, c.nulls, 0, maps)
	case colBatchDict:
		return c.batchDictData(valid)
	}
	return array.NewData(c.dt, c.n, bufs, kids, c.nulls, 0)
}

// tableWriter builds one file's rows of one table into bounded physical
// batches. Its column buffers are reused from batch to batch, and from
// file to file (colCache).
type tableWriter struct {
	t     schema.Table
	file  schema.FileID
	cols  []*colBuf
	dicts []*interner // per column, nil for columns that are not Dict
	attrs []*attrDict // per column, nil for columns that are not attrs
	rows  int
	bytes int
	done  []arrow.RecordBatch // physical batches, in row order
	cache *colCache
}

// colCache keeps the column buffers of finished writers, per table, for
// the next file's: a folder of many small files grows them once per
// parsing goroutine, not once per file. It lives as long as one Parse, so
// the buffers are garbage once the tables are built.
type colCache struct {
	mu   sync.Mutex
	free [schema.NumTables][][]*colBuf
}

func (cc *colCache) get(t schema.Table) []*colBuf {
	if cc == nil {
		return nil
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	n := len(cc.free[t])
	if n == 0 {
		return nil
	}
	cols := cc.free[t][n-1]
	cc.free[t] = cc.free[t][:n-1]
	return cols
}

func (cc *colCache) put(t schema.Table, cols []*colBuf) {
	if cc == nil {
		return
	}
	cc.mu.Lock()
	cc.free[t] = append(cc.free[t], cols)
	cc.mu.Unlock()
}

func newTableWriter(t schema.Table, file schema.FileID, cache *colCache) *tableWriter {
	s := t.Schema()
	w := &tableWriter{t: t, file: file, dicts: make([]*interner, s.NumFields()), attrs: make([]*attrDict, s.NumFields()), cache: cache}
	if w.cols = cache.get(t); w.cols == nil {
		for _, f := range physicalSchemas[t].Fields() {
			w.cols = append(w.cols, newColBuf(f))
		}
	}
	for i, f := range s.Fields() {
		if f.Type == schema.Dict && f.Name != "file" {
			w.dicts[i] = &interner{}
		}
		if f.Type == schema.Attrs {
			w.attrs[i] = &attrDict{}
		}
	}
	return w
}

// row ends a row: the batch is cut when it reached a bound.
func (w *tableWriter) row(varBytes int) {
	w.rows++
	w.bytes += varBytes
	if w.rows >= batchRows || w.bytes >= batchBytes {
		w.cut()
	}
}

func (w *tableWriter) cut() {
	if w.rows == 0 {
		return
	}
	arrs := make([]arrow.Array, len(w.cols))
	for i, c := range w.cols {
		d := c.arrayData()
		arrs[i] = array.MakeFromData(d)
		d.Release()
		c.reset()
	}
	shareEqual(arrs)
	w.done = append(w.done, array.NewRecordBatch(physicalSchemas[w.t], arrs, int64(w.rows)))
	for _, a := range arrs {
		a.Release()
	}
	w.rows, w.bytes = 0, 0
}

// finish cuts the last batch and gives the column buffers back.
func (w *tableWriter) finish() {
	w.cut()
	w.putBack()
}

func (w *tableWriter) putBack() {
	if w.cols == nil {
		return
	}
	for _, c := range w.cols {
		c.reset()
	}
	w.cache.put(w.t, w.cols)
	w.cols = nil
}

func (w *tableWriter) release() {
	w.putBack()
	for _, r := range w.done {
		r.Release()
	}
	w.done = nil
}

// Typed appends to the batch's columns.

func (w *tableWriter) int64v(c int, v int64)            { w.cols[c].int64v(v) }
func (w *tableWriter) optInt64(c int, v int64, ok bool) { w.cols[c].optInt64(v, ok) }
func (w *tableWriter) float64v(c int, v float64)        { w.cols[c].float64v(v) }
func (w *tableWriter) optFloat64(c int, v float64, ok bool) {
	w.cols[c].optFloat64(v, ok)
}
func (w *tableWriter) boolv(c int, v bool)           { w.cols[c].boolv(v) }
func (w *tableWriter) optBoolv(c int, v, ok bool)    { w.cols[c].optBool(v, ok) }
func (w *tableWriter) time(c int, us int64, ok bool) { w.cols[c].optInt64(us, ok) }
func (w *tableWriter) enumVal(c int, v uint8)        { w.cols[c].int8v(int8(v)) }
func (w *tableWriter) origin(c int, s string)        { w.enumVal(c, uint8(originOf(s))) }
func (w *tableWriter) fileCol(c int)                 { w.cols[c].int32v(int32(w.file)) }
func (w *tableWriter) dict(c int, s string)          { w.cols[c].int32v(w.dicts[c].idString(s)) }
func (w *tableWriter) dictBytes(c int, b []byte)     { w.cols[c].int32v(w.dicts[c].id(b)) }
func (w *tableWriter) strBytes(c int, b []byte) int  { w.cols[c].bytesv(b); return len(b) }
func (w *tableWriter) strVal(c int, s string) int    { w.cols[c].stringv(s); return len(s) }
func (w *tableWriter) batchDict(c int, b []byte) int { w.cols[c].batchDictv(b); return len(b) }
func (w *tableWriter) optF64(c int, v *float64) {
	if v == nil {
		w.optFloat64(c, 0, false)
		return
	}
	w.optFloat64(c, *v, true)
}
func (w *tableWriter) optI64(c int, v *int64) {
	if v == nil {
		w.optInt64(c, 0, false)
		return
	}
	w.optInt64(c, *v, true)
}
func (w *tableWriter) optBool(c int, v *bool) {
	if v == nil {
		w.optBoolv(c, false, false)
		return
	}
	w.optBoolv(c, *v, true)
}
func (w *tableWriter) percentiles(first int, p *Percentiles) {
	for i, v := range p.Ptrs() {
		w.optF64(first+i, *v)
	}
}

func originOf(s string) schema.Origin {
	o, _ := schema.ParseOrigin(s)
	return o
}
