package parquet_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/logcorr/logcorr/internal/parquet"
	"github.com/logcorr/logcorr/parsers"
)

// The writer is checked against an independent reader: arrow-go's own
// Parquet implementation (test-only, so the CLI does not link it).

// mixed is a batch with every supported type, nulls, empty and null maps,
// null map values, maps of numbers, lists (null, empty, with null
// elements, of strings and numbers), and strings that need more than one
// byte per rune.
func mixed(t *testing.T, n int) arrow.RecordBatch {
	t.Helper()
	ts := &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	tsMS := &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}
	mt := arrow.MapOf(arrow.BinaryTypes.String, arrow.BinaryTypes.String)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "s", Type: arrow.BinaryTypes.String},
		{Name: "s_null", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "i", Type: arrow.PrimitiveTypes.Int64},
		{Name: "i_null", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "f_null", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "b", Type: arrow.FixedWidthTypes.Boolean},
		{Name: "b_null", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "t", Type: ts, Nullable: true},
		{Name: "t_ms", Type: tsMS},
		{Name: "attrs", Type: mt, Nullable: true},
		{Name: "counts", Type: arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int64)},
		{Name: "metrics", Type: arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Float64), Nullable: true},
		{Name: "tags", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true},
		{Name: "lines", Type: arrow.ListOfNonNullable(arrow.PrimitiveTypes.Int64)},
		{Name: "ratios", Type: arrow.ListOf(arrow.PrimitiveTypes.Float64)},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for r := 0; r < n; r++ {
		cb := b.Field(10).(*array.MapBuilder)
		cb.Append(true)
		for k := 0; k < r%3; k++ {
			cb.KeyBuilder().(*array.StringBuilder).Append("phase" + string(rune('a'+k)))
			cb.ItemBuilder().(*array.Int64Builder).Append(int64(r*k) - 7)
		}
		fb := b.Field(11).(*array.MapBuilder)
		if r%5 == 3 {
			fb.AppendNull()
		} else {
			fb.Append(true)
			for k := 0; k < r%4; k++ {
				fb.KeyBuilder().(*array.StringBuilder).Append("m" + string(rune('a'+k)))
				if k == 2 {
					fb.ItemBuilder().AppendNull()
				} else {
					fb.ItemBuilder().(*array.Float64Builder).Append(float64(r) / float64(k+3))
				}
			}
		}
		tb := b.Field(12).(*array.ListBuilder)
		switch r % 5 {
		case 0:
			tb.AppendNull()
		case 1:
			tb.Append(true) // empty list
		default:
			tb.Append(true)
			for k := 0; k < r%5; k++ {
				if k == 1 {
					tb.ValueBuilder().AppendNull()
				} else {
					tb.ValueBuilder().(*array.StringBuilder).Append(strings.Repeat("ü", k) + "t")
				}
			}
		}
		lb := b.Field(13).(*array.ListBuilder)
		lb.Append(true)
		for k := 0; k < r%4; k++ {
			lb.ValueBuilder().(*array.Int64Builder).Append(int64(r*100 + k))
		}
		rb := b.Field(14).(*array.ListBuilder)
		rb.Append(true)
		for k := 0; k < r%2; k++ {
			rb.ValueBuilder().(*array.Float64Builder).Append(float64(k) + 0.25)
		}
		b.Field(0).(*array.StringBuilder).Append(strings.Repeat("ü", r%5) + "line")
		if r%3 == 0 {
			b.Field(1).AppendNull()
		} else {
			b.Field(1).(*array.StringBuilder).Append("v" + string(rune('a'+r%26)))
		}
		b.Field(2).(*array.Int64Builder).Append(int64(r*r) - 1000)
		if r%4 == 1 {
			b.Field(3).AppendNull()
		} else {
			b.Field(3).(*array.Int64Builder).Append(-int64(r))
		}
		if r%5 == 2 {
			b.Field(4).AppendNull()
		} else {
			b.Field(4).(*array.Float64Builder).Append(float64(r) / 7)
		}
		b.Field(5).(*array.BooleanBuilder).Append(r%3 == 0)
		if r%2 == 0 {
			b.Field(6).AppendNull()
		} else {
			b.Field(6).(*array.BooleanBuilder).Append(r%4 == 1)
		}
		if r%6 == 5 {
			b.Field(7).AppendNull()
		} else {
			b.Field(7).(*array.TimestampBuilder).Append(arrow.Timestamp(1768102947000000 + int64(r)*1500))
		}
		b.Field(8).(*array.TimestampBuilder).Append(arrow.Timestamp(1768102947000 + int64(r)))
		mb := b.Field(9).(*array.MapBuilder)
		switch r % 4 {
		case 0:
			mb.AppendNull()
		case 1:
			mb.Append(true) // empty map
		default:
			mb.Append(true)
			kb, ib := mb.KeyBuilder().(*array.StringBuilder), mb.ItemBuilder().(*array.StringBuilder)
			for k := 0; k < r%4+r%3; k++ {
				kb.Append("k" + string(rune('0'+k)))
				if k == 1 {
					ib.AppendNull()
				} else {
					ib.Append(strings.Repeat("x", k+r%7))
				}
			}
		}
	}
	return b.NewRecordBatch()
}

func write(t *testing.T, rec arrow.RecordBatch, opt parquet.Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := parquet.NewWriter(&buf, rec.Schema(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readBack reads a file with arrow-go and returns the table and the
// number of row groups.
func readBack(t *testing.T, data []byte) (arrow.Table, int) {
	t.Helper()
	pf, err := file.NewParquetReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("arrow-go cannot open the file: %v", err)
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatalf("arrow-go cannot read the file: %v", err)
	}
	return tbl, pf.NumRowGroups()
}

// columnJSON is a column's values as JSON, which compares values without
// depending on how the reader names a map's inner fields.
func columnJSON(t *testing.T, a arrow.Array) string {
	t.Helper()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func chunkJSON(t *testing.T, c *arrow.Chunked) string {
	t.Helper()
	a, err := array.Concatenate(c.Chunks(), memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Release()
	return columnJSON(t, a)
}

func TestWriterRoundTrip(t *testing.T) {
	cases := []struct {
		name      string
		rows      int
		opt       parquet.Options
		rowGroups int
	}{
		{"zstd, one page", 50, parquet.Options{Codec: parquet.Zstd}, 1},
		{"uncompressed, many pages", 50, parquet.Options{PageRows: 7}, 1},
		{"row groups and pages", 103, parquet.Options{Codec: parquet.Zstd, RowGroupRows: 40, PageRows: 9}, 3},
		{"empty", 0, parquet.Options{}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := mixed(t, tc.rows)
			defer rec.Release()
			tbl, groups := readBack(t, write(t, rec, tc.opt))
			defer tbl.Release()
			if groups != tc.rowGroups {
				t.Errorf("%d row groups, want %d", groups, tc.rowGroups)
			}
			if tbl.NumRows() != int64(tc.rows) || tbl.NumCols() != rec.NumCols() {
				t.Fatalf("read %d rows × %d columns, want %d × %d", tbl.NumRows(), tbl.NumCols(), tc.rows, rec.NumCols())
			}
			for i, f := range rec.Schema().Fields() {
				got := tbl.Schema().Field(i)
				if got.Name != f.Name || got.Nullable != f.Nullable {
					t.Errorf("field %d read as %s (nullable %v), want %s (nullable %v)", i, got.Name, got.Nullable, f.Name, f.Nullable)
				}
				if f.Type.ID() != arrow.MAP && f.Type.ID() != arrow.LIST && !arrow.TypeEqual(got.Type, f.Type) {
					t.Errorf("field %s read as %s, want %s", f.Name, got.Type, f.Type)
				}
				if w, g := columnJSON(t, rec.Column(i)), chunkJSON(t, tbl.Column(i).Data()); w != g {
					t.Errorf("column %s:\n got %.300s\nwant %.300s", f.Name, g, w)
				}
			}
		})
	}
}

// TestWriterRealEvents writes the events table of a captured sample (map
// attributes, multi-line text, nullable statuses) and reads it back.
func TestWriterRealEvents(t *testing.T) {
	targets, _ := parsers.Discover([]string{"../../samples/pool-exhaustion"}, parsers.Options{})
	if len(targets) == 0 {
		t.Fatal("samples/pool-exhaustion: no files found")
	}
	ds := parsers.ParseAll(targets, parsers.Options{})
	defer ds.Release()
	for _, name := range parsers.TableNames {
		rec := ds.Tables[name]
		if rec == nil || rec.NumRows() == 0 {
			continue
		}
		t.Run(name, func(t *testing.T) {
			tbl, _ := readBack(t, write(t, rec, parquet.Options{Codec: parquet.Zstd, PageRows: 1000}))
			defer tbl.Release()
			if tbl.NumRows() != rec.NumRows() {
				t.Fatalf("%d rows read back, want %d", tbl.NumRows(), rec.NumRows())
			}
			for i, f := range rec.Schema().Fields() {
				if w, g := columnJSON(t, rec.Column(i)), chunkJSON(t, tbl.Column(i).Data()); w != g {
					t.Errorf("column %s differs after the round trip", f.Name)
				}
			}
		})
	}
}

func TestWriterDeterministic(t *testing.T) {
	rec := mixed(t, 200)
	defer rec.Release()
	opt := parquet.Options{Codec: parquet.Zstd, CreatedBy: "logcorr", PageRows: 64}
	a, b := write(t, rec, opt), write(t, rec, opt)
	if !bytes.Equal(a, b) {
		t.Fatal("the same batch gave different bytes")
	}
	if !bytes.HasPrefix(a, []byte("PAR1")) || !bytes.HasSuffix(a, []byte("PAR1")) {
		t.Fatal("file lacks the PAR1 magic at its ends")
	}
}

func TestWriterRefuses(t *testing.T) {
	cases := []struct {
		name string
		f    arrow.Field
		want string
	}{
		{"list of lists", arrow.Field{Name: "l", Type: arrow.ListOf(arrow.ListOf(arrow.PrimitiveTypes.Int64))}, "list elements: type"},
		{"int32", arrow.Field{Name: "i", Type: arrow.PrimitiveTypes.Int32}, "not supported"},
		{"seconds", arrow.Field{Name: "t", Type: &arrow.TimestampType{Unit: arrow.Second}}, "unit"},
		{"int keys", arrow.Field{Name: "m", Type: arrow.MapOf(arrow.PrimitiveTypes.Int64, arrow.BinaryTypes.String)}, "utf8 keys"},
		{"map of lists", arrow.Field{Name: "m", Type: arrow.MapOf(arrow.BinaryTypes.String, arrow.ListOf(arrow.BinaryTypes.String))}, "map values"},
	}
	for _, tc := range cases {
		_, err := parquet.NewWriter(&bytes.Buffer{}, arrow.NewSchema([]arrow.Field{tc.f}, nil), parquet.Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %q", tc.name, err, tc.want)
		}
	}
}

// A null in a field declared non-nullable cannot be written as a
// required Parquet column; the writer says so instead of writing a file
// no reader can read.
func TestWriterRefusesNullInRequired(t *testing.T) {
	cases := []struct {
		name string
		typ  arrow.DataType
		want string
	}{
		{"int64", arrow.PrimitiveTypes.Int64, "column t: row 1 is null"},
		{"list", arrow.ListOf(arrow.BinaryTypes.String), "column t: row 1 is null"},
		{"map", arrow.MapOf(arrow.BinaryTypes.String, arrow.BinaryTypes.String), "column t: row 1 is null"},
		{"list element", arrow.ListOfNonNullable(arrow.PrimitiveTypes.Int64), "column t: row 1: a list element is null"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			schema := arrow.NewSchema([]arrow.Field{{Name: "t", Type: tc.typ}}, nil)
			b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
			defer b.Release()
			switch fb := b.Field(0).(type) {
			case *array.Int64Builder:
				fb.Append(1)
				fb.AppendNull()
			case *array.ListBuilder:
				fb.Append(true)
				if tc.name == "list element" {
					fb.Append(true)
					fb.ValueBuilder().AppendNull()
				} else {
					fb.AppendNull()
				}
			case *array.MapBuilder:
				fb.Append(true)
				fb.AppendNull()
			}
			rec := b.NewRecordBatch()
			defer rec.Release()
			w, err := parquet.NewWriter(&bytes.Buffer{}, schema, parquet.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(rec); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

// FuzzWriterRoundTrip writes batches built from fuzzed strings, numbers,
// null patterns and map and list sizes, split into fuzzed page and row-group sizes,
// and reads them back with arrow-go: every value must survive.
func FuzzWriterRoundTrip(f *testing.F) {
	f.Add("a\x00b", int64(-3), 2.5, uint16(0x5a5a), uint8(3), uint8(2), uint8(5))
	f.Add("", int64(0), 0.0, uint16(0), uint8(0), uint8(1), uint8(1))
	f.Add("ü\nline", int64(1<<62), -1e300, uint16(0xffff), uint8(7), uint8(9), uint8(200))
	f.Fuzz(func(t *testing.T, s string, i int64, fl float64, nulls uint16, mapN, pageRows, rows uint8) {
		n := int(rows)%40 + 1
		mt := arrow.MapOf(arrow.BinaryTypes.String, arrow.BinaryTypes.String)
		schema := arrow.NewSchema([]arrow.Field{
			{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
			{Name: "i", Type: arrow.PrimitiveTypes.Int64},
			{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
			{Name: "m", Type: mt, Nullable: true},
			{Name: "l", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true},
			{Name: "n", Type: arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Float64)},
		}, nil)
		b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
		defer b.Release()
		for r := 0; r < n; r++ {
			null := nulls>>(r%16)&1 == 1
			nb := b.Field(5).(*array.MapBuilder)
			nb.Append(true)
			for k := 0; k < (int(mapN)+2*r)%4; k++ {
				nb.KeyBuilder().(*array.StringBuilder).Append(s + string(rune('k'+k)))
				nb.ItemBuilder().(*array.Float64Builder).Append(fl + float64(k))
			}
			if null {
				b.Field(0).AppendNull()
				b.Field(2).AppendNull()
				b.Field(3).AppendNull()
				b.Field(4).AppendNull()
			} else {
				lb := b.Field(4).(*array.ListBuilder)
				lb.Append(true)
				for k := 0; k < (int(mapN)+r)%4; k++ {
					if k%3 == 1 {
						lb.ValueBuilder().AppendNull()
					} else {
						lb.ValueBuilder().(*array.StringBuilder).Append(s[:len(s)*k/4])
					}
				}
				b.Field(0).(*array.StringBuilder).Append(s[:len(s)*r/n])
				b.Field(2).(*array.Float64Builder).Append(fl * float64(r))
				mb := b.Field(3).(*array.MapBuilder)
				mb.Append(true)
				for k := 0; k < (int(mapN)+r)%5; k++ {
					mb.KeyBuilder().(*array.StringBuilder).Append(s + string(rune('a'+k)))
					if k%3 == 2 {
						mb.ItemBuilder().AppendNull()
					} else {
						mb.ItemBuilder().(*array.StringBuilder).Append(s)
					}
				}
			}
			b.Field(1).(*array.Int64Builder).Append(i ^ int64(r))
		}
		rec := b.NewRecordBatch()
		defer rec.Release()
		if math.IsNaN(fl) {
			return // NaN != NaN: the JSON comparison below cannot hold
		}
		opt := parquet.Options{Codec: parquet.Zstd, PageRows: int(pageRows)%7 + 1, RowGroupRows: int(pageRows)%11 + 1}
		tbl, _ := readBack(t, write(t, rec, opt))
		defer tbl.Release()
		for c := 0; c < int(rec.NumCols()); c++ {
			if w, g := columnJSON(t, rec.Column(c)), chunkJSON(t, tbl.Column(c).Data()); w != g {
				t.Fatalf("column %s:\n got %.200s\nwant %.200s", schema.Field(c).Name, g, w)
			}
		}
	})
}

// TestWriterStatistics: each row group's flat columns carry their null
// count and min/max, read back by arrow-go, so a reader can skip row
// groups by time; a string over the bound and a NaN get no bounds.
func TestWriterStatistics(t *testing.T) {
	ts := &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "t", Type: ts, Nullable: true},
		{Name: "i", Type: arrow.PrimitiveTypes.Int64},
		{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	// group 0: rows 0-3, group 1: rows 4-7
	for i, tv := range []int64{30, 10, -1, 20, 70, 50, 60, 40} {
		if tv < 0 {
			b.Field(0).AppendNull()
		} else {
			b.Field(0).(*array.TimestampBuilder).Append(arrow.Timestamp(tv))
		}
		b.Field(1).(*array.Int64Builder).Append(int64(-i))
		switch i {
		case 1:
			b.Field(2).AppendNull()
		case 6:
			b.Field(2).(*array.Float64Builder).Append(math.NaN())
		default:
			b.Field(2).(*array.Float64Builder).Append(float64(i) - 1.5)
		}
		s := []string{"pgbouncer", "django", "runserver", "auth_debug"}[i%4]
		if i == 5 {
			s = strings.Repeat("x", 65)
		}
		b.Field(3).(*array.StringBuilder).Append(s)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	pf, err := file.NewParquetReader(bytes.NewReader(write(t, rec, parquet.Options{RowGroupRows: 4})))
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		nulls    int64
		minMax   bool
		min, max any
	}
	cases := []struct {
		group, col int
		want       want
	}{
		{0, 0, want{1, true, int64(10), int64(30)}},
		{1, 0, want{0, true, int64(40), int64(70)}},
		{0, 1, want{0, true, int64(-3), int64(0)}},
		{1, 1, want{0, true, int64(-7), int64(-4)}},
		{0, 2, want{1, true, -1.5, 1.5}},
		{1, 2, want{0, false, nil, nil}}, // a NaN: no bounds
		{0, 3, want{0, true, "auth_debug", "runserver"}},
		{1, 3, want{0, false, nil, nil}}, // a 65-byte value: no bounds
	}
	for _, tc := range cases {
		cc, err := pf.MetaData().RowGroup(tc.group).ColumnChunk(tc.col)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := cc.StatsSet(); !ok || err != nil {
			t.Errorf("group %d column %d: no statistics (%v)", tc.group, tc.col, err)
			continue
		}
		st, err := cc.Statistics()
		if err != nil {
			t.Fatal(err)
		}
		got := want{nulls: st.NullCount(), minMax: st.HasMinMax()}
		if got.minMax {
			switch s := st.(type) {
			case *metadata.Int64Statistics:
				got.min, got.max = s.Min(), s.Max()
			case *metadata.Float64Statistics:
				got.min, got.max = s.Min(), s.Max()
			case *metadata.ByteArrayStatistics:
				got.min, got.max = string(s.Min()), string(s.Max())
			}
		}
		if got != tc.want {
			t.Errorf("group %d column %s: statistics %+v, want %+v", tc.group, schema.Field(tc.col).Name, got, tc.want)
		}
	}
}

// Append takes a table a slice of rows at a time: slices of PageRows rows
// give the bytes Write gives for the whole batch (pages, row groups split
// across Appends, statistics), and the file reads back as the batch.
func TestWriterAppendSlices(t *testing.T) {
	rec := mixed(t, 1000)
	defer rec.Release()
	cases := []struct {
		name string
		opt  parquet.Options
	}{
		{"one group", parquet.Options{Codec: parquet.Zstd, PageRows: 64}},
		{"groups end inside an Append", parquet.Options{Codec: parquet.Zstd, PageRows: 64, RowGroupRows: 192}},
		{"uncompressed, one page per slice", parquet.Options{PageRows: 100, RowGroupRows: 300}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			whole := write(t, rec, tc.opt)
			var buf bytes.Buffer
			w, err := parquet.NewWriter(&buf, rec.Schema(), tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			// Slices of several pages, the last one short.
			step := 3 * tc.opt.PageRows
			for lo := int64(0); lo < rec.NumRows(); lo += int64(step) {
				part := rec.NewSlice(lo, min(lo+int64(step), rec.NumRows()))
				err := w.Append(part)
				part.Release()
				if err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(whole, buf.Bytes()) {
				t.Fatalf("appended in slices: %d bytes, differing from Write's %d", buf.Len(), len(whole))
			}
			tbl, groups := readBack(t, buf.Bytes())
			defer tbl.Release()
			if want := (1000 + tc.opt.RowGroupRows - 1) / max(tc.opt.RowGroupRows, 1); tc.opt.RowGroupRows > 0 && groups != want {
				t.Errorf("%d row groups, want %d", groups, want)
			}
			if tbl.NumRows() != 1000 {
				t.Errorf("%d rows read back", tbl.NumRows())
			}
		})
	}
}
