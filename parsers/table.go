package parsers

import (
	"fmt"
	"reflect"
	"sort"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The row types in schema.go are plain structs whose `arrow:"name"` tags
// name the columns. This file turns slices of them into Arrow record batches
// and back, so that each table's schema is written down exactly once: in the
// struct that documents it.
//
// Supported field types and their Arrow types:
//
//	string            utf8
//	int64 / *int64    int64 (pointer = nullable)
//	float64 / *float64 float64 (pointer = nullable)
//	bool / *bool      bool
//	time.Time / *time.Time timestamp[us, tz=UTC], nullable (zero = null)
//	map[string]string map<utf8, utf8>, keys sorted

var (
	tsType  = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	mapType = arrow.MapOf(arrow.BinaryTypes.String, arrow.BinaryTypes.String)
	timeT   = reflect.TypeOf(time.Time{})
)

type colSpec struct {
	name  string
	index []int // field path, through embedded structs
	typ   reflect.Type
	dt    arrow.DataType
	null  bool
}

var specCache sync.Map // reflect.Type -> []colSpec

func specsOf(t reflect.Type) []colSpec {
	if v, ok := specCache.Load(t); ok {
		return v.([]colSpec)
	}
	specs := collectSpecs(t, nil)
	specCache.Store(t, specs)
	return specs
}

func collectSpecs(t reflect.Type, path []int) []colSpec {
	var specs []colSpec
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		idx := append(append([]int(nil), path...), i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			specs = append(specs, collectSpecs(f.Type, idx)...)
			continue
		}
		name := f.Tag.Get("arrow")
		if name == "" || name == "-" {
			continue
		}
		ft := f.Type
		null := false
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
			null = true
		}
		var dt arrow.DataType
		switch {
		case ft == timeT:
			dt = tsType
			null = true // a zero time is written as null (a bare traceback line has none)
		case ft.Kind() == reflect.String:
			dt = arrow.BinaryTypes.String
		case ft.Kind() == reflect.Int64:
			dt = arrow.PrimitiveTypes.Int64
		case ft.Kind() == reflect.Float64:
			dt = arrow.PrimitiveTypes.Float64
		case ft.Kind() == reflect.Bool:
			dt = arrow.FixedWidthTypes.Boolean
		case ft.Kind() == reflect.Map:
			dt = mapType
			null = true
		default:
			panic(fmt.Sprintf("parsers: unsupported column type %s for %s.%s", f.Type, t.Name(), f.Name))
		}
		specs = append(specs, colSpec{name: name, index: idx, typ: f.Type, dt: dt, null: null})
	}
	return specs
}

// SchemaOf returns the Arrow schema of the row type T.
func SchemaOf[T any]() *arrow.Schema {
	specs := specsOf(reflect.TypeFor[T]())
	fields := make([]arrow.Field, len(specs))
	for i, s := range specs {
		fields[i] = arrow.Field{Name: s.name, Type: s.dt, Nullable: s.null}
	}
	return arrow.NewSchema(fields, nil)
}

// ToRecord builds one Arrow record batch from rows given in one or more
// parts, in order; parts saves callers concatenating per-file slices
// first. The caller releases the batch.
func ToRecord[T any](parts ...[]T) arrow.RecordBatch {
	specs := specsOf(reflect.TypeFor[T]())
	b := array.NewRecordBuilder(memory.DefaultAllocator, SchemaOf[T]())
	defer b.Release()
	for _, rows := range parts {
		for ri := range rows {
			v := reflect.ValueOf(&rows[ri]).Elem()
			for ci, s := range specs {
				appendValue(b.Field(ci), s, v.FieldByIndex(s.index))
			}
		}
	}
	return b.NewRecordBatch()
}

func appendValue(fb array.Builder, s colSpec, v reflect.Value) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			fb.AppendNull()
			return
		}
		v = v.Elem()
	}
	switch b := fb.(type) {
	case *array.StringBuilder:
		b.Append(v.String())
	case *array.Int64Builder:
		b.Append(v.Int())
	case *array.Float64Builder:
		b.Append(v.Float())
	case *array.BooleanBuilder:
		b.Append(v.Bool())
	case *array.TimestampBuilder:
		t := v.Interface().(time.Time)
		if t.IsZero() {
			b.AppendNull()
			return
		}
		b.Append(arrow.Timestamp(t.UnixMicro()))
	case *array.MapBuilder:
		m := v.Interface().(map[string]string)
		if m == nil {
			b.AppendNull()
			return
		}
		b.Append(true)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		kb := b.KeyBuilder().(*array.StringBuilder)
		ib := b.ItemBuilder().(*array.StringBuilder)
		for _, k := range keys {
			kb.Append(k)
			ib.Append(m[k])
		}
	default:
		panic(fmt.Sprintf("parsers: no appender for column %s", s.name))
	}
}

// FromRecord reads rows of type T back from a record batch whose schema was
// made by SchemaOf[T]. Columns are matched by name, so a record with extra or
// reordered columns still reads.
func FromRecord[T any](rec arrow.RecordBatch) ([]T, error) {
	if rec == nil {
		return nil, nil
	}
	t := reflect.TypeFor[T]()
	specs := specsOf(t)
	n := int(rec.NumRows())
	rows := make([]T, n)
	sch := rec.Schema()
	for _, s := range specs {
		idx := sch.FieldIndices(s.name)
		if len(idx) == 0 {
			continue
		}
		col := rec.Column(idx[0])
		for i := 0; i < n; i++ {
			if col.IsNull(i) {
				continue
			}
			fv := reflect.ValueOf(&rows[i]).Elem().FieldByIndex(s.index)
			if err := setValue(fv, col, i); err != nil {
				return nil, fmt.Errorf("column %s row %d: %w", s.name, i, err)
			}
		}
	}
	return rows, nil
}

func setValue(fv reflect.Value, col arrow.Array, i int) error {
	target := fv
	if fv.Kind() == reflect.Pointer {
		target = reflect.New(fv.Type().Elem()).Elem()
	}
	switch c := col.(type) {
	case *array.String:
		target.SetString(c.Value(i))
	case *array.Int64:
		target.SetInt(c.Value(i))
	case *array.Float64:
		target.SetFloat(c.Value(i))
	case *array.Boolean:
		target.SetBool(c.Value(i))
	case *array.Timestamp:
		target.Set(reflect.ValueOf(time.UnixMicro(int64(c.Value(i))).UTC()))
	case *array.Map:
		start, end := c.ValueOffsets(i)
		keys := c.Keys().(*array.String)
		items := c.Items().(*array.String)
		m := make(map[string]string, end-start)
		for j := start; j < end; j++ {
			m[keys.Value(int(j))] = items.Value(int(j))
		}
		target.Set(reflect.ValueOf(m))
	default:
		return fmt.Errorf("unsupported arrow type %s", col.DataType())
	}
	if fv.Kind() == reflect.Pointer {
		p := reflect.New(fv.Type().Elem())
		p.Elem().Set(target)
		fv.Set(p)
	}
	return nil
}
