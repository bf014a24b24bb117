package parsers

import (
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/logcorr/logcorr/model/schema"
)

// fileTables is what parsing one file wrote: per table, its writers in
// row order (one, or one per chunk of a file parsed in chunks), none for a
// table the file has no rows of.
type fileTables struct {
	w [schema.NumTables][]*tableWriter
}

func (f *fileTables) writer(t schema.Table, id schema.FileID) *tableWriter {
	if n := len(f.w[t]); n > 0 {
		return f.w[t][n-1]
	}
	w := newTableWriter(t, id)
	f.w[t] = append(f.w[t], w)
	return w
}

func (f *fileTables) finish() {
	for _, ws := range f.w {
		for _, w := range ws {
			if w.cols != nil {
				w.finish()
			}
		}
	}
}

// Parse parses every target, in parallel, into the Dataset the stages
// after parsing read: the file table (FileID = index in targets) and each
// table's record batches, in file then line order. The same targets give
// the same Dataset, whatever the scheduling.
func Parse(targets []Target, opt Options) *schema.Dataset {
	files := make([]schema.File, len(targets))
	outs := make([]*fileTables, len(targets))
	results := make([]*Result, len(targets))
	for i, t := range targets {
		files[i] = schema.File{ID: schema.FileID(i), Path: t.Name, Open: t.Path, Root: t.Root}
		if st, err := os.Stat(t.Path); err == nil {
			files[i].Size, files[i].ModTime = st.Size(), st.ModTime()
		}
	}
	eachTarget(targets, opt, func(i int, r *Result) { results[i], outs[i] = r, &fileTables{} }, func(i int, t Target) {
		out := &fileTables{}
		results[i] = parseFile(t.Path, t.Name, schema.FileID(i), opt, out)
		outs[i] = out
	})
	ds := &schema.Dataset{Messages: mergeDistributions(results)}
	for i, r := range results {
		w := outs[i].writer(schema.TableStats, schema.FileID(i))
		for j := range r.Stats {
			writeStat(w, &r.Stats[j])
		}
		r.Stats = nil
		outs[i].finish()
		files[i].Audit = r.Audit
		files[i].Format = sourceOf(r.Audit.Format)
		files[i].Encoding = r.Audit.Encoding
	}
	ds.Files = files
	assemble(ds, outs)
	return ds
}

// assemble turns the files' physical batches into ds.Tables: each Dict
// column gets one dictionary per table, its values numbered in
// first-appearance order over the files in FileID order, so the result
// does not depend on which file finished first; Enum columns get their
// fixed dictionaries; the file column the file table's paths.
func assemble(ds *schema.Dataset, outs []*fileTables) {
	paths := array.NewStringBuilder(memory.DefaultAllocator)
	for _, f := range ds.Files {
		paths.Append(f.Path)
	}
	fileDict := paths.NewArray()
	paths.Release()
	defer fileDict.Release()
	for t := range schema.NumTables {
		sch := t.Schema()
		nc := sch.NumFields()
		global := make([]*interner, nc)
		for c, f := range sch.Fields() {
			if f.Type == schema.Dict && f.Name != "file" {
				global[c] = &interner{}
			}
		}
		type pending struct {
			cols []arrow.Array
			rows int64
		}
		var batches []pending
		var row int64
		for i, o := range outs {
			start := row
			for _, w := range o.w[t] {
				remap := make([][]int32, nc)
				for c, g := range global {
					if g == nil {
						continue
					}
					local := w.dicts[c].vals
					m := make([]int32, len(local))
					same := true
					for k, v := range local {
						m[k] = g.idString(v)
						same = same && m[k] == int32(k)
					}
					if !same {
						remap[c] = m
					}
				}
				for _, pb := range w.done {
					cols := make([]arrow.Array, nc)
					for c := range nc {
						col := pb.Column(c)
						if m := remap[c]; m != nil {
							cols[c] = remapIndices(col.(*array.Int32), m)
						} else {
							col.Retain()
							cols[c] = col
						}
					}
					batches = append(batches, pending{cols, pb.NumRows()})
					row += pb.NumRows()
				}
				w.release()
			}
			ds.Files[i].Rows[t] = schema.RowRange{Start: start, End: row}
		}
		dicts := make([]arrow.Array, nc)
		for c, f := range sch.Fields() {
			switch {
			case f.Type == schema.Enum:
				dicts[c] = schema.EnumDictionary(t, f.Name)
				dicts[c].Retain()
			case f.Type == schema.Dict && f.Name == "file":
				dicts[c] = fileDict
				fileDict.Retain()
			case f.Type == schema.Dict:
				b := array.NewStringBuilder(memory.DefaultAllocator)
				b.AppendValues(global[c].vals, nil)
				dicts[c] = b.NewArray()
				b.Release()
			}
		}
		for _, p := range batches {
			for c, d := range dicts {
				if d == nil {
					continue
				}
				idx := p.cols[c]
				p.cols[c] = array.NewDictionaryArray(sch.Field(c).Type, idx, d)
				idx.Release()
			}
			ds.Tables[t] = append(ds.Tables[t], array.NewRecordBatch(sch, p.cols, p.rows))
			for _, c := range p.cols {
				c.Release()
			}
		}
		for _, d := range dicts {
			if d != nil {
				d.Release()
			}
		}
	}
}

// remapIndices returns idx with every index i replaced by m[i]: in place,
// since the physical batches are the writers' own and read by no one else.
func remapIndices(idx *array.Int32, m []int32) arrow.Array {
	vals := idx.Int32Values()
	for i, v := range vals {
		if idx.IsValid(i) {
			vals[i] = m[v]
		}
	}
	idx.Retain()
	return idx
}
