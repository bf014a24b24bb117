package parsers

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/logcorr/logcorr/model/schema"
)

// Batch bounds: a batch is cut when it holds batchRows rows or batchBytes
// bytes of variable-width data (messages, attrs), whichever comes first, so
// no builder grows without bound and a file's table is a list of batches of
// bounded size.
const (
	batchRows  = 32 << 10
	batchBytes = 8 << 20
)

// physical is a table's schema as the writers build it: a Dict column is
// its int32 indices into the writer's own interned values, an Enum column
// its int8 values. assemble turns physical batches into the table's schema
// with one dictionary per column.
func physical(t schema.Table) *arrow.Schema {
	s := t.Schema()
	fields := make([]arrow.Field, s.NumFields())
	for i, f := range s.Fields() {
		if d, ok := f.Type.(*arrow.DictionaryType); ok {
			f.Type = d.IndexType
		}
		fields[i] = f
	}
	return arrow.NewSchema(fields, nil)
}

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
}

func (in *interner) id(b []byte) int32 {
	if in.hasLast && string(b) == in.last {
		return in.lastID
	}
	id, ok := in.ids[string(b)]
	if !ok {
		id = in.add(string(b))
	}
	in.last, in.lastID, in.hasLast = in.vals[id], id, true
	return id
}

func (in *interner) idString(s string) int32 {
	if id, ok := in.ids[s]; ok {
		return id
	}
	return in.add(s)
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

// tableWriter builds one file's rows of one table into bounded physical
// batches. The record builder is reused from batch to batch.
type tableWriter struct {
	t     schema.Table
	file  schema.FileID
	b     *array.RecordBuilder
	dicts []*interner // per column, nil for columns that are not Dict
	rows  int
	bytes int
	done  []arrow.RecordBatch // physical batches, in row order
	// The size of the batch cut last, for the next one (begin).
	sizes    []colSize
	nextRows int
	reserve  bool
}

func newTableWriter(t schema.Table, file schema.FileID) *tableWriter {
	s := t.Schema()
	w := &tableWriter{t: t, file: file, b: array.NewRecordBuilder(memory.DefaultAllocator, physicalSchemas[t]),
		dicts: make([]*interner, s.NumFields())}
	for i, f := range s.Fields() {
		if f.Type == schema.Dict && f.Name != "file" {
			w.dicts[i] = &interner{}
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
	// The next batch will likely be as large: its builders are sized
	// once, when its first row comes, instead of doubling their way up.
	if w.sizes == nil {
		w.sizes = make([]colSize, len(w.b.Fields()))
	}
	for i, f := range w.b.Fields() {
		w.sizes[i] = sizeOf(f)
	}
	w.nextRows, w.reserve = w.rows, true
	w.done = append(w.done, compactBatch(w.b.NewRecordBatch()))
	w.rows, w.bytes = 0, 0
}

// colSize is how much a column's builder held: data bytes, and for a map
// its pairs and their key and value bytes.
type colSize struct{ data, pairs, keys, items int }

func sizeOf(b array.Builder) colSize {
	switch b := b.(type) {
	case *array.StringBuilder:
		return colSize{data: b.DataLen()}
	case *array.MapBuilder:
		kb, ib := b.KeyBuilder().(*array.StringBuilder), b.ItemBuilder().(*array.StringBuilder)
		return colSize{pairs: kb.Len(), keys: kb.DataLen(), items: ib.DataLen()}
	}
	return colSize{}
}

// begin starts a row: the first of a batch after a full one sizes the
// builders like that one.
func (w *tableWriter) begin() {
	if !w.reserve {
		return
	}
	w.reserve = false
	w.b.Reserve(w.nextRows)
	for i, f := range w.b.Fields() {
		sz := w.sizes[i]
		switch b := f.(type) {
		case *array.StringBuilder:
			b.ReserveData(sz.data + sz.data/16)
		case *array.MapBuilder:
			kb, ib := b.KeyBuilder().(*array.StringBuilder), b.ItemBuilder().(*array.StringBuilder)
			kb.Reserve(sz.pairs + sz.pairs/16)
			ib.Reserve(sz.pairs + sz.pairs/16)
			kb.ReserveData(sz.keys + sz.keys/16)
			ib.ReserveData(sz.items + sz.items/16)
		}
	}
}

// compactBatch returns rec with every buffer that its builder left much
// larger than its content (builders double their buffers as they grow)
// copied to its exact size: a batch is kept for the whole run, its slack
// would be too. rec is released when a copy is made.
func compactBatch(rec arrow.RecordBatch) arrow.RecordBatch {
	cols := rec.Columns()
	out := make([]arrow.Array, len(cols))
	changed := false
	for i, c := range cols {
		d, ok := compactData(c.Data())
		if ok {
			out[i] = array.MakeFromData(d)
			d.Release()
			changed = true
			continue
		}
		c.Retain()
		out[i] = c
	}
	if !changed {
		for _, c := range out {
			c.Release()
		}
		return rec
	}
	nrec := array.NewRecordBatch(rec.Schema(), out, rec.NumRows())
	for _, c := range out {
		c.Release()
	}
	rec.Release()
	return nrec
}

// compactData copies d's oversized buffers (children's too); ok is false
// when nothing needed it.
func compactData(d arrow.ArrayData) (arrow.ArrayData, bool) {
	bufs := d.Buffers()
	nb := make([]*memory.Buffer, len(bufs))
	changed := false
	for i, b := range bufs {
		nb[i] = b
		// cap, not Cap: a builder's final shrink keeps the grown
		// backing array behind a shorter slice.
		if b != nil && cap(b.Buf())-b.Len() > 4<<10 && cap(b.Buf())-b.Len() > cap(b.Buf())/8 {
			nb[i] = memory.NewBufferBytes(append([]byte(nil), b.Bytes()...))
			changed = true
		}
	}
	kids := d.Children()
	nk := make([]arrow.ArrayData, len(kids))
	for i, k := range kids {
		if c, ok := compactData(k); ok {
			nk[i] = c
			changed = true
		} else {
			nk[i] = k
		}
	}
	if !changed {
		return nil, false
	}
	nd := array.NewData(d.DataType(), d.Len(), nb, nk, d.NullN(), d.Offset())
	for i, b := range nb {
		if b != bufs[i] {
			b.Release() // nd holds it
		}
	}
	for i, k := range nk {
		if k != kids[i] {
			k.Release()
		}
	}
	return nd, true
}

// finish cuts the last batch and frees the builder.
func (w *tableWriter) finish() {
	w.cut()
	w.b.Release()
	w.b = nil
}

func (w *tableWriter) release() {
	if w.b != nil {
		w.b.Release()
	}
	for _, r := range w.done {
		r.Release()
	}
	w.done = nil
}

// Typed access to the builder's fields.

func (w *tableWriter) i64(c int) *array.Int64Builder   { return w.b.Field(c).(*array.Int64Builder) }
func (w *tableWriter) f64(c int) *array.Float64Builder { return w.b.Field(c).(*array.Float64Builder) }
func (w *tableWriter) bln(c int) *array.BooleanBuilder { return w.b.Field(c).(*array.BooleanBuilder) }
func (w *tableWriter) str(c int) *array.StringBuilder  { return w.b.Field(c).(*array.StringBuilder) }
func (w *tableWriter) ts(c int) *array.TimestampBuilder {
	return w.b.Field(c).(*array.TimestampBuilder)
}
func (w *tableWriter) enum(c int) *array.Int8Builder    { return w.b.Field(c).(*array.Int8Builder) }
func (w *tableWriter) idx(c int) *array.Int32Builder    { return w.b.Field(c).(*array.Int32Builder) }
func (w *tableWriter) attrs(c int) *array.MapBuilder    { return w.b.Field(c).(*array.MapBuilder) }
func (w *tableWriter) dict(c int, s string)             { w.idx(c).Append(w.dicts[c].idString(s)) }
func (w *tableWriter) dictBytes(c int, b []byte)        { w.idx(c).Append(w.dicts[c].id(b)) }
func (w *tableWriter) strBytes(c int, b []byte) int     { w.str(c).BinaryBuilder.Append(b); return len(b) }
func (w *tableWriter) fileCol(c int)                    { w.idx(c).Append(int32(w.file)) }
func (w *tableWriter) optF64(c int, v *float64)         { optAppend(w.f64(c), v) }
func (w *tableWriter) optI64(c int, v *int64)           { optAppend(w.i64(c), v) }
func (w *tableWriter) optBool(c int, v *bool)           { optAppend(w.bln(c), v) }
func (w *tableWriter) time(c int, us int64, valid bool) { appendTime(w.ts(c), us, valid) }
func (w *tableWriter) enumVal(c int, v uint8)           { w.enum(c).Append(int8(v)) }
func (w *tableWriter) origin(c int, s string)           { w.enumVal(c, uint8(originOf(s))) }
func (w *tableWriter) strVal(c int, s string) int       { w.str(c).Append(s); return len(s) }
func (w *tableWriter) percentiles(first int, p *Percentiles) {
	for i, v := range p.Ptrs() {
		w.optF64(first+i, *v)
	}
}

type appender[T any] interface {
	Append(T)
	AppendNull()
}

func optAppend[T any](b appender[T], v *T) {
	if v == nil {
		b.AppendNull()
		return
	}
	b.Append(*v)
}

func appendTime(b *array.TimestampBuilder, us int64, valid bool) {
	if !valid {
		b.AppendNull()
		return
	}
	b.Append(arrow.Timestamp(us))
}

func originOf(s string) schema.Origin {
	o, _ := schema.ParseOrigin(s)
	return o
}

type arrowString = array.StringBuilder
