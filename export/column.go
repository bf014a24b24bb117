package export

import (
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/logcorr/logcorr/redact"
)

// Kind is a column's type in the dataset contract. Each kind is one Arrow
// type and one Parquet physical + logical type, so every reader sees the
// same thing (docs/schema.md has the table of what DuckDB and Spark call
// them).
type Kind int

const (
	KindString     Kind = iota // UTF-8 text
	KindInt64                  // signed 64-bit integer
	KindFloat64                // IEEE 754 double
	KindBool                   // true / false
	KindTimeUTC                // an instant: microseconds since the epoch, UTC
	KindTimeLocal              // a wall-clock reading with no zone, microseconds
	KindStringList             // list of UTF-8 text, elements never null
	KindStringMap              // map from text to text
	KindInt64Map               // map from text to 64-bit integer
	KindFloat64Map             // map from text to double
)

var kindNames = map[Kind]string{
	KindString: "string", KindInt64: "int64", KindFloat64: "float64", KindBool: "bool",
	KindTimeUTC: "timestamp_utc", KindTimeLocal: "timestamp_local",
	KindStringList: "list<string>", KindStringMap: "map<string,string>",
	KindInt64Map: "map<string,int64>", KindFloat64Map: "map<string,float64>",
}

func (k Kind) String() string { return kindNames[k] }

var (
	tsUTC   = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	tsLocal = &arrow.TimestampType{Unit: arrow.Microsecond}
)

func (k Kind) arrowType() arrow.DataType {
	switch k {
	case KindString:
		return arrow.BinaryTypes.String
	case KindInt64:
		return arrow.PrimitiveTypes.Int64
	case KindFloat64:
		return arrow.PrimitiveTypes.Float64
	case KindBool:
		return arrow.FixedWidthTypes.Boolean
	case KindTimeUTC:
		return tsUTC
	case KindTimeLocal:
		return tsLocal
	case KindStringList:
		return arrow.ListOfNonNullable(arrow.BinaryTypes.String)
	case KindStringMap:
		return arrow.MapOf(arrow.BinaryTypes.String, arrow.BinaryTypes.String)
	case KindInt64Map:
		return arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int64)
	case KindFloat64Map:
		return arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Float64)
	}
	panic("export: unknown kind")
}

// Column is one column's contract: name, type, whether it may be null,
// the unit of its values and what it means.
type Column struct {
	Name     string
	Kind     Kind
	Nullable bool
	Unit     string // "ms", "s", "bytes", "per s", "%", "0..1"; "" for none
	Doc      string
}

// column is a Column and how a row of type R fills it.
type column[R any] struct {
	Column
	put func(b array.Builder, r *R, s *sink)
}

// sink cleans every text value on its way into a table: invalid UTF-8
// becomes U+FFFD (Parquet strings are UTF-8, and DuckDB refuses a file
// that breaks that), and secrets are masked unless --no-redact. The
// parsers redacted the log text already; this pass also covers what they
// leave alone (file and run names, texts the rules composed), so that no
// table can carry a secret whatever reached it.
type sink struct {
	redact bool
}

func (s *sink) text(v string) string {
	if !utf8.ValidString(v) {
		v = strings.ToValidUTF8(v, "\uFFFD")
	}
	if s.redact {
		v = redact.String(v)
	}
	return v
}

func (s *sink) keyValue(k, v string) (string, string) {
	k, v = s.text(k), s.text(v)
	if s.redact {
		v = redact.KeyValue(k, v)
	}
	return k, v
}

// The constructors below are the only ways a table declares a column, so
// each column's type, nullability and null rule is fixed here: optional
// text is null when empty, optional times are null when zero, optional
// numbers are null when their pointer is nil. Lists and maps are never
// null: empty when there is nothing.

func str[R any](name, doc string, get func(*R) string) column[R] {
	return column[R]{Column{name, KindString, false, "", doc}, func(b array.Builder, r *R, s *sink) {
		b.(*array.StringBuilder).Append(s.text(get(r)))
	}}
}

func optStr[R any](name, doc string, get func(*R) string) column[R] {
	return column[R]{Column{name, KindString, true, "", doc}, func(b array.Builder, r *R, s *sink) {
		if v := get(r); v != "" {
			b.(*array.StringBuilder).Append(s.text(v))
		} else {
			b.AppendNull()
		}
	}}
}

func i64[R any](name, unit, doc string, get func(*R) int64) column[R] {
	return column[R]{Column{name, KindInt64, false, unit, doc}, func(b array.Builder, r *R, _ *sink) {
		b.(*array.Int64Builder).Append(get(r))
	}}
}

func optI64[R any](name, unit, doc string, get func(*R) *int64) column[R] {
	return column[R]{Column{name, KindInt64, true, unit, doc}, func(b array.Builder, r *R, _ *sink) {
		if v := get(r); v != nil {
			b.(*array.Int64Builder).Append(*v)
		} else {
			b.AppendNull()
		}
	}}
}

func f64[R any](name, unit, doc string, get func(*R) float64) column[R] {
	return column[R]{Column{name, KindFloat64, false, unit, doc}, func(b array.Builder, r *R, _ *sink) {
		b.(*array.Float64Builder).Append(get(r))
	}}
}

func optF64[R any](name, unit, doc string, get func(*R) *float64) column[R] {
	return column[R]{Column{name, KindFloat64, true, unit, doc}, func(b array.Builder, r *R, _ *sink) {
		if v := get(r); v != nil {
			b.(*array.Float64Builder).Append(*v)
		} else {
			b.AppendNull()
		}
	}}
}

func boolean[R any](name, doc string, get func(*R) bool) column[R] {
	return column[R]{Column{name, KindBool, false, "", doc}, func(b array.Builder, r *R, _ *sink) {
		b.(*array.BooleanBuilder).Append(get(r))
	}}
}

func utc[R any](name, doc string, get func(*R) time.Time) column[R] {
	return column[R]{Column{name, KindTimeUTC, false, "", doc}, func(b array.Builder, r *R, _ *sink) {
		b.(*array.TimestampBuilder).Append(arrow.Timestamp(get(r).UnixMicro()))
	}}
}

func optUTC[R any](name, doc string, get func(*R) time.Time) column[R] {
	return column[R]{Column{name, KindTimeUTC, true, "", doc}, func(b array.Builder, r *R, _ *sink) {
		if t := get(r); !t.IsZero() {
			b.(*array.TimestampBuilder).Append(arrow.Timestamp(t.UnixMicro()))
		} else {
			b.AppendNull()
		}
	}}
}

// optLocal writes a wall-clock reading: its fields as if it were UTC,
// which is how Parquet stores a timestamp that is not adjusted to UTC.
func optLocal[R any](name, doc string, get func(*R) time.Time) column[R] {
	return column[R]{Column{name, KindTimeLocal, true, "", doc}, func(b array.Builder, r *R, _ *sink) {
		if t := get(r); !t.IsZero() {
			w := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
			b.(*array.TimestampBuilder).Append(arrow.Timestamp(w.UnixMicro()))
		} else {
			b.AppendNull()
		}
	}}
}

func strList[R any](name, doc string, get func(*R) []string) column[R] {
	return column[R]{Column{name, KindStringList, false, "", doc}, func(b array.Builder, r *R, s *sink) {
		lb := b.(*array.ListBuilder)
		lb.Append(true)
		vb := lb.ValueBuilder().(*array.StringBuilder)
		for _, v := range get(r) {
			vb.Append(s.text(v))
		}
	}}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func strMap[R any](name, doc string, get func(*R) map[string]string) column[R] {
	return column[R]{Column{name, KindStringMap, false, "", doc}, func(b array.Builder, r *R, s *sink) {
		mb := b.(*array.MapBuilder)
		mb.Append(true)
		m := get(r)
		kb, ib := mb.KeyBuilder().(*array.StringBuilder), mb.ItemBuilder().(*array.StringBuilder)
		var last string
		for i, k := range sortedKeys(m) {
			ck, cv := s.keyValue(k, m[k])
			if i > 0 && ck == last {
				continue // two keys that mask to one: readers want unique keys
			}
			kb.Append(ck)
			ib.Append(cv)
			last = ck
		}
	}}
}

func i64Map[R any](name, unit, doc string, get func(*R) map[string]int64) column[R] {
	return column[R]{Column{name, KindInt64Map, false, unit, doc}, func(b array.Builder, r *R, s *sink) {
		mb := b.(*array.MapBuilder)
		mb.Append(true)
		m := get(r)
		kb, ib := mb.KeyBuilder().(*array.StringBuilder), mb.ItemBuilder().(*array.Int64Builder)
		for _, k := range sortedKeys(m) {
			kb.Append(s.text(k))
			ib.Append(m[k])
		}
	}}
}

func f64Map[R any](name, unit, doc string, get func(*R) map[string]float64) column[R] {
	return column[R]{Column{name, KindFloat64Map, false, unit, doc}, func(b array.Builder, r *R, s *sink) {
		mb := b.(*array.MapBuilder)
		mb.Append(true)
		m := get(r)
		kb, ib := mb.KeyBuilder().(*array.StringBuilder), mb.ItemBuilder().(*array.Float64Builder)
		for _, k := range sortedKeys(m) {
			kb.Append(s.text(k))
			ib.Append(m[k])
		}
	}}
}
