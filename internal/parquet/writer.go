// Package parquet writes Apache Parquet files from Arrow record batches.
//
// It covers what logcorr's tables hold — flat records of utf8, int64,
// float64, bool and timestamp columns, nullable or not, maps with utf8
// keys and values of one of those types, and lists of them — with PLAIN
// values, RLE levels, version-1 data pages and zstd compression: the
// subset every Parquet reader (arrow, DuckDB, Spark, pandas) reads.
//
// Why not arrow-go's parquet packages: every one of them imports
// arrow/compute (its kernels alone are ~20 s of compile on this 2-core
// machine) and pqarrow adds gRPC through arrow/flight; together they were
// 60 % of a fresh build and 36 MB of the 57 MB binary, for a writer that
// needs none of it. The format is small for this subset; the tests read
// every file back with arrow-go's own reader.
package parquet

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"runtime"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/klauspost/compress/zstd"
)

// Parquet enum values (parquet.thrift).
const (
	typeBoolean   = 0
	typeInt64     = 2
	typeDouble    = 5
	typeByteArray = 6

	repRequired = 0
	repOptional = 1
	repRepeated = 2

	convUTF8            = 0
	convMap             = 1
	convList            = 3
	convTimestampMillis = 9
	convTimestampMicros = 10

	encPlain = 0
	encRLE   = 3

	pageData = 0
)

// Codec is a page compression.
type Codec int32

// Codecs logcorr writes (Parquet's CompressionCodec numbers).
const (
	Uncompressed Codec = 0
	Zstd         Codec = 6
)

// Options steer the writer; the zero value is usable.
type Options struct {
	// CreatedBy is the footer's created_by. Leave out library versions
	// to keep the bytes the same across releases.
	CreatedBy string
	Codec     Codec
	// RowGroupRows caps the rows of one row group (default 1,048,576);
	// PageRows those of one data page (DefaultPageRows).
	RowGroupRows int
	PageRows     int
	// Metadata is written as the footer's key/value metadata, in order.
	Metadata [][2]string
}

// DefaultPageRows is the rows of a data page unless Options.PageRows
// says otherwise: the size of the slices a caller that Appends a large
// table should build.
const DefaultPageRows = 1 << 14

// leafKind says where a leaf sits: a flat column, or inside a map or a
// list (which have repetition levels).
type leafKind uint8

const (
	leafFlat leafKind = iota
	leafMapKey
	leafMapValue
	leafListElem
)

// leaf is one column chunk's worth of a field: a primitive field or a list
// is one leaf; a map is two, its keys and its values.
type leaf struct {
	field  int // index in the schema
	path   []string
	ptype  int32
	maxDef int
	maxRep int
	kind   leafKind
	// nullable is the field's own nullability (a list's or map's: the
	// container); elemNullable that of list elements.
	nullable     bool
	elemNullable bool
}

// Writer writes record batches of one schema to one Parquet file.
type Writer struct {
	w       *countingWriter
	schema  *arrow.Schema
	leaves  []leaf
	opt     Options
	enc     *zstd.Encoder
	scratch *scratch   // the page being written; from scratches, returned by Close
	open    *openGroup // the row group Append fills; nil between groups
	groups  []rowGroup
	rows    int64
	started bool
	closed  bool
}

type rowGroup struct {
	rows    int64
	offset  int64
	chunks  []chunk
	rawSize int64
	zipSize int64
}

type chunk struct {
	leaf      *leaf
	offset    int64
	numValues int64
	rawSize   int64
	zipSize   int64
	stats     stats
}

// stats are a column chunk's Statistics: its null count and, when every
// value could be ordered, its smallest and largest value PLAIN encoded.
// Readers skip row groups by them (DuckDB's `WHERE time_utc >= ...`), so
// they are written for the flat columns a query filters on: integers,
// timestamps, doubles and strings.
type stats struct {
	known    bool // the column kind has statistics at all
	nulls    int64
	min, max []byte // nil: no value, a NaN, or a string too long to keep
}

// maxStatString bounds a string column's min/max: a long log line is not
// worth carrying in the footer twice per row group, and a truncated value
// would be a wrong bound.
const maxStatString = 64

// statAcc gathers a flat column chunk's statistics over the rows Append
// gave it, in row order: the same comparisons, in the same order, as one
// pass over the whole chunk.
type statAcc struct {
	kind   statKind
	ints   span[int64]
	floats span[float64]
	strs   span[string]
	nan    bool // a float NaN was seen: no bounds
	long   bool // a string over maxStatString was seen: no bounds
}

type statKind uint8

const (
	statNone statKind = iota
	statInt
	statFloat
	statString
)

// add takes rows [lo, hi) of col into the statistics.
func (a *statAcc) add(col arrow.Array, lo, hi int) {
	switch c := col.(type) {
	case *array.Int64:
		a.kind = statInt
		a.ints.extend(lo, hi, c.IsNull, c.Value)
	case *array.Timestamp:
		a.kind = statInt
		a.ints.extend(lo, hi, c.IsNull, func(i int) int64 { return int64(c.Value(i)) })
	case *array.Float64:
		a.kind = statFloat
		a.floats.extend(lo, hi, c.IsNull, func(i int) float64 {
			v := c.Value(i)
			a.nan = a.nan || math.IsNaN(v)
			return v
		})
	case *array.String:
		a.kind = statString
		a.strs.extend(lo, hi, c.IsNull, func(i int) string {
			v := c.Value(i)
			a.long = a.long || len(v) > maxStatString
			return v
		})
		// The values view the batch's buffer, which the caller may
		// release after Append: the bounds are kept as copies.
		a.strs.min, a.strs.max = strings.Clone(a.strs.min), strings.Clone(a.strs.max)
	}
}

// stats are the chunk's Statistics.
func (a *statAcc) stats() stats {
	u64 := func(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }
	switch a.kind {
	case statInt:
		return a.ints.stats(a.ints.seen, func(v int64) []byte { return u64(uint64(v)) })
	case statFloat:
		sp := a.floats
		// The spec's rule for zeros: a zero min is written -0, a zero
		// max +0, so a reader's comparison cannot skip a group wrongly.
		if sp.min == 0 {
			sp.min = math.Copysign(0, -1)
		}
		if sp.max == 0 {
			sp.max = math.Copysign(0, 1)
		}
		// A NaN has no place in the order: then no bounds, only the count.
		return sp.stats(sp.seen && !a.nan, func(v float64) []byte { return u64(math.Float64bits(v)) })
	case statString:
		return a.strs.stats(a.strs.seen && !a.long, func(v string) []byte { return []byte(v) })
	}
	return stats{}
}

// span is the smallest and largest non-null value of some rows, and how
// many were null.
type span[T cmp.Ordered] struct {
	min, max T
	seen     bool
	nulls    int64
}

// extend takes rows [lo, hi) into the span.
func (sp *span[T]) extend(lo, hi int, isNull func(int) bool, value func(int) T) {
	for i := lo; i < hi; i++ {
		if isNull(i) {
			sp.nulls++
			continue
		}
		v := value(i)
		if !sp.seen || v < sp.min {
			sp.min = v
		}
		if !sp.seen || v > sp.max {
			sp.max = v
		}
		sp.seen = true
	}
}

// stats are the span's statistics, with bounds (PLAIN encoded by enc)
// when bounded says they hold.
func (sp span[T]) stats(bounded bool, enc func(T) []byte) stats {
	st := stats{known: true, nulls: sp.nulls}
	if bounded {
		st.min, st.max = enc(sp.min), enc(sp.max)
	}
	return st
}

// NewWriter checks the schema and returns a writer; nothing is written
// until the first Write or Close. Close returns the writer's buffers for
// the next writer to reuse.
func NewWriter(w io.Writer, schema *arrow.Schema, opt Options) (*Writer, error) {
	if opt.RowGroupRows <= 0 {
		opt.RowGroupRows = 1 << 20
	}
	if opt.PageRows <= 0 {
		opt.PageRows = DefaultPageRows
	}
	pw := &Writer{w: &countingWriter{w: w}, schema: schema, opt: opt}
	for i, f := range schema.Fields() {
		def := 0
		if f.Nullable {
			def = 1
		}
		switch t := f.Type.(type) {
		case *arrow.MapType:
			if !arrow.TypeEqual(t.KeyType(), arrow.BinaryTypes.String) {
				return nil, fmt.Errorf("parquet: column %s: only maps with utf8 keys are supported, not %s", f.Name, t)
			}
			vt, err := physical(t.ItemType())
			if err != nil {
				return nil, fmt.Errorf("parquet: column %s: map values: %w", f.Name, err)
			}
			kp := []string{f.Name, "key_value", "key"}
			vp := []string{f.Name, "key_value", "value"}
			pw.leaves = append(pw.leaves,
				leaf{field: i, path: kp, ptype: typeByteArray, maxDef: def + 1, maxRep: 1, kind: leafMapKey, nullable: f.Nullable},
				leaf{field: i, path: vp, ptype: vt, maxDef: def + 2, maxRep: 1, kind: leafMapValue, nullable: f.Nullable, elemNullable: true})
		case *arrow.ListType:
			et, err := physical(t.Elem())
			if err != nil {
				return nil, fmt.Errorf("parquet: column %s: list elements: %w", f.Name, err)
			}
			en := t.ElemField().Nullable
			maxDef := def + 1
			if en {
				maxDef++
			}
			pw.leaves = append(pw.leaves, leaf{field: i, path: []string{f.Name, "list", "element"}, ptype: et,
				maxDef: maxDef, maxRep: 1, kind: leafListElem, nullable: f.Nullable, elemNullable: en})
		default:
			pt, err := physical(f.Type)
			if err != nil {
				return nil, fmt.Errorf("parquet: column %s: %w", f.Name, err)
			}
			pw.leaves = append(pw.leaves, leaf{field: i, path: []string{f.Name}, ptype: pt, maxDef: def, nullable: f.Nullable})
		}
	}
	if opt.Codec == Zstd {
		enc, err := encoder()
		if err != nil {
			return nil, err
		}
		pw.enc = enc
	} else if opt.Codec != Uncompressed {
		return nil, fmt.Errorf("parquet: codec %d not supported", opt.Codec)
	}
	return pw, nil
}

// physical is the Parquet physical type of a primitive Arrow type.
func physical(dt arrow.DataType) (int32, error) {
	switch t := dt.(type) {
	case *arrow.StringType:
		return typeByteArray, nil
	case *arrow.Int64Type:
		return typeInt64, nil
	case *arrow.Float64Type:
		return typeDouble, nil
	case *arrow.BooleanType:
		return typeBoolean, nil
	case *arrow.TimestampType:
		if t.Unit != arrow.Millisecond && t.Unit != arrow.Microsecond && t.Unit != arrow.Nanosecond {
			return 0, fmt.Errorf("timestamp unit %s not supported (want ms, us or ns)", t.Unit)
		}
		return typeInt64, nil
	}
	return 0, fmt.Errorf("type %s not supported", dt)
}

var magic = []byte("PAR1")

// encoder is shared by every writer: setting one up allocates its tables
// (about a millisecond and megabytes each), and a page over one block
// (128 KiB) makes it keep a history buffer. A pool of them, emptied by
// every collection, set up six and held four at once in a bench100 export
// (16 MB of history each: 32 of its 178 MB live). One encoder with a
// worker per core (the export writes partitions on every core), each
// with the history buffer lowMem sizes to the window and a block instead
// of two windows, holds 8 MB per worker that compressed such a page.
// EncodeAll keeps no history between calls, runs on one worker, and
// lowMem changes how the history is held, not what a match can reach, so
// the bytes are the same (the export tests and a diff of bench100's and a
// storm's datasets, whose pages reach megabytes).
var encoder = sync.OnceValues(func() (*zstd.Encoder, error) {
	return zstd.NewWriter(nil, zstd.WithEncoderConcurrency(runtime.GOMAXPROCS(0)), zstd.WithLowerEncoderMem(true))
})

// scratch is what writing a page needs besides its values: the page's
// levels and values, its laid-out body and its compressed copy. The
// dataset export writes thousands of small files, one writer each, and
// allocating these per page and per file was a third of what it
// allocated (bench100: 3.6 GB for a 95 MB folder), so writers pass them
// on through scratches. Every buffer is overwritten from its start for
// each page, so a reused one writes the same bytes.
type scratch struct {
	page      pageBuf
	body, zip []byte
}

var scratches sync.Pool

// keepScratch bounds the buffers a scratch goes back to the pool with: a
// page of long values (tracebacks) can take tens of MB, which would
// otherwise stay held by the pool for every later small file.
const keepScratch = 4 << 20

func getScratch() *scratch {
	if s, ok := scratches.Get().(*scratch); ok {
		return s
	}
	return &scratch{}
}

func putScratch(s *scratch) {
	p := &s.page
	if cap(s.body)+cap(s.zip)+cap(p.values)+8*(cap(p.rep)+cap(p.def))+cap(p.bools) > keepScratch {
		return
	}
	scratches.Put(s)
}

// Write appends the batch's rows as one or more row groups: Append, then
// the open row group is ended.
func (pw *Writer) Write(rec arrow.RecordBatch) error {
	if err := pw.Append(rec); err != nil {
		return err
	}
	return pw.endGroup()
}

// Append adds the batch's rows to the open row group, which ends when it
// reaches Options.RowGroupRows rows or at Close. A caller that builds a
// large table a slice of rows at a time need not hold it whole: only the
// open group's compressed pages are kept until the group is written. A
// page never spans two Appends, so batches of Options.PageRows rows (the
// last one shorter) give the file Write gives for the whole table.
func (pw *Writer) Append(rec arrow.RecordBatch) error {
	if pw.closed {
		return errors.New("parquet: write after close")
	}
	if !rec.Schema().Equal(pw.schema) {
		return fmt.Errorf("parquet: record schema %s differs from the writer's %s", rec.Schema(), pw.schema)
	}
	if err := pw.start(); err != nil {
		return err
	}
	n := int(rec.NumRows())
	for lo := 0; lo < n; {
		if pw.open == nil {
			pw.open = &openGroup{chunks: make([]openChunk, len(pw.leaves))}
		}
		hi := min(n, lo+pw.opt.RowGroupRows-int(pw.open.rows))
		if err := pw.appendRows(rec, lo, hi); err != nil {
			return err
		}
		lo = hi
		if pw.open.rows == int64(pw.opt.RowGroupRows) {
			if err := pw.endGroup(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (pw *Writer) start() error {
	if pw.started {
		return nil
	}
	pw.started = true
	_, err := pw.w.Write(magic)
	return err
}

// openGroup is the row group being filled: per leaf, its pages as they
// will be written (headers and compressed bodies) and their statistics.
type openGroup struct {
	rows   int64
	chunks []openChunk
}

type openChunk struct {
	pages                       []byte
	numValues, rawSize, zipSize int64
	stats                       statAcc
}

// appendRows encodes rows [lo, hi) of rec into the open group's pages.
func (pw *Writer) appendRows(rec arrow.RecordBatch, lo, hi int) error {
	if pw.scratch == nil {
		pw.scratch = getScratch()
	}
	page := &pw.scratch.page
	g := pw.open
	for li := range pw.leaves {
		l := &pw.leaves[li]
		c := &g.chunks[li]
		col := rec.Column(l.field)
		for plo := lo; plo < hi; plo += pw.opt.PageRows {
			phi := min(plo+pw.opt.PageRows, hi)
			page.reset()
			if err := page.fill(l, col, plo, phi); err != nil {
				return fmt.Errorf("parquet: column %s: %w", pw.schema.Field(l.field).Name, err)
			}
			raw, zip, err := pw.appendPage(c, page)
			if err != nil {
				return err
			}
			c.numValues += int64(page.numValues)
			c.rawSize += raw
			c.zipSize += zip
		}
		if l.kind == leafFlat {
			c.stats.add(col, lo, hi)
		}
	}
	g.rows += int64(hi - lo)
	return nil
}

// endGroup writes the open row group's column chunks, leaf by leaf.
func (pw *Writer) endGroup() error {
	og := pw.open
	if og == nil {
		return nil
	}
	pw.open = nil
	g := rowGroup{rows: og.rows, offset: pw.w.n}
	for li := range pw.leaves {
		oc := &og.chunks[li]
		c := chunk{leaf: &pw.leaves[li], offset: pw.w.n, numValues: oc.numValues, rawSize: oc.rawSize, zipSize: oc.zipSize}
		if pw.leaves[li].kind == leafFlat {
			c.stats = oc.stats.stats()
		}
		if _, err := pw.w.Write(oc.pages); err != nil {
			return err
		}
		g.chunks = append(g.chunks, c)
		g.rawSize += c.rawSize
		g.zipSize += c.zipSize
	}
	pw.groups = append(pw.groups, g)
	pw.rows += g.rows
	return nil
}

// appendPage adds one data page (header and body) to c's pages and
// returns its size uncompressed and as written, headers included.
func (pw *Writer) appendPage(c *openChunk, p *pageBuf) (raw, zip int64, err error) {
	sc := pw.scratch
	sc.body = p.appendBody(sc.body[:0])
	body, out := sc.body, sc.body
	if pw.enc != nil {
		sc.zip = pw.enc.EncodeAll(body, sc.zip[:0])
		out = sc.zip
	}
	if len(body) > math.MaxInt32 || len(out) > math.MaxInt32 {
		return 0, 0, errors.New("parquet: page over 2 GiB")
	}
	h := newThrift()
	h.i32(1, pageData)
	h.i32(2, int32(len(body)))
	h.i32(3, int32(len(out)))
	h.begin(5) // DataPageHeader
	h.i32(1, int32(p.numValues))
	h.i32(2, encPlain)
	h.i32(3, encRLE)
	h.i32(4, encRLE)
	h.end()
	hdr := h.finish()
	c.pages = append(append(c.pages, hdr...), out...)
	return int64(len(hdr) + len(body)), int64(len(hdr) + len(out)), nil
}

// Size is the number of bytes written so far: the file's size after Close.
func (pw *Writer) Size() int64 { return pw.w.n }

// Close writes the footer. It does not close the underlying writer.
func (pw *Writer) Close() error {
	if pw.closed {
		return nil
	}
	pw.closed = true
	if pw.scratch != nil {
		defer putScratch(pw.scratch)
		pw.scratch = nil
	}
	if err := pw.start(); err != nil {
		return err
	}
	if err := pw.endGroup(); err != nil {
		return err
	}
	footer := pw.footer()
	if _, err := pw.w.Write(footer); err != nil {
		return err
	}
	var tail [8]byte
	binary.LittleEndian.PutUint32(tail[:4], uint32(len(footer)))
	copy(tail[4:], magic)
	_, err := pw.w.Write(tail[:])
	return err
}

// footer is the FileMetaData struct.
func (pw *Writer) footer() []byte {
	t := newThrift()
	t.i32(1, 1) // version
	pw.schemaElements(t)
	t.i64(3, pw.rows)
	t.list(4, tStruct, len(pw.groups))
	for _, g := range pw.groups {
		t.elem()
		t.list(1, tStruct, len(g.chunks))
		for _, c := range g.chunks {
			t.elem()
			t.i64(2, c.offset) // file_offset: where the chunk starts
			t.begin(3)         // ColumnMetaData
			t.i32(1, c.leaf.ptype)
			t.listI32(2, encPlain, encRLE)
			t.listStr(3, c.leaf.path)
			t.i32(4, int32(pw.opt.Codec))
			t.i64(5, c.numValues)
			t.i64(6, c.rawSize)
			t.i64(7, c.zipSize)
			t.i64(9, c.offset)
			if c.stats.known {
				t.begin(12) // Statistics
				t.i64(3, c.stats.nulls)
				if c.stats.min != nil {
					t.str(5, string(c.stats.max)) // max_value
					t.str(6, string(c.stats.min)) // min_value
				}
				t.end()
			}
			t.end()
			t.end()
		}
		t.i64(2, g.rawSize)
		t.i64(3, g.rows)
		t.i64(5, g.offset)
		t.i64(6, g.zipSize)
		t.end()
	}
	if len(pw.opt.Metadata) > 0 {
		t.list(5, tStruct, len(pw.opt.Metadata))
		for _, kv := range pw.opt.Metadata {
			t.elem()
			t.str(1, kv[0])
			t.str(2, kv[1])
			t.end()
		}
	}
	if pw.opt.CreatedBy != "" {
		t.str(6, pw.opt.CreatedBy)
	}
	// column_orders: every leaf in its type's own order (signed integers,
	// IEEE doubles, strings as unsigned bytes), which is how the
	// statistics' min_value/max_value were chosen. Without it readers must
	// ignore them.
	t.list(7, tStruct, len(pw.leaves))
	for range pw.leaves {
		t.elem()
		t.begin(1) // TYPE_ORDER: TypeDefinedOrder, an empty struct
		t.end()
		t.end()
	}
	return t.finish()
}

// schemaElements writes the schema as Parquet's flattened tree: a root,
// then each field depth first. A map is the standard three-level
// layout: optional group NAME (MAP) { repeated group key_value
// { required binary key (STRING); optional binary value (STRING) } }.
func (pw *Writer) schemaElements(t *thriftWriter) {
	fields := pw.schema.Fields()
	n := 1
	for _, f := range fields {
		n++
		switch f.Type.ID() {
		case arrow.MAP:
			n += 3
		case arrow.LIST:
			n += 2
		}
	}
	t.list(2, tStruct, n)
	t.elem()
	t.str(4, "schema")
	t.i32(5, int32(len(fields)))
	t.end()
	for _, f := range fields {
		rep := int32(repRequired)
		if f.Nullable {
			rep = repOptional
		}
		switch ft := f.Type.(type) {
		case *arrow.MapType:
			groupElement(t, f.Name, rep, convMap, 2)
			t.elem()
			t.i32(3, repRepeated)
			t.str(4, "key_value")
			t.i32(5, 2)
			t.end()
			stringElement(t, "key", repRequired)
			primitiveElement(t, "value", repOptional, ft.ItemType())
		case *arrow.ListType:
			// The standard three-level list: optional group NAME (LIST)
			// { repeated group list { required|optional TYPE element } }.
			groupElement(t, f.Name, rep, convList, 3)
			t.elem()
			t.i32(3, repRepeated)
			t.str(4, "list")
			t.i32(5, 1)
			t.end()
			erep := int32(repRequired)
			if ft.ElemField().Nullable {
				erep = repOptional
			}
			primitiveElement(t, "element", erep, ft.Elem())
		default:
			primitiveElement(t, f.Name, rep, f.Type)
		}
	}
}

// groupElement writes a MAP or LIST group with one child: its converted
// type and its logical type (the LogicalType union's field id: 2 MAP,
// 3 LIST; both are empty structs).
func groupElement(t *thriftWriter, name string, rep, converted int32, logical int16) {
	t.elem()
	t.i32(3, rep)
	t.str(4, name)
	t.i32(5, 1)
	t.i32(6, converted)
	t.begin(10)
	t.begin(logical)
	t.end()
	t.end()
	t.end()
}

// primitiveElement writes a leaf's schema element with its logical type.
func primitiveElement(t *thriftWriter, name string, rep int32, dt arrow.DataType) {
	switch ft := dt.(type) {
	case *arrow.StringType:
		stringElement(t, name, rep)
	case *arrow.TimestampType:
		t.elem()
		t.i32(1, typeInt64)
		t.i32(3, rep)
		t.str(4, name)
		utc := ft.TimeZone != ""
		switch {
		case utc && ft.Unit == arrow.Millisecond:
			t.i32(6, convTimestampMillis)
		case utc && ft.Unit == arrow.Microsecond:
			t.i32(6, convTimestampMicros)
		}
		t.begin(10)
		t.begin(8) // TimestampType
		t.boolean(1, utc)
		t.begin(2) // TimeUnit
		switch ft.Unit {
		case arrow.Millisecond:
			t.begin(1)
		case arrow.Microsecond:
			t.begin(2)
		default:
			t.begin(3)
		}
		t.end()
		t.end()
		t.end()
		t.end()
		t.end()
	default:
		ptype, _ := physical(dt) // checked by NewWriter
		t.elem()
		t.i32(1, ptype)
		t.i32(3, rep)
		t.str(4, name)
		t.end()
	}
}

func stringElement(t *thriftWriter, name string, rep int32) {
	t.elem()
	t.i32(1, typeByteArray)
	t.i32(3, rep)
	t.str(4, name)
	t.i32(6, convUTF8)
	t.begin(10)
	t.begin(1) // StringType
	t.end()
	t.end()
	t.end()
}

// pageBuf collects one data page: repetition and definition levels and
// PLAIN values.
type pageBuf struct {
	maxRep, maxDef int
	rep, def       []int
	values         []byte
	bools          []bool
	numValues      int
}

func (p *pageBuf) reset() {
	p.rep, p.def, p.values, p.bools = p.rep[:0], p.def[:0], p.values[:0], p.bools[:0]
	p.numValues = 0
}

// fill encodes rows [lo, hi) of col for leaf l.
func (p *pageBuf) fill(l *leaf, col arrow.Array, lo, hi int) error {
	p.maxRep, p.maxDef = l.maxRep, l.maxDef
	switch l.kind {
	case leafMapKey, leafMapValue:
		return p.fillMap(l, col, lo, hi)
	case leafListElem:
		return p.fillList(l, col, lo, hi)
	}
	for i := lo; i < hi; i++ {
		p.numValues++
		if col.IsNull(i) {
			if l.maxDef == 0 {
				return fmt.Errorf("row %d is null but the field is not nullable", i)
			}
			p.def = append(p.def, 0)
			continue
		}
		p.def = append(p.def, l.maxDef)
		if err := p.appendValue(col, i); err != nil {
			return err
		}
	}
	return nil
}

// appendValue appends value i of a primitive array, PLAIN encoded.
func (p *pageBuf) appendValue(col arrow.Array, i int) error {
	switch c := col.(type) {
	case *array.String:
		p.appendString(c.Value(i))
	case *array.Int64:
		p.values = binary.LittleEndian.AppendUint64(p.values, uint64(c.Value(i)))
	case *array.Timestamp:
		p.values = binary.LittleEndian.AppendUint64(p.values, uint64(c.Value(i)))
	case *array.Float64:
		p.values = binary.LittleEndian.AppendUint64(p.values, math.Float64bits(c.Value(i)))
	case *array.Boolean:
		p.bools = append(p.bools, c.Value(i))
	default:
		return fmt.Errorf("array %T not supported", col)
	}
	return nil
}

// nested is what maps and lists share: a null per row, and each row's
// range of entries.
type nested interface {
	IsNull(i int) bool
	ValueOffsets(i int) (start, end int64)
}

// fillRepeated writes the levels of a map or list leaf. With b = 1 for a
// nullable field (0 otherwise): a null row is def 0, an empty one def b,
// each entry's def is entry's to set (b+1 or more). The first entry of a
// row has rep 0, the others rep 1; null and empty rows are one level
// entry with rep 0.
func (p *pageBuf) fillRepeated(l *leaf, col nested, lo, hi int, entry func(i, j, b int) error) error {
	b := 0
	if l.nullable {
		b = 1
	}
	for i := lo; i < hi; i++ {
		if col.IsNull(i) {
			if !l.nullable {
				return fmt.Errorf("row %d is null but the field is not nullable", i)
			}
			p.rep, p.def = append(p.rep, 0), append(p.def, 0)
			p.numValues++
			continue
		}
		start, end := col.ValueOffsets(i)
		if start == end {
			p.rep, p.def = append(p.rep, 0), append(p.def, b)
			p.numValues++
			continue
		}
		for j := int(start); j < int(end); j++ {
			r := 1
			if j == int(start) {
				r = 0
			}
			p.rep = append(p.rep, r)
			p.numValues++
			if err := entry(i, j, b); err != nil {
				return err
			}
		}
	}
	return nil
}

// fillMap writes one leaf of a map column: an entry's key is def b+1,
// its value def b+2 (b+1 when the value is null).
func (p *pageBuf) fillMap(l *leaf, col arrow.Array, lo, hi int) error {
	m, ok := col.(*array.Map)
	if !ok {
		return fmt.Errorf("array %T is not a map", col)
	}
	keys, ok := m.Keys().(*array.String)
	if !ok {
		return fmt.Errorf("map of %s", m.DataType())
	}
	items := m.Items()
	return p.fillRepeated(l, m, lo, hi, func(i, j, b int) error {
		switch {
		case l.kind == leafMapKey:
			if keys.IsNull(j) {
				return fmt.Errorf("row %d: a map key is null", i)
			}
			p.def = append(p.def, b+1)
			p.appendString(keys.Value(j))
		case items.IsNull(j):
			p.def = append(p.def, b+1)
		default:
			p.def = append(p.def, b+2)
			return p.appendValue(items, j)
		}
		return nil
	})
}

// fillList writes a list column: a null element is def b+1, an element
// def maxDef (b+2 when elements are nullable, else b+1).
func (p *pageBuf) fillList(l *leaf, col arrow.Array, lo, hi int) error {
	lst, ok := col.(*array.List)
	if !ok {
		return fmt.Errorf("array %T is not a list", col)
	}
	vals := lst.ListValues()
	return p.fillRepeated(l, lst, lo, hi, func(i, j, b int) error {
		if vals.IsNull(j) {
			if !l.elemNullable {
				return fmt.Errorf("row %d: a list element is null but elements are not nullable", i)
			}
			p.def = append(p.def, b+1)
			return nil
		}
		p.def = append(p.def, l.maxDef)
		return p.appendValue(vals, j)
	})
}

func (p *pageBuf) appendString(s string) {
	p.values = binary.LittleEndian.AppendUint32(p.values, uint32(len(s)))
	p.values = append(p.values, s...)
}

// appendBody lays out the page body after out: repetition levels, then
// definition levels (each with its 4-byte length, as version-1 pages have
// them; absent when the level's maximum is 0), then the values.
func (p *pageBuf) appendBody(out []byte) []byte {
	if p.maxRep > 0 {
		out = appendLevels(out, p.rep, p.maxRep)
	}
	if p.maxDef > 0 {
		out = appendLevels(out, p.def, p.maxDef)
	}
	if len(p.bools) > 0 {
		at := len(out)
		out = append(out, make([]byte, (len(p.bools)+7)/8)...)
		packed := out[at:]
		for i, b := range p.bools {
			if b {
				packed[i/8] |= 1 << (i % 8)
			}
		}
	}
	return append(out, p.values...)
}

// appendLevels writes levels in the RLE/bit-packing hybrid encoding,
// using only RLE runs (each run: varint count<<1, then the value in
// ceil(width/8) bytes), preceded by the encoded length.
func appendLevels(out []byte, levels []int, maxLevel int) []byte {
	width := (bits.Len(uint(maxLevel)) + 7) / 8
	lenAt := len(out)
	out = append(out, 0, 0, 0, 0)
	for i := 0; i < len(levels); {
		j := i + 1
		for j < len(levels) && levels[j] == levels[i] {
			j++
		}
		out = binary.AppendUvarint(out, uint64(j-i)<<1)
		v := levels[i]
		for b := 0; b < width; b++ {
			out = append(out, byte(v>>(8*b)))
		}
		i = j
	}
	binary.LittleEndian.PutUint32(out[lenAt:], uint32(len(out)-lenAt-4))
	return out
}

// countingWriter knows the offset of the next byte, which the footer
// records for every chunk.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}
