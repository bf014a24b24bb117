package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/internal/parquet"
	"github.com/logcorr/logcorr/model/schema"
)

// TableExts are the extensions WriteTables understands.
var TableExts = []string{".arrow", ".parquet", ".jsonl"}

// WriteTables writes the dataset's tables in the format named by path's
// extension: .arrow (Arrow IPC file), .parquet, or .jsonl (one JSON object
// per row, with a "table" field naming its table). There are several
// tables, so each non-empty one goes to its own file, <base>.<table>.<ext>,
// next to path (out/run.parquet → out/run.events.parquet,
// out/run.locust_stats.parquet, ...). It returns the files written, in
// table order.
//
// The columns are those `parse --out` has always written, in the same
// order and types (repeated strings as plain strings, not dictionaries),
// then the added ones: offset, and in events time_utc — the row's time on
// the UTC clock as correlation decided it (from events, which may be nil:
// then time_utc is null), where time stays the file's own clock.
//
// It refuses a path whose folder does not exist, and a target that exists
// as a symbolic link or anything but a regular file: a symbolic link at
// the target is never followed. Each file is written to a temporary file
// in the same folder and renamed into place, so a failed write leaves no
// half file and the rename replaces a link-free directory entry.
func WriteTables(path string, ds *schema.Dataset, events *correlate.Table) ([]string, error) {
	ext := strings.ToLower(filepath.Ext(path))
	var write func(io.Writer, string, arrow.RecordBatch) error
	switch ext {
	case ".arrow":
		write = writeArrowIPC
	case ".parquet":
		write = writeParquet
	case ".jsonl":
		write = writeJSONL
	default:
		return nil, fmt.Errorf("%s: unknown table format %q: use one of %s", path, ext, strings.Join(TableExts, ", "))
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: output folder %s does not exist", path, dir)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s: %s is not a folder", path, dir)
	}
	var targets []string
	var tables []schema.Table
	for t := range schema.NumTables {
		if ds.Rows(t) == 0 {
			continue
		}
		target := tablePath(path, t.String())
		if err := checkTarget(target); err != nil {
			return nil, err
		}
		targets = append(targets, target)
		tables = append(tables, t)
	}
	var written []string
	for i, target := range targets {
		rec, err := plainTable(ds, tables[i], events)
		if err != nil {
			return written, err
		}
		err = writeFileAtomic(target, func(w io.Writer) error { return write(w, tables[i].String(), rec) })
		rec.Release()
		if err != nil {
			return written, err
		}
		written = append(written, target)
	}
	return written, nil
}

// outColumns is the column order of a written table: the events table's
// first columns as they have always been written (traceback before
// message, text after duplicates), then offset and time_utc; the other
// tables in their schema's order.
func outColumns(t schema.Table) []string {
	sch := t.Schema()
	if t != schema.TableEvents {
		names := make([]string, sch.NumFields())
		for i, f := range sch.Fields() {
			names[i] = f.Name
		}
		return names
	}
	return []string{"time", "time_naive", "zone", "source", "file", "line", "end_line", "level", "logger", "kind",
		"method", "path", "status", "size", "user", "duration_ms", "exc_type", "exc_message", "exc_frame",
		"traceback", "message", "attrs", "duplicates", "text", "offset", schema.TimeUTC.Name}
}

// plainTable is one record of table t over all its batches, with
// dictionary columns decoded to plain strings and the columns in
// outColumns order.
func plainTable(ds *schema.Dataset, t schema.Table, events *correlate.Table) (arrow.RecordBatch, error) {
	sch := t.Schema()
	batches := ds.Tables[t]
	var fields []arrow.Field
	var cols []arrow.Array
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	for _, name := range outColumns(t) {
		if name == schema.TimeUTC.Name {
			fields = append(fields, schema.TimeUTC)
			cols = append(cols, timeUTCColumn(ds, events))
			continue
		}
		idx := sch.FieldIndices(name)
		if len(idx) == 0 {
			return nil, fmt.Errorf("table %s: no column %s", t, name)
		}
		f := sch.Field(idx[0])
		// Columns are written with their plain types (dictionaries
		// decoded), whatever the tables hold in memory.
		f.Type = schema.PlainType(f.Type)
		parts := make([]arrow.Array, 0, len(batches))
		for _, b := range batches {
			parts = append(parts, schema.Plain(b.Column(idx[0])))
		}
		c, err := concat(f.Type, parts)
		for _, p := range parts {
			p.Release()
		}
		if err != nil {
			return nil, fmt.Errorf("table %s column %s: %w", t, name, err)
		}
		cols = append(cols, c)
		fields = append(fields, f)
	}
	rec := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, ds.Rows(t))
	return rec, nil
}

func concat(typ arrow.DataType, parts []arrow.Array) (arrow.Array, error) {
	if len(parts) == 0 {
		return array.MakeArrayOfNull(memory.DefaultAllocator, typ, 0), nil
	}
	return array.Concatenate(parts, memory.DefaultAllocator)
}

// timeUTCColumn is every event row's UTC time (null where correlation
// could not place it, and everywhere without an events table).
func timeUTCColumn(ds *schema.Dataset, events *correlate.Table) arrow.Array {
	b := array.NewTimestampBuilder(memory.DefaultAllocator, schema.Timestamp)
	defer b.Release()
	n := ds.Rows(schema.TableEvents)
	b.Reserve(int(n))
	for r := int32(0); int64(r) < n; r++ {
		if events == nil {
			b.AppendNull()
			continue
		}
		if us, ok := events.UTC(r); ok {
			b.Append(arrow.Timestamp(us))
		} else {
			b.AppendNull()
		}
	}
	return b.NewArray()
}

// tablePath is the file WriteTables writes table to for path.
func tablePath(path, table string) string {
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "." + table + strings.ToLower(ext)
}

// TablePaths lists every file WriteTables may write for path, one per
// table, so that a caller can check none of them is an input.
func TablePaths(path string) []string {
	out := make([]string, 0, schema.NumTables)
	for t := range schema.NumTables {
		out = append(out, tablePath(path, t.String()))
	}
	return out
}

// writeFileAtomic writes target through an Output: a temporary file in
// its folder, renamed into place once whole.
func writeFileAtomic(target string, fill func(io.Writer) error) error {
	out, err := createOutput(target)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	if err := fill(bw); err != nil {
		out.Discard()
		return fmt.Errorf("%s: %w", target, err)
	}
	if err := bw.Flush(); err != nil {
		out.Discard()
		return fmt.Errorf("%s: %w", target, err)
	}
	return out.Close()
}

// recordFileWriter is what the Arrow IPC and Parquet file writers share.
type recordFileWriter interface {
	Write(arrow.RecordBatch) error
	Close() error
}

// writeClose writes the one record and closes the file writer, which
// writes the footer; on a write error the writer is still closed.
func writeClose(fw recordFileWriter, rec arrow.RecordBatch) error {
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return err
	}
	return fw.Close()
}

func writeArrowIPC(w io.Writer, _ string, rec arrow.RecordBatch) error {
	fw, err := ipc.NewFileWriter(w, ipc.WithSchema(rec.Schema()))
	if err != nil {
		return err
	}
	return writeClose(fw, rec)
}

func writeParquet(w io.Writer, _ string, rec arrow.RecordBatch) error {
	// zstd, and no library version in created_by: same inputs, same bytes.
	fw, err := parquet.NewWriter(w, rec.Schema(), parquet.Options{Codec: parquet.Zstd, CreatedBy: "logcorr"})
	if err != nil {
		return err
	}
	return writeClose(fw, rec)
}

// writeJSONL writes one object per row: {"table":NAME, column: value, ...}
// in schema column order. Timestamps are RFC 3339 UTC, maps are objects,
// nulls are null, non-finite floats (never produced by the parsers) null.
func writeJSONL(w io.Writer, table string, rec arrow.RecordBatch) error {
	sch := rec.Schema()
	keys := make([][]byte, sch.NumFields())
	for i, f := range sch.Fields() {
		k, _ := json.Marshal(f.Name)
		keys[i] = k
	}
	tname, _ := json.Marshal(table)
	var buf []byte
	for r := 0; r < int(rec.NumRows()); r++ {
		buf = buf[:0]
		buf = append(buf, `{"table":`...)
		buf = append(buf, tname...)
		for c := 0; c < int(rec.NumCols()); c++ {
			buf = append(buf, ',')
			buf = append(buf, keys[c]...)
			buf = append(buf, ':')
			var err error
			buf, err = appendJSONValue(buf, rec.Column(c), r)
			if err != nil {
				return fmt.Errorf("table %s row %d column %s: %w", table, r, sch.Field(c).Name, err)
			}
		}
		buf = append(buf, '}', '\n')
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

func appendJSONValue(buf []byte, col arrow.Array, i int) ([]byte, error) {
	if col.IsNull(i) {
		return append(buf, "null"...), nil
	}
	switch c := col.(type) {
	case *array.String:
		return appendJSONString(buf, c.Value(i)), nil
	case *array.Int64:
		return strconv.AppendInt(buf, c.Value(i), 10), nil
	case *array.Float64:
		v := c.Value(i)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return append(buf, "null"...), nil
		}
		return strconv.AppendFloat(buf, v, 'g', -1, 64), nil
	case *array.Boolean:
		return strconv.AppendBool(buf, c.Value(i)), nil
	case *array.Timestamp:
		unit := c.DataType().(*arrow.TimestampType).Unit
		t := c.Value(i).ToTime(unit).UTC()
		return appendJSONString(buf, t.Format(time.RFC3339Nano)), nil
	case *array.Map:
		start, end := c.ValueOffsets(i)
		keys, ok1 := c.Keys().(*array.String)
		items, ok2 := c.Items().(*array.String)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("unsupported map type %s", col.DataType())
		}
		buf = append(buf, '{')
		for j := start; j < end; j++ {
			if j > start {
				buf = append(buf, ',')
			}
			buf = appendJSONString(buf, keys.Value(int(j)))
			buf = append(buf, ':')
			if items.IsNull(int(j)) {
				buf = append(buf, "null"...)
			} else {
				buf = appendJSONString(buf, items.Value(int(j)))
			}
		}
		return append(buf, '}'), nil
	default:
		b, err := json.Marshal(col.GetOneForMarshal(i))
		if err != nil {
			return nil, err
		}
		return append(buf, b...), nil
	}
}

// appendJSONString appends s as a JSON string without HTML escaping.
func appendJSONString(buf []byte, s string) []byte {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return append(buf, strings.TrimSuffix(sb.String(), "\n")...)
}
