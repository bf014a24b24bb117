package correlate

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
)

// EventsOf is a list of events made from rows written by hand, in the
// order given, each timed row placed at its Time as UTC: what the rules'
// unit tests build runs from. (A real analysis reads the parse stage's
// tables; see Analyze.)
func EventsOf(rows ...parsers.Event) Events {
	// One result per stretch of rows of one file: a batch holds one file.
	var results []*parsers.Result
	for lo := 0; lo < len(rows); {
		hi := lo + 1
		for hi < len(rows) && rows[hi].File == rows[lo].File {
			hi++
		}
		results = append(results, &parsers.Result{Audit: parsers.Audit{Path: rows[lo].File}, Events: rows[lo:hi]})
		lo = hi
	}
	t := newTable(DatasetOf(results))
	out := Events{t: t, rows: make([]int32, len(rows))}
	for r := range out.rows {
		out.rows[r] = int32(r)
		if t.tim[r] != noTime {
			t.placed[r] = true
		}
	}
	return out
}

// DatasetOf is the parse stage's Dataset for rows written by hand: what
// parsers.Parse would return had it read files holding them. One file per
// result, in order (a result's rows name their file; the audit's path is
// the file's). It goes through parsers.Assemble's tables (plain columns)
// and re-encodes them in the dataset's schema, so tests read the same
// columns the pipeline does. For tests and tools; transitional until the
// parsers package offers one (REQUESTS.md B).
func DatasetOf(results []*parsers.Result) *schema.Dataset {
	legacy := parsers.Assemble(results)
	ds := &schema.Dataset{Messages: legacy.Messages}
	index := map[string]schema.FileID{}
	for i, r := range results {
		path := r.Audit.Path
		if path == "" {
			path = firstFile(r)
		}
		if _, ok := index[path]; !ok {
			index[path] = schema.FileID(len(ds.Files))
			f, _ := schema.ParseSourceKind(r.Audit.Format)
			ds.Files = append(ds.Files, schema.File{ID: schema.FileID(len(ds.Files)), Path: path, Format: f, Audit: r.Audit})
			if ds.Files[len(ds.Files)-1].Audit.Path == "" {
				ds.Files[len(ds.Files)-1].Audit.Path = path
			}
		}
		_ = i
	}
	for t := range schema.NumTables {
		rec := legacy.Tables[t.String()]
		if rec == nil || rec.NumRows() == 0 {
			continue
		}
		files := rec.Column(rec.Schema().FieldIndices("file")[0]).(*array.String)
		for lo := 0; lo < int(rec.NumRows()); {
			hi := lo + 1
			for hi < int(rec.NumRows()) && files.Value(hi) == files.Value(lo) {
				hi++
			}
			id, ok := index[files.Value(lo)]
			if !ok {
				id = schema.FileID(len(ds.Files))
				index[files.Value(lo)] = id
				ds.Files = append(ds.Files, schema.File{ID: id, Path: files.Value(lo), Audit: parsers.Audit{Path: files.Value(lo)}})
			}
			start := ds.Rows(t)
			ds.Tables[t] = append(ds.Tables[t], encode(t, rec.NewSlice(int64(lo), int64(hi)), id, ds))
			ds.Files[id].Rows[t] = schema.RowRange{Start: start, End: start + int64(hi-lo)}
			lo = hi
		}
	}
	return ds
}

func firstFile(r *parsers.Result) string {
	for _, e := range r.Events {
		return e.File
	}
	for _, h := range r.History {
		return h.File
	}
	return ""
}

// encode writes a plain record in t's schema: Enum and Dict columns as
// dictionaries, the file column as the FileID.
func encode(t schema.Table, rec arrow.RecordBatch, id schema.FileID, ds *schema.Dataset) arrow.RecordBatch {
	sch := t.Schema()
	mem := memory.DefaultAllocator
	cols := make([]arrow.Array, sch.NumFields())
	n := int(rec.NumRows())
	for c, f := range sch.Fields() {
		idx := rec.Schema().FieldIndices(f.Name)
		switch {
		case f.Name == "file" && f.Type == schema.Dict:
			ib := array.NewInt32Builder(mem)
			vb := array.NewStringBuilder(mem)
			for range n {
				ib.Append(int32(id))
			}
			for _, fl := range ds.Files {
				vb.Append(fl.Path)
			}
			for len(ds.Files) <= int(id) {
				vb.Append("")
			}
			cols[c] = array.NewDictionaryArray(f.Type, ib.NewArray(), vb.NewArray())
		case f.Type == schema.Enum:
			dict := schema.EnumDictionary(t, f.Name)
			names := dict.(*array.String)
			ib := array.NewInt8Builder(mem)
			src := rec.Column(idx[0]).(*array.String)
			for i := range n {
				k := 0
				for j := 0; j < names.Len(); j++ {
					if names.Value(j) == src.Value(i) {
						k = j
						break
					}
				}
				ib.Append(int8(k))
			}
			cols[c] = array.NewDictionaryArray(f.Type, ib.NewArray(), dict)
		case f.Type == schema.Dict:
			ib := array.NewInt32Builder(mem)
			vb := array.NewStringBuilder(mem)
			seen := map[string]int32{}
			src := rec.Column(idx[0]).(*array.String)
			for i := range n {
				s := src.Value(i)
				k, ok := seen[s]
				if !ok {
					k = int32(len(seen))
					seen[s] = k
					vb.Append(s)
				}
				ib.Append(k)
			}
			cols[c] = array.NewDictionaryArray(f.Type, ib.NewArray(), vb.NewArray())
		case len(idx) == 0:
			cols[c] = array.MakeArrayOfNull(mem, f.Type, n)
			if !f.Nullable {
				b := array.NewBuilder(mem, f.Type)
				for range n {
					switch bb := b.(type) {
					case *array.Int64Builder:
						bb.Append(0)
					case *array.StringBuilder:
						bb.Append("")
					case *array.BooleanBuilder:
						bb.Append(false)
					case *array.Float64Builder:
						bb.Append(0)
					}
				}
				cols[c] = b.NewArray()
			}
		default:
			col := rec.Column(idx[0])
			col.Retain()
			cols[c] = col
		}
	}
	return array.NewRecordBatch(sch, cols, int64(n))
}
